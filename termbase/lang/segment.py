"""Chinese word segmentation: the one place that talks to jieba.

Owns a private ``jieba.Tokenizer`` (never the global ``jieba.cut``),
silences jieba's start-up logging, and lets callers add known terms
(``add_words``) so that termbase terms stay whole.  jieba costs about a
second to load its dictionary, so it is imported on first use only, and
never on the search path.

jieba caches its dictionary with ``marshal`` in the shared temporary folder
(``/tmp/jieba.cache``) by default, where anyone can plant a file that it then
loads.  termbase's tokenizers keep the cache in the user's own cache folder
(:func:`cache_dir`), private to them.
"""

from __future__ import annotations

import functools
import logging
import os
import stat
import tempfile
from collections.abc import Iterable
from typing import Any


@functools.lru_cache(maxsize=1)
def cache_dir() -> str:
    """termbase's folder in the user's cache directory (made private, 0700).

    A folder that another user owns or may write into is not trusted: a
    private temporary folder is used instead (the cache is then rebuilt).
    """
    import platformdirs

    path = platformdirs.user_cache_dir("termbase", appauthor=False)
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
        if info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return path
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="termbase-cache-")


def _new_tokenizer() -> Any:
    """A jieba tokenizer whose dictionary cache lives in :func:`cache_dir`."""
    import jieba

    tok = jieba.Tokenizer()
    tok.tmp_dir = cache_dir()
    tok.initialize()
    return tok


@functools.lru_cache(maxsize=1)
def tokenizer() -> Any:
    """The shared private jieba tokenizer (dictionary loaded on first call)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return _new_tokenizer()


def add_words(words: Iterable[str], freq: int | None = None) -> None:
    """Teach the tokenizer words that must stay whole (termbase terms)."""
    tok = tokenizer()
    for word in words:
        if word:
            tok.add_word(word, freq=freq)


def cut(text: str) -> list[str]:
    """Words of *text* (precise mode, no HMM guessing of unknown words)."""
    return [w for w in tokenizer().cut(text, HMM=False) if w]


@functools.lru_cache(maxsize=1)
def _term_tokenizer() -> Any:
    """A second private tokenizer for term extraction, taught the termbase's terms.

    Kept apart from :func:`tokenizer` so that teaching it terms never changes
    word boundaries elsewhere (pinyin written by word, for one).
    """
    tokenizer()  # logging silenced, dictionary cached
    return _new_tokenizer()


@functools.lru_cache(maxsize=1)
def _pos_tokenizer() -> Any:
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_term_tokenizer())


def pos_cut(text: str) -> list[tuple[str, str]]:
    """``(word, part-of-speech flag)`` pairs of *text* (jieba/ICTCLAS flags: n, v, vn …).

    Uses the term-extraction tokenizer, which knows the words given to
    :func:`add_terms`.
    """
    return [(p.word, p.flag) for p in _pos_tokenizer().cut(text, HMM=True) if p.word]


def add_terms(words: Iterable[str]) -> None:
    """Teach the term-extraction tokenizer termbase terms (tagged ``nz``), never split."""
    tok = _term_tokenizer()
    for word in words:
        if not word:
            continue
        known = int(tok.FREQ.get(word) or 0)
        if known:
            tok.add_word(word, freq=max(known, tok.suggest_freq(word)))
        else:
            tok.add_word(word, tag="nz")


def general_frequency(word: str) -> int:
    """Frequency of *word* in jieba's general dictionary (0 when unknown)."""
    return int(tokenizer().FREQ.get(word) or 0)


def general_total() -> int:
    """Total word count of jieba's general dictionary."""
    return int(tokenizer().total)
