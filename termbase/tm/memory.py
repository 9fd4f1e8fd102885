"""The translation memory: sentence pairs, fuzzy matches, concordance (the memory itself).

Contract (see ``docs/tm.md`` for the scoring model):

* :class:`TranslationMemory` stores Chinese–English sentence pairs in either
  direction; a pair whose source and target equal a stored pair after
  normalisation (NFC, runs of white space collapsed, ends stripped, same
  language tags) is stored once and its ``count`` raised.
* Imports (TMX, XLIFF, PO, CSV/TSV via each format's ``read_segments``) run
  in one transaction; a reader error leaves the memory as before and names
  file, line and column; ``dry_run`` reports without writing.
* :meth:`TranslationMemory.match` is two-stage: candidates from an index of
  Chinese character bigrams / English words, filtered by length and ranked
  by shared keys, then exact rescoring.  The score is the CAT-tool
  percentage ``floor(100 × (1 − distance / max(len_query, len_match)))``,
  where distance is the Levenshtein distance over characters (Chinese) or
  words and punctuation marks (English), compared case- and width-
  insensitively.  100 means the text is identical; text that differs only
  in case, width or spacing scores ``100 − FORMATTING_PENALTY``.
* A Chinese query is compared with the Chinese side of every pair, an
  English query with the English side, so pairs stored in either direction
  serve both.
* :meth:`TranslationMemory.concordance` finds a Chinese substring or an
  English word sequence in either side and returns the hit spans.
"""

from __future__ import annotations

import heapq
import os
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from termbase.errors import InvalidValueError
from termbase.fileio import STDOUT, shown_name
from termbase.lang import HAN
from termbase.model import Segment, is_chinese
from termbase.rules import check_limit, check_query, check_text
from termbase.tm.candidates import CandidateIndex, index_segment
from termbase.tm.keys import (
    WORDS,
    ZH_MODE,
    Analysis,
    DiffPiece,
    _fold,
    analyse,
    comparison_key,
    diff,
    index_keys,
    key_only,
    mark_counts,
    query_mode,
    score,
    segment_hash,
    sides,
    split_marks,
    stored_to_key,
    unit_scores,
)

if TYPE_CHECKING:
    from termbase.recognize import Recognizer
    from termbase.store import Store

#: Pairs an import looks up and writes per batch (one query, one ``executemany``).
IMPORT_BATCH = 1000
#: New pairs whose index rows an import holds in memory (about 1 KB a pair)
#: before it writes them, still inside its one transaction.
INDEX_FLUSH = 50_000
#: Default and floor of the score threshold (percent).
DEFAULT_MIN_SCORE = 70
#: Candidates fetched and rescored per round of stage two.
CANDIDATE_BATCH = 200
#: Stage two never rescores more than this many candidates (a latency cap).
MAX_RESCORED = 2000
#: The CLI and the TUI announce the indexing that a match must do first
#: (pairs written by an older version or another program) from this many pairs.
ANNOUNCE_INDEXING = 10_000
#: Rows read per batch while verifying concordance hits.
CONCORDANCE_BATCH = 200
#: Concordance checks at most this many candidate pairs (a latency cap).
CONCORDANCE_MAX_CHECKED = 20000


# ----------------------------------------------------------------- results
@dataclass
class TermInText:
    """A termbase term found in a text, with its renderings in the other language."""

    text: str
    lang: str
    entry_id: int
    start: int
    end: int
    status: str
    approved: bool
    renderings: list[str] = field(default_factory=list)
    in_translation: bool = False


