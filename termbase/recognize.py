"""Term recognition: every known term in a text, in one pass.

Contract:

* :class:`Recognizer` holds two Aho-Corasick automata (``daachorse``'s
  character-wise double array, leftmost-longest): one over the folded
  Chinese terms (simplified and traditional, no word boundaries), one over
  English terms written as sequences of Snowball stems (so "ensuring
  national securities" finds "ensure national security"), where a match
  must start and end on a word boundary.
* Chinese text is folded *position-preservingly* (width, case, dashes,
  traditional → simplified, character by character, derived from
  :func:`termbase.lang.fold_zh`), so match offsets are offsets into the
  original text.
* Longest match first: a term inside a longer matched term is not reported.
* A Chinese-side term that begins or ends with a Latin letter or digit
  ("B超", "卡拉OK", "DNA") matches only where the text's Latin word begins
  or ends too (the automaton reads Latin letters marked by their place in
  a word, see :func:`zh_view`): no "DNA" inside "ADNAX".
* :meth:`Recognizer.find_units` searches many units (lines, segments) in
  one pass, offsets per unit; no match crosses from one unit to the next.
* Built automata are cached beside the database (``<db>.terms-automaton``:
  a JSON header, daachorse's own serialisation and plain integer arrays;
  never pickle, so a planted cache file cannot run code) and reused while
  the terms table is unchanged (key: count and largest id of terms; count,
  largest id, sum of versions and rejected count of entries).  Rejected
  entries are left out.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import hashlib
import json
import logging
import operator
import os
import re
import struct
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, count, repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from termbase.lang import en as _en
from termbase.lang.positions import (
    HAS_LATIN_OR_FORMS,
    fold_keep_length,
    fold_table,
    latin_forms,
    zh_view,
)
from termbase.model import is_chinese, is_english

if TYPE_CHECKING:
    from termbase.store import Store

#: Bumped when the cache layout changes.
CACHE_MAGIC = b"termbase-automaton\n"
CACHE_VERSION = 3

#: The library reports through logging, never by printing (without a logging
#: configuration, Python shows warnings on stderr).
_log = logging.getLogger(__name__)

_EN_TOKEN = re.compile("[A-Za-z0-9]+(?:['’][A-Za-z]+)?|\x00")


class Match(NamedTuple):
    """One term occurrence: ``text[start:end]`` is the term as written.

    A named tuple rather than a dataclass: match-dense text yields a
    match every few characters, and a tuple is built three times faster
    than an object with an ``__init__``.  Matches of the same term share
    one ``entry_ids`` tuple.
    """

    start: int
    end: int
    text: str
    lang: str  # "zh" or "en": which side of the termbase matched
    entry_ids: tuple[int, ...]


@dataclass
class BuildInfo:
    """How the automaton was obtained (for ``--stats`` and the benchmark)."""

    terms: int = 0
    patterns: int = 0
    seconds: float = 0.0
    cached: bool = False
    cache_path: str = ""
    cache_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def en_key(text: str) -> str:
    """English pattern key: Snowball stems joined by spaces (``"ensur nation secur"``)."""
    return " ".join(_en.stems(text))


@functools.lru_cache(maxsize=100_000)
def _token_stem(token: str) -> str:
    """Stem of one token of :data:`_EN_TOKEN` (a joint between units stays a joint)."""
    if token == _JOINT:
        return token
    word = token.replace("’", "'").lower()
    if word.endswith("'s"):
        word = word[:-2]
    return _en.stem(word)


def _en_tokens(text: str) -> tuple[str, list[tuple[int, int]], list[int]]:
    """Stem string of *text*, the original span of each word, and each word's offset.

    A joint between units (:meth:`Recognizer.find_units`) is a token of its
    own that no pattern holds, so no English match crosses it.  The loops
    over every word run in C (``map``); stems are cached per word form.
    """
    found = list(_EN_TOKEN.finditer(text))
    stems = list(map(_token_stem, map(_group, found)))
    spans = list(map(_span, found))
    offsets = list(accumulate(map(operator.add, map(len, stems), repeat(1)), initial=0))
    offsets.pop()
    return " ".join(stems), spans, offsets


_group = operator.methodcaller("group")
_span = operator.methodcaller("span")


class _Ids:
    """Entry ids per pattern, compact: one int array plus a dict for shared terms.

    A list of lists for a million patterns would put a million objects
    under the garbage collector, which then slows every later allocation.
    """

    def __init__(self, lists: Iterable[list[int]]) -> None:
        self.first = array("q")
        self.more: dict[int, list[int]] = {}
        for i, ids in enumerate(lists):
            self.first.append(ids[0])
            if len(ids) > 1:
                self.more[i] = ids

    def __getitem__(self, index: int) -> tuple[int, ...]:
        more = self.more.get(index)
        return tuple(more) if more else (self.first[index],)


class Recognizer:
    """Two automata over a termbase's terms, mapping matches to entry ids."""

    def __init__(self, zh: dict[str, list[int]], en: dict[str, list[int]]) -> None:
        import daachorse

        kind = daachorse.MATCH_KIND_LEFTMOST_LONGEST
        self.zh_keys = list(zh)
        self.zh_ids = _Ids(zh[k] for k in self.zh_keys)
        self.en_keys = list(en)
        self.en_ids = _Ids(en[k] for k in self.en_keys)
        self.patterns = len(zh) + len(en)
        self._zh = daachorse.CharwiseDoubleArrayAhoCorasick(self.zh_keys, kind) if zh else None
        # English: every overlapping match, then boundaries and longest-first here
        self._en = daachorse.CharwiseDoubleArrayAhoCorasick(self.en_keys) if en else None

    # ----------------------------------------------------------- (de)serialising
    def to_bytes(self, key: str) -> bytes:
        """Cache image: magic, header length, JSON header, then the binary parts."""
        parts = [
            self._zh.serialize() if self._zh is not None else b"",
            self._en.serialize() if self._en is not None else b"",
            self.zh_ids.first.tobytes(),
            self.en_ids.first.tobytes(),
        ]
        header = {
            "version": CACHE_VERSION,
            "key": key,
            "patterns": self.patterns,
            "sizes": [len(p) for p in parts],
            "zh_more": self.zh_ids.more,
            "en_more": self.en_ids.more,
        }
        head = json.dumps(header).encode()
        return b"".join([CACHE_MAGIC, struct.pack("<Q", len(head)), head, *parts])

    @classmethod
    def from_bytes(cls, data: bytes, key: str) -> Recognizer | None:
        """The recognizer in a cache image, or None when stale or damaged."""
        import daachorse

        if not data.startswith(CACHE_MAGIC):
            return None
        pos = len(CACHE_MAGIC)
        (head_len,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        header = json.loads(data[pos : pos + head_len])
        if header.get("version") != CACHE_VERSION or header.get("key") != key:
            return None
        pos += head_len
        blobs = []
        for size in header["sizes"]:
            blobs.append(data[pos : pos + size])
            pos += size
        if pos != len(data):
            return None
        rec = cls.__new__(cls)
        build = daachorse.CharwiseDoubleArrayAhoCorasick.deserialize
        rec._zh = build(blobs[0]) if blobs[0] else None
        rec._en = build(blobs[1]) if blobs[1] else None
        rec.zh_ids, rec.en_ids = _Ids([]), _Ids([])
        rec.zh_ids.first.frombytes(blobs[2])
        rec.en_ids.first.frombytes(blobs[3])
        rec.zh_ids.more = {int(k): list(v) for k, v in header["zh_more"].items()}
        rec.en_ids.more = {int(k): list(v) for k, v in header["en_more"].items()}
        rec.zh_keys, rec.en_keys = [], []  # not needed for matching
        rec.patterns = int(header["patterns"])
        return rec

    # ------------------------------------------------------------- building
    @classmethod
    def from_terms(cls, terms: Iterable[tuple[int, str, str]]) -> Recognizer:
        """Build from ``(entry_id, lang, text)`` triples."""
        zh: dict[str, list[int]] = {}
        en: dict[str, list[int]] = {}
        side: dict[str, str] = {}
        table = fold_table()
        for entry_id, lang, text in terms:
            kind = side.get(lang)
            if kind is None:
                kind = side[lang] = "zh" if is_chinese(lang) else "en" if is_english(lang) else ""
            if kind == "zh":
                key = text.translate(table).strip()
                if _JOINT in key:
                    continue  # cannot be told from a joint between units
                if HAS_LATIN_OR_FORMS.search(key):
                    key = latin_forms(key)
                bucket = zh
            elif kind == "en":
                key = en_key(text)
                bucket = en
            else:
                continue
            if key:
                ids = bucket.get(key)
                if ids is None:
                    bucket[key] = [entry_id]
                elif entry_id not in ids:
                    ids.append(entry_id)
        return cls(zh, en)

    # ------------------------------------------------------------- matching
    def find(self, text: str, langs: str = "zh en") -> list[Match]:
        """Every term in *text*, longest first, in text order."""
        with gc_paused():
            return self._find(text, langs)

    def _find(self, text: str, langs: str) -> list[Match]:
        zh = self._find_zh(text, zh_view(text)) if "zh" in langs else []
        en = list(self._find_en(text, fold_keep_length(text))) if "en" in langs else []
        if not en:
            return zh  # leftmost-longest already: in order, not overlapping
        return _merge(zh, _drop_nested(sorted(en, key=_longest_first)))

    def find_units(self, units: Sequence[str], langs: str = "zh en") -> list[tuple[int, Match]]:
        """``(index, match)`` for every term in each of *units*, offsets into that unit.

        The units (lines, segments) are searched in one pass, joined by a
        NUL character, which no term contains: one fold and one automaton
        run instead of one per unit, which matters for documents of many
        short lines.
        """
        if not units:
            return []
        starts: list[int] = []
        pos = 0
        for unit in units:
            starts.append(pos)
            pos += len(unit) + 1
        starts.append(pos)  # a sentinel: no match starts there
        new = tuple.__new__
        out: list[tuple[int, Match]] = []
        k, base, after = 0, 0, starts[1]
        with gc_paused():
            for m in self._find(_JOINT.join(units), langs):
                if m.start >= after:
                    while m.start >= starts[k + 1]:
                        k += 1
                    base, after = starts[k], starts[k + 1]
                out.append(
                    (k, new(Match, (m.start - base, m.end - base, m.text, m.lang, m.entry_ids)))
                )
        return out

    def find_zh(self, text: str) -> list[Match]:
        """Chinese terms (no word boundaries) in *text*."""
        return self._find_zh(text, zh_view(text))

    def zh_hits(self, view: str) -> list[tuple[int, int, int]]:
        """``(start, end, pattern)`` of every Chinese term in *view* (:func:`zh_view`).

        The recognition proper: spans and terms, before any Python object
        is made per match (what the 10 MB/s benchmark measures).
        """
        if self._zh is None:
            return []
        hits: list[tuple[int, int, int]] = self._zh.find(view)
        return hits

    def _find_zh(self, text: str, view: str) -> list[Match]:
        hits = self.zh_hits(view)
        ids = self.zh_ids
        shared = {i: ids[i] for i in set(map(_third, hits))}
        new = tuple.__new__
        with gc_paused():
            return [new(Match, (a, b, text[a:b], "zh", shared[i])) for a, b, i in hits]

    def count_zh(self, text: str) -> int:
        """Number of Chinese term matches (benchmark path: no Match objects)."""
        return len(self.zh_hits(zh_view(text)))

    def find_en(self, text: str) -> Iterator[Match]:
        """English terms, by stems, on word boundaries only."""
        return self._find_en(text, fold_keep_length(text))

    def _find_en(self, text: str, folded: str) -> Iterator[Match]:
        if self._en is None:
            return
        stems, spans, offsets = _en_tokens(folded)
        if not spans:
            return
        index = dict(zip(offsets, count()))
        ends = dict(zip(map(operator.sub, [*offsets[1:], len(stems) + 1], repeat(1)), count()))
        for start, end, idx in self._en.find_overlapping(stems):
            first, last = index.get(start), ends.get(end)
            if first is None or last is None:
                continue  # inside a word: not a boundary
            a, b = spans[first][0], spans[last][1]
            yield Match(a, b, text[a:b], "en", self.en_ids[idx])


#: Joins the units of :meth:`Recognizer.find_units` (no term holds a NUL).
_JOINT = "\x00"


def _longest_first(m: Match) -> tuple[int, int]:
    return m.start, -m.end


def _merge(zh: list[Match], en: list[Match]) -> list[Match]:
    """One greedy longest-first pass over *zh* and *en* (each in order, not overlapping).

    Only matches that overlap one of the other side need the greedy pass;
    the rest are kept whatever it decides (a match that overlaps nothing
    neither blocks nor is blocked), so the pass runs over the few
    conflicts, not over every match of a match-dense text.
    """
    clash_zh: set[int] = set()
    clash_en: list[Match] = []
    for m in en:
        i = bisect.bisect_left(zh, m.start, key=_start)
        lo = i - 1 if i > 0 and zh[i - 1].end > m.start else i
        hi = i
        while hi < len(zh) and zh[hi].start < m.end:
            hi += 1
        if lo < hi:
            clash_zh.update(range(lo, hi))
            clash_en.append(m)
    if not clash_en:
        return sorted(zh + en)  # spans that do not overlap have distinct starts
    involved = [zh[i] for i in clash_zh] + clash_en
    involved.sort(key=_longest_first)
    clashing = set(clash_en)
    kept = [m for i, m in enumerate(zh) if i not in clash_zh]
    kept += [m for m in en if m not in clashing]
    kept += _drop_nested(involved)
    return sorted(kept)


_third = operator.itemgetter(2)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Millions of small match tuples would set off full garbage collections
    over everything alive, again and again; none of them can form a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _start(m: Match) -> int:
    return m.start


def _drop_nested(matches: list[Match]) -> list[Match]:
    """Greedy leftmost-longest: drop matches overlapping an earlier kept one."""
    kept: list[Match] = []
    end = -1
    for m in matches:
        if m.start >= end:
            kept.append(m)
            end = m.end
    return kept


# ------------------------------------------------------------------ caching
def state_key(store: Store) -> str:
    """Cheap fingerprint of the terms (changes on add, edit, delete)."""
    terms, entries = store.terms_fingerprint()
    raw = f"v{CACHE_VERSION}|{terms}|{entries}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def cache_path_for(db_path: str) -> str | None:
    """Where the automaton of *db_path* is cached (None for in-memory databases)."""
    if not db_path or db_path == ":memory:":
        return None
    return db_path + ".terms-automaton"


def load_or_build(store: Store, db_path: str) -> tuple[Recognizer, BuildInfo]:
    """The recognizer of a database: from the cache when fresh, else built and cached."""
    key = state_key(store)
    path = cache_path_for(db_path)
    info = BuildInfo(cache_path=path or "")
    t0 = time.perf_counter()
    if path and os.path.exists(path):
        try:
            with open(path, "rb") as fh:
                cached = Recognizer.from_bytes(fh.read(), key)
        except (OSError, ValueError, KeyError, TypeError, struct.error):
            cached = None  # damaged cache: rebuild
        if cached is not None:
            info.cached = True
            info.cache_bytes = os.path.getsize(path)
            info.seconds = time.perf_counter() - t0
            info.patterns = cached.patterns
            return cached, info
    terms = list(store.recognizable_terms())
    recognizer = Recognizer.from_terms(terms)
    info.terms = len(terms)
    info.patterns = recognizer.patterns
    info.seconds = time.perf_counter() - t0
    if path:
        info.cache_bytes = _write_cache(path, recognizer.to_bytes(key))
    return recognizer, info


def _write_cache(path: str, data: bytes) -> int:
    """Write atomically; a read-only folder just means no cache (returns 0)."""
    from termbase.errors import OutputError
    from termbase.fileio import atomic_output

    try:
        with atomic_output(path, "wb") as fh:
            fh.write(data)
        return len(data)
    except OutputError as exc:
        _log.warning("termbase: cannot cache the term automaton: %s", exc)
        return 0
