"""Stage one of a fuzzy match: candidates from the index, with an upper bound of their score.

The index keeps, per key (a Chinese character bigram or an English word),
the ascending ids of the pairs that contain it (``tm_postings``), and per
pair its length, its number of distinct keys and its number of punctuation
marks (``tm_meta``).  A query's candidates are the pairs that share enough
of its rarer keys to reach the minimum score; each gets a bound on its
score, and stage two (:meth:`termbase.tm.TranslationMemory.match`) rescores
them best bound first.
"""

from __future__ import annotations

import math
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from termbase.model import Segment
from termbase.tm.keys import EN_MODE, ZH_MODE, index_keys, mark_counts, sides

if TYPE_CHECKING:
    import numpy as np

    from termbase.store.tm import SegmentTables

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
#: Posting sizes remembered between queries before the memo is emptied.
SIZE_CACHE_KEYS = 200_000
#: Pairs with more punctuation marks than this (lists, patterns such as
#: ``\d{4}([/.-]\d{1,2}){2}``) are always bounded when they share a counted
#: key; for the others, stage one's early cut may assume at most this many.
MANY_MARKS = 8
#: Pairs whose stored keys are written per batch while catching up.
KEYS_BATCH = 10_000
#: The per-pair arrays of ``tm_meta`` filled from :func:`index_segment`'s rows.
COLUMNS = ("zh_len", "zh_grams", "en_len", "en_grams")


