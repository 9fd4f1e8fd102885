"""Term extraction: new term candidates from a document, with contexts.

Contract: :func:`extract` returns :class:`Candidate` objects, best first,
for terms the termbase does not hold yet.

* Chinese text is segmented by :mod:`termbase.lang.segment` (jieba, every
  termbase Chinese term loaded as a user word so known terms stay whole).
  Candidates are runs of 1–4 content words (nouns, verbal nouns, proper
  nouns, abbreviations, with adjectives/distinguishers in front) ending in
  a noun.
* English text gives word n-grams (2–5 words, no stop word at either edge,
  no punctuation inside) and acronyms.
* Ranking: C-value (Frantzi et al. 2000), ``log2(|a| + 1) · (f(a) − mean
  f(b) over the longer candidates b containing a)``, with |a| in words,
  multiplied for Chinese by the mean specificity of the words (their
  inverse frequency in jieba's general dictionary, scaled to 0–1), and
  for single words by the same specificity.  Only candidates seen at
  least ``min_freq`` times are kept.
* :func:`add_candidates` stores candidates as *proposed* entries, each term
  carrying its context sentence and the document as source, so that they
  appear in the TUI's review queue.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from termbase.fileio import shown_name
from termbase.lang import fold_zh, has_han
from termbase.model import EN, ZH, Context, Entry, Review, Source, Term, TermStatus

if TYPE_CHECKING:
    from termbase.recognize import Recognizer
    from termbase.store import Store

#: Longest candidate, in words.
MAX_WORDS_ZH = 4
MAX_WORDS_EN = 5
#: jieba flags of words that may sit inside / end a Chinese term.
ZH_HEAD = frozenset({"n", "nz", "vn", "nt", "nl", "ng", "j", "an", "nrt", "ns"})
ZH_MODIFIER = ZH_HEAD | frozenset({"a", "b", "ad", "l", "eng"})
#: Verbs may sit inside a Chinese candidate (人工智能/治理/体系), never at its edges.
ZH_INNER = ZH_MODIFIER | frozenset({"v"})
#: Function words that may not start or end an English candidate.
EN_STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "again",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "either",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "first",
        "second",
        "third",
        "fourth",
        "also",
        "et",
        "al",
        "ie",
        "eg",
        "vol",
        "pp",
        "p",
        "no",
        "doi",
    ]
)
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?|\n")
_EN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*|[^\sA-Za-z0-9]")
#: The only function words allowed inside an English candidate.
EN_INNER = frozenset({"of", "and", "for", "with"})
#: Endings of adjectives, participles and gerunds: such a word may not end a candidate,
#: and an -ing/-ed/-ly word may not start one ("ensuring development", "China's national").
_BAD_TAIL = re.compile(r"(?:al|ive|ous|ic|ese|ful|ing|ed)$")
_BAD_HEAD = re.compile(r"(?:ing|ed|ly)$")
_ROMAN = re.compile(r"^[IVXLC]+$")


@dataclass
class Candidate:
    """A proposed term with its evidence."""

    text: str
    lang: str
    frequency: int
    score: float
    contexts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "text": self.text,
            "lang": self.lang,
            "frequency": self.frequency,
            "score": round(self.score, 3),
            "contexts": self.contexts,
        }


def sentences(text: str) -> list[str]:
    """Sentences of *text* (split on Chinese and Western end punctuation and newlines)."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(
            s.strip() for s in re.split(r"(?<=[。！？；!?;])\s*|(?<=\.)\s+(?=[A-Z“\"])", line)
        )
    return [s for s in out if s]


