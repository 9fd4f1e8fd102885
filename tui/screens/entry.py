"""The entry view: every term with its status, the evidence, the history; and review keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import ColumnKey

from termbase.errors import ConflictError, TermbaseError
from termbase.model import Entry, Term, TermStatus
from tui.screens.modals import (
    AskModal,
    ConfirmModal,
    EditEntryModal,
    EditTermModal,
    ReasonModal,
    RenderingModal,
)
from tui.widgets.entry_view import (
    english_terms_first,
    entry_details,
    entry_header,
    history_text,
    term_evidence,
    term_row,
)
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from tui.app import TermbaseApp


class EntryScreen(Screen[None]):
    """One concept: terms, evidence, history; approve/reject/re-rank with one key."""

    # the footer shows what fits in 80 columns; F1 and ctrl+p list the rest
    BINDINGS = [
        Binding("escape", "back", "Back", show=False),
        Binding("a", "approve", "Approve"),
        Binding("x", "reject", "Reject"),
        Binding("p", "set_status('preferred')", "Prefer"),
        Binding("m", "set_status('admitted')", "Admit", show=False),
        Binding("d", "set_status('deprecated')", "Deprecate"),
        Binding("n", "add_rendering", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("t", "edit_term", "Edit term", show=False),
        Binding("delete", "delete_term", "Delete term", show=False),
        Binding("u", "revert", "Revert", show=False),
        Binding("M", "merge", "Merge", show=False),
        Binding("h", "toggle_history", "History", show=False),
        Binding("ctrl+d", "delete", "Delete", show=False),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, priority=True),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, priority=True),
    ]
    #: (action, palette label, palette help) of this screen, for the command palette.
    COMMANDS_HERE = [
        ("approve", "Approve this entry", "Record your approval in the history"),
        ("reject", "Reject this entry", "Asks for a reason"),
        ("add_rendering", "Add a rendering", "English or Chinese, with context and source"),
        ("edit", "Edit the entry", "Subject, definitions, note"),
        ("edit_term", "Edit the selected term", "Text, language, status, type, note, contexts"),
        ("delete_term", "Delete the selected term", "Asks first; the history keeps a copy"),
        ("revert", "Revert the entry", "Restore an earlier version (a new, recorded change)"),
        ("merge", "Merge another entry into this one", "Both histories stay; its id leads here"),
        ("toggle_history", "Show or hide the history", "Who changed what, when"),
        ("delete", "Delete this entry", "Asks first; the history keeps a copy"),
        ("back", "Back", "Leave this entry"),
    ]

    def __init__(self, entry_id: int, message: str = "") -> None:
        super().__init__()
        self.entry_id = entry_id
        self.entry: Entry | None = None
        self.terms: list[Term] = []
        self.message = message  # shown on the status line when the entry opens

    @property
    def tb_app(self) -> TermbaseApp:
        from tui.app import TermbaseApp

        assert isinstance(self.app, TermbaseApp)
        return self.app

    def compose(self) -> ComposeResult:
        # at 80x24 the renderings and the selected one's first context sentence
        # show without scrolling: a two-line header, the terms, then the evidence;
        # the concept's details and history follow below
        yield Header()
        yield Static(id="entry-header")
        with VerticalScroll(id="entry-body"):
            table: DataTable[Any] = DataTable(id="terms", cursor_type="row", show_header=False)
            yield table
            yield Static(id="evidence")
            yield Static(id="entry-details")
            yield Static(id="history")
        yield StatusLine(id="entry-status")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions the user's role may not do are hidden (a viewer only reads)."""
        return self.tb_app.may(action)

    def on_mount(self) -> None:
        table = self.query_one("#terms", DataTable)
        table.add_column("Term", key="term", width=self.term_width(self.size.width or 80))
        self.reload()
        table.focus()
        if self.message:
            self.say(self.message)

    @staticmethod
    def term_width(width: int) -> int:
        """The terms column fills the screen (less padding and the scrollbar)."""
        return max(width - 6, 20)

    def on_resize(self, event: events.Resize) -> None:
        table = self.query_one("#terms", DataTable)
        column = table.columns.get(ColumnKey("term"))
        if column is not None and column.width != self.term_width(event.size.width):
            column.width = self.term_width(event.size.width)
            table.refresh()

    def say(self, message: str, error: bool = False) -> None:
        """A message on the status line above the footer (a toast would hide the evidence)."""
        self.query_one("#entry-status", StatusLine).say(message, error)

    def reload(self) -> None:
        """Read the entry again from the database and redraw."""
        try:
            self.entry = self.tb_app.tb.get(self.entry_id)
        except TermbaseError as exc:  # deleted or merged elsewhere: said on the screen below
            self.dismiss()
            self.tb_app.show_error(str(exc))
            return
        entry = self.entry
        self.query_one("#entry-header", Static).update(entry_header(entry))
        details = entry_details(entry)
        for change in self.tb_app.tb.pending(self.entry_id):
            details.append(
                f"Proposed change #{change.id} by {change.proposed_by} (a/x decide):\n",
                style="bold yellow",
            )
            for line in self.tb_app.tb.change_diff(change):
                details.append(f"  {line}\n")
        self.query_one("#entry-details", Static).update(details)
        table = self.query_one("#terms", DataTable)
        row = table.cursor_row
        selected = self.selected_term()
        table.clear()
        self.terms = english_terms_first(entry)
        for i, term in enumerate(self.terms):
            table.add_row(term_row(term), key=str(i))
        if self.terms:
            # the cursor follows the term it was on, wherever a re-ranking moved it
            same = [
                i
                for i, t in enumerate(self.terms)
                if selected is not None and (t.lang, t.text) == (selected.lang, selected.text)
            ]
            table.move_cursor(row=same[0] if same else min(row, len(self.terms) - 1))
        self.show_evidence()
        self.query_one("#history", Static).update(
            history_text(self.tb_app.tb.history(self.entry_id, limit=20))
        )
        self.sub_title = f"#{entry.id} · version {entry.version}"

    def selected_term(self) -> Term | None:
        table = self.query_one("#terms", DataTable)
        if not self.terms or table.cursor_row < 0:
            return None
        return self.terms[min(table.cursor_row, len(self.terms) - 1)]

    def show_evidence(self) -> None:
        term = self.selected_term()
        self.query_one("#evidence", Static).update(term_evidence(term) if term else "")

    @on(DataTable.RowHighlighted, "#terms")
    def term_highlighted(self) -> None:
        self.show_evidence()

    # ------------------------------------------------------------ actions
    def change(self, what: Callable[[int], Entry | None], done: str) -> None:
        """Run one write against the version on screen; a conflict reloads the entry."""
        assert self.entry is not None
        version = self.entry.version
        waiting = len(self.tb_app.tb.pending(self.entry_id))
        try:
            saved = what(version)
        except ConflictError as exc:
            self.reload()
            self.say(f"Not saved: {exc}", error=True)
            return
        except TermbaseError as exc:
            self.say(str(exc), error=True)
            return
        if (
            saved is not None
            and saved.version == version
            and len(self.tb_app.tb.pending(self.entry_id)) > waiting
        ):
            done = "The entry is approved: your change is proposed and waits for a reviewer."
        self.reload()
        self.say(done)
        self.tb_app.entry_changed()

    def action_back(self) -> None:
        self.dismiss()

    def action_approve(self) -> None:
        self.change(
            lambda v: self.tb_app.tb.approve(self.entry_id, expected_version=v),
            f"Approved #{self.entry_id} as {self.tb_app.tb.user}.",
        )

    def action_reject(self) -> None:
        def rejected(reason: str | None) -> None:
            if reason:
                self.change(
                    lambda v: self.tb_app.tb.reject(
                        self.entry_id, reason=reason, expected_version=v
                    ),
                    f"Rejected #{self.entry_id}.",
                )

        self.app.push_screen(ReasonModal("Why is this entry rejected?"), rejected)

    def action_set_status(self, status: str) -> None:
        term = self.selected_term()
        if term is None:
            return

        def apply() -> None:
            self.change(
                lambda v: self.tb_app.tb.set_status(
                    self.entry_id, term.id or term.text, status, expected_version=v
                ),
                f"{term.text!r} is now {status}.",
            )

        if status == TermStatus.DEPRECATED.value:
            self.app.push_screen(
                ConfirmModal(f"Deprecate {term.text!r}? Translators will be told not to use it."),
                lambda ok: apply() if ok else None,
            )
        else:
            apply()

    def action_add_rendering(self) -> None:
        def added(term: Term | None) -> None:
            if term is not None:
                self.change(
                    lambda v: self.tb_app.tb.add_term(self.entry_id, term, expected_version=v),
                    f"Added {term.text!r}.",
                )

        self.app.push_screen(RenderingModal(), added)

    def action_edit(self) -> None:
        assert self.entry is not None
        entry = self.entry

        def edited(values: dict[str, Any] | None) -> None:
            if values is None:
                return

            def save(version: int) -> Entry:
                fresh = self.tb_app.tb.get(self.entry_id)
                fresh.version = version
                source = values.pop("add_source", None)
                if source is not None:
                    fresh.sources.append(source)
                for key, value in values.items():
                    setattr(fresh, key, value)
                return self.tb_app.tb.update(fresh, comment="edited in the app")

            self.change(save, "Saved.")

        self.app.push_screen(EditEntryModal(entry), edited)

    def action_edit_term(self) -> None:
        term = self.selected_term()
        if term is None:
            return

        def edited(values: dict[str, Any] | None) -> None:
            if values:
                self.change(
                    lambda v: self.tb_app.tb.edit_term(
                        self.entry_id, term.id or term.text, expected_version=v, **values
                    ),
                    f"Saved {values.get('text', term.text)!r}.",
                )

        self.app.push_screen(EditTermModal(term), edited)

    def action_delete_term(self) -> None:
        term = self.selected_term()
        if term is None:
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.change(
                    lambda v: self.tb_app.tb.delete_term(
                        self.entry_id, term.id or term.text, expected_version=v
                    ),
                    f"Deleted {term.text!r}.",
                )

        self.app.push_screen(
            ConfirmModal(f"Delete the {term.lang} term {term.text!r} from this entry?"), confirmed
        )

    def action_revert(self) -> None:
        assert self.entry is not None
        previous = str(max(self.entry.version - 1, 1))

        def chosen(answer: str | None) -> None:
            if answer is None:
                return
            if not answer.isdigit():
                self.say(f"{answer!r} is not a version number.", error=True)
                return
            self.change(
                lambda v: self.tb_app.tb.revert(self.entry_id, to_version=int(answer)),
                f"Restored version {answer} (as a new version).",
            )

        self.app.push_screen(
            AskModal(
                f"Restore #{self.entry_id} as it was at version…",
                "a version number from the history",
                previous,
            ),
            chosen,
        )

    def action_merge(self) -> None:
        def chosen(answer: str | None) -> None:
            if answer:
                self.change(
                    lambda v: self.tb_app.tb.merge(self.entry_id, answer.lstrip("#")),
                    f"Merged #{answer.lstrip('#')} into #{self.entry_id}.",
                )

        self.app.push_screen(
            AskModal(
                f"Merge which entry into #{self.entry_id}? Its id will lead here.", "entry id"
            ),
            chosen,
        )

    def action_scroll_body(self, pages: int) -> None:
        body = self.query_one("#entry-body", VerticalScroll)
        if pages > 0:
            body.scroll_page_down()
        else:
            body.scroll_page_up()

    def action_toggle_history(self) -> None:
        self.query_one("#history", Static).toggle_class("hidden")

    def action_delete(self) -> None:
        def confirmed(ok: bool | None) -> None:
            if not ok:
                return
            try:
                self.tb_app.tb.delete(
                    self.entry_id, expected_version=self.entry.version if self.entry else None
                )
            except TermbaseError as exc:
                self.say(str(exc), error=True)
                return
            self.tb_app.entry_changed()
            self.dismiss()
            self.tb_app.tell(
                f"Deleted #{self.entry_id} (its history is kept; 'Undelete an entry' in "
                "ctrl+p brings it back)."
            )

        self.app.push_screen(
            ConfirmModal(f"Delete entry #{self.entry_id}? Undelete brings it back (ctrl+p)."),
            confirmed,
        )


