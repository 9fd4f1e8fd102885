"""Keys and scoring of the translation memory: what a text is compared as.

A Chinese text is compared as its characters, an English one as its words
and punctuation marks, NFKC-normalised and case-folded (:func:`analyse`,
:func:`comparison_key`).  An English key holds one character per word, so
that a character edit distance (rapidfuzz) is a word edit distance; the
word → character table is :data:`WORDS`, bounded and never reusing a
character while a key made with it may still be compared.  :func:`score` is
the CAT-tool percentage of a match (see ``docs/tm.md``).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from termbase.errors import InvalidValueError
from termbase.lang import HAN
from termbase.model import Segment, is_chinese

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Points taken off when texts differ only in case, character width or spacing.
FORMATTING_PENALTY = 1
#: Points taken off per punctuation mark added, dropped or changed, at most
#: PUNCTUATION_PENALTY_MAX: as in CAT tools, a match that differs from the
#: query only in punctuation is 98–99 %, not a percentage of its length.
PUNCTUATION_PENALTY = 1
PUNCTUATION_PENALTY_MAX = 2
#: Words the word table may hold before it is emptied (between operations).
WORD_TABLE_LIMIT = 500_000

ZH_MODE = "zh"
EN_MODE = "en"

_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
#: Word characters start above Latin-1 and run to the end of Unicode.
_CODE_BASE = 0x100
_CODE_SPACE = 0x110000 - _CODE_BASE


class WordCodes:
    """One character per English word, so that word sequences compare as strings.

    Codes are handed out in order and never handed out twice: the table is
    emptied only when no operation that compares keys is running
    (:meth:`in_use`) and it holds more than *limit* words, so memory stays
    bounded in a long-running process (the app, the team server) and a key
    is only ever compared with keys made from the same table.
    """

    def __init__(self, limit: int = WORD_TABLE_LIMIT) -> None:
        self.codes: dict[str, str] = {}
        self.limit = limit
        self._next = itertools.count()
        self._lock = threading.Lock()
        self._active = 0

    def code(self, word: str) -> str:
        """The character of *word* (a new one the first time)."""
        code = self.codes.get(word)
        if code is None:
            number = next(self._next)  # atomic: two threads never get the same number
            if number >= _CODE_SPACE:
                raise InvalidValueError(
                    "one comparison holds more distinct English words than the translation "
                    "memory can number; compare shorter texts"
                )
            code = self.codes.setdefault(word, chr(_CODE_BASE + number))
        return code

    @contextmanager
    def in_use(self) -> Iterator[None]:
        """Hold the table for one operation (a match, a concordance search).

        On entry, with no other operation running, a table grown past its
        limit is emptied and numbering starts again.
        """
        with self._lock:
            if self._active == 0 and len(self.codes) > self.limit:
                self.codes.clear()
                self._next = itertools.count()
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1


#: The word table of this process.
WORDS = WordCodes()


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
    return WORDS.code(word)


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
        grams.update(_zh_grams("".join(chars)))
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
        return "".join(folded.split())
    vocab = WORDS.codes
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
    units, grams, stored = index_keys(text, mode)
    if mode == ZH_MODE:
        return stored, grams, stored
    return "".join([_word_char(w) for w in units]), grams, stored


def index_keys(text: str, mode: str) -> tuple[list[str], frozenset[str], str]:
    """What indexing stores of *text*: its units (characters or words), its index
    keys and the form kept in ``tm_keys`` (see :func:`stored_to_key`).

    Needs no word codes, so indexing any number of pairs leaves the word
    vocabulary (:data:`WORDS`) as it was.
    """
    folded = _fold(text)
    if mode == ZH_MODE:
        key = "".join(folded.split())  # white space out (split cuts where \s matches)
        return list(key), _zh_grams(key), key
    words = _WORD.findall(folded)
    grams = frozenset(["e " + w for w in words if w[0].isalnum() or w[-1].isalnum()])
    return words, grams, " ".join(words)


def _zh_grams(key: str) -> frozenset[str]:
    """The index keys of a Chinese comparison key: the bigrams of its characters
    with punctuation marks taken out (``一，二`` gives ``一二``: a mark is not an
    edit, so it breaks no bigram), or its one character; a key of marks alone
    keeps them."""
    bare = key.translate(_marks()[1]) or key
    if len(bare) == 1:
        return frozenset(("z " + bare,))
    return frozenset(["z " + bare[i : i + 2] for i in range(len(bare) - 1)])


def stored_to_key(stored: str, mode: str) -> str:
    """The comparison key from its stored form.

    A Chinese key is stored as it is; an English one as its case-folded
    words joined by spaces (no word holds a space), because the one
    character per word of a key is numbered per process.
    """
    if mode == ZH_MODE or not stored:
        return stored
    vocab = WORDS.codes
    return "".join([vocab.get(w) or _word_char(w) for w in stored.split(" ")])


def normalise(text: str) -> str:
    """NFC, white space collapsed and stripped: the identity used for duplicates.

    ``str.split`` cuts at exactly the characters ``\\s`` matches (checked over
    every code point), and is faster than a substitution and a strip.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


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
    """The CAT-tool percentage of a match for a query, from their comparison keys
    (units equal: 100 for the same text, else 99) or else their units (:func:`unit_score`)."""
    if query_key == match_key:
        if query_text.strip() == match_text.strip():
            return 100
        return 100 - FORMATTING_PENALTY if query_key else 0
    mode = query_mode(query_text + match_text)
    return unit_score(index_keys(query_text, mode)[0], index_keys(match_text, mode)[0])


