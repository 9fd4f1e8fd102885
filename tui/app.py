"""The termbase terminal app.

``make_app(termbase)`` is the one factory, used by ``termbase tui`` and by
the tests.  The app talks to the library only through the
:class:`termbase.Termbase` facade; searches and file transfers run in
thread workers, each with its own SQLite connection (one Termbase per
thread), so the screen never freezes.

Adding a screen (for example a translation-memory screen): write it in
``tui/screens/<name>.py`` (a :class:`textual.screen.Screen` that reads the
facade as ``self.app.tb``), then add one :class:`Destination` to
:data:`DESTINATIONS` below.  Its key becomes an app-wide binding, it appears
in the command palette and in the help screen's "Everywhere" section.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from termbase import Termbase
from termbase.errors import DuplicateError, TermbaseError
from termbase.model import Role
from termbase.ops import BY_NAME
from tui.screens.entry import EntryScreen, ReviewQueueScreen
from tui.screens.modals import (
    AskModal,
    ChoiceModal,
    ConceptModal,
    HelpScreen,
    TransferModal,
    prefill,
)
from tui.screens.search import SearchScreen
from tui.screens.tm import TMScreen


@dataclass(frozen=True)
class Destination:
    """Something the user opens from anywhere with one key.

    Attributes:
        key: Textual key name (``"r"``, ``"question_mark"``, ``"ctrl+t"``).
        label: short name (footer, command palette).
        help: one line for the help screen and the palette.
        open: called with the app; pushes a screen (or says why it cannot).
        display: how the key is shown (default: the key).
    """

    key: str
    label: str
    help: str
    open: Callable[[TermbaseApp], object]
    display: str = ""

    @property
    def action(self) -> str:
        """The binding's action string (``open('Review queue')``)."""
        return f"open({self.label!r})"


def _open_review_queue(app: TermbaseApp) -> None:
    ids = app.tb.review_queue()
    if not ids:
        app.tell("No entries are waiting for review.")
        return
    app.push_screen(ReviewQueueScreen(ids))


def _toggle_help(app: TermbaseApp) -> None:
    if isinstance(app.screen, HelpScreen):
        app.screen.dismiss(None)
    else:
        app.push_screen(HelpScreen())


def _open_add_concept(app: TermbaseApp) -> None:
    """The Add form, filled from the query of the search screen below (if any)."""
    query = ""
    for screen in app.screen_stack:
        if isinstance(screen, SearchScreen):
            query = screen.query_one("#query", Input).value
    app.push_screen(ConceptModal(prefill(query)), app.concept_added)


#: The screens reachable from anywhere.  Add a line here to add a screen.
DESTINATIONS: list[Destination] = [
    Destination(
        "question_mark",
        "Help",
        "this help (every key)",
        _toggle_help,
        "?",
    ),
    Destination("r", "Review queue", "review queue: walk the proposed entries", _open_review_queue),
    Destination(
        "a", "Add concept", "add a concept: Chinese term, rendering, evidence", _open_add_concept
    ),
    Destination(
        "i",
        "Import",
        "import a glossary: dry-run plan, then confirm",
        lambda app: app.push_screen(TransferModal("import")),
    ),
    Destination(
        "o",
        "Export",
        "export: TBX, TMX, PO, CSV, XLSX …",
        lambda app: app.push_screen(TransferModal("export")),
    ),
    Destination(
        "t",
        "TM",
        "translation memory: fuzzy matches, concordance",
        lambda app: app.push_screen(TMScreen()),
    ),
]


