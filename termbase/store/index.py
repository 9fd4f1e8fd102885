"""Search keys written beside every term (the ``term_keys`` table).

Keys are computed when terms are written, never when they are searched,
so that a search needs no slow imports.  First version: one ``norm`` key
per term, the folded text (see :func:`termbase.lang.fold`).
"""

from __future__ import annotations

import sqlite3

from termbase.lang import fold
from termbase.model import Entry


def index_entry(conn: sqlite3.Connection, entry: Entry) -> None:
    """Write the search keys of every term of *entry* (its terms have ids)."""
    rows = []
    for term in entry.terms:
        rows.append((term.id, entry.id, "norm", fold(term.text)))
    conn.executemany("INSERT INTO term_keys(term_id, entry_id, kind, key) VALUES (?,?,?,?)", rows)


def delete_entry(conn: sqlite3.Connection, entry_id: int) -> None:
    """Remove the search keys of every term of entry *entry_id*."""
    conn.execute("DELETE FROM term_keys WHERE entry_id=?", (entry_id,))
