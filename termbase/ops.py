"""The one table of facade operations that team mode offers over HTTP.

Each :class:`Op` names a facade method, its HTTP method and route, the
least :class:`~termbase.model.Role` allowed to call it, its parameters and
how its result crosses the wire (:mod:`termbase.wire`).  The server
(:mod:`termbase.server`) builds its routes and its single permission check
from this table, and the remote client (:mod:`termbase.remote`) builds its
methods from it, so offering one more facade method is one line here.

Conventions: parameters named in the route (``{ref}``) travel in the path;
for ``GET`` and ``DELETE`` the others travel in the query string, for
``POST`` / ``PUT`` in a JSON body.  ``expected_version`` may also come as
an ``If-Match`` header.  An ``upload`` op takes the file as the raw request
body (its name in ``?filename=``); a ``download`` op answers with the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from termbase.model import Role

V, T, R, A = Role.VIEWER, Role.TRANSLATOR, Role.TERMINOLOGIST, Role.ADMIN

#: Marks a parameter without a default (the caller must give it).
REQUIRED: Any = object()


@dataclass(frozen=True)
class Param:
    """One argument of a facade method: its name, type and default."""

    name: str
    type: str = "str"  # str | int | bool | list | json | a codec of termbase.wire (entry …)
    default: Any = None


@dataclass(frozen=True)
class Op:
    """One facade operation offered over HTTP."""

    name: str  # facade attribute path: "approve", "tm.match"
    method: str
    route: str
    role: Role
    params: tuple[Param, ...] = ()
    result: str = "json"  # a key of termbase.wire.CODECS
    transfer: str = ""  # "" | "upload" | "download"
    # a stricter role for some arguments (e.g. adding an already approved entry)
    stricter: Callable[[dict[str, Any]], Role | None] | None = None
    doing: str = ""  # what a 403 says: "approving needs the terminologist role"
    path_params: tuple[str, ...] = field(default=(), init=False)

    def __post_init__(self) -> None:
        import re

        object.__setattr__(self, "path_params", tuple(re.findall(r"{(\w+)}", self.route)))
        if not self.doing:
            object.__setattr__(self, "doing", self.name.replace("tm.", "TM ").replace("_", " "))

    def needed(self, args: dict[str, Any]) -> Role:
        """The least role that may call this op with *args*."""
        stricter = self.stricter(args) if self.stricter else None
        return stricter if stricter and stricter.level > self.role.level else self.role


def P(name: str, type: str = "str", default: Any = None) -> Param:
    """Shorthand for :class:`Param` in the table."""
    return Param(name, type, default)


REF = P("ref", "str", REQUIRED)
VERSION = P("expected_version", "int")


def _adding_decided(args: dict[str, Any]) -> Role | None:
    """Adding an entry that is already approved or rejected is a terminologist's decision."""
    entry = args.get("entry")
    review = getattr(entry, "review", None)
    return R if review is not None and review.value != "proposed" else None


def _listing_all(args: dict[str, Any]) -> Role | None:
    """Viewers list approved entries only; proposals are for translators and above."""
    return T if (args.get("review") or "all") != "approved" else None


def _exporting_all(args: dict[str, Any]) -> Role | None:
    """Viewers export approved entries only (what an export gives by default)."""
    return T if (args.get("review") or "approved") != "approved" else None


