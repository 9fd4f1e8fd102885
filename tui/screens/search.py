"""The home screen: a search box that answers as you type, and the results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from termbase.errors import TermbaseError
from termbase.textfmt import clip
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from tui.app import TermbaseApp

REVIEW_CHOICES = [
    ("any review", ""),
    ("approved", "approved"),
    ("proposed", "proposed"),
    ("rejected", "rejected"),
]
STATUS_CHOICES = [
    ("any status", ""),
    ("preferred", "preferred"),
    ("admitted", "admitted"),
    ("deprecated", "deprecated"),
    ("superseded", "superseded"),
]

COLUMNS = [
    ("zh", "Chinese"),
    ("pinyin", "Pinyin"),
    ("en", "Preferred English"),
    ("review", "Review"),
    ("subject", "Subject"),
]


def column_widths(width: int) -> list[int]:
    """Widths of :data:`COLUMNS` for a screen *width* cells wide (16/10/24/8/12 at 80).

    The Chinese term gets the most room after the English: it is what the
    translator reads first; a cell too long for its column ends in "…".
    """
    review, subject = 8, 12
    rest = max(width - 4 - 2 * len(COLUMNS) - review - subject, 30)  # margins, scrollbar, padding
    zh = max(rest * 34 // 100, 10)
    pinyin = max(rest * 22 // 100, 8)
    return [zh, pinyin, rest - zh - pinyin, review, subject]


#: Rows the results table shows at most; more are announced, not loaded.
RESULT_LIMIT = 200
#: How much of a query the status line repeats.
QUERY_ECHO = 40


class SearchScreen(Screen[None]):
    """Search box, filters, results table."""

    BINDINGS = [
        # the footer keeps room for the app-wide keys (help, queue, add, import, export)
        Binding("slash", "focus_search", "Search", key_display="/", show=False),
        Binding("ctrl+r", "focus_filter('#review')", "Review filter", show=False),
        Binding("ctrl+t", "focus_filter('#status')", "Status filter", show=False),
        Binding("ctrl+s", "focus_filter('#subject')", "Subject filter", show=False),
        Binding("down", "focus_results", "Results", show=False),
        Binding("enter", "open_entry", "Open", show=False),
    ]
    COMMANDS_HERE = [
        ("focus_search", "Search", "Put the cursor in the search box"),
        ("focus_filter('#review')", "Filter by review state", "approved, proposed, rejected"),
        ("focus_filter('#status')", "Filter by term status", "preferred, admitted, deprecated"),
        ("focus_filter('#subject')", "Filter by subject", "The subject fields in use"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Any] = []
        self.rows: list[tuple[tuple[str, ...], str]] = []  # the table's cells, for re-layout
        self.widths: list[int] = []
        self.generation = 0
        self.shown = ""  # the query whose results are on screen
        # the search a message under the search box was said for, and whether
        # that search failed: the message clears when another search (or this
        # one, once it succeeds) shows its results
        self.message_for: tuple[str, ...] = ()
        self.search_failed = False

    @property
    def tb_app(self) -> TermbaseApp:
        from tui.app import TermbaseApp

        assert isinstance(self.app, TermbaseApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search: 中文, pinyin (gaozhiliang), 繁體, or English…", id="query")
        yield StatusLine(id="search-message")  # errors and notices, in place of a toast
        with Horizontal(id="filters"):
            yield Select(REVIEW_CHOICES, value="", allow_blank=False, id="review")
            yield Select(STATUS_CHOICES, value="", allow_blank=False, id="status")
            subjects = [("any subject", "")] + [(s, s) for s in self.tb_app.tb.subjects()]
            yield Select(subjects, value="", allow_blank=False, id="subject")
        table: DataTable[str] = DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.layout_columns(self.size.width or 80)
        self.query_one("#query", Input).focus()
        self.run_search("")

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.layout_columns(event.size.width)

    def layout_columns(self, width: int) -> None:
        """Fit the columns to *width* so the table never scrolls sideways."""
        widths = column_widths(width)
        if widths == self.widths:
            return
        self.widths = widths
        table = self.query_one("#results", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for (key, label), w in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=w, key=key)
        for cells, key in self.rows:
            table.add_row(*self.fit(cells), key=key)
        if self.rows:
            table.move_cursor(row=min(max(row, 0), len(self.rows) - 1))

    def action_focus_results(self) -> None:
        self.query_one("#results", DataTable).focus()

    def action_focus_filter(self, selector: str) -> None:
        self.query_one(selector, Select).focus()

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#query")
    def query_submitted(self, event: Input.Submitted) -> None:
        """Enter: to the results; on a query that found nothing, add it as a concept."""
        if not self.hits and event.value.strip() and self.shown == event.value:
            self.tb_app.action_open("Add concept")
            return
        self.query_one("#results", DataTable).focus()

    def fit(self, cells: tuple[str, ...]) -> list[str]:
        """The cells cut to their columns, with "…" where text is cut."""
        return [clip(c, w) for c, w in zip(cells, self.widths, strict=True)]

    @on(Select.Changed)
    def filter_changed(self) -> None:
        self.run_search(self.query_one("#query", Input).value)

    def refresh_results(self) -> None:
        """Run the current query again (after a change elsewhere)."""
        self.run_search(self.query_one("#query", Input).value)

    def search_key(self, query: str | None = None) -> tuple[str, ...]:
        """The query (default: the one typed) and the three filters."""
        if query is None:
            query = self.query_one("#query", Input).value
        filters = [
            self.query_one(f"#{name}", Select).value for name in ("review", "status", "subject")
        ]
        return (query, *(str(value or "") for value in filters))

    def run_search(self, query: str) -> None:
        self.generation += 1
        self.search_worker(self.generation, *self.search_key(query))

    @work(exclusive=True, thread=True, group="search", exit_on_error=False)
    def search_worker(
        self, generation: int, query: str, review: str, status: str, subject: str
    ) -> None:
        tb = self.tb_app.thread_termbase()
        filters = {"review": review or None, "status": status or None, "subject": subject or None}
        extra: dict[Any, Any] = {}
        try:  # a refused query (only invisible characters), a filter no entry has any more
            if query.strip():
                hits = tb.search(query, limit=RESULT_LIMIT + 1, **filters)
                rows = [h.entry for h in hits]
                extra = {h.entry.id: h for h in hits}
            else:
                rows = tb.list_entries(limit=RESULT_LIMIT + 1, **filters)
            total = None if any(filters.values()) or query.strip() else tb.stats()["entries"]
        except TermbaseError as exc:
            self.app.call_from_thread(self.search_refused, generation, str(exc))
            return
        self.app.call_from_thread(self.show_results, generation, query, rows, extra, total)

    def show_results(
        self,
        generation: int,
        query: str,
        rows: list[Any],
        extra: dict[Any, Any],
        total: int | None = None,
    ) -> None:
        """Show the rows of search number *generation* (up to RESULT_LIMIT; one more
        row than that means there are more); *total* counts an unfiltered listing."""
        if generation != self.generation:
            return  # a newer query has been typed: drop stale results
        more = len(rows) > RESULT_LIMIT
        rows = rows[:RESULT_LIMIT]
        table = self.query_one("#results", DataTable)
        table.clear()
        self.hits = rows
        self.shown = query
        self.rows = []
        for entry in rows:
            hit = extra.get(entry.id)
            english = entry.en
            shown = next((t for t in entry.en_terms if t.text == english), None)
            best = shown.strongest_source if shown is not None else None
            if shown is not None and shown.dates():
                english += f"  {shown.dates()}"
            if best is not None:
                english += f" · {best.authority.value.replace('-', ' ')}"
            if hit is not None and hit.preferred_for_deprecated:
                english = f"{hit.term.text} ✗ → {hit.preferred_for_deprecated[0]}"
            cells = (
                entry.zh or entry.terms[0].text,
                entry.pinyin,
                english,
                entry.review.value,
                entry.subject,
            )
            self.rows.append((cells, str(entry.id)))
            table.add_row(*self.fit(cells), key=str(entry.id))
        self.query_one("#status-line", Static).update(
            self.status_text(query, len(rows), more, total)
        )
        line = self.query_one("#search-message", StatusLine)
        if self.search_failed or self.search_key(query) != self.message_for:
            line.clear()
            self.search_failed = False

    def say(self, message: str, error: bool = False) -> None:
        """*message* under the search box, where a toast would cover the results."""
        self.query_one("#search-message", StatusLine).say(message, error)
        self.message_for = self.search_key()
        self.search_failed = False

    def search_refused(self, generation: int, message: str) -> None:
        """Say under the search box why search number *generation* found nothing."""
        if generation == self.generation:
            self.query_one("#results", DataTable).clear()
            self.hits, self.rows = [], []
            self.query_one("#status-line", Static).update("")
            self.say(message, error=True)
            self.search_failed = True

    def status_text(self, query: str, count: int, more: bool, total: int | None) -> str:
        """The line under the results: how many rows, counted after the filters."""
        shown = repr(clip(" ".join(query.split()), QUERY_ECHO))
        if more:
            found = f"More than {RESULT_LIMIT} entries"
            hint = f" · first {RESULT_LIMIT} shown: type more or filter"
        else:
            found = _entries(total if total is not None else count)
            hint = " · ↓ results · Enter opens"
        if query.strip():
            if not count:
                return f"No entries match {shown}. Enter adds it as a new concept."
            verb = "matches" if count == 1 and not more else "match"
            return f"{found} {verb} {shown}{hint}"
        if not count:
            return "No entries pass the filters. ctrl+r/t/s change them."
        kept = "" if total is not None else " pass the filters"
        return (
            f"{found}{kept}{hint if more else ' · ↓ results · ctrl+r/t/s filters · F1 every key'}"
        )

    @on(DataTable.RowSelected, "#results")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.tb_app.open_entry(int(event.row_key.value))

    def action_open_entry(self) -> None:
        table = self.query_one("#results", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.tb_app.open_entry(int(key))


def _entries(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"
