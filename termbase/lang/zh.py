"""Chinese text helpers: toned pinyin and traditional/simplified conversion.

pypinyin and OpenCC are imported on first use only (pypinyin alone costs
~0.35 s), so these run when terms are written, never on the search path.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def has_han(text: str) -> bool:
    """True when *text* contains at least one Han character."""
    return bool(_HAN.search(text))


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


def pinyin_toned(text: str) -> str:
    """Toned pinyin written by word: ``新发展格局`` → ``xīn fāzhǎn géjú``.

    Readings come from pypinyin, which resolves heteronyms by phrase
    (重要 zhòngyào, 重新 chóngxīn); word boundaries come from jieba, as
    Hanyu Pinyin orthography writes a word's syllables together.
    """
    from pypinyin import Style, pinyin

    from termbase.lang.segment import cut

    # one item per character (non-Han characters stand for themselves), so that
    # jieba's words can be sliced out by position
    def each_character(chunk: str) -> Any:  # pypinyin accepts a list: one item each
        return list(chunk)

    readable = text.replace("〇", "零")  # the zero numeral reads líng
    syllables = [item[0] for item in pinyin(readable, style=Style.TONE, errors=each_character)]
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