class CandidateIndex:
    """The candidate index of one store: written as pairs are added, read by stage one."""

    def __init__(self, tables: SegmentTables) -> None:
        self._tables = tables
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_bytes = 0
        self._lengths: dict[str, np.ndarray] = {}
        self._size_cache: dict[str, int] = {}
        self._counts: np.ndarray | None = None

    # ------------------------------------------------------------- writing
    def flush(
        self,
        pending: dict[str, array[int]],
        lengths: list[tuple[int, int, int, int, int]],
        keys: list[tuple[int, str, str]],
    ) -> None:
        """Write a batch of new pairs' postings, stored keys, lengths and mark counts."""
        if pending:
            self._tables.append_postings(pending)
        self._tables.put_keys(keys)
        if not lengths:
            return
        top = max(row[0] for row in lengths)
        ids = [r[0] for r in lengths]
        for col, name in enumerate(COLUMNS, start=1):
            self._set_column(name, ids, [r[col] for r in lengths])
        stored = {ZH_MODE: [k[1] for k in keys], EN_MODE: [k[2] for k in keys]}
        for mode, texts in stored.items():  # one pass over the batch
            self._set_column(f"{mode}_marks", [k[0] for k in keys], mark_counts(texts, mode))
        for name in ("indexed_upto", "keys_upto"):
            self._tables.set_meta(name, str(top).encode())
        self.invalidate()

    def _set_column(self, name: str, ids: list[int], values: Iterable[int] | np.ndarray) -> None:
        """Set the per-pair array *name* of ``tm_meta`` at *ids* (grown as needed)."""
        import numpy as np

        old = self._tables.get_meta(name) or b""
        arr = np.zeros(max(max(ids, default=0) + 1, len(old) // 2), dtype="<u2")
        arr[: len(old) // 2] = np.frombuffer(old, dtype="<u2")
        arr[ids] = np.minimum(np.fromiter(values, dtype=np.int64, count=len(ids)), 65535)
        self._tables.set_meta(name, arr.tobytes())

    def catch_up(self) -> None:
        """Index segments stored without this module (older schema, other writers)."""
        done, keys_done = indexed_upto(self._tables)
        if keys_done < done:
            # pairs indexed before tm_keys existed (schema 3): add their keys
            keys: list[tuple[int, str, str]] = []
            for seg in self._tables.iter_segments(keys_done):
                if (seg.id or 0) > done:
                    break
                index_segment(seg, seg.id or 0, {}, keys)
                if len(keys) >= KEYS_BATCH:
                    self._tables.put_keys(keys)
                    keys.clear()
            self._tables.put_keys(keys)
            self._tables.set_meta("keys_upto", str(done).encode())
        if self._tables.max_segment_id() <= done:
            return
        pending: dict[str, array[int]] = {}
        keys = []
        lengths = [
            index_segment(s, s.id or 0, pending, keys) for s in self._tables.iter_segments(done)
        ]
        self.flush(pending, lengths, keys)

    def stale(self) -> bool:
        """True when pairs are stored that the index (or its stored keys) does
        not cover yet: :meth:`catch_up` must run before a match."""
        done, keys_done = indexed_upto(self._tables)
        return self._tables.max_segment_id() > done or keys_done < done

    def unindexed(self) -> int:
        """How many stored pairs the next match or search will index first
        (written by other code, or before this version's index): a large
        number means a wait worth announcing."""
        done, keys_done = indexed_upto(self._tables)
        newest = self._tables.max_segment_id()
        upto = max(newest - done, 0)
        return upto + self._tables.segment_count(keys_done, done)

    # ------------------------------------------------------------- reading
    def invalidate(self) -> None:
        """Forget every cached array (the index changed)."""
        self._cache.clear()
        self._cache_bytes = 0
        self._size_cache = {}
        self._lengths = {}

    def meta_array(self, name: str) -> np.ndarray:
        """The per-pair array *name* of ``tm_meta`` (lengths, key counts), cached."""
        import numpy as np

        arr = self._lengths.get(name)
        if arr is None:
            raw = self._tables.get_meta(name) or b""
            arr = np.frombuffer(raw, dtype="<u2").astype(np.int32)
            self._lengths[name] = arr
        return arr

    def sizes(self, grams: Iterable[str]) -> dict[str, int]:
        """How many pairs hold each of *grams* (absent grams left out), cached."""
        cache = self._size_cache
        missing = [g for g in grams if g not in cache]
        if missing:
            found = self._tables.posting_sizes(missing)
            for gram in missing:
                cache[gram] = found.get(gram, 0)
            if len(cache) > SIZE_CACHE_KEYS:
                cache.clear()
        return {g: cache[g] for g in grams if cache.get(g)}

    def postings(self, grams: Iterable[str]) -> dict[str, np.ndarray]:
        """The posting arrays of *grams* that occur, from the cache or the store."""
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

    def many_marks(self, mode: str) -> np.ndarray:
        """``many_marks(mode)[id]`` is True for a pair with more than MANY_MARKS marks (cached)."""
        many = self._lengths.get(f"{mode}_many_marks")
        if many is None:
            many = self._lengths[f"{mode}_many_marks"] = (
                self.meta_array(f"{mode}_marks") > MANY_MARKS
            )
        return many

    def candidates(
        self, key: str, grams: frozenset[str], mode: str, min_score: int, marks: int
    ) -> Any:
        """Stage one: candidate ids with an upper bound of their score, best bound first.

        *key* and *grams* are the query's comparison key and index keys
        (:func:`termbase.tm.keys.comparison_key`), *marks* its number of
        punctuation marks (:func:`termbase.tm.keys.mark_counts`).  The score
        (:func:`termbase.tm.keys.unit_score`) counts edits ``d`` of words and
        characters, not of punctuation marks, over the length ``L`` of the
        longer text, marks included.  Keys hold no marks (Chinese bigrams are
        taken with the marks out, English keys are words), and a Levenshtein
        edit removes at most two character bigrams (one word) of a text, so::

            d ≥ (keys(query or pair) − shared) / UNIT      UNIT = 2 (zh), 1 (en)
            d ≥ |words(query) − words(pair)|              (lengths without marks)
            score ≤ 100 × (1 − d / L)

        Keys skipped as too common are assumed shared, so the bound stays an
        upper bound: a pair reaching *min_score* is missed only when it shares
        no looked-up key, which takes a text that is mostly marks.

        Returns:
            ``(ids, bounds)`` numpy arrays sorted by bound, descending.
        """
        import numpy as np

        empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
        if not grams:
            return empty
        lengths = self.meta_array(f"{mode}_len")
        gram_counts = self.meta_array(f"{mode}_grams")
        pair_marks = self.meta_array(f"{mode}_marks")
        sizes = self.sizes(grams)
        if not sizes:
            return empty
        chosen: list[str] = []
        budget = 0
        for gram in sorted(sizes, key=lambda g: (sizes[g], g)):
            if len(chosen) >= RESCUE_GRAMS and budget + sizes[gram] > POSTINGS_BUDGET:
                break
            chosen.append(gram)
            budget += sizes[gram]
        kept = list(self.postings(chosen).values())
        skipped = len(sizes) - len(kept)
        # one counter per pair, kept between queries and cleared where used:
        # a fresh million-entry array per query costs page faults and zeroing
        counts = self._counts
        if counts is None or len(counts) != len(lengths):
            counts = self._counts = np.zeros(len(lengths), dtype=np.uint16)
        for arr in kept:  # ids are unique within one key's postings
            counts[arr[arr < len(counts)]] += 1
        qlen = len(key)
        qwords = qlen - marks
        ratio = max(min_score, 1) / 100
        unit = 2.0 if mode == ZH_MODE else 1.0
        # A pair reaches min_score only if it shares enough keys, whatever its
        # length: at most (words + most marks) / ratio, as d ≤ (1 - ratio) L
        # and d ≥ its words - the query's.  Pairs sharing fewer are never looked at.
        many = self.many_marks(mode)
        most = MANY_MARKS if many.any() else int(pair_marks.max(initial=0))
        longest = max(qlen, (qwords + most) / ratio)
        most_edits = math.floor((1 - ratio) * longest + 1e-9)
        least_shared = math.ceil(len(grams) - unit * most_edits - skipped)
        if least_shared > 1:
            touched = np.concatenate(kept)
            touched = touched[touched < len(counts)]
            # the cut assumes at most `most` marks: pairs with more are kept
            ids = np.unique(touched[(counts[touched] >= least_shared) | many[touched]])
            shared = counts[ids].astype(np.int64)
            counts[touched] = 0
        else:
            ids = np.flatnonzero(counts)
            shared = counts[ids].astype(np.int64)
            counts[ids] = 0
        if ids.size == 0:
            return empty

        def bound(ids: np.ndarray, shared: np.ndarray) -> np.ndarray:
            their_marks = pair_marks[ids]
            missing = np.maximum(len(grams) - shared, gram_counts[ids] - shared).clip(min=0)
            edits = np.maximum(
                np.ceil(missing / unit), np.abs(qwords - (lengths[ids] - their_marks))
            )
            longest = np.maximum(lengths[ids], qlen).astype(np.float64)
            result: np.ndarray = 100 * (1 - edits / longest)
            return result

        bounds = bound(ids, shared + skipped)
        keep = bounds >= min_score - 1e-6
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
            for arr in self.postings(common).values():
                pos = np.searchsorted(arr, ids).clip(max=len(arr) - 1)
                shared += arr[pos] == ids
            bounds = bound(ids, shared + skipped)
            keep = bounds >= min_score - 1e-6
            ids, bounds = ids[keep], bounds[keep]
        order = np.argsort(-bounds, kind="stable")
        return ids[order], bounds[order]


def index_segment(
    seg: Segment,
    seg_id: int,
    pending: dict[str, array[int]],
    keys: list[tuple[int, str, str]],
) -> tuple[int, int, int, int, int]:
    """Add *seg*'s index keys to *pending* and its stored keys to *keys*.

    Returns:
        ``(id, zh_len, zh_grams, en_len, en_grams)`` (:data:`COLUMNS`).
    """
    which = sides(seg)
    out = [seg_id]
    stored = []
    for mode in (ZH_MODE, EN_MODE):
        text = seg.source if which[mode] == "source" else seg.target
        units, grams, kept = index_keys(text, mode)
        for gram in grams:
            ids = pending.get(gram)
            if ids is None:
                ids = pending[gram] = array("i")
            ids.append(seg_id)
        out += [max(len(units), 1), max(len(grams), 1)]
        stored.append(kept)
    keys.append((seg_id, stored[0], stored[1]))
    return out[0], out[1], out[2], out[3], out[4]


def indexed_upto(tables: SegmentTables) -> tuple[int, int]:
    """The highest pair id in the candidate index, and in ``tm_keys``."""
    return _meta_int(tables, "indexed_upto"), _meta_int(tables, "keys_upto")


def _meta_int(tables: SegmentTables, name: str) -> int:
    raw = tables.get_meta(name)
    return int(raw) if raw else 0
