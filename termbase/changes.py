"""Entry changes with their audit record: the one path from a changed entry to the store.

The facade's ``add`` / ``update`` and the engines that write entries (the
import merge) use these functions, so every stored entry passes the same
rules (:mod:`termbase.rules`) and leaves the same history.  They receive a
:class:`~termbase.store.Store`, the time and the acting user; they never
see the facade.
"""

from __future__ import annotations

from termbase import rules
from termbase.errors import NotFoundError
from termbase.model import Entry, HistoryRecord, entry_to_dict
from termbase.store import Store


def record(
    store: Store,
    entry: Entry,
    action: str,
    before: Entry | None,
    after: Entry | None,
    *,
    now: str,
    actor: str,
    comment: str = "",
) -> None:
    """Add the history record of one change to *entry*."""
    store.add_history(
        HistoryRecord(
            entry_id=entry.id,
            entry_uuid=entry.uuid,
            at=now,
            actor=actor,
            action=action,
            before=entry_to_dict(before) if before else None,
            after=entry_to_dict(after) if after else None,
            comment=comment,
        )
    )


def add(store: Store, entry: Entry, *, now: str, actor: str, comment: str = "") -> Entry:
    """Store a new entry with its ``add`` record; returns it with id and version set."""
    rules.validate(entry)
    rules.fill_pinyin(entry)
    rules.stamp_new(entry, now, actor)
    with store.transaction():
        store.insert_entry(entry)
        record(store, entry, "add", None, entry, now=now, actor=actor, comment=comment)
    return entry


def update(
    store: Store,
    entry: Entry,
    *,
    now: str,
    actor: str,
    action: str = "update",
    comment: str = "",
) -> Entry:
    """Save a changed entry whose ``version`` is the one that was read.

    Raises ConflictError (from the store) when somebody saved it since.
    """
    if entry.id is None:
        raise NotFoundError("this entry has no id; use add() for new entries")
    rules.validate(entry)
    rules.fill_pinyin(entry)
    with store.transaction():
        store.check_version(entry.id, entry.version)
        before = store.get_entry(entry.id)
        rules.touch(entry, now, actor)
        store.update_entry(entry)
        record(store, entry, action, before, entry, now=now, actor=actor, comment=comment)
    return entry
