"""Pilot tests of the terminal app: what the user does, checked in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Select

from termbase import Entry, Review, Source, Term, Termbase, TermStatus
from tui.app import TermbaseApp, make_app
from tui.screens.entry import EntryScreen, ReviewQueueScreen
from tui.screens.modals import (
    ConceptModal,
    ConfirmModal,
    EditEntryModal,
    ReasonModal,
    RenderingModal,
    TransferModal,
)
from tui.screens.search import SearchScreen

from .conftest import FIXED_TIME, make_entry, screen_text, settle


@pytest.fixture
def tb(two_entries: Termbase) -> Termbase:
    return two_entries


async def _settle(pilot, app: TermbaseApp) -> None:
    await settle(pilot)


async def _search(pilot, app: TermbaseApp, text: str) -> SearchScreen:
    await pilot.press(*text)
    await settle(pilot)
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
        await settle(pilot)
        assert [e.zh for e in screen.hits] == ["新发展格局"]
        assert str(screen.query_one("#status-line").render()) == (
            "1 entry matches 'development' · ↓ results · Enter opens"
        )


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
        message = str(screen.query_one("#entry-status").render())
        assert "Not saved: entry" in message, message
        assert "changed by bob at 2026-01-02T09:00:00Z" in message
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
        lines = str(app.screen.query_one("Static").render()).splitlines()
        assert lines[:3] == [
            "Everywhere",
            "  ?       this help (every key)",
            "  r       review queue: walk the proposed entries",
        ]
        assert "  a       approve the entry          x       reject (asks for a reason)" in lines
        assert max(len(line) for line in lines) <= 74  # fits the 80-column dialog


async def test_palette_lists_the_actions_of_the_screen(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_first(pilot, app, "高水平")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Review queue", "Import", "Export", "Approve this entry"} <= titles
        assert "Make the selected term deprecated" in titles
        approve = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Approve this entry"
        )
        await approve.callback()
        await pilot.pause()
    assert tb.search("高水平安全")[0].entry.review is Review.APPROVED


async def test_status_filter_without_a_query(tb: Termbase) -> None:
    tb.set_status(2, "greater security", "deprecated")
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#status").value = "deprecated"
        await settle(pilot)
        assert [e.zh for e in screen.hits] == ["高水平安全"]


async def test_export_then_import_with_plan_and_confirm(tb: Termbase, tmp_path: Path) -> None:
    out = tmp_path / "out.tbx"
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, TransferModal)
        app.screen.query_one("#path").value = str(out)
        await pilot.click("#run")
        await _settle(pilot, app)
        assert str(app.screen.query_one("#result").render()) == f"Exported 2 entries to {out}."
    assert out.exists()

    empty = Termbase(tmp_path / "empty.sqlite", user="carol", clock=lambda: FIXED_TIME)
    app = make_app(empty)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("i")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, TransferModal)
        modal.query_one("#path").value = str(out)
        await pilot.pause()
        await pilot.click("#run")  # first press: the dry-run plan
        await _settle(pilot, app)
        assert empty.stats()["entries"] == 0
        assert str(modal.query_one("#run", Button).label) == "Confirm import"
        plan = str(modal.query_one("#plan").render()).splitlines()
        assert plan == ["new        新发展格局", "new        高水平安全"]
        assert "2 new" in str(modal.query_one("#result").render())
        await pilot.pause(0.3)  # a Button ignores clicks during its 0.2 s press effect
        await pilot.click("#run")  # second press: the import
        await _settle(pilot, app)
        assert str(modal.query_one("#run", Button).label) == "Show plan"
    assert sorted(e.zh for e in empty.entries()) == ["新发展格局", "高水平安全"]
    assert empty.history()[0].actor == "carol"
    empty.close()


async def test_keys_while_typing(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "安全")
        await pilot.press("f1")  # help, although the search box has the focus
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query").value == "安全"
        await pilot.press("down", "enter")  # down leaves the box for the results
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.entry is not None and app.screen.entry.zh == "高水平安全"


async def test_add_rendering_and_edit_definition(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_first(pilot, app, "高水平")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RenderingModal)
        form.query_one("#text").value = "high-standard security"
        form.query_one("#context").value = "We pursue high-standard security."
        form.action_save()
        await pilot.pause()
        assert str(form.query_one("#error").render()) == (
            "Give the source of the context sentence (a title or a URL)."
        )
        form.query_one("#source").value = "Report"
        form.query_one("#url").value = "example.org"
        form.action_save()
        await pilot.pause()
        assert str(form.query_one("#error").render()) == (
            "The URL must start with http:// or https://."
        )
        form.query_one("#url").value = "https://example.org/report"
        form.action_save()
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        await pilot.press("e")
        await pilot.pause()
        edit = app.screen
        assert isinstance(edit, EditEntryModal)
        edit.query_one("#definition").value = "Security at a high standard."
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        history = str(screen.query_one("#history").render()).splitlines()
        assert history[:2] == [
            f"{FIXED_TIME}  alice  update  — edited in the app  [definition]",
            f"{FIXED_TIME}  alice  add-term  — added 'high-standard security' (en)  [terms]",
        ]
    entry = tb.search("高水平安全")[0].entry
    added = next(t for t in entry.en_terms if t.text == "high-standard security")
    assert added.contexts[0].text == "We pursue high-standard security."
    assert added.contexts[0].source is not None
    assert added.contexts[0].source.url == "https://example.org/report"
    assert entry.definition == "Security at a high standard."
    assert [r.action for r in tb.history(entry.id)][:2] == ["update", "add-term"]
    assert tb.history(entry.id)[0].actor == "alice"


# ------------------------------------------- where a translator stumbled (issue 16)
@pytest.mark.parametrize(
    "path",
    ["/nonexistent/dir/out.tbx", "{tmp}", "{tmp}/out.unknownext", "bad\0name.tbx"],
)
async def test_no_path_typed_into_export_crashes_the_app(
    tb: Termbase, tmp_path: Path, path: str
) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("o")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, TransferModal)
        modal.query_one("#path").value = path.format(tmp=tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.screen is modal  # the dialog stays open
        error = str(modal.query_one("#error").render())
        assert error.startswith("Error: "), error
        assert not modal.query_one("#run", Button).disabled  # another path can be tried
    assert app.return_code in (None, 0)
    assert not list(Path("/nonexistent").glob("**/*")) if Path("/nonexistent").exists() else True


async def test_export_to_a_missing_folder_says_which_folder(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("o")
        await settle(pilot)
        await pilot.press(*"/nonexistent/dir/out.tbx", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TransferModal)
        assert "/nonexistent/dir" in str(app.screen.query_one("#error").render())


async def test_no_path_typed_into_import_crashes_the_app(tb: Termbase, tmp_path: Path) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("i")
        await settle(pilot)
        modal = app.screen
        for path in ("/nonexistent/dir/in.tbx", str(tmp_path), "bad\0name.csv"):
            modal.query_one("#path").value = path
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is modal
            assert str(modal.query_one("#error").render()).startswith("Error: ")


def _glossary(path: Path, rows: int) -> Path:
    path.write_text(
        "zh,en\n" + "".join(f"术语{i}号,term number {i}\n" for i in range(rows)), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (120, 70)])
async def test_import_plan_scrolls_and_confirm_stays_visible(
    tb: Termbase, tmp_path: Path, size: tuple[int, int]
) -> None:
    csv = _glossary(tmp_path / "long.csv", 60)
    app = make_app(tb)
    async with app.run_test(size=size) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*str(csv), "enter")  # Enter: the plan
        await settle(pilot)
        shown = screen_text(app)
        assert "Confirm import" in shown
        assert "Would import 60 entries from long.csv: 60 new" in shown.replace("\n", " ")
        assert "new        术语0号" in shown
        await pilot.press("enter")  # Enter again: the import, and its result is reported
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "Imported 60 entries from long.csv: 60 new" in shown
    assert tb.stats()["entries"] == 62


async def test_import_dialog_can_leave_bad_rows_out(tb: Termbase, tmp_path: Path) -> None:
    """A bad row's error names the dialog's choice, not the CLI's --skip-bad-lines."""
    csv = tmp_path / "bad.csv"
    csv.write_text("zh,en\n新词甲,word a\n,orphan\n新词乙,word b\n", encoding="utf-8")
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*str(csv), "enter")
        await settle(pilot)
        shown = " ".join(screen_text(app).replace("█", " ").split())
        assert "row has no Chinese term" in shown
        assert "(or choose 'bad rows: leave out' to leave such rows out)" in shown
        assert "--skip-bad-lines" not in shown
        app.screen.query_one("#bad-rows", Select).value = "skip"
        await settle(pilot)
        await pilot.click("#run")  # the plan
        await settle(pilot)
        await pilot.pause(0.3)  # a Button ignores clicks during its 0.2 s press effect
        await pilot.click("#run")  # the import
        await settle(pilot)
        shown = " ".join(screen_text(app).replace("█", " ").split())
        assert "Imported 2 entries from bad.csv" in shown and "1 bad line left out" in shown
    assert tb.stats()["entries"] == 4


