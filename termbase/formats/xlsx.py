"""XLSX glossaries through openpyxl (read and write).

Reading streams rows (``read_only=True``) of the first sheet (``sheet=``
picks another by name).  The first row is the header and is mapped exactly
as in CSV (:func:`termbase.formats._table.map_header`: English or
Chinese names, language names such as ``English_word``; ``columns=``
overrides); several terms in one cell are separated by ``|`` or ``;``.
Cells that are numbers, booleans or dates are read as their text.  A sheet
without a Chinese column is a :class:`~termbase.errors.FormatError` that
lists the columns found and says to pass ``columns=…``.

Writing streams rows (``write_only=True``) with the CSV table's columns
(:data:`termbase.formats._table.WRITE_COLUMNS`), one row per concept.
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
from typing import IO, Any

from termbase.errors import FormatError, UnsafeFileError
from termbase.formats._io import atomic_output, check_readable_file
from termbase.formats._table import (
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


#: The most a workbook may unpack to, in all and for its shared-strings table (which
#: openpyxl holds in memory whole, even in read-only mode).  A glossary of 100,000
#: rows needs a fraction of either; more is a zip bomb or not a glossary.
MAX_UNPACKED_BYTES = 1 << 30
MAX_SHARED_STRINGS_BYTES = 100 << 20


def _check_archive(fh: IO[bytes], p: str) -> None:
    """Refuse a workbook that unpacks to too much or whose XML declares a DTD.

    zipfile never inflates a member beyond the size its directory declares, so
    the declared sizes bound what reading can cost.  A document type
    declaration (entities, external DTDs) has no place in an XLSX part.
    """
    with zipfile.ZipFile(fh) as archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED_BYTES:
            raise FormatError(
                f"the workbook unpacks to {total >> 20:,} MB, more than the "
                f"{MAX_UNPACKED_BYTES >> 20:,} MB termbase reads (a zip bomb?); "
                "save the glossary again from Excel or LibreOffice, or as CSV",
                path=p,
            )
        for member in members:
            name = member.filename
            if name.lower().endswith("sharedstrings.xml") and (
                member.file_size > MAX_SHARED_STRINGS_BYTES
            ):
                raise FormatError(
                    f"the workbook's text table ({name}) unpacks to "
                    f"{member.file_size >> 20:,} MB, more than the "
                    f"{MAX_SHARED_STRINGS_BYTES >> 20} MB termbase reads (a zip bomb?); "
                    "split the glossary or save it as CSV",
                    path=p,
                )
            if name.lower().endswith((".xml", ".rels")):
                with archive.open(member) as part:
                    head = part.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise UnsafeFileError(
                        f"the workbook part {name} declares a DTD (entities or an external "
                        "document type); termbase does not read it. Save the workbook again "
                        "from Excel or LibreOffice",
                        path=p,
                    )
    fh.seek(0)


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
    SyntaxError,  # XML the parser cannot read (ElementTree's and lxml's ParseError)
)


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Stream glossary entries from a workbook.

    Options: ``sheet`` (name), ``columns``, ``header`` (False: the first row
    is data, only with ``columns``), ``skip_bad_lines``/``skipped`` as for CSV.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    p = check_readable_file(path)
    if os.path.getsize(p) == 0:
        raise FormatError("the file is empty (0 bytes)", path=p)
    # opened here, not by name: openpyxl refuses names not ending in .xlsx, and a
    # file given with --format xlsx should be read as what it claims to be
    fh = open(p, "rb")  # noqa: SIM115 - closed in the finally below
    try:
        _check_archive(fh, p)
        book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except (*_DAMAGED, InvalidFileException) as exc:
        fh.close()
        raise FormatError(
            f"not a readable XLSX workbook ({exc}); save it again from Excel or "
            "LibreOffice as .xlsx",
            path=p,
        ) from exc
    except BaseException:
        fh.close()
        raise
    try:
        sheet = options.get("sheet")
        if sheet is not None and sheet not in book.sheetnames:
            raise FormatError(
                f"no sheet named {sheet!r}; the sheets are: {', '.join(book.sheetnames)}",
                path=p,
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        # the <dimension> a sheet declares may lie (A1:B3 on an 11-row sheet): read
        # every row there is instead of trusting it
        with contextlib.suppress(AttributeError):
            ws.reset_dimensions()
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
        fh.close()


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
            _save(book, fh)
    except BaseException:
        _discard(ws)
        raise
    return count


def _save(book: Any, fh: IO[bytes]) -> None:
    """openpyxl's save into *fh*; on failure the archive is dropped, not closed later.

    openpyxl leaves the zip archive open when a write fails (a full disk); its
    finaliser would then seek in a closed file and print a traceback.
    """
    from openpyxl.writer.excel import ExcelWriter

    archive = zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).save()
    except BaseException:
        archive.fp = None  # nothing more may be written: the output is abandoned
        raise


def _discard(ws: Any) -> None:
    """Close a write-only sheet whose input failed and remove its temporary file."""
    with contextlib.suppress(Exception):
        ws.close()
    out = getattr(getattr(ws, "_writer", None), "out", None)
    if isinstance(out, str):
        with contextlib.suppress(OSError):
            os.remove(out)
