"""Shared fixtures: a throwaway termbase with a fixed clock and user."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Context, Entry, Source, Term, Termbase, TermStatus, TermType
from termbase.cli import cli

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
PAPER = SHARED / "paper" / "development-and-security.txt"

FIXED_TIME = "2026-01-02T03:04:05Z"

PAPER_SOURCE = Source(
    title="Achieving Mutual Reinforcement between High-Quality Development and High-Level Security",
    author="CICIR Task Force",
    publisher="Contemporary International Relations",
    date="2025",
)


def kill_at_marker(script: str, marker: Path, db_path: Path, wait: float = 60) -> None:
    """Run *script* in a new Python process, SIGKILL it once it has created
    *marker*, and check that the database at *db_path* is still intact."""
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    deadline = time.time() + wait
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the process did not reach the moment of the kill"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def make_entry() -> Entry:
    """新发展格局 with three renderings, a context and a source."""
    return Entry(
        subject="development",
        definition="China's strategy centred on domestic circulation.",
        terms=[
            Term("新发展格局", "zh-CN", TermStatus.PREFERRED),
            Term(
                "new development pattern",
                "en",
                TermStatus.PREFERRED,
                note="official usage",
                contexts=[
                    Context(
                        "China has made progress in pursuing a new development pattern.",
                        "Part 2",
                        PAPER_SOURCE,
                    )
                ],
            ),
            Term("new development dynamic", "en", TermStatus.ADMITTED),
            Term("NDP", "en", TermStatus.ADMITTED, TermType.ABBREVIATION),
        ],
        sources=[PAPER_SOURCE],
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture
def tb(db_path: Path) -> Termbase:
    base = Termbase(db_path, user="alice", clock=lambda: FIXED_TIME)
    yield base
    base.close()


@pytest.fixture
def two_entries(tmp_path: Path) -> Termbase:
    """A termbase of 新发展格局 (:func:`make_entry`) and 高水平安全, as alice at FIXED_TIME."""
    base = Termbase(tmp_path / "tui.sqlite", user="alice", clock=lambda: FIXED_TIME)
    base.add(make_entry())
    base.add(
        Entry(
            terms=[
                Term("高水平安全", "zh-CN", "preferred"),
                Term(
                    "high-level security",
                    "en",
                    "preferred",
                    contexts=[Context("Keywords: high-level security", "Abstract", PAPER_SOURCE)],
                ),
                Term("greater security", "en", "admitted"),
            ],
            subject="national security",
        )
    )
    yield base
    base.close()


async def settle(pilot) -> None:
    """Let posted messages start their workers, wait for them, then redraw.

    A file picker (``DirectoryTree``) keeps a loader worker running for as long as
    it is shown: that one is not waited for.
    """
    await pilot.pause()
    busy = [w for w in pilot.app.workers if w.group != "_loader"]
    if busy:  # wait_for_complete([]) would wait for every worker
        await pilot.app.workers.wait_for_complete(busy)
    await pilot.pause()


def screen_text(app) -> str:
    """What the terminal shows now, as plain text (what a user can read)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, color_system=None
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The CLI on the test database as alice at FIXED_TIME: ``run(*args, code=0)``."""
    monkeypatch.setenv("TERMBASE_DB", str(db_path))
    monkeypatch.setenv("TERMBASE_USER", "alice")
    monkeypatch.delenv("TERMBASE_ROLE", raising=False)
    monkeypatch.setattr("termbase.rules.utcnow", lambda: FIXED_TIME)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke
