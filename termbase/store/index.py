"""Search keys written beside every term, so that a search is a few index lookups.

Computed when terms are written, never when they are searched (a search
imports nothing slow).  For each term:

``term_keys`` rows ``(term_id, entry_id, kind, key, rank)``:

=====  =========================================================  =================
kind   key                                                        serves
=====  =========================================================  =================
n      folded text (NFKC, case, dashes/quotes, trad → simp)       exact and prefix
c1     each Han character of the folded text                      1-character queries
c2     each Han bigram                                            2-character queries
p      toneless pinyin of the whole term, no spaces ("gaozhiliangfazhan")  pinyin exact/prefix
ps     toneless pinyin from each later word on ("fazhan"), at     pinyin inside a term
       most ``SUFFIX_PINYIN_CHARS`` characters of it
i      initials of the whole term ("gzlfz")                       initials, exact and
                                                                  as they are typed
is     initials from each later syllable, 2+ ("lfz", "fz"), at    initials inside a term
       most ``SUFFIX_INITIALS`` of them
=====  =========================================================  =================

Every kind has at most one key per character of the term, each of bounded
length except ``n``, ``p`` and ``i`` (one each): the keys grow linearly
with a term's length.  A suffix key is cut because a query longer than the
cut is looked up by its first ``SUFFIX_PINYIN_CHARS`` characters (a prefix
of the cut key), so nothing is lost but precision on such long queries.

``rank`` is a static quality bucket: ``status_rank * 3 + review_rank``
(preferred approved = 0 … superseded rejected = 11), so that
``ORDER BY rank LIMIT k`` on the index ``(kind, key, rank)`` reads only the
best rows of a frequent key.

Two FTS5 tables whose rowid is ``rank << 40 | term_id`` (rowid order is
rank order, so ``LIMIT`` stops early on frequent words):
``term_tri`` (trigram tokenizer over the folded text of every term: any
substring of three characters or more) and ``term_words`` (Porter stemmer
over the non-Chinese terms: English words in any order and inflection,
phrases).

The index ``term_keys_key(kind, key, rank, term_id, entry_id)`` covers every
lookup (the table itself is read only to delete an entry's keys, through
``term_keys_entry``).
"""

from __future__ import annotations

import functools
import operator
import sqlite3
from collections.abc import Callable
from typing import Any

from termbase.lang import fold, fold_pinyin, fold_zh, han_runs, split_pinyin
from termbase.model import Entry, Review, Term, TermStatus, is_chinese, is_traditional
from termbase.store._chunks import in_batches, marks

RANK_SHIFT = 40
TERM_MASK = (1 << RANK_SHIFT) - 1
#: Approved entries rank before proposed ones, proposed before rejected.
REVIEW_RANK = {Review.APPROVED: 0, Review.PROPOSED: 1, Review.REJECTED: 2}


def rank_of(status: TermStatus, review: Review) -> int:
    """Static quality bucket of a term (lower is better): the one rank formula."""
    return status.rank * len(REVIEW_RANK) + REVIEW_RANK[review]


def fts_rowid(term_id: int, rank: int) -> int:
    """The FTS rowid of a term: rank first, so rowid order is rank order."""
    return (rank << RANK_SHIFT) | term_id


#: The longest ``ps`` key (pinyin letters from a later syllable on): about ten
#: syllables, more than a pinyin query typed into a search box.
SUFFIX_PINYIN_CHARS = 48
#: The longest ``is`` key; initials queries longer than this are not looked up
#: inside terms (see :mod:`termbase.search`).
SUFFIX_INITIALS = 12


@functools.lru_cache(maxsize=4096)
def _plain(syllable: str) -> str:
    return fold_pinyin(syllable)


def _syllables(term: Term, text: str, han: int) -> tuple[list[str], bool]:
    """Toneless syllables of *text* (which holds *han* Han characters), and
    whether they were cut from the term's own pinyin.

    The term's pinyin is used when it has one syllable per Han character
    (CC-CEDICT, curated entries, the pinyin the facade writes); otherwise
    pypinyin reads the text (heteronyms resolved by phrase).
    """
    if term.pinyin:
        given = split_pinyin(term.pinyin, han)
        if given is not None:
            return given, True
    from pypinyin import Style, lazy_pinyin

    read = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return [s for s in (_plain(x) for x in read) if s], False


