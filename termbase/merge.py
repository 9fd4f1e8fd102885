"""The import merge planner: how incoming entries meet the ones already stored.

An incoming entry matches an existing one when they share the preferred
Chinese headword (and, when both give pinyin, the same toneless reading,
so that CC-CEDICT's 行 xíng and 行 háng stay two concepts).  Each incoming
entry is then one of:

``new``        no match: stored as it is;
``identical``  a match that the file adds nothing to;
``extended``   a match that gains renderings, contexts or empty fields;
``conflict``   a match where a rendering has another status in the file
               (with ``merge`` the stored status wins and the conflict is
               reported; with ``replace`` the file wins);
``skipped``    a match left alone because of ``--on-conflict skip``;
``proposed``   a match that is *approved*: what the file would change
               (extend or replace) is held as a pending change for a
               reviewer (:func:`termbase.changes.save`), and the approved
               entry stays as it is.

Every import is recorded as a batch (``termbase imports``): the entries it
creates, the history records and the pending changes it writes carry the
batch id, so that the review queue can filter by it and
``termbase import --revert BATCH`` can undo it.

The whole import runs in one transaction.  A dry run takes the same path
and rolls back at the end, so its plan is exactly what a real run does.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from termbase import changes, rules
from termbase.errors import InvalidValueError
from termbase.model import (
    Actor,
    Entry,
    HistoryRecord,
    Review,
    Term,
    TermStatus,
    is_traditional,
)

if TYPE_CHECKING:
    from termbase.store import Store

ON_CONFLICT = ("merge", "skip", "replace")

#: How many plan lines a report keeps (counts are always complete).
MAX_PLAN_LINES = 200

#: An import builds the search-key index in bulk (drops it, appends key rows
#: unindexed, sorts them all once at the end: ``Store.defer_search_index``) once
#: it has written BULK_INDEX_MIN_TERMS new terms and at least BULK_INDEX_SHARE
#: of the terms stored when it began.  A smaller import into a big termbase
#: writes its keys into the index as they come, which costs less than sorting
#: every key row of the termbase again.
BULK_INDEX_MIN_TERMS = 10_000
BULK_INDEX_SHARE = 0.5

#: Incoming entries whose matches are looked up together (a few queries a batch).
LOOKUP_BATCH = 500

#: Label of the progress phase that builds the search index.
INDEX_PHASE = "Building the search index"

#: Allocations between two young-generation garbage collections while an import
#: runs (Python's default: 700). An import keeps a batch's entries and its
#: caches alive, so the collector found next to nothing to free (16 objects
#: after 100,000 units) while each of its full passes walked every long-lived
#: object, jieba's and pypinyin's dictionaries included: ~10 % of the CPU time
#: of a 100,000-unit import. Cycles are still collected, only less often.
IMPORT_GC_THRESHOLD = 50_000


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    origin: str = ""
    dry_run: bool = False
    total: int = 0
    new: int = 0
    identical: int = 0
    extended: int = 0
    conflicts: int = 0
    skipped: int = 0
    replaced: int = 0
    proposed: int = 0
    batch_id: int | None = None
    renderings_added: int = 0
    contexts_added: int = 0
    bad_lines: int = 0  # rows of the file left out with --skip-bad-lines
    plan: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        """Keep a plan line (the first MAX_PLAN_LINES only)."""
        if len(self.plan) < MAX_PLAN_LINES:
            self.plan.append(line)

    def note_entry(self, what: str, entry: Entry, detail: str = "") -> None:
        """Keep the plan line ``what  label detail`` of *entry*, labelled by its
        Chinese headword (the label is only worked out while lines are kept)."""
        if len(self.plan) < MAX_PLAN_LINES:
            label = entry.zh or (entry.terms[0].text if entry.terms else "?")
            self.plan.append(f"{what:<10} {label}{detail}")

    def summary(self) -> str:
        """One line for people: ``120 entries: 100 new, 15 identical, …``."""
        verb = "would import" if self.dry_run else "imported"
        parts = [
            f"{self.new} new",
            f"{self.identical} identical",
            f"{self.extended} extended",
            f"{self.conflicts} with conflicting status",
            f"{self.skipped} skipped",
        ]
        if self.replaced:
            parts.append(f"{self.replaced} replaced")
        if self.proposed:
            parts.append(f"{self.proposed} changes to approved entries held for review")
        if self.bad_lines:
            parts.append(f"{self.bad_lines} bad line{'' if self.bad_lines == 1 else 's'} left out")
        extra = (
            f"; {self.renderings_added} renderings and {self.contexts_added} contexts "
            "added to existing entries"
        )
        if self.batch_id is not None and not self.dry_run:
            extra += f" (import #{self.batch_id})"
        return (
            f"{verb} {self.total} entries from {self.origin or 'input'}: "
            + ", ".join(parts)
            + extra
        )

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _reading(pinyin: str) -> str:
    """Pinyin compared for identity: tones kept, case, spaces and apostrophes ignored."""
    return unicodedata.normalize("NFC", "".join(c for c in pinyin.lower() if c.isalpha()))


def _traditional(entry: Entry) -> str:
    return next((t.text for t in entry.terms if is_traditional(t.lang)), "")


class _Find(Protocol):
    """Where :func:`_match` looks entries up: the store itself, or a batch's look-ups."""

    def entry_id_by_uuid(self, uuid: str) -> int | None: ...
    def entry_ids_by_term(self, text: str, lang_prefix: str) -> list[int]: ...
    def get_entry(self, ref: int | str) -> Entry: ...


