"""Pilot tests of the terminal app: what the user does, checked in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbase import Entry, Review, Term, Termbase, TermStatus
from tui.app import TermbaseApp, make_app
from tui.screens.entry import EntryScreen, ReviewQueueScreen
from tui.screens.modals import ConceptModal, ConfirmModal, ReasonModal
from tui.screens.search import SearchScreen

from .conftest import FIXED_TIME, make_entry


@pytest.fixture
def tb(tmp_path: Path) -> Termbase:
    base = Termbase(tmp_path / "tui.sqlite", user="alice", clock=lambda: FIXED_TIME)
    base.add(make_entry())
    base.add(
        Entry(
            terms=[
                Term("高水平安全", "zh-CN", "preferred"),
                Term("high-level security", "en", "preferred"),
                Term("greater security", "en", "admitted"),
            ],
            subject="national security",
        )
    )
    yield base
    base.close()


async def _search(pilot, app: TermbaseApp, text: str) -> SearchScreen:
    await pilot.press(*text)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def _open_first(pilot, app: TermbaseApp, query: str) -> EntryScreen:
    await _search(pilot, app, query)
    await pilot.press("enter", "enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, EntryScreen)
    return screen


async def test_search_as_you_type(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search(pilot, app, "安全")
        assert [e.zh for e in screen.hits] == ["高水平安全"]
        await pilot.press("backspace", "backspace", *"development")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [e.zh for e in screen.hits] == ["新发展格局"]
        assert str(screen.query_one("#status-line").render()) == "1 entries match 'development'"


async def test_stale_results_are_dropped(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search(pilot, app, "安全")
        generation = screen.generation
        screen.show_results(generation - 1, "old", [], {})  # a late answer to an old query
        assert [e.zh for e in screen.hits] == ["高水平安全"]


async def test_open_entry_and_approve(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_first(pilot, app, "高水平")
        evidence = str(screen.query_one("#evidence").render())
        assert "high-level security" in evidence
        await pilot.press("a")
        await pilot.pause()
    entry = tb.search("高水平安全")[0].entry
    assert entry.review is Review.APPROVED
    assert entry.reviewer == "alice"
    assert tb.history(entry.id)[0].action == "approve"


async def test_reject_needs_a_reason(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_first(pilot, app, "高水平")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ReasonModal)
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#error").render()) == "A rejection needs a reason."
        await pilot.press(*"duplicate", "enter")
        await pilot.pause()
    entry = tb.search("高水平安全")[0].entry
    assert entry.review is Review.REJECTED
    assert entry.review_comment == "duplicate"


async def test_deprecate_asks_first_then_records(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_first(pilot, app, "高水平")
        assert [t.text for t in screen.terms][:2] == ["high-level security", "greater security"]
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # cancelled: nothing changes
        await pilot.pause()
        entry = tb.search("高水平安全")[0].entry
        assert {t.text: t.status for t in entry.en_terms}["greater security"] is TermStatus.ADMITTED
        await pilot.press("d", "y")
        await pilot.pause()
    entry = tb.search("高水平安全")[0].entry
    assert {t.text: t.status for t in entry.en_terms}["greater security"] is TermStatus.DEPRECATED
    assert tb.history(entry.id)[0].comment == "'greater security' (en): admitted → deprecated"


async def test_make_preferred(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_first(pilot, app, "高水平")
        await pilot.press("down", "p")
        await pilot.pause()
    entry = tb.search("高水平安全")[0].entry
    assert entry.en == "greater security"


async def test_second_reviewer_is_refused_and_sees_who(tb: Termbase) -> None:
    app = make_app(
        tb,
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _open_first(pilot, app, "高水平")
        other = Termbase(tb.path, user="bob", clock=lambda: "2026-01-02T09:00:00Z")
        other.reject(screen.entry_id, reason="bob says no")
        other.close()
        await pilot.press("a")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(
            "Not saved: entry" in m and "changed by bob at 2026-01-02T09:00:00Z" in m
            for m in messages
        ), messages
        assert screen.entry is not None and screen.entry.review is Review.REJECTED
    entry = tb.search("高水平安全")[0].entry
    assert entry.review is Review.REJECTED and entry.reviewer == "bob"


async def test_review_queue_walks_proposed_entries(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")  # leave the search box
        app.screen.query_one("#results").focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewQueueScreen)
        assert app.screen.title == "Review queue: 1 of 2"
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.title == "Review queue: 2 of 2"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
    reviews = sorted(e.review.value for e in tb.entries())
    assert reviews == ["approved", "proposed"]


async def test_add_concept_validates(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("a")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConceptModal)
        modal.query_one("#zh").value = "abc"
        modal.action_save()
        await pilot.pause()
        assert str(modal.query_one("#error").render()) == (
            "The Chinese term must contain Chinese characters."
        )
        modal.query_one("#zh").value = "新型举国体制"
        modal.query_one("#en").value = "new system for mobilizing resources nationwide"
        modal.action_save()
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    hit = tb.search("新型举国体制")[0]
    assert hit.entry.en == "new system for mobilizing resources nationwide"
    assert hit.entry.created_by == "alice"


async def test_help_screen_lists_keys(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert "review queue" in str(app.screen.query_one("Static").render())
