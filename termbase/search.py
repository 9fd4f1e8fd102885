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
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from termbase.lang import fold, fold_pinyin, has_han, t2s_chars
from termbase.model import Entry, Term, TermStatus

MATCH_RANK = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3}
MATCH_NAME = {v: k for k, v in MATCH_RANK.items()}
REVIEW_RANK = {"approved": 0, "proposed": 1, "rejected": 2}
STATUS_RANK = {s.value: s.rank for s in TermStatus}

#: How many candidates each lookup reads; when filters leave fewer than
#: ``limit`` hits of a capped list, the lookups run again reading
#: ``FILTER_GROWTH`` times deeper, up to ``CANDIDATES_FILTERED``.
CANDIDATES = 200
FILTER_GROWTH = 10
CANDIDATES_FILTERED = 2000
#: Typo pass: the least rapidfuzz similarity (0–100) for a replacement word.
TYPO_MIN_SIMILARITY = 75

_RANK_SHIFT = 40
_TERM_MASK = (1 << _RANK_SHIFT) - 1
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
                    "contexts": [
                        {
                            "text": c.text,
                            "locator": c.locator,
                            "source": c.source.citation() if c.source else "",
                        }
                        for c in t.contexts
                    ],
                }
                for t in e.terms
            ],
        }


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


def _keys(
    conn: sqlite3.Connection, found: _Candidates, where: str, params: tuple[Any, ...]
) -> list[tuple[int, int | None]]:
    """(term id, entry id) rows of ``term_keys`` (read from the covering index).

    *where* may end in ``ORDER BY`` / ``LIMIT``; the ranks a filter allows go
    before them.
    """
    if found.ranks is not None:
        cut = min(
            (i for i in (where.find(" ORDER BY"), where.find(" LIMIT")) if i >= 0),
            default=len(where),
        )
        allowed = ",".join(str(r) for r in found.ranks)
        where = f"{where[:cut]} AND rank IN ({allowed}){where[cut:]}"
    sql = f"SELECT term_id, entry_id FROM term_keys WHERE {where}"
    return [(int(r[0]), int(r[1])) for r in conn.execute(sql, params)]


def _rowid_ranges(ranks: list[int]) -> str:
    """SQL over FTS rowids (``rank << 40 | term_id``) allowing only *ranks*."""
    spans: list[list[int]] = []
    for r in sorted(ranks):
        if spans and spans[-1][1] == r - 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    parts = [
        f"rowid BETWEEN {lo << _RANK_SHIFT} AND {((hi + 1) << _RANK_SHIFT) - 1}" for lo, hi in spans
    ]
    return "(" + " OR ".join(parts) + ")" if parts else "0"


def _fts_ids(
    conn: sqlite3.Connection, table: str, match: str, cap: int, ranks: list[int] | None = None
) -> list[tuple[int, int | None]]:
    extra = f" AND {_rowid_ranges(ranks)}" if ranks is not None else ""
    try:
        rows = conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ?{extra} LIMIT ?", (match, cap)
        ).fetchall()
    except sqlite3.OperationalError:  # a query FTS5 cannot parse finds nothing
        return []
    return [(int(r[0]) & _TERM_MASK, None) for r in rows]


def _text_exact_prefix(conn: sqlite3.Connection, q: str, cap: int, found: _Candidates) -> None:
    """Exact and prefix matches of the folded text."""
    found.add(_keys(conn, found, "kind='n' AND key=?", (q,)), "exact")
    found.add(
        _keys(conn, found, "kind='n' AND key>? AND key<? LIMIT ?", (q, q + "\U0010ffff", cap)),
        "prefix",
    )


def _text_substring(conn: sqlite3.Connection, q: str, cap: int, found: _Candidates) -> None:
    """Substring matches: 1- and 2-character Han keys, else the trigram index."""
    if has_han(q) and len(q) <= 2:
        kind = "c1" if len(q) == 1 else "c2"
        found.add(
            _keys(conn, found, "kind=? AND key=? ORDER BY rank LIMIT ?", (kind, q, cap)),
            "substring",
        )
    elif len(q) >= 3:
        found.add(_fts_ids(conn, "term_tri", _fts_quote(q), cap, found.ranks), "substring")


def _pinyin_exact_prefix(conn: sqlite3.Connection, py: str, cap: int, found: _Candidates) -> None:
    found.add(_keys(conn, found, "kind='p' AND key=?", (py,)), "exact")
    found.add(
        _keys(conn, found, "kind='p' AND key>? AND key<? LIMIT ?", (py, py + "\x7f", cap)), "prefix"
    )
    if 2 <= len(py) <= 12:
        found.add(
            _keys(conn, found, "kind='i' AND key=? ORDER BY rank LIMIT ?", (py, cap)),
            "prefix",
            weak=True,
        )