def _match_term(entry: Entry) -> tuple[Term, str] | None:
    """The term whose text finds *entry*'s match, and the language prefix it is
    looked up in: the preferred Chinese headword in any Chinese, or (no Chinese)
    the best-status term in its own language."""
    zh_terms = entry.zh_terms
    if zh_terms:
        return zh_terms[0], "zh"
    if not entry.terms:
        return None
    first = min(entry.terms, key=lambda t: t.status.rank)
    return first, first.lang


_UNSET: tuple[Term, str] | None = (Term(""), "")


def _match(find: _Find, entry: Entry, by: tuple[Term, str] | None = _UNSET) -> Entry | None:
    """The stored entry *entry* merges into, or None (*by*: its :func:`_match_term`,
    when already known)."""
    known = find.entry_id_by_uuid(entry.uuid)
    if known is not None:
        return find.get_entry(known)
    if by is _UNSET:
        by = _match_term(entry)
    if by is None:
        return None
    head, prefix = by
    if prefix != "zh":
        # no Chinese: the same preferred term in the same language is the same concept
        ids = find.entry_ids_by_term(head.text, prefix)
        return find.get_entry(ids[0]) if ids else None
    trad = _traditional(entry)
    for entry_id in find.entry_ids_by_term(head.text, "zh"):
        existing = find.get_entry(entry_id)
        ez = existing.zh_terms
        if head.pinyin and ez and ez[0].pinyin and _reading(head.pinyin) != _reading(ez[0].pinyin):
            continue  # another reading: another concept (CC-CEDICT's 行 xíng / háng)
        if trad and _traditional(existing) and trad != _traditional(existing):
            continue  # another traditional form: 干 (乾) is not 干 (幹)
        return existing
    return None


@functools.lru_cache(maxsize=64)
def _like_prefix(prefix: str) -> re.Pattern[str]:
    """SQL ``LIKE 'prefix%'`` as a regular expression (``_`` any character, ASCII
    letters in either case), so that a batch answers as the store would."""
    parts = [".*" if c == "%" else "." if c == "_" else re.escape(c) for c in prefix]
    return re.compile("".join(parts), re.IGNORECASE | re.ASCII | re.DOTALL)


