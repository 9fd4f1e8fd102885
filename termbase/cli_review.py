"""Review, edit and undo commands: approve, reject, review, edit, edit-term, add-term,
delete-term, delete, undelete, revert, merge, imports.

Each is one call of the moderated facade (:mod:`termbase.api_moderation`).  A
change that the rules hold for review (a translator's, or an import's, to an
approved entry) is reported as a proposed change, with the command that
decides it.
"""

from __future__ import annotations

from dataclasses import asdict

import click

from termbase.api import Termbase
from termbase.api_moderation import KEEP, BatchResult
from termbase.cli_common import (
    State,
    dry_run_option,
    echo_json,
    expected_version_option,
    json_option,
    pass_state,
)
from termbase.model import ZH, Context, Entry, Source, Term, TermStatus, TermType

STATUSES = [s.value for s in TermStatus]
TYPES = [t.value for t in TermType]


class Before:
    """An entry as read before a write, with the pending changes it had then."""

    def __init__(self, tb: Termbase, ref: str) -> None:
        self.entry = tb.get(ref)
        self.pending = {c.id for c in tb.pending(self.entry.id or 0)}


def report_write(tb: Termbase, seen: Before, after: Entry, verb: str = "changed") -> None:
    """Say what a write did: saved (new version), held for review, or nothing to do."""
    before = seen.entry
    if after.version != before.version:
        click.echo(f"#{after.id} {after.zh}: {verb} (version {after.version}).")
        return
    mine = [
        c
        for c in tb.pending(after.id or 0)
        if c.proposed_by == tb.user and c.id not in seen.pending
    ]
    if mine:
        change = mine[-1]
        click.echo(
            f"#{after.id} {after.zh} is approved: your change is proposed as change "
            f"#{change.id} and waits for a reviewer ('termbase review')."
        )
        for line in tb.change_diff(change):
            click.echo(f"  {line}")
        return
    click.echo(f"#{after.id} {after.zh}: nothing to change.")


def _filters(f: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        [
            click.option("--subject", help="Every entry under review with this subject field."),
            click.option("--source", help="Every entry under review citing this source title."),
            click.option("--import", "batch", type=int, metavar="BATCH", help="From import BATCH."),
            click.option("--proposed-by", metavar="USER", help="Proposed by USER."),
            click.option("--yes", is_flag=True, help="Apply to every match without asking."),
        ]
    ):
        f = option(f)
    return f


def _batch_review(
    state: State,
    action: str,
    ids: tuple[str, ...],
    text: str,
    subject: str | None,
    source: str | None,
    batch: int | None,
    proposed_by: str | None,
    yes: bool,
    dry_run: bool,
    expected: int | None,
) -> None:
    tb = state.open()
    if len(ids) == 1 and not (subject or source or batch or proposed_by):
        before = tb.get(ids[0])
        if dry_run:
            result = _many(tb, action, [before.id or 0], text, True)
            click.echo(_lines(result))
            return
        pending = tb.pending(before.id)
        if action == "approve":
            entry = tb.approve(ids[0], comment=text, expected_version=expected)
        else:
            entry = tb.reject(ids[0], reason=text, expected_version=expected)
        if pending:
            verb = "Accepted" if action == "approve" else "Rejected"
            which = "change" if action == "approve" else "proposed changes"
            numbers = _ids(
                [pending[0].id or 0] if action == "approve" else [c.id or 0 for c in pending]
            )
            click.echo(
                f"{verb} {which} {numbers} of #{entry.id} {entry.zh} "
                f"(version {entry.version}, {entry.review.value})."
            )
        elif entry.version == before.version:
            click.echo(f"#{entry.id} {entry.zh} is already {entry.review.value}; nothing changed.")
        else:
            past = "Approved" if action == "approve" else "Rejected"
            click.echo(f"{past} #{entry.id} {entry.zh} (version {entry.version}, by {tb.user}).")
        return
    chosen = tb.select(
        ids=ids, subject=subject, source=source, batch=batch, proposed_by=proposed_by
    )
    filtered = not ids
    plan = _many(tb, action, chosen, text, True)
    if dry_run or (filtered and not yes):
        click.echo(_lines(plan))
        if filtered and not dry_run:
            click.echo(f"Nothing written; run again with --yes to {action} them.")
        return
    result = _many(tb, action, chosen, text, False)
    click.echo(_lines(result))