def _suffixes(syllables: list[str]) -> list[str]:
    """The pinyin from each later syllable on, each cut to ``SUFFIX_PINYIN_CHARS``:
    one bounded key per syllable, found in one pass over the joined text."""
    joined = "".join(syllables)
    out = []
    start = 0
    for syllable in syllables[:-1]:
        start += len(syllable)
        out.append(joined[start : start + SUFFIX_PINYIN_CHARS])
    return out


def _pinyin_keys(term: Term, text: str, han: int) -> list[tuple[str, str]]:
    """The ``p``, ``ps``, ``i`` and ``is`` keys of a Chinese term."""
    syllables, from_term = _syllables(term, text, han)
    whole: set[str] = set()
    later: set[str] = set()
    initials: set[str] = set()
    later_initials: set[str] = set()
    if syllables:
        whole.add("".join(syllables))
        heads = "".join(s[0] for s in syllables)
        initials.add(heads)
        later.update(_suffixes(syllables))
        for i in range(1, len(heads) - 1):  # one initial alone is never looked up
            later_initials.add(heads[i : i + SUFFIX_INITIALS])
    if term.pinyin and not from_term:  # curated pinyin wins where pypinyin's reading differs
        words = [w for w in (_plain(w) for w in term.pinyin.split()) if w]
        if words:
            whole.add("".join(words))
            later.update(_suffixes(words))
    return [
        *(("p", k) for k in sorted(whole)),
        *(("ps", k) for k in sorted(later - whole)),
        *(("i", k) for k in sorted(initials)),
        *(("is", k) for k in sorted(later_initials - initials)),
    ]


def term_keys(term: Term, indexed: set[str] | None = None) -> list[tuple[str, str]]:
    """Every (kind, key) of *term* (see the module docstring).

    A traditional variant whose folded form is already in *indexed* (its
    simplified twin) gets only its exact key: the rest would repeat.
    """
    norm = fold_zh(term.text)
    keys = [("n", norm)]
    if indexed is not None:
        if norm in indexed:
            return keys
        indexed.add(norm)
    runs = han_runs(norm)
    if runs:
        chars: set[str] = set()
        starts: set[int] = set()  # bigrams that hold a Han character start here
        last = len(norm) - 1
        for start, end in runs:
            chars.update(norm[start:end])
            starts.update(range(max(start - 1, 0), min(end, last)))
        keys.extend([("c1", c) for c in sorted(chars)])
        keys.extend([("c2", b) for b in sorted({norm[i : i + 2] for i in starts})])
        keys.extend(_pinyin_keys(term, norm, sum(end - start for start, end in runs)))
    return keys


def index_entry(conn: sqlite3.Connection, entry: Entry) -> None:
    """Write the search keys of every term of *entry* (its terms have ids)."""
    index_entries(conn, [entry])


def index_entries(conn: sqlite3.Connection, entries: list[Entry], *, sort: bool = True) -> None:
    """Write the search keys of every term of *entries* (their terms have ids).

    One ``executemany`` per table for the lot; key rows are written in key
    order, so that the key index grows in runs rather than at random (with
    *sort* false, as they come: a bulk load sorts them all when it builds
    the index).
    """
    rows: list[tuple[Any, ...]] = []
    tri: list[tuple[Any, ...]] = []
    words: list[tuple[Any, ...]] = []
    for entry in entries:
        indexed: set[str] = set()
        for term in sorted(entry.terms, key=lambda t: is_traditional(t.lang)):
            assert term.id is not None
            rank = rank_of(term.status, entry.review)
            keys = term_keys(term, indexed)
            for kind, key in keys:
                rows.append((term.id, entry.id, kind, key, rank))
            rowid = fts_rowid(term.id, rank)
            tri.append((rowid, keys[0][1]))
            if not is_chinese(term.lang):
                words.append((rowid, fold(term.text)))
    if sort and len(entries) > 1:
        rows.sort(key=operator.itemgetter(2, 3))
    conn.executemany(
        "INSERT INTO term_keys(term_id, entry_id, kind, key, rank) VALUES (?,?,?,?,?)", rows
    )
    if tri:
        conn.executemany("INSERT INTO term_tri(rowid, norm) VALUES (?,?)", tri)
    if words:
        conn.executemany("INSERT INTO term_words(rowid, text) VALUES (?,?)", words)


