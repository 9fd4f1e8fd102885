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
* Built automata are cached beside the database (``<db>.terms-automaton``:
  a JSON header, daachorse's own serialisation and plain integer arrays;
  never pickle, so a planted cache file cannot run code) and reused while
  the terms table is unchanged (key: count and largest id of terms; count,
  largest id, sum of versions and rejected count of entries).  Rejected
  entries are left out.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import re
import sqlite3
import struct
import sys
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from termbase.lang import en as _en
from termbase.lang import fold_zh
from termbase.model import is_chinese, is_english

#: Bumped when the cache layout changes.
CACHE_MAGIC = b"termbase-automaton\n"
CACHE_VERSION = 1

_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


@dataclass(slots=True)
class Match:
    """One term occurrence: ``text[start:end]`` is the term as written."""

    start: int
    end: int
    text: str
    lang: str  # "zh" or "en": which side of the termbase matched
    entry_ids: list[int]


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


@functools.lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Single-character folds of :func:`fold_zh` over the Basic Multilingual Plane."""
    table: dict[int, str] = {}
    for code in range(0x21, 0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        folded = fold_zh(ch)
        if len(folded) == 1 and folded != ch:
            table[code] = folded
    return table


@functools.lru_cache(maxsize=1)
def _fold_pattern() -> re.Pattern[str]:
    chars = "".join(re.escape(chr(code)) for code in sorted(fold_table()))
    return re.compile(f"[{chars}]")


def _fold_char(m: re.Match[str]) -> str:
    return fold_table()[ord(m.group())]


def fold_keep_length(text: str) -> str:
    """:func:`fold_zh` applied character by character: same length as *text*.

    A regular expression finds the few characters that fold (three times
    faster than ``str.translate`` with a dict on Chinese text).
    """
    return _fold_pattern().sub(_fold_char, text)


def en_key(text: str) -> str:
    """English pattern key: Snowball stems joined by spaces (``"ensur nation secur"``)."""
    return " ".join(_en.stems(text))


def _en_tokens(text: str) -> tuple[str, list[tuple[int, int]], list[int]]:
    """Stem string of *text*, the original span of each word, and each word's offset."""
    spans: list[tuple[int, int]] = []
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _EN_WORD.finditer(text):
        word = m.group(0).replace("’", "'").lower()
        if word.endswith("'s"):
            word = word[:-2]
        s = _en.stem(word)
        spans.append((m.start(), m.end()))
        offsets.append(pos)
        parts.append(s)
        pos += len(s) + 1
    return " ".join(parts), spans, offsets


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

    def __getitem__(self, index: int) -> list[int]:
        return self.more.get(index) or [self.first[index]]


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
        zh = self.find_zh(text) if "zh" in langs else []
        en = list(self.find_en(text)) if "en" in langs else []
        if not en:
            return zh  # leftmost-longest already: in order, not overlapping
        found = zh + en
        found.sort(key=lambda m: (m.start, -m.end))
        return _drop_nested(found)

    def find_zh(self, text: str) -> list[Match]:
        """Chinese terms (no word boundaries) in *text*."""
        if self._zh is None:
            return []
        hits = self._zh.find(fold_keep_length(text))
        ids = self.zh_ids
        # Millions of small objects would trigger full garbage collections over
        # everything alive; none of these objects can form a cycle.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return [Match(a, b, text[a:b], "zh", ids[i]) for a, b, i in hits]
        finally:
            if enabled:
                gc.enable()

    def count_zh(self, text: str) -> int:
        """Number of Chinese term matches (benchmark path: no Match objects)."""
        return 0 if self._zh is None else len(self._zh.find(fold_keep_length(text)))

    def find_en(self, text: str) -> Iterator[Match]:
        """English terms, by stems, on word boundaries only."""
        if self._en is None:
            return
        stems, spans, offsets = _en_tokens(fold_keep_length(text))
        if not spans:
            return
        index = {off: i for i, off in enumerate(offsets)}
        ends = {
            off + len(s): i
            for i, (off, s) in enumerate(zip(offsets, stems.split(" "), strict=False))
        }
        for start, end, idx in self._en.find_overlapping(stems):
            first, last = index.get(start), ends.get(end)
            if first is None or last is None:
                continue  # inside a word: not a boundary
            a, b = spans[first][0], spans[last][1]
            yield Match(a, b, text[a:b], "en", self.en_ids[idx])


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
def state_key(conn: sqlite3.Connection) -> str:
    """Cheap fingerprint of the terms table (changes on add, edit, delete)."""
    terms = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM terms").fetchone()
    entries = conn.execute(
        "SELECT count(*), coalesce(max(id), 0), coalesce(sum(version), 0), "
        "coalesce(sum(review = 'rejected'), 0) FROM entries"
    ).fetchone()
    raw = f"v{CACHE_VERSION}|{tuple(terms)}|{tuple(entries)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _iter_terms(conn: sqlite3.Connection) -> Iterator[tuple[int, str, str]]:
    rows = conn.execute(
        "SELECT t.entry_id, t.lang, t.text FROM terms t JOIN entries e ON e.id = t.entry_id "
        "WHERE e.review != 'rejected'"
    )
    for row in rows:
        yield int(row[0]), str(row[1]), str(row[2])


def cache_path_for(db_path: str) -> str | None:
    """Where the automaton of *db_path* is cached (None for in-memory databases)."""
    if not db_path or db_path == ":memory:":
        return None
    return db_path + ".terms-automaton"


def load_or_build(conn: sqlite3.Connection, db_path: str) -> tuple[Recognizer, BuildInfo]:
    """The recognizer of a database: from the cache when fresh, else built and cached."""
    key = state_key(conn)
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
    terms = list(_iter_terms(conn))
    recognizer = Recognizer.from_terms(terms)
    info.terms = len(terms)
    info.patterns = recognizer.patterns
    info.seconds = time.perf_counter() - t0
    if path:
        info.cache_bytes = _write_cache(path, recognizer.to_bytes(key))
    return recognizer, info


def _write_cache(path: str, data: bytes) -> int:
    """Write atomically; a read-only folder just means no cache (returns 0)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".automaton-", dir=os.path.dirname(path) or ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return len(data)
    except OSError as exc:
        print(f"termbase: cannot cache the term automaton: {exc}", file=sys.stderr)
        return 0
