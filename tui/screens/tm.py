"""The translation-memory screen: paste a sentence, see fuzzy matches,
concordance hits and the termbase terms they contain.

Lookups run in a thread worker on the worker's own Termbase (SQLite
connections are per thread); a newer query drops the results of an older one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from termbase.textfmt import clip
from tui.screens.search import QUERY_ECHO
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from tui.app import TermbaseApp

#: Matches and concordance hits shown per query.
MATCH_LIMIT = 5
CONCORDANCE_LIMIT = 10


def match_text(match: Any) -> Text:
    """One fuzzy match: score, the match with its differences marked, the translation, terms."""
    out = Text()
    out.append(f"{match.score:>3}% ", style="bold green" if match.score >= 90 else "bold yellow")
    pos = 0
    for piece in match.diff:
        start, end = piece.match_span
        if start > pos:
            out.append(match.text[pos:start])
        if piece.op == "equal":
            out.append(match.text[start:end])
        else:
            if piece.query:
                out.append(piece.query, style="strike red")
            if piece.match:
                out.append(piece.match, style="reverse")
        pos = max(pos, end)
    out.append(match.text[pos:])
    out.append(f"\n     {match.translation}\n", style="cyan")
    for term in match.terms:
        rendering = " / ".join(term.renderings) or "—"
        mark = "✓" if term.in_translation else "✗ not in the translation"
        out.append(f"     term {term.text} → {rendering} {mark}\n", style="dim")
    return out


def hit_text(hit: Any) -> Text:
    """One concordance hit with the phrase highlighted."""
    out = Text()
    pos = 0
    for start, end in hit.spans:
        out.append(hit.text[pos:start])
        out.append(hit.text[start:end], style="bold reverse")
        pos = end
    out.append(hit.text[pos:])
    out.append(f"\n     {hit.translation}\n", style="cyan")
    return out


def terms_text(terms: list[Any]) -> Text:
    """The termbase terms found in the pasted sentence, each once, with renderings."""
    out = Text("\nTerms in the sentence\n", style="bold underline")
    seen: set[tuple[str, int]] = set()
    for term in terms:
        if (term.text, term.entry_id) in seen:
            continue
        seen.add((term.text, term.entry_id))
        rendering = " / ".join(term.renderings) or "—"
        out.append(f"  {term.text}", style="bold")
        out.append(f" → {rendering}\n")
    if not seen:
        out.append("  no termbase term found in it\n", style="dim")
    return out


class TMScreen(Screen[None]):
    """Fuzzy matches and concordance for a pasted sentence or phrase."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "focus_query", "Query", key_display="/"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0
        self.matches: list[Any] = []
        self.hits: list[Any] = []
        self.terms: list[Any] = []  # termbase terms in the query, with or without a match

    @property
    def tb_app(self) -> TermbaseApp:
        from tui.app import TermbaseApp

        assert isinstance(self.app, TermbaseApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Paste a sentence (中文 or English) for TM matches…", id="tm-query")
        with VerticalScroll(id="tm-results"):
            yield Static("", id="tm-matches")
            yield Static("", id="tm-terms")
            yield Static("", id="tm-concordance")
        yield StatusLine(id="tm-status")  # counts, and errors in place of a toast
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#tm-query", Input).focus()
        count = self.tb_app.tb.tm.count()
        self.say(f"{count} pairs in the translation memory. Enter looks up; Esc goes back.")

    def say(self, message: str, error: bool = False) -> None:
        """*message* on the status line, where a toast would cover the matches."""
        self.query_one("#tm-status", StatusLine).say(message, error)

    def action_focus_query(self) -> None:
        self.query_one("#tm-query", Input).focus()

    @on(Input.Submitted, "#tm-query")
    def submitted(self, event: Input.Submitted) -> None:
        self.generation += 1
        if event.value.strip():
            self.lookup(self.generation, event.value)

    @work(exclusive=True, thread=True, group="tm", exit_on_error=False)
    def lookup(self, generation: int, text: str) -> None:
        tm = self.tb_app.thread_termbase().tm
        try:
            waiting = tm.indexing_to_announce()
            if waiting:
                note = f"Indexing {waiting:,} pairs stored by an older version (once)..."
                self.app.call_from_thread(self.say, note)
            matches = tm.match(text, limit=MATCH_LIMIT)
            hits = tm.concordance(text, limit=CONCORDANCE_LIMIT)
            terms = tm.terms_in(text)
        except Exception as exc:  # a refused text, an unreadable memory: said, never a crash
            self.app.call_from_thread(self.refused, generation, str(exc) or type(exc).__name__)
            return
        self.app.call_from_thread(self.show, generation, text, matches, hits, terms)

    def refused(self, generation: int, message: str) -> None:
        """Say why lookup number *generation* found nothing; no older results stay."""
        if generation != self.generation:
            return
        self.matches, self.hits, self.terms = [], [], []
        for part in ("#tm-matches", "#tm-terms", "#tm-concordance"):
            self.query_one(part, Static).update("")
        self.say(message, error=True)

    def show(
        self,
        generation: int,
        text: str,
        matches: list[Any],
        hits: list[Any],
        terms: list[Any] | None = None,
    ) -> None:
        """Display the results of the lookup number *generation*."""
        if generation != self.generation:
            return
        self.matches, self.hits, self.terms = matches, hits, terms or []
        self.query_one("#tm-terms", Static).update(terms_text(self.terms))
        body = Text("Fuzzy matches\n", style="bold underline")
        if matches:
            for m in matches:
                body.append_text(match_text(m))
        else:
            body.append("  none at 70% or more\n", style="dim")
        self.query_one("#tm-matches", Static).update(body)
        conc = Text("\nConcordance\n", style="bold underline")
        if hits:
            for h in hits:
                conc.append_text(hit_text(h))
        else:
            conc.append("  no stored pair contains this text\n", style="dim")
        self.query_one("#tm-concordance", Static).update(conc)
        self.say(
            f"{len(matches)} matches, {len(hits)} concordance hits for {clip(text, QUERY_ECHO)!r}"
        )
