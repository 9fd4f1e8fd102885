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
ps     toneless pinyin from each later word on ("fazhan")         pinyin inside a term
i      initials of the whole term ("gzlfz"), and from each word   pinyin initials
=====  =========================================================  =================

``rank`` is a static quality bucket: ``status_rank * 3 + review_rank``
(preferred approved = 0 … superseded rejected = 11), so that
``ORDER BY rank LIMIT k`` on the index ``(kind, key, rank)`` reads only the
best rows of a frequent key.

Two FTS5 tables whose rowid is ``rank << 40 | term_id`` (rowid order is
rank order, so ``LIMIT`` stops early on frequent words):
``term_tri`` (trigram tokenizer over the folded text: any substring of
three characters or more; only texts of three characters or more) and ``term_words`` (Porter stemmer:
English words in any order and inflection, phrases).
"""

from __future__ import annotations

import functools
import sqlite3
from typing import Any

from termbase.lang import fold, fold_pinyin, fold_zh, has_han
from termbase.model import Entry, Review, Term, TermStatus, is_chinese, is_traditional

RANK_SHIFT = 40
TERM_MASK = (1 << RANK_SHIFT) - 1
_REVIEW_RANK = {Review.APPROVED: 0, Review.PROPOSED: 1, Review.REJECTED: 2}


def rank_of(status: TermStatus, review: Review) -> int:
    """Static quality bucket of a term (lower is better)."""
    return status.rank * 3 + _REVIEW_RANK[review]


def fts_rowid(term_id: int, rank: int) -> int:
    """The FTS rowid of a term: rank first, so rowid order is rank order."""
    return (rank << RANK_SHIFT) | term_id


@functools.lru_cache(maxsize=4096)
def _plain(syllable: str) -> str:
    return fold_pinyin(syllable)


def _syllables(term: Term, text: str) -> list[str]:
    """Toneless syllables of *text*: from the term's own pinyin when it has one
    syllable per character (CC-CEDICT, curated entries), else from pypinyin."""
    han = sum(1 for c in text if has_han(c))
    given = [_plain(s) for s in term.pinyin.split()] if term.pinyin else []
    if given and len(given) == han and " " in term.pinyin.strip():
        return [s for s in given if s]
    from pypinyin import Style, lazy_pinyin

    return [
        s for s in (_plain(x) for x in lazy_pinyin(text, style=Style.NORMAL, errors="ignore")) if s
    ]


def _pinyin_keys(term: Term) -> tuple[list[str], list[str], list[str]]:
    """(whole-term keys, later-word keys, initials keys) for a Chinese term."""
    text = fold_zh(term.text)
    syllables = _syllables(term, text)
    whole: set[str] = set()
    later: set[str] = set()
    initials: set[str] = set()
    if syllables:
        whole.add("".join(syllables))
        initials.add("".join(s[0] for s in syllables))
        for i in range(1, len(syllables)):
            later.add("".join(syllables[i:]))
            initials.add("".join(s[0] for s in syllables[i:]))
    if term.pinyin:  # curated pinyin wins where pypinyin's reading differs
        words = [_plain(w) for w in term.pinyin.split()]
        words = [w for w in words if w]
        if words:
            whole.add("".join(words))
            for i in range(1, len(words)):
                later.add("".join(words[i:]))
    return sorted(whole), sorted(later - whole), sorted(initials)


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
    if is_chinese(term.lang) or has_han(norm):
        han = [c for c in norm if has_han(c)]
        keys.extend(("c1", c) for c in sorted(set(han)))
        keys.extend(
            ("c2", b)
            for b in sorted(
                {norm[i : i + 2] for i in range(len(norm) - 1) if has_han(norm[i : i + 2])}
            )
        )
        whole, later, initials = _pinyin_keys(term)
        keys.extend(("p", k) for k in whole)
        keys.extend(("ps", k) for k in later)
        keys.extend(("i", k) for k in initials)
    return keys


def index_entry(conn: sqlite3.Connection, entry: Entry) -> None:
    """Write the search keys of every term of *entry* (its terms have ids)."""
    rows: list[tuple[Any, ...]] = []
    tri: list[tuple[Any, ...]] = []
    words: list[tuple[Any, ...]] = []
    indexed: set[str] = set()
    for term in sorted(entry.terms, key=lambda t: is_traditional(t.lang)):
        assert term.id is not None
        rank = rank_of(term.status, entry.review)
        keys = term_keys(term, indexed)
        for kind, key in keys:
            rows.append((term.id, entry.id, kind, key, rank))
        rowid = fts_rowid(term.id, rank)
        norm = keys[0][1]
        if len(norm) >= 3 and (len(keys) > 1 or not has_han(norm)):
            tri.append((rowid, norm))  # shorter text cannot hold a 3-character query
        if not is_chinese(term.lang):
            words.append((rowid, fold(term.text)))
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


def clear_all(conn: sqlite3.Connection) -> None:
    """Remove every search key (before a full rebuild)."""
    conn.execute("DELETE FROM term_keys")
    conn.execute("DELETE FROM term_tri")
    conn.execute("DELETE FROM term_words")
