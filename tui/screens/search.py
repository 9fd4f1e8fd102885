"""The home screen: a search box that answers as you type, and the results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

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


class SearchScreen(Screen[None]):
    """Search box, filters, results table."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("ctrl+r", "focus_filter('#review')", "Review filter"),
        Binding("ctrl+t", "focus_filter('#status')", "Status filter"),
        Binding("ctrl+s", "focus_filter('#subject')", "Subject filter"),
        Binding("enter", "open_entry", "Open", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Any] = []
        self.generation = 0

    @property
    def tb_app(self) -> TermbaseApp:
        from tui.app import TermbaseApp

        assert isinstance(self.app, TermbaseApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search: 中文, pinyin (gaozhiliang), 繁體, or English…", id="query")
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
        table = self.query_one("#results", DataTable)
        # fixed widths: the table fits 80 columns and never scrolls sideways
        table.add_column("Chinese", width=13, key="zh")
        table.add_column("Pinyin", width=13, key="pinyin")
        table.add_column("Preferred English", width=24, key="en")
        table.add_column("Review", width=8, key="review")
        table.add_column("Subject", width=10, key="subject")
        self.query_one("#query", Input).focus()
        self.run_search("")

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_filter(self, selector: str) -> None:
        self.query_one(selector, Select).focus()

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#query")
    def query_submitted(self) -> None:
        self.query_one("#results", DataTable).focus()

    @on(Select.Changed)
    def filter_changed(self) -> None:
        self.run_search(self.query_one("#query", Input).value)

    def refresh_results(self) -> None:
        """Run the current query again (after a change elsewhere)."""
        self.run_search(self.query_one("#query", Input).value)

    def run_search(self, query: str) -> None:
        self.generation += 1
        review = self.query_one("#review", Select).value
        status = self.query_one("#status", Select).value
        subject = self.query_one("#subject", Select).value
        self.search_worker(
            self.generation, query, str(review or ""), str(status or ""), str(subject or "")
        )

    @work(exclusive=True, thread=True, group="search")
    def search_worker(
        self, generation: int, query: str, review: str, status: str, subject: str
    ) -> None:
        tb = self.tb_app.thread_termbase()
        if query.strip():
            hits = tb.search(
                query,
                limit=200,
                review=review or None,
                status=status or None,
                subject=subject or None,
            )
            rows = [h.entry for h in hits]
            extra = {h.entry.id: h for h in hits}
        else:
            rows = []
            extra = {}
            for entry in tb.entries(review=review or None, subject=subject or None):
                rows.append(entry)
                if len(rows) >= 200:
                    break
        self.app.call_from_thread(self.show_results, generation, query, rows, extra)

    def show_results(
        self, generation: int, query: str, rows: list[Any], extra: dict[Any, Any]
    ) -> None:
        if generation != self.generation:
            return  # a newer query has been typed: drop stale results
        table = self.query_one("#results", DataTable)
        table.clear()
        self.hits = rows
        for entry in rows:
            hit = extra.get(entry.id)
            english = entry.en
            if hit is not None and hit.preferred_for_deprecated:
                english = f"{hit.term.text} ✗ → {hit.preferred_for_deprecated[0]}"
            table.add_row(
                entry.zh or entry.terms[0].text,
                entry.pinyin,
                english,
                entry.review.value,
                entry.subject,
                key=str(entry.id),
            )
        line = self.query_one("#status-line", Static)
        if query.strip():
            line.update(
                f"{len(rows)} entries match {query!r}"
                if rows
                else f"No entries match {query!r}. Press a to add one."
            )
        else:
            total = self.tb_app.tb.stats()["entries"]
            line.update(
                f"{total} entries in {self.tb_app.tb.path}. Type to search; "
                "Enter opens an entry; ? shows every key."
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
