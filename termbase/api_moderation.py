"""The moderated part of the ``Termbase`` facade: who may change what, and how it is undone.

Every write takes the acting user as an :class:`~termbase.model.Actor` (a
name and a :class:`~termbase.model.Role`; a plain name, or nothing, means
the facade's own user and role).  The rules, in one place:

* A reviewer (terminologist, admin) changes entries directly.  Anybody
  else's change to an *approved* entry — and every import's change to one —
  is held as a :class:`~termbase.model.PendingChange`: the approved rows
  stay as they are, so exports, ``check``, ``recognize`` and ``score`` see
  approved content only, until a reviewer accepts or rejects the change.
* Approving, rejecting, merging, reverting, deleting an approved entry and
  undeleting need a reviewer; a viewer writes nothing
  (:class:`~termbase.errors.ForbiddenError` names the role needed).
* A change that changes nothing writes nothing; every change, the demotion
  a promotion causes included, is in the history; ids are never reused.

The entry rules are plain functions in :mod:`termbase.rules`; the moderated
write itself (save or hold) is :func:`termbase.changes.save`, which the import
merge uses too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from termbase import changes, rules
from termbase.errors import (
    ConflictError,
    DuplicateError,
    InvalidValueError,
    NotFoundError,
)
from termbase.model import (
    Actor,
    ChangeState,
    Context,
    Entry,
    EntryType,
    ImportBatch,
    PendingChange,
    Review,
    Role,
    Source,
    Term,
    TermStatus,
    TermType,
    entry_from_dict,
    is_chinese,
)
from termbase.store import Store

#: Sentinel for "leave this field as it is" where None is a meaningful value.
KEEP: Any = object()


@dataclass
class ReviewItem:
    """One line of the review queue: a proposed entry or a proposed change to an approved one."""

    entry_id: int
    kind: str  # "entry" (a proposed entry) or "change" (a pending change)
    headword: str
    proposed_by: str
    proposed_at: str
    change_id: int | None = None
    batch_id: int | None = None
    stale: bool = False  # the entry changed since the change was proposed
    diff: list[str] = field(default_factory=list)
    comment: str = ""


@dataclass
class BatchResult:
    """What a batch approve/reject did (or, for a dry run, would do)."""

    action: str
    dry_run: bool
    done: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        verb = f"would {self.action}" if self.dry_run else f"{self.action}d"
        verb = verb.replace("approved", "approved").replace("rejectd", "rejected")
        parts = [f"{verb} {len(self.done)}"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already so")
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        return ", ".join(parts)


def _dup_keys(text: str) -> set[str]:
    from termbase.lang import fold_zh

    folded = fold_zh(text)
    return {folded, re.sub(r"\s+", "", folded)}


class ModerationMixin:
    """Writes under review rules; mixed into :class:`termbase.api.Termbase`."""

    store: Store
    user: str
    role: Role
    clock: Callable[[], str]

    # ------------------------------------------------------------- actors
    def actor(self, actor: Actor | str | None = None) -> Actor:
        """*actor* as an Actor: a bare name gets the facade's role; None is the facade's user."""
        if isinstance(actor, Actor):
            return actor
        return Actor(actor or self.user, self.role)

    # --------------------------------------------------------- the one write
    def _history(
        self,
        entry: Entry,
        action: str,
        before: Entry | None,
        after: Entry | None,
        comment: str,
        actor: Actor,
        batch_id: int | None = None,
    ) -> None:
        changes.record(
            self.store,
            entry,
            action,
            before,
            after,
            now=self.clock(),
            actor=actor.name,
            comment=comment,
            batch_id=batch_id,
        )

    def _commit(
        self,
        entry: Entry,
        before: Entry,
        *,
        action: str,
        comment: str,
        actor: Actor,
        batch_id: int | None = None,
    ) -> Entry:
        """:func:`termbase.changes.save` at this facade's time."""
        return changes.save(
            self.store,
            entry,
            before,
            now=self.clock(),
            actor=actor,
            action=action,
            comment=comment,
            batch_id=batch_id,
        )

    def _load(self, ref: int | str, expected_version: int | None) -> Entry:
        entry = self.store.get_entry(ref)
        if expected_version is not None and entry.id is not None:
            self.store.check_version(entry.id, expected_version)
        return entry

    # ---------------------------------------------------------------- add
    def duplicates_of(self, entry: Entry) -> list[int]:
        """Ids of stored entries with a Chinese term equal to one of *entry*'s after folding.

        Folding: traditional → simplified, full-width → half-width, case,
        spaces.
        """
        keys: set[str] = set()
        for term in entry.terms:
            if is_chinese(term.lang) and rules.usable(term):
                keys |= _dup_keys(term.text)
        found: set[int] = set()
        for key in keys:
            found.update(self.store.entries_by_folded_zh(key))
        found.discard(entry.id or 0)
        return sorted(found)

    def add(
        self,
        entry: Entry,
        *,
        actor: Actor | str | None = None,
        comment: str = "",
        new: bool = True,
        into: int | str | None = None,
    ) -> Entry:
        """Store a new concept; returns it with its id and version set.

        With ``new=False`` a concept whose Chinese term (folded) an entry
        already has is refused with :class:`~termbase.errors.DuplicateError`
        naming that entry; with *into* its renderings are added to entry
        *into* instead (held for review there when that entry is approved).
        """
        who = self.actor(actor)
        rules.require(who, Role.TRANSLATOR, "adding an entry")
        if into is not None:
            return self._add_into(entry, into, who, comment)
        rules.validate(entry)
        if not new:
            dups = self.duplicates_of(entry)
            if dups:
                first = self.store.get_entry(dups[0])
                ids = ", ".join(f"#{i}" for i in dups)
                raise DuplicateError(
                    f"{entry.zh or entry.terms[0].text} is already entry {ids} "
                    f"({first.zh} → {first.en or 'no English yet'}, {first.review.value}); "
                    f"add the rendering to it with --into {dups[0]}, or pass --new to create "
                    "a distinct concept (a homograph)",
                    entry_ids=dups,
                )
        if entry.review is Review.APPROVED:
            rules.require(who, Role.TERMINOLOGIST, "adding an approved entry")
            rules.check_approvable(entry)
        entry.id = None
        return changes.add(self.store, entry, now=self.clock(), actor=who.name, comment=comment)

    def _add_into(self, entry: Entry, into: int | str, who: Actor, comment: str) -> Entry:
        target = self.store.get_entry(into)
        before = copy.deepcopy(target)
        have = {(t.lang.lower(), t.text) for t in target.terms}
        for term in entry.terms:
            if (term.lang.lower(), term.text) in have:
                continue
            added = copy.deepcopy(term)
            added.id = None
            if added.status is TermStatus.PREFERRED and any(
                t.status is TermStatus.PREFERRED and t.lang.lower() == added.lang.lower()
                for t in target.terms
            ):
                added.status = TermStatus.ADMITTED
            target.terms.append(added)
        names = ", ".join(repr(t.text) for t in target.terms[len(before.terms) :])
        return self._commit(
            target,
            before,
            action="add-term",
            comment=comment or f"added {names}",
            actor=who,
        )

    # -------------------------------------------------------------- review
    def approve(
        self,
        ref: int | str,
        *,
        comment: str = "",
        expected_version: int | None = None,
        actor: Actor | str | None = None,
    ) -> Entry:
        """Approve an entry, or accept its pending change; approving an approved entry is a no-op.

        Approving needs a usable Chinese term and English rendering, a source
        cited by each preferred rendering, and — when another rendering in use
        cites a stronger source — a rationale in *comment*
        (:func:`termbase.rules.check_citations`).
        """
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "approving")
        with self.store.transaction():
            entry = self._load(ref, expected_version)
            assert entry.id is not None
            pending = self.store.pending_changes(entry_id=entry.id)
            if pending:
                return self.accept_change(pending[0].id or 0, comment=comment, actor=who)
            if entry.review is Review.APPROVED:
                return entry
            before = copy.deepcopy(entry)
            rules.check_approvable(entry)
            rules.check_citations(entry, comment)
            entry.review = Review.APPROVED
            entry.reviewer = who.name
            entry.reviewed_at = self.clock()
            entry.review_comment = comment
            return self._commit(entry, before, action="approve", comment=comment, actor=who)

    def reject(
        self,
        ref: int | str,
        *,
        reason: str,
        expected_version: int | None = None,
        actor: Actor | str | None = None,
    ) -> Entry:
        """Reject an entry, or the pending changes of an approved one; a reason is required."""
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "rejecting")
        if not reason.strip():
            raise InvalidValueError("a rejection needs a reason (--reason TEXT)")
        with self.store.transaction():
            entry = self._load(ref, expected_version)
            assert entry.id is not None
            pending = self.store.pending_changes(entry_id=entry.id)
            if pending:
                for change in pending:
                    self.reject_change(change.id or 0, reason=reason, actor=who)
                return entry
            if entry.review is Review.REJECTED:
                return entry
            before = copy.deepcopy(entry)
            entry.review = Review.REJECTED
            entry.reviewer = who.name
            entry.reviewed_at = self.clock()
            entry.review_comment = reason
            return self._commit(entry, before, action="reject", comment=reason, actor=who)

    def pending(self, ref: int | str | None = None, **filters: Any) -> list[PendingChange]:
        """Pending changes (of one entry when *ref* is given), oldest first.

        *filters*: ``batch_id``, ``proposed_by``, ``state`` (a ChangeState or
        None for every state), ``limit``.
        """
        entry_id = self.store.entry_id_for(ref) if ref is not None else None
        return self.store.pending_changes(entry_id=entry_id, **filters)

    def change_diff(self, change: PendingChange | int) -> list[str]:
        """The lines a reviewer reads: how the change differs from the entry as stored now."""
        if isinstance(change, int):
            change = self.store.get_pending(change)
        current = self.store.get_entry(change.entry_id)
        return rules.diff(current, entry_from_dict(change.proposed))

    def accept_change(
        self, change_id: int, *, comment: str = "", actor: Actor | str | None = None
    ) -> Entry:
        """Apply a pending change to its approved entry (a reviewer's decision)."""
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "accepting a change")
        with self.store.transaction():
            change = self.store.get_pending(change_id)
            if change.state is not ChangeState.PENDING:
                raise InvalidValueError(
                    f"change #{change_id} is already {change.state.value} "
                    f"by {change.decided_by} at {change.decided_at}"
                )
            current = self.store.get_entry(change.entry_id)
            if current.version != change.base_version:
                raise ConflictError(
                    f"entry #{current.id} changed since change #{change_id} was proposed "
                    f"(version {change.base_version}, now {current.version}, by "
                    f"{current.updated_by} at {current.updated_at}); reject the change "
                    "and propose it again on the current entry",
                    entry_id=current.id,
                    changed_by=current.updated_by,
                    changed_at=current.updated_at,
                    current_version=current.version,
                )
            proposed = entry_from_dict(change.proposed)
            proposed.id, proposed.uuid = current.id, current.uuid
            proposed.created_at, proposed.created_by = current.created_at, current.created_by
            proposed.version = current.version
            proposed.review = Review.APPROVED
            proposed.reviewer = who.name
            proposed.reviewed_at = self.clock()
            proposed.review_comment = comment or current.review_comment
            rules.check_approvable(proposed)
            text = f"accepted change #{change_id} by {change.proposed_by}"
            saved = self._commit(
                proposed,
                current,
                action="accept-change",
                comment=f"{text}: {comment}" if comment else text,
                actor=who,
                batch_id=change.batch_id,
            )
            self.store.decide_pending(change_id, ChangeState.ACCEPTED, who.name, self.clock())
        return saved

    def reject_change(
        self, change_id: int, *, reason: str, actor: Actor | str | None = None
    ) -> None:
        """Close a pending change without applying it (the entry stays as approved)."""
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "rejecting a change")
        if not reason.strip():
            raise InvalidValueError("a rejection needs a reason (--reason TEXT)")
        with self.store.transaction():
            change = self.store.get_pending(change_id)
            if change.state is not ChangeState.PENDING:
                raise InvalidValueError(f"change #{change_id} is already {change.state.value}")
            entry = self.store.get_entry(change.entry_id)
            self.store.decide_pending(
                change_id, ChangeState.REJECTED, who.name, self.clock(), reason
            )
            self._history(
                entry,
                "reject-change",
                None,
                None,
                f"rejected change #{change_id} by {change.proposed_by}: {reason}",
                who,
                change.batch_id,
            )

    def review_items(
        self,
        *,
        batch: int | None = None,
        proposed_by: str | None = None,
        subject: str | None = None,
        source: str | None = None,
        limit: int = 1000,
    ) -> list[ReviewItem]:
        """The review queue: proposed entries and pending changes, oldest first, with diffs."""
        ids = self.store.entry_ids_where(
            review="proposed",
            subject=subject,
            source=source,
            batch_id=batch,
            created_by=proposed_by,
            with_pending=True,
            limit=limit,
        )
        items: list[ReviewItem] = []
        for entry in self.store.get_entries(ids):
            assert entry.id is not None
            changes = self.store.pending_changes(
                entry_id=entry.id, batch_id=batch, proposed_by=proposed_by
            )
            if entry.review is Review.PROPOSED and (
                (batch is None or self.store.batch_created_ids(batch).count(entry.id))
                and (proposed_by is None or entry.created_by == proposed_by)
            ):
                items.append(
                    ReviewItem(
                        entry_id=entry.id,
                        kind="entry",
                        headword=entry.zh or entry.terms[0].text,
                        proposed_by=entry.created_by,
                        proposed_at=entry.created_at,
                        diff=[f"+ {t.lang} {t.text!r} ({t.status.value})" for t in entry.terms],
                    )
                )
            for change in changes:
                items.append(
                    ReviewItem(
                        entry_id=entry.id,
                        kind="change",
                        headword=entry.zh or entry.terms[0].text,
                        proposed_by=change.proposed_by,
                        proposed_at=change.proposed_at,
                        change_id=change.id,
                        batch_id=change.batch_id,
                        stale=change.base_version != entry.version,
                        diff=rules.diff(entry, entry_from_dict(change.proposed)),
                        comment=change.comment,
                    )
                )
        return items

    def select(
        self,
        *,
        ids: Iterable[int | str] = (),
        subject: str | None = None,
        source: str | None = None,
        batch: int | None = None,
        proposed_by: str | None = None,
    ) -> list[int]:
        """Entry ids for a batch review: the given ids, else everything under review that matches."""
        chosen = [self.store.entry_id_for(i) for i in ids]
        if chosen:
            return chosen
        if subject is None and source is None and batch is None and proposed_by is None:
            raise InvalidValueError(
                "say which entries: give ids, or --subject, --source, --import or --proposed-by"
            )
        return self.store.entry_ids_where(
            review="proposed",
            subject=subject,
            source=source,
            batch_id=batch,
            created_by=proposed_by,
            with_pending=True,
        )

    def approve_many(
        self,
        ids: Iterable[int],
        *,
        comment: str = "",
        dry_run: bool = False,
        actor: Actor | str | None = None,
    ) -> BatchResult:
        """Approve several entries (or accept their pending changes) in one transaction.

        An entry the rules refuse is reported, not approved; the others are.
        With *dry_run* nothing is written.
        """
        return self._many("approve", ids, comment, dry_run, actor)

    def reject_many(
        self,
        ids: Iterable[int],
        *,
        reason: str,
        dry_run: bool = False,
        actor: Actor | str | None = None,
    ) -> BatchResult:
        """Reject several entries (or their pending changes) in one transaction."""
        if not reason.strip():
            raise InvalidValueError("a rejection needs a reason (--reason TEXT)")
        return self._many("reject", ids, reason, dry_run, actor)

    def _many(
        self, action: str, ids: Iterable[int], text: str, dry_run: bool, actor: Any
    ) -> BatchResult:
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "batch review")
        result = BatchResult(action=action, dry_run=dry_run)
        target = Review.APPROVED if action == "approve" else Review.REJECTED
        with self.store.transaction():
            for entry_id in ids:
                entry = self.store.get_entry(entry_id)
                has_pending = bool(self.store.pending_changes(entry_id=entry_id, limit=1))
                if entry.review is target and not has_pending:
                    result.unchanged.append(entry_id)
                    continue
                try:
                    if action == "approve" and not has_pending:
                        rules.check_approvable(entry)
                        rules.check_citations(entry, text)
                    if not dry_run:
                        if action == "approve":
                            self.approve(entry_id, comment=text, actor=who)
                        else:
                            self.reject(entry_id, reason=text, actor=who)
                except (InvalidValueError, ConflictError) as exc:
                    result.refused[entry_id] = str(exc)
                    continue
                result.done.append(entry_id)
        return result

    # ---------------------------------------------------------------- edit
    def update(
        self,
        entry: Entry,
        *,
        comment: str = "",
        action: str = "update",
        actor: Actor | str | None = None,
    ) -> Entry:
        """Save changes to an existing entry (held for review when the rules say so).

        ``entry.version`` must be the version that was read; if somebody else
        saved the entry since, ConflictError says who and when.
        """
        if entry.id is None:
            raise NotFoundError("this entry has no id; use add() for new entries")
        who = self.actor(actor)
        with self.store.transaction():
            self.store.check_version(entry.id, entry.version)
            before = self.store.get_entry(entry.id)
            return self._commit(entry, before, action=action, comment=comment, actor=who)

    def _change(
        self,
        ref: int | str,
        expected_version: int | None,
        action: str,
        actor: Actor | str | None,
        comment: str,
        mutate: Callable[[Entry], str],
    ) -> Entry:
        """Load the entry, let *mutate* change it (it returns the history comment), commit."""
        with self.store.transaction():
            entry = self._load(ref, expected_version)
            before = copy.deepcopy(entry)
            text = mutate(entry)
            return self._commit(
                entry, before, action=action, comment=comment or text, actor=self.actor(actor)
            )

    def edit(
        self,
        ref: int | str,
        *,
        actor: Actor | str | None = None,
        expected_version: int | None = None,
        comment: str = "",
        add_source: Source | None = None,
        remove_source: int | None = None,
        **fields: str,
    ) -> Entry:
        """Change concept fields: ``subject``, ``definition``, ``definition_zh``, ``note``;
        cite one more source of the concept, or remove one (by position, from 0)."""
        unknown = set(fields) - set(rules.EDITABLE_FIELDS)
        if unknown:
            raise InvalidValueError(
                f"unknown field {sorted(unknown)[0]!r}; edit one of: "
                + ", ".join(rules.EDITABLE_FIELDS)
            )

        def apply(entry: Entry) -> str:
            for name, value in fields.items():
                if name == "entry_type":
                    try:
                        value = EntryType(value)
                    except ValueError:
                        raise InvalidValueError(
                            f"unknown entry type {value!r}; use one of "
                            + ", ".join(t.value for t in EntryType)
                        ) from None
                setattr(entry, name, value)
            what = sorted(fields)
            if remove_source is not None:
                if not 0 <= remove_source < len(entry.sources):
                    raise InvalidValueError(
                        f"entry #{entry.id} cites {len(entry.sources)} sources; give a number "
                        f"from 0 to {len(entry.sources) - 1}"
                    )
                what.append(f"removed source {entry.sources.pop(remove_source).title!r}")
            if add_source is not None:
                if not (add_source.title or add_source.url).strip():
                    raise InvalidValueError("a source needs a title or a URL")
                entry.sources.append(add_source)
                what.append(f"added source {add_source.title!r}")
            return "edited " + ", ".join(what)

        return self._change(ref, expected_version, "edit", actor, comment, apply)

    def set_status(
        self,
        ref: int | str,
        term: str | int,
        status: str | TermStatus,
        *,
        lang: str | None = None,
        note: str | None = None,
        expected_version: int | None = None,
        actor: Actor | str | None = None,
    ) -> Entry:
        """Change the status of one term (its text or id) of an entry.

        Making a term preferred demotes the previous preferred term of its
        language, and the history says so; the last usable term of a
        language cannot be deprecated; the same status again writes nothing.
        """
        new_status = parse_status(status)

        def apply(entry: Entry) -> str:
            target = find_term(entry, term, lang)
            lines = rules.set_status(entry, target, new_status)
            if note is not None:
                target.note = note
            return "; ".join(lines) or "note"

        return self._change(ref, expected_version, "set-status", actor, "", apply)

    def add_term(
        self,
        ref: int | str,
        term: Term,
        *,
        expected_version: int | None = None,
        comment: str = "",
        actor: Actor | str | None = None,
    ) -> Entry:
        """Add a term (Chinese or English, with its contexts and source) to an entry."""

        def apply(entry: Entry) -> str:
            added = copy.deepcopy(term)
            added.id = None
            status = added.status
            added.status = TermStatus.ADMITTED
            entry.terms.append(added)
            lines = [f"added {added.text!r} ({added.lang})"]
            if status is TermStatus.PREFERRED:
                lines += rules.make_preferred(entry, added)[1:]
            else:
                added.status = status
            return "; ".join(lines)

        return self._change(ref, expected_version, "add-term", actor, comment, apply)

    def edit_term(
        self,
        ref: int | str,
        term: str | int,
        *,
        lang: str | None = None,
        text: str | None = None,
        new_lang: str | None = None,
        status: str | TermStatus | None = None,
        term_type: str | TermType | None = None,
        pos: str | None = None,
        note: str | None = None,
        pinyin: str | None = None,
        source: Source | None = KEEP,
        add_context: Context | None = None,
        remove_context: int | None = None,
        expected_version: int | None = None,
        comment: str = "",
        actor: Actor | str | None = None,
    ) -> Entry:
        """Change any field of one term (its text or id): text, language, status, type,
        part of speech, note, pinyin, source; add a context (with its Chinese sentence
        in ``Context.text_zh``) or remove one (by position, from 0).
        """

        def apply(entry: Entry) -> str:
            before = copy.deepcopy(entry)
            target = find_term(entry, term, lang)
            lines: list[str] = []
            if text is not None and text.strip() != target.text:
                if not text.strip():
                    raise InvalidValueError("a term cannot be empty; delete it instead")
                target.text = text.strip()
                if is_chinese(target.lang) and pinyin is None:
                    target.pinyin = ""  # filled again from the new text
            if new_lang is not None:
                from termbase.model import normalise_lang

                target.lang = normalise_lang(new_lang)
            if status is not None:
                lines += rules.set_status(entry, target, parse_status(status))
            if term_type is not None:
                try:
                    target.term_type = TermType(term_type)
                except ValueError:
                    choices = ", ".join(t.value for t in TermType)
                    raise InvalidValueError(
                        f"unknown term type {term_type!r}; choose one of: {choices}"
                    ) from None
            if pos is not None:
                target.pos = pos
            if note is not None:
                target.note = note
            if pinyin is not None:
                target.pinyin = pinyin
            if source is not KEEP:
                target.source = source
            if remove_context is not None:
                if not 0 <= remove_context < len(target.contexts):
                    raise InvalidValueError(
                        f"{target.text!r} has {len(target.contexts)} contexts; give a number "
                        f"from 0 to {len(target.contexts) - 1}"
                    )
                del target.contexts[remove_context]
            if add_context is not None:
                if not add_context.text.strip():
                    raise InvalidValueError("a context sentence cannot be empty")
                target.contexts.append(add_context)
            return "; ".join(rules.diff(before, entry) or lines)

        return self._change(ref, expected_version, "edit-term", actor, comment, apply)

    def delete_term(
        self,
        ref: int | str,
        term: str | int,
        *,
        lang: str | None = None,
        expected_version: int | None = None,
        comment: str = "",
        actor: Actor | str | None = None,
    ) -> Entry:
        """Delete one rendering (its text or id) of an entry.

        An approved entry keeps its last usable Chinese term and English
        rendering; an entry keeps at least one term.
        """

        def apply(entry: Entry) -> str:
            target = find_term(entry, term, lang)
            if entry.review is Review.APPROVED:
                rules.check_keeps_usable(entry, target, None)
            if len(entry.terms) == 1:
                raise InvalidValueError(
                    f"{target.text!r} is the only term of entry #{entry.id}; delete the entry "
                    f"instead (termbase delete {entry.id})"
                )
            entry.terms.remove(target)
            return f"deleted {target.text!r} ({target.lang})"

        return self._change(ref, expected_version, "delete-term", actor, comment, apply)

    # -------------------------------------------------------- delete, undo
    def delete(
        self,
        ref: int | str,
        *,
        expected_version: int | None = None,
        comment: str = "",
        actor: Actor | str | None = None,
    ) -> None:
        """Remove an entry; its history stays and :meth:`undelete` brings it back.

        Deleting an approved entry, or somebody else's, needs a reviewer.
        """
        who = self.actor(actor)
        with self.store.transaction():
            entry = self._load(ref, expected_version)
            assert entry.id is not None
            if entry.review is Review.APPROVED or entry.created_by != who.name:
                rules.require(who, Role.TERMINOLOGIST, "deleting this entry")
            rules.require(who, Role.TRANSLATOR, "deleting an entry")
            for change in self.store.pending_changes(entry_id=entry.id):
                self.store.decide_pending(
                    change.id or 0, ChangeState.WITHDRAWN, who.name, self.clock(), "entry deleted"
                )
            self.store.delete_entry(entry.id)
            self._history(entry, "delete", entry, None, comment, who)

    def _last_snapshot(self, entry_id: int, actions: tuple[str, ...]) -> dict[str, Any]:
        for record in self.store.history(entry_id, limit=10_000):
            if record.action in actions and record.before:
                return record.before
        raise NotFoundError(f"entry #{entry_id} was never deleted; nothing to undelete")

    def undelete(
        self, entry_id: int, *, comment: str = "", actor: Actor | str | None = None
    ) -> Entry:
        """Bring a deleted entry back under its own id, as it was when deleted."""
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "undeleting")
        if self.store.entry_exists(entry_id):
            raise InvalidValueError(f"entry #{entry_id} exists; there is nothing to undelete")
        merged = self.store.redirect_of(entry_id)
        if merged is not None:
            raise InvalidValueError(
                f"entry #{entry_id} was merged into #{merged}; it lives on there"
            )
        entry = entry_from_dict(self._last_snapshot(entry_id, ("delete",)))
        entry.id = entry_id
        entry.version += 1
        entry.updated_at = self.clock()
        entry.updated_by = who.name
        taken = {t.id for t in entry.terms if t.id is not None}
        if taken and any(self.store.terms_exist(sorted(taken))):
            for term in entry.terms:
                term.id = None
        with self.store.transaction():
            if any(t.id is None for t in entry.terms):
                first = self.store.allocate_ids("terms", len(entry.terms))
                for n, term in enumerate(entry.terms):
                    term.id = first + n
            self.store.insert_entries([entry], keep_ids=True)
            self._history(entry, "undelete", None, entry, comment, who)
        return entry

    def revert(
        self,
        ref: int | str,
        *,
        to_version: int | None = None,
        comment: str = "",
        actor: Actor | str | None = None,
    ) -> Entry:
        """Restore an entry as it was at *to_version* (default: the version before this one).

        The restoration is a new, recorded change (the version goes up).
        """
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "reverting")
        with self.store.transaction():
            current = self.store.get_entry(ref)
            assert current.id is not None
            want = current.version - 1 if to_version is None else to_version
            snapshots: dict[int, dict[str, Any]] = {}
            for record in self.store.history(current.id, limit=10_000):
                for snap in (record.after, record.before):
                    if snap and snap.get("id") == current.id and "version" in snap:
                        snapshots.setdefault(int(snap["version"]), snap)
            if want == current.version:
                return current
            if want not in snapshots:
                known = ", ".join(str(v) for v in sorted(snapshots)) or "none"
                raise InvalidValueError(
                    f"entry #{current.id} has no recorded version {want}; versions in its "
                    f"history: {known}"
                )
            old = entry_from_dict(snapshots[want])
            old.id, old.uuid, old.version = current.id, current.uuid, current.version
            old.created_at, old.created_by = current.created_at, current.created_by
            if old.review is Review.APPROVED:
                rules.check_approvable(old)
            text = f"reverted to version {want}"
            return self._commit(
                old,
                current,
                action="revert",
                comment=f"{text}: {comment}" if comment else text,
                actor=who,
            )

    def merge(
        self,
        keep: int | str,
        other: int | str,
        *,
        comment: str = "",
        actor: Actor | str | None = None,
    ) -> Entry:
        """Join concept *other* into *keep*; *other*'s id then resolves to *keep*.

        Both histories stay (``history(keep)`` shows them together); the
        terms of *other* keep their ids.
        """
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "merging")
        with self.store.transaction():
            kept = self.store.get_entry(keep)
            gone = self.store.get_entry(other)
            if kept.id == gone.id:
                raise InvalidValueError(f"entry #{kept.id} cannot be merged into itself")
            assert kept.id is not None and gone.id is not None
            before = copy.deepcopy(kept)
            lines = rules.absorb(kept, gone)
            text = f"merged #{gone.id} into #{kept.id}" + (f": {comment}" if comment else "")
            detail = "; ".join(lines)
            gone_copy = copy.deepcopy(gone)
            saved = self._commit(
                kept,
                before,
                action="merge",
                comment=f"{text} ({detail})" if detail else text,
                actor=who,
            )
            self.store.delete_entry(gone.id)
            self._history(gone_copy, "merged-into", gone_copy, None, text, who)
            self.store.add_redirect(gone.id, kept.id, self.clock(), who.name)
            self.store.move_pending(gone.id, kept.id)
        return saved

    def likely_duplicates(self) -> list[tuple[str, list[int]]]:
        """(Chinese term, entry ids) for concepts that look like one concept entered twice.

        Entries sharing a usable Chinese term after folding, unless their
        subjects differ (a homograph created on purpose) or their readings do.
        """
        groups = []
        for key, ids in self.store.folded_zh_groups():
            entries = self.store.get_entries(ids)
            subjects = {e.subject.casefold() for e in entries if e.subject}
            readings = {_reading(e) for e in entries if _reading(e)}
            if len(subjects) > 1 or len(readings) > 1:
                continue
            groups.append((key, ids))
        return groups

    # ------------------------------------------------------------- imports
    def imports(self, limit: int = 100) -> list[ImportBatch]:
        """Import batches, newest first."""
        return self.store.batches(limit)

    def revert_import(self, batch_id: int, *, actor: Actor | str | None = None) -> dict[str, int]:
        """Undo import *batch_id*: delete the entries it created, restore the entries it
        extended, withdraw the changes it proposed.

        Refused, naming the entries, when any of them was changed or reviewed since.
        """
        who = self.actor(actor)
        rules.require(who, Role.TERMINOLOGIST, "reverting an import")
        batch = self.store.get_batch(batch_id)
        if batch.reverted_at:
            raise InvalidValueError(
                f"import #{batch_id} was already reverted by {batch.reverted_by} at "
                f"{batch.reverted_at}"
            )
        with self.store.transaction():
            created = self.store.get_entries(self.store.batch_created_ids(batch_id))
            touched = [e.id or 0 for e in created if e.version != 1]
            restores = []
            for history_id, entry_id in self.store.batch_history_ids(batch_id):
                record = next(
                    (r for r in self.store.history(entry_id, 10_000) if r.id == history_id), None
                )
                if record is None or record.before is None or record.after is None:
                    continue
                try:
                    current = self.store.get_entry(entry_id)
                except NotFoundError:
                    touched.append(entry_id)
                    continue
                if current.version != record.after.get("version"):
                    touched.append(entry_id)
                restores.append((current, record.before))
            changes = self.store.pending_changes(batch_id=batch_id, state=None)
            touched += [c.entry_id for c in changes if c.state is ChangeState.ACCEPTED]
            if touched:
                ids = ", ".join(f"#{i}" for i in sorted(set(touched)))
                raise InvalidValueError(
                    f"import #{batch_id} cannot be reverted: entries {ids} were changed or "
                    "reviewed since; revert those entries one by one (termbase revert ID)"
                )
            for entry in created:
                assert entry.id is not None
                self.store.delete_entry(entry.id)
                self._history(entry, "delete", entry, None, f"import #{batch_id} reverted", who)
            for current, snapshot in restores:
                old = entry_from_dict(snapshot)
                old.id, old.version = current.id, current.version
                self._commit(
                    old,
                    current,
                    action="revert",
                    comment=f"import #{batch_id} reverted",
                    actor=who,
                )
            withdrawn = 0
            for change in changes:
                if change.state is ChangeState.PENDING:
                    self.store.decide_pending(
                        change.id or 0,
                        ChangeState.WITHDRAWN,
                        who.name,
                        self.clock(),
                        f"import #{batch_id} reverted",
                    )
                    withdrawn += 1
            self.store.mark_batch_reverted(batch_id, self.clock(), who.name)
        return {"deleted": len(created), "restored": len(restores), "withdrawn": withdrawn}


def _reading(entry: Entry) -> str:
    zh = entry.zh_terms
    return "".join(c for c in zh[0].pinyin.lower() if c.isalpha()) if zh else ""


def find_term(entry: Entry, term: str | int, lang: str | None) -> Term:
    """The term of *entry* named by its id or text (case-insensitive second chance)."""
    for t in entry.terms:
        if isinstance(term, int) or (isinstance(term, str) and term.isdigit()):
            if t.id == int(term):
                return t
        elif t.text == term and (lang is None or t.lang.lower().startswith(lang.lower())):
            return t
    for t in entry.terms:
        if isinstance(term, str) and t.text.casefold() == term.casefold():
            return t
    names = ", ".join(repr(t.text) for t in entry.terms)
    raise NotFoundError(f"entry {entry.id} has no term {term!r}; its terms are: {names}")


def parse_status(value: str | TermStatus) -> TermStatus:
    """*value* as a TermStatus; InvalidValueError naming the choices."""
    try:
        return TermStatus(value)
    except ValueError:
        choices = ", ".join(s.value for s in TermStatus)
        raise InvalidValueError(f"unknown status {value!r}; choose one of: {choices}") from None
