"""CLI commands for terminology QA: recognize, check, score, extract.

Each command parses its arguments, makes one library call (through the
:class:`termbase.api.Termbase` facade) and prints.  Registered lazily by
:mod:`termbase.cli`.
"""

from __future__ import annotations

from typing import Any

import click

from termbase.api import EXPORT_REVIEWS
from termbase.cli_common import (
    State,
    echo_json,
    encoding_option,
    json_option,
    limit_option,
    pass_state,
)

_FILE = click.Path(dir_okay=False)
#: ``--encoding`` of commands reading plain text or TSV/CSV (XML and PO declare theirs).
_TEXT_ENCODING = encoding_option(
    "Text encoding of plain text and TSV/CSV files (default: detected)."
)


@click.command()
@click.argument("file", type=_FILE)
@click.option(
    "--format",
    "fmt",
    metavar="NAME",
    help="Input format: text, tmx, xliff or po. Default: from the extension "
    "(anything else is plain text).",
)
@click.option(
    "--export",
    "export",
    metavar="FILE",
    help="Write a document glossary (.tbx, .tmx, .csv, .po or .tsv) of the entries used.",
)
@click.option(
    "--review",
    type=click.Choice(list(EXPORT_REVIEWS)),
    default="approved",
    show_default=True,
    help="Which entries --export writes (proposed ones marked; rejected never).",
)
@_TEXT_ENCODING
@json_option()
@click.option("--stats", is_flag=True, help="Report automaton build/load time on stderr.")
@pass_state
def recognize(
    state: State,
    file: str,
    fmt: str | None,
    export: str | None,
    review: str,
    encoding: str | None,
    as_json: bool,
    stats: bool,
) -> None:
    """Find every known term in FILE (plain text, or the source side of TMX/XLIFF/PO).

    Longest match first; traditional characters and full-width forms are
    folded; English terms match in any inflection, on word boundaries, and
    so do the Latin ends of Chinese terms (DNA, 卡拉OK: not inside ADNAX).

    \b
    Examples:
      termbase recognize chapter3.txt
      termbase recognize job.xlf --export job-glossary.tbx
    """
    tb = state.open()
    found, cache = tb.recognize_file(file, format=fmt, encoding=encoding)
    if stats:
        info = tb.recognizer_info()
        how = "loaded from cache" if info.cached else f"built over {info.terms} terms"
        click.echo(f"automaton: {info.patterns} patterns, {how} in {info.seconds:.2f} s", err=True)
    if export:
        written = tb.write_glossary(cache.used(), export, review=review)
        click.echo(f"Wrote {written} entries to {export}", err=True)
        if not as_json:
            return
    if as_json:
        echo_json([f.as_dict() for f in found])
        return
    for f in found:
        renderings = ", ".join(f.renderings) or "(no approved rendering)"
        mark = "" if f.review == "approved" else f" [{f.review}]"
        click.echo(f"{f.unit}:{f.start + 1}-{f.end}\t{f.text}\t{renderings}\t#{f.entry_id}{mark}")
    click.echo(f"{len(found)} term occurrences, {len(cache.used())} entries", err=True)


