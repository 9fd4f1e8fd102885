"""CSV and TSV glossaries (read and write), OmegaT glossary TSV included.

Reading.  A file is decoded by BOM, then a ``# -*- coding: X -*-`` magic
comment on its first line (OmegaT), then strict UTF-8, then GB18030; the
``encoding`` option overrides.  The delimiter (tab, comma, semicolon) is
sniffed from the first lines unless ``delimiter`` is given.  Lines starting
with ``#`` are comments.  Two layouts:

* **header-mapped tables**: a first row whose cells name fields in English
  or Chinese (``zh``/``中文``/``术语``, ``en``/``英文``/``译文``, ``status``,
  ``note``/``备注``, ``citation``/``来源``, ``subject``/``领域``,
  ``definition``/``定义``, ``pinyin``, ``review``/``审核`` …, and language
  names such as ``English_word``).  Several terms in one cell are separated
  by ``|`` (Trados) or ``;``.  Unknown columns are kept in the entry note as
  ``Header: value``.  In a file we did not write, a row's ``note`` and
  ``citation`` belong to the row's (first) English rendering: merged into an
  existing concept, they stay with the rendering they came with.
* **headerless glossaries** (OmegaT): ``source<TAB>target<TAB>comment``;
  the column holding Chinese is the Chinese term, decided once per file
  from its first rows; cells are taken verbatim; the third and further
  cells go to the note.

The ``columns`` option (``"zh,en,note"`` or ``"1=zh,2=en"``) overrides both.
A row that has cells but no Chinese term, or that stops before its target
column, is a :class:`~termbase.errors.FormatError` naming file and line.

Writing.  ``dialect="csv"`` (default for ``.csv``) writes one row per
concept: the preferred rendering in ``en``, the other usable renderings in
``alternatives`` and the deprecated ones in ``deprecated``.  Any other
extension (or ``dialect="tsv"``) writes an OmegaT glossary: one
``source<TAB>target<TAB>comment`` line per preferred or admitted rendering,
never a deprecated one; the comment says ``proposed`` for an entry not yet
approved.  Cells that a spreadsheet would run as a formula
(leading ``=``, ``+``, ``-``, ``@``, tab or CR) are prefixed with ``'``; on
reading a file that this module wrote, the prefix is removed again.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from termbase.errors import FormatError
from termbase.fileio import shown_name
from termbase.formats._io import (
    atomic_output,
    check_readable_file,
    count_marks,
    decode_error_line,
    detect_encoding,
    text_encoding,
)
from termbase.formats._table import (
    WRITE_COLUMNS,
    RowMapper,
    entries_of,
    entry_row,
    looks_like_header,
    map_header,
    neutralise,
    parse_columns,
)
from termbase.formats._table import unneutralise as unneutralise  # re-exported
from termbase.lang import has_han
from termbase.model import (
    EN,
    ZH,
    Entry,
    Review,
    Segment,
    TermStatus,
    is_chinese,
)

#: First line of an OmegaT glossary as OmegaT writes it.
OMEGAT_HEAD = "# Glossary in tab-separated format -*- coding: utf-8 -*-"
#: Second line of our own TSV files: marks the apostrophe convention.
OWN_MARK = "# Exported by termbase: a leading ' before = + - @ was added against formula injection"
_CODING = re.compile(r"-\*-\s*coding:\s*([-\w.]+)\s*-\*-")
_SNIFF_LINES = 50
_DIRECTION_ROWS = 200


# ------------------------------------------------------------------ reading
def _encoding(p: str, head: bytes, option: str | None) -> str:
    if option:
        return text_encoding(option, p)
    enc = detect_encoding(head)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or enc.startswith("utf-16"):
        return enc
    first = head.split(b"\n", 1)[0].decode("latin-1")
    m = _CODING.search(first)
    if m and first.lstrip("\ufeff\xef\xbb\xbf").startswith("#"):
        declared = text_encoding(m.group(1), p, where="the coding comment on line 1")
        return declared if enc != "utf-8-sig" else enc
    return enc


def _sniff_delimiter(lines: list[str], path: str) -> str:
    data = [ln for ln in lines if ln.strip() and not ln.startswith("#")][:_SNIFF_LINES]
    if not data:
        return "\t"
    best, best_score = "\t" if not path.lower().endswith(".csv") else ",", 0
    for delim in ("\t", ",", ";"):
        score = sum(1 for ln in data if delim in ln)
        if score > best_score:
            best, best_score = delim, score
    return best


class _Lines:
    """Decoded lines of a file with their numbers; comment lines dropped."""

    def __init__(self, p: str, fh: IO[str], quoted: bool) -> None:
        self.p = p
        self.fh = fh
        self.quoted = quoted  # CSV quoting: a '#' line inside a quoted cell is text
        self.number = 0
        self.comments: list[str] = []
        self.inside = False
        self.opened = 0  # the line of the last quote that opened a cell

    def __iter__(self) -> Iterator[str]:
        self.inside = False  # in a quoted cell that runs over the line end
        try:
            for line in self.fh:
                self.number += 1
                if self.number == 1:
                    line = line.lstrip("\ufeff")
                if line.startswith("#") and not self.inside:
                    if len(self.comments) < 5:
                        self.comments.append(line.rstrip("\r\n"))
                    yield ""  # keep csv's line numbers honest
                    continue
                if self.quoted and line.count('"') % 2:
                    self.inside = not self.inside
                    self.opened = self.number
                yield line
        except UnicodeDecodeError as exc:
            encoding = getattr(self.fh, "encoding", None) or exc.encoding
            number = decode_error_line(self.p, encoding) or self.number + 1
            raise FormatError(
                f"bytes not valid {exc.encoding}; save the file as UTF-8 or pass --encoding",
                path=self.p,
                line=number,
            ) from exc


def _rows(p: str, options: dict[str, Any]) -> tuple[Iterator[tuple[int, list[str]]], _Lines]:
    with open(p, "rb") as fh:
        head = fh.read(65536)
    enc = _encoding(p, head, options.get("encoding"))
    try:
        sample = head.decode(enc, errors="replace").splitlines()
    except LookupError:
        sample = []
    delimiter = options.get("delimiter") or _sniff_delimiter(sample[:-1] or sample, p)
    fh_text = open(p, encoding=enc, newline="")  # noqa: SIM115 - closed by the generator
    lines = _Lines(p, fh_text, quoted=delimiter != "\t")
    reader = csv.reader(iter(lines), delimiter=delimiter, quotechar='"', strict=False)
    if delimiter == "\t":
        reader = csv.reader(iter(lines), delimiter="\t", quoting=csv.QUOTE_NONE)

    def generate() -> Iterator[tuple[int, list[str]]]:
        with fh_text:
            try:
                for row in reader:
                    if lines.inside:  # csv read to the end of the file inside quotes
                        raise FormatError(
                            f"a quoted cell opened here is never closed: it would swallow "
                            f"lines {lines.opened}–{lines.number} into one cell. Close the "
                            'quote (a " inside a cell is written "")',
                            path=p,
                            line=lines.opened,
                        )
                    if row and any(c.strip() for c in row):
                        yield lines.number, [c.rstrip("\r\n") for c in row]
            except csv.Error as exc:
                raise FormatError(f"bad CSV: {exc}", path=p, line=lines.number) from exc

    return generate(), lines


def _direction(rows: list[tuple[int, list[str]]], path: str) -> list[str | None]:
    """Fields for a headerless file: which of the first two columns is Chinese."""
    first = sum(1 for _, r in rows if has_han(r[0]) and not (len(r) > 1 and has_han(r[1])))
    second = sum(1 for _, r in rows if len(r) > 1 and has_han(r[1]) and not has_han(r[0]))
    both = sum(1 for _, r in rows if len(r) > 1 and has_han(r[0]) and has_han(r[1]))
    if first == second == 0 and not both:
        raise FormatError(
            "no Chinese text in the first two columns; termbase imports Chinese–English "
            "glossaries. If a column holds Chinese, pass --columns (e.g. --columns en,zh,note)",
            path=path,
        )
    if second > first:
        return ["en", "zh", "note"]
    return ["zh", "en", "note"]


def count_units(path: str | os.PathLike[str]) -> int:
    """About how many entries :func:`read` yields (lines), for a progress bar's total."""
    return count_marks(path, (b"\n",))


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Stream the entries of a CSV/TSV glossary.

    Options: ``columns`` (``"zh,en,note"`` / ``"1=zh,2=en"``), ``encoding``,
    ``delimiter``, ``header`` (True/False: force or refuse a header row),
    ``skip_bad_lines`` (skip rows lacking their Chinese term or translation;
    their errors go to the list passed as ``skipped``).
    """
    p = check_readable_file(path)
    if os.path.getsize(p) == 0:
        raise FormatError("the file is empty (0 bytes)", path=p)
    rows, lines = _rows(p, options)
    mapper, pending = _mapper(p, rows, lines, options)
    entries = entries_of(mapper, itertools.chain(pending, rows), options)
    if mapper.own and not mapper.split:
        entries = _regroup(entries)
    yield from entries


def _regroup(entries: Iterable[Entry]) -> Iterator[Entry]:
    """Our own OmegaT TSV: consecutive lines of one Chinese term are one concept;
    a comment starting ``proposed`` marks an entry not yet approved (the others
    are approved), ``admitted`` an admitted rendering, ``avoid: …``
    lists deprecated ones (dropped: they are in no target cell)."""
    current: Entry | None = None
    for entry in entries:
        parts = [x for x in entry.note.split("; ") if x] if entry.note else []
        status = TermStatus.PREFERRED
        entry.review = Review.APPROVED
        if parts and parts[0] == "proposed":
            entry.review, parts = Review.PROPOSED, parts[1:]
        if parts and parts[0] == "admitted":
            status, parts = TermStatus.ADMITTED, parts[1:]
        parts = [x for x in parts if not x.startswith("avoid: ")]
        en = [t for t in entry.terms if not is_chinese(t.lang)]
        for t in en:
            t.status, t.note = status, "; ".join(parts)
        entry.note = ""
        if current is not None and current.zh == entry.zh:
            current.terms.extend(en)
            continue
        if current is not None:
            yield current
        current = entry
    if current is not None:
        yield current


def _mapper(
    p: str,
    rows: Iterator[tuple[int, list[str]]],
    lines: _Lines,
    options: dict[str, Any],
) -> tuple[RowMapper, list[tuple[int, list[str]]]]:
    first = next(rows, None)
    if first is None:
        raise FormatError("no rows: the file holds only comments or blank lines", path=p)
    header_opt = options.get("header")
    is_header = looks_like_header(first[1]) if header_opt is None else bool(header_opt)
    own = OWN_MARK in lines.comments or tuple(first[1]) == WRITE_COLUMNS
    spec = options.get("columns")
    if spec:
        fields = parse_columns(str(spec), len(first[1]))
        headers = first[1] if is_header else []
        pending = [] if is_header else [first]
        return RowMapper(fields, p, headers, split=is_header, own=own), pending
    if is_header:
        return RowMapper(map_header(first[1]), p, list(first[1]), own=own), []
    pending = [first, *itertools.islice(rows, _DIRECTION_ROWS)]
    fields = _direction(pending, p)
    return RowMapper(fields, p, [], split=False, own=own), pending


def read_segments(path: str | os.PathLike[str], **options: Any) -> Iterator[Segment]:
    """Sentence pairs of a two-column TSV/CSV translation memory.

    The first column is the source, the second the target; languages are
    zh-CN/en by which column holds Chinese (``source_lang``/``target_lang``
    options override).  A header row such as ``zh,en`` is skipped.
    """
    p = check_readable_file(path)
    if os.path.getsize(p) == 0:
        raise FormatError("the file is empty (0 bytes)", path=p)
    rows, _ = _rows(p, options)
    first = next(rows, None)
    if first is None:
        raise FormatError("no rows: the file holds only comments or blank lines", path=p)
    pending = [first] if not looks_like_header(first[1]) else []
    pending.extend(itertools.islice(rows, _DIRECTION_ROWS))
    if "source_lang" in options or "target_lang" in options:
        langs = (options.get("source_lang", ZH), options.get("target_lang", EN))
    else:
        langs = (ZH, EN) if _direction(pending, p)[0] == "zh" else (EN, ZH)
    origin = shown_name(p)
    for number, cells in itertools.chain(pending, rows):
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            raise FormatError(
                "a translation-memory row needs a source and a target cell",
                path=p,
                line=number,
            )
        yield Segment(cells[0].strip(), cells[1].strip(), langs[0], langs[1], origin=origin)


def sniff(head: bytes) -> bool:
    """True for an OmegaT glossary (its first-line comment)."""
    return head.lstrip(codecs.BOM_UTF8).startswith(b"# Glossary in tab-separated format")


# ------------------------------------------------------------------ writing


def _dialect(path: str, option: str | None) -> str:
    if option:
        if option not in ("csv", "tsv", "omegat"):
            raise FormatError(f"unknown dialect {option!r}; use csv or tsv", path=path)
        return "csv" if option == "csv" else "tsv"
    return "csv" if path.lower().endswith(".csv") else "tsv"


def write(entries: Iterable[Entry], path: str | os.PathLike[str], **options: Any) -> int:
    """Write *entries* as a CSV table or an OmegaT glossary; returns the entry count.

    ``dialect="csv"`` or ``"tsv"`` chooses; by default ``.csv`` files get
    the table and every other name the OmegaT TSV.  CSV files are UTF-8
    with a BOM (so Excel shows Chinese) and CRLF line ends (RFC 4180).
    """
    p = os.fspath(path)
    if _dialect(p, options.get("dialect")) == "csv":
        return _write_csv(entries, p)
    return _write_tsv(entries, p)


def _write_csv(entries: Iterable[Entry], p: str) -> int:
    count = 0
    with atomic_output(p, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(WRITE_COLUMNS)
        for entry in entries:
            row = entry_row(entry)
            out.writerow([neutralise(row[c]) for c in WRITE_COLUMNS])
            count += 1
    return count


def _tsv_cell(text: str) -> str:
    return neutralise(re.sub(r"[\t\r\n]+", " ", text).strip())


def tsv_lines(entry: Entry) -> list[tuple[str, str, str]]:
    """(source, target, comment) lines of *entry* for an OmegaT glossary."""
    zh = entry.zh
    if not zh:
        return []
    en = entry.en_terms
    deprecated = [t.text for t in en if t.status.rank >= TermStatus.DEPRECATED.rank]
    out = []
    for t in en:
        if t.status not in (TermStatus.PREFERRED, TermStatus.ADMITTED):
            continue
        parts = [] if t.status is TermStatus.PREFERRED else ["admitted"]
        if entry.review is Review.PROPOSED:
            parts.insert(0, "proposed")  # not yet approved: OmegaT shows the comment
        if t.note:
            parts.append(t.note)
        if deprecated and t.status is TermStatus.PREFERRED:
            parts.append("avoid: " + ", ".join(deprecated))
        out.append((zh, t.text, "; ".join(parts)))
    return out


def _write_tsv(entries: Iterable[Entry], p: str) -> int:
    count = 0
    with atomic_output(p, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(OMEGAT_HEAD + "\n" + OWN_MARK + "\n")
        for entry in entries:
            lines = tsv_lines(entry)
            for src, tgt, comment in lines:
                cells = [_tsv_cell(src), _tsv_cell(tgt)]
                if comment:
                    cells.append(_tsv_cell(comment))
                fh.write("\t".join(cells) + "\n")
            count += 1 if lines else 0
    return count
