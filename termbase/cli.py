"""The ``termbase`` command line: a thin shell over :class:`termbase.Termbase`.

Each command parses its arguments and makes one library call.  Library
errors (:class:`termbase.errors.TermbaseError`) become ``Error: …`` on
stderr with a non-zero exit code; no traceback for user mistakes.
Running ``termbase`` with no command opens the terminal app.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import Any

import click

from termbase.api import ENV_DB, ENV_ROLE, ENV_USER, EXPORT_REVIEWS, Termbase, default_db_path
from termbase.cli_common import (
    State,
    dry_run_option,
    echo_json,
    encoding_option,
    expected_version_option,
    json_option,
    limit_option,
    pass_state,
    progress_bar,
)
from termbase.errors import TermbaseError
from termbase.model import Context, Entry, EntryType, Role, Source, Term, TermStatus, TermType
from termbase.textfmt import echo

STATUSES = [s.value for s in TermStatus]
ENTRY_TYPES = [t.value for t in EntryType]
REVIEWS = ["proposed", "approved", "rejected"]


#: Commands defined in other modules, imported only when used ("module:attribute").
LAZY_COMMANDS = {
    "tm": "termbase.cli_tm:tm",
    "recognize": "termbase.cli_qa:recognize",
    "check": "termbase.cli_qa:check",
    "score": "termbase.cli_qa:score",
    "extract": "termbase.cli_qa:extract",
    "backup": "termbase.cli_admin:backup",
    "restore": "termbase.cli_admin:restore",
    "doctor": "termbase.cli_admin:doctor",
    "serve": "termbase.cli_server:serve",
    "user": "termbase.cli_server:user",
    "login": "termbase.cli_server:login",
    "approve": "termbase.cli_review:approve",
    "reject": "termbase.cli_review:reject",
    "review": "termbase.cli_review:review",
    "edit": "termbase.cli_review:edit",
    "edit-term": "termbase.cli_review:edit_term",
    "add-term": "termbase.cli_review:add_term",
    "delete-term": "termbase.cli_review:delete_term",
    "delete": "termbase.cli_review:delete",
    "undelete": "termbase.cli_review:undelete",
    "revert": "termbase.cli_review:revert",
    "merge": "termbase.cli_review:merge",
    "imports": "termbase.cli_review:imports",
}


def _load_lazy(name: str) -> click.Command | None:
    import importlib

    module_name, attr = LAZY_COMMANDS[name].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    command = getattr(module, attr, None)
    return command if isinstance(command, click.Command) else None


class _Group(click.Group):
    """A click group that turns TermbaseError into ``Error: …`` and exit code 1.

    Commands listed in LAZY_COMMANDS are imported only when invoked (or
    listed by ``--help``), so ``termbase search`` stays fast.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = [name for name in LAZY_COMMANDS if _load_lazy(name) is not None]
        return sorted({*super().list_commands(ctx), *lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            command = _load_lazy(cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TermbaseError as exc:
            raise click.ClickException(printable(str(exc))) from None


def _pass_undecodable_bytes() -> None:
    """Let output carry a file name that is not UTF-8 as the bytes it was given.

    Such names reach Python as lone surrogates (``surrogateescape``); printing
    them back as the same bytes shows the user the name they typed, where the
    default would crash with UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]


def printable(text: str) -> str:
    """*text* with bytes that were not UTF-8 (a file name, an argument) shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    metavar="PATH",
    envvar=ENV_DB,
    show_envvar=True,
    help="Database file. Default: termbase.sqlite in your data directory, "
    "created with the seed glossary on first use.",
)
@click.option(
    "--user",
    metavar="NAME",
    envvar=ENV_USER,
    show_envvar=True,
    help="Name recorded in the history. Default: your login name.",
)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    envvar=ENV_ROLE,
    show_envvar=True,
    default=Role.ADMIN.value,
    show_default=True,
    help="Your role: a translator's changes to approved entries wait for a reviewer.",
)
@click.option(
    "--server",
    metavar="URL",
    envvar="TERMBASE_SERVER",
    show_envvar=True,
    help="Use the team server at URL instead of a local file (sign in first with "
    "'termbase login URL', or set TERMBASE_TOKEN); your role is then the token's.",
)
@click.version_option(package_name="termbase")
@click.pass_context
def cli(
    ctx: click.Context, db: str | None, user: str | None, role: str, server: str | None
) -> None:
    """termbase: a Chinese–English termbase and translation memory.

    Run without a command to open the terminal app.

    \b
    Examples:
      termbase search 新发展格局
      termbase --db my.sqlite add 高水平安全 "high-level security" --subject "national security"
      termbase approve 12 --comment "official usage"
    """
    _pass_undecodable_bytes()
    named = ctx.get_parameter_source("db") is click.core.ParameterSource.COMMANDLINE
    state = State(db, user, role, create=not named, server=server)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="termbase")


