"""English helpers: word tokens and Snowball stems (inflection-tolerant matching).

"ensuring" and "ensure" share the stem "ensur"; "patterns" and "pattern"
share "pattern".  Uses the Snowball English stemmer (``snowballstemmer``,
pure Python, imported on first use) rather than a hand-written suffix list.

For term extraction, what kind of word a word is and how common it is in
general English come from two lexicons shipped inside their wheels (no
download at run time): LemmInflect's (parts of speech) and wordfreq's
(frequencies), each imported on first use.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
#: Bare runs of letters and digits: the words :func:`phrase_spans` compares.
_ALNUM = re.compile(r"[A-Za-z0-9]+")


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


def _bare(word: str) -> str:
    """*word* in lower case, without a possessive 's; a hyphenated word's last part."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.rsplit("-", 1)[-1]


@functools.lru_cache(maxsize=200_000)
def word_classes(word: str) -> frozenset[str]:
    """The parts of speech (``NOUN``, ``VERB``, ``ADJ``, ``ADV`` …) an English word
    can have, by LemmInflect's lexicon; empty for a word it does not hold (names,
    function words).  A hyphenated word counts as its last part (high-*level*)."""
    import lemminflect

    return frozenset(lemminflect.getAllLemmas(_bare(word)))


@functools.lru_cache(maxsize=200_000)
def general_frequency(word: str) -> float:
    """The share of all words of general English that are *word*, by wordfreq
    (subtitles, Wikipedia, news, books, web text); 0.0 for a word rarer than
    its "small" list holds (about 29,000 words, down to Zipf 3: enough to tell
    common words from rare ones, in a third of the memory of the full list)."""
    from wordfreq import word_frequency

    bare = word.lower().replace("’", "'").removesuffix("'s")
    return float(word_frequency(bare, "en", wordlist="small"))


def stems(text: str) -> list[str]:
    """Stems of the words of *text*, in order."""
    return [stem(w) for w in words(text)]


def phrase_spans(sentence: str, phrase: str) -> tuple[list[tuple[int, int]], bool]:
    """Where the English *phrase* occurs in *sentence*, comparing word stems.

    Returns ``([(start, end)], True)`` for the first occurrence of the whole
    phrase ("ensuring national security" for "ensure national security");
    else ``(spans, False)`` with one span per word of the sentence whose stem
    is one of the phrase's.
    """
    wanted = [stem(w.lower()) for w in _ALNUM.findall(phrase)]
    found = list(_ALNUM.finditer(sentence))
    have = [stem(m.group(0).lower()) for m in found]
    n = len(wanted)
    for i in range(len(found) - n + 1):
        if n and have[i : i + n] == wanted:
            return [(found[i].start(), found[i + n - 1].end())], True
    return [(found[i].start(), found[i].end()) for i, s in enumerate(have) if s in wanted], False
