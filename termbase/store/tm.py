"""SQL of the translation memory (the ``segments`` table and its index).

Contract:

* A pair is stored once per ``hash``: :meth:`SegmentTables.known_hashes` tells
  which of a batch are stored, :meth:`SegmentTables.insert_segments` writes the
  new ones (numbered by the caller) and :meth:`SegmentTables.count_again` only
  raises a duplicate's ``count`` (and keeps the newest ``changed_at``).
* The candidate index lives in ``tm_postings`` (one row per key, the ids of
  the segments that contain it as an ascending int32 little-endian array)
  and ``tm_meta`` (named blobs: key-length arrays, the highest indexed id).
  :meth:`SegmentTables.append_postings` merges a batch of new postings into it; callers
  add ids in ascending order, so arrays stay sorted.
* ``tm_keys`` holds, per indexed pair, the comparison key of its Chinese
  side and the case-folded words of its English side (:meth:`SegmentTables.put_keys`).
* Everything here runs on the store's connection and inside the caller's
  transaction (:meth:`termbase.store.Store.transaction`); the store offers it
  as ``Store.segments``.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from termbase.model import Segment
from termbase.store._chunks import in_batches, marks

_COLUMNS = (
    "id, source_lang, target_lang, source, target, origin, project, creator, "
    "created_at, changed_at, props, notes, count"
)


#: What the JSON of no props and of no notes is (most pairs have neither).
_NO_PROPS = "{}"
_NO_NOTES = "[]"


def _json(value: Any, empty: str, *, sort_keys: bool = False) -> str:
    """*value* as stored (``ensure_ascii=False``), without calling json for an empty one."""
    if not value:
        return empty
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)


def _int32(ids: array[int]) -> bytes:  # pragma: no cover - where "i" is not int32 LE
    """*ids* as int32 little-endian bytes (the postings' format)."""
    return b"".join(i.to_bytes(4, "little", signed=True) for i in ids)


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


class SegmentTables:
    """The TM tables (``segments``, ``tm_postings``, ``tm_keys``, ``tm_meta``) on one connection.

    Every method runs on the store's connection, inside the caller's
    transaction when there is one.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def known_hashes(self, digests: list[str]) -> set[str]:
        """Which of *digests* are stored already."""
        found: set[str] = set()
        for chunk in in_batches(digests):
            qs = marks(len(chunk))
            found.update(
                r[0]
                for r in self.conn.execute(f"SELECT hash FROM segments WHERE hash IN ({qs})", chunk)
            )
        return found

    def insert_segments(self, rows: list[tuple[Segment, str]]) -> None:
        """Store new pairs ``(segment, digest)``, each under its own ``segment.id``."""
        self.conn.executemany(
            "INSERT INTO segments(id, source_lang, target_lang, source, target, origin, "
            "project, creator, created_at, changed_at, props, notes, count, hash) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    seg.id,
                    seg.source_lang,
                    seg.target_lang,
                    seg.source,
                    seg.target,
                    seg.origin,
                    seg.project,
                    seg.creator,
                    seg.created_at,
                    seg.changed_at,
                    _json(seg.props, _NO_PROPS, sort_keys=True),
                    _json(seg.notes, _NO_NOTES),
                    max(seg.count, 1),
                    digest,
                )
                for seg, digest in rows
            ],
        )

    def count_again(self, rows: list[tuple[Segment, str]]) -> None:
        """Pairs ``(segment, digest)`` seen again: raise the stored pair's count and
        keep the newer ``changed_at``."""
        self.conn.executemany(
            "UPDATE segments SET count = count + ?, changed_at = max(changed_at, ?) WHERE hash = ?",
            [(max(seg.count, 1), seg.changed_at, digest) for seg, digest in rows],
        )

    def get_segments(self, ids: list[int]) -> dict[int, Segment]:
        """Segments by id (missing ids are left out)."""
        found: dict[int, Segment] = {}
        for chunk in in_batches(ids):
            qs = marks(len(chunk))
            for row in self.conn.execute(
                f"SELECT {_COLUMNS} FROM segments WHERE id IN ({qs})", chunk
            ):
                found[row[0]] = row_to_segment(row)
        return found

    def texts(self, ids: list[int]) -> list[tuple[int, str, str, str, str, int]]:
        """(id, source_lang, target_lang, source, target, count) of the segments *ids*."""
        qs = marks(len(ids))
        rows = self.conn.execute(
            "SELECT id, source_lang, target_lang, source, target, count FROM segments "
            f"WHERE id IN ({qs})",
            ids,
        )
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def iter_segments(self, after_id: int = 0) -> Iterator[Segment]:
        """Every segment with an id above *after_id*, in id order, streamed."""
        last = after_id
        while True:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM segments WHERE id > ? ORDER BY id LIMIT 2000", (last,)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row_to_segment(row)
            last = rows[-1][0]

    def like_ids(self, needle: str, limit: int) -> list[int]:
        """Ids of segments whose source or target contains *needle* (a scan; short needles)."""
        rows = self.conn.execute(
            "SELECT id FROM segments WHERE instr(source, ?) > 0 OR instr(target, ?) > 0 "
            "ORDER BY id DESC LIMIT ?",
            (needle, needle, limit),
        )
        return [int(r[0]) for r in rows]

    def counts(self) -> dict[str, Any]:
        """Segment totals: stored pairs, pairs seen, by language direction, by origin."""
        total, seen = self.conn.execute(
            "SELECT count(*), coalesce(sum(count), 0) FROM segments"
        ).fetchone()
        directions = {
            f"{r[0]}→{r[1]}": r[2]
            for r in self.conn.execute(
                "SELECT source_lang, target_lang, count(*) FROM segments GROUP BY 1, 2 ORDER BY 3 DESC"
            )
        }
        origins = {
            r[0]: r[1]
            for r in self.conn.execute(
                "SELECT origin, count(*) FROM segments GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
            )
        }
        keys = self.conn.execute("SELECT count(*) FROM tm_postings").fetchone()[0]
        return {
            "segments": int(total),
            "seen": int(seen),
            "directions": directions,
            "origins": origins,
            "index_keys": int(keys),
        }

    def segment_count(self, after_id: int = 0, upto_id: int | None = None) -> int:
        """How many pairs have an id above *after_id* (and at most *upto_id*)."""
        if upto_id is None and not after_id:
            return int(self.conn.execute("SELECT count(*) FROM segments").fetchone()[0])
        if upto_id is None:
            row = self.conn.execute("SELECT count(*) FROM segments WHERE id > ?", (after_id,))
        else:
            row = self.conn.execute(
                "SELECT count(*) FROM segments WHERE id > ? AND id <= ?", (after_id, upto_id)
            )
        return int(row.fetchone()[0])

    def max_segment_id(self) -> int:
        """The highest segment id (0 for an empty memory)."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM segments").fetchone()[0])

    # ------------------------------------------------------------------- index
    def postings(self, grams: Iterable[str]) -> dict[str, bytes]:
        """The raw id arrays of *grams* that occur in the index."""
        wanted = list(grams)
        found: dict[str, bytes] = {}
        for chunk in in_batches(wanted):
            qs = marks(len(chunk))
            for gram, ids in self.conn.execute(
                f"SELECT gram, ids FROM tm_postings WHERE gram IN ({qs})", chunk
            ):
                found[gram] = ids
        return found

    def posting_sizes(self, grams: Iterable[str]) -> dict[str, int]:
        """How many segments contain each of *grams* (absent grams are left out)."""
        wanted = list(grams)
        found: dict[str, int] = {}
        for chunk in in_batches(wanted):
            qs = marks(len(chunk))
            for gram, size in self.conn.execute(
                f"SELECT gram, length(ids) / 4 FROM tm_postings WHERE gram IN ({qs})", chunk
            ):
                found[gram] = int(size)
        return found

    def append_postings(self, pending: dict[str, array[int]]) -> None:
        """Append each array of new (ascending) ids in *pending* to its key's postings."""
        grams = sorted(pending)  # in key order: the primary-key b-tree fills page by page
        empty = self.conn.execute("SELECT 1 FROM tm_postings LIMIT 1").fetchone() is None
        native = array("i").itemsize == 4 and sys.byteorder == "little"  # tobytes() is int32 LE
        for chunk in in_batches(grams):
            old = {} if empty else self.postings(chunk)
            new = [pending[gram] for gram in chunk]
            blobs = [ids.tobytes() for ids in new] if native else [_int32(ids) for ids in new]
            # rows made as they are written, each stored array let go once extended:
            # the arrays of common keys grow with the memory
            self.conn.executemany(
                "INSERT OR REPLACE INTO tm_postings(gram, ids) VALUES (?, ?)",
                (
                    (gram, old.pop(gram, b"") + blob)
                    for gram, blob in zip(chunk, blobs, strict=True)
                ),
            )

    def put_keys(self, rows: list[tuple[int, str, str]]) -> None:
        """Store ``(id, zh key, en words)`` of indexed pairs in ``tm_keys``."""
        self.conn.executemany("INSERT OR REPLACE INTO tm_keys(id, zh, en) VALUES (?, ?, ?)", rows)

    def keys(self, ids: list[int], mode: str) -> list[tuple[int, str]]:
        """``(id, stored key)`` of the pairs *ids* for *mode* (``zh`` or ``en``)."""
        column = "zh" if mode == "zh" else "en"
        qs = marks(len(ids))
        rows = self.conn.execute(f"SELECT id, {column} FROM tm_keys WHERE id IN ({qs})", ids)
        return [(r[0], r[1]) for r in rows]

    def pair_counts(self, ids: list[int]) -> dict[int, int]:
        """How often each of the pairs *ids* was seen."""
        qs = marks(len(ids))
        rows = self.conn.execute(f"SELECT id, count FROM segments WHERE id IN ({qs})", ids)
        return {int(r[0]): int(r[1]) for r in rows}

    def get_meta(self, name: str) -> bytes | None:
        """The blob stored under *name* in ``tm_meta``."""
        row = self.conn.execute("SELECT value FROM tm_meta WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def set_meta(self, name: str, value: bytes) -> None:
        """Store *value* under *name* in ``tm_meta``."""
        self.conn.execute(
            "INSERT OR REPLACE INTO tm_meta(name, value) VALUES (?, ?)", (name, value)
        )

    def data_version(self) -> int:
        """SQLite's ``data_version``: changes when another connection commits."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])
