"""Administrative commands: backup, restore, doctor."""

from __future__ import annotations

import click

from termbase.cli_common import State, pass_state


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@pass_state
def backup(state: State, file: str, force: bool) -> None:
    """Copy the database to FILE (safe while the terminal app is open).

    An existing FILE is replaced only with --force.

    \b
    Example:
      termbase backup ~/termbase-2026-11-28.sqlite
    """
    tb = state.open()
    tb.backup(file, force=force)
    click.echo(f"Backed up {tb.stats()['entries']} entries to {file}.")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def restore(state: State, file: str, yes: bool) -> None:
    """Replace the database with the backup FILE (the current one is kept aside).

    FILE is checked (a sound termbase) and never changed.  The current
    content is first saved as DB.before-restore-TIME.bak, a new file each
    time, so a restore can always be undone.

    \b
    Example:
      termbase restore ~/termbase-2026-11-28.sqlite
    """
    tb = state.open()
    if not yes:
        click.confirm(
            f"Replace {tb.path} with {file}? The current content is saved first as "
            f"{tb.path}.before-restore-<time>.bak",
            abort=True,
        )
    safety = tb.restore(file)
    click.echo(f"Restored {file} ({tb.stats()['entries']} entries); previous content in {safety}.")


@click.command()
@click.option(
    "--repair",
    is_flag=True,
    help="Make again what is derived from the data (indexes, the search and TM indexes), "
    "after saving a copy, then check.",
)
@click.option(
    "--recover",
    "recover_to",
    metavar="NEW",
    help="Copy what can still be read of a damaged database into the new file NEW.",
)
@pass_state
def doctor(state: State, repair: bool, recover_to: str | None) -> None:
    """Check the database's integrity and consistency, and say how to repair it.

    --repair rebuilds what is derived from the data (a dropped index, the
    search index, the TM index) in one transaction, after saving the file
    as DB.before-repair-TIME.bak.  Lost data is not "repaired": a damaged
    database is reported with what to do, restore a backup, or save what
    SQLite can still read with --recover NEW (the damaged file is not
    changed).  Exits with status 1 when problems are found (or remain).

    \b
    Examples:
      termbase doctor
      termbase doctor --repair
      termbase doctor --recover recovered.sqlite
    """
    from termbase.api import (
        NOT_REPAIRED,
        REPAIRED,
        SEE_DOCTOR,
        default_db_path,
        diagnose,
        recover,
    )
    from termbase.errors import DatabaseError, LockedError, ReadOnlyError

    path = state.db if state.db is not None else default_db_path()
    if recover_to:
        counts = recover(path, recover_to)
        for table, (got, claimed) in counts.items():
            lost = f", {claimed - got} lost" if claimed > got else ""
            click.echo(f"{table}: {got} rows recovered{lost}")
        click.echo(
            f"Recovered into {recover_to}; check it with 'termbase --db {recover_to} doctor'."
        )
        return
    try:
        tb = state.open()
        lines = tb.doctor(repair=repair)
    except (LockedError, ReadOnlyError):
        raise  # not damage: the Error: line says what to do
    except DatabaseError as exc:
        # doctor's own findings follow, so the line does not send the user to doctor
        lines = [str(exc).removesuffix(SEE_DOCTOR), *diagnose(path, repair=repair)]
    else:
        path = tb.path
    problems = [line for line in lines if not line.startswith(REPAIRED)]
    for line in lines:
        click.echo(
            line
            if line.startswith(
                (REPAIRED, NOT_REPAIRED, "likely duplicate:", "save what", "or restore")
            )
            else f"problem: {line}"
        )
    if problems:
        raise SystemExit(1)
    click.echo(f"{path}: no problems found.")
