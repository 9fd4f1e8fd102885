"""Dialogs: confirmation, reasons, forms (validated before saving), import, export, help."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, ProgressBar, Select, Static

from termbase.errors import TermbaseError
from termbase.lang import has_han
from termbase.model import ZH, Context, Entry, Source, Term, TermStatus, TermType, normalise_lang

if TYPE_CHECKING:
    from tui.app import TermbaseApp

STATUS_OPTIONS = [(s.value, s.value) for s in TermStatus]
TYPE_OPTIONS = [(t.value, t.value) for t in TermType]
#: Select fields of the forms: id -> (options, default value).
SELECTS = {"status": (STATUS_OPTIONS, "admitted"), "term_type": (TYPE_OPTIONS, "full-form")}


def lang_tag(text: str) -> str:
    """A typed language: ``zh`` means simplified Chinese (zh-CN); '' means English."""
    tag = normalise_lang(text) or "en"
    return ZH if tag == "zh" else tag


class ConfirmModal(ModalScreen[bool]):
    """Yes / no."""

    BINDINGS = [Binding("escape", "no", "Cancel"), Binding("y", "yes", "Yes")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="question")
            with Horizontal(classes="buttons"):
                yield Button("Yes", variant="error", id="yes")
                yield Button("No", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class ReasonModal(ModalScreen[str | None]):
    """Ask for a reason (required)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="question")
            yield Input(placeholder="Reason (required)", id="reason")
            yield Label("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Reject", variant="error", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#error", Label).update("A rejection needs a reason.")
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AskModal(ModalScreen[str | None]):
    """Ask for one value (an entry id, a version)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.question, self.placeholder, self.start = question, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="question")
            yield Input(self.start, placeholder=self.placeholder, id="answer")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    @on(Input.Submitted, "#answer")
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        self.dismiss(self.query_one("#answer", Input).value.strip() or None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceModal(ModalScreen[str | None]):
    """One question, a button per answer (escape: none)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.question, self.choices = question, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="question")
            with Horizontal(classes="buttons"):
                for choice_id, label in self.choices:
                    yield Button(label, id=f"choice-{choice_id}")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def chosen(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        self.dismiss(button_id.removeprefix("choice-") if button_id != "cancel" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class _Form(ModalScreen[Any]):
    """A form of labelled inputs with one error line; subclasses validate and build."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    TITLE_TEXT = ""
    FIELDS: list[tuple[str, str, str]] = []  # (id, label, placeholder)

    def __init__(self, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.values = values or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Label(self.TITLE_TEXT, classes="question")
            with Grid(classes="fields"):
                for field_id, label, placeholder in self.FIELDS:
                    yield Label(label)
                    if field_id in SELECTS:
                        options, default = SELECTS[field_id]
                        yield Select(
                            options,
                            value=self.values.get(field_id, default),
                            allow_blank=False,
                            id=field_id,
                        )
                    else:
                        yield Input(  # typing adds to a value, never replaces it
                            self.values.get(field_id, ""),
                            placeholder=placeholder,
                            id=field_id,
                            select_on_focus=False,
                        )
            yield Label("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        """Typing goes into the first field at once (nothing typed is lost)."""
        first = self.FIELDS[0][0]
        self.query_one(f"#{first}").focus()

    def value(self, field_id: str) -> str:
        if field_id in SELECTS:
            return str(self.query_one(f"#{field_id}", Select).value)
        return self.query_one(f"#{field_id}", Input).value.strip()

    def fail(self, message: str) -> None:
        self.query_one("#error", Label).update(message)

    def build(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        result = self.build()
        if result is not None:
            self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _url_ok(form: _Form) -> bool:
    """False (with the message shown) when the form's URL is not http(s)."""
    url = form.value("url")
    if url and not url.startswith(("http://", "https://")):
        form.fail("The URL must start with http:// or https://.")
        return False
    return True


def _source(form: _Form) -> Source | None:
    title, url = form.value("source"), form.value("url")
    if not title and not url:
        return None
    return Source(title=title or url, author=form.value("author"), date=form.value("date"), url=url)


#: The citation fields shared by every form that records evidence.
SOURCE_FIELDS = [
    ("source", "Source title", "title of the document"),
    ("author", "Author", "author or issuing body"),
    ("date", "Date", "YYYY-MM-DD or year"),
    ("url", "URL", "https://…"),
]


class RenderingModal(_Form):
    """A new rendering (or Chinese term) with its context sentence and source."""

    TITLE_TEXT = "Add a rendering or a Chinese term"
    FIELDS = [
        ("text", "Rendering", "dictionary form, e.g. ensure both development and security"),
        ("lang", "Language", "en (default), zh-CN, zh-Hant"),
        ("status", "Status", ""),
        ("note", "Usage note", "why preferred / when to use"),
        ("context", "Context", "the verbatim sentence where it occurs"),
        ("locator", "Locator", "section, footnote or page"),
        *SOURCE_FIELDS,
    ]

    def build(self) -> Term | None:
        text = self.value("text")
        if not text:
            self.fail("The rendering cannot be empty.")
            return None
        context = self.value("context")
        if not _url_ok(self):
            return None
        source = _source(self)
        if context and source is None:
            self.fail("Give the source of the context sentence (a title or a URL).")
            return None
        term = Term(
            text,
            lang_tag(self.value("lang")),
            TermStatus(self.value("status")),
            note=self.value("note"),
            source=source,
        )
        if context:
            term.contexts.append(Context(context, self.value("locator"), source))
        return term


class EditTermModal(_Form):
    """Every field of one term, and a new context sentence beside its Chinese source."""

    TITLE_TEXT = "Edit the term"
    FIELDS = [
        ("text", "Text", "correct a typo here"),
        ("lang", "Language", "en, zh-CN, zh-Hant"),
        ("status", "Status", ""),
        ("term_type", "Type", ""),
        ("pos", "Part of speech", "noun, verb, adjective, adverb, other"),
        ("note", "Usage note", "why preferred / when to use"),
        ("pinyin", "Pinyin", "Chinese terms: toned pinyin"),
        ("context", "New context", "a verbatim English sentence"),
        ("context_zh", "Its Chinese", "the Chinese source sentence"),
        ("locator", "Locator", "section, footnote or page"),
        *SOURCE_FIELDS,
    ]

    def __init__(self, term: Term) -> None:
        src = term.source
        super().__init__(
            {
                "text": term.text,
                "lang": term.lang,
                "status": term.status.value,
                "term_type": term.term_type.value,
                "pos": term.pos,
                "note": term.note,
                "pinyin": term.pinyin,
                "source": src.title if src else "",
                "author": src.author if src else "",
                "date": src.date if src else "",
                "url": src.url if src else "",
            }
        )
        self.term = term

    def build(self) -> dict[str, Any] | None:
        """The changed fields, as keyword arguments of ``Termbase.edit_term``."""
        if not self.value("text"):
            self.fail("The text cannot be empty; delete the term instead (the delete key).")
            return None
        if not _url_ok(self):
            return None
        changes: dict[str, Any] = {}
        for field_id in ("text", "status", "term_type", "pos", "note", "pinyin"):
            if self.value(field_id) != self.values.get(field_id, ""):
                changes[field_id] = self.value(field_id)
        lang = lang_tag(self.value("lang"))
        if lang != self.term.lang:
            changes["new_lang"] = lang
        source = _source(self)
        old = self.term.source
        if (source.key() if source else None) != (old.key() if old else None):
            changes["source"] = source
        context = self.value("context")
        if context:
            changes["add_context"] = Context(
                context, self.value("locator"), source, text_zh=self.value("context_zh")
            )
        elif self.value("context_zh"):
            self.fail("Give the English sentence of the context too.")
            return None
        return changes


class ConceptModal(_Form):
    """A new concept: Chinese term, English rendering, subject, definition, evidence.

    Opened from a search, it starts with the query in the Chinese or the
    English field (see :func:`prefill`).
    """

    TITLE_TEXT = "Add a concept"
    FIELDS = [
        ("zh", "Chinese", "中文术语"),
        ("en", "English", "preferred rendering"),
        ("subject", "Subject", "e.g. national security"),
        ("definition", "Definition", "one line, in English"),
        ("context", "Context", "verbatim sentence with the rendering"),
        *SOURCE_FIELDS,
    ]

    def build(self) -> Entry | None:
        zh, en = self.value("zh"), self.value("en")
        if not zh:
            self.fail("The Chinese term is required.")
            return None
        if not has_han(zh):
            self.fail("The Chinese term must contain Chinese characters.")
            return None
        if not _url_ok(self):  # the same check as for a new rendering
            return None
        source = _source(self)
        terms = [Term(zh, "zh-CN", TermStatus.PREFERRED)]
        if en:
            term = Term(en, "en", TermStatus.PREFERRED, source=source)
            if self.value("context"):
                term.contexts.append(Context(self.value("context"), "", source))
            terms.append(term)
        return Entry(
            terms=terms,
            subject=self.value("subject"),
            definition=self.value("definition"),
            sources=[source] if source else [],
        )


def prefill(query: str) -> dict[str, str]:
    """The Add form's fields filled from a search *query*: Chinese text goes to
    the Chinese field, anything else to the English one."""
    query = " ".join(query.split())
    if not query:
        return {}
    return {"zh": query} if has_han(query) else {"en": query}


class EditEntryModal(_Form):
    """Edit definitions, subject and note; cite one more source of the concept."""

    TITLE_TEXT = "Edit the entry"
    FIELDS = [
        ("subject", "Subject", ""),
        ("definition", "Definition", "in English"),
        ("definition_zh", "定义", "中文定义"),
        ("note", "Note", ""),
        *[(f, f"New source: {label.lower()}", hint) for f, label, hint in SOURCE_FIELDS],
    ]
    SOURCE_IDS = {f for f, _l, _h in SOURCE_FIELDS}

    def __init__(self, entry: Entry) -> None:
        super().__init__(
            {
                "subject": entry.subject,
                "definition": entry.definition,
                "definition_zh": entry.definition_zh,
                "note": entry.note,
            }
        )

    def build(self) -> dict[str, Any] | None:
        """The concept fields, and ``add_source`` when a new source was given."""
        if not _url_ok(self):
            return None
        values: dict[str, Any] = {
            field_id: self.value(field_id)
            for field_id, _l, _p in self.FIELDS
            if field_id not in self.SOURCE_IDS
        }
        source = _source(self)
        if source is not None:
            values["add_source"] = source
        return values


#: Endings of SQLite's companion files, never a file to import or export.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


class FileTree(DirectoryTree):
    """A file picker: the folders and files under a directory, leaving out hidden
    files and SQLite's companion files."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p
            for p in paths
            if not p.name.startswith(".") and not p.name.endswith(SQLITE_COMPANIONS)
        ]


def path_error(exc: OSError | ValueError, path: str) -> str:
    """What went wrong with the file *path*, in words (never a traceback)."""
    if isinstance(exc, OSError):
        folder = os.path.dirname(os.path.abspath(path))
        if isinstance(exc, FileNotFoundError) and not os.path.isdir(folder):
            return f"{path}: the folder {folder} does not exist; pick or type another path"
        reason = exc.strerror or str(exc)
        return f"{path}: {reason}; pick or type another path"
    return f"{path}: {exc}; type another path"


#: What an import does with a row it cannot read (the CLI's --skip-bad-lines).
BAD_ROWS = [("bad row: stop", ""), ("bad rows: leave out", "skip")]


class TransferModal(ModalScreen[None]):
    """Import or export a file: type a path or pick one, see the plan (import), then run.

    The file list and the plan share the middle of the dialog and scroll; the
    result line and the buttons stay visible at every terminal size.
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+b", "browse", "Browse files", priority=True),
    ]

    def __init__(self, mode: str, start: str | None = None) -> None:
        super().__init__()
        self.mode = mode  # "import" | "export"
        self.start = start or os.getcwd()  # where the file picker opens
        self.planned: tuple[str, str | None] | None = None  # the file whose plan is shown
        self.result = ""  # what the last run reported (the result line)

    @property
    def tb_app(self) -> TermbaseApp:
        from tui.app import TermbaseApp

        assert isinstance(self.app, TermbaseApp)
        return self.app

    def compose(self) -> ComposeResult:
        title = "Import a glossary" if self.mode == "import" else "Export the termbase"
        usable = self.tb_app.tb.format_names(
            reading=self.mode == "import", writing=self.mode == "export"
        )
        choices = [("format: auto", "")] + [(n, n) for n in usable]
        with Vertical(classes="dialog transfer"):
            yield Label(f"{title} · type a path or pick a file (ctrl+b)", classes="question")
            with Horizontal(id="path-row"):
                yield Input(placeholder="path of the file", id="path")
                yield Select(choices, value="", allow_blank=False, id="format")
                if self.mode == "export":
                    yield Select(
                        [("all entries", "all"), ("approved only", "approved")],
                        value="all",
                        allow_blank=False,
                        id="review",
                    )
                else:  # the CLI's --skip-bad-lines
                    yield Select(BAD_ROWS, value="", allow_blank=False, id="bad-rows")
            yield FileTree(self.start, id="tree")
            with VerticalScroll(id="plan-box", classes="hidden"):
                yield Static("", id="plan")
            yield ProgressBar(id="progress", show_eta=False, classes="hidden")
            yield Label("", id="error", classes="error")
            yield Label("", id="result")
            with Horizontal(classes="buttons"):
                if self.mode == "import":
                    yield Button("Show plan", variant="primary", id="run")
                else:
                    yield Button("Export", variant="primary", id="run")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def params(self) -> tuple[str, str | None]:
        path = os.path.expanduser(self.query_one("#path", Input).value.strip())
        fmt = str(self.query_one("#format", Select).value or "") or None
        return path, fmt

    def show_plan(self, show: bool) -> None:
        """Show the plan (True) or the file picker (False) in the middle of the dialog."""
        self.query_one("#plan-box").set_class(not show, "hidden")
        self.query_one("#tree").set_class(show, "hidden")

    def action_browse(self) -> None:
        self.show_plan(False)
        self.query_one("#tree", FileTree).focus()

    @on(DirectoryTree.FileSelected, "#tree")
    def file_picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self.query_one("#run", Button).focus()

    @on(DirectoryTree.DirectorySelected, "#tree")
    def folder_picked(self, event: DirectoryTree.DirectorySelected) -> None:
        """Export: keep the file name typed so far, in the folder picked."""
        if self.mode != "export":
            return
        name = os.path.basename(self.params()[0]) or "termbase.tbx"
        self.query_one("#path", Input).value = str(event.path / name)

    @on(Input.Changed, "#path")
    @on(Select.Changed, "#format")
    @on(Select.Changed, "#bad-rows")
    def params_changed(self) -> None:
        """A new file or format needs a new plan before it can be imported."""
        self.planned = None
        if self.mode == "import":
            self.query_one("#run", Button).label = "Show plan"

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#run")
    def run(self) -> None:
        """Export; or import: the first press shows the dry-run plan, the second imports."""
        path, fmt = self.params()
        if not path:
            self.query_one("#error", Label).update("Give the path of a file, or pick one.")
            return
        dry_run = self.mode == "import" and self.planned != (path, fmt)
        self.query_one("#run", Button).disabled = True
        self.query_one("#error", Label).update("")
        self.run_transfer(path, fmt, dry_run=dry_run)

    @work(exclusive=True, thread=True, group="transfer", exit_on_error=False)
    def run_transfer(self, path: str, fmt: str | None, dry_run: bool) -> None:
        tb = self.tb_app.thread_termbase()
        bar = self.query_one("#progress", ProgressBar)
        self.app.call_from_thread(bar.update, total=None, progress=0)
        self.app.call_from_thread(bar.remove_class, "hidden")

        def progress(n: int) -> None:
            self.app.call_from_thread(bar.advance, n)

        try:
            if self.mode == "import":
                skip = bool(self.query_one("#bad-rows", Select).value)
                report = tb.import_file(
                    path, format=fmt, dry_run=dry_run, progress=progress, skip_bad_lines=skip
                )
                plan, result = "\n".join(report.plan), report.summary()
            else:
                review = str(self.query_one("#review", Select).value)
                count = tb.export_file(path, format=fmt, review=review, progress=progress)
                plan, result = "", f"Exported {count} entries to {path}."
        except TermbaseError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        except (OSError, ValueError) as exc:  # any path typed: the dialog says why, stays open
            self.app.call_from_thread(self.failed, path_error(exc, path))
            return
        self.app.call_from_thread(self.finished, plan, result, dry_run)

    def failed(self, message: str) -> None:
        # the library's advice names the command-line option; here it is a choice
        message = message.replace("pass --skip-bad-lines", f"choose {BAD_ROWS[1][0]!r}")
        self.query_one("#error", Label).update(f"Error: {message}")
        self.query_one("#progress", ProgressBar).add_class("hidden")
        self.query_one("#run", Button).disabled = False

    def finished(self, plan: str, result: str, dry_run: bool) -> None:
        self.result = result
        self.query_one("#error", Label).update("")
        self.query_one("#plan", Static).update(plan)
        self.query_one("#result", Label).update(result[:1].upper() + result[1:])
        if plan:
            self.show_plan(True)
        self.query_one("#progress", ProgressBar).add_class("hidden")
        button = self.query_one("#run", Button)
        button.disabled = False
        if dry_run:
            self.planned = self.params()
            button.label = "Confirm import"
            button.focus()
        elif self.mode == "import":
            self.planned = None
            button.label = "Show plan"
            self.tb_app.entry_changed()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


HELP = """\
[b]Search screen[/b]
  type    search as you type: 中文, pinyin (gaozhiliang, gzlfz), 繁體,
          or English; / goes back to the search box
  ↓       from the box to the results; ↑ ↓ move, enter opens the entry
  enter   on a query that found nothing: add it as a new concept
  ctrl+r  review filter              ctrl+t  status filter
  ctrl+s  subject filter

[b]Entry view[/b]  (↑ ↓ choose a term; its contexts show below)
  a       approve the entry          x       reject (asks for a reason)
  p       make the term preferred    m       admit the term
  d       deprecate (asks first)     n       add a rendering + evidence
  e       edit subject, definitions, note
  h       show / hide the history    pgdn    scroll the evidence
  ctrl+d  delete (asks first)        escape  back

[b]Review queue[/b]
  a approve · x reject · s skip · p/d re-rank the term · escape leave

[b]Forms and dialogs[/b]
  tab     next field                 ctrl+s  save     escape  cancel
  ctrl+b  import / export: pick the file from a list
  The mouse works everywhere: click rows, buttons, fields and keys.
"""


def help_text() -> str:
    """The help: app-wide keys (from ``tui.app.DESTINATIONS``), then each screen's keys."""
    from tui.app import DESTINATIONS

    lines = ["[b]Everywhere[/b]"]
    keys = [(d.display or d.key, d.help) for d in DESTINATIONS]
    keys += [("f1", "this help, also while typing in a box")]
    keys += [("ctrl+p", "command palette: every action"), ("q", "quit")]
    lines += [f"  {key:<7} {text}" for key, text in keys]
    return "\n".join(lines) + "\n\n" + HELP


class HelpScreen(ModalScreen[None]):
    """Every key."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(help_text(), markup=True)
            yield Button("Close", id="close")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
