"""XLSX glossaries (openpyxl): the spreadsheet translators actually keep.

Reading streams rows (``read_only=True``) from the first sheet (``sheet=``
picks another) and maps them exactly as CSV does
(:func:`termbase.formats.delimited.rows_to_entries`: header names in
English or Chinese, ``columns=`` to override, ``|`` between synonyms).

Writing streams rows (``write_only=True``) with the CSV columns, one row
per concept; every cell is written as a string and neutralised against
formula injection.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from termbase.errors import FormatError
from termbase.formats._io import atomic_output, check_readable_file
from termbase.formats.delimited import CSV_COLUMNS, entry_row, neutralise, rows_to_entries
from termbase.model import Entry

NAME = "xlsx"
EXTENSIONS = (".xlsx",)
DESCRIPTION = "Excel workbook (one row per concept)"


def sniff(head: bytes) -> bool:
    """XLSX is a zip file; recognised by extension, not by content."""
    return False


def read(path: str | os.PathLike[str], *, columns: str | None = None,
         sheet: str | None = None, **options: Any) -> Iterator[Entry]:
    """Stream glossary entries from a workbook."""
    import openpyxl

    p = check_readable_file(path)
    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FormatError(f"not a readable XLSX workbook ({exc}); save it again from Excel "
                          "or LibreOffice as .xlsx", path=p) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise FormatError(f"no sheet named {sheet!r}; the sheets are: "
                              f"{', '.join(book.sheetnames)}", path=p)
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = ((i, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True), 1))
        yield from rows_to_entries(rows, f"{p} (sheet {ws.title}, row", columns)
    finally:
        book.close()


def write(entries: Iterable[Entry], path: str | os.PathLike[str], **options: Any) -> int:
    """Write concepts to a workbook, one row each."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("termbase")
    ws.append(CSV_COLUMNS)
    count = 0
    for entry in entries:
        count += 1
        row = entry_row(entry)
        cells = []
        for column in CSV_COLUMNS:
            cell = WriteOnlyCell(ws, value=neutralise(row[column]))
            cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)
    with atomic_output(path, "wb") as fh:
        book.save(fh)
    return count