# --------------------------------------------------------------------- init
@cli.command()
@click.option("--empty", is_flag=True, help="Create the database without the seed glossary.")
@pass_state
def init(state: State, empty: bool) -> None:
    """Create a database (with the seed glossary unless --empty).

    \b
    Example:
      termbase --db project.sqlite init
    """
    if state.server:
        raise click.ClickException(
            "init creates a local database file; a team server's database is created "
            "by 'termbase --db PATH serve' on the server machine"
        )
    path = state.db if state.db is not None else default_db_path()
    if os.path.exists(path):
        raise click.ClickException(
            f"{path} already exists; use it as it is, or choose another --db"
        )
    tb = Termbase(path, user=state.user, seed=not empty)
    state.termbase = tb
    count = tb.stats()["entries"]
    click.echo(f"Created {path} with {count} entries.")


# ---------------------------------------------------------------------- add
@cli.command()
@click.argument("zh")
@click.argument("renderings", nargs=-1, metavar="[EN]...")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default="preferred",
    show_default=True,
    help="Status of the first English rendering (the others are admitted).",
)
@click.option(
    "--deprecated",
    "deprecated",
    multiple=True,
    metavar="EN",
    help="A deprecated rendering (repeatable).",
)
@click.option("--subject", default="", help="Subject field, e.g. 'national security'.")
@click.option("--definition", default="", help="One-line English definition.")
@click.option("--note", default="", help="Usage note on the first rendering (why preferred).")
@click.option("--context", default="", help="Verbatim sentence where the first rendering occurs.")
@click.option("--locator", default="", help="Where in the source: section, footnote, page.")
@click.option("--source", "source_title", default="", help="Title of the source document.")
@click.option("--source-author", default="", help="Author or issuing body of the source.")
@click.option("--source-date", default="", help="Date of the source (YYYY-MM-DD or year).")
@click.option("--source-url", default="", help="URL of the source.")
@click.option(
    "--abbreviation",
    multiple=True,
    metavar="ABBR",
    help="An English abbreviation of the concept (repeatable), e.g. GDI.",
)
@click.option("--approve", "approve_now", is_flag=True, help="Approve the entry at once.")
@click.option(
    "--into",
    metavar="ID",
    help="Add the renderings to existing entry ID instead of creating a concept.",
)
@click.option(
    "--new",
    "force_new",
    is_flag=True,
    help="Create a distinct concept even though an entry has the same Chinese term "
    "(a homograph, e.g. of another subject).",
)
@pass_state
def add(
    state: State,
    zh: str,
    renderings: tuple[str, ...],
    status: str,
    deprecated: tuple[str, ...],
    subject: str,
    definition: str,
    note: str,
    context: str,
    locator: str,
    source_title: str,
    source_author: str,
    source_date: str,
    source_url: str,
    abbreviation: tuple[str, ...],
    approve_now: bool,
    into: str | None,
    force_new: bool,
) -> None:
    """Add a concept: a Chinese term and its English rendering(s).

    An entry with the same Chinese term (after folding traditional/simplified,
    width and spaces) is never duplicated by accident: the command stops and
    names it; add the renderings to it with --into ID, or pass --new.

    \b
    Example:
      termbase add 新发展格局 "new development pattern" "new development dynamic" \\
        --subject development --context "China has made progress in pursuing a new development pattern." \\
        --source "Achieving Mutual Reinforcement…" --source-author "CICIR Task Force"
    """
    tb = state.open()
    source = None
    if source_title or source_url:
        source = Source(
            title=source_title or source_url, author=source_author, date=source_date, url=source_url
        )
    terms = [Term(zh, "zh-CN", TermStatus.PREFERRED)]
    for i, en in enumerate(renderings):
        term = Term(en, "en", TermStatus(status) if i == 0 else TermStatus.ADMITTED)
        if i == 0:
            term.note = note
            term.source = source
            if context:
                term.contexts.append(Context(context, locator, source))
        terms.append(term)
    for en in deprecated:
        terms.append(Term(en, "en", TermStatus.DEPRECATED))
    for abbr in abbreviation:
        terms.append(Term(abbr, "en", TermStatus.ADMITTED, TermType.ABBREVIATION))
    entry = Entry(
        terms=terms, subject=subject, definition=definition, sources=[source] if source else []
    )
    if into is not None:
        from termbase.cli_review import Before, report_write

        before = Before(tb, into)
        entry = tb.add(entry, into=into)
        report_write(tb, before, entry, "added to")
        if approve_now:
            tb.approve(entry.id or 0)
        return
    entry = tb.add(entry, new=force_new)
    if approve_now:
        entry = tb.approve(entry.id or 0)
    click.echo(
        f"Added entry #{entry.id}: {entry.zh} → {entry.en or '(no English yet)'} "
        f"({entry.review.value})"
    )