def c_value(freq: Counter[tuple[str, ...]], min_freq: int = 2) -> dict[tuple[str, ...], float]:
    """C-value of every candidate (word tuples) seen at least *min_freq* times."""
    containing: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for cand, f in freq.items():
        if f < min_freq:
            continue
        n = len(cand)
        for size in range(1, n):
            for i in range(n - size + 1):
                sub = cand[i : i + size]
                if sub in freq:
                    containing[sub].append(f)
    scores = {}
    for cand, f in freq.items():
        if f < min_freq:
            continue
        longer = containing.get(cand)
        nested = sum(longer) / len(longer) if longer else 0.0
        scores[cand] = math.log2(len(cand) + 1) * (f - nested)
    return scores


# ------------------------------------------------------------------ Chinese
def _zh_runs(words: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Maximal runs of words that may form a term (Han words of term-like flags)."""
    runs: list[list[tuple[str, str]]] = []
    run: list[tuple[str, str]] = []
    for word, flag in [*words, ("", "x")]:
        if flag in ZH_INNER and has_han(word):
            run.append((word, flag))
        else:
            if run:
                runs.append(run)
            run = []
    return runs


def _zh_spans(run: list[tuple[str, str]]) -> Iterator[tuple[str, ...]]:
    """Sub-runs of up to MAX_WORDS_ZH words that start with a modifier and end with a noun."""
    for i in range(len(run)):
        if run[i][1] not in ZH_MODIFIER:
            continue
        for j in range(i + 1, min(len(run), i + MAX_WORDS_ZH) + 1):
            if run[j - 1][1] in ZH_HEAD:
                cand = tuple(w for w, _ in run[i:j])
                if len(cand) > 1 or len(cand[0]) >= 2:
                    yield cand


def _specificity(word: str) -> float:
    from termbase.lang.segment import general_frequency, general_total

    total = general_total()
    idf = math.log10(total / (general_frequency(word) + 1))
    return min(1.0, idf / math.log10(total))


def extract_zh(
    store: Store | None,
    recognizer: Callable[[], Recognizer] | None,
    text: str,
    *,
    limit: int = 50,
    min_freq: int = 2,
) -> list[Candidate]:
    """Chinese candidates of *text* (see the module docstring)."""
    from termbase.lang import segment

    known = _known_zh(store)
    segment.add_terms(known)
    freq: Counter[tuple[str, ...]] = Counter()
    first_context: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for sentence in sentences(text):
        if not has_han(sentence):
            continue
        for run in _zh_runs(segment.pos_cut(sentence)):
            for cand in _zh_spans(run):
                freq[cand] += 1
                if len(first_context[cand]) < 3 and sentence not in first_context[cand]:
                    first_context[cand].append(sentence)
    out = []
    for cand, cv in c_value(freq, min_freq).items():
        joined = "".join(cand)
        if fold_zh(joined) in known or cv <= 0:
            continue
        spec = sum(_specificity(w) for w in cand) / len(cand)
        out.append(Candidate(joined, ZH, freq[cand], cv * spec, first_context[cand]))
    return _best(out, limit)


def _known_zh(store: Store | None) -> set[str]:
    if store is None:
        return set()
    return {fold_zh(text) for text in store.term_texts("zh")}


# ------------------------------------------------------------------ English
def _en_runs(sentence: str) -> list[list[str]]:
    runs: list[list[str]] = []
    run: list[str] = []
    for tok in [*_EN_TOKEN.findall(sentence), "."]:
        if tok[0].isalpha() and not any(c.isdigit() for c in tok):
            run.append(tok.replace("’", "'"))
        else:
            if run:
                runs.append(run)
            run = []
    return runs


def _mask_known(rec: Any, sentence: str) -> str:
    """*sentence* with known English terms replaced by a break (they are not candidates)."""
    if rec is None:
        return sentence
    for m in reversed(rec.find(sentence, langs="en")):
        sentence = sentence[: m.start] + " | " + sentence[m.end :]
    return sentence


def _is_edge(word: str) -> bool:
    low = word.lower()
    return low in EN_STOP or len(low) < 2 or (low.endswith("'s") and low[:-2] in EN_STOP)


def extract_en(
    store: Store | None,
    recognizer: Callable[[], Recognizer] | None,
    text: str,
    *,
    limit: int = 50,
    min_freq: int = 2,
) -> list[Candidate]:
    """English candidates of *text* (see the module docstring)."""
    from termbase.recognize import en_key

    known = _known_en(store)
    freq: Counter[tuple[str, ...]] = Counter()
    surface: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    contexts: dict[tuple[str, ...], list[str]] = defaultdict(list)
    rec = recognizer() if recognizer is not None else None
    for sentence in sentences(text):
        for run in _en_runs(_mask_known(rec, sentence)):
            low = [w.lower() for w in run]
            for i in range(len(run)):
                if _is_edge(low[i]) or _BAD_HEAD.search(low[i]):
                    continue
                for j in range(i + 1, min(len(run), i + MAX_WORDS_EN) + 1):
                    if _is_edge(low[j - 1]) or (_BAD_TAIL.search(low[j - 1]) and j - i > 1):
                        continue
                    if j - i > 2 and any(
                        w in EN_STOP and w not in EN_INNER for w in low[i + 1 : j - 1]
                    ):
                        break  # a longer n-gram would keep the function word inside
                    span = run[i:j]
                    if j - i == 1 and not (
                        span[0].isupper() and len(span[0]) >= 2 and not _ROMAN.match(span[0])
                    ):
                        continue  # single words only as acronyms
                    key = tuple(en_key(w) for w in low[i:j])
                    freq[key] += 1
                    surface[key][" ".join(span)] += 1
                    if len(contexts[key]) < 3 and sentence not in contexts[key]:
                        contexts[key].append(sentence)
    out = []
    for key, cv in c_value(freq, min_freq).items():
        if " ".join(key) in known or cv <= 0:
            continue
        text_form = _surface(surface[key])
        out.append(Candidate(text_form, EN, freq[key], cv, contexts[key]))
    return _best(out, limit)


def _surface(forms: Counter[str]) -> str:
    """Most frequent written form, preferring lower case when it occurs."""
    best = forms.most_common()
    lower = [f for f, _ in best if f == f.lower()]
    return lower[0] if lower else best[0][0]


def _known_en(store: Store | None) -> set[str]:
    from termbase.recognize import en_key

    if store is None:
        return set()
    return {en_key(text) for text in store.term_texts("en")}


def _best(cands: list[Candidate], limit: int) -> list[Candidate]:
    cands.sort(key=lambda c: (-c.score, -c.frequency, c.text))
    return cands[:limit]


# ------------------------------------------------------------------ service
def extract(
    store: Store | None,
    recognizer: Callable[[], Recognizer] | None,
    text: str,
    *,
    limit: int = 50,
    min_freq: int = 2,
    lang: str | None = None,
) -> list[Candidate]:
    """Candidates of *text*: Chinese when it holds Han characters, else English.

    *store* says which terms are known already; *recognizer* gives the
    automaton that masks known English terms.  Without them every term is new.
    """
    chinese = has_han(text) if lang is None else lang.lower().startswith("zh")
    fn = extract_zh if chinese else extract_en
    return fn(store, recognizer, text, limit=limit, min_freq=min_freq)


def candidate_entries(candidates: Iterable[Candidate], document: str) -> list[Entry]:
    """Proposed entries for *candidates*, each citing *document*, ready to store."""
    source = Source(title=shown_name(document), note=f"termbase extract {document}")
    added = []
    for cand in candidates:
        contexts = [Context(text=c, source=source) for c in cand.contexts]
        term = Term(
            cand.text, lang=cand.lang, status=TermStatus.ADMITTED, contexts=contexts, source=source
        )
        entry = Entry(
            terms=[term],
            review=Review.PROPOSED,
            note=f"candidate from {shown_name(document)}: "
            f"{cand.frequency} occurrences, termhood {cand.score:.2f}",
            sources=[source],
        )
        added.append(entry)
    return added
