"""Language helpers: text folding for search and comparison.

Light on purpose: importing this package must stay fast (no jieba,
pypinyin or OpenCC at import time).
"""

from __future__ import annotations

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


def fold(text: str) -> str:
    """NFKC (full-width to half-width), case-folded, dashes and quotes unified."""
    return unicodedata.normalize("NFKC", text).translate(_PUNCT).casefold().strip()