# --------------------------------------------------------------------- show
@cli.command()
@click.argument("entry_id")
@json_option()
@pass_state
def show(state: State, entry_id: str, as_json: bool) -> None:
    """Show one entry with all its terms, contexts and sources.

    \b
    Example:
      termbase show 12
    """
    from termbase.model import entry_to_dict
    from termbase.textfmt import entry_text

    entry = state.open().get(entry_id)
    if as_json:
        echo_json(entry_to_dict(entry))
    else:
        click.echo(entry_text(entry))


# ------------------------------------------------------------------- search
def _entry_filters(command: Any) -> Any:
    """``--status``, ``--review``, ``--subject`` and ``--lang``: the filters that
    search and list share."""
    for option in reversed(
        (
            click.option(
                "--status", type=click.Choice(STATUSES), help="Entries with a term of this status."
            ),
            click.option(
                "--review", type=click.Choice([*REVIEWS, "all"]), help="Entries in this state."
            ),
            click.option("--subject", help="Entries of this subject field (any case)."),
            click.option(
                "--lang", help="Entries with a term in this language (zh, en, zh-Hant …)."
            ),
        )
    ):
        command = option(command)
    return command


@cli.command()
@click.argument("query")
@json_option("Print a JSON array.")
@limit_option(20, "At most this many hits.")
@_entry_filters
@click.option("--source", help="Only entries citing a source whose title contains this.")
@click.option(
    "--type",
    "entry_type",
    type=click.Choice(ENTRY_TYPES),
    help="Only entries of this type (a set formulation, an event …).",
)
@click.option("--brief", is_flag=True, help="Only the table, even for an exact match.")
@pass_state
def search(
    state: State,
    query: str,
    as_json: bool,
    limit: int,
    status: str | None,
    review: str | None,
    subject: str | None,
    lang: str | None,
    source: str | None,
    entry_type: str | None,
    brief: bool,
) -> None:
    """Search Chinese, pinyin, traditional characters or English.

    The English column shows the preferred rendering with its dates of use;
    the source column, the strongest source it cites and that source's
    authority (official text > official outlet > state media > scholarship
    > other).

    \b
    Examples:
      termbase search 发展
      termbase search "gao zhiliang" --json
      termbase search "development pattern" --review approved
      termbase search 安全 --type set-formulation
    """
    from termbase.textfmt import table

    hits = state.open().search(
        query,
        limit=limit,
        status=status,
        review=review,
        subject=subject,
        lang=lang,
        source=source,
        entry_type=entry_type,
    )
    if as_json:
        echo_json([h.as_json() for h in hits])
        return
    if not hits:
        click.echo(f"No entries match {echo(query)!r}.")
        return
    rows = []
    for h in hits:
        en = h.entry.en
        shown = next((t for t in h.entry.en_terms if t.text == en), None)
        if shown is not None and shown.dates():
            en += f" ({shown.dates()})"
        if h.preferred_for_deprecated:
            en = f"{h.term.text} ({h.term.status.value}) → use: {h.preferred_for_deprecated[0]}"
        best = shown.strongest_source if shown is not None else None
        if best is not None and not h.preferred_for_deprecated:
            en += f" · {best.authority.value.replace('-', ' ')}"
        rows.append(_row(h.entry, en))
    click.echo(table(ENTRY_COLUMNS, rows, ENTRY_WIDTHS))
    if hits[0].match == "exact" and not brief:
        # the concept the translator typed: every rendering, its status and evidence
        from termbase.textfmt import entry_text

        click.echo("")
        click.echo(entry_text(hits[0].entry))