@click.command()
@click.argument("file", type=_FILE)
@click.argument("target", type=_FILE, required=False)
@click.option(
    "--format", "fmt", metavar="NAME", help="tmx, xliff, po or tsv. Default: from the extension."
)
@click.option(
    "--include-proposed", is_flag=True, help="Also check terms of entries still awaiting review."
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="Judge dated renderings as of this day (YYYY, YYYY-MM or YYYY-MM-DD). "
    "Default: the file's own latest date, else today.",
)
@_TEXT_ENCODING
@json_option()
@pass_state
def check(
    state: State,
    file: str,
    target: str | None,
    fmt: str | None,
    include_proposed: bool,
    as_of: str | None,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Check a translation against the termbase; exit 1 when errors are found.

    FILE is bilingual (TMX, XLIFF 1.2/2.0, PO, two-column TSV), or FILE and
    TARGET are two line-aligned text files.  Errors: an approved rendering
    is missing, a deprecated one is used, or a rendering is used outside its
    dates of use ("new development dynamic" after 2021) other than inside a
    quotation.  Warnings: a term rendered differently across the document.

    \b
    Examples:
      termbase check job.xlf
      termbase check source.txt translation.txt --json
      termbase check job.tmx --as-of 2020-12-01
    """
    report = state.open().check_file(
        file,
        target,
        format=fmt,
        include_proposed=include_proposed,
        as_of=as_of,
        encoding=encoding,
    )
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(format_report(report))
    if report.errors:
        raise SystemExit(1)


_TITLES = {
    "deprecated": "Deprecated renderings used",
    "outdated": "Renderings used outside their dates",
    "missing": "Approved rendering missing",
    "inconsistent": "Rendered inconsistently",
}


def format_report(report: Any) -> str:
    """Readable check report, grouped by problem."""
    lines: list[str] = []
    for kind, title in _TITLES.items():
        issues = [i for i in report.issues if i.kind == kind]
        if not issues:
            continue
        lines.append(f"{title} ({len(issues)}):")
        for i in issues:
            where = f"segment {i.segment}" if i.segment else "document"
            lines.append(f"  {where}: {i.message}")
        lines.append("")
    lines.append(
        f"{report.segments} segments, {report.terms} terms checked: "
        f"{report.errors} errors, {report.warnings} warnings"
    )
    return "\n".join(lines)


@click.command()
@click.argument("hyp", type=_FILE)
@click.argument("ref", type=_FILE)
@click.option("--src", type=_FILE, help="Source file, for the terminology metrics.")
@encoding_option()
@json_option()
@pass_state
def score(
    state: State, hyp: str, ref: str, src: str | None, encoding: str | None, as_json: bool
) -> None:
    """Score a translation HYP against REF: BLEU, chrF, TER and term metrics.

    Files are line-aligned plain text.  With --src, source terms found by
    the recogniser give the term success rate and term consistency.

    \b
    Examples:
      termbase score mt.txt human.txt
      termbase score mt.en.txt ref.en.txt --src doc.zh.txt --json
    """
    result = state.open().score_files(hyp, ref, src, encoding=encoding)
    if as_json:
        echo_json(result.as_dict())
        return
    click.echo(f"BLEU  {result.bleu:6.2f}  {result.signatures['bleu']}")
    click.echo(f"chrF  {result.chrf:6.2f}  {result.signatures['chrf']}")
    click.echo(f"TER   {result.ter:6.2f}  {result.signatures['ter']}")
    if result.terms is not None:
        t = result.terms
        click.echo(f"Term success (exact)  {_pct(t.exact_rate)}  ({t.exact}/{t.occurrences})")
        click.echo(f"Term success (lemma)  {_pct(t.lemma_rate)}  ({t.lemma}/{t.occurrences})")
        click.echo(f"Term consistency      {_pct(t.consistency)}  ({t.consistent}/{t.repeated})")


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{100 * value:5.1f}%"


@click.command()
@click.argument("file", type=_FILE)
@limit_option(50, "Number of candidates.")
@click.option("--min-freq", default=2, show_default=True, help="Minimum occurrences.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Text language. Default: guessed.")
@click.option("--add", is_flag=True, help="Store the candidates as proposed entries for review.")
@encoding_option("Text encoding of FILE (default: detected).")
@json_option()
@pass_state
def extract(
    state: State,
    file: str,
    limit: int,
    min_freq: int,
    lang: str | None,
    add: bool,
    encoding: str | None,
    as_json: bool,
) -> None:
    """Suggest new term candidates from FILE (Chinese or English text), best first.

    Known terms are skipped.  With --add, candidates become proposed
    entries (context sentence and FILE as source) in the review queue.

    \b
    Examples:
      termbase extract report.txt --limit 30
      termbase extract report.txt --add
    """
    tb = state.open()
    cands = tb.extract_file(file, limit=limit, min_freq=min_freq, lang=lang, encoding=encoding)
    if add:
        added = tb.add_candidates(cands, file)
        click.echo(f"Added {len(added)} proposed entries for review", err=True)
    if as_json:
        echo_json([c.as_dict() for c in cands])
        return
    for rank, c in enumerate(cands, 1):
        context = c.contexts[0] if c.contexts else ""
        if len(context) > 80:
            context = context[:79] + "…"
        click.echo(f"{rank:3}. {c.text}\t{c.frequency}×\t{c.score:.2f}\t{context}")
