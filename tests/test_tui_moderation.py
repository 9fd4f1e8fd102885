"""The moderated termbase in the app (Pilot): each rule as a user meets it at the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbase import Entry, Review, Role, Term, Termbase, TermStatus
from tui.app import TermbaseApp, make_app
from tui.screens.entry import EntryScreen, ReviewQueueScreen
from tui.screens.modals import (
    AskModal,
    ChoiceModal,
    ConceptModal,
    ConfirmModal,
    EditTermModal,
    RenderingModal,
)

from .conftest import FIXED_TIME, PAPER_SOURCE


@pytest.fixture
def tb(tmp_path: Path) -> Termbase:
    base = Termbase(tmp_path / "tui.sqlite", user="terry", clock=lambda: FIXED_TIME)
    entry = base.add(
        Entry(
            subject="development",
            terms=[
                Term("高质量发展", "zh-CN", TermStatus.PREFERRED),
                Term("high-quality development", "en", TermStatus.PREFERRED, source=PAPER_SOURCE),
                Term("quality growth", "en", TermStatus.ADMITTED),
            ],
        )
    )
    base.approve(entry.id)
    yield base
    base.close()


async def _open(pilot, app: TermbaseApp, entry_id: int) -> EntryScreen:
    app.open_entry(entry_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, EntryScreen)
    return screen


async def _select(pilot, screen: EntryScreen, text: str) -> None:
    index = [t.text for t in screen.terms].index(text)
    screen.query_one("#terms").move_cursor(row=index)
    await pilot.pause()


async def test_edit_term_text_status_superseded_and_context(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open(pilot, app, 1)
        await _select(pilot, screen, "quality growth")
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditTermModal)
        form.query_one("#text").value = "quality-growth"
        form.query_one("#status").value = "superseded"
        form.query_one("#term_type").value = "phrase"
        form.query_one("#context").value = "Quality growth was the 2017 wording."
        form.query_one("#context_zh").value = "高质量发展是二〇一七年的提法。"
        form.query_one("#source").value = "Report"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    term = next(t for t in tb.get(1).terms if t.text == "quality-growth")
    assert (term.status, term.term_type.value) == (TermStatus.SUPERSEDED, "phrase")
    assert term.contexts[0].text_zh == "高质量发展是二〇一七年的提法。"
    assert term.id == 3  # the same term, corrected


async def test_add_chinese_term_and_delete_a_rendering(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open(pilot, app, 1)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RenderingModal)
        form.query_one("#text").value = "高品质发展"
        form.query_one("#lang").value = "zh"
        form.action_save()
        await pilot.pause()
        await _select(pilot, screen, "quality growth")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        # the last usable English rendering of an approved entry cannot go
        await _select(pilot, screen, "high-quality development")
        await pilot.press("delete", "y")
        await pilot.pause()
    entry = tb.get(1)
    assert [(t.lang, t.text) for t in entry.terms] == [
        ("zh-CN", "高质量发展"),
        ("en", "high-quality development"),
        ("zh-CN", "高品质发展"),
    ]
    assert tb.history(1)[0].comment == "deleted 'quality growth' (en)"


async def test_deprecating_the_last_rendering_is_refused(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        screen = await _open(pilot, app, 1)
        await _select(pilot, screen, "quality growth")
        await pilot.press("d", "y")
        await pilot.pause()
        await _select(pilot, screen, "high-quality development")
        await pilot.press("d", "y")
        await pilot.pause()
        assert "last usable en term" in str(screen.query_one("#entry-status").render())
    statuses = {t.text: t.status for t in tb.get(1).terms}
    assert statuses["high-quality development"] is TermStatus.PREFERRED


async def test_revert_key_restores_an_earlier_version(tb: Termbase) -> None:
    tb.edit(1, note="a wrong note")
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, app, 1)
        await pilot.press("u")
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, AskModal)
        assert ask.query_one("#answer").value == "2"
        await pilot.press("enter")
        await pilot.pause()
    assert tb.get(1).note == "" and tb.get(1).version == 4
    assert tb.history(1)[0].comment == "reverted to version 2"


async def test_add_concept_refuses_a_duplicate_and_offers_into_or_new(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        app.action_add_concept()
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConceptModal)
        form.query_one("#zh").value = "高質量發展"
        form.query_one("#en").value = "high quality growth"
        form.action_save()
        await pilot.pause()
        choice = app.screen
        assert isinstance(choice, ChoiceModal)
        assert "already entry #1" in choice.question
        await pilot.click("#choice-into")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    assert [e.id for e in tb.entries()] == [1]
    assert "high quality growth" in [t.text for t in tb.get(1).terms]


async def test_translator_proposes_reviewer_accepts_in_the_queue(tb: Termbase) -> None:
    translator = Termbase(tb.path, user="bob", role=Role.TRANSLATOR, clock=lambda: FIXED_TIME)
    app = make_app(translator)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        screen = await _open(pilot, app, 1)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#note").value = "bob's usage note"
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = str(screen.query_one("#entry-status").render())
        assert "your change is proposed and waits for a reviewer" in status
        details = str(screen.query_one("#entry-details").render())
        assert "Proposed change #1 by bob" in details
        assert "~ note: '' → \"bob's usage note\"" in details
        # a translator cannot accept it: the reviewer's actions are hidden from them
        assert screen.check_action("approve", ()) is False
        assert "approve" not in {b.binding.action for b in app.active_bindings.values()}
        await pilot.press("a")
        await pilot.pause()
        assert "Proposed change #1 by bob" in str(screen.query_one("#entry-details").render())
    translator.close()
    assert tb.get(1).note == ""
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        app.action_review_queue()
        await pilot.pause()
        queue = app.screen
        assert isinstance(queue, ReviewQueueScreen)
        assert "Proposed change #1 by bob" in str(queue.query_one("#entry-details").render())
        await pilot.press("a")
        await pilot.pause()
    assert tb.get(1).note == "bob's usage note"
    assert tb.get(1).review is Review.APPROVED


async def test_merge_and_undelete(tb: Termbase) -> None:
    dup = tb.add(Entry(terms=[Term("高质量发展", "zh-CN"), Term("quality-first growth", "en")]))
    gone = tb.add(Entry(terms=[Term("临时", "zh-CN")]))
    tb.delete(gone.id)
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, app, 1)
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, AskModal)
        await pilot.press(*str(dup.id), "enter")
        await pilot.pause()
        app.action_undelete()
        await pilot.pause()
        await pilot.press(*str(gone.id), "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen) and app.screen.entry_id == gone.id
    assert tb.get(dup.id).id == 1
    assert "quality-first growth" in [t.text for t in tb.get(1).terms]
    assert tb.get(gone.id).zh == "临时"


async def test_approving_needs_an_english_rendering(tb: Termbase) -> None:
    only_zh = tb.add(Entry(terms=[Term("共同富裕", "zh-CN")]))
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _open(pilot, app, only_zh.id)
        await pilot.press("a")
        await pilot.pause()
        assert "no preferred or admitted English rendering" in str(
            screen.query_one("#entry-status").render()
        )
    assert tb.get(only_zh.id).review is Review.PROPOSED


async def test_review_queue_of_one_import(tb: Termbase, tmp_path: Path) -> None:
    csv = tmp_path / "in.csv"
    # the new concept's rendering cites a source (its row's citation): approving needs one
    csv.write_text(
        "zh,en,citation\n高质量发展,quality development,\n绿色发展,green development,Green Report\n"
    )
    tb.add(Entry(terms=[Term("安全", "zh-CN"), Term("security", "en")]))  # not from the import
    batch = tb.import_file(csv).batch_id
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        app.action_review_import()
        await pilot.pause()
        ask = app.screen
        assert isinstance(ask, AskModal) and "#1 in.csv" in ask.question
        await pilot.press(*str(batch), "enter")
        await pilot.pause()
        queue = app.screen
        assert isinstance(queue, ReviewQueueScreen)
        assert queue.title == "Review queue: 1 of 2"
        assert "+ en 'quality development' (admitted)" in str(
            queue.query_one("#entry-details").render()
        )
        await pilot.press("a")  # accept the change to the approved entry
        await pilot.pause()
        assert queue.title == "Review queue: 2 of 2"
        await pilot.press("a")
        await pilot.pause()
    assert "quality development" in [t.text for t in tb.get(1).terms]
    assert [e.review for e in tb.entries()] == [Review.APPROVED, Review.PROPOSED, Review.APPROVED]


async def test_edit_form_cites_a_new_source_of_the_concept(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open(pilot, app, 1)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#source").value = "Report to the 20th National Congress"
        app.screen.query_one("#url").value = "https://www.example.org/report"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
    assert [s.url for s in tb.get(1).sources] == ["https://www.example.org/report"]