@dataclass
class TMMatch:
    """A fuzzy match: the stored pair, its score and what differs from the query."""

    score: int
    segment: Segment
    side: str  # which side of the pair was compared: "source" or "target"
    text: str  # that side's text
    translation: str  # the other side
    diff: list[DiffPiece] = field(default_factory=list)
    terms: list[TermInText] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "score": self.score,
            "id": self.segment.id,
            "text": self.text,
            "translation": self.translation,
            "side": self.side,
            "source_lang": self.segment.source_lang,
            "target_lang": self.segment.target_lang,
            "origin": self.segment.origin,
            "project": self.segment.project,
            "creator": self.segment.creator,
            "changed_at": self.segment.changed_at,
            "count": self.segment.count,
            "diff": [{"op": p.op, "query": p.query, "match": p.match} for p in self.diff if p.op],
            "terms": [_term_dict(t) for t in self.terms],
        }


@dataclass
class ConcordanceHit:
    """A stored pair containing the searched phrase, with the spans to highlight."""

    segment: Segment
    side: str
    text: str
    translation: str
    spans: list[tuple[int, int]]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "id": self.segment.id,
            "side": self.side,
            "text": self.text,
            "translation": self.translation,
            "spans": [list(s) for s in self.spans],
            "origin": self.segment.origin,
            "count": self.segment.count,
        }


@dataclass
class TMImportReport:
    """What an import did (or would do, for a dry run)."""

    path: str = ""
    read: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    dry_run: bool = False
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        verb = "would add" if self.dry_run else "added"
        text = (
            f"{self.path}: read {self.read} pairs; {verb} {self.added}, "
            f"{self.duplicates} duplicates counted, {self.skipped} skipped"
        )
        return text + (" (dry run: nothing written)" if self.dry_run else "")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "path": self.path,
            "read": self.read,
            "added": self.added,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "dry_run": self.dry_run,
            "problems": self.problems,
        }


def _term_dict(t: TermInText) -> dict[str, Any]:
    return {
        "text": t.text,
        "lang": t.lang,
        "entry_id": t.entry_id,
        "span": [t.start, t.end],
        "status": t.status,
        "approved": t.approved,
        "renderings": t.renderings,
        "in_translation": t.in_translation,
    }