def _many(tb: Termbase, action: str, ids: list[int], text: str, dry_run: bool) -> BatchResult:
    if action == "approve":
        return tb.approve_many(ids, comment=text, dry_run=dry_run)
    return tb.reject_many(ids, reason=text, dry_run=dry_run)


def _lines(result: BatchResult) -> str:
    out = [result.summary() + (": " + _ids(result.done) if result.done else ".")]
    for entry_id, why in sorted(result.refused.items()):
        out.append(f"  refused #{entry_id}: {why}")
    return "\n".join(out)


def _ids(ids: list[int]) -> str:
    return ", ".join(f"#{i}" for i in ids)


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--comment", default="", help="Why it is approved.")
@_filters
@dry_run_option("Count and list what would be approved; write nothing.")
@expected_version_option(
    "Fail if the entry is no longer at this version (someone else changed it)."
)
@pass_state
def approve(
    state: State,
    ids: tuple[str, ...],
    comment: str,
    subject: str | None,
    source: str | None,
    batch: int | None,
    proposed_by: str | None,
    yes: bool,
    dry_run: bool,
    expected: int | None,
) -> None:
    """Approve entries, or accept the changes proposed to approved ones.

    One or several ids, or a filter.  With a filter the matches are counted
    and listed first; --yes approves them.  An entry needs a usable Chinese
    term and English rendering to be approved; approving an approved entry
    changes nothing.

    \b
    Examples:
      termbase approve 12 --comment "matches the official translation"
      termbase approve 12 14 15
      termbase approve --import 3            # count first
      termbase approve --import 3 --yes
    """
    _batch_review(
        state, "approve", ids, comment, subject, source, batch, proposed_by, yes, dry_run, expected
    )


@click.command()
@click.argument("ids", nargs=-1)
@click.option("--reason", required=True, help="Why it is rejected (required).")
@_filters
@dry_run_option("Count and list what would be rejected; write nothing.")
@expected_version_option()
@pass_state
def reject(
    state: State,
    ids: tuple[str, ...],
    reason: str,
    subject: str | None,
    source: str | None,
    batch: int | None,
    proposed_by: str | None,
    yes: bool,
    dry_run: bool,
    expected: int | None,
) -> None:
    """Reject entries (or the changes proposed to approved ones), with a reason.

    \b
    Examples:
      termbase reject 40 --reason "not a set formulation"
      termbase reject --proposed-by bob --reason "wrong source" --yes
    """
    _batch_review(
        state, "reject", ids, reason, subject, source, batch, proposed_by, yes, dry_run, expected
    )


@click.command()
@click.option("--import", "batch", type=int, metavar="BATCH", help="Only from import BATCH.")
@click.option("--proposed-by", metavar="USER", help="Only proposed by USER.")
@click.option("--subject", help="Only entries of this subject field.")
@click.option("--source", help="Only entries citing this source title.")
@json_option()
@pass_state
def review(
    state: State,
    batch: int | None,
    proposed_by: str | None,
    subject: str | None,
    source: str | None,
    as_json: bool,
) -> None:
    """The review queue: proposed entries and proposed changes, each as a diff.

    \b
    Examples:
      termbase review
      termbase review --import 3
    """
    items = state.open().review_items(
        batch=batch, proposed_by=proposed_by, subject=subject, source=source
    )
    if as_json:
        echo_json([asdict(i) for i in items])
        return
    if not items:
        click.echo("Nothing waits for review.")
        return
    for item in items:
        what = "new entry" if item.kind == "entry" else f"change #{item.change_id}"
        where = f", import #{item.batch_id}" if item.batch_id else ""
        stale = " — STALE: the entry changed since; reject it" if item.stale else ""
        click.echo(
            f"#{item.entry_id} {item.headword}: {what} by {item.proposed_by or '?'} "
            f"at {item.proposed_at}{where}{stale}"
        )
        for line in item.diff:
            click.echo(f"    {line}")
    click.echo(f"{len(items)} waiting. Decide with 'termbase approve ID' / 'termbase reject ID'.")


