"""Language helpers shared by indexing and searching.

Light on purpose: importing this package must stay fast (no jieba,
pypinyin or OpenCC at import time).  Traditional → simplified folding for
queries reads OpenCC's character table (``TSCharacters.txt``, shipped in the
``opencc`` package) directly, without importing OpenCC itself.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import unicodedata

_PUNCT = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def fold(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, dashes and quotes unified, trimmed."""
    return unicodedata.normalize("NFKC", text).translate(_PUNCT).casefold().strip()


def has_han(text: str) -> bool:
    """True when *text* contains a Han character."""
    return bool(_HAN.search(text))


@functools.lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    spec = importlib.util.find_spec("opencc")
    table: dict[int, str] = {}
    if spec is None or not spec.submodule_search_locations:
        return table
    path = os.path.join(
        next(iter(spec.submodule_search_locations)), "dictionary", "TSCharacters.txt"
    )
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                trad, _tab, simp = line.rstrip("\n").partition("\t")
                if len(trad) == 1 and simp:
                    table[ord(trad)] = simp.split(" ")[0]
    except OSError:
        return {}
    return table


def t2s_chars(text: str) -> str:
    """Traditional → simplified, character by character (OpenCC's character table)."""
    return text.translate(_t2s_table()) if has_han(text) else text


def fold_zh(text: str) -> str:
    """:func:`fold`, then traditional characters mapped to simplified ones."""
    return t2s_chars(fold(text))


_TONE_NUMBERS = re.compile(r"(?<=[a-zü])[1-5]")


def fold_pinyin(text: str) -> str:
    """Toned, tone-numbered or plain pinyin → plain letters, ü as v, no spaces.

    ``gāo zhìliàng`` → ``gaozhiliang``; ``gao1 zhi4 liang4`` → ``gaozhiliang``;
    ``lǜ`` / ``lü`` / ``lu:`` → ``lv``.
    """
    text = unicodedata.normalize("NFC", text.casefold())
    text = re.sub("[ǖǘǚǜü]", "v", text).replace("u:", "v")
    text = _TONE_NUMBERS.sub("", text)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", text)