# ------------------------------------------------------------------- memory
class TranslationMemory:
    """The translation memory of one termbase (``Termbase.tm``).

    Args:
        store: the termbase's store (the pairs live in its file).
        clock: gives the time stamped on new pairs.
        user: the creator recorded on pairs that name none.
        recognizer: gives the termbase's term automaton (for :meth:`terms_in`).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], str],
        user: str,
        recognizer: Callable[[], Recognizer],
    ) -> None:
        self.store = store
        self.clock = clock
        self.user = user
        self.recognizer = recognizer
        self._tables = store.segments
        self._index = CandidateIndex(self._tables)
        self._seen_version: tuple[int, int] | None = None
        self._writes = 0

    # ------------------------------------------------------------- writing
    def add(self, segment: Segment) -> Segment:
        """Store one pair (or count a duplicate); returns it with its id."""
        report = self.import_segments([segment], origin=segment.origin)
        if report.skipped:
            raise InvalidValueError("a translation-memory pair needs a source and a target")
        return segment

    def import_segments(
        self,
        segments: Iterable[Segment],
        *,
        dry_run: bool = False,
        origin: str = "",
        project: str = "",
        progress: Callable[[int], None] | None = None,
    ) -> TMImportReport:
        """Store *segments* in one transaction; returns what happened."""
        report = TMImportReport(path=origin, dry_run=dry_run)
        now = self.clock()
        user = self.user
        try:
            with self.store.transaction(dry_run=dry_run):
                self._index.catch_up()
                pending: dict[str, array[int]] = {}
                lengths: list[tuple[int, int, int, int, int]] = []
                keys: list[tuple[int, str, str]] = []
                batch: list[Segment] = []
                next_id = self._tables.max_segment_id() + 1
                for seg in segments:
                    report.read += 1
                    if progress is not None:
                        progress(1)
                    if not seg.source.strip() or not seg.target.strip():
                        report.skipped += 1
                        if len(report.problems) < 20:
                            report.problems.append(f"pair {report.read}: empty source or target")
                        continue
                    seg.origin = seg.origin or origin
                    seg.project = seg.project or project
                    seg.creator = seg.creator or user
                    seg.created_at = seg.created_at or now
                    seg.changed_at = seg.changed_at or seg.created_at
                    batch.append(seg)
                    if len(batch) >= IMPORT_BATCH:
                        next_id = self._store_batch(batch, next_id, report, pending, lengths, keys)
                        batch.clear()
                        if len(lengths) >= INDEX_FLUSH:  # memory stays bounded
                            self._index.flush(pending, lengths, keys)
                            pending, lengths, keys = {}, [], []
                self._store_batch(batch, next_id, report, pending, lengths, keys)
                self._index.flush(pending, lengths, keys)
        finally:
            self._writes += 1
        return report

    def _store_batch(
        self,
        batch: list[Segment],
        next_id: int,
        report: TMImportReport,
        pending: dict[str, array[int]],
        lengths: list[tuple[int, int, int, int, int]],
        keys: list[tuple[int, str, str]],
    ) -> int:
        """Store *batch* (pairs in file order) and index its new pairs; returns
        the id the next new pair gets.

        The batch's digests are looked up in one query; new pairs are numbered
        here, as SQLite would number them (the highest id plus one, under the
        transaction's write lock), and written with one ``executemany``; a
        pair stored before, or earlier in the batch, raises that pair's count.
        """
        if not batch:
            return next_id
        digests = [segment_hash(seg) for seg in batch]
        known = self._tables.known_hashes(digests)
        new: list[tuple[Segment, str]] = []
        again: list[tuple[Segment, str]] = []
        for seg, digest in zip(batch, digests, strict=True):
            if digest in known:
                again.append((seg, digest))
                report.duplicates += 1
                continue
            known.add(digest)
            seg.id = next_id
            next_id += 1
            new.append((seg, digest))
            lengths.append(index_segment(seg, seg.id, pending, keys))
        report.added += len(new)
        self._tables.insert_segments(new)
        self._tables.count_again(again)
        return next_id

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        format: str | None = None,
        dry_run: bool = False,
        project: str = "",
        progress: Callable[[int], None] | None = None,
        **options: Any,
    ) -> TMImportReport:
        """Import the sentence pairs of a TMX, XLIFF, PO or CSV/TSV file.

        Args:
            path: the file.
            format: format name; default from the content, else the extension.
            dry_run: report what would be stored, write nothing.
            project: project name recorded on pairs that carry none.
            progress: called with 1 per pair read.
            **options: passed to the reader (``source_lang``, ``target_lang`` …).
        """
        from termbase import formats
        from termbase.formats._io import check_readable_file

        p = check_readable_file(path)
        fmt = formats.info(format or formats.guess(p))
        if not fmt.reads_segments:
            pairs = ", ".join(f.name for f in formats.FORMATS if f.reads_segments)
            raise InvalidValueError(
                f"{os.fspath(path)}: the {fmt.name} format holds no sentence pairs; "
                f"a translation memory imports {pairs}"
            )
        segments = fmt.load().read_segments(p, **options)
        report = self.import_segments(
            segments,
            dry_run=dry_run,
            origin=shown_name(p),
            project=project,
            progress=progress,
        )
        report.path = os.fspath(path)
        return report

    def export_file(
        self, path: str | os.PathLike[str], *, force: bool = False, **options: Any
    ) -> int:
        """Write every pair to a TMX 1.4b file (streamed), or XLIFF when *path*
        ends in ``.xlf``/``.xliff``; returns how many.  A glossary ending
        (``.tsv``, ``.csv`` …) is refused rather than given TMX content.

        The same output rules as :meth:`termbase.Termbase.export_file`.
        """
        from termbase import formats
        from termbase.fileio import check_output

        path = check_output(path, databases=[self.store.path], force=force)
        named = formats.by_extension(path, glossary=False) if path != STDOUT else None
        fmt = formats.info(named or "tmx")
        if not fmt.writes_segments:
            pairs = ", ".join(f.name for f in formats.FORMATS if f.writes_segments)
            raise InvalidValueError(
                f"{path}: a translation memory is written as {pairs}, not {fmt.name}; "
                "name the file .tmx (or .xlf)"
            )
        module = fmt.load()
        return int(module.write_segments(self._tables.iter_segments(), path, **options))

    def segments(self) -> Iterator[Segment]:
        """Every stored pair, in the order stored."""
        return self._tables.iter_segments()

    def count(self) -> int:
        """How many pairs are stored."""
        return self._tables.segment_count()

    def stats(self) -> dict[str, Any]:
        """Totals by direction and origin, and the size of the index."""
        return self._tables.counts()

    # ------------------------------------------------------------- indexing
    def unindexed(self) -> int:
        """How many stored pairs the next match or search will index first
        (written by other code, or before this version's index): a large
        number means a wait worth announcing."""
        return self._index.unindexed()

    def indexing_to_announce(self) -> int:
        """:meth:`unindexed` when it is :data:`ANNOUNCE_INDEXING` or more (a wait
        front ends announce), else 0."""
        waiting = self.unindexed()
        return waiting if waiting >= ANNOUNCE_INDEXING else 0

    def reindex(self) -> None:
        """Bring the index up to date with the stored pairs."""
        with self.store.transaction():
            self._index.catch_up()

    def _invalidate(self) -> None:
        """Forget what is cached of the index (it changed, or may have)."""
        self._index.invalidate()
        self._seen_version = None

    def _refresh(self) -> None:
        version = (self._tables.data_version(), self._writes)
        if version == self._seen_version:
            return
        self._invalidate()
        if self._index.stale():
            self.reindex()
        self._seen_version = (self._tables.data_version(), self._writes)

    # ------------------------------------------------------------- matching
    def match(
        self,
        text: str,
        *,
        limit: int = 5,
        min_score: int = DEFAULT_MIN_SCORE,
        with_terms: bool = True,
    ) -> list[TMMatch]:
        """The best stored pairs for *text*, best first.

        Stage two rescores candidates in order of their score bound and stops
        when no remaining candidate can beat the *limit*-th score found (or
        after ``MAX_RESCORED``).

        Args:
            text: a Chinese or English sentence.
            limit: at most this many matches.
            min_score: leave out matches below this percentage (0–100).
            with_terms: list the termbase terms found in each match.
        """
        with WORDS.in_use():
            return self._match(text, limit, min_score, with_terms)

    def _match(self, text: str, limit: int, min_score: int, with_terms: bool) -> list[TMMatch]:
        check_query(text)
        check_limit(limit)
        if not 0 <= min_score <= 100:
            raise InvalidValueError("--min must be a percentage between 0 and 100")
        check_text(text, "text")
        self._refresh()
        mode = query_mode(text)
        key, grams = comparison_key(text, mode)
        query_stored = index_keys(text, mode)[2]  # the query's units as pairs store theirs
        marks = int(mark_counts([query_stored], mode)[0])
        ids, bounds = self._index.candidates(key, grams, mode, min_score, marks)
        scored: list[tuple[int, int]] = []  # (score, id), every candidate at min_score or more
        floor = min_score
        start = 0
        while start < len(ids) and start < MAX_RESCORED:
            if bounds[start] + 1e-6 < floor:  # a float bound is not cut below an integer score
                break
            chunk = [int(i) for i in ids[start : start + CANDIDATE_BATCH]]
            start += CANDIDATE_BATCH
            scored += [
                p
                for p in self._rescore(key, text, query_stored, marks, mode, chunk, floor)
                if p[0] >= min_score
            ]
            if len(scored) >= limit:
                floor = max(floor, heapq.nlargest(limit, scored)[-1][0])
        # ties at the cut: the pair seen more often, then the newer one
        contenders = [p for p in scored if p[0] >= floor]
        seen = self._tables.pair_counts([p[1] for p in contenders]) if contenders else {}
        contenders.sort(key=lambda p: (-p[0], -seen.get(p[1], 1), -p[1]))
        best = contenders[:limit]
        rows = self._tables.get_segments([b[1] for b in best])
        query = analyse(text, mode)
        matches: list[TMMatch] = []
        for points, seg_id in best:
            seg = rows[seg_id]
            side = sides(seg)[mode]
            side_text = seg.source if side == "source" else seg.target
            other = seg.target if side == "source" else seg.source
            match = TMMatch(points, seg, side, side_text, other)
            match.diff = diff(query, text, analyse(side_text, mode), side_text)
            if with_terms:
                match.terms = self.terms_in(side_text, other)
            matches.append(match)
        return matches

    def _rescore(
        self,
        key: str,
        text: str,
        query_stored: str,
        query_mark_count: int,
        mode: str,
        chunk: list[int],
        floor: int,
    ) -> list[tuple[int, int]]:
        """Stage two: ``(score, id)`` of the candidates *chunk* that may reach
        *floor*, from their stored keys (*query_stored*: the query's units in the
        stored form, *query_mark_count*: how many of them are marks).

        Marks cost a fixed penalty, so a candidate is split into words and marks
        (:func:`split_marks`) only when its distance over all units, less every
        mark either text has, leaves it a chance of reaching *floor*.

        Edit distances come from one rapidfuzz call over the batch; only the
        rare pair whose key equals the query's (100 or 99?) or that has no
        stored key is read and scored from its text.
        """
        import numpy as np
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        rows = self._tables.keys(chunk, mode)
        cand_ids = [r[0] for r in rows]
        cand_keys = [stored_to_key(r[1], mode) for r in rows]
        out: list[tuple[int, int]] = []
        slow = set(chunk).difference(cand_ids)  # no stored key (should not happen)
        if cand_keys:
            dist = process.cdist([key], cand_keys, scorer=Levenshtein.distance, dtype=np.int32)[0]
            lens = np.fromiter(map(len, cand_keys), dtype=np.int64, count=len(cand_keys))
            longest = np.maximum(lens, len(key))
            exact = (dist == 0) | (longest == 0)
            slow.update(i for i, e in zip(cand_ids, exact, strict=True) if e)
            marks_either = query_mark_count + mark_counts([r[1] for r in rows], mode)
            best_case = np.floor(
                100 * (1 - np.maximum(dist - marks_either, 0) / np.maximum(longest, 1)) + 1e-9
            )
            near = np.flatnonzero((best_case >= floor) & ~exact)
            if len(near):
                query_bare, query_marks = split_marks(query_stored, mode)
                bare, marks = zip(*[split_marks(rows[j][1], mode) for j in near], strict=True)
                scores = unit_scores(
                    process.cdist([query_bare], bare, scorer=Levenshtein.distance, dtype=np.int32)[
                        0
                    ],
                    process.cdist(
                        [query_marks], marks, scorer=Levenshtein.distance, dtype=np.int32
                    )[0],
                    longest[near],
                )  # marks cost a fixed penalty, as in unit_score
                out = [(int(p), cand_ids[j]) for p, j in zip(scores, near, strict=True)]
        if slow:
            for seg_id, src_lang, tgt_lang, source, target, _count in self._tables.texts(
                sorted(slow)
            ):
                side = sides(Segment(source, target, src_lang, tgt_lang))[mode]
                side_text = source if side == "source" else target
                out.append((score(key, text, key_only(side_text, mode), side_text), seg_id))
        return out

    # ---------------------------------------------------------- concordance
    def concordance(self, query: str, *, limit: int = 20) -> list[ConcordanceHit]:
        """Stored pairs whose Chinese side contains *query* (Chinese) or whose
        English side contains its words in sequence (English), newest first."""
        check_query(query)
        check_limit(limit)
        check_text(query, "query")
        with WORDS.in_use():
            return self._concordance(query, limit)

    def _concordance(self, query: str, limit: int) -> list[ConcordanceHit]:
        import numpy as np

        self._refresh()
        mode = query_mode(query)
        wanted = analyse(query, mode)
        hits: list[ConcordanceHit] = []
        grams = wanted.grams
        if mode == ZH_MODE and len(wanted.key) == 1:
            ids = np.array(self._tables.like_ids(query.strip(), limit * 20), dtype=np.int64)
        else:
            found = self._index.postings(grams)
            if len(found) < len(grams) or not grams:
                return []
            ordered = sorted(found.values(), key=len)
            ids = ordered[0]
            for arr in ordered[1:]:
                ids = np.intersect1d(ids, arr, assume_unique=True)
                if ids.size == 0:
                    return []
            ids = ids[::-1]
        for start in range(0, min(len(ids), CONCORDANCE_MAX_CHECKED), CONCORDANCE_BATCH):
            chunk = [int(i) for i in ids[start : start + CONCORDANCE_BATCH]]
            rows = self._tables.get_segments(chunk)
            for seg_id in chunk:
                seg = rows.get(seg_id)
                if seg is None:
                    continue
                hit = _concordance_hit(seg, mode, wanted)
                if hit is not None:
                    hits.append(hit)
                    if len(hits) >= limit:
                        return hits
        return hits

    # ---------------------------------------------------------------- terms
    def terms_in(self, text: str, translation: str = "") -> list[TermInText]:
        """Termbase terms found in *text*, with their renderings in the other language."""
        found = self.recognizer().find(text)
        ids = sorted({i for m in found for i in m.entry_ids})
        entries = {e.id: e for e in self.store.get_entries(ids)}
        other = _fold(translation)
        hits: list[TermInText] = []
        for m in found:
            for entry_id in m.entry_ids:
                entry = entries.get(entry_id)
                if entry is None:
                    continue
                hit = _hit_from_entry(entry, m.start, m.end, text[m.start : m.end], other)
                if hit is not None:
                    hits.append(hit)
        return hits


def _concordance_hit(seg: Segment, mode: str, wanted: Analysis) -> ConcordanceHit | None:
    side = sides(seg)[mode]
    text = seg.source if side == "source" else seg.target
    other = seg.target if side == "source" else seg.source
    if wanted.key not in key_only(text, mode):
        return None
    have = analyse(text, mode)
    spans: list[tuple[int, int]] = []
    n = len(wanted.key)
    pos = have.key.find(wanted.key)
    while pos >= 0 and n:
        spans.append((have.spans[pos][0], have.spans[pos + n - 1][1]))
        pos = have.key.find(wanted.key, pos + n)
    if not spans:
        return None
    return ConcordanceHit(seg, side, text, other, spans)


def _hit_from_entry(
    entry: Any, start: int, end: int, written: str, other: str
) -> TermInText | None:
    """A :class:`TermInText` for *written* found at *start*–*end*, from its entry."""
    want_zh = not bool(HAN.search(written))
    same = [t for t in entry.terms if is_chinese(t.lang) != want_zh]
    folded = _fold(written)
    term = next((t for t in same if _fold(t.text) == folded), same[0] if same else None)
    if term is None or term.status.value in ("deprecated", "superseded"):
        return None
    rank = {"preferred": 0, "admitted": 1}
    renderings = [
        t.text
        for t in sorted(entry.terms, key=lambda t: rank.get(t.status.value, 9))
        if is_chinese(t.lang) == want_zh and t.status.value in rank and t.lang.lower() != "zh-hant"
    ]
    return TermInText(
        text=written,
        lang=term.lang,
        entry_id=entry.id,
        start=start,
        end=end,
        status=term.status.value,
        approved=entry.review.value == "approved",
        renderings=renderings,
        in_translation=any(_fold(r) in other for r in renderings),
    )