@click.command()
@click.argument("entry_id")
@click.option("--subject", help="Subject field.")
@click.option("--definition", help="English definition.")
@click.option("--definition-zh", help="Chinese definition.")
@click.option("--note", help="Concept note.")
@click.option("--add-source", "source_title", help="Cite one more source of the concept (title).")
@click.option("--source-author", default="", help="Author of --add-source.")
@click.option("--source-date", default="", help="Date of --add-source.")
@click.option("--source-url", default="", help="URL of --add-source.")
@click.option("--remove-source", type=int, metavar="N", help="Remove cited source N (from 0).")
@click.option("--comment", default="", help="Why (kept in the history).")
@expected_version_option()
@pass_state
def edit(
    state: State,
    entry_id: str,
    subject: str | None,
    definition: str | None,
    definition_zh: str | None,
    note: str | None,
    source_title: str | None,
    source_author: str,
    source_date: str,
    source_url: str,
    remove_source: int | None,
    comment: str,
    expected: int | None,
) -> None:
    """Edit the concept fields of an entry (terms: edit-term, add-term, delete-term).

    \b
    Example:
      termbase edit 12 --subject "national security" --note "Xi's formulation, 2014"
    """
    fields = {
        k: v
        for k, v in {
            "subject": subject,
            "definition": definition,
            "definition_zh": definition_zh,
            "note": note,
        }.items()
        if v is not None
    }
    source = _source(source_title, source_author, source_date, source_url)
    if not fields and source is None and remove_source is None:
        raise click.UsageError(
            "say what to change: --subject, --definition, --definition-zh, --note, "
            "--add-source, --remove-source"
        )
    tb = state.open()
    before = Before(tb, entry_id)
    entry = tb.edit(
        entry_id,
        expected_version=expected,
        comment=comment,
        add_source=source,
        remove_source=remove_source,
        **fields,
    )
    report_write(tb, before, entry)


def _source(title: str | None, author: str, date: str, url: str) -> Source | None:
    if not (title or url):
        return None
    return Source(title=title or url, author=author, date=date, url=url)


