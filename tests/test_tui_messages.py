"""Errors and notices are said in place, never in a toast over the results or
the evidence (issue 16, item 6): under the search box, on the TM screen's
status line, on the entry's status line.  Checked at 80x24 on what the
terminal shows."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, Select

from termbase import Segment, Termbase
from tui.app import TermbaseApp, make_app
from tui.screens.entry import EntryScreen
from tui.screens.search import SearchScreen

from .conftest import screen_text, settle

EVIDENCE = "China has made progress in pursuing a new development pattern."
EMPTY_QUERY = "Error: give a word or phrase to search for; the query is empty"


@pytest.fixture
def tb(two_entries: Termbase) -> Termbase:
    return two_entries


def under_search_box(app: TermbaseApp) -> str:
    """The terminal's rows between the search box and the filters, as a user reads them."""
    top = app.screen.query_one("#query").region.bottom
    bottom = app.screen.query_one("#filters").region.y
    return " ".join(row.strip() for row in screen_text(app).splitlines()[top:bottom])


async def paste(pilot, app: TermbaseApp, text: str) -> None:
    """Paste *text* where the cursor is, as the terminal sends a paste."""
    assert app.focused is not None
    app.focused.post_message(events.Paste(text))
    await settle(pilot)


async def search_screen(pilot, app: TermbaseApp) -> SearchScreen:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def test_a_refused_query_is_said_under_the_search_box_and_clears(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await search_screen(pilot, app)
        await paste(pilot, app, "\u200b \u200b")  # copied from a PDF: only invisible characters
        assert not app._notifications
        assert under_search_box(app) == EMPTY_QUERY
        assert not screen.hits
        await pilot.press("backspace", "backspace", *"安全")
        await settle(pilot)
        assert "Error" not in screen_text(app)
        assert [e.zh for e in screen.hits] == ["高水平安全"]


async def test_a_filter_no_entry_has_any_more_is_said_in_place(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await search_screen(pilot, app)
        tb.delete(2)  # elsewhere: the only entry of the subject goes
        screen.query_one("#subject", Select).value = "national security"
        await settle(pilot)
        assert not app._notifications
        assert under_search_box(app) == (
            "Error: no entry has the subject 'national security'; subjects in use: development"
        )
        screen.query_one("#subject", Select).value = ""
        await settle(pilot)
        assert "Error" not in screen_text(app)
        assert [e.zh for e in screen.hits] == ["新发展格局"]


async def test_a_notice_on_the_search_screen_is_no_toast(tb: Termbase) -> None:
    for entry_id in (1, 2):
        tb.approve(entry_id)
    app = make_app(tb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await search_screen(pilot, app)
        screen.query_one("#results").focus()
        await pilot.press("r")
        await settle(pilot)
        assert not app._notifications
        assert under_search_box(app) == "No entries are waiting for review."
        assert len(screen.hits) == 2  # the results stay in view
        screen.query_one("#query", Input).focus()
        await pilot.press(*"安全")
        await settle(pilot)
        assert "waiting for review" not in screen_text(app)  # cleared by the next search


async def test_an_error_on_the_entry_screen_leaves_the_evidence_in_view(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await search_screen(pilot, app)
        await pilot.press(*"新发展", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen)
        app.action_undelete()  # "Undelete an entry" in the command palette
        await pilot.pause()
        await pilot.press(*"99", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen)
        assert not app._notifications
        words = " ".join(screen_text(app).split())
        assert "Error: " in words and "99" in words.split("Error: ")[1]
        assert EVIDENCE in words  # whole, not covered


async def test_an_entry_deleted_elsewhere_is_said_on_the_search_screen(tb: Termbase) -> None:
    app = make_app(tb)
    app.POLL_SECONDS = 0.2
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await search_screen(pilot, app)
        await pilot.press(*"安全", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryScreen)
        tb.delete(2)
        await pilot.pause(1.0)
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert not app._notifications
        assert under_search_box(app).startswith("Error: no entry 2")


async def test_tm_screen_says_a_refused_text_on_its_status_line(tb: Termbase) -> None:
    tb.tm.add(Segment("我们要实现高水平安全。", "We must achieve high-level security."))
    app = make_app(tb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await search_screen(pilot, app)
        screen.query_one("#results").focus()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"实现高水平安全", "enter")
        await settle(pilot)
        assert "Fuzzy matches" in screen_text(app)
        await pilot.press(*["backspace"] * 7)
        await paste(pilot, app, "\u200b")
        await pilot.press("enter")
        await settle(pilot)
        assert not app._notifications
        text = screen_text(app)
        assert EMPTY_QUERY in " ".join(text.split())
        assert "Fuzzy matches" not in text  # the older lookup's matches are gone