def is_mark(unit: str) -> bool:
    """True for a unit that is a punctuation mark (Chinese or Western)."""
    return unicodedata.category(unit[0])[0] == "P"


@functools.cache
def _marks() -> tuple[frozenset[str], dict[int, None]]:
    """Every punctuation mark (:func:`is_mark`), and a :meth:`str.translate`
    table that drops them.  Built once per process, on the first match (about
    0.1 s: every code point's category is looked up)."""
    marks = frozenset(
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c))[0] == "P"
    )
    return marks, dict.fromkeys(map(ord, marks))


@functools.cache
def _mark_flags() -> npt.NDArray[np.bool_]:
    """``_mark_flags()[code point]`` is True for a punctuation mark."""
    import numpy as np

    flags = np.zeros(sys.maxunicode + 1, dtype=np.bool_)
    flags[[ord(c) for c in _marks()[0]]] = True
    return flags


def mark_counts(stored: list[str], mode: str) -> npt.NDArray[np.int64]:
    """How many units of each key in its stored form are punctuation marks
    (:func:`is_mark`: a Chinese character, an English word starting with one;
    those :func:`split_marks` splits off), in one pass over all their characters."""
    import numpy as np

    code_points = np.frombuffer(
        "".join(stored).encode("utf-32-le", "surrogatepass"), dtype=np.uint32
    )
    lengths = np.fromiter(map(len, stored), dtype=np.int64, count=len(stored))
    ends = np.cumsum(lengths)
    flags = _mark_flags()[code_points]
    if mode != ZH_MODE and len(code_points):  # a unit is a word: look at its first character
        first = np.ones(len(code_points), dtype=np.bool_)
        first[1:] = code_points[:-1] == ord(" ")
        first[(ends - lengths)[lengths > 0]] = True
        flags &= first
    seen = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
    return seen[ends] - seen[ends - lengths]


def split_marks(stored: str, mode: str) -> tuple[str, str]:
    """A key in its stored form (:func:`stored_to_key`) split into the comparison
    key of its words or characters and the string of its punctuation marks, so
    that both distances of :func:`unit_score` come from one rapidfuzz call per
    batch of candidates."""
    marks, drop = _marks()
    if mode == ZH_MODE:
        bare = stored.translate(drop)
        if len(bare) == len(stored):
            return bare, ""
        return bare, "".join([c for c in stored if c in marks])
    words = stored.split(" ") if stored else []
    vocab = WORDS.codes
    return "".join([vocab.get(w) or _word_char(w) for w in words if w[0] not in marks]), "".join(
        [w for w in words if w[0] in marks]
    )


def unit_scores(
    words: npt.NDArray[np.int32], marks: npt.NDArray[np.int32], longest: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """:func:`unit_score` of many matches at once, from their word (or character)
    edit distances without marks, their mark edit distances and the unit count of
    the longer text of each pair."""
    import numpy as np

    penalty = np.minimum(PUNCTUATION_PENALTY_MAX, PUNCTUATION_PENALTY * marks)
    by_words = np.minimum(np.floor(100 * (1 - words / np.maximum(longest, 1)) + 1e-9), 99)
    return np.where(
        words == 0,
        100 - np.maximum(penalty, PUNCTUATION_PENALTY),
        np.maximum(0, by_words - penalty),
    ).astype(np.int64)


def unit_score(query: list[str], match: list[str]) -> int:
    """The percentage of *match* (its units: characters or words and marks) for
    *query* when they differ.

    Words and characters count as edits over the length of the longer text;
    punctuation marks cost PUNCTUATION_PENALTY each instead (at most
    PUNCTUATION_PENALTY_MAX), so 我们要推动高质量发展。 against the same without
    its 。 is 99 %, not 90 %.
    """
    from rapidfuzz.distance import Levenshtein

    longest = max(len(query), len(match))
    words = Levenshtein.distance(
        [u for u in query if not is_mark(u)], [u for u in match if not is_mark(u)]
    )
    marks = Levenshtein.distance([u for u in query if is_mark(u)], [u for u in match if is_mark(u)])
    penalty = min(PUNCTUATION_PENALTY_MAX, PUNCTUATION_PENALTY * marks)
    if words == 0:  # only punctuation (or its place) differs
        return 100 - max(penalty, PUNCTUATION_PENALTY)
    return max(0, min(99, math.floor(100 * (1 - words / longest) + 1e-9)) - penalty)


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