@click.command("edit-term")
@click.argument("entry_id")
@click.argument("term")
@click.option("--lang", "lang", help="Which term, when the same text exists in two languages.")
@click.option("--text", help="New text (correct a typo).")
@click.option("--to-lang", "new_lang", help="New language tag (zh-CN, zh-Hant, en …).")
@click.option("--status", type=click.Choice(STATUSES), help="New status.")
@click.option("--type", "term_type", type=click.Choice(TYPES), help="New term type.")
@click.option("--pos", help="Part of speech: noun, verb, adjective, adverb, other.")
@click.option("--note", help="Usage note.")
@click.option("--pinyin", help="Toned pinyin (Chinese terms).")
@click.option("--source", "source_title", help="Title of the source of the term.")
@click.option("--source-author", default="", help="Author of the source.")
@click.option("--source-date", default="", help="Date of the source.")
@click.option("--source-url", default="", help="URL of the source.")
@click.option("--add-context", help="A verbatim sentence using the term.")
@click.option("--context-zh", default="", help="The Chinese source sentence of --add-context.")
@click.option("--locator", default="", help="Where the context is: section, page, footnote.")
@click.option("--remove-context", type=int, metavar="N", help="Remove context N (from 0).")
@click.option("--comment", default="", help="Why (kept in the history).")
@expected_version_option()
@pass_state
def edit_term(
    state: State,
    entry_id: str,
    term: str,
    lang: str | None,
    text: str | None,
    new_lang: str | None,
    status: str | None,
    term_type: str | None,
    pos: str | None,
    note: str | None,
    pinyin: str | None,
    source_title: str | None,
    source_author: str,
    source_date: str,
    source_url: str,
    add_context: str | None,
    context_zh: str,
    locator: str,
    remove_context: int | None,
    comment: str,
    expected: int | None,
) -> None:
    """Edit one term (by its text or id): text, language, status, type, note, contexts, source.

    \b
    Examples:
      termbase edit-term 12 "high quality developmnet" --text "high-quality development"
      termbase edit-term 12 "new development paradigm" --status superseded
      termbase edit-term 12 "new development pattern" --add-context "We will foster …" \\
        --context-zh "加快构建新发展格局。" --locator "Part 4"
    """
    tb = state.open()
    before = Before(tb, entry_id)
    source = _source(source_title, source_author, source_date, source_url)
    entry = tb.edit_term(
        entry_id,
        term,
        lang=lang,
        text=text,
        new_lang=new_lang,
        status=status,
        term_type=term_type,
        pos=pos,
        note=note,
        pinyin=pinyin,
        source=source if source is not None else KEEP,
        add_context=Context(add_context, locator, source, text_zh=context_zh)
        if add_context
        else None,
        remove_context=remove_context,
        expected_version=expected,
        comment=comment,
    )
    report_write(tb, before, entry)


@click.command("add-term")
@click.argument("entry_id")
@click.argument("text")
@click.option("--lang", default="en", show_default=True, help="zh-CN, zh-Hant, en …")
@click.option("--status", type=click.Choice(STATUSES), default="admitted", show_default=True)
@click.option("--type", "term_type", type=click.Choice(TYPES), default="full-form")
@click.option("--note", default="", help="Usage note.")
@click.option("--context", default="", help="A verbatim sentence using the term.")
@click.option("--context-zh", default="", help="The Chinese source sentence of --context.")
@click.option("--locator", default="", help="Where the context is.")
@click.option("--source", "source_title", help="Title of the source.")
@click.option("--source-url", default="", help="URL of the source.")
@expected_version_option()
@pass_state
def add_term(
    state: State,
    entry_id: str,
    text: str,
    lang: str,
    status: str,
    term_type: str,
    note: str,
    context: str,
    context_zh: str,
    locator: str,
    source_title: str | None,
    source_url: str,
    expected: int | None,
) -> None:
    """Add a rendering (English) or a Chinese term to an entry.

    \b
    Examples:
      termbase add-term 12 "quality development" --note "avoid in official texts"
      termbase add-term 12 高品质发展 --lang zh-CN
    """
    from termbase.model import normalise_lang

    tb = state.open()
    before = Before(tb, entry_id)
    source = _source(source_title, "", "", source_url)
    term = Term(
        text,
        ZH if normalise_lang(lang) == "zh" else normalise_lang(lang),
        TermStatus(status),
        TermType(term_type),
        note=note,
        source=source,
        contexts=[Context(context, locator, source, text_zh=context_zh)] if context else [],
    )
    report_write(tb, before, tb.add_term(entry_id, term, expected_version=expected), "term added")


@click.command("delete-term")
@click.argument("entry_id")
@click.argument("term")
@click.option("--lang", help="Which term, when the same text exists in two languages.")
@click.option("--comment", default="", help="Why (kept in the history).")
@expected_version_option()
@pass_state
def delete_term(
    state: State, entry_id: str, term: str, lang: str | None, comment: str, expected: int | None
) -> None:
    """Delete one rendering (by its text or id) of an entry.

    \b
    Example:
      termbase delete-term 12 "quality development"
    """
    tb = state.open()
    before = Before(tb, entry_id)
    entry = tb.delete_term(entry_id, term, lang=lang, comment=comment, expected_version=expected)
    report_write(tb, before, entry, f"{term!r} deleted")


