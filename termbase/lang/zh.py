"""Chinese text helpers: toned pinyin and traditional/simplified conversion.

pypinyin and OpenCC are imported on first use only (pypinyin alone costs
~0.35 s), so these run when terms are written, never on the search path.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from termbase.lang import has_han


@functools.lru_cache(maxsize=2)
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC ``t2s``)."""
    return str(_opencc("t2s").convert(text)) if has_han(text) else text


def to_traditional(text: str) -> str:
    """Simplified → traditional (OpenCC ``s2t``)."""
    return str(_opencc("s2t").convert(text)) if has_han(text) else text


def pinyin_syllables(text: str) -> list[str]:
    """Toned pinyin, one item per character (heteronyms resolved by phrase)."""
    from pypinyin import Style, lazy_pinyin

    return [str(s) for s in lazy_pinyin(text, style=Style.TONE, errors="default")]


#: Distinct pypinyin segments (phrases of its dictionary, single characters,
#: non-Han runs) whose readings are kept: a glossary repeats the same words.
SEGMENT_CACHE_SIZE = 1 << 17

#: Distinct whole texts whose jieba words are kept (an import meets a term again
#: in its traditional twin, in a merge, in a re-import).
TEXT_CACHE_SIZE = 1 << 14


@functools.lru_cache(maxsize=1)
def _reader() -> Any:
    """pypinyin's converter, built as ``pypinyin.pinyin`` builds it on every call."""
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    return Pinyin(UltimateConverter(v_to_u=False, neutral_tone_with_five=False))


def _each_character(chunk: str) -> list[str]:
    """pypinyin's ``errors`` handler: a character without pinyin stands for itself."""
    return list(chunk)


@functools.lru_cache(maxsize=SEGMENT_CACHE_SIZE)
def _segment_reading(segment: str) -> tuple[str, ...]:
    """Toned reading of one pypinyin segment, one item per character.

    ``pypinyin.pinyin(text)`` cuts *text* into segments (its phrase dictionary,
    longest match first) and converts each segment on its own, so caching
    by segment gives exactly its readings, heteronyms resolved by phrase as
    before.  A list of one segment is not cut again.
    """
    from pypinyin import Style

    items = _reader().pinyin([segment], style=Style.TONE, errors=_each_character)
    return tuple(item[0] for item in items)


@functools.lru_cache(maxsize=1)
def _han_runs() -> re.Pattern[str] | None:
    """pypinyin's own character class of readable characters (``RE_HANS``, written
    ``^(?:[…])+$``) as a splitting pattern, or None if its form ever changes."""
    from pypinyin.constants import RE_HANS

    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:[") and pattern.endswith("])+$")):
        return None
    return re.compile("(" + pattern[1:-1] + ")", RE_HANS.flags)


def pinyin_syllables_toned(text: str) -> list[str]:
    """Toned pinyin of *text*, one item per character (non-Han characters as
    themselves): ``pypinyin.pinyin(text, style=TONE)`` with readings cached by
    segment.

    pypinyin cuts a text into runs of characters it can read and runs it
    cannot, then each readable run into dictionary phrases (forward maximum
    matching, ``pypinyin.seg.mmseg``).  The first cut is done here with one
    regular expression of pypinyin's own character class instead of its
    loop over characters; the phrases come from pypinyin itself.
    """
    from pypinyin.constants import RE_HANS
    from pypinyin.seg import mmseg

    out: list[str] = []
    runs = _han_runs()
    if runs is None:  # pypinyin changed: its own segmentation, slower
        for segment in _reader().seg(text):
            if RE_HANS.match(segment):
                out.extend(_segment_reading(segment))
            else:
                out.extend(segment)
        return out
    for number, run in enumerate(runs.split(text)):
        if number % 2:  # a run pypinyin reads
            for segment in mmseg.seg.cut(run):
                out.extend(_segment_reading(segment))
        else:  # pypinyin reads no character of it: each stands for itself (_each_character)
            out.extend(run)
    return out


@functools.lru_cache(maxsize=TEXT_CACHE_SIZE)
def pinyin_toned(text: str) -> str:
    """Toned pinyin written by word: ``新发展格局`` → ``xīn fāzhǎn géjú``.

    Readings come from pypinyin, which resolves heteronyms by phrase
    (重要 zhòngyào, 重新 chóngxīn); word boundaries come from jieba, as
    Hanyu Pinyin orthography writes a word's syllables together.  Readings
    are cached by pypinyin segment (:func:`pinyin_syllables_toned`), whole
    results by text.
    """
    from termbase.lang.segment import cut

    readable = text.replace("〇", "零")  # the zero numeral reads líng
    syllables = pinyin_syllables_toned(readable)
    out: list[str] = []
    position = 0
    for word in cut(text):
        piece = syllables[position : position + len(word)]
        position += len(word)
        read = "".join(piece)
        if has_han(word) or read != word:  # Han, or a character pypinyin reads (〇)
            out.append(read)
        elif any(c.isalnum() for c in word):  # keep Latin and digits, drop punctuation
            out.append(word.strip())
    return " ".join(p for p in out if p)
