"""The one table of facade operations that team mode offers over HTTP.

Each :class:`Op` names a facade method, its HTTP method and route, the
least :class:`~termbase.users.Role` allowed to call it, its parameters and
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

from termbase.users import Role

V, T, R, A = Role.VIEWER, Role.TRANSLATOR, Role.TERMINOLOGIST, Role.ADMIN

#: Marks a parameter without a default (the caller must give it).
REQUIRED: Any = object()


@dataclass(frozen=True)
class Param:
    """One argument of a facade method: its name, type and default."""

    name: str
    type: str = "str"  # str | int | bool | list | entry | term | json
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


def _export_all(args: dict[str, Any]) -> Role | None:
    """Viewers export approved entries only; proposals are for translators and above."""
    return T if (args.get("review") or "all") != "approved" else None


OPS: tuple[Op, ...] = (
    # ---- reads
    Op("search", "GET", "/api/search", V,
       (P("query", "str", REQUIRED), P("limit", "int", 20), P("status"), P("review"),
        P("subject"), P("lang"), P("source")), "hits"),
    Op("get", "GET", "/api/entries/{ref}", V, (REF,), "entry"),
    Op("history", "GET", "/api/history", V, (P("ref"), P("limit", "int", 50)), "history"),
    Op("stats", "GET", "/api/stats", V),
    Op("subjects", "GET", "/api/subjects", V),
    Op("review_queue", "GET", "/api/review-queue", V, (P("limit", "int", 1000),)),
    Op("entries", "GET", "/api/entries", V, (P("review"), P("subject")), "entries",
       stricter=_export_all, doing="listing every entry"),
    Op("export_file", "GET", "/api/export", V,
       (P("path", "str", REQUIRED), P("format"), P("review", "str", "all"), P("langs", "list"),
        P("subject")), transfer="download", stricter=_export_all, doing="exporting"),
    # ---- proposals (translator)
    Op("add", "POST", "/api/entries", T, (P("entry", "entry", REQUIRED), P("comment", "str", "")),
       "entry", stricter=_adding_decided, doing="adding entries"),
    Op("add_term", "POST", "/api/entries/{ref}/terms", T,
       (REF, P("term", "term", REQUIRED), VERSION, P("comment", "str", "")), "entry", doing="adding renderings"),
    # ---- decisions (terminologist)
    Op("approve", "POST", "/api/entries/{ref}/approve", R,
       (REF, P("comment", "str", ""), VERSION), "entry", doing="approving"),
    Op("reject", "POST", "/api/entries/{ref}/reject", R,
       (REF, P("reason", "str", REQUIRED), VERSION), "entry", doing="rejecting"),
    Op("set_status", "POST", "/api/entries/{ref}/status", R,
       (REF, P("term", "str", REQUIRED), P("status", "str", REQUIRED), P("lang"), P("note"),
        VERSION), "entry", doing="setting a status"),
    Op("update", "PUT", "/api/entries", R,
       (P("entry", "entry", REQUIRED), P("comment", "str", "")), "entry", doing="editing entries"),
    Op("delete", "DELETE", "/api/entries/{ref}", R, (REF, VERSION, P("comment", "str", "")),
       "none", doing="deleting entries"),
    # ---- administration (admin)
    Op("import_file", "POST", "/api/import", A,
       (P("path", "str", REQUIRED), P("format"), P("on_conflict", "str", "merge"),
        P("dry_run", "bool", False), P("source_name"), P("columns"), P("encoding"),
        P("skip_bad_lines", "bool", False)), "import_report", transfer="upload", doing="importing"),
    Op("backup", "GET", "/api/backup", A, (P("target", "str", REQUIRED),), transfer="download", doing="backing up"),
    Op("doctor", "GET", "/api/doctor", A, doing="checking the database"),
    # ---- translation memory
    Op("tm.match", "GET", "/api/tm/match", V,
       (P("text", "str", REQUIRED), P("limit", "int", 5), P("min_score", "int", 70)),
       "tm_matches"),
    Op("tm.concordance", "GET", "/api/tm/search", V,
       (P("query", "str", REQUIRED), P("limit", "int", 20)), "tm_hits"),
    Op("tm.stats", "GET", "/api/tm/stats", V),
    Op("tm.count", "GET", "/api/tm/count", V),
    Op("tm.unindexed", "GET", "/api/tm/unindexed", V),
    Op("tm.import_file", "POST", "/api/tm/import", A,
       (P("path", "str", REQUIRED), P("format"), P("dry_run", "bool", False),
        P("project", "str", ""), P("source_lang"), P("target_lang")), "tm_report",
       transfer="upload", doing="importing into the TM"),
    Op("tm.export_file", "GET", "/api/tm/export", V, (P("path", "str", REQUIRED),),
       transfer="download"),
)  # fmt: skip

BY_NAME: dict[str, Op] = {op.name: op for op in OPS}
