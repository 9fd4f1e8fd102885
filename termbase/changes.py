"""Entry changes with their audit record: the one path from a changed entry to the store.

The facade's ``add`` / ``update`` and the engines that write entries (the
import merge) use these functions, so every stored entry passes the same
rules (:mod:`termbase.rules`) and leaves the same history.  They receive a
:class:`~termbase.store.Store`, the time and the acting user; they never
see the facade.
"""

from __future__ import annotations

import copy

from termbase import rules
from termbase.errors import NotFoundError
from termbase.model import Actor, Entry, HistoryRecord, PendingChange, Review, Role, entry_to_dict
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
    batch_id: int | None = None,
) -> None:
    """Add the history record of one change to *entry* (*batch_id*: the import behind it)."""
    rules.check_text(comment, "comment")
    rules.check_text(actor, "user name", multiline=False)
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
            batch_id=batch_id,
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


def save(
    store: Store,
    entry: Entry,
    before: Entry,
    *,
    now: str,
    actor: Actor,
    action: str,
    comment: str = "",
    batch_id: int | None = None,
    hold: bool = False,
) -> Entry:
    """The moderated write: save *entry* (changed from the stored *before*) or hold it.

    * Nothing is written when only bookkeeping differs (:func:`rules.same_content`).
    * A change to an *approved* entry by someone who does not review, or
      with *hold* (every import), becomes a :class:`PendingChange`
      (:func:`propose`); the approved rows stay as they are.
    * Otherwise the entry is saved with a new version and a history record;
      ConflictError when *before* is no longer the stored version.

    Returns the entry as stored afterwards.
    """
    rules.validate(entry)
    rules.fill_pinyin(entry)
    if rules.same_content(before, entry):
        return before
    rules.require(actor, Role.TRANSLATOR, "changing an entry")
    if entry.review is not before.review and action not in ("revert", "accept-change"):
        rules.require(actor, Role.TERMINOLOGIST, "changing the review state")
    if before.review is Review.APPROVED and (hold or not actor.can_review):
        propose(store, entry, before, now=now, actor=actor, comment=comment, batch_id=batch_id)
        return before
    if entry.review is Review.APPROVED and before.review is not Review.APPROVED:
        rules.check_approvable(entry)
    if entry.id is None:
        raise NotFoundError("this entry has no id; use add() for new entries")
    with store.transaction():
        store.check_version(entry.id, before.version)
        entry.version = before.version
        rules.touch(entry, now, actor.name)
        store.update_entry(entry)
        record(
            store,
            entry,
            action,
            before,
            entry,
            now=now,
            actor=actor.name,
            comment=comment,
            batch_id=batch_id,
        )
    return entry


def propose(
    store: Store,
    entry: Entry,
    before: Entry,
    *,
    now: str,
    actor: Actor,
    comment: str = "",
    batch_id: int | None = None,
) -> PendingChange:
    """Hold *entry* as a proposed revision of the approved *before*, for a reviewer."""
    assert before.id is not None
    proposed = copy.deepcopy(entry)
    proposed.review = Review.APPROVED
    proposed.version = before.version
    change = PendingChange(
        entry_id=before.id,
        base_version=before.version,
        proposed=entry_to_dict(proposed),
        proposed_by=actor.name,
        proposed_at=now,
        comment=comment,
        batch_id=batch_id,
    )
    lines = rules.diff(before, proposed)
    with store.transaction():
        store.add_pending(change)
        text = f"change #{change.id} proposed: " + "; ".join(lines)
        record(
            store,
            before,
            "propose",
            None,
            None,
            now=now,
            actor=actor.name,
            comment=text + (f" ({comment})" if comment else ""),
            batch_id=batch_id,
        )
    return change
