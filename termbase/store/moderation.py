"""The store's moderation tables: pending changes, import batches, redirects, filters.

A mixin of :class:`termbase.store.Store` (it uses the store's connection and
transaction); the rules that decide *when* these rows are written live in
:mod:`termbase.rules` and the facade.

* ``pending_changes``: a proposed revision of an approved entry, stored as
  the whole entry in its history snapshot form, so that the approved rows
  stay exactly as a reviewer left them until the revision is accepted.
* ``import_batches``: one row per import; entries created by an import and
  the history records and pending changes it wrote carry its id.
* ``entry_redirects``: the id of an entry merged into another keeps
  resolving to the surviving entry.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from termbase.errors import NotFoundError
from termbase.model import ChangeState, ImportBatch, PendingChange

#: How many redirects are followed before giving up (a cycle would be a bug).
MAX_REDIRECTS = 50


class ModerationStore:
    """Pending changes, import batches, redirects and review filters (SQL only)."""

    conn: sqlite3.Connection
    _lock: threading.RLock

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:  # pragma: no cover
        raise NotImplementedError

    # -------------------------------------------------------------- redirects
    def add_redirect(self, old_id: int, new_id: int, at: str, actor: str) -> None:
        """Make *old_id* (a merged entry) resolve to *new_id*, and every id that pointed at it."""
        with self.transaction() as conn:
            conn.execute("UPDATE entry_redirects SET new_id=? WHERE new_id=?", (new_id, old_id))
            conn.execute(
                "INSERT OR REPLACE INTO entry_redirects(old_id, new_id, at, actor) "
                "VALUES (?,?,?,?)",
                (old_id, new_id, at, actor),
            )

    def redirect_of(self, entry_id: int) -> int | None:
        """The entry that *entry_id* was merged into, or None."""
        current, hops = entry_id, 0
        while hops < MAX_REDIRECTS:
            row = self.conn.execute(
                "SELECT new_id FROM entry_redirects WHERE old_id=?", (current,)
            ).fetchone()
            if row is None:
                return None if current == entry_id else current
            current, hops = int(row[0]), hops + 1
        return current

    def redirects_into(self, entry_id: int) -> list[int]:
        """Ids merged into *entry_id*."""
        rows = self.conn.execute(
            "SELECT old_id FROM entry_redirects WHERE new_id=? ORDER BY old_id", (entry_id,)
        )
        return [r[0] for r in rows]

    def remove_redirect(self, old_id: int) -> None:
        """Forget the redirect of *old_id* (its entry is back)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM entry_redirects WHERE old_id=?", (old_id,))

    def entry_exists(self, entry_id: int) -> bool:
        """True when an entry with this id is stored now."""
        row = self.conn.execute("SELECT 1 FROM entries WHERE id=?", (entry_id,)).fetchone()
        return row is not None

    def id_was_used(self, entry_id: int) -> bool:
        """True when *entry_id* names a stored, deleted or merged entry."""
        row = self.conn.execute(
            "SELECT 1 FROM entries WHERE id=? UNION ALL SELECT 1 FROM history WHERE entry_id=? "
            "UNION ALL SELECT 1 FROM entry_redirects WHERE old_id=? LIMIT 1",
            (entry_id, entry_id, entry_id),
        ).fetchone()
        return row is not None

    def terms_exist(self, term_ids: list[int]) -> list[int]:
        """Which of *term_ids* are stored now."""
        found: list[int] = []
        for start in range(0, len(term_ids), 500):
            chunk = term_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.extend(
                r[0]
                for r in self.conn.execute(f"SELECT id FROM terms WHERE id IN ({marks})", chunk)
            )
        return found

    # ---------------------------------------------------------- import batches
    def start_batch(self, origin: str, actor: str, at: str) -> int:
        """Record the start of an import; returns the batch id."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO import_batches(origin, actor, at) VALUES (?,?,?)", (origin, actor, at)
            )
            return int(cur.lastrowid or 0)

    def finish_batch(self, batch_id: int, counts: dict[str, Any]) -> None:
        """Store what an import did."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE import_batches SET counts=? WHERE id=?",
                (json.dumps(counts, ensure_ascii=False), batch_id),
            )

    def mark_batch_reverted(self, batch_id: int, at: str, actor: str) -> None:
        """Record that an import was undone."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE import_batches SET reverted_at=?, reverted_by=? WHERE id=?",
                (at, actor, batch_id),
            )

    def batches(self, limit: int = 100) -> list[ImportBatch]:
        """Import batches, newest first."""
        rows = self.conn.execute("SELECT * FROM import_batches ORDER BY id DESC LIMIT ?", (limit,))
        return [_batch(r) for r in rows]

    def get_batch(self, batch_id: int) -> ImportBatch:
        """One import batch (NotFoundError when there is none)."""
        row = self.conn.execute("SELECT * FROM import_batches WHERE id=?", (batch_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no import batch {batch_id}; list them with 'termbase imports'")
        return _batch(row)

    def batch_created_ids(self, batch_id: int) -> list[int]:
        """Ids of the stored entries that import *batch_id* created."""
        rows = self.conn.execute("SELECT id FROM entries WHERE batch_id=? ORDER BY id", (batch_id,))
        return [r[0] for r in rows]

    def batch_history_ids(self, batch_id: int) -> list[tuple[int, int]]:
        """(history id, entry id) of the per-entry records import *batch_id* wrote."""
        rows = self.conn.execute(
            "SELECT id, entry_id FROM history WHERE batch_id=? AND entry_id IS NOT NULL "
            "ORDER BY id",
            (batch_id,),
        )
        return [(r[0], r[1]) for r in rows]

    # --------------------------------------------------------- pending changes
    def add_pending(self, change: PendingChange) -> int:
        """Store a proposed revision; returns its id."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO pending_changes(entry_id, base_version, proposed, proposed_by, "
                "proposed_at, comment, batch_id, state) VALUES (?,?,?,?,?,?,?,?)",
                (
                    change.entry_id,
                    change.base_version,
                    json.dumps(change.proposed, ensure_ascii=False),
                    change.proposed_by,
                    change.proposed_at,
                    change.comment,
                    change.batch_id,
                    change.state.value,
                ),
            )
            change.id = int(cur.lastrowid or 0)
            return change.id

    def update_pending_proposal(self, change_id: int, proposed: dict[str, Any]) -> None:
        """Replace the proposed snapshot of a pending change (a later import adds to it)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE pending_changes SET proposed=? WHERE id=?",
                (json.dumps(proposed, ensure_ascii=False), change_id),
            )

    def decide_pending(
        self, change_id: int, state: ChangeState, by: str, at: str, reason: str = ""
    ) -> None:
        """Close a pending change as accepted, rejected or withdrawn."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE pending_changes SET state=?, decided_by=?, decided_at=?, reason=? "
                "WHERE id=?",
                (state.value, by, at, reason, change_id),
            )

    def move_pending(self, old_entry_id: int, new_entry_id: int) -> None:
        """Pending changes of a merged entry follow it (they become stale: base version 0)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE pending_changes SET entry_id=?, base_version=0 WHERE entry_id=? "
                "AND state='pending'",
                (new_entry_id, old_entry_id),
            )

    def get_pending(self, change_id: int) -> PendingChange:
        """One proposed change (NotFoundError when there is none)."""
        row = self.conn.execute("SELECT * FROM pending_changes WHERE id=?", (change_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no proposed change {change_id}; list them with 'termbase review'")
        return _pending(row)

    def pending_changes(
        self,
        *,
        entry_id: int | None = None,
        state: ChangeState | None = ChangeState.PENDING,
        batch_id: int | None = None,
        proposed_by: str | None = None,
        limit: int = 1000,
    ) -> list[PendingChange]:
        """Proposed changes, oldest first, filtered."""
        where, params = ["1=1"], []  # type: list[str], list[Any]
        if entry_id is not None:
            where.append("entry_id=?")
            params.append(entry_id)
        if state is not None:
            where.append("state=?")
            params.append(state.value)
        if batch_id is not None:
            where.append("batch_id=?")
            params.append(batch_id)
        if proposed_by is not None:
            where.append("proposed_by=?")
            params.append(proposed_by)
        rows = self.conn.execute(
            f"SELECT * FROM pending_changes WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
            (*params, limit),
        )
        return [_pending(r) for r in rows]

    # ---------------------------------------------------------------- filters
    def entry_ids_where(
        self,
        *,
        review: str | None = None,
        subject: str | None = None,
        source: str | None = None,
        batch_id: int | None = None,
        created_by: str | None = None,
        with_pending: bool = False,
        limit: int = 100_000,
    ) -> list[int]:
        """Ids of entries matching every given filter, in id order.

        *batch_id* and *created_by* match entries created by that import or
        user and, with *with_pending*, approved entries with a pending change
        from that import or user.  *subject* is case-insensitive; *source*
        is a substring of a cited source title.
        """
        where, params = ["1=1"], []  # type: list[str], list[Any]
        own, pending = [], []  # type: list[str], list[str]
        if batch_id is not None:
            own.append("e.batch_id=?")
            pending.append("p.batch_id=?")
        if created_by is not None:
            own.append("e.created_by=?")
            pending.append("p.proposed_by=?")
        if own:
            own_params: list[Any] = [v for v in (batch_id, created_by) if v is not None]
            clause = " AND ".join(own)
            if with_pending:
                clause = (
                    f"({clause}) OR e.id IN (SELECT p.entry_id FROM pending_changes p "
                    f"WHERE p.state='pending' AND {' AND '.join(pending)})"
                )
                own_params = own_params * 2
            where.append(f"({clause})")
            params.extend(own_params)
        if review is not None:
            if with_pending and review == "proposed":
                where.append(
                    "(e.review='proposed' OR e.id IN "
                    "(SELECT entry_id FROM pending_changes WHERE state='pending'))"
                )
            else:
                where.append("e.review=?")
                params.append(review)
        if subject:
            where.append("e.subject=? COLLATE NOCASE")
            params.append(subject)
        if source:
            where.append(
                "e.id IN (SELECT es.entry_id FROM entry_sources es JOIN sources s "
                "ON s.id=es.source_id WHERE s.title LIKE ? "
                "UNION SELECT t.entry_id FROM terms t JOIN sources s ON s.id=t.source_id "
                "WHERE s.title LIKE ?)"
            )
            params.extend([f"%{source}%"] * 2)
        rows = self.conn.execute(
            f"SELECT e.id FROM entries e WHERE {' AND '.join(where)} ORDER BY e.id LIMIT ?",
            (*params, limit),
        )
        return [r[0] for r in rows]

    def entries_by_folded_zh(self, key: str) -> list[int]:
        """Ids of entries with a Chinese term whose folded form (search key ``n``) is *key*."""
        rows = self.conn.execute(
            "SELECT DISTINCT k.entry_id FROM term_keys k JOIN terms t ON t.id=k.term_id "
            "WHERE k.kind='n' AND k.key=? AND t.lang LIKE 'zh%' ORDER BY k.entry_id",
            (key,),
        )
        return [r[0] for r in rows]

    def folded_zh_groups(self) -> Iterator[tuple[str, list[int]]]:
        """(folded Chinese key, entry ids) for every key shared by several entries."""
        rows = self.conn.execute(
            "SELECT k.key, group_concat(DISTINCT k.entry_id) FROM term_keys k "
            "JOIN terms t ON t.id=k.term_id WHERE k.kind='n' AND t.lang LIKE 'zh%' "
            "AND t.status IN ('preferred', 'admitted') "
            "GROUP BY k.key HAVING count(DISTINCT k.entry_id) > 1 ORDER BY min(k.entry_id)"
        )
        for key, ids in rows:
            yield key, sorted(int(i) for i in ids.split(","))


def _batch(row: sqlite3.Row) -> ImportBatch:
    return ImportBatch(
        id=row["id"],
        origin=row["origin"],
        actor=row["actor"],
        at=row["at"],
        counts=json.loads(row["counts"] or "{}"),
        reverted_at=row["reverted_at"],
        reverted_by=row["reverted_by"],
    )


def _pending(row: sqlite3.Row) -> PendingChange:
    return PendingChange(
        id=row["id"],
        entry_id=row["entry_id"],
        base_version=row["base_version"],
        proposed=json.loads(row["proposed"]),
        proposed_by=row["proposed_by"],
        proposed_at=row["proposed_at"],
        comment=row["comment"],
        batch_id=row["batch_id"],
        state=ChangeState(row["state"]),
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        reason=row["reason"],
    )