class ReviewQueueScreen(EntryScreen):
    """Walks the proposed entries one after another: approve, reject or skip."""

    # merged with EntryScreen's: a key given here replaces the entry view's binding
    BINDINGS = [
        Binding("s", "skip", "Skip"),
        Binding("n", "add_rendering", "Add", show=False),
        Binding("e", "edit", "Edit", show=False),
    ]
    COMMANDS_HERE = [
        ("approve", "Approve this entry", "And go to the next proposed entry"),
        ("reject", "Reject this entry", "Asks for a reason, then goes to the next"),
        ("skip", "Skip this entry", "Leave it proposed; go to the next"),
        ("toggle_history", "Show or hide the history", "Who changed what, when"),
        ("back", "Leave the review queue", "Back to the search"),
    ]

    def __init__(self, ids: list[int]) -> None:
        super().__init__(ids[0])
        self.ids = ids
        self.position = 0

    def reload(self) -> None:
        super().reload()
        self.title = f"Review queue: {self.position + 1} of {len(self.ids)}"

    def next_entry(self) -> None:
        self.position += 1
        if self.position >= len(self.ids):
            self.dismiss()
            self.tb_app.tell("The review queue is empty.")
            return
        self.entry_id = self.ids[self.position]
        self.reload()

    def change(self, what: Callable[[int], Entry | None], done: str) -> None:
        before = self.entry.review if self.entry else None
        waiting = len(self.tb_app.tb.pending(self.entry_id))
        super().change(what, done)
        if self.entry is not None and (
            self.entry.review != before or len(self.tb_app.tb.pending(self.entry_id)) < waiting
        ):
            self.next_entry()

    def action_skip(self) -> None:
        self.next_entry()