OPS: tuple[Op, ...] = (
    # ---- reads
    Op("search", "GET", "/api/search", V,
       (P("query", "str", REQUIRED), P("limit", "int", 20), P("status"), P("review"),
        P("subject"), P("lang"), P("source"), P("entry_type")), "hits"),
    Op("get", "GET", "/api/entries/{ref}", V, (REF,), "entry"),
    Op("history", "GET", "/api/history", V, (P("ref"), P("limit", "int", 50)), "history"),
    Op("stats", "GET", "/api/stats", V),
    Op("subjects", "GET", "/api/subjects", V),
    Op("review_queue", "GET", "/api/review-queue", V, (P("limit", "int", 1000),)),
    Op("entries", "GET", "/api/entries", V, (P("review"), P("subject")), "entries",
       stricter=_listing_all, doing="listing every entry"),
    Op("list_entries", "GET", "/api/list", V,
       (P("review"), P("status"), P("subject"), P("lang"), P("limit", "int")), "entries",
       stricter=_listing_all, doing="listing every entry"),
    Op("pending", "GET", "/api/pending", V,
       (P("ref"), P("batch_id", "int"), P("proposed_by"), P("state"), P("limit", "int", 1000)),
       "pending_changes"),
    Op("change_diff", "GET", "/api/changes/{change}/diff", V, (P("change", "int", REQUIRED),)),
    Op("review_items", "GET", "/api/review-items", V,
       (P("batch", "int"), P("proposed_by"), P("subject"), P("source"), P("limit", "int", 1000)),
       "review_items"),
    Op("select", "POST", "/api/select", V,
       (P("ids", "json", []), P("subject"), P("source"), P("batch", "int"), P("proposed_by"))),
    Op("duplicates_of", "POST", "/api/duplicates-of", V, (P("entry", "entry", REQUIRED),)),
    Op("likely_duplicates", "GET", "/api/likely-duplicates", V),
    Op("imports", "GET", "/api/imports", V, (P("limit", "int", 100),), "import_batches"),
    Op("export_file", "GET", "/api/export", V,
       (P("path", "str", REQUIRED), P("format"), P("review", "str", "approved"), P("langs", "list"),
        P("subject"), P("force", "bool", False)), transfer="download", stricter=_exporting_all, doing="exporting"),
    # ---- proposals (translator)
    Op("add", "POST", "/api/entries", T,
       (P("entry", "entry", REQUIRED), P("comment", "str", ""), P("new", "bool", True),
        P("into")),
       "entry", stricter=_adding_decided, doing="adding entries"),
    Op("add_term", "POST", "/api/entries/{ref}/terms", T,
       (REF, P("term", "term", REQUIRED), VERSION, P("comment", "str", "")), "entry", doing="adding renderings"),
    Op("edit", "POST", "/api/entries/{ref}/edit", T,
       (REF, VERSION, P("comment", "str", ""), P("subject"), P("definition"),
        P("definition_zh"), P("note"), P("entry_type"), P("add_source", "source"),
        P("remove_source", "int")), "entry", doing="editing entries"),
    Op("edit_term", "POST", "/api/entries/{ref}/edit-term", T,
       (REF, P("term", "str", REQUIRED), P("lang"), P("text"), P("new_lang"), P("status"),
        P("term_type"), P("pos"), P("note"), P("pinyin"), P("source", "source"),
        P("add_context", "context"), P("remove_context", "int"), VERSION,
        P("comment", "str", "")), "entry", doing="editing renderings"),
    Op("delete_term", "POST", "/api/entries/{ref}/delete-term", T,
       (REF, P("term", "str", REQUIRED), P("lang"), VERSION, P("comment", "str", "")), "entry",
       doing="deleting renderings"),
    Op("set_status", "POST", "/api/entries/{ref}/status", T,
       (REF, P("term", "str", REQUIRED), P("status", "str", REQUIRED), P("lang"), P("note"),
        VERSION), "entry", doing="setting a status"),
    Op("update", "PUT", "/api/entries", T,
       (P("entry", "entry", REQUIRED), P("comment", "str", "")), "entry", doing="editing entries"),
    Op("delete", "DELETE", "/api/entries/{ref}", T, (REF, VERSION, P("comment", "str", "")),
       "none", doing="deleting entries"),
    # ---- decisions (terminologist)
    Op("approve", "POST", "/api/entries/{ref}/approve", R,
       (REF, P("comment", "str", ""), VERSION), "entry", doing="approving"),
    Op("reject", "POST", "/api/entries/{ref}/reject", R,
       (REF, P("reason", "str", REQUIRED), VERSION), "entry", doing="rejecting"),
    Op("accept_change", "POST", "/api/changes/{change_id}/accept", R,
       (P("change_id", "int", REQUIRED), P("comment", "str", "")), "entry",
       doing="accepting changes"),
    Op("reject_change", "POST", "/api/changes/{change_id}/reject", R,
       (P("change_id", "int", REQUIRED), P("reason", "str", REQUIRED)), "none",
       doing="rejecting changes"),
    Op("approve_many", "POST", "/api/approve-many", R,
       (P("ids", "json", REQUIRED), P("comment", "str", ""), P("dry_run", "bool", False)),
       "batch_result", doing="approving"),
    Op("reject_many", "POST", "/api/reject-many", R,
       (P("ids", "json", REQUIRED), P("reason", "str", REQUIRED), P("dry_run", "bool", False)),
       "batch_result", doing="rejecting"),
    Op("undelete", "POST", "/api/entries/{entry_id}/undelete", R,
       (P("entry_id", "int", REQUIRED), P("comment", "str", "")), "entry",
       doing="undeleting entries"),
    Op("revert", "POST", "/api/entries/{ref}/revert", R,
       (REF, P("to_version", "int"), P("comment", "str", "")), "entry", doing="reverting"),
    Op("merge", "POST", "/api/merge", R,
       (P("keep", "str", REQUIRED), P("other", "str", REQUIRED), P("comment", "str", "")),
       "entry", doing="merging"),
    # ---- administration (admin)
    Op("import_file", "POST", "/api/import", A,
       (P("path", "str", REQUIRED), P("format"), P("on_conflict", "str", "merge"),
        P("dry_run", "bool", False), P("source_name"), P("columns"), P("encoding"),
        P("skip_bad_lines", "bool", False)), "import_report", transfer="upload", doing="importing"),
    Op("backup", "GET", "/api/backup", A, (P("target", "str", REQUIRED), P("force", "bool", False)), transfer="download", doing="backing up"),
    Op("revert_import", "POST", "/api/imports/{batch_id}/revert", A,
       (P("batch_id", "int", REQUIRED),), doing="reverting imports"),
    Op("doctor", "GET", "/api/doctor", A, (P("repair", "bool", False),),
       doing="checking the database"),
    # ---- translation memory
    Op("tm.match", "GET", "/api/tm/match", V,
       (P("text", "str", REQUIRED), P("limit", "int", 5), P("min_score", "int", 70),
        P("with_terms", "bool", True)),
       "tm_matches"),
    Op("tm.concordance", "GET", "/api/tm/search", V,
       (P("query", "str", REQUIRED), P("limit", "int", 20)), "tm_hits"),
    Op("tm.stats", "GET", "/api/tm/stats", V),
    Op("tm.count", "GET", "/api/tm/count", V),
    Op("tm.indexing_to_announce", "GET", "/api/tm/indexing", V),
    Op("tm.import_file", "POST", "/api/tm/import", A,
       (P("path", "str", REQUIRED), P("format"), P("dry_run", "bool", False),
        P("project", "str", ""), P("source_lang"), P("target_lang")), "tm_report",
       transfer="upload", doing="importing into the TM"),
    Op("tm.export_file", "GET", "/api/tm/export", V,
       (P("path", "str", REQUIRED), P("force", "bool", False)),
       transfer="download"),
    # ---- terminology QA of a text the client has read (its own files stay on its machine)
    Op("recognize", "POST", "/api/recognize", V, (P("units", "json", REQUIRED),), "recognition"),
    Op("recognizer_info", "GET", "/api/recognizer", V, (), "build_info"),
    Op("check", "POST", "/api/check", V,
       (P("segments", "segments", REQUIRED), P("include_proposed", "bool", False),
        P("as_of")),
       "check_report"),
    Op("score", "POST", "/api/score", V,
       (P("hyp", "json", REQUIRED), P("ref", "json", REQUIRED), P("src", "json")), "scores"),
    Op("extract", "POST", "/api/extract", V,
       (P("text", "str", REQUIRED), P("limit", "int", 50), P("min_freq", "int", 2), P("lang")),
       "candidates"),
    Op("add_candidates", "POST", "/api/candidates", T,
       (P("candidates", "candidates", REQUIRED), P("document", "str", REQUIRED)), "entries",
       doing="proposing candidates"),
)  # fmt: skip