class TermbaseApp(App[None]):
    """Search, read the evidence, approve."""

    CSS_PATH = "app.tcss"
    TITLE = "termbase"
    BINDINGS = [
        Binding("f1", "open('Help')", "Help", priority=True),  # works while typing
        *(
            Binding(d.key, d.action, d.label, key_display=d.display or None, show=d.label != "Help")
            for d in DESTINATIONS
        ),
        Binding("q", "quit", "Quit"),
    ]

    #: Seconds between looks for other people's changes (another process, a team server).
    POLL_SECONDS = 3.0
    #: Screen actions that change entries, and the facade method each calls: an action
    #: whose method the user's role may not call is hidden (see :meth:`may`).
    ACTION_OPS = {
        "approve": "approve",
        "reject": "reject",
        "set_status": "set_status",
        "add_rendering": "add_term",
        "edit": "edit",
        "edit_term": "edit_term",
        "delete_term": "delete_term",
        "delete": "delete",
        "revert": "revert",
        "merge": "merge",
        "undelete": "undelete",
        "add_concept": "add",
    }

    def __init__(self, tb: Termbase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tb = tb
        self._local = threading.local()
        self.role = Role(tb.role)
        self.sub_title = f"{tb.path} · {tb.user} ({self.role.value})"
        self._last_change: int | None = None

    def may(self, action: str) -> bool:
        """False when the user's role may not do *action* (its binding is then hidden)."""
        op = self.ACTION_OPS.get(action)
        return op is None or self.role.at_least(BY_NAME[op].role)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.may(action)

    def _poll(self) -> None:
        self.run_worker(self._look_for_changes, thread=True, exclusive=True, group="poll",
                        exit_on_error=False)  # fmt: skip

    def _look_for_changes(self) -> None:
        records = self.thread_termbase().history(limit=1)
        newest = records[0].id if records else 0
        if self._last_change is not None and newest != self._last_change:
            self.call_from_thread(self.others_changed)
        self._last_change = newest

    def others_changed(self) -> None:
        """Somebody (here or elsewhere) changed entries: show the current state."""
        self.entry_changed()
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()

    # ----------------------------------------------------------- services
    def thread_termbase(self) -> Termbase:
        """A Termbase for the calling worker thread (SQLite connections are per thread)."""
        if self.tb.path == ":memory:" or getattr(self.tb, "shared_across_threads", False):
            return self.tb  # one in-memory database; or a server client, safe in any thread
        tb = getattr(self._local, "tb", None)
        if tb is None:
            tb = Termbase(
                self.tb.path, user=self.tb.user, role=self.tb.role, clock=self.tb.clock, seed=False
            )
            self._local.tb = tb
        return tb

    def tell(self, message: str, error: bool = False) -> None:
        """Say *message* on the screen's own message line (its ``say``): a toast would
        cover the results or the evidence.  A screen without one (a dialog) gets a toast."""
        say = getattr(self.screen, "say", None)
        if callable(say):
            say(message, error=error)
        else:
            self.notify(
                message,
                title="Error" if error else "",
                severity="error" if error else "information",
                timeout=8,
            )

    def show_error(self, message: str) -> None:
        """One place where errors reach the user."""
        self.tell(message, error=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (they all run with ``exit_on_error=False``) is reported,
        never a crash: the one place worker failures reach the user."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.show_error(str(event.worker.error) or type(event.worker.error).__name__)

    def entry_changed(self) -> None:
        """Refresh what depends on the entries (the search results)."""
        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen):
                screen.refresh_results()

    def open_entry(self, entry_id: int, message: str = "") -> None:
        """Show one entry (with *message* on its status line)."""
        self.push_screen(EntryScreen(entry_id, message))

    def concept_added(self, entry: Any) -> None:
        """Save the concept the form built (None: the form was cancelled)."""
        if entry is None:
            return
        try:
            saved = self.tb.add(entry, new=False)
        except DuplicateError as exc:
            first = exc.entry_ids[0]

            def decided(choice: str | None) -> None:
                if choice is not None:
                    self._save_concept(entry, into=first if choice == "into" else None)

            self.push_screen(
                ChoiceModal(
                    f"{exc} — add the rendering to #{first}, or create a distinct concept?",
                    [("into", f"Add to #{first}"), ("new", "New concept")],
                ),
                decided,
            )
            return
        except TermbaseError as exc:
            self.show_error(str(exc))
            return
        self._concept_saved(saved)

    def _save_concept(self, entry: Any, into: int | None) -> None:
        try:
            saved = self.tb.add(entry, into=into) if into is not None else self.tb.add(entry)
        except TermbaseError as exc:
            self.show_error(str(exc))
            return
        self._concept_saved(saved)

    def _concept_saved(self, saved: Any) -> None:
        self.entry_changed()
        # said on the entry's status line: a toast would cover its evidence
        self.open_entry(saved.id or 0, f"Saved #{saved.id} {saved.zh} ({saved.review.value}).")

    def action_review_import(self) -> None:
        """Ask for an import batch and walk what it proposed."""
        batches = self.tb.imports(limit=5)
        recent = ", ".join(f"#{b.id} {b.origin}" for b in batches) or "none yet"

        def chosen(answer: str | None) -> None:
            if not answer:
                return
            if not answer.lstrip("#").isdigit():
                self.show_error(f"{answer!r} is not an import number.")
                return
            batch = int(answer.lstrip("#"))
            try:
                items = self.tb.review_items(batch=batch)
            except TermbaseError as exc:
                self.show_error(str(exc))
                return
            ids = list(dict.fromkeys(i.entry_id for i in items))
            if not ids:
                self.tell(f"Nothing from import #{batch} waits for review.")
                return
            self.push_screen(ReviewQueueScreen(ids))

        self.push_screen(
            AskModal(f"Review which import? Recent: {recent}", "import number"), chosen
        )

    def action_undelete(self) -> None:
        """Ask for the id of a deleted entry and bring it back."""

        def chosen(answer: str | None) -> None:
            if not answer:
                return
            if not answer.lstrip("#").isdigit():
                self.show_error(f"{answer!r} is not an entry id.")
                return
            try:
                entry = self.tb.undelete(int(answer.lstrip("#")))
            except TermbaseError as exc:
                self.show_error(str(exc))
                return
            self.entry_changed()
            self.open_entry(entry.id or 0, f"Undeleted #{entry.id} {entry.zh}.")

        self.push_screen(AskModal("Undelete which entry?", "the id of a deleted entry"), chosen)

    # ------------------------------------------------------------- actions
    def on_mount(self) -> None:
        self.push_screen(SearchScreen())
        self.set_interval(self.POLL_SECONDS, self._poll)

    def action_open(self, label: str) -> None:
        """Open the destination called *label* (see :data:`DESTINATIONS`)."""
        for dest in DESTINATIONS:
            if dest.label == label:
                dest.open(self)
                return
        raise ValueError(f"no destination {label!r}")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_review_queue(self) -> None:
        _open_review_queue(self)

    def action_add_concept(self) -> None:
        _open_add_concept(self)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for dest in DESTINATIONS:
            yield SystemCommand(dest.label, dest.help, lambda d=dest: d.open(self))
        yield SystemCommand(
            "Undelete an entry", "Bring a deleted entry back under its id", self.action_undelete
        )
        yield SystemCommand(
            "Review one import",
            "Walk what an import proposed (its batch number: termbase imports)",
            self.action_review_import,
        )
        for name, label, help_text in getattr(screen, "COMMANDS_HERE", ()):
            yield SystemCommand(label, help_text, lambda n=name: screen.run_action(n))
        if isinstance(screen, EntryScreen):
            for status in ("preferred", "admitted", "deprecated"):
                yield SystemCommand(
                    f"Make the selected term {status}",
                    "Re-rank a rendering",
                    lambda s=status: screen.action_set_status(s),
                )


def make_app(tb: Termbase, **kwargs: Any) -> TermbaseApp:
    """Build the app on *tb* (the one factory for the CLI and the tests)."""
    return TermbaseApp(tb, **kwargs)