@click.command()
@click.argument("entry_id")
@click.option("--comment", default="", help="Why (kept in the history).")
@expected_version_option()
@pass_state
def delete(state: State, entry_id: str, comment: str, expected: int | None) -> None:
    """Delete an entry; 'termbase undelete ID' brings it back.

    \b
    Example:
      termbase delete 40 --comment "entered twice"
    """
    tb = state.open()
    entry = tb.get(entry_id)
    tb.delete(entry_id, comment=comment, expected_version=expected)
    click.echo(f"Deleted #{entry.id} {entry.zh}; 'termbase undelete {entry.id}' brings it back.")


@click.command()
@click.argument("entry_id", type=int)
@click.option("--comment", default="", help="Why (kept in the history).")
@pass_state
def undelete(state: State, entry_id: int, comment: str) -> None:
    """Bring a deleted entry back, under its own id.

    \b
    Example:
      termbase undelete 40
    """
    entry = state.open().undelete(entry_id, comment=comment)
    click.echo(f"Undeleted #{entry.id} {entry.zh} (version {entry.version}).")


@click.command()
@click.argument("entry_id")
@click.option("--to", "to_version", type=int, metavar="VERSION", help="Default: the previous one.")
@click.option("--comment", default="", help="Why (kept in the history).")
@pass_state
def revert(state: State, entry_id: str, to_version: int | None, comment: str) -> None:
    """Restore an entry as it was at an earlier version (a new, recorded change).

    \b
    Examples:
      termbase revert 12             # undo the last change
      termbase revert 12 --to 3
    """
    tb = state.open()
    before = tb.get(entry_id)
    entry = tb.revert(entry_id, to_version=to_version, comment=comment)
    if entry.version == before.version:
        click.echo(f"#{entry.id} {entry.zh} is already at version {entry.version}.")
        return
    target = to_version if to_version is not None else before.version - 1
    click.echo(
        f"Reverted #{entry.id} {entry.zh} to version {target} (now version {entry.version})."
    )


@click.command()
@click.argument("keep")
@click.argument("other")
@click.option("--comment", default="", help="Why (kept in the history).")
@pass_state
def merge(state: State, keep: str, other: str, comment: str) -> None:
    """Join entry OTHER into entry KEEP; OTHER's id then leads to KEEP.

    Both histories are kept ('termbase history KEEP' shows them together).

    \b
    Example:
      termbase merge 1 427 --comment "entered twice"
    """
    tb = state.open()
    gone = tb.get(other)
    entry = tb.merge(keep, other, comment=comment)
    click.echo(
        f"Merged #{gone.id} {gone.zh} into #{entry.id} {entry.zh} (version {entry.version}); "
        f"#{gone.id} now leads to #{entry.id}."
    )


@click.command()
@json_option()
@pass_state
def imports(state: State, as_json: bool) -> None:
    """Every import: batch number, file, who, when, and what it did.

    \b
    Examples:
      termbase imports
      termbase review --import 3
      termbase import --revert 3
    """
    batches = state.open().imports()
    if as_json:
        echo_json([asdict(b) for b in batches])
        return
    if not batches:
        click.echo("No imports yet.")
        return
    for b in batches:
        c = b.counts
        counts = ", ".join(
            f"{c.get(k, 0)} {k}" for k in ("new", "extended", "proposed", "replaced", "skipped")
        )
        reverted = f" — reverted by {b.reverted_by} at {b.reverted_at}" if b.reverted_at else ""
        click.echo(f"#{b.id} {b.origin} by {b.actor} at {b.at}: {counts}{reverted}")
