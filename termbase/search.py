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
hit.  A deprecated rendering that matches carries the preferred one.
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

#: How many candidates each lookup reads (more when filters may drop many).
CANDIDATES = 200
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
                }
                for t in e.terms
            ],
        }


class _Candidates:
    def __init__(self) -> None:
        self.best: dict[int, int] = {}  # term id -> match rank

    def add(self, term_ids: list[int], match: str) -> None:
        rank = MATCH_RANK[match]
        for tid in term_ids:
            if rank < self.best.get(tid, 99):
                self.best[tid] = rank


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


def _ids(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> list[int]:
    return [int(r[0]) for r in conn.execute(sql, params)]


def _fts_ids(conn: sqlite3.Connection, table: str, match: str, cap: int) -> list[int]:
    try:
        rows = conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", (match, cap)
        ).fetchall()
    except sqlite3.OperationalError:  # a query FTS5 cannot parse finds nothing
        return []
    return [int(r[0]) & _TERM_MASK for r in rows]


def _key_lookups(conn: sqlite3.Connection, q: str, cap: int, found: _Candidates) -> None:
    """Exact and prefix on the folded text; substring for Chinese."""
    found.add(_ids(conn, "SELECT term_id FROM term_keys WHERE kind='n' AND key=?", (q,)), "exact")
    found.add(
        _ids(
            conn,
            "SELECT term_id FROM term_keys WHERE kind='n' AND key>? AND key<? LIMIT ?",
            (q, q + "\U0010ffff", cap),
        ),
        "prefix",
    )
    if has_han(q):
        if len(q) <= 2:
            kind = "c1" if len(q) == 1 else "c2"
            found.add(
                _ids(
                    conn,
                    "SELECT term_id FROM term_keys WHERE kind=? AND key=? ORDER BY rank LIMIT ?",
                    (kind, q, cap),
                ),
                "substring",
            )
        else:
            found.add(_fts_ids(conn, "term_tri", _fts_quote(q), cap), "substring")
    elif len(q) >= 3:
        found.add(_fts_ids(conn, "term_tri", _fts_quote(q), cap), "substring")


def _pinyin_lookups(conn: sqlite3.Connection, query: str, cap: int, found: _Candidates) -> None:
    py = fold_pinyin(query)
    if not py:
        return
    found.add(_ids(conn, "SELECT term_id FROM term_keys WHERE kind='p' AND key=?", (py,)), "exact")
    found.add(
        _ids(
            conn,
            "SELECT term_id FROM term_keys WHERE kind='p' AND key>? AND key<? LIMIT ?",
            (py, py + "\x7f", cap),
        ),
        "prefix",
    )
    found.add(
        _ids(
            conn,
            "SELECT term_id FROM term_keys WHERE kind='ps' AND key>=? AND key<? LIMIT ?",
            (py, py + "\x7f", cap),
        ),
        "substring",
    )
    if 2 <= len(py) <= 12:
        found.add(
            _ids(
                conn,
                "SELECT term_id FROM term_keys WHERE kind='i' AND key=? ORDER BY rank LIMIT ?",
                (py, cap),
            ),
            "prefix",
        )


def _typo_query(conn: sqlite3.Connection, query: str) -> str:
    """The query with each word unknown to the index replaced by the closest known word
    ('' when every word is known: then a typo is not why nothing was found)."""
    from rapidfuzz import fuzz, process

    out = []
    changed = False
    for word in _WORD.findall(fold(query)):
        if conn.execute(
            "SELECT 1 FROM term_words_vocab WHERE term=?", (_porter_guess(word),)
        ).fetchone():
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


def _porter_guess(word: str) -> str:
    """*word* as FTS5's Porter tokenizer indexes it (the original Porter algorithm)."""
    import snowballstemmer

    return str(snowballstemmer.stemmer("porter").stemWord(word))


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
    filtered = any((status, review, subject, lang, source))
    cap = CANDIDATES_FILTERED if filtered else CANDIDATES
    found = _Candidates()
    _key_lookups(conn, q.replace('"', "").strip() or q, cap, found)
    if not has_han(q):
        words = _words_query(q)
        if words:
            found.add(_fts_ids(conn, "term_words", words, cap), "substring")
        if _PINYIN.match(q):
            _pinyin_lookups(conn, q, cap, found)
        typo = _typo_query(conn, q) if not found.best and words and '"' not in q else ""
        if typo:
            found.add(_fts_ids(conn, "term_words", typo, cap), "fuzzy")
        parts = _query_parts(q)
        if not found.best and len(parts) > 2 and '"' not in q:  # relax: all words but one
            for i in range(len(parts)):
                relaxed = " AND ".join(parts[:i] + parts[i + 1 :])
                found.add(_fts_ids(conn, "term_words", relaxed, cap), "fuzzy")
    return _rank(
        store,
        found,
        limit=limit,
        status=status,
        review=review,
        subject=subject,
        lang=lang,
        source=source,
    )


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
            f"JOIN entries e ON e.id = t.entry_id WHERE t.id IN ({marks})"
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
                " AND e.id IN (SELECT es.entry_id FROM entry_sources es JOIN sources s "
                "ON s.id = es.source_id WHERE s.title LIKE ?)"
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
            match=MATCH_NAME[key[0]],
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
