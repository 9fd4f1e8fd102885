"""Search: what a translator types → ranked entries, in a few index lookups.

What a query finds (the keys are described in :mod:`termbase.store.index`):

* Chinese of any length, simplified or traditional (folded to simplified
  with OpenCC's character table): exact, prefix, and substring (1- and
  2-character keys, a trigram index for longer queries).
* Pinyin: toned, toneless, with or without spaces, tone numbers, initials;
  whole-term, prefix, and from any later word of the term.
* English: words in any order and inflection (Porter stemmer), phrases in
  quotes, case-insensitive, any substring of three characters or more;
  when nothing is found, a typo-tolerant pass replaces each unknown word
  by the closest indexed word (rapidfuzz).
* Full-width/half-width, dash and quote variants fold (ＧＤＩ = GDI,
  win–win = win-win, China’s = China's).

Ranking: exact > prefix > substring > fuzzy; then preferred > admitted >
deprecated > superseded; then approved > proposed > rejected; then
shorter terms.  Each candidate list is capped (``CANDIDATES``) and read in
rank order from the index, so a frequent key never costs a scan of every
hit; when exact and prefix matches already fill ``limit`` entries the
substring lookups are skipped (nothing they find could rank higher).  With
filters, the lookups are read deeper (×``FILTER_GROWTH``, up to
``CANDIDATES_FILTERED``) while fewer than ``limit`` hits survive.  Within a
capped prefix list (a range of keys, e.g. every term starting with 发) the
first ``CANDIDATES`` keys in code-point order are ranked, not all of them.
A deprecated rendering that matches carries the preferred one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from termbase.lang import fold, fold_pinyin, has_han, squeeze, t2s_chars
from termbase.model import Entry, Review, Source, Term, TermStatus
from termbase.store.index import REVIEW_RANK as _REVIEW_RANK
from termbase.store.index import SUFFIX_INITIALS, SUFFIX_PINYIN_CHARS, rank_of

if TYPE_CHECKING:
    from termbase.store.index import SearchIndex

MATCH_RANK = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3}
MATCH_NAME = {v: k for k, v in MATCH_RANK.items()}
REVIEW_RANK = {r.value: n for r, n in _REVIEW_RANK.items()}
STATUS_RANK = {s.value: s.rank for s in TermStatus}

#: How many candidates each lookup reads; when filters leave fewer than
#: ``limit`` hits of a capped list, the lookups run again reading
#: ``FILTER_GROWTH`` times deeper, up to ``CANDIDATES_FILTERED``.
CANDIDATES = 200
FILTER_GROWTH = 10
CANDIDATES_FILTERED = 2000
#: Typo pass: the least rapidfuzz similarity (0–100) for a replacement word.
TYPO_MIN_SIMILARITY = 75

_PINYIN = re.compile(r"^[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü:1-5' ]+$")
_WORD = re.compile(r"[\w][\w'-]*")


@dataclass
class SearchHit:
    """One entry found by a query, with the term that matched and how."""

    entry: Entry
    term: Term
    match: str  # exact | prefix | substring | fuzzy
    score: float = 0.0
    preferred_for_deprecated: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON form printed by ``termbase search --json``."""
        e = self.entry
        return {
            "id": e.id,
            "uuid": e.uuid,
            "zh": e.zh,
            "pinyin": e.pinyin,
            "en": e.en,
            "review": e.review.value,
            "type": e.entry_type.value,
            "subject": e.subject,
            "match": self.match,
            "matched_term": self.term.text,
            "matched_status": self.term.status.value,
            "use_instead": self.preferred_for_deprecated,
            "terms": [
                {
                    "lang": t.lang,
                    "text": t.text,
                    "status": t.status.value,
                    "type": t.term_type.value,
                    "pinyin": t.pinyin,
                    "note": t.note,
                    "used_from": t.used_from,
                    "used_until": t.used_until,
                    "strongest_source": _cited(t.strongest_source),
                    "contexts": [
                        {
                            "text": c.text,
                            "locator": c.locator,
                            "source": c.source.citation() if c.source else "",
                            "quotes": c.quotes.citation() if c.quotes else "",
                        }
                        for c in t.contexts
                    ],
                }
                for t in e.terms
            ],
        }


def _cited(source: Source | None) -> dict[str, str] | None:
    """A source as ``--json`` shows it: its citation and its authority."""
    if source is None:
        return None
    return {"citation": source.citation(), "authority": source.authority.value}


