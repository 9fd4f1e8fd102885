"""SQL of the translation memory (the ``segments`` table and its index).

Contract:

* :func:`upsert_segment` stores a pair once per ``hash``; a duplicate only
  raises ``count`` (and keeps the newest ``changed_at``).  It returns the
  new row's id, or ``None`` for a duplicate.
* The candidate index lives in ``tm_postings`` (one row per key, the ids of
  the segments that contain it as an ascending int32 little-endian array)
  and ``tm_meta`` (named blobs: key-length arrays, the highest indexed id).
  :func:`append_postings` merges a batch of new postings into it; callers
  add ids in ascending order, so arrays stay sorted.
* ``tm_keys`` holds, per indexed pair, the comparison key of its Chinese
  side and the case-folded words of its English side (:func:`put_keys`).
* Everything here runs on the caller's connection and inside the caller's
  transaction (:meth:`termbase.store.Store.transaction`).
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from termbase.model import Segment

_COLUMNS = (
    "id, source_lang, target_lang, source, target, origin, project, creator, "
    "created_at, changed_at, props, notes, count"
)


def row_to_segment(row: Any) -> Segment:
    """A :class:`Segment` from a ``segments`` row selected with ``_COLUMNS``."""
    return Segment(
        id=row[0],
        source_lang=row[1],
        target_lang=row[2],
        source=row[3],
        target=row[4],
        origin=row[5],
        project=row[6],
        creator=row[7],
        created_at=row[8],
        changed_at=row[9],
        props=json.loads(row[10] or "{}"),
        notes=json.loads(row[11] or "[]"),
        count=row[12],
    )


def upsert_segment(conn: sqlite3.Connection, seg: Segment, digest: str) -> int | None:
    """Insert *seg* under *digest*; for a known digest raise its count instead.

    Returns:
        The new row id, or ``None`` when the pair was already stored.
    """
    cur = conn.execute(
        "INSERT OR IGNORE INTO segments(source_lang, target_lang, source, target, origin, "
        "project, creator, created_at, changed_at, props, notes, count, hash) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            seg.source_lang,
            seg.target_lang,
            seg.source,
            seg.target,
            seg.origin,
            seg.project,
            seg.creator,
            seg.created_at,
            seg.changed_at,
            json.dumps(seg.props, ensure_ascii=False, sort_keys=True),
            json.dumps(seg.notes, ensure_ascii=False),
            max(seg.count, 1),
            digest,
        ),
    )
    if cur.rowcount == 1:
        return int(cur.lastrowid or 0)
    conn.execute(
        "UPDATE segments SET count = count + ?, changed_at = max(changed_at, ?) WHERE hash = ?",
        (max(seg.count, 1), seg.changed_at, digest),
    )
    return None


def get_segments(conn: sqlite3.Connection, ids: list[int]) -> dict[int, Segment]:
    """Segments by id (missing ids are left out)."""
    found: dict[int, Segment] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {_COLUMNS} FROM segments WHERE id IN ({marks})", chunk):
            found[row[0]] = row_to_segment(row)
    return found


def texts(conn: sqlite3.Connection, ids: list[int]) -> list[tuple[int, str, str, str, str, int]]:
    """(id, source_lang, target_lang, source, target, count) of the segments *ids*."""
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        "SELECT id, source_lang, target_lang, source, target, count FROM segments "
        f"WHERE id IN ({marks})",
        ids,
    )
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def iter_segments(conn: sqlite3.Connection, after_id: int = 0) -> Iterator[Segment]:
    """Every segment with an id above *after_id*, in id order, streamed."""
    last = after_id
    while True:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM segments WHERE id > ? ORDER BY id LIMIT 2000", (last,)
        ).fetchall()
        if not rows:
            return
        for row in rows:
            yield row_to_segment(row)
        last = rows[-1][0]


def like_ids(conn: sqlite3.Connection, needle: str, limit: int) -> list[int]:
    """Ids of segments whose source or target contains *needle* (a scan; short needles)."""
    rows = conn.execute(
        "SELECT id FROM segments WHERE instr(source, ?) > 0 OR instr(target, ?) > 0 "
        "ORDER BY id DESC LIMIT ?",
        (needle, needle, limit),
    )
    return [int(r[0]) for r in rows]


def counts(conn: sqlite3.Connection) -> dict[str, Any]:
    """Segment totals: stored pairs, pairs seen, by language direction, by origin."""
    total, seen = conn.execute("SELECT count(*), coalesce(sum(count), 0) FROM segments").fetchone()
    directions = {
        f"{r[0]}→{r[1]}": r[2]
        for r in conn.execute(
            "SELECT source_lang, target_lang, count(*) FROM segments GROUP BY 1, 2 ORDER BY 3 DESC"
        )
    }
    origins = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT origin, count(*) FROM segments GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
        )
    }
    keys = conn.execute("SELECT count(*) FROM tm_postings").fetchone()[0]
    return {
        "segments": int(total),
        "seen": int(seen),
        "directions": directions,
        "origins": origins,
        "index_keys": int(keys),
    }


def max_segment_id(conn: sqlite3.Connection) -> int:
    """The highest segment id (0 for an empty memory)."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM segments").fetchone()[0])


