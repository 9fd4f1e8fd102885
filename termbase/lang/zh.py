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
    """Toned pinyin grouped by word: ``高质量发展`` → ``gāozhìliàng fāzhǎn``.

    Words come from pypinyin's phrase segmentation; non-Han runs are kept.
    """
    from pypinyin import Style, pinyin
    from pypinyin.contrib.tone_convert import to_tone  # noqa: F401  (warms the module)

    words: list[str] = []
    for item in pinyin(text, style=Style.TONE, heteronym=False, errors="default"):
        words.append(item[0])
    # pypinyin returns one syllable per character; regroup with its phrase segmenter.
    from pypinyin.seg.simpleseg import seg

    out: list[str] = []
    i = 0
    for chunk in seg(text):
        n = len(chunk)
        piece = "".join(words[i : i + n]) if has_han(chunk) else chunk
        out.append(piece.strip())
        i += n
    return " ".join(p for p in out if p)