BY_NAME: dict[str, Op] = {op.name: op for op in OPS}

#: Facade methods not offered over HTTP, and why (tests check that every public
#: method of the facade and its TM is in OPS, here, or done by the client itself).
LOCAL_ONLY: dict[str, str] = {
    "close": "closes the caller's own connection",
    "load_seed": "the server's database is seeded when it is created",
    "actor": "the server resolves the actor from the token, never from the client",
    "import_entries": "takes Python objects; over HTTP an import is an uploaded file",
    "output_target": "checks a path on the caller's machine; the remote client checks its own",
    "restore": "replaces the server's database file: run it on the server machine",
    "recognizer": "the automaton object stays in the server; recognize() is offered",
    "tm.add": "one pair at a time; tm.import_file is offered",
    "tm.import_segments": "takes Python objects; over HTTP an import is an uploaded file",
    "tm.segments": "a stream of every pair; tm.export_file is offered",
    "tm.reindex": "maintenance of the server's file: run it on the server machine",
    "tm.unindexed": "tm.indexing_to_announce is what front ends ask",
    "tm.terms_in": "part of every tm.match answer",
}

#: Facade methods the remote client does itself around an op (reading or writing
#: the user's own files: termbase.api_files, shared with the local facade; listing
#: formats), so that those files never leave the machine.
CLIENT_SIDE = ("recognize_file", "write_glossary", "check_file", "score_files", "extract_file",
               "format_names")  # fmt: skip