#: The columns of an entry list (search and list) and their widest cells.
ENTRY_COLUMNS = ["id", "Chinese", "pinyin", "English", "review", "subject"]
ENTRY_WIDTHS = [6, 24, 28, 50, 9, 22]


def _row(entry: Entry, english: str) -> list[str]:
    """One entry as a row of ENTRY_COLUMNS."""
    return [
        str(entry.id),
        entry.zh,
        entry.pinyin,
        english,
        entry.review.value,
        entry.subject,
    ]


# --------------------------------------------------------------------- list
@cli.command("list")
@json_option("Print a JSON array of entries.")
@limit_option(100, "At most this many entries.")
@_entry_filters
@pass_state
def list_(
    state: State,
    as_json: bool,
    limit: int,
    status: str | None,
    review: str | None,
    subject: str | None,
    lang: str | None,
) -> None:
    """List entries by filters alone, no query: status, review state, subject, language.

    With --status, each row shows the terms of that status (e.g. every
    deprecated rendering, and what to use instead).

    \b
    Examples:
      termbase list --status deprecated
      termbase list --review proposed --subject "national security"
    """
    from termbase.model import entry_to_dict
    from termbase.textfmt import table

    tb = state.open()
    entries = tb.list_entries(
        status=status, review=review, subject=subject, lang=lang, limit=limit + 1
    )
    more = len(entries) > limit
    entries = entries[:limit]
    if as_json:
        echo_json([entry_to_dict(e) for e in entries])
        return
    if not entries:
        click.echo("No entries pass these filters.")
        return
    rows = []
    for entry in entries:
        english = entry.en
        if status:
            marked = [t.text for t in entry.terms if t.status.value == status]
            english = "; ".join(marked)
            if status in ("deprecated", "superseded") and entry.en:
                english += f" → use: {entry.en}"
        rows.append(_row(entry, english))
    click.echo(table(ENTRY_COLUMNS, rows, ENTRY_WIDTHS))
    if more:
        click.echo(f"(the first {limit}; pass --limit to see more)")


# ------------------------------------------------------------------ review
@cli.command("set-status")
@click.argument("entry_id")
@click.argument("term")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--note", help="Usage note to store with the term (e.g. why deprecated).")
@expected_version_option()
@pass_state
def set_status(
    state: State, entry_id: str, term: str, status: str, note: str | None, expected: int | None
) -> None:
    """Set the status of one term (preferred, admitted, deprecated, superseded).

    Making a rendering preferred demotes the previous preferred one to admitted.

    \b
    Example:
      termbase set-status 12 "new development paradigm" deprecated --note "use: new development pattern"
    """
    from termbase.cli_review import Before, report_write

    tb = state.open()
    before = Before(tb, entry_id)
    entry = tb.set_status(entry_id, term, status, note=note, expected_version=expected)
    if entry.version == before.entry.version:
        report_write(tb, before, entry)
        return
    click.echo(f"#{entry.id} {entry.zh}: {term!r} is now {status} (version {entry.version}).")