class _Lookups:
    """The match look-ups of a batch of incoming entries, done in a few queries.

    :meth:`prefetch` asks the store once per batch which uuids and term texts
    exist and loads the candidate entries together.  An answer is used only
    while nothing in this import has touched it since: an incoming entry
    whose uuid or term texts belong to an entry added or changed after the
    prefetch, or whose candidates were changed, is matched against the
    store directly, so the result is always what one query per entry gives.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.uuids: dict[str, int] = {}
        self.texts: dict[str, list[tuple[str, int]]] = {}
        self.entries: dict[int, Entry] = {}
        self.dirty_texts: set[str] = set()
        self.dirty_uuids: set[str] = set()
        self.dirty_ids: set[int] = set()
        self.by: dict[int, tuple[Term, str] | None] = {}  # id(entry) -> its _match_term

    def prefetch(self, batch: list[Entry]) -> None:
        """Look up the batch's uuids and the texts :func:`_match` asks for, and load
        the entries those answers name (only rows in the language asked for)."""
        store = self.store
        self.dirty_texts.clear()
        self.dirty_uuids.clear()
        self.dirty_ids.clear()
        self.uuids = store.entry_ids_by_uuids(e.uuid for e in batch)
        asked: dict[str, set[str]] = {}  # text -> language prefixes it is looked up in
        self.by = {id(entry): _match_term(entry) for entry in batch}
        for entry in batch:
            by = self.by[id(entry)] if entry.uuid not in self.uuids else None
            if by is not None:
                asked.setdefault(by[0].text, set()).add(by[1])
        self.texts = store.entry_ids_by_texts(asked)
        ids = set(self.uuids.values())
        for text, rows in self.texts.items():
            likes = [_like_prefix(prefix) for prefix in asked[text]]
            ids.update(entry_id for lang, entry_id in rows if any(m.match(lang) for m in likes))
        self.entries = {e.id: e for e in store.get_entries(sorted(ids)) if e.id is not None}

    def touched(self, entry: Entry) -> None:
        """*entry* was added or changed in this import: its look-ups go to the store."""
        self.dirty_uuids.add(entry.uuid)
        self.dirty_texts.update(t.text for t in entry.terms)
        if entry.id is not None:
            self.dirty_ids.add(entry.id)

    def match(self, entry: Entry) -> Entry | None:
        """:func:`_match` of *entry*, from the batch's look-ups where they are current."""
        by = self.by.get(id(entry), _UNSET)  # an entry of the batch prefetched
        if entry.uuid in self.dirty_uuids or any(t.text in self.dirty_texts for t in entry.terms):
            return _match(self.store, entry, by)
        try:
            return _match(self, entry, by)
        except _Stale:
            return _match(self.store, entry, by)

    # the _Find protocol, answered from the prefetch
    def entry_id_by_uuid(self, uuid: str) -> int | None:
        return self.uuids.get(uuid)

    def entry_ids_by_term(self, text: str, lang_prefix: str) -> list[int]:
        like = _like_prefix(lang_prefix)
        ids: list[int] = []
        for lang, entry_id in self.texts.get(text, ()):
            if like.match(lang) and entry_id not in ids:
                ids.append(entry_id)
        return ids

    def get_entry(self, ref: int | str) -> Entry:
        assert isinstance(ref, int)
        if ref in self.dirty_ids or ref not in self.entries:
            raise _Stale
        return self.entries[ref]


class _Stale(Exception):
    """A prefetched entry was changed since: look it up in the store."""


def _merge_into(existing: Entry, incoming: Entry, report: ImportReport) -> tuple[bool, list[str]]:
    """Merge *incoming* into *existing* in place; returns (changed, conflicts)."""
    changed = False
    conflicts: list[str] = []
    for attr in ("subject", "definition", "definition_zh", "note"):
        if not getattr(existing, attr) and getattr(incoming, attr):
            setattr(existing, attr, getattr(incoming, attr))
            changed = True
    known_sources = {s.key() for s in existing.sources}
    for src in incoming.sources:
        if src.key() not in known_sources:
            existing.sources.append(copy.copy(src))
            known_sources.add(src.key())
            changed = True
    stored: dict[tuple[str, str], Term] = {}
    for t in existing.terms:  # the first of equal terms, as a scan would find it
        stored.setdefault((t.lang.lower(), t.text), t)
    for term in incoming.terms:
        match = stored.get((term.lang.lower(), term.text))
        if match is None:
            new_term = copy.deepcopy(term)
            new_term.id = None
            if (
                new_term.status is TermStatus.PREFERRED
                and rules.preferred_in(existing, term.lang) is not None
            ):
                new_term.status = TermStatus.ADMITTED
                conflicts.append(
                    f"{term.text!r} is preferred in the file; stored as admitted "
                    "because the entry already has a preferred term"
                )
            existing.terms.append(new_term)
            stored.setdefault((new_term.lang.lower(), new_term.text), new_term)
            report.renderings_added += 1
            changed = True
            continue
        if match.status is not term.status:
            conflicts.append(
                f"{term.text!r}: {match.status.value} here, "
                f"{term.status.value} in the file (kept {match.status.value})"
            )
        for attr in ("note", "pos", "pinyin"):
            if not getattr(match, attr) and getattr(term, attr):
                setattr(match, attr, getattr(term, attr))
                changed = True
        if match.source is None and term.source is not None:
            match.source = term.source
            changed = True
        seen = {c.text for c in match.contexts}
        for ctx in term.contexts:
            if ctx.text not in seen:
                match.contexts.append(copy.copy(ctx))
                seen.add(ctx.text)
                report.contexts_added += 1
                changed = True
    return changed, conflicts


