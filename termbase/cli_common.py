"""What every ``termbase`` command module shares: the state, JSON output, option sets.

:mod:`termbase.cli` and the command modules it loads lazily (``cli_tm``,
``cli_qa``, ``cli_admin``) import these names; none of them imports another
command module.  Shared options are decorators (the habit of sqlite-utils'
``output_options``), so an option is spelled once.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import click

from termbase.api import Termbase

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """The database (or server) and user the command line was given; opens the Termbase once.

    A database named with ``--db`` must exist (*create* False: a typo is an
    error naming the path, not a new empty database); only ``init``, the
    default database and ``$TERMBASE_DB`` create one.
    """

    def __init__(
        self,
        db: str | None,
        user: str | None,
        role: str = "admin",
        *,
        create: bool = True,
        server: str | None = None,
    ) -> None:
        self.db = db
        self.user = user
        self.role = role
        self.create = create
        self.server = server
        self.termbase: Termbase | None = None

    def open(self) -> Termbase:
        """The Termbase of ``--db`` / ``--user`` / ``--role``, or of ``--server``.

        Opened on first use.  Against a server this is a
        :class:`termbase.remote.RemoteTermbase`: the same methods, the user and
        role taken from the token (``--user`` and ``--role`` are not sent), so
        commands never ask which one they hold.
        """
        if self.termbase is None:
            if self.server:
                from termbase.remote import RemoteTermbase

                self.termbase = cast(Termbase, RemoteTermbase(self.server))
            else:
                self.termbase = Termbase(
                    self.db, user=self.user, role=self.role, create=self.create
                )
        return self.termbase

    def close(self) -> None:
        """Close the Termbase if it was opened."""
        if self.termbase is not None:
            self.termbase.close()


pass_state = click.make_pass_decorator(State)
"""Decorator giving a command the shared state (``state.open()`` is the Termbase)."""


def echo_json(data: Any) -> None:
    """Print *data* as indented JSON, Chinese characters as they are."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class ProgressBar:
    """A rich progress bar: units done, rate, elapsed time and ETA, on stderr.

    Engines call it with the number of units just done; ``expect(total)``
    gives the bar its total (an import counts the file's units first), and
    ``phase(label, total)`` starts the next phase of the same job (an import
    that builds its search index in bulk at the end).
    """

    def __init__(self, bar: Any, label: str, total: int | None) -> None:
        self.bar = bar
        self.task = bar.add_task(label, total=total)

    def __call__(self, n: int) -> None:
        self.bar.advance(self.task, n)

    def expect(self, total: int | None) -> None:
        """The number of units this phase will do (None or 0: unknown)."""
        self.bar.update(self.task, total=total or None)

    def phase(self, label: str, total: int | None) -> None:
        """Finish the current phase and start *label* (with *total* units, if known)."""
        done = next(t.completed for t in self.bar.tasks if t.id == self.task)
        self.bar.update(self.task, total=done, completed=done)
        self.task = self.bar.add_task(label, total=total or None)


def _rate_column() -> Any:
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        """Units per second, as a count (rich's own speed column shows bytes)."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:,.0f}/s", style="progress.data.speed")

    return Rate()


@contextmanager
def progress_bar(label: str, total: int | None = None) -> Iterator[ProgressBar | None]:
    """A :class:`ProgressBar` on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        MofNCompleteColumn(),
        _rate_column(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        yield ProgressBar(bar, label, total)


# ------------------------------------------------------------ shared options
def json_option(help: str = "Print JSON.") -> Callable[[F], F]:
    """``--json``: print machine-readable output (parameter ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def expected_version_option(
    help: str = "Fail if the entry is no longer at this version.",
) -> Callable[[F], F]:
    """``--version N``: optimistic locking for one entry (parameter ``expected``)."""
    return click.option("--version", "expected", type=int, help=help)


def dry_run_option(help: str) -> Callable[[F], F]:
    """``--dry-run``: report what would happen, write nothing."""
    return click.option("--dry-run", is_flag=True, help=help)


def limit_option(default: int, help: str) -> Callable[[F], F]:
    """``--limit N`` (1 or more) with its default shown."""
    return click.option(
        "--limit", type=click.IntRange(min=1), default=default, show_default=True, help=help
    )


def encoding_option(
    help: str = "Text encoding of the input files (default: detected).",
) -> Callable[[F], F]:
    """``--encoding NAME``: how to decode a text file when detection guesses wrong."""
    return click.option("--encoding", metavar="NAME", help=help)
