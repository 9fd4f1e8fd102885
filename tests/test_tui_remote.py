"""The Textual app against a live team server: who you are, what you may do, others' changes.

``termbase tui --server URL`` builds the same app over a RemoteTermbase;
these Pilot tests start uvicorn on a free loopback port as the CLI tests do.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from termbase import Termbase
from termbase.remote import RemoteTermbase
from tui.app import make_app
from tui.screens.entry import EntryScreen

from .conftest import FIXED_TIME, make_entry
from .serverkit import add_users, live_server


@pytest.fixture
def team(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setattr("termbase.rules.utcnow", lambda: FIXED_TIME)
    with Termbase(db_path, user="seed", seed=False, clock=lambda: FIXED_TIME) as tb:
        tb.add(make_entry())
    tokens = add_users(db_path)
    with live_server(db_path) as url:
        yield {"url": url, "tokens": tokens}


#: How long a test waits for work done over HTTP in a worker (generous: CI machines are loaded).
WAIT_SECONDS = 30.0
#: How often it looks.
STEP_SECONDS = 0.05


async def _until(pilot: Any, done: Callable[[], bool]) -> None:
    """Let the app run until *done()* holds or WAIT_SECONDS have passed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not done() and time.monotonic() < deadline:
        await pilot.pause(STEP_SECONDS)


async def _open_entry(pilot: Any, app: Any, entry_id: int) -> EntryScreen:
    app.open_entry(entry_id)  # the entry loads in a worker, over HTTP
    await _until(
        pilot, lambda: isinstance(app.screen, EntryScreen) and app.screen.entry is not None
    )
    assert isinstance(app.screen, EntryScreen)
    return app.screen


def _actions(app: Any) -> set[str]:
    return {b.binding.action for b in app.active_bindings.values()}


async def test_viewer_sees_who_they_are_and_no_write_actions(team: dict[str, Any]) -> None:
    remote = RemoteTermbase(team["url"], team["tokens"]["viewer"])
    app = make_app(remote)
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.sub_title == f"{team['url']} · viewer (viewer)"
        screen = await _open_entry(pilot, app, 1)
        assert "新发展格局" in str(screen.query_one("#entry-header").render())
        actions = _actions(app)
        for hidden in ("approve", "reject", "edit", "add_rendering", "delete"):
            assert hidden not in actions
        assert "toggle_history" in actions  # reading stays
    remote.close()


async def test_terminologist_approves_and_the_history_names_the_token_user(
    team: dict[str, Any], db_path: Path
) -> None:
    remote = RemoteTermbase(team["url"], team["tokens"]["terminologist"])
    remote.user = "mallory"  # ignored: the server takes the name from the token
    app = make_app(remote)
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.sub_title.endswith("· terminologist (terminologist)")
        await _open_entry(pilot, app, 1)
        assert "approve" in _actions(app)
        await pilot.press("a")
        await _until(pilot, lambda: Termbase(db_path, seed=False).get(1).review.value == "approved")
    remote.close()
    with Termbase(db_path, seed=False) as tb:
        assert tb.get(1).reviewer == "terminologist"
        assert tb.history(1)[0].actor == "terminologist"


async def test_others_changes_appear_without_a_restart(team: dict[str, Any]) -> None:
    mine = RemoteTermbase(team["url"], team["tokens"]["translator"])
    theirs = RemoteTermbase(team["url"], team["tokens"]["terminologist"])
    app = make_app(mine)
    app.POLL_SECONDS = 0.2
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open_entry(pilot, app, 1)
        assert screen.entry is not None and screen.entry.version == 1
        await asyncio.to_thread(theirs.set_status, 1, "NDP", "deprecated")
        await _until(pilot, lambda: screen.entry is not None and screen.entry.version == 2)
        assert screen.entry is not None and screen.entry.version == 2
        statuses = {t.text: t.status.value for t in screen.entry.terms}
        assert statuses["NDP"] == "deprecated"
    mine.close()
    theirs.close()
