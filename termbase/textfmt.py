"""Plain-text rendering for the command line: tables, entries, history.

No rich here: the one-shot ``termbase search`` must stay fast, and plain
text with East Asian widths handled is all a terminal table needs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from termbase.model import Entry, HistoryRecord, is_chinese, is_english


def width(text: str) -> int:
    """Columns *text* takes in a terminal (CJK wide characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def clip(text: str, cols: int) -> str:
    """*text* cut to at most *cols* columns, with an ellipsis when cut."""
    if width(text) <= cols:
        return text
    out, used = [], 0
    for c in text:
        w = width(c)
        if used + w > cols - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


#: How much of a query or value a message repeats (a pasted chapter is cut).
ECHO_COLUMNS = 60


def echo(text: str) -> str:
    """*text* as a message repeats it: one line, at most ECHO_COLUMNS columns."""
    return clip(" ".join(text.split()), ECHO_COLUMNS)


def pad(text: str, cols: int) -> str:
    """*text* padded with spaces to *cols* columns."""
    return text + " " * max(0, cols - width(text))


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], max_widths: Sequence[int] | None = None
) -> str:
    """A table with a header line and a rule, columns sized to content."""
    limits = list(max_widths or [60] * len(headers))
    cells = [[clip(str(c).replace("\n", " "), limits[i]) for i, c in enumerate(r)] for r in rows]
    widths = [width(h) for h in headers]
    for r in cells:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], width(c))
    lines = ["  ".join(pad(h, widths[i]) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines.append("  ".join(pad(c, widths[i]) for i, c in enumerate(r)).rstrip())
    return "\n".join(lines)


def entry_text(entry: Entry) -> str:
    """A readable, complete view of one entry with its evidence."""
    head = f"#{entry.id}  {entry.zh}"
    if entry.pinyin:
        head += f"  {entry.pinyin}"
    lines = [head]
    review = entry.review.value
    if entry.reviewer:
        review += f" by {entry.reviewer}"
    if entry.reviewed_at:
        review += f" on {entry.reviewed_at}"
    if entry.review_comment:
        review += f": {entry.review_comment}"
    lines.append(f"review:     {review}")
    lines.append(f"type:       {entry.entry_type.value}")
    if entry.subject:
        lines.append(f"subject:    {entry.subject}")
    if entry.definition:
        lines.append(f"definition: {entry.definition}")
    if entry.definition_zh:
        lines.append(f"定义:       {entry.definition_zh}")
    if entry.note:
        lines.append(f"note:       {entry.note}")
    for src in entry.sources:
        lines.append(f"source:     {src.citation()}")
    groups = [
        ("Chinese", [t for t in entry.terms if is_chinese(t.lang)]),
        ("English", [t for t in entry.terms if is_english(t.lang)]),
        ("Other", [t for t in entry.terms if not is_chinese(t.lang) and not is_english(t.lang)]),
    ]
    for title, terms in groups:
        if not terms:
            continue
        lines.append("")
        lines.append(f"{title}:")
        for t in sorted(terms, key=lambda t: t.status.rank):
            extra = [t.lang, t.status.value]
            if t.term_type.value != "full-form":
                extra.append(t.term_type.value)
            if t.pos:
                extra.append(t.pos)
            if t.dates():
                extra.append(f"in use {t.dates()}")
            label = f"  {t.text}"
            if t.pinyin and is_chinese(t.lang):
                label += f"  {t.pinyin}"
            lines.append(f"{label}  [{', '.join(extra)}]")
            if t.note:
                lines.append(f"      note: {t.note}")
            best = t.strongest_source
            if best is not None and not is_chinese(t.lang):
                lines.append(f"      strongest source: {best.short()}")
            if t.source:
                lines.append(f"      source: {t.source.citation()}")
            for c in t.contexts:
                lines.append(f"      “{c.text}”")
                where = "; ".join(
                    x for x in (c.locator, c.source.citation() if c.source else "") if x
                )
                if where:
                    lines.append(f"        — {where}")
                if c.quotes is not None:
                    lines.append(f"        quoting {c.quotes.citation()}")
    lines.append("")
    lines.append(
        f"version {entry.version}; created {entry.created_at} by {entry.created_by}; "
        f"updated {entry.updated_at} by {entry.updated_by}; uuid {entry.uuid}"
    )
    return "\n".join(lines)


def history_lines(records: Sequence[HistoryRecord]) -> str:
    """One line per history record, newest first."""
    out = []
    for r in records:
        target = f"#{r.entry_id}" if r.entry_id is not None else "-"
        label = ""
        snap = r.after or r.before
        if snap and snap.get("terms"):
            zh = [t["text"] for t in snap["terms"] if t["lang"].lower().startswith("zh")]
            if zh:
                label = f" {zh[0]}"
        line = f"{r.at}  {r.actor}  {r.action}  {target}{label}"
        if r.comment:
            line += f"  — {r.comment}"
        out.append(line)
    return "\n".join(out)
