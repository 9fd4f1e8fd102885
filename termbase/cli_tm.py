"""``termbase tm …``: the translation-memory commands.

Each command parses its arguments and makes one call on ``Termbase.tm``
(:class:`termbase.tm.TranslationMemory`); errors are ``TermbaseError``
subclasses that the main group prints as ``Error: …``.  Only click is
imported at module level, so ``termbase --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from termbase.cli_common import (
    State,
    dry_run_option,
    echo_json,
    json_option,
    limit_option,
    pass_state,
)
from termbase.textfmt import echo

if TYPE_CHECKING:
    from termbase.tm import TranslationMemory

#: Markers around changed text in plain-text match output.
DEL_OPEN, DEL_CLOSE, INS_OPEN, INS_CLOSE = "[-", "-]", "{+", "+}"
#: Markers around concordance hits in plain-text output.
HIT_OPEN, HIT_CLOSE = "«", "»"


@click.group(name="tm")
def tm() -> None:
    """Translation memory: import and export sentence pairs, fuzzy match, concordance.

    \b
    Examples:
      termbase tm import project.tmx
      termbase tm match "我们要推动高质量发展" --min 75
      termbase tm search 高质量发展
    """


@tm.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", metavar="NAME", help="tmx, xliff, po, csv or tsv (default: guessed)."
)
@dry_run_option("Report what would be stored; write nothing.")
@click.option("--project", default="", help="Project name for pairs that carry none.")
@click.option("--source-lang", metavar="TAG", help="Source language when the file does not say.")
@click.option("--target-lang", metavar="TAG", help="Target language when the file does not say.")
@json_option("Print the report as JSON.")
@pass_state
def import_(
    state: State,
    file: str,
    fmt: str | None,
    dry_run: bool,
    project: str,
    source_lang: str | None,
    target_lang: str | None,
    as_json: bool,
) -> None:
    """Import the sentence pairs of a TMX, XLIFF (1.2/2.0), PO or CSV/TSV FILE.

    One transaction: a file that fails half-way leaves the memory as it was.
    Pairs already stored (same texts after normalisation) are counted, not
    stored twice.

    \b
    Example:
      termbase tm import omegat/project_save.tmx --project website
    """
    options: dict[str, Any] = {
        k: v for k, v in (("source_lang", source_lang), ("target_lang", target_lang)) if v
    }
    report = state.open().tm.import_file(
        file, format=fmt, dry_run=dry_run, project=project, **options
    )
    if as_json:
        echo_json(report.to_dict())
        return
    click.echo(report.summary())
    for problem in report.problems:
        click.echo(f"  {problem}", err=True)


@tm.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace FILE even if it is an SQLite database.")
@pass_state
def export(state: State, file: str, force: bool) -> None:
    """Write every pair to FILE as TMX 1.4b, or XLIFF for .xlf (streamed; whole or not at all).

    \b
    Example:
      termbase tm export memory.tmx
    """
    count = state.open().tm.export_file(file, force=force)
    click.echo(f"{file}: wrote {count} pairs", err=file == "-")


@tm.command(name="match")
@click.argument("text")
@limit_option(5, "At most this many matches.")
@click.option("--min", "min_score", default=70, show_default=True, help="Lowest score (%).")
@json_option("Print matches as JSON.")
@pass_state
def match(state: State, text: str, limit: int, min_score: int, as_json: bool) -> None:
    """Fuzzy matches for TEXT (Chinese or English), best first, with what differs.

    Scores are edit-distance percentages (characters for Chinese, words for
    English); 100% only for identical text.  Changes are shown as
    [-query text-]{+match text+}.

    \b
    Example:
      termbase tm match "我们要推动高质量发展" --limit 3
    """
    found = _ready(state).match(text, limit=limit, min_score=min_score)
    if as_json:
        echo_json([m.to_dict() for m in found])
        return
    if not found:
        click.echo(f"No matches at {min_score}% or more.")
        return
    for m in found:
        click.echo(f"{m.score:>3}%  {render_diff(m.text, m.diff)}")
        click.echo(f"      {m.translation}")
        origin = ", ".join(x for x in (m.segment.origin, m.segment.project) if x)
        click.echo(f"      #{m.segment.id} {origin} ×{m.segment.count}")
        for t in m.terms:
            mark = "✓" if t.in_translation else "✗"
            click.echo(f"      term {t.text} → {' / '.join(t.renderings) or '—'} {mark}")


def render_diff(text: str, pieces: list[Any]) -> str:
    """The match *text* with changes against the query marked, spacing kept."""
    out: list[str] = []
    pos = 0
    for p in pieces:
        start, end = p.match_span
        if start > pos:
            out.append(text[pos:start])  # the white space between words
        if p.op == "equal":
            out.append(text[start:end])
        else:
            if p.query:
                out.append(f"{DEL_OPEN}{p.query}{DEL_CLOSE}")
            if p.match:
                out.append(f"{INS_OPEN}{p.match}{INS_CLOSE}")
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


@tm.command(name="search")
@click.argument("query")
@limit_option(20, "At most this many pairs.")
@json_option("Print hits as JSON.")
@pass_state
def search(state: State, query: str, limit: int, as_json: bool) -> None:
    """Concordance: pairs whose text contains QUERY (a Chinese substring or English words).

    \b
    Example:
      termbase tm search "high-quality development"
    """
    hits = _ready(state).concordance(query, limit=limit)
    if as_json:
        echo_json([h.to_dict() for h in hits])
        return
    if not hits:
        click.echo(f"No pairs contain {echo(query)!r}.")
        return
    for h in hits:
        click.echo(f"#{h.segment.id}  {highlight(h.text, h.spans)}")
        click.echo(f"      {h.translation}")


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """*text* with each span wrapped in the hit markers."""
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], HIT_OPEN, text[start:end], HIT_CLOSE]
        pos = end
    out.append(text[pos:])
    return "".join(out)


@tm.command(name="stats")
@json_option("Print as JSON.")
@pass_state
def stats(state: State, as_json: bool) -> None:
    """How many pairs the memory holds, by direction and origin.

    \b
    Example:
      termbase tm stats
    """
    data = state.open().tm.stats()
    if as_json:
        echo_json(data)
        return
    click.echo(f"pairs: {data['segments']} (seen {data['seen']} times)")
    for direction, n in data["directions"].items():
        click.echo(f"  {direction}: {n}")
    for origin, n in data["origins"].items():
        click.echo(f"  from {origin or '(unknown)'}: {n}")


def _ready(state: State) -> TranslationMemory:
    """The translation memory, with a note on stderr when it must index many pairs first."""
    tm = state.open().tm
    waiting = tm.indexing_to_announce()
    if waiting:
        click.echo(
            f"Indexing {waiting:,} pairs stored by an older version or another program "
            "(once; about a minute per million)...",
            err=True,
        )
    return tm