def delete_entry(conn: sqlite3.Connection, entry_id: int) -> None:
    """Remove the search keys of every term of entry *entry_id*."""
    rows = conn.execute(
        "SELECT term_id, rank FROM term_keys WHERE entry_id=? AND kind='n'", (entry_id,)
    ).fetchall()
    rowids = [(fts_rowid(term_id, rank),) for term_id, rank in rows]
    conn.executemany("DELETE FROM term_tri WHERE rowid=?", rowids)
    conn.executemany("DELETE FROM term_words WHERE rowid=?", rowids)
    conn.execute("DELETE FROM term_keys WHERE entry_id=?", (entry_id,))


#: The search-key index that a bulk load drops and builds again at its end (the
#: largest one: a score of rows per term; ``term_keys_entry`` grows in entry-id
#: order during an import, so it stays).
KEY_INDEX = "term_keys_key"

#: SQLite virtual-machine steps per key row while it builds KEY_INDEX (measured:
#: 13 at 200,000 and at 800,000 rows), so that a progress bar can estimate the end.
INDEX_STEPS_PER_ROW = 13


def drop_key_index(conn: sqlite3.Connection) -> str:
    """Drop KEY_INDEX; returns the statement that creates it again ('' if absent)."""
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type='index' AND name=?", (KEY_INDEX,)
    ).fetchone()
    if row is None:
        return ""
    conn.execute(f"DROP INDEX {KEY_INDEX}")
    return str(row[0])


def create_key_index(
    conn: sqlite3.Connection, sql: str, progress: Callable[[int], None] | None = None
) -> None:
    """Run *sql* (from :func:`drop_key_index`): SQLite sorts every key row once.

    *progress*, if given, is called with a number of key rows about every
    10,000 rows' worth of work.
    """
    if not sql:
        return
    if progress is None:
        conn.execute(sql)
        return
    steps = 10_000 * INDEX_STEPS_PER_ROW

    def tick() -> int:
        progress(10_000)
        return 0  # go on

    conn.set_progress_handler(tick, steps)
    try:
        conn.execute(sql)
    finally:
        conn.set_progress_handler(None, 0)


def key_rows(conn: sqlite3.Connection) -> int:
    """How many search-key rows are stored (read from the table, not the index)."""
    return int(conn.execute("SELECT max(rowid) FROM term_keys").fetchone()[0] or 0)


def delete_terms(conn: sqlite3.Connection, term_ids: list[int]) -> None:
    """Remove the search keys of the terms *term_ids* (terms moving to another entry)."""
    for term_id in term_ids:
        rows = conn.execute(
            "SELECT term_id, rank FROM term_keys WHERE term_id=? AND kind='n'", (term_id,)
        ).fetchall()
        rowids = [(fts_rowid(t, rank),) for t, rank in rows]
        conn.executemany("DELETE FROM term_tri WHERE rowid=?", rowids)
        conn.executemany("DELETE FROM term_words WHERE rowid=?", rowids)
        conn.execute("DELETE FROM term_keys WHERE term_id=?", (term_id,))


def clear_all(conn: sqlite3.Connection) -> None:
    """Remove every search key (before a full rebuild)."""
    conn.execute("DELETE FROM term_keys")
    conn.execute("DELETE FROM term_tri")
    conn.execute("DELETE FROM term_words")


# -------------------------------------------------------------------- reads
def _rowid_ranges(ranks: list[int]) -> str:
    """SQL over FTS rowids (``rank << 40 | term_id``) allowing only *ranks*."""
    spans: list[list[int]] = []
    for r in sorted(ranks):
        if spans and spans[-1][1] == r - 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    parts = [
        f"rowid BETWEEN {lo << RANK_SHIFT} AND {((hi + 1) << RANK_SHIFT) - 1}" for lo, hi in spans
    ]
    return "(" + " OR ".join(parts) + ")" if parts else "0"