# ----------------------------------------------------------------- history
@cli.command()
@click.argument("entry_id", required=False)
@limit_option(50, "At most this many records.")
@json_option()
@pass_state
def history(state: State, entry_id: str | None, limit: int, as_json: bool) -> None:
    """Who changed what and when (for one entry, or for all).

    \b
    Examples:
      termbase history 12
      termbase history --limit 10
    """
    from dataclasses import asdict

    from termbase.textfmt import history_lines

    records = state.open().history(entry_id, limit=limit)
    if as_json:
        echo_json([asdict(r) for r in records])
    elif records:
        click.echo(history_lines(records))
    else:
        click.echo("No history yet.")


# ------------------------------------------------------------------- stats
@cli.command()
@json_option()
@pass_state
def stats(state: State, as_json: bool) -> None:
    """Counts of entries, terms, statuses, subjects and TM segments.

    \b
    Example:
      termbase stats
    """
    tb = state.open()
    data = tb.stats()
    if as_json:
        echo_json(data)
        return
    click.echo(f"Database: {tb.path}")
    click.echo(
        f"Entries:  {data['entries']} "
        + "("
        + ", ".join(f"{v} {k}" for k, v in data["review"].items())
        + ")"
    )
    click.echo(
        f"Terms:    {data['terms']} "
        + "("
        + ", ".join(f"{v} {k}" for k, v in data["languages"].items())
        + ")"
    )
    click.echo("Status:   " + ", ".join(f"{v} {k}" for k, v in data["status"].items()))
    click.echo(
        f"Contexts: {data['contexts']}; sources: {data['sources']}; "
        f"history records: {data['history']}; TM segments: {data['segments']}"
    )
    if data["subjects"]:
        click.echo("Subjects: " + ", ".join(f"{k} ({v})" for k, v in data["subjects"].items()))


