"""Term extraction: new term candidates from a document, with contexts.

Contract: :func:`extract` returns :class:`Candidate` objects, best first,
for terms the termbase does not hold yet.

* Chinese text is segmented by :mod:`termbase.lang.segment` (jieba, every
  termbase Chinese term loaded as a user word so known terms stay whole).
  Candidates are runs of 1–4 content words (nouns, verbal nouns, proper
  nouns, abbreviations, with adjectives/distinguishers in front) ending in
  a noun.
* English text gives word n-grams (2–7 words, no stop word at either edge
  but an ordinal may start one, no punctuation inside) and acronyms.  Known
  terms stay in the text and compete (their fragments are not proposed,
  longer terms around them are); they are left out of the result.
* Noun phrases, not clauses (:func:`_not_a_term`): an English candidate
  ends in a word that can be a noun, holds no word that can only be a verb
  and no function word, and is no name with its verb ("laid down", "Xi
  said", "toward national rejuvenation"), no participle clause ("changes
  taking place") and no phrasal verb ("difficulties head | on,"); parts of
  speech from LemmInflect's lexicon.  A candidate seen only in titles of
  cited works (quoted Title Case: "Full Text of …") is no term.  Such a
  candidate is never taken, so the terms inside it keep their occurrences.
* Maximal phrases first (:func:`select`): candidates are taken longest
  first, and an occurrence inside an occurrence of a longer candidate
  already taken does not count for the shorter one, so a fragment ("chain
  resilience" of "supply chain resilience", 质生产力 of 新质生产力) keeps only
  its occurrences on its own; it is dropped when fewer than
  ``FRAGMENT_SHARE`` of its occurrences, or fewer than ``min_freq``, are
  its own.  A candidate nearly always followed by another word of a
  phrase (``CUT_SHARE``; "new quality" → productive forces) is cut from a
  longer phrase and dropped too.  But a candidate inside ``NESTED_TYPES``
  different longer candidates taken is a term of its own (C-value's
  evidence: "technological revolution"), its occurrences inside them shared.
* General vocabulary: a one-word Chinese candidate that jieba's general
  dictionary counts as common (specificity under ``GENERAL_WORD``: 基础,
  建设, 国家, 体系) is not a term; nor is an English one in lower case none
  of whose words the text uses ``CHARACTERISTIC`` times as often as general
  English does (wordfreq): "past five years", "world today".
* Ranking: a C-value (Frantzi et al. 2000) over the maximal phrases,
  ``log2(|a| + 1) · own(a)`` with |a| in words and own(a) the occurrences
  not inside a longer candidate; for English doubled (``KNOWN_INSIDE``)
  when the candidate holds a multi-word term of the termbase, for Chinese
  multiplied by the mean specificity of the words (their inverse frequency
  in jieba's general dictionary, scaled to 0–1).  Equal English scores put
  first the phrase whose words are more characteristic of the text
  (:func:`_keyness`).
* Bounded memory: the text is read twice, part by part (a file line by
  line, :class:`termbase.qa.TextLines`).  The first pass counts the
  candidates (and, for English, the words the text uses as verbs and its
  recurring word sequences); the second records, per occurrence of a
  candidate frequent enough to be taken, which frequent longer candidates
  contain it and whether the phrase goes on (:class:`Tally`).  Selection
  works on these counts alone.  Every counter holds at most ``COUNTER_CAP``
  items: past it the least frequent are dropped (:func:`_prune`), so memory
  is a fixed budget plus the result, whatever the document's length.  Until
  a counter overflows, the result is exactly that of the whole text at once;
  after, counts below the dropped floor are lost (a candidate rarer than the
  floor can vanish; a fragment whose containing phrases were dropped counts
  those occurrences as its own).
* :func:`add_candidates` stores candidates as *proposed* entries, each term
  carrying its context sentence and the document as source, so that they
  appear in the TUI's review queue.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from termbase.fileio import shown_name
from termbase.lang import fold_zh, has_han
from termbase.model import EN, ZH, Context, Entry, Review, Source, Term, TermStatus

if TYPE_CHECKING:
    from termbase.store import Store

#: Longest candidate, in words.
MAX_WORDS_ZH = 4
MAX_WORDS_EN = 7
#: A candidate with fewer of its occurrences outside longer candidates is a fragment.
FRAGMENT_SHARE = 0.25
#: A candidate nested in this many different longer candidates taken is a term of
#: its own, whatever share of its occurrences they hold (C-value's evidence:
#: "technological revolution" in First/Second/Third Technological Revolution and
#: scientific and technological revolution; "plenary session" in third/fifth …).
NESTED_TYPES = 3
#: A candidate followed by another word of a phrase this often is cut from a longer one.
CUT_SHARE = 0.75
#: A candidate longer than LONG_PHRASE words needs LONG_PHRASE_FREQ occurrences.
LONG_PHRASE = 4
LONG_PHRASE_FREQ = 4
#: A one-word Chinese candidate less specific than this is general vocabulary.
GENERAL_WORD = 0.6
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
        "toward",
        "towards",
        "amid",
        "among",
        "around",
        "along",
        "beyond",
        "despite",
        "since",
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
#: Endings of nouns, for words the part-of-speech lexicon does not know
#: (unilateralism, protectionism); other unknown words head no noun phrase
#: (underway, toward).
_NOUN_ENDING = re.compile(
    r"(?:ism|ity|tion|sion|ment|ness|ance|ence|ship|hood|ist|ure|acy|logy|ics)$"
)
#: An English candidate none of whose words the text uses at least this many
#: times more often than general English does is general vocabulary ("recent
#: years", "world today"): a term has a word characteristic of the text.
CHARACTERISTIC = 10.0
#: A word the part-of-speech lexicon does not know that is at least this common
#: in general English (a share of all words: Zipf 4.5) is a function word
#: ("toward"), not part of a noun phrase; names and rare words are not.
FUNCTION_WORD = 10**-4.5
#: The termbase defines the domain: a candidate holding one of its terms of two
#: words or more ranks this many times higher (national security institutions,
#: around the known national security); a generic phrase holds none (top priority).
KNOWN_INSIDE = 2.0
#: The general frequency assumed for a word wordfreq does not know.
GENERAL_FLOOR = 1e-8
#: Nouns ending in -ly (not adverbs): they may start a term (supply chain resilience).
_LY_NOUNS = frozenset(["supply", "family", "assembly", "monopoly", "anomaly", "italy", "july"])
_ROMAN = re.compile(r"^[IVXLC]+$")
#: A possessive ("China's") starts no term: the term is what follows it.
_POSSESSIVE = re.compile(r"'s$")
#: Adverbial particles: one ending a clause after a word that can be a verb makes a
#: phrasal verb of it ("meet obstacles and difficulties head on,"), not a noun.
_PARTICLES = frozenset(["on", "off", "up", "down", "out", "away", "back"])
#: Ordinals: they end no term but may start one (third plenary session, second
#: centenary goal); a generic one ("first time") is general vocabulary.
_ORDINALS = frozenset(["first", "second", "third", "fourth"])
#: A quoted span: when written in Title Case it is the title of a cited work
#: (“Full Text of the Report to …”, “Secure a Decisive Victory …”); a
#: candidate seen only inside such titles is a piece of a title, no term.
_QUOTED = re.compile(r"[“\"]([^“”\"]+)[”\"]")
#: A quoted span of at least TITLE_WORDS words other than function words, at
#: least TITLE_SHARE of them capitalised, is a title.
TITLE_WORDS = 3
TITLE_SHARE = 0.75


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


#: A candidate: its words (Chinese) or word keys (English).
Key = tuple[str, ...]
#: The candidates around an occurrence: the keys of the longer candidates that
#: contain it in its run (only those frequent enough to be taken).
Around = frozenset[Key]

#: Most items one streaming counter holds.  Past it, the items seen least often
#: are dropped (:func:`_prune`) until it is half full, so memory stays a fixed
#: budget whatever the document's length; counts stay exact until then.
COUNTER_CAP = 400_000


def _prune(counter: Counter[Any], *also: dict[Any, Any]) -> None:
    """Drop the least frequent items of *counter* (and their entries in *also*)
    when it holds more than ``COUNTER_CAP``, until it holds at most half of it."""
    cap = COUNTER_CAP
    if len(counter) <= cap:
        return
    sizes = Counter(counter.values())
    left, floor = len(counter), 0
    for count in sorted(sizes):
        if left <= cap // 2:
            break
        left -= sizes[count]
        floor = count
    for item in [k for k, n in counter.items() if n <= floor]:
        del counter[item]
        for other in also:
            other.pop(item, None)


def _need(cand: Key, min_freq: int) -> int:
    """Occurrences *cand* needs to be a term: a long phrase seen twice is a description."""
    return max(min_freq, LONG_PHRASE_FREQ) if len(cand) > LONG_PHRASE else min_freq


@dataclass
class Tally:
    """What extraction keeps of a streamed document: per candidate, its occurrences
    by the candidates around them, and its first contexts and written forms.

    Every counter is bounded by ``COUNTER_CAP`` (see :func:`_prune`)."""

    freq: Counter[Key] = field(default_factory=Counter)
    #: (candidate, the candidates around an occurrence) -> occurrences
    spots: Counter[tuple[Key, Around]] = field(default_factory=Counter)
    #: … of which the phrase goes on (``CUT_SHARE``)
    going_on: Counter[tuple[Key, Around]] = field(default_factory=Counter)
    contexts: dict[Key, list[str]] = field(default_factory=dict)
    forms: dict[Key, Counter[str]] = field(default_factory=dict)

    def add(
        self, key: Key, around: Around, goes_on: bool, sentence: str, form: str | None = None
    ) -> None:
        """One occurrence of *key* in *sentence* (written *form*)."""
        self.freq[key] += 1
        self.spots[key, around] += 1
        if goes_on:
            self.going_on[key, around] += 1
        seen = self.contexts.setdefault(key, [])
        if len(seen) < 3 and sentence not in seen:
            seen.append(sentence)
        if form is not None:
            self.forms.setdefault(key, Counter())[form] += 1

    def prune(self) -> None:
        """Keep every counter within ``COUNTER_CAP``."""
        _prune(self.freq, self.contexts, self.forms)
        _prune(self.spots, self.going_on)


def select(
    tally: Tally, min_freq: int = 2, allowed: Callable[[Key], bool] | None = None
) -> dict[Key, int]:
    """The maximal phrases among the candidates, with their own occurrences.

    Candidates are taken longest first (then most frequent); an occurrence
    inside an occurrence of a candidate already taken is not its own.  A
    candidate is taken when at least *min_freq* and ``FRAGMENT_SHARE`` of its
    occurrences are its own and the phrase does not go on (into another word
    of a phrase) in ``CUT_SHARE`` of its own.  A candidate of more than
    ``LONG_PHRASE`` words needs ``LONG_PHRASE_FREQ`` occurrences.  A candidate
    that is not *allowed* is never taken: its occurrences stay with the
    candidates inside it.
    """
    spots: dict[Key, list[tuple[Around, int, int]]] = defaultdict(list)
    for (cand, around), n in tally.spots.items():
        spots[cand].append((around, n, tally.going_on[cand, around]))
    taken: set[Key] = set()
    own: dict[Key, int] = {}
    freq = tally.freq
    for cand in sorted(freq, key=lambda c: (-len(c), -freq[c], c)):
        if freq[cand] < _need(cand, min_freq) or (allowed is not None and not allowed(cand)):
            continue
        free = sum(n for around, n, _ in spots[cand] if taken.isdisjoint(around))
        containers = {k for around, _, _ in spots[cand] for k in around if k in taken}
        going_all = sum(g for _, _, g in spots[cand])
        if len(containers) >= NESTED_TYPES and going_all < CUT_SHARE * freq[cand]:
            # C-value: occurrences inside longer candidates count shared among them
            own[cand] = round(free + (freq[cand] - free) * (1 - 1 / len(containers)))
            taken.add(cand)
            continue
        if free < max(min_freq, FRAGMENT_SHARE * freq[cand]):
            continue
        going_on = sum(g for around, _, g in spots[cand] if taken.isdisjoint(around))
        if going_on >= CUT_SHARE * free:
            continue
        own[cand] = free
        taken.add(cand)
    return own


def _around(
    spans: dict[tuple[int, int], Key], i: int, j: int, longest: int, frequent: Callable[[Key], bool]
) -> Around:
    """The frequent candidates of *spans* (one run's) that contain the span *i*–*j*."""
    return frozenset(
        key
        for a in range(max(0, j - longest), i + 1)
        for b in range(j, a + longest + 1)
        if (a, b) != (i, j) and (key := spans.get((a, b))) is not None and frequent(key)
    )


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
    idf = math.log10(total / (general_frequency(fold_zh(word)) + 1))  # 發展 counts as 发展
    return min(1.0, idf / math.log10(total))


def extract_zh(
    store: Store | None,
    units: Iterable[str],
    *,
    limit: int = 50,
    min_freq: int = 2,
) -> list[Candidate]:
    """Chinese candidates of the texts *units* (read twice; see the module docstring)."""
    from termbase.lang import segment

    known = _known_zh(store)
    segment.add_terms(known)

    def runs() -> Iterator[tuple[str, list[tuple[str, str]]]]:
        for unit in units:
            for sentence in sentences(unit):
                if has_han(sentence):
                    for run in _zh_runs(segment.pos_cut(sentence)):
                        yield sentence, run

    # first pass: how often each candidate occurs
    freq: Counter[Key] = Counter()
    for _sentence, run in runs():
        freq.update(tuple(w for w, _ in run[i:j]) for i, j in _zh_spans(run))
        _prune(freq)

    def frequent(key: Key) -> bool:
        return freq[key] >= _need(key, min_freq)

    # second pass: where the frequent ones occur
    tally = Tally()
    for sentence, run in runs():
        words = [w for w, _ in run]
        spans = {(i, j): tuple(words[i:j]) for i, j in _zh_spans(run)}
        for (i, j), key in spans.items():
            if not frequent(key):
                continue
            # the noun phrase goes on into a recurring candidate
            goes_on = j < len(words) and freq.get((*key, words[j]), 0) >= min_freq
            tally.add(key, _around(spans, i, j, MAX_WORDS_ZH, frequent), goes_on, sentence)
        tally.prune()

    out = []
    for cand, own in select(tally, min_freq).items():
        joined = "".join(cand)
        if fold_zh(joined) in known:
            continue
        spec = sum(_specificity(w) for w in cand) / len(cand)
        if len(cand) == 1 and spec < GENERAL_WORD:
            continue  # general vocabulary (基础, 建设, 国家, 体系)
        score = math.log2(len(cand) + 1) * own * spec
        out.append(Candidate(joined, ZH, tally.freq[cand], score, tally.contexts[cand]))
    return _best(out, limit)


def _known_zh(store: Store | None) -> set[str]:
    if store is None:
        return set()
    return {fold_zh(text) for text in store.term_texts("zh")}


# ------------------------------------------------------------------ English
def _is_title(quoted: str) -> bool:
    """*quoted* (a quoted span) is the title of a cited work: in Title Case."""
    content = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", quoted) if not _is_edge(w)]
    capitals = sum(w[0].isupper() for w in content)
    return len(content) >= TITLE_WORDS and capitals >= TITLE_SHARE * len(content)


def _en_runs(sentence: str) -> list[list[str]]:
    """Runs of words of *sentence* with no punctuation between them."""
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


def _titles(sentence: str) -> Iterator[str]:
    """The titles of cited works quoted in *sentence* (Title Case quoted spans)."""
    return (m.group(1) for m in _QUOTED.finditer(sentence) if _is_title(m.group(1)))


def _is_edge(word: str) -> bool:
    low = word.lower()
    return low in EN_STOP or len(low) < 2 or (low.endswith("'s") and low[:-2] in EN_STOP)


def _en_spans(run: list[str], low: list[str], verbs: Set[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of the candidate n-grams of a run (*low*: its words in lower case);
    none starts with a word of *verbs* or ends with one in the third person."""
    for i in range(len(run)):
        if (_is_edge(low[i]) and low[i] not in _ORDINALS) or low[i] in verbs:
            continue
        if _BAD_HEAD.search(low[i]) and low[i] not in _LY_NOUNS:
            continue
        if _POSSESSIVE.search(low[i]) and not (i + 1 < len(run) and run[i + 1][0].isupper()):
            continue  # China's national …, but People's Republic of China
        for j in range(i + 1, min(len(run), i + MAX_WORDS_EN) + 1):
            if _is_edge(low[j - 1]) or (_BAD_TAIL.search(low[j - 1]) and j - i > 1):
                continue
            if _third_person(low[j - 1], verbs):
                continue  # China needs, Xi stresses
            if j + 1 == len(low) and low[j] in _PARTICLES and _may_be_verb(low[j - 1]):
                continue  # a phrasal verb ends the clause: difficulties head | on
            if j - i > 2 and any(w in EN_STOP and w not in EN_INNER for w in low[i + 1 : j - 1]):
                break  # a longer n-gram would keep the function word inside
            if j - i == 1 and not (
                run[i].isupper() and len(run[i]) >= 2 and not _ROMAN.match(run[i])
            ):
                continue  # single words only as acronyms
            yield i, j


def _may_be_verb(word: str) -> bool:
    """The lexicon knows *word* as a verb (among other parts of speech)."""
    from termbase.lang.en import word_classes

    return "VERB" in word_classes(word)


def extract_en(
    store: Store | None,
    units: Iterable[str],
    *,
    limit: int = 50,
    min_freq: int = 2,
) -> list[Candidate]:
    """English candidates of the texts *units* (read twice; see the module docstring)."""
    from termbase.recognize import en_key

    known = _known_en(store)

    def runs() -> Iterator[tuple[str, list[str], list[str]]]:
        """(sentence, run as written, run in lower case) of the text."""
        for unit in units:
            for sentence in sentences(unit):
                for run in _en_runs(sentence):
                    yield sentence, run, [w.lower() for w in run]

    # first pass: the words used as verbs, recurring word sequences, and an upper
    # bound of each candidate's occurrences (counted before the verbs are known)
    uses = _WordUses()
    grams: Counter[Key] = Counter()  # word sequences up to one longer than a candidate
    upper: Counter[Key] = Counter()
    titled: Counter[Key] = Counter()  # … of which inside titles of cited works
    for unit in units:
        uses.read(unit)
        for sentence in sentences(unit):
            for run in _en_runs(sentence):
                low = [w.lower() for w in run]
                grams.update(
                    tuple(low[i : i + n])
                    for n in range(2, MAX_WORDS_EN + 2)
                    for i in range(len(low) - n + 1)
                )
                every = _en_spans(run, low, frozenset())
                upper.update(tuple(en_key(w) for w in low[i:j]) for i, j in every)
            for title in _titles(sentence):
                for run in _en_runs(title):
                    low = [w.lower() for w in run]
                    every = _en_spans(run, low, frozenset())
                    titled.update(tuple(en_key(w) for w in low[i:j]) for i, j in every)
        _prune(grams)
        _prune(upper)
        _prune(titled)
    verbs = uses.verbs() | EN_EVALUATIVE  # words that start no candidate

    def frequent(key: Key) -> bool:
        return upper[key] >= _need(key, min_freq)

    def continues(run: list[str], low: list[str], start: int, end: int) -> bool:
        """The phrase goes on: into a recurring longer candidate (or, for one with
        "and", "of" … inside, into any word), or from a word before it that is
        neither a function word nor a verb."""
        if end < len(low) and not _is_edge(low[end]):
            if any(w in EN_INNER for w in low[start:end]):
                return True  # a phrase with "and"/"of" … ends at a boundary
            if grams[tuple(low[start : end + 1])] >= min_freq:
                return True  # goes on into a recurring phrase: new quality | national …
        if (
            end - start == 2
            and end < len(low)
            and low[end] in ("to", "that")
            and run[start][:1].isupper()
            and low[end - 1].endswith("s")
        ):
            return True  # a subject and its verb: China needs | to …
        before = low[start - 1] if start else ""
        return bool(before) and not (
            _is_edge(before) or before in verbs or _POSSESSIVE.search(before)
        )

    # second pass: where the frequent candidates occur
    tally = Tally()
    for sentence, run, low in runs():
        spans = {(i, j): tuple(en_key(w) for w in low[i:j]) for i, j in _en_spans(run, low, verbs)}
        for (i, j), key in spans.items():
            if frequent(key):
                around = _around(spans, i, j, MAX_WORDS_EN, frequent)
                goes_on = continues(run, low, i, j)
                tally.add(key, around, goes_on, sentence, " ".join(run[i:j]))
        tally.prune()

    def frequency(text: str) -> int:
        return tally.freq.get(tuple(en_key(w) for w in text.lower().split()), 0)

    def allowed(key: Key) -> bool:  # a known term is a term
        if " ".join(key) in known:
            return True
        if titled[key] >= upper[key]:
            return False  # seen only in titles of cited works: Full Text (of …)
        return _not_a_term(_surface(tally.forms[key]).split(), frequency, uses) is None

    out = []
    for key, own in select(tally, min_freq, allowed).items():
        if " ".join(key) in known:
            continue
        score = math.log2(len(key) + 1) * own * (KNOWN_INSIDE if _holds(key, known) else 1.0)
        text = _surface(tally.forms[key])
        out.append(Candidate(text, EN, tally.freq[key], score, tally.contexts[key]))
    # equal scores: the phrase whose words are more characteristic of the text first
    return _best(out, limit, tie=lambda c: _keyness(c.text.split(), uses))


def _not_a_term(words: list[str], frequency: Callable[[str], int], uses: _WordUses) -> str | None:
    """Why the English candidate *words* (as written) is no term, or None.

    *frequency* gives how often a phrase occurs in the text; *uses*: the
    text's word counts.  Parts of speech from LemmInflect's lexicon and
    general English frequencies from wordfreq (:mod:`termbase.lang.en`).
    """
    from termbase.lang.en import general_frequency, word_classes

    if len(words) == 1:
        return None  # an acronym
    if not _may_be_noun(words[-1]):
        return "no noun at its end"  # laid down, well underway, home and abroad
    for word in words:
        kinds = word_classes(word)
        if kinds == {"VERB"}:
            return "a verb inside"  # Xi said, revolution took humanity
        if (
            not kinds
            and word.islower()
            and word not in EN_INNER
            and general_frequency(word) >= FUNCTION_WORD
        ):
            return "a function word inside"  # toward national rejuvenation
    for before, word in itertools.pairwise(words[:-1]):
        if (
            word.lower().endswith("ing")
            and "VERB" in word_classes(word)
            and before.lower().endswith("s")
            and "NOUN" in word_classes(before)
        ):
            return "a participle clause"  # once-in-a-century changes taking place
    if (
        len(words) == 2
        and words[0][:1].isupper()
        and not word_classes(words[0])
        and "VERB" in word_classes(words[1])
        and words[1].lower().endswith("s")
    ):
        return "a name and its verb"  # Xi Stresses
    if len(words) > 2 and words[1] in ("of", "for"):
        described = frequency(" ".join(words[2:]))
        if described * FRAGMENT_SHARE >= frequency(" ".join(words)):
            return "one word describing a term"  # pursuit of high-quality development
    content = [w for w in words if w not in EN_INNER]
    if all(w.islower() and "-" not in w for w in content) and all(
        uses.characteristic(w) < CHARACTERISTIC for w in content
    ):
        # (wordfreq knows a hyphenated compound only by its parts: five-year plans)
        return "general vocabulary"  # past five years, recent years, world today
    return None


def _keyness(words: list[str], uses: _WordUses) -> float:
    """How characteristic of the text the content words of a candidate are: the
    mean of log10 of how many times more often the text uses each than general
    English does (none below 0).  It breaks ties in the ranking only: as a factor
    of the score it measured worse (see docs/extract-precision.md)."""
    content = [w for w in words if w.lower() not in EN_INNER]
    logs = [math.log10(max(uses.characteristic(w), 1.0)) for w in content]
    return sum(logs) / max(len(logs), 1)


def _holds(key: Key, known: Set[str]) -> bool:
    """The candidate *key* holds a term of *known* of two words or more (not all of it)."""
    return any(
        " ".join(key[a:b]) in known
        for a in range(len(key))
        for b in range(a + 2, len(key) + 1)
        if b - a < len(key)
    )


def _may_be_noun(word: str) -> bool:
    """*word* can head a noun phrase: the lexicon knows it as a noun, or it is
    a name (capitalised, not a verb), or an unknown word with a noun's ending."""
    from termbase.lang.en import word_classes

    if _POSSESSIVE.search(word):
        return False  # shapes China's
    kinds = word_classes(word)
    if kinds:
        return "NOUN" in kinds or (word[:1].isupper() and "VERB" not in kinds)
    return word[:1].isupper() or bool(_NOUN_ENDING.search(word.lower()))


class _WordUses:
    """How a text uses its words, read in parts, in order: how often each occurs
    (:meth:`characteristic`), and which it uses as verbs more than as nouns: more
    often after "to" or a modal verb than after an article or "of" ("to
    safeguard", "must face", not "the safeguard"); no term starts with one
    (safeguard national security), nor ends with one in the third person (China
    needs)."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.total = 0
        self.as_verb: Counter[str] = Counter()
        self.as_noun: Counter[str] = Counter()
        self.last = ""  # the last word read: a pair may span two parts

    def read(self, text: str) -> None:
        """Count the words and word pairs of the next part of the text."""
        words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text)]
        self.count.update(words)
        self.total += len(words)
        for before, word in itertools.pairwise([self.last, *words]):
            if before in _VERB_BEFORE:
                self.as_verb[word] += 1
            elif before in ("the", "a", "an", "of"):
                self.as_noun[word] += 1
        if words:
            self.last = words[-1]
        _prune(self.count)
        _prune(self.as_verb)
        _prune(self.as_noun)

    def characteristic(self, word: str) -> float:
        """How many times more often the text uses *word* than general English."""
        from termbase.lang.en import general_frequency

        share = self.count[word.lower().replace("’", "'")] / max(self.total, 1)
        return share / max(general_frequency(word), GENERAL_FLOOR)

    def verbs(self) -> set[str]:
        """The words used as verbs (at least twice, more often than as nouns)."""
        return {w for w, n in self.as_verb.items() if n >= 2 and n > self.as_noun[w]}


#: Words before a verb's plain form: "to" and the modal verbs.
_VERB_BEFORE = frozenset(["to", "will", "must", "should", "can", "may", "would", "could", "shall"])


def _third_person(word: str, verbs: Set[str]) -> bool:
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


def _best(
    cands: list[Candidate], limit: int, tie: Callable[[Candidate], float] | None = None
) -> list[Candidate]:
    """The *limit* best of *cands*: by score, then frequency, then *tie* (higher first)."""
    cands.sort(key=lambda c: (-c.score, -c.frequency, -(tie(c) if tie else 0.0), c.text))
    return cands[:limit]


# ------------------------------------------------------------------ service
def extract(
    store: Store | None,
    text: str | Iterable[str],
    *,
    limit: int = 50,
    min_freq: int = 2,
    lang: str | None = None,
) -> list[Candidate]:
    """Candidates of *text*: Chinese when it holds Han characters, else English.

    *text* is a string or the document's parts in order (its lines, say).
    It is read twice (the second pass knows which candidates recur): give
    parts that can be iterated again, such as :class:`termbase.qa.TextLines`,
    which streams a file each time, so that memory stays ``COUNTER_CAP``
    items whatever the document's length.  A one-shot iterator is kept in
    memory.  *store* says which terms are known already (without it every
    term is new).
    """
    units: Iterable[str]
    if isinstance(text, str):
        units = (text,)
    elif iter(text) is text:
        units = list(text)
    else:
        units = text
    if lang is None:
        chinese = any(has_han(unit) for unit in units)
    else:
        chinese = lang.lower().startswith("zh")
    fn = extract_zh if chinese else extract_en
    return fn(store, units, limit=limit, min_freq=min_freq)


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