def run_import(
    store: Store,
    entries: Iterable[Entry],
    *,
    clock: Callable[[], str],
    actor: Actor | str,
    on_conflict: str = "merge",
    dry_run: bool = False,
    origin: str = "",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import *entries* into *store* in one transaction and report what happened.

    *clock* gives the time of each change and *actor* is who makes them.
    """
    if isinstance(actor, str):
        actor = Actor(actor)
    if on_conflict not in ON_CONFLICT:
        raise InvalidValueError(
            f"unknown --on-conflict {on_conflict!r}; choose one of: {', '.join(ON_CONFLICT)}"
        )
    report = ImportReport(origin=origin, dry_run=dry_run)
    run = _Run(store, clock, actor, origin, on_conflict, report)
    with _fewer_collections(), store.transaction(dry_run=dry_run):
        report.batch_id = store.start_batch(origin, actor.name, clock())
        run.batch.batch_id = report.batch_id
        run.batch.start()
        stream = iter(entries)
        while chunk := list(itertools.islice(stream, LOOKUP_BATCH)):
            run.batch.flush()  # the look-ups see every entry written so far
            run.lookups.prefetch(chunk)
            for incoming in chunk:
                report.total += 1
                run.import_one(incoming)
                if progress is not None:
                    progress(1)
        run.batch.flush()
        if store.search_index_deferred and not dry_run:
            _build_index(store, progress)
        store.finish_batch(report.batch_id, report.as_dict() | {"plan": report.plan[:20]})
        store.add_history(
            HistoryRecord(
                entry_id=None,
                entry_uuid="",
                at=clock(),
                actor=actor.name,
                action="import",
                after=report.as_dict() | {"plan": report.plan[:20]},
                comment=report.summary(),
                batch_id=report.batch_id,
            )
        )
    return report


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Young-generation collections every IMPORT_GC_THRESHOLD allocations until
    the block ends (the thresholds are the process's: restored after)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], IMPORT_GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build_index(store: Store, progress: Callable[[int], None] | None) -> None:
    """Build the search index that the import deferred, as a progress phase of its own."""
    phase = getattr(progress, "phase", None)
    if phase is not None:
        phase(INDEX_PHASE, store.search_keys_to_index())
    store.build_search_index(progress)


class _Batch:
    """New entries waiting to be written together (``Store.insert_entries``).

    Before an incoming entry is matched against the database, the batch is
    written if the entry could match one of its entries (same uuid, or a
    term text in common), so that matching sees exactly what it would see
    had every entry been written at once.  Once the import has written
    enough terms (BULK_INDEX_MIN_TERMS, BULK_INDEX_SHARE), the search-key
    index is built in bulk at the end instead.
    """

    #: New entries written per bulk insert: enough to amortise each insert,
    #: few enough that a batch's rows stay small in memory.
    SIZE = 500

    def __init__(self, store: Store) -> None:
        self.store = store
        self.batch_id: int | None = None  # the import batch that creates them
        self.entries: list[Entry] = []
        self.texts: set[str] = set()
        self.uuids: set[str] = set()
        self.written_terms = 0
        self.bulk_from = BULK_INDEX_MIN_TERMS

    def start(self) -> None:
        """Note the size of the termbase (inside the import's transaction)."""
        self.bulk_from = max(BULK_INDEX_MIN_TERMS, int(self.store.term_count() * BULK_INDEX_SHARE))

    def may_match(self, entry: Entry) -> bool:
        return entry.uuid in self.uuids or any(t.text in self.texts for t in entry.terms)

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.uuids.add(entry.uuid)
        self.texts.update(t.text for t in entry.terms)
        if len(self.entries) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        self.store.insert_entries(self.entries, batch_id=self.batch_id)
        self.written_terms += sum(len(e.terms) for e in self.entries)
        if self.written_terms >= self.bulk_from and not self.store.search_index_deferred:
            self.store.defer_search_index()
        self.entries = []
        self.texts.clear()
        self.uuids.clear()


class _Run:
    """One import: where it writes, as whom, and what it has done so far."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], str],
        actor: Actor,
        origin: str,
        on_conflict: str,
        report: ImportReport,
    ) -> None:
        self.store = store
        self.clock = clock
        self.actor = actor
        self.origin = origin
        self.on_conflict = on_conflict
        self.report = report
        self.batch = _Batch(store)
        self.lookups = _Lookups(store)

    def _save(self, entry: Entry, before: Entry, action: str, comment: str) -> bool:
        """Write a change to a stored entry; False when it was held for review (approved)."""
        report = self.report
        self.lookups.touched(entry)
        held = before.review is Review.APPROVED
        lines = rules.diff(before, entry) if held else []
        if held and not lines:
            return False
        changes.save(
            self.store,
            entry,
            before,
            now=self.clock(),
            actor=self.actor,
            action=action,
            comment=comment,
            batch_id=report.batch_id,
            hold=held,
        )
        if held:
            report.proposed += 1
            label = before.zh or before.terms[0].text
            report.note(f"proposed   {label} (#{before.id}): " + "; ".join(lines))
        return not held

    def import_one(self, incoming: Entry) -> None:
        """Plan and apply one incoming entry."""
        report, batch, actor, origin = self.report, self.batch, self.actor, self.origin
        if not incoming.terms:
            return
        if batch.may_match(incoming):
            batch.flush()
        existing = self.lookups.match(incoming)
        if existing is None:
            incoming.id = None
            rules.validate(incoming)
            rules.fill_pinyin(incoming)
            rules.stamp_new(incoming, self.clock(), actor.name, keep_updated=True)
            batch.add(incoming)
            self.lookups.touched(incoming)
            report.new += 1
            report.note_entry("new", incoming)
            return
        if self.on_conflict == "skip":
            report.skipped += 1
            report.note_entry("skipped", incoming, f" (exists as #{existing.id})")
            return
        if self.on_conflict == "replace":
            before = existing  # not changed in place: the incoming entry replaces it
            incoming.id = existing.id
            incoming.uuid = existing.uuid
            incoming.version = existing.version
            incoming.created_at = existing.created_at
            incoming.created_by = existing.created_by
            incoming.review = existing.review  # a file does not review
            for t in incoming.terms:  # term ids are stable
                same = next(
                    (
                        e
                        for e in existing.terms
                        if e.lang.lower() == t.lang.lower() and e.text == t.text
                    ),
                    None,
                )
                t.id = same.id if same is not None else None
            if self._save(incoming, before, "import-replace", f"replaced from {origin}"):
                report.replaced += 1
                report.note_entry("replaced", incoming, f" (#{existing.id})")
            return
        changed, conflicts = _merge_into(existing, incoming, report)
        if conflicts:
            report.conflicts += 1
            for c in conflicts:
                report.note_entry("conflict", incoming, f" (#{existing.id}): {c}")
        if changed:
            # the store still holds the entry as it was before _merge_into changed it
            # in place (a copy of every matched entry would cost the merge path dearly)
            assert existing.id is not None
            before = self.store.get_entry(existing.id)
            if self._save(existing, before, "import-merge", f"merged from {origin}"):
                report.extended += 1
                report.note_entry("extended", incoming, f" (#{existing.id})")
        elif not conflicts:
            report.identical += 1
