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
import math
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
    """Words of *text*: exactly ``jieba.Tokenizer.cut(text, HMM=False)`` (precise
    mode, no HMM guessing of unknown words), without empty strings.

    The same algorithm as jieba's — text cut into blocks by jieba's own
    patterns, a DAG of dictionary words per block, the most probable route,
    single Latin letters and digits joined — written as plain loops over
    lists instead of jieba's nested generators and dicts: about twice as
    fast, which an import of a million terms notices (``tests/test_store.py``
    checks it against jieba).
    """
    import jieba

    tok = tokenizer()
    freq = tok.FREQ
    logtotal = math.log(tok.total)
    blocks, skip = jieba.re_han_default, jieba.re_skip_default
    out: list[str] = []
    for block in blocks.split(text):
        if not block:
            continue
        if blocks.match(block):
            _cut_block(block, freq, logtotal, jieba.re_eng, out)
            continue
        for piece in skip.split(block):
            if skip.match(piece):
                out.append(piece)
            else:
                out.extend(piece)  # one character at a time, as jieba yields them
    return [w for w in out if w]


def _cut_block(
    sentence: str, freq: dict[str, int], logtotal: float, eng: Any, out: list[str]
) -> None:
    """jieba's ``__cut_DAG_NO_HMM`` of one block, appended to *out*."""
    log = math.log
    n = len(sentence)
    score = [0.0] * (n + 1)
    step = [0] * (n + 1)
    for idx in range(n - 1, -1, -1):
        # the DAG: every dictionary word starting at idx (jieba's get_DAG)
        best_score = 0.0
        best_end = -1
        i = idx
        frag = sentence[idx]
        while i < n and frag in freq:
            if freq[frag]:
                value = log(freq.get(frag) or 1) - logtotal + score[i + 1]
                # max over (value, end) tuples: a tie goes to the longer word
                if best_end < 0 or value > best_score or (value == best_score and i > best_end):
                    best_score, best_end = value, i
            i += 1
            frag = sentence[idx : i + 1]
        if best_end < 0:  # no word: the character alone
            best_score = log(freq.get(sentence[idx]) or 1) - logtotal + score[idx + 1]
            best_end = idx
        score[idx] = best_score
        step[idx] = best_end
    x = 0
    buf = ""
    while x < n:
        y = step[x] + 1
        word = sentence[x:y]
        if y - x == 1 and eng.match(word):
            buf += word
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)


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
