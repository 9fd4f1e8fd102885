"""English helpers: word tokens and Snowball stems (inflection-tolerant matching).

"ensuring" and "ensure" share the stem "ensur"; "patterns" and "pattern"
share "pattern".  Uses the Snowball English stemmer (``snowballstemmer``,
pure Python, imported on first use) rather than a hand-written suffix list.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def words(text: str) -> list[str]:
    """Lower-case word tokens of *text* (apostrophes folded, possessive 's kept apart)."""
    out = []
    for m in _WORD.finditer(text.replace("’", "'")):
        w = m.group(0).lower()
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w)
    return out


@functools.lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of one lower-case word."""
    return str(_stemmer().stemWord(word.lower()))


def stems(text: str) -> list[str]:
    """Stems of the words of *text*, in order."""
    return [stem(w) for w in words(text)]
