"""The translation memory: sentence pairs, fuzzy matches, concordance.

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

import hashlib
import heapq
import math
import os
import re
import unicodedata
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from termbase.errors import InvalidValueError
from termbase.lang import HAN
from termbase.model import Segment, is_chinese

if TYPE_CHECKING:
    import numpy as np

    from termbase.recognize import Recognizer
    from termbase.store import Store
    from termbase.store.tm import SegmentTables

# ------------------------------------------------------------ named constants
#: Points taken off when texts differ only in case, character width or spacing.
FORMATTING_PENALTY = 1
#: Default and floor of the score threshold (percent).
DEFAULT_MIN_SCORE = 70
#: Candidates fetched and rescored per round of stage two.
CANDIDATE_BATCH = 200
#: Stage two never rescores more than this many candidates (a latency cap).
MAX_RESCORED = 2000
#: Stage one counts shared keys over the query's rarest keys only, adding
#: keys (rarest first) while their posting lists hold at most this many ids
#: in total; the commoner keys (发展, "the") are assumed shared, so the score
#: bound stays an upper bound.  The exact rescoring still sees every unit.
POSTINGS_BUDGET = 100_000
#: ... but at least this many keys are always counted.
RESCUE_GRAMS = 4
#: The candidates with the best bounds, at most this many, then have their
#: bound made exact by looking the common keys up for them alone; the rest
#: are dropped.
REFINE_LIMIT = 5000
#: Keys in more pairs than this are not looked up while refining (assumed shared).
REFINE_MAX_POSTINGS = 100_000
#: Bytes of posting arrays kept in memory between queries.
POSTINGS_CACHE_BYTES = 256 * 1024 * 1024
#: The CLI and the TUI announce the indexing that a match must do first
#: (pairs written by an older version or another program) from this many pairs.
ANNOUNCE_INDEXING = 10_000
#: Rows read per batch while verifying concordance hits.
CONCORDANCE_BATCH = 200
#: Concordance checks at most this many candidate pairs (a latency cap).
CONCORDANCE_MAX_CHECKED = 20000

ZH_MODE = "zh"
EN_MODE = "en"

_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_SPACE = re.compile(r"\s+")
_VOCAB: dict[str, str] = {}
_VOCAB_BASE = 0x100
_VOCAB_SIZE = 0x110000 - _VOCAB_BASE


# ------------------------------------------------------------------ analysis
@dataclass(frozen=True)
class Analysis:
    """A text reduced to what scoring compares.

    Attributes:
        key: one character per unit (a Chinese character, or an English word
            or punctuation mark encoded as one character), normalised.
        spans: ``(start, end)`` of each unit in the original text.
        grams: the index keys of the text.
    """

    key: str
    spans: tuple[tuple[int, int], ...]
    grams: frozenset[str]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _word_char(word: str) -> str:
    code = _VOCAB.get(word)
    if code is None:
        code = chr(_VOCAB_BASE + len(_VOCAB) % _VOCAB_SIZE)
        _VOCAB[word] = code
    return code


def analyse(text: str, mode: str) -> Analysis:
    """Comparison key, unit spans and index keys of *text* in *mode* (``zh``/``en``)."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    grams: set[str] = set()
    if mode == ZH_MODE:
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            for folded in _fold(ch):
                if not folded.isspace():
                    chars.append(folded)
                    spans.append((i, i + 1))
        if len(chars) == 1:
            grams.add("z " + chars[0])
        grams.update("z " + chars[i] + chars[i + 1] for i in range(len(chars) - 1))
    else:
        for m in _WORD.finditer(text):
            word = _fold(m.group())
            chars.append(_word_char(word))
            spans.append(m.span())
            if word[0].isalnum() or word[-1].isalnum():
                grams.add("e " + word)
    return Analysis("".join(chars), tuple(spans), frozenset(grams))


def key_only(text: str, mode: str) -> str:
    """The comparison key of :func:`comparison_key` without the index keys (faster)."""
    folded = _fold(text)
    if mode == ZH_MODE:
        return _SPACE.sub("", folded)
    vocab = _VOCAB
    return "".join([vocab.get(w) or _word_char(w) for w in _WORD.findall(folded)])


def comparison_key(text: str, mode: str) -> tuple[str, frozenset[str]]:
    """The comparison key and index keys of *text*, fast (no spans).

    Same units as :func:`analyse`: Chinese characters without white space,
    or English words and punctuation marks, NFKC-normalised and case-folded.
    """
    key, grams, _stored = _keys(text, mode)
    return key, grams


