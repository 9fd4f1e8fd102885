"""Chinese word segmentation: the one place that talks to jieba.

Owns a private ``jieba.Tokenizer`` (never the global ``jieba.cut``),
silences jieba's start-up logging, and lets callers add known terms
(``add_words``) so that termbase terms stay whole.  jieba costs about a
second to load its dictionary, so it is imported on first use only, and
never on the search path.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any


@functools.lru_cache(maxsize=1)
def tokenizer() -> Any:
    """The shared private jieba tokenizer (dictionary loaded on first call)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def add_words(words: Iterable[str], freq: int | None = None) -> None:
    """Teach the tokenizer words that must stay whole (termbase terms)."""
    tok = tokenizer()
    for word in words:
        if word:
            tok.add_word(word, freq=freq)


def cut(text: str) -> list[str]:
    """Words of *text* (precise mode, no HMM guessing of unknown words)."""
    return [w for w in tokenizer().cut(text, HMM=False) if w]
