"""Rendering of one entry with its evidence, as Rich text.

Each context sentence is shown with the rendering highlighted (matched by
word stems, so "ensuring …" lights up for "ensure …"), then its locator and
its source with title, date and URL.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from termbase.lang import has_han
from termbase.lang.en import phrase_spans
from termbase.model import Entry, HistoryRecord, Term, TermStatus, is_chinese, is_english

STATUS_STYLE = {
    TermStatus.PREFERRED: "bold green",
    TermStatus.ADMITTED: "yellow",
    TermStatus.DEPRECATED: "bold red strike",
    TermStatus.SUPERSEDED: "dim strike",
}
STATUS_MARK = {
    TermStatus.PREFERRED: "★ preferred",
    TermStatus.ADMITTED: "○ admitted",
    TermStatus.DEPRECATED: "✗ deprecated",
    TermStatus.SUPERSEDED: "↷ superseded",
}
REVIEW_STYLE = {"approved": "green", "proposed": "yellow", "rejected": "red"}


def highlight(sentence: str, term: str) -> Text:
    """*sentence* with the words of *term* highlighted (stems compared; Chinese by substring)."""
    text = Text(sentence)
    if has_han(term):
        start = sentence.find(term)
        if start >= 0:
            text.stylize("bold reverse", start, start + len(term))
        return text
    spans, whole = phrase_spans(sentence, term)
    for start, end in spans:  # the whole phrase, else each word that matches
        text.stylize("bold reverse" if whole else "bold", start, end)
    return text


def term_label(term: Term) -> Text:
    """One line for a term: text, status mark, type."""
    label = Text(term.text, style=STATUS_STYLE[term.status], no_wrap=True, overflow="ellipsis")
    label.append(f"  {STATUS_MARK[term.status]}", style="dim")
    if term.term_type.value != "full-form":
        label.append(f" · {term.term_type.value}", style="dim")
    if term.dates():
        label.append(f" · {term.dates()}", style="dim")
    return label


def term_row(term: Term) -> Text:
    """A term's row in the entry view: its label and language."""
    row = term_label(term)
    row.append(f" · {term.lang}", style="dim")
    return row


def entry_header(entry: Entry) -> Text:
    """Two lines, each cut with "…" to the width: the Chinese term, pinyin, review
    state and subject; then the definition (in full under the evidence)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(entry.zh or entry.terms[0].text, style="bold")
    review = entry.review.value
    text.append(f"  [{review}", style=REVIEW_STYLE.get(review, ""))
    if entry.reviewer:
        text.append(f" by {entry.reviewer}", style=REVIEW_STYLE.get(review, ""))
    text.append("]", style=REVIEW_STYLE.get(review, ""))
    if entry.subject:
        text.append(f"  {entry.subject}", style="cyan")
    if entry.pinyin:
        text.append(f"  {entry.pinyin}", style="italic")
    definition = entry.definition or entry.definition_zh
    if definition:
        text.append("\n")
        text.append(" ".join(definition.split()), style="dim")
    return text


def entry_details(entry: Entry) -> Text:
    """Definition, notes and sources of the concept."""
    text = Text()
    if entry.definition:
        text.append("Definition: ", style="bold")
        text.append(entry.definition + "\n")
    if entry.definition_zh:
        text.append("定义: ", style="bold")
        text.append(entry.definition_zh + "\n")
    if entry.note:
        text.append("Note: ", style="bold")
        text.append(entry.note + "\n")
    if entry.review_comment:
        text.append("Review: ", style="bold")
        text.append(f"{entry.review.value} — {entry.review_comment}\n")
    for src in entry.sources:
        text.append("Source: ", style="bold")
        text.append(src.citation() + "\n")
    others = [t for t in entry.terms if is_chinese(t.lang) and t.text != entry.zh]
    if others:
        text.append("Chinese variants: ", style="bold")
        text.append(", ".join(f"{t.text} ({t.lang})" for t in others) + "\n")
    return text


def term_evidence(term: Term) -> Text:
    """One term's evidence, the context sentences first (the term highlighted),
    then its note and source."""
    text = Text()
    text.append_text(term_label(term))
    text.append(f"   {term.lang}\n")
    if not term.contexts:
        text.append("No context sentence recorded.\n", style="dim")
    for ctx in term.contexts:
        text.append("“")
        text.append_text(highlight(ctx.text, term.text))
        text.append("”\n")
        where = ctx.locator
        if ctx.source is not None:
            src = ctx.source
            cite = ", ".join(p for p in (src.author, src.title, src.publisher, src.date) if p)
            where = f"{where} — {cite}" if where else cite
            if src.url:
                where += f"  {src.url}"
        if where:
            text.append(f"   {where}\n", style="dim")
        if ctx.quotes is not None:
            text.append(f"   quoting {ctx.quotes.citation()}\n", style="dim")
    if term.note:
        text.append("Note: ", style="bold")
        text.append(term.note + "\n")
    if term.dates():
        text.append("In use: ", style="bold")
        text.append(term.dates() + "\n")
    best = term.strongest_source
    if best is not None:
        text.append("Strongest source: ", style="bold")
        text.append(best.short() + "\n")
    if term.source is not None:
        text.append("Source: ", style="bold")
        text.append(term.source.citation() + "\n")
    return text


def history_text(records: list[HistoryRecord]) -> Text:
    """Who changed what, when; newest first."""
    text = Text()
    if not records:
        text.append("No history.", style="dim")
    for r in records:
        text.append(f"{r.at}  ", style="dim")
        text.append(r.actor, style="bold")
        text.append(f"  {r.action}")
        if r.comment:
            text.append(f"  — {r.comment}", style="italic")
        fields = changed_fields(r)
        if fields:
            text.append(f"  [{', '.join(fields)}]", style="dim")
        text.append("\n")
    return text


#: Bookkeeping fields left out of "what changed".
_BOOKKEEPING = {"version", "updated_at", "updated_by", "id"}


def changed_fields(record: HistoryRecord) -> list[str]:
    """Names of the entry fields a change touched (``terms`` for any term change)."""
    if not record.before or not record.after:
        return []
    before, after = _without_ids(record.before), _without_ids(record.after)
    keys = sorted(set(before) | set(after))
    return [k for k in keys if k not in _BOOKKEEPING and before.get(k) != after.get(k)]


def _without_ids(value: Any) -> Any:
    """*value* with every ``id`` key dropped (the store renumbers terms on each save)."""
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def english_terms_first(entry: Entry) -> list[Term]:
    """English renderings (preferred first), then the other terms."""
    english = [t for t in entry.en_terms]
    rest = [t for t in entry.terms if not is_english(t.lang)]
    return english + sorted(rest, key=lambda t: t.status.rank)