# ------------------------------------------------------------------- index
def postings(conn: sqlite3.Connection, grams: Iterable[str]) -> dict[str, bytes]:
    """The raw id arrays of *grams* that occur in the index."""
    wanted = list(grams)
    found: dict[str, bytes] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for gram, ids in conn.execute(
            f"SELECT gram, ids FROM tm_postings WHERE gram IN ({marks})", chunk
        ):
            found[gram] = ids
    return found


def posting_sizes(conn: sqlite3.Connection, grams: Iterable[str]) -> dict[str, int]:
    """How many segments contain each of *grams* (absent grams are left out)."""
    wanted = list(grams)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for gram, size in conn.execute(
            f"SELECT gram, length(ids) / 4 FROM tm_postings WHERE gram IN ({marks})", chunk
        ):
            found[gram] = int(size)
    return found


def append_postings(conn: sqlite3.Connection, pending: dict[str, array[int]]) -> None:
    """Append each array of new (ascending) ids in *pending* to its key's postings."""
    grams = list(pending)
    for start in range(0, len(grams), 500):
        chunk = grams[start : start + 500]
        old = postings(conn, chunk)
        rows = []
        for gram in chunk:
            ids = pending[gram]
            if ids.itemsize != 4:  # pragma: no cover - platforms without 32-bit "i"
                ids = array("l", ids)
            rows.append((gram, old.get(gram, b"") + ids.tobytes()))
        conn.executemany("INSERT OR REPLACE INTO tm_postings(gram, ids) VALUES (?, ?)", rows)


def put_keys(conn: sqlite3.Connection, rows: list[tuple[int, str, str]]) -> None:
    """Store ``(id, zh key, en words)`` of indexed pairs in ``tm_keys``."""
    conn.executemany("INSERT OR REPLACE INTO tm_keys(id, zh, en) VALUES (?, ?, ?)", rows)


def keys(conn: sqlite3.Connection, ids: list[int], mode: str) -> list[tuple[int, str]]:
    """``(id, stored key)`` of the pairs *ids* for *mode* (``zh`` or ``en``)."""
    column = "zh" if mode == "zh" else "en"
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, {column} FROM tm_keys WHERE id IN ({marks})", ids)
    return [(r[0], r[1]) for r in rows]


def pair_counts(conn: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
    """How often each of the pairs *ids* was seen."""
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, count FROM segments WHERE id IN ({marks})", ids)
    return {int(r[0]): int(r[1]) for r in rows}


def get_meta(conn: sqlite3.Connection, name: str) -> bytes | None:
    """The blob stored under *name* in ``tm_meta``."""
    row = conn.execute("SELECT value FROM tm_meta WHERE name = ?", (name,)).fetchone()
    return bytes(row[0]) if row else None


def set_meta(conn: sqlite3.Connection, name: str, value: bytes) -> None:
    """Store *value* under *name* in ``tm_meta``."""
    conn.execute("INSERT OR REPLACE INTO tm_meta(name, value) VALUES (?, ?)", (name, value))


def data_version(conn: sqlite3.Connection) -> int:
    """SQLite's ``data_version``: changes when another connection commits."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])