class SearchIndex:
    """The lookups of :mod:`termbase.search` over the keys written above.

    Key lookups return ``(term id, entry id)`` rows read from the covering
    index; full-text lookups return ``(term id, None)``.  *ranks*, when
    given, keeps only terms of those static ranks (a status/review filter).
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _keys(
        self, where: str, params: tuple[Any, ...], ranks: list[int] | None
    ) -> list[tuple[int, int | None]]:
        if ranks is not None:
            cut = min(
                (i for i in (where.find(" ORDER BY"), where.find(" LIMIT")) if i >= 0),
                default=len(where),
            )
            allowed = ",".join(str(r) for r in ranks)
            where = f"{where[:cut]} AND rank IN ({allowed}){where[cut:]}"
        sql = f"SELECT term_id, entry_id FROM term_keys WHERE {where}"
        return [(int(r[0]), int(r[1])) for r in self.conn.execute(sql, params)]

    def exact(
        self, kind: str, key: str, ranks: list[int] | None = None
    ) -> list[tuple[int, int | None]]:
        """Every term with the key *key* of *kind*."""
        return self._keys("kind=? AND key=?", (kind, key), ranks)

    def best(
        self, kind: str, key: str, cap: int, ranks: list[int] | None = None
    ) -> list[tuple[int, int | None]]:
        """The *cap* best-ranked terms with the key *key* of *kind*."""
        return self._keys("kind=? AND key=? ORDER BY rank LIMIT ?", (kind, key, cap), ranks)

    def key_range(
        self,
        kind: str,
        low: str,
        high: str,
        cap: int,
        ranks: list[int] | None = None,
        *,
        include_low: bool = False,
    ) -> list[tuple[int, int | None]]:
        """At most *cap* terms whose key of *kind* lies between *low* and *high*
        (in key order; *low* itself only with *include_low*)."""
        above = ">=" if include_low else ">"
        return self._keys(
            f"kind=? AND key{above}? AND key<? LIMIT ?", (kind, low, high, cap), ranks
        )

    def _fts(
        self, table: str, match: str, cap: int, ranks: list[int] | None
    ) -> list[tuple[int, int | None]]:
        extra = f" AND {_rowid_ranges(ranks)}" if ranks is not None else ""
        try:
            rows = self.conn.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ?{extra} LIMIT ?", (match, cap)
            ).fetchall()
        except sqlite3.OperationalError:  # a query FTS5 cannot parse finds nothing
            return []
        return [(int(r[0]) & TERM_MASK, None) for r in rows]

    def trigrams(
        self, match: str, cap: int, ranks: list[int] | None = None
    ) -> list[tuple[int, int | None]]:
        """Terms matching the FTS5 query *match* on the trigram index (substrings)."""
        return self._fts("term_tri", match, cap, ranks)

    def words(
        self, match: str, cap: int, ranks: list[int] | None = None
    ) -> list[tuple[int, int | None]]:
        """Terms matching the FTS5 query *match* on the stemmed word index."""
        return self._fts("term_words", match, cap, ranks)

    def vocabulary(self, prefix: str) -> list[str]:
        """Indexed words (of the word index) starting with *prefix*."""
        rows = self.conn.execute(
            "SELECT term FROM term_words_vocab WHERE term >= ? AND term < ?",
            (prefix, prefix + "\U0010ffff"),
        )
        return [r[0] for r in rows]

    def rank_rows(
        self,
        term_ids: list[int],
        *,
        status: str | None = None,
        review: str | None = None,
        subject: str | None = None,
        lang: str | None = None,
        source: str | None = None,
        entry_type: str | None = None,
    ) -> list[tuple[int, int, str, int, str]]:
        """``(term id, entry id, status, length, review)`` of the terms *term_ids*
        that pass the filters (language by prefix, source by title substring)."""
        rows: list[tuple[int, int, str, int, str]] = []
        for chunk in in_batches(term_ids):
            sql = (
                f"SELECT t.id, t.entry_id, t.status, length(t.text), e.review FROM terms t "
                f"CROSS JOIN entries e ON e.id = t.entry_id WHERE t.id IN ({marks(len(chunk))})"
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
            if entry_type:
                sql += " AND e.entry_type = ?"
                params.append(entry_type)
            if lang:
                sql += " AND lower(t.lang) LIKE ?"
                params.append(lang.lower() + "%")
            if source:
                sql += (
                    " AND EXISTS (SELECT 1 FROM entry_sources es JOIN sources s "
                    "ON s.id = es.source_id WHERE es.entry_id = e.id AND s.title LIKE ?)"
                )
                params.append(f"%{source}%")
            rows.extend(self.conn.execute(sql, params).fetchall())
        return rows