async def test_file_picker_fills_the_path(
    tb: Termbase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "glossaries"
    folder.mkdir()
    csv = _glossary(folder / "picked.csv", 3)
    monkeypatch.chdir(folder)
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("ctrl+b")  # to the file list
        await pilot.pause(0.2)
        await settle(pilot)
        await pilot.press("down", "enter")  # the first file under the folder
        await settle(pilot)
        modal = app.screen
        assert modal.query_one("#path").value == str(csv)
        await pilot.press("enter")  # the Import button has the focus: the plan
        await settle(pilot)
        assert "Would import 3 entries" in str(modal.query_one("#result").render())


async def test_add_form_takes_typing_at_once(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("a", *"全国碳市场")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConceptModal)
        assert form.query_one("#zh").value == "全国碳市场"
        await pilot.press("escape")
        await pilot.pause()
        app.screen.query_one("#query").focus()
        await _open_first(pilot, app, "高水平")
        await pilot.press("e", *"security")
        await pilot.pause()
        edit = app.screen
        assert isinstance(edit, EditEntryModal)
        assert edit.query_one("#subject").value == "national securitysecurity"
        assert edit.query_one("#definition").value == ""


async def test_no_result_enter_adds_the_query_as_a_concept(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _search(pilot, app, "全国碳市场")
        status = str(screen.query_one("#status-line").render())
        assert status == "No entries match '全国碳市场'. Enter adds it as a new concept."
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConceptModal)
        assert form.query_one("#zh").value == "全国碳市场"
        await pilot.press("tab", *"national carbon market", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert not app._notifications  # said on the status line, not over the evidence
        status = str(app.screen.query_one("#entry-status").render())
        assert status.startswith("Saved #3 全国碳市场"), status
    assert tb.search("全国碳市场")[0].entry.en == "national carbon market"


async def test_add_form_takes_an_english_query_as_the_rendering(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "carbon peak")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConceptModal)
        assert (form.query_one("#zh").value, form.query_one("#en").value) == ("", "carbon peak")
        assert form.focused is form.query_one("#zh")


async def test_cursor_follows_a_reranked_term(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_first(pilot, app, "高水平")
        await pilot.press("down")
        assert screen.selected_term().text == "greater security"
        await pilot.press("p")  # re-ranked to the top of the list
        await pilot.pause()
        assert [t.text for t in screen.terms][:2] == ["greater security", "high-level security"]
        assert screen.selected_term().text == "greater security"
        await pilot.press("down", "d", "y")  # the headword below it, not the row number
        await pilot.pause()
    statuses = {t.text: t.status for t in tb.search("高水平安全")[0].entry.en_terms}
    assert statuses == {
        "greater security": TermStatus.PREFERRED,
        "high-level security": TermStatus.DEPRECATED,
    }


async def test_result_count_counts_what_the_filters_keep(tb: Termbase) -> None:
    tb.set_status(2, "greater security", "deprecated")
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await settle(pilot)  # the first listing is counted in a worker
        assert str(screen.query_one("#status-line").render()).startswith("2 entries ·")
        screen.query_one("#status").value = "deprecated"
        await settle(pilot)
        assert [e.zh for e in screen.hits] == ["高水平安全"]
        assert str(screen.query_one("#status-line").render()).startswith("1 entry pass the filters")
        screen.query_one("#status").value = "superseded"
        await settle(pilot)
        assert str(screen.query_one("#status-line").render()).startswith(
            "No entries pass the filters"
        )


async def test_more_results_than_shown_are_announced(tb: Termbase, tmp_path: Path) -> None:
    tb.import_file(_glossary(tmp_path / "many.csv", 230))
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _search(pilot, app, "术语")
        assert len(screen.hits) == 200
        assert str(screen.query_one("#status-line").render()) == (
            "More than 200 entries match '术语' · first 200 shown: type more or filter"
        )


async def test_80x24_cells_end_in_an_ellipsis_when_cut(tb: Termbase) -> None:
    tb.add(
        Entry(
            terms=[
                Term("以新安全格局保障新发展格局", "zh-CN", "preferred"),
                Term("safeguard the new development pattern", "en", "preferred"),
            ],
            subject="development and security",
        )
    )
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _search(pilot, app, "以新安全")
        row = next(line for line in screen_text(app).splitlines() if "以新安全格局" in line)
        assert "以新安全格局保…" in row
        assert "safeguard the new de…" in row
        assert "development…" in row


async def test_80x24_entry_shows_renderings_and_first_evidence(tb: Termbase) -> None:
    entry = make_entry()  # shaped like the seed's #4: long definition, note, sources, variant
    entry.definition = "China's strategy centred on domestic circulation, " * 4
    entry.note = "The paper uses three verbs here, each an official rendering. " * 3
    entry.terms.insert(1, Term("新發展格局", "zh-Hant", TermStatus.PREFERRED))
    entry.sources.append(Source(title="Report to the 20th National Congress " * 2))
    tb.add(entry)
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_first(pilot, app, "新发展格局")
        shown = screen_text(app)
        for rendering in ("new development pattern", "new development dynamic", "NDP"):
            assert rendering in shown
        assert "China has made progress in pursuing a new development pattern." in " ".join(
            shown.split()
        )


async def test_80x24_confirmation_wraps_instead_of_cutting(tb: Termbase) -> None:
    tb.add_term(2, Term("security at a high level for the whole nation", "en", "admitted"))
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_first(pilot, app, "高水平")
        await pilot.press("down", "down", "d")
        await pilot.pause()
        words = " ".join(screen_text(app).replace("█", " ").split())
        assert "the whole nation'? Translators will be told not to use it." in words


async def test_80x24_messages_do_not_cover_the_evidence(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _open_first(pilot, app, "高水平")
        await pilot.press("a")
        await pilot.pause()
        assert not app._notifications  # no toast over the evidence
        assert str(screen.query_one("#entry-status").render()) == "Approved #2 as alice."


async def test_tm_screen_shows_terms_without_a_match(tb: Termbase) -> None:
    app = make_app(tb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#results").focus()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"我们要实现高水平安全", "enter")
        await settle(pilot)
        screen = app.screen
        assert not screen.matches
        terms = str(screen.query_one("#tm-terms").render())
        assert "高水平安全 → high-level security / greater security" in terms
