"""XLSX glossaries through openpyxl (read and write).

Reading streams rows (``read_only=True``) of the first sheet (``sheet=``
picks another by name).  The first row is the header and is mapped exactly
as in CSV (:func:`termbase.formats.delimited.map_header`: English or
Chinese names, language names such as ``English_word``; ``columns=``
overrides); several terms in one cell are separated by ``|`` or ``;``.
Cells that are numbers, booleans or dates are read as their text.  A sheet
without a Chinese column is a :class:`~termbase.errors.FormatError` that
lists the columns found and says to pass ``columns=…``.

Writing streams rows (``write_only=True``) with the CSV table's columns
(:data:`termbase.formats.delimited.WRITE_COLUMNS`), one row per concept.
Every cell is a string cell, and text a spreadsheet would run as a formula
is prefixed with ``'`` (removed again when this module reads its own file).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from termbase.errors import FormatError
from termbase.formats._io import atomic_output, check_readable_file
from termbase.formats.delimited import (
    WRITE_COLUMNS,
    RowMapper,
    entries_of,
    entry_row,
    map_header,
    neutralise,
    parse_columns,
)
from termbase.model import Entry

SHEET_TITLE = "termbase"


def sniff(head: bytes) -> bool:
    """XLSX is a zip archive like DOCX: recognised by its extension, not its content."""
    return False


def cell_text(value: Any) -> str:
    """The text of a cell value as a translator sees it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


#: What zipfile, zlib and openpyxl raise on a damaged or hostile workbook (the fuzz test
#: found each of these); every one becomes a FormatError.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    TypeError,
    AttributeError,
    NotImplementedError,
    RuntimeError,
    struct.error,
)


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Stream glossary entries from a workbook.

    Options: ``sheet`` (name), ``columns``, ``header`` (False: the first row
    is data, only with ``columns``), ``skip_bad_lines``/``skipped`` as for CSV.
    """
    import openpyxl

    p = check_readable_file(path)
    if os.path.getsize(p) == 0:
        raise FormatError("the file is empty (0 bytes)", path=p)
    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except _DAMAGED as exc:
        raise FormatError(
            f"not a readable XLSX workbook ({exc}); save it again from Excel or "
            "LibreOffice as .xlsx",
            path=p,
        ) from exc
    try:
        sheet = options.get("sheet")
        if sheet is not None and sheet not in book.sheetnames:
            raise FormatError(
                f"no sheet named {sheet!r}; the sheets are: {', '.join(book.sheetnames)}",
                path=p,
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        where = f"{p} [sheet {ws.title}]"
        rows = (
            (number, [cell_text(v) for v in values])
            for number, values in enumerate(ws.iter_rows(values_only=True), 1)
        )
        first = next(rows, None)
        while first is not None and not any(first[1]):
            first = next(rows, None)
        if first is None:
            raise FormatError(f"sheet {ws.title!r} is empty", path=p)
        headers = [h.strip() for h in first[1]]
        own = tuple(headers[: len(WRITE_COLUMNS)]) == WRITE_COLUMNS
        spec = options.get("columns")
        pending: list[tuple[int, list[str]]] = []
        if spec:
            fields = parse_columns(str(spec), len(headers))
            if options.get("header") is False:
                pending, headers = [first], []
        else:
            fields = map_header(headers)
        mapper = RowMapper(fields, where, headers, own=own)
        yield from entries_of(mapper, [*pending, *rows], options)
    except _DAMAGED as exc:
        # a damaged workbook shows only when its rows are decompressed
        raise FormatError(
            f"the workbook is damaged ({exc}); save it again from Excel or LibreOffice",
            path=p,
        ) from exc
    finally:
        book.close()


def write(entries: Iterable[Entry], path: str | os.PathLike[str], **options: Any) -> int:
    """Write concepts to a one-sheet workbook, one row each; returns the row count."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(SHEET_TITLE)
    ws.append(list(WRITE_COLUMNS))
    count = 0
    try:
        for entry in entries:
            row = entry_row(entry)
            cells = []
            for column in WRITE_COLUMNS:
                cell = WriteOnlyCell(ws, value=neutralise(row[column]))
                cell.data_type = "s"
                cells.append(cell)
            ws.append(cells)
            count += 1
        with atomic_output(path, "wb", encoding=None) as fh:
            book.save(fh)
    except BaseException:
        _discard(ws)
        raise
    return count


def _discard(ws: Any) -> None:
    """Close a write-only sheet whose input failed and remove its temporary file."""
    with contextlib.suppress(Exception):
        ws.close()
    out = getattr(getattr(ws, "_writer", None), "out", None)
    if isinstance(out, str):
        with contextlib.suppress(OSError):
            os.remove(out)
