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
* Maximal phrases first (:func:`select`): candidates are taken longest
  first, and an occurrence inside an occurrence of a longer candidate
  already taken does not count for the shorter one, so a fragment ("chain
  resilience" of "supply chain resilience", 质生产力 of 新质生产力) keeps only
  its occurrences on its own; it is dropped when fewer than
  ``FRAGMENT_SHARE`` of its occurrences, or fewer than ``min_freq``, are
  its own.  A candidate nearly always followed by another word of a
  phrase (``CUT_SHARE``; "new quality" → productive forces) is cut from a
  longer phrase and dropped too.
* General vocabulary: a one-word Chinese candidate that jieba's general
  dictionary counts as common (specificity under ``GENERAL_WORD``: 基础,
  建设, 国家, 体系) is not a term.
* Ranking: a C-value (Frantzi et al. 2000) over the maximal phrases,
  ``log2(|a| + 1) · own(a)`` with |a| in words and own(a) the occurrences
  not inside a longer candidate, multiplied for Chinese by the mean
  specificity of the words (their inverse frequency in jieba's general
  dictionary, scaled to 0–1).
* :func:`add_candidates` stores candidates as *proposed* entries, each term
  carrying its context sentence and the document as source, so that they
  appear in the TUI's review queue.
"""

from __future__ import annotations

import itertools
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
MAX_WORDS_EN = 7
#: A candidate with fewer of its occurrences outside longer candidates is a fragment.
FRAGMENT_SHARE = 0.25
#: A candidate followed by another word of a phrase this often is cut from a longer one.
CUT_SHARE = 0.75
#: A candidate longer than LONG_PHRASE words needs LONG_PHRASE_FREQ occurrences.
LONG_PHRASE = 4
LONG_PHRASE_FREQ = 4
#: A one-word Chinese candidate less specific than this is general vocabulary.
GENERAL_WORD = 0.5
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
        "ahead",
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
#: Evaluative words that start no term ("key priority", "higher level").
EN_EVALUATIVE = frozenset(
    ["key", "major", "important", "higher", "significant", "further", "various", "certain"]
)
#: The only function words allowed inside an English candidate.
EN_INNER = frozenset({"of", "and", "for", "with", "to"})
#: Endings of adjectives, participles and gerunds: such a word may not end a candidate,
#: and an -ing/-ed/-ly word may not start one ("ensuring development", "China's national").
_BAD_TAIL = re.compile(r"(?:al|ive|ous|ic|ese|ful|ing|ed)$")
_BAD_HEAD = re.compile(r"(?:ing|ed|ly)$")
#: Nouns ending in -ly (not adverbs): they may start a term (supply chain resilience).
_LY_NOUNS = frozenset(["supply", "family", "assembly", "monopoly", "anomaly", "italy", "july"])
_ROMAN = re.compile(r"^[IVXLC]+$")
#: A possessive ("China's") starts no term: the term is what follows it.
_POSSESSIVE = re.compile(r"'s$")


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


#: Where a candidate occurs: (run number, first word, end) in the runs of a text.
Occurrence = tuple[int, int, int]


def select(
    occurrences: dict[tuple[str, ...], list[Occurrence]],
    continues: Callable[[int, int, int], bool],
    min_freq: int = 2,
) -> dict[tuple[str, ...], int]:
    """The maximal phrases among the candidates, with their own occurrences.

    Candidates are taken longest first (then most frequent); an occurrence
    inside an occurrence of a candidate already taken is not its own.  A
    candidate is taken when at least *min_freq* and ``FRAGMENT_SHARE`` of its
    occurrences are its own and it is not followed by another word of a
    phrase (``continues(run, start, end)``) in ``CUT_SHARE`` of its own.  A
    candidate of more than ``LONG_PHRASE`` words needs ``LONG_PHRASE_FREQ``
    occurrences (a long phrase seen twice is a description, not a term).
    """
    taken: dict[int, list[tuple[int, int]]] = defaultdict(list)  # run -> spans taken
    own: dict[tuple[str, ...], int] = {}
    order = sorted(occurrences, key=lambda c: (-len(c), -len(occurrences[c]), c))
    for cand in order:
        places = occurrences[cand]
        if len(places) < (max(min_freq, LONG_PHRASE_FREQ) if len(cand) > LONG_PHRASE else min_freq):
            continue
        free = [
            (run, i, j) for run, i, j in places if not any(a <= i and j <= b for a, b in taken[run])
        ]
        if len(free) < max(min_freq, FRAGMENT_SHARE * len(places)):
            continue
        if sum(continues(run, i, j) for run, i, j in free) >= CUT_SHARE * len(free):
            continue
        own[cand] = len(free)
        for run, i, j in places:
            taken[run].append((i, j))
    return own


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


def _zh_spans(run: list[tuple[str, str]]) -> Iterator[tuple[int, int]]:
    """(start, end) of the sub-runs of up to MAX_WORDS_ZH words that start with a
    modifier and end with a noun."""
    for i in range(len(run)):
        if run[i][1] not in ZH_MODIFIER:
            continue
        for j in range(i + 1, min(len(run), i + MAX_WORDS_ZH) + 1):
            if run[j - 1][1] in ZH_HEAD and (j - i > 1 or len(run[i][0]) >= 2):
                yield i, j


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
    places: dict[tuple[str, ...], list[Occurrence]] = defaultdict(list)
    first_context: dict[tuple[str, ...], list[str]] = defaultdict(list)
    runs: list[list[tuple[str, str]]] = []
    for sentence in sentences(text):
        if not has_han(sentence):
            continue
        for run in _zh_runs(segment.pos_cut(sentence)):
            number = len(runs)
            runs.append(run)
            for i, j in _zh_spans(run):
                cand = tuple(w for w, _ in run[i:j])
                places[cand].append((number, i, j))
                if len(first_context[cand]) < 3 and sentence not in first_context[cand]:
                    first_context[cand].append(sentence)
    out = []

    def continues(run: int, start: int, end: int) -> bool:  # the noun phrase goes on
        words = runs[run]
        after = end < len(words) and (*[w for w, _ in words[start : end + 1]],) in places
        return after and len(places[tuple(w for w, _ in words[start : end + 1])]) >= min_freq

    for cand, own in select(places, continues, min_freq).items():
        joined = "".join(cand)
        if fold_zh(joined) in known:
            continue
        spec = sum(_specificity(w) for w in cand) / len(cand)
        if len(cand) == 1 and spec < GENERAL_WORD:
            continue  # general vocabulary (基础, 建设, 国家, 体系)
        score = math.log2(len(cand) + 1) * own * spec
        out.append(Candidate(joined, ZH, len(places[cand]), score, first_context[cand]))
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
    places: dict[tuple[str, ...], list[Occurrence]] = defaultdict(list)
    surface: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    contexts: dict[tuple[str, ...], list[str]] = defaultdict(list)
    runs: list[list[str]] = []  # the lower-case words of each run
    runs_text: list[list[str]] = []  # and as written
    rec = recognizer() if recognizer is not None else None
    verbs = _verbs(text) | EN_EVALUATIVE  # words that start no candidate
    for sentence in sentences(text):
        for run in _en_runs(_mask_known(rec, sentence)):
            low = [w.lower() for w in run]
            number = len(runs)
            runs.append(low)
            runs_text.append(run)
            for i in range(len(run)):
                if _is_edge(low[i]) or low[i] in verbs:
                    continue
                if _BAD_HEAD.search(low[i]) and low[i] not in _LY_NOUNS:
                    continue
                if _POSSESSIVE.search(low[i]) and not (
                    i + 1 < len(run) and run[i + 1][0].isupper()
                ):
                    continue  # China's national …, but People's Republic of China
                for j in range(i + 1, min(len(run), i + MAX_WORDS_EN) + 1):
                    if _is_edge(low[j - 1]) or (_BAD_TAIL.search(low[j - 1]) and j - i > 1):
                        continue
                    if _third_person(low[j - 1], verbs):
                        continue  # China needs, Xi stresses
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
                    places[key].append((number, i, j))
                    surface[key][" ".join(span)] += 1
                    if len(contexts[key]) < 3 and sentence not in contexts[key]:
                        contexts[key].append(sentence)

    def continues(run: int, start: int, end: int) -> bool:
        """The phrase goes on: into a recurring longer candidate (or, for one with
        "and", "of" … inside, into any word), or from a word before it that is
        neither a function word nor a verb."""
        words = runs[run]
        if end < len(words) and not _is_edge(words[end]):
            if any(w in EN_INNER for w in words[start:end]):
                return True  # a phrase with "and"/"of" … ends at a boundary
            if grams[tuple(words[start : end + 1])] >= min_freq:
                return True  # goes on into a recurring phrase: new quality | national …
        if end - start == 2 and end < len(words) and words[end] in ("to", "that"):
            first, last = runs_text[run][start], words[end - 1]
            if first[:1].isupper() and last.endswith("s"):
                return True  # a subject and its verb: China needs | to …
        before = words[start - 1] if start else ""
        return bool(before) and not (
            _is_edge(before) or before in verbs or _POSSESSIVE.search(before)
        )

    grams: Counter[tuple[str, ...]] = Counter(  # word sequences one longer than a candidate
        tuple(words[i : i + n])
        for words in runs
        for n in range(2, MAX_WORDS_EN + 2)
        for i in range(len(words) - n + 1)
    )
    out = []
    for key, own in select(places, continues, min_freq).items():
        if " ".join(key) in known:
            continue
        text_form = _surface(surface[key])
        score = math.log2(len(key) + 1) * own
        out.append(Candidate(text_form, EN, len(places[key]), score, contexts[key]))
    return _best(out, limit)


def _verbs(text: str) -> set[str]:
    """Words this text uses as verbs more than as nouns: more often after "to" or a
    modal verb than after an article or "of" ("to safeguard", "must face", not "the
    safeguard"); no term starts with one (safeguard national security), nor ends
    with one in the third person (China needs)."""
    after: dict[str, Counter[str]] = defaultdict(Counter)
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text)]
    for before, word in itertools.pairwise(words):
        if before in _VERB_BEFORE:
            after[word]["to"] += 1
        elif before in ("the", "a", "an", "of"):
            after[word]["noun"] += 1
    return {w for w, seen in after.items() if seen["to"] >= 2 and seen["to"] > seen["noun"]}


#: Words before a verb's plain form: "to" and the modal verbs.
_VERB_BEFORE = frozenset(["to", "will", "must", "should", "can", "may", "would", "could", "shall"])


def _third_person(word: str, verbs: set[str]) -> bool:
    """*word* is a verb of *verbs* with the -s of the third person (needs, stresses)."""
    return word.endswith("s") and (
        word[:-1] in verbs or (word.endswith("es") and word[:-2] in verbs)
    )


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
