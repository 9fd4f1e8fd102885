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
@click.option("--repair", is_flag=True, help="Rebuild the search index before checking.")
@pass_state
def doctor(state: State, repair: bool) -> None:
    """Check the database's integrity and consistency, and say how to repair it.

    Exits with status 1 when problems are found.

    \b
    Example:
      termbase doctor
    """
    tb = state.open()
    problems = tb.doctor(repair=repair)
    if not problems:
        click.echo(f"{tb.path}: no problems found.")
        return
    for problem in problems:
        click.echo(problem if problem.startswith("likely duplicate:") else f"problem: {problem}")
    raise SystemExit(1)