def _pinyin_substring(conn: sqlite3.Connection, py: str, cap: int, found: _Candidates) -> None:
    if 2 <= len(py) <= 12:
        found.add(
            _keys(conn, found, "kind='is' AND key=? ORDER BY rank LIMIT ?", (py, cap)),
            "substring",
            weak=True,
        )
    found.add(
        _keys(conn, found, "kind='ps' AND key>=? AND key<? LIMIT ?", (py, py + "\x7f", cap)),
        "substring",
    )


def _typo_query(conn: sqlite3.Connection, query: str) -> str:
    """The query with each word unknown to the index replaced by the closest known word
    ('' when every word is known: then a typo is not why nothing was found)."""
    from rapidfuzz import fuzz, process

    out = []
    changed = False
    for word in _WORD.findall(fold(query)):
        if _fts_ids(conn, "term_words", _fts_quote(word), 1):  # FTS5 stems it itself
            out.append(word)
            continue
        head = word[:2]
        vocab = [
            r[0]
            for r in conn.execute(
                "SELECT term FROM term_words_vocab WHERE term >= ? AND term < ?",
                (head, head + "\U0010ffff"),
            )
        ]
        if not vocab:
            vocab = [
                r[0]
                for r in conn.execute(
                    "SELECT term FROM term_words_vocab WHERE term >= ? AND term < ?",
                    (word[:1], word[:1] + "\U0010ffff"),
                )
            ]
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
) -> list[SearchHit]:
    """Ranked hits for *query* (see the module docstring)."""
    conn: sqlite3.Connection = store.conn
    q = t2s_chars(fold(query))
    if not q:
        return []
    filters = {
        "status": status,
        "review": review,
        "subject": subject,
        "lang": lang,
        "source": source,
    }
    ranks = _allowed_ranks(status, review)
    post = any((subject, lang, source))  # filters applied after the lookups
    cap = CANDIDATES
    while True:
        found = _gather(conn, q, cap, limit, post, ranks)
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
        s * 3 + r
        for s in range(4)
        for r in range(3)
        if (status is None or STATUS_RANK.get(status) == s)
        and (review is None or REVIEW_RANK.get(review) == r)
    ]


def _gather(
    conn: sqlite3.Connection,
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
    _text_exact_prefix(conn, text, cap, found)
    if py:
        _pinyin_exact_prefix(conn, py, cap, found)
    if not filtered and len(found.top_entries) >= limit:
        return found
    _text_substring(conn, text, cap, found)
    if has_han(q):
        return found
    if py:
        _pinyin_substring(conn, py, cap, found)
    words = _words_query(q)
    if words:
        found.add(_fts_ids(conn, "term_words", words, cap, found.ranks), "substring")
    if found.best or not words or '"' in q:
        return found
    typo = _typo_query(conn, q)
    if typo:
        found.add(_fts_ids(conn, "term_words", typo, cap, found.ranks), "fuzzy")
    parts = _query_parts(q)
    if not found.best and len(parts) > 2:  # relax: every word but one
        for i in range(len(parts)):
            relaxed = " AND ".join(parts[:i] + parts[i + 1 :])
            found.add(_fts_ids(conn, "term_words", relaxed, cap, found.ranks), "fuzzy")
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
) -> list[SearchHit]:
    if not found.best:
        return []
    conn: sqlite3.Connection = store.conn
    ids = list(found.best)
    best: dict[int, tuple[tuple[int, int, int, int], int]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT t.id, t.entry_id, t.status, length(t.text), e.review FROM terms t "
            f"CROSS JOIN entries e ON e.id = t.entry_id WHERE t.id IN ({marks})"
        )
        params: list[Any] = list(chunk)
        if status:
            sql += " AND t.status = ?"
            params.append(status)
        if review:
            sql += " AND e.review = ?"
            params.append(review)
        if subject:
            sql += " AND e.subject = ?"
            params.append(subject)
        if lang:
            sql += " AND lower(t.lang) LIKE ?"
            params.append(lang.lower() + "%")
        if source:
            sql += (
                " AND EXISTS (SELECT 1 FROM entry_sources es JOIN sources s "
                "ON s.id = es.source_id WHERE es.entry_id = e.id AND s.title LIKE ?)"
            )
            params.append(f"%{source}%")
        for term_id, entry_id, t_status, length, e_review in conn.execute(sql, params):
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
