"""The termbase terminal app.

``make_app(termbase)`` is the one factory, used by ``termbase tui`` and by
the tests.  The app talks to the library only through the
:class:`termbase.Termbase` facade; searches and file transfers run in
thread workers, each with its own SQLite connection (one Termbase per
thread), so the screen never freezes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from termbase import Termbase
from termbase.errors import TermbaseError
from tui.screens.entry import EntryScreen, ReviewQueueScreen
from tui.screens.modals import ConceptModal, HelpScreen, TransferModal
from tui.screens.search import SearchScreen


class TermbaseApp(App[None]):
    """Search, read the evidence, approve."""

    CSS_PATH = "app.tcss"
    TITLE = "termbase"
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("r", "review_queue", "Review queue"),
        Binding("a", "add_concept", "Add concept"),
        Binding("i", "import_file", "Import"),
        Binding("o", "export_file", "Export"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, tb: Termbase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tb = tb
        self._local = threading.local()
        self.sub_title = f"{tb.path} · reviewer {tb.user}"

    # ----------------------------------------------------------- services
    def thread_termbase(self) -> Termbase:
        """A Termbase for the calling worker thread (SQLite connections are per thread)."""
        tb = getattr(self._local, "tb", None)
        if tb is None:
            tb = Termbase(self.tb.path, user=self.tb.user, clock=self.tb.clock, seed=False)
            self._local.tb = tb
        return tb

    def show_error(self, message: str) -> None:
        """One place where errors reach the user."""
        self.notify(message, title="Error", severity="error", timeout=8)

    def entry_changed(self) -> None:
        """Refresh what depends on the entries (the search results)."""
        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen):
                screen.refresh_results()

    def open_entry(self, entry_id: int) -> None:
        self.push_screen(EntryScreen(entry_id))

    # ------------------------------------------------------------- actions
    def on_mount(self) -> None:
        self.push_screen(SearchScreen())

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_review_queue(self) -> None:
        ids = self.tb.review_queue()
        if not ids:
            self.notify("No entries are waiting for review.")
            return
        self.push_screen(ReviewQueueScreen(ids))

    def action_add_concept(self) -> None:
        def added(entry: Any) -> None:
            if entry is None:
                return
            try:
                saved = self.tb.add(entry)
            except TermbaseError as exc:
                self.show_error(str(exc))
                return
            self.notify(f"Added #{saved.id} {saved.zh} (proposed).")
            self.entry_changed()
            self.open_entry(saved.id or 0)

        self.push_screen(ConceptModal(), added)

    def action_import_file(self) -> None:
        self.push_screen(TransferModal("import"))

    def action_export_file(self) -> None:
        self.push_screen(TransferModal("export"))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key of the app", self.action_help)
        yield SystemCommand("Review queue", "Walk the proposed entries", self.action_review_queue)
        yield SystemCommand(
            "Add concept", "A new Chinese term with its rendering", self.action_add_concept
        )
        yield SystemCommand(
            "Import", "Import a glossary file (dry-run plan first)", self.action_import_file
        )
        yield SystemCommand("Export", "Export TBX, TMX, PO, CSV …", self.action_export_file)
        if isinstance(screen, EntryScreen):
            for name, label in (
                ("approve", "Approve this entry"),
                ("reject", "Reject this entry"),
                ("add_rendering", "Add a rendering"),
                ("edit", "Edit subject, definitions, note"),
                ("toggle_history", "Show or hide the history"),
                ("delete", "Delete this entry"),
            ):
                yield SystemCommand(label, label, getattr(screen, f"action_{name}"))
            for status in ("preferred", "admitted", "deprecated"):
                yield SystemCommand(
                    f"Make the selected term {status}",
                    "Re-rank a rendering",
                    lambda s=status: screen.action_set_status(s),
                )


def make_app(tb: Termbase, **kwargs: Any) -> TermbaseApp:
    """Build the app on *tb* (the one factory for the CLI and the tests)."""
    return TermbaseApp(tb, **kwargs)