# ---------------------------------------------------------- import / export
@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=True), required=False)
@click.option("--format", "fmt", help="File format (default: from the content or extension).")
@dry_run_option("Print the merge plan and write nothing.")
@click.option(
    "--on-conflict",
    type=click.Choice(["merge", "skip", "replace"]),
    default="merge",
    show_default=True,
    help="What to do with entries that already exist.",
)
@click.option("--source", "source_name", help="Record this source name on every entry.")
@click.option("--columns", help="CSV/TSV/XLSX column mapping, e.g. 'zh,en,note'.")
@encoding_option("Text encoding of CSV/TSV files (default: detected).")
@click.option(
    "--skip-bad-lines",
    is_flag=True,
    help="CSV/TSV, XLSX, CC-CEDICT: skip malformed rows instead of stopping.",
)
@click.option(
    "--revert",
    "revert_batch",
    type=int,
    metavar="BATCH",
    help="Undo import BATCH (see 'termbase imports') instead of importing a file.",
)
@json_option("Print the report as JSON.")
@pass_state
def import_(
    state: State,
    file: str | None,
    fmt: str | None,
    dry_run: bool,
    on_conflict: str,
    source_name: str | None,
    columns: str | None,
    encoding: str | None,
    skip_bad_lines: bool,
    revert_batch: int | None,
    as_json: bool,
) -> None:
    """Import a glossary: TBX, TMX, PO, CSV/TSV, XLSX or CC-CEDICT.

    The import is one transaction: if the file fails half-way, nothing is
    stored.  With --dry-run the plan is printed and nothing is written.
    What a file would change in an approved entry is held for review
    ('termbase review'); every import is recorded ('termbase imports') and
    can be undone with --revert BATCH until its entries are reviewed further.

    \b
    Examples:
      termbase import glossary.tbx --dry-run
      termbase import terms.csv --columns zh,en,note --on-conflict skip
      termbase import --revert 3
    """
    if revert_batch is not None:
        done = state.open().revert_import(revert_batch)
        if as_json:
            echo_json(done)
        else:
            click.echo(
                f"Reverted import #{revert_batch}: {done['deleted']} entries deleted, "
                f"{done['restored']} restored, {done['withdrawn']} proposed changes withdrawn."
            )
        return
    if file is None:
        raise click.UsageError("give the FILE to import, or --revert BATCH")
    options: dict[str, Any] = {}
    if columns:
        options["columns"] = columns
    if encoding:
        options["encoding"] = encoding
    if skip_bad_lines:
        options["skip_bad_lines"] = True
    tb = state.open()
    with progress_bar(f"Importing {os.path.basename(file)}") as progress:
        report = tb.import_file(
            file,
            format=fmt,
            on_conflict=on_conflict,
            dry_run=dry_run,
            source_name=source_name,
            progress=progress,
            **options,
        )
    if as_json:
        echo_json(report.as_dict())
        return
    if dry_run:
        for line in report.plan:
            click.echo(line)
    click.echo(report.summary())


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(Termbase.format_names(writing=True)),
    help="The file format (default: from the extension).",
)
@click.option(
    "--review",
    type=click.Choice(list(EXPORT_REVIEWS)),
    default="approved",
    show_default=True,
    help="approved entries only; proposed ones only; or all (proposed ones marked: TBX note, "
    "PO fuzzy, TMX x-review prop, CSV review column, OmegaT comment). Rejected entries "
    "are never exported.",
)
@click.option("--lang", "langs", help="Languages to export, comma-separated (e.g. zh,en).")
@click.option("--subject", help="Only entries of this subject field.")
@click.option("--force", is_flag=True, help="Replace FILE even if it is an SQLite database.")
@pass_state
def export(
    state: State,
    file: str,
    fmt: str | None,
    review: str,
    langs: str | None,
    subject: str | None,
    force: bool,
) -> None:
    """Export the termbase to a file that CAT tools load.

    Approved entries only, unless --review says otherwise.  Deprecated
    renderings are written as deprecated/forbidden where the format can say
    so, never as ordinary translations; rejected entries and changes still
    waiting for review are never written.
    FILE is written whole or not at all; - writes to standard output.  The
    open database is never overwritten, another SQLite file only with --force.

    \b
    Examples:
      termbase export glossary.tbx
      termbase export review.po --review all         # proposed entries marked fuzzy
      termbase export glossary.tbx --format tbx2008      # for OmegaT and Weblate
      termbase export glossary.txt --format tsv          # OmegaT glossary
    """
    tb = state.open()
    lang_list = [x.strip() for x in langs.split(",") if x.strip()] if langs else None
    with progress_bar(f"Exporting {os.path.basename(file)}") as progress:
        count = tb.export_file(
            file,
            format=fmt,
            review=review,
            langs=lang_list,
            subject=subject,
            progress=progress,
            force=force,
        )
    click.echo(f"Exported {count} entries to {file}.", err=file == "-")


# --------------------------------------------------------------------- tui
@cli.command()
@click.option(
    "--server", metavar="URL", help="Open the team server at URL (as the global --server does)."
)
@pass_state
def tui(state: State, server: str | None = None) -> None:
    """Open the terminal app (the default when no command is given).

    \b
    Examples:
      termbase tui
      termbase tui --server https://terms.example.org
    """
    if server:
        state.server = server
    try:
        from tui.app import make_app
    except ImportError as exc:  # pragma: no cover - broken installation
        raise click.ClickException(f"the terminal app cannot start: {exc}") from None
    tb = state.open()
    make_app(tb).run()


if __name__ == "__main__":  # python -m termbase.cli
    main()
