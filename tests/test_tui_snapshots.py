"""One snapshot per screen state, deterministic (fixed clock, user, path; no cursor blink)."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbase import Entry, Term, Termbase
from tui.app import make_app

from .conftest import FIXED_TIME, make_entry, settle

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # the database path shown on screen is then always the same
    tb = Termbase("snap.sqlite", user="alice", clock=lambda: FIXED_TIME)
    entry = make_entry()
    entry.uuid = "00000000-0000-4000-8000-000000000001"
    tb.add(entry)
    other = Entry(
        terms=[
            Term("高水平安全", "zh-CN", "preferred"),
            Term("high-level security", "en", "preferred"),
            Term("greater security", "en", "admitted"),
        ],
        subject="national security",
        uuid="00000000-0000-4000-8000-000000000002",
    )
    tb.add(other)
    application = make_app(tb)
    application.CURSOR_BLINK = False  # type: ignore[attr-defined]
    yield application
    tb.close()


async def _settle(pilot) -> None:
    await settle(pilot)


def _no_blink(pilot) -> None:
    for widget in pilot.app.screen.query("Input"):
        widget.cursor_blink = False


def test_empty_search(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        _no_blink(pilot)
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_results(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        _no_blink(pilot)
        await pilot.press(*"security")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_entry(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        _no_blink(pilot)
        await pilot.press(*"新发展", "enter", "enter")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_queue(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        _no_blink(pilot)
        await _settle(pilot)
        pilot.app.screen.query_one("#results").focus()
        await pilot.press("r")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_modal(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        _no_blink(pilot)
        await pilot.press(*"高水平", "enter", "enter")
        await _settle(pilot)
        await pilot.press("x")
        await _settle(pilot)
        _no_blink(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_no_results(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        _no_blink(pilot)
        await pilot.press(*"zzz")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_error(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        _no_blink(pilot)
        await _settle(pilot)
        pilot.app.screen.query_one("#results").focus()
        await pilot.press("i")
        await _settle(pilot)
        _no_blink(pilot)
        await pilot.press(*"missing.tbx")
        pilot.app.screen.run()  # the Import button
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