class _Candidates:
    """Candidate terms with their best match rank, and the entries already sure to rank."""

    def __init__(self, cap: int) -> None:
        self.best: dict[int, int] = {}  # term id -> match rank
        self.top_entries: set[int] = set()  # entries with an exact or prefix match
        self.cap = cap
        self.ranks: list[int] | None = None  # static ranks a status/review filter allows
        self.capped = False  # some lookup returned *cap* rows: there may be more

    def add(self, rows: list[tuple[int, int | None]], match: str, weak: bool = False) -> None:
        """Record (term id, entry id or None) rows found as *match*; a *weak* match
        (pinyin initials) ranks after the other matches of its kind."""
        rank = MATCH_RANK[match] * 2 + weak
        self.capped = self.capped or len(rows) >= self.cap
        for tid, eid in rows:
            if rank < self.best.get(tid, 99):
                self.best[tid] = rank
            if eid is not None and rank <= MATCH_RANK["prefix"] * 2 + 1:
                self.top_entries.add(eid)


def _fts_quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


#: Words a query may carry that a term rarely does.
_SKIP_WORDS = {"a", "an", "the"}


def _query_parts(query: str) -> list[str]:
    """FTS5 query parts: quoted phrases stay phrases, other words stand alone."""
    parts: list[str] = []
    for phrase in re.findall(r'"([^"]+)"', query):
        words = _WORD.findall(phrase)
        if words:
            parts.append(_fts_quote(" ".join(words)))
    rest = re.sub(r'"[^"]*"', " ", query)
    for word in _WORD.findall(rest):
        word = re.sub(r"'s$", "", word)  # China's -> china
        if word and word not in _SKIP_WORDS:
            parts.append(_fts_quote(word))
    return parts


def _words_query(query: str) -> str:
    """Every part required."""
    return " AND ".join(_query_parts(query))


def _text_exact_prefix(index: SearchIndex, q: str, cap: int, found: _Candidates) -> None:
    """Exact and prefix matches of the folded text."""
    found.add(index.exact("n", q, found.ranks), "exact")
    found.add(index.key_range("n", q, q + "\U0010ffff", cap, found.ranks), "prefix")


def _text_substring(index: SearchIndex, q: str, cap: int, found: _Candidates) -> None:
    """Substring matches: 1- and 2-character Han keys, else the trigram index."""
    if has_han(q) and len(q) <= 2:
        kind = "c1" if len(q) == 1 else "c2"
        found.add(index.best(kind, q, cap, found.ranks), "substring")
    elif len(q) >= 3:
        found.add(index.trigrams(_fts_quote(q), cap, found.ranks), "substring")


def _pinyin_exact_prefix(index: SearchIndex, py: str, cap: int, found: _Candidates) -> None:
    """Whole-term pinyin, exact and prefix; the term's initials, exact and as they
    are being typed (``gzl`` → 高质量发展, ``gzlfz``)."""
    found.add(index.exact("p", py, found.ranks), "exact")
    found.add(index.key_range("p", py, py + "\x7f", cap, found.ranks), "prefix")
    if 2 <= len(py) <= SUFFIX_INITIALS:
        found.add(index.best("i", py, cap, found.ranks), "prefix", weak=True)
        found.add(index.key_range("i", py, py + "\x7f", cap, found.ranks), "prefix", weak=True)


def _pinyin_substring(index: SearchIndex, py: str, cap: int, found: _Candidates) -> None:
    """Pinyin and initials from a later syllable of a term on (its suffix keys are
    cut to a fixed length, so a longer query is looked up by its start)."""
    if 2 <= len(py) <= SUFFIX_INITIALS:
        found.add(index.best("is", py, cap, found.ranks), "substring", weak=True)
    head = py[:SUFFIX_PINYIN_CHARS]
    found.add(
        index.key_range("ps", head, head + "\x7f", cap, found.ranks, include_low=True),
        "substring",
    )


def _typo_query(index: SearchIndex, query: str) -> str:
    """The query with each word unknown to the index replaced by the closest known word
    ('' when every word is known: then a typo is not why nothing was found)."""
    from rapidfuzz import fuzz, process

    out = []
    changed = False
    for word in _WORD.findall(fold(query)):
        if index.words(_fts_quote(word), 1):  # FTS5 stems it itself
            out.append(word)
            continue
        vocab = index.vocabulary(word[:2]) or index.vocabulary(word[:1])
        best = process.extractOne(word, vocab, scorer=fuzz.ratio, score_cutoff=TYPO_MIN_SIMILARITY)
        out.append(best[0] if best else word)
        changed = changed or best is not None
    return " AND ".join(_fts_quote(w) for w in out) if changed else ""


def search(
    store: Any,
    query: str,
    *,
    limit: int = 20,
    status: str | None = None,
    review: str | None = None,
    subject: str | None = None,
    lang: str | None = None,
    source: str | None = None,
    entry_type: str | None = None,
) -> list[SearchHit]:
    """Ranked hits for *query* (see the module docstring)."""
    index: SearchIndex = store.index
    q = t2s_chars(fold(squeeze(query)))
    if not q:
        return []
    filters = {
        "status": status,
        "review": review,
        "subject": subject,
        "lang": lang,
        "source": source,
        "entry_type": entry_type,
    }
    ranks = _allowed_ranks(status, review)
    post = any((subject, lang, source, entry_type))  # filters applied after the lookups
    cap = CANDIDATES
    while True:
        found = _gather(index, q, cap, limit, post, ranks)
        hits = _rank(store, found, limit=limit, **filters)
        # Subject, language and source filters may drop most of a capped candidate
        # list: read deeper until enough hits survive or the lists were read to the end.
        if len(hits) >= limit or not post or not found.capped:
            return hits
        if cap >= CANDIDATES_FILTERED:
            return hits
        cap *= FILTER_GROWTH


def _allowed_ranks(status: str | None, review: str | None) -> list[int] | None:
    """The static ranks (``status_rank * 3 + review_rank``) that the status and review
    filters allow, so that the lookups read only those rows (None: no such filter)."""
    if status is None and review is None:
        return None
    return [
        rank_of(s, r)
        for s in TermStatus
        for r in Review
        if (status is None or s.value == status) and (review is None or r.value == review)
    ]


def _gather(
    index: SearchIndex,
    q: str,
    cap: int,
    limit: int,
    filtered: bool,
    ranks: list[int] | None = None,
) -> _Candidates:
    """Every candidate term of the folded query *q*, at most *cap* per lookup,
    only of static *ranks* when given.

    Without (subject, language, source) filters, once exact and prefix matches
    fill *limit* entries no substring match can rank among them, so those
    lookups are skipped.
    """
    found = _Candidates(cap)
    found.ranks = ranks
    text = q.replace('"', "").strip() or q
    py = fold_pinyin(q) if not has_han(q) and _PINYIN.match(q) else ""
    _text_exact_prefix(index, text, cap, found)
    if py:
        _pinyin_exact_prefix(index, py, cap, found)
    if not filtered and len(found.top_entries) >= limit:
        return found
    _text_substring(index, text, cap, found)
    if has_han(q):
        return found
    if py:
        _pinyin_substring(index, py, cap, found)
    words = _words_query(q)
    if words:
        found.add(index.words(words, cap, found.ranks), "substring")
    if found.best or not words or '"' in q:
        return found
    typo = _typo_query(index, q)
    if typo:
        found.add(index.words(typo, cap, found.ranks), "fuzzy")
    parts = _query_parts(q)
    if not found.best and len(parts) > 2:  # relax: every word but one
        for i in range(len(parts)):
            relaxed = " AND ".join(parts[:i] + parts[i + 1 :])
            found.add(index.words(relaxed, cap, found.ranks), "fuzzy")
    return found


def _rank(
    store: Any,
    found: _Candidates,
    *,
    limit: int,
    status: str | None,
    review: str | None,
    subject: str | None,
    lang: str | None,
    source: str | None,
    entry_type: str | None,
) -> list[SearchHit]:
    if not found.best:
        return []
    best: dict[int, tuple[tuple[int, int, int, int], int]] = {}
    rows = store.index.rank_rows(
        list(found.best),
        status=status,
        review=review,
        subject=subject,
        lang=lang,
        source=source,
        entry_type=entry_type,
    )
    for term_id, entry_id, t_status, length, e_review in rows:
        key = (found.best[term_id], STATUS_RANK[t_status], REVIEW_RANK[e_review], length)
        if entry_id not in best or key < best[entry_id][0]:
            best[entry_id] = (key, term_id)
    ordered = sorted(best.items(), key=lambda kv: (kv[1][0], kv[0]))[:limit]
    entries = {e.id: e for e in store.get_entries([eid for eid, _ in ordered])}
    hits = []
    for entry_id, (key, term_id) in ordered:
        entry = entries[entry_id]
        term = next(t for t in entry.terms if t.id == term_id)
        hit = SearchHit(
            entry=entry,
            term=term,
            match=MATCH_NAME[key[0] // 2],
            score=-float(key[0] * 100 + key[1] * 10 + key[2]),
        )
        if term.status in (TermStatus.DEPRECATED, TermStatus.SUPERSEDED):
            hit.preferred_for_deprecated = [
                t.text
                for t in entry.terms
                if t.lang == term.lang and t.status is TermStatus.PREFERRED
            ]
        hits.append(hit)
    return hits