def _keys(text: str, mode: str) -> tuple[str, frozenset[str], str]:
    """:func:`comparison_key` plus the form kept in ``tm_keys`` (see :func:`stored_to_key`)."""
    folded = _fold(text)
    if mode == ZH_MODE:
        key = _SPACE.sub("", folded)
        if len(key) == 1:
            return key, frozenset(("z " + key,)), key
        return key, frozenset(["z " + key[i : i + 2] for i in range(len(key) - 1)]), key
    words = _WORD.findall(folded)
    key = "".join([_word_char(w) for w in words])
    grams = frozenset(["e " + w for w in words if w[0].isalnum() or w[-1].isalnum()])
    return key, grams, " ".join(words)


def stored_to_key(stored: str, mode: str) -> str:
    """The comparison key from its stored form.

    A Chinese key is stored as it is; an English one as its case-folded
    words joined by spaces (no word holds a space), because the one
    character per word of a key is numbered per process.
    """
    if mode == ZH_MODE or not stored:
        return stored
    vocab = _VOCAB
    return "".join([vocab.get(w) or _word_char(w) for w in stored.split(" ")])


def normalise(text: str) -> str:
    """NFC, white space collapsed and stripped: the identity used for duplicates."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def segment_hash(seg: Segment) -> str:
    """The de-duplication key of a pair: languages plus normalised texts."""
    parts = (
        seg.source_lang.lower(),
        seg.target_lang.lower(),
        normalise(seg.source),
        normalise(seg.target),
    )
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def query_mode(text: str) -> str:
    """``zh`` when *text* contains a Han character, else ``en``."""
    return ZH_MODE if HAN.search(text) else EN_MODE


def sides(seg: Segment) -> dict[str, str]:
    """Which side of *seg* is compared with Chinese and with English queries.

    Returns:
        ``{"zh": "source"|"target", "en": "source"|"target"}``; a side is
        Chinese when its language tag is (else when its text has Han characters).
    """
    src_zh = is_chinese(seg.source_lang) if seg.source_lang else bool(HAN.search(seg.source))
    tgt_zh = is_chinese(seg.target_lang) if seg.target_lang else bool(HAN.search(seg.target))
    if tgt_zh and not src_zh:
        return {ZH_MODE: "target", EN_MODE: "source"}
    if src_zh and not tgt_zh:
        return {ZH_MODE: "source", EN_MODE: "target"}
    return {ZH_MODE: "source", EN_MODE: "source" if not src_zh else "target"}


def score(query_key: str, query_text: str, match_key: str, match_text: str) -> int:
    """The CAT-tool percentage of a match for a query, from their comparison keys."""
    from rapidfuzz.distance import Levenshtein

    longest = max(len(query_key), len(match_key))
    if longest == 0:
        return 100 if query_text.strip() == match_text.strip() else 0
    distance = Levenshtein.distance(query_key, match_key)
    if distance == 0:
        return 100 if query_text.strip() == match_text.strip() else 100 - FORMATTING_PENALTY
    return min(99, math.floor(100 * (1 - distance / longest) + 1e-9))


# ----------------------------------------------------------------- results
@dataclass
class DiffPiece:
    """One stretch of the alignment between a query and a match.

    ``op`` is ``equal``, ``replace``, ``delete`` (only in the query) or
    ``insert`` (only in the match); spans index the original texts.
    """

    op: str
    query: str
    match: str
    query_span: tuple[int, int]
    match_span: tuple[int, int]


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
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_bytes = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._size_cache: dict[str, int] = {}
        self._seen_version: tuple[int, int] | None = None
        self._writes = 0
        self._counts: np.ndarray | None = None

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
                self._catch_up()
                pending: dict[str, array[int]] = {}
                lengths: list[tuple[int, int, int, int, int]] = []
                keys: list[tuple[int, str, str]] = []
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
                    new_id = self._tables.upsert_segment(seg, segment_hash(seg))
                    if new_id is None:
                        report.duplicates += 1
                        continue
                    seg.id = new_id
                    report.added += 1
                    lengths.append(_index_segment(seg, new_id, pending, keys))
                self._flush(pending, lengths, keys)
        finally:
            self._writes += 1
        return report

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
            origin=os.path.basename(os.fspath(p)),
            project=project,
            progress=progress,
        )
        report.path = os.fspath(path)
        return report

    def export_file(
        self, path: str | os.PathLike[str], *, force: bool = False, **options: Any
    ) -> int:
        """Write every pair to a TMX 1.4b file (streamed); returns how many.

        The same output rules as :meth:`termbase.Termbase.export_file`.
        """
        from termbase import formats
        from termbase.fileio import check_output

        path = check_output(path, databases=[self.store.path], force=force)
        module = formats.get("tmx")
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
    def _flush(
        self,
        pending: dict[str, array[int]],
        lengths: list[tuple[int, int, int, int, int]],
        keys: list[tuple[int, str, str]],
    ) -> None:
        import numpy as np

        if pending:
            self._tables.append_postings(pending)
        self._tables.put_keys(keys)
        if not lengths:
            return
        top = max(row[0] for row in lengths)
        ids = np.fromiter((r[0] for r in lengths), dtype=np.int64, count=len(lengths))
        for col, name in enumerate(("zh_len", "zh_grams", "en_len", "en_grams"), start=1):
            old = self._tables.get_meta(name) or b""
            arr = np.zeros(max(top + 1, len(old) // 2), dtype="<u2")
            arr[: len(old) // 2] = np.frombuffer(old, dtype="<u2")
            values = np.fromiter((r[col] for r in lengths), dtype=np.int64, count=len(lengths))
            arr[ids] = np.minimum(values, 65535)
            self._tables.set_meta(name, arr.tobytes())
        self._tables.set_meta("indexed_upto", str(top).encode())
        self._tables.set_meta("keys_upto", str(top).encode())
        self._invalidate()

    def _catch_up(self) -> None:
        """Index segments stored without this module (older schema, other writers)."""
        done, keys_done = _indexed_upto(self._tables)
        if keys_done < done:
            # pairs indexed before tm_keys existed (schema 3): add their keys
            keys: list[tuple[int, str, str]] = []
            for seg in self._tables.iter_segments(keys_done):
                if (seg.id or 0) > done:
                    break
                _index_segment(seg, seg.id or 0, {}, keys)
                if len(keys) >= 10_000:
                    self._tables.put_keys(keys)
                    keys.clear()
            self._tables.put_keys(keys)
            self._tables.set_meta("keys_upto", str(done).encode())
        if self._tables.max_segment_id() <= done:
            return
        pending: dict[str, array[int]] = {}
        keys = []
        lengths = [
            _index_segment(s, s.id or 0, pending, keys) for s in self._tables.iter_segments(done)
        ]
        self._flush(pending, lengths, keys)

    def indexing_to_announce(self) -> int:
        """:meth:`unindexed` when it is :data:`ANNOUNCE_INDEXING` or more (a wait
        front ends announce), else 0."""
        waiting = self.unindexed()
        return waiting if waiting >= ANNOUNCE_INDEXING else 0

    def unindexed(self) -> int:
        """How many stored pairs the next match or search will index first
        (written by other code, or before this version's index): a large
        number means a wait worth announcing."""
        done, keys_done = _indexed_upto(self._tables)
        newest = self._tables.max_segment_id()
        upto = max(newest - done, 0)
        return upto + self._tables.segment_count(keys_done, done)

    def reindex(self) -> None:
        """Bring the index up to date with the stored pairs."""
        with self.store.transaction():
            self._catch_up()

    def _invalidate(self) -> None:
        self._cache.clear()
        self._cache_bytes = 0
        self._size_cache = {}
        self._lengths = {}
        self._seen_version = None

    def _refresh(self) -> None:
        version = (self._tables.data_version(), self._writes)
        if version == self._seen_version:
            return
        self._invalidate()
        done, keys_done = _indexed_upto(self._tables)
        if self._tables.max_segment_id() > done or keys_done < done:
            self.reindex()
        self._seen_version = (self._tables.data_version(), self._writes)

    def _meta_array(self, name: str) -> np.ndarray:
        import numpy as np

        arr = self._lengths.get(name)
        if arr is None:
            raw = self._tables.get_meta(name) or b""
            arr = np.frombuffer(raw, dtype="<u2").astype(np.int32)
            self._lengths[name] = arr
        return arr

    def _sizes(self, grams: Iterable[str]) -> dict[str, int]:
        """How many pairs hold each of *grams* (absent grams left out), cached."""
        cache = self._size_cache
        missing = [g for g in grams if g not in cache]
        if missing:
            found = self._tables.posting_sizes(missing)
            for gram in missing:
                cache[gram] = found.get(gram, 0)
            if len(cache) > 200_000:
                cache.clear()
        return {g: cache[g] for g in grams if cache.get(g)}

    def _postings(self, grams: Iterable[str]) -> dict[str, np.ndarray]:
        import numpy as np

        found: dict[str, np.ndarray] = {}
        missing = []
        for gram in grams:
            arr = self._cache.get(gram)
            if arr is None:
                missing.append(gram)
            else:
                self._cache.move_to_end(gram)
                found[gram] = arr
        for gram, blob in self._tables.postings(missing).items():
            arr = np.frombuffer(blob, dtype="<i4")
            found[gram] = arr
            self._cache[gram] = arr
            self._cache_bytes += arr.nbytes
        while self._cache_bytes > POSTINGS_CACHE_BYTES and self._cache:
            _, old = self._cache.popitem(last=False)
            self._cache_bytes -= old.nbytes
        return found

    # ------------------------------------------------------------- matching
    def candidates(self, key: str, grams: frozenset[str], mode: str, min_score: int) -> Any:
        """Stage one: candidate ids with an upper bound of their score, best bound first.

        A Levenshtein edit removes at most two character bigrams (one word)
        of a text, so ``d ≥ (distinct keys of either text − shared) / UNIT``
        and ``score ≤ 100 × (1 − d / max length)``.  Keys skipped as too
        common are assumed shared, so the bound stays an upper bound.

        Returns:
            ``(ids, bounds)`` numpy arrays sorted by bound, descending.
        """
        import numpy as np

        empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
        if not grams:
            return empty
        lengths = self._meta_array(f"{mode}_len")
        gram_counts = self._meta_array(f"{mode}_grams")
        sizes = self._sizes(grams)
        if not sizes:
            return empty
        chosen: list[str] = []
        budget = 0
        for gram in sorted(sizes, key=lambda g: (sizes[g], g)):
            if len(chosen) >= RESCUE_GRAMS and budget + sizes[gram] > POSTINGS_BUDGET:
                break
            chosen.append(gram)
            budget += sizes[gram]
        kept = list(self._postings(chosen).values())
        skipped = len(sizes) - len(kept)
        # one counter per pair, kept between queries and cleared where used:
        # a fresh million-entry array per query costs page faults and zeroing
        counts = self._counts
        if counts is None or len(counts) != len(lengths):
            counts = self._counts = np.zeros(len(lengths), dtype=np.uint16)
        for arr in kept:  # ids are unique within one key's postings
            counts[arr[arr < len(counts)]] += 1
        qlen = len(key)
        ratio = max(min_score, 1) / 100
        unit = 2.0 if mode == ZH_MODE else 1.0
        # A pair reaches min_score only if it shares enough keys, whatever its
        # length (at most qlen / ratio): the bound below with the longest
        # admissible length.  Pairs sharing fewer are never looked at.
        most_edits = math.floor((1 - ratio) * qlen / ratio + 1e-9)
        least_shared = math.ceil(len(grams) - unit * most_edits - skipped)
        if least_shared > 1:
            touched = np.concatenate(kept)
            touched = touched[touched < len(counts)]
            ids = np.unique(touched[counts[touched] >= least_shared])
            shared = counts[ids].astype(np.int64)
            counts[touched] = 0
        else:
            ids = np.flatnonzero(counts)
            shared = counts[ids].astype(np.int64)
            counts[ids] = 0
        cand_len = lengths[ids]
        fits = (cand_len >= math.ceil(qlen * ratio - 1e-9)) & (cand_len <= qlen / ratio + 1e-9)
        ids, shared = ids[fits], shared[fits]
        if ids.size == 0:
            return empty

        def bound(ids: np.ndarray, shared: np.ndarray) -> np.ndarray:
            missing = np.maximum(len(grams) - shared, gram_counts[ids] - shared).clip(min=0)
            longest = np.maximum(lengths[ids], qlen).astype(np.float64)
            result: np.ndarray = 100 * (1 - np.ceil(missing / unit) / longest)
            return result

        bounds = bound(ids, shared + skipped)
        keep = bounds >= min_score
        ids, bounds, shared = ids[keep], bounds[keep], shared[keep]
        if skipped and ids.size:
            # refine the most promising: look the common keys up for them only
            if ids.size > REFINE_LIMIT:
                top = np.argpartition(-bounds, REFINE_LIMIT - 1)[:REFINE_LIMIT]
                top.sort()  # ids ascending: the look-ups below walk the arrays in order
                ids, shared = ids[top], shared[top]
            shared = shared.copy()
            taken = set(chosen)
            common = [g for g in sizes if g not in taken and sizes[g] <= REFINE_MAX_POSTINGS]
            skipped -= len(common)
            for arr in self._postings(common).values():
                pos = np.searchsorted(arr, ids).clip(max=len(arr) - 1)
                shared += arr[pos] == ids
            bounds = bound(ids, shared + skipped)
            keep = bounds >= min_score
            ids, bounds = ids[keep], bounds[keep]
        order = np.argsort(-bounds, kind="stable")
        return ids[order], bounds[order]

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
        if limit < 1:
            raise InvalidValueError("--limit must be at least 1")
        if not 0 <= min_score <= 100:
            raise InvalidValueError("--min must be a percentage between 0 and 100")
        self._refresh()
        mode = query_mode(text)
        key, grams = comparison_key(text, mode)
        ids, bounds = self.candidates(key, grams, mode, min_score)
        scored: list[tuple[int, int]] = []  # (score, id), every candidate at min_score or more
        floor = min_score
        start = 0
        while start < len(ids) and start < MAX_RESCORED:
            if bounds[start] < floor:
                break
            chunk = [int(i) for i in ids[start : start + CANDIDATE_BATCH]]
            start += CANDIDATE_BATCH
            scored += [p for p in self._rescore(key, text, mode, chunk) if p[0] >= min_score]
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

    def _rescore(self, key: str, text: str, mode: str, chunk: list[int]) -> list[tuple[int, int]]:
        """Stage two: ``(score, id)`` of the candidates *chunk*, from their stored keys.

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
            points = np.minimum(
                np.floor(100 * (1 - dist / np.maximum(longest, 1)) + 1e-9), 99
            ).astype(np.int64)
            out = [(int(p), i) for p, i, e in zip(points, cand_ids, exact, strict=True) if not e]
            slow.update(i for i, e in zip(cand_ids, exact, strict=True) if e)
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
        if not query.strip():
            raise InvalidValueError("give a word or phrase to search for")
        if limit < 1:
            raise InvalidValueError("--limit must be at least 1")
        import numpy as np

        self._refresh()
        mode = query_mode(query)
        wanted = analyse(query, mode)
        hits: list[ConcordanceHit] = []
        grams = wanted.grams
        if mode == ZH_MODE and len(wanted.key) == 1:
            ids = np.array(self._tables.like_ids(query.strip(), limit * 20), dtype=np.int64)
        else:
            found = self._postings(grams)
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


def _index_segment(
    seg: Segment,
    seg_id: int,
    pending: dict[str, array[int]],
    keys: list[tuple[int, str, str]],
) -> tuple[int, int, int, int, int]:
    """Add *seg*'s index keys to *pending* and its stored keys to *keys*.

    Returns:
        ``(id, zh_len, zh_grams, en_len, en_grams)``.
    """
    which = sides(seg)
    out = [seg_id]
    stored = []
    for mode in (ZH_MODE, EN_MODE):
        text = seg.source if which[mode] == "source" else seg.target
        key, grams, kept = _keys(text, mode)
        for gram in grams:
            ids = pending.get(gram)
            if ids is None:
                ids = pending[gram] = array("i")
            ids.append(seg_id)
        out += [max(len(key), 1), max(len(grams), 1)]
        stored.append(kept)
    keys.append((seg_id, stored[0], stored[1]))
    return out[0], out[1], out[2], out[3], out[4]


def _indexed_upto(tables: SegmentTables) -> tuple[int, int]:
    """The highest pair id in the candidate index, and in ``tm_keys``."""
    raw = tables.get_meta("indexed_upto")
    done = int(raw) if raw else 0
    raw = tables.get_meta("keys_upto")
    return done, int(raw) if raw else 0


def diff(query: Analysis, query_text: str, match: Analysis, match_text: str) -> list[DiffPiece]:
    """Alignment of *query* and *match* as pieces of the original texts."""
    from rapidfuzz.distance import Levenshtein

    pieces: list[DiffPiece] = []

    def cut(text: str, spans: tuple[tuple[int, int], ...], a: int, b: int) -> tuple[int, int]:
        if a >= b:
            pos = spans[a][0] if a < len(spans) else len(text)
            return (pos, pos)
        return (spans[a][0], spans[b - 1][1])

    for op in Levenshtein.opcodes(query.key, match.key):
        qs = cut(query_text, query.spans, op.src_start, op.src_end)
        ms = cut(match_text, match.spans, op.dest_start, op.dest_end)
        if op.tag != "equal" and pieces and pieces[-1].op != "equal":
            last = pieces.pop()  # one change, not a run of small ones
            qs, ms = (last.query_span[0], qs[1]), (last.match_span[0], ms[1])
        tag = op.tag
        if tag != "equal":
            tag = "replace" if qs[0] < qs[1] and ms[0] < ms[1] else tag
            tag = "insert" if qs[0] == qs[1] else "delete" if ms[0] == ms[1] else tag
        pieces.append(DiffPiece(tag, query_text[qs[0] : qs[1]], match_text[ms[0] : ms[1]], qs, ms))
    return pieces


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
