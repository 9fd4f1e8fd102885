"""The one registry of file formats: each declared once, its module imported when used.

A :class:`Format` says everything the rest of termbase needs to know about a
format without importing its module: the name used by ``--format``, the file
name endings it claims, what it can read and write, and the options its
writer is given by default (``tbx2008`` is the TBX module writing TBX 2008;
``csv`` and ``tsv`` are the delimited module with its dialect).  A test
checks that each module really offers what its declaration says.

A format module offers, at module level, as its declaration says:

``read(path, **options) -> Iterator[Entry]``               (``reads``)
``write(entries, path, **options) -> int``                  (``writes``)
``read_segments(path, **options) -> Iterator[Segment]``     (``reads_segments``)
``write_segments(segments, path, **options) -> int``        (``writes_segments``)
``sniff(head: bytes) -> bool``                              (``sniffs``: recognises content)

Readers stream (constant memory) and raise :class:`termbase.errors.FormatError`
naming file, line and column.  Writers write through
:func:`termbase.formats._io.atomic_output`, so a failed export never leaves
half a file.  Format modules speak only the model: none imports another
format or the store (shared helpers live in the ``_``-prefixed modules).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from termbase.errors import InvalidValueError


@dataclass(frozen=True)
class Format:
    """The declaration of one format.

    Attributes:
        name: the ``--format`` name.
        module: the module implementing it (imported on first use).
        description: one line for ``--help`` and docs.
        extensions: file name endings that name this format for any file.
        glossary_extensions: further endings taken as this format only for a
            glossary import or export (``.txt`` is an OmegaT glossary there,
            plain text elsewhere).
        reads / writes: entries (a glossary).
        reads_segments / writes_segments: translation-memory pairs.
        sniffs: content sniffing may pick this format (aliases do not).
        write_options: options its writer gets unless the caller gives them.
    """

    name: str
    module: str
    description: str
    extensions: tuple[str, ...]
    glossary_extensions: tuple[str, ...] = ()
    reads: bool = True
    writes: bool = True
    reads_segments: bool = False
    writes_segments: bool = False
    sniffs: bool = True
    write_options: Mapping[str, Any] = field(default_factory=dict)

    def load(self) -> ModuleType:
        """The module of this format."""
        return importlib.import_module(self.module)


#: Every format, in the order content sniffing tries them.
FORMATS: tuple[Format, ...] = (
    Format(
        "tbx",
        "termbase.formats.tbx",
        "TBX: ISO 30042:2019 TBX-Basic (write) and TBX 2008 martif (--format tbx2008)",
        (".tbx",),
    ),
    Format(
        "tbx2008",
        "termbase.formats.tbx",
        "TBX 2008 (martif), for OmegaT and Weblate",
        (),
        sniffs=False,
        write_options={"version": "2008"},
    ),
    Format(
        "tmx",
        "termbase.formats.tmx",
        "TMX 1.4b translation memory (reads TMX 1.1 too; UTF-8/UTF-16)",
        (".tmx",),
        reads_segments=True,
        writes_segments=True,
    ),
    Format(
        "xliff",
        "termbase.formats.xliff",
        "XLIFF 1.2 / 2.0 bilingual files (segments; 2.0 glossary module as entries)",
        (".xlf", ".xliff"),
        writes=False,
        reads_segments=True,
        writes_segments=True,
    ),
    Format(
        "po",
        "termbase.formats.po",
        "gettext PO (msgid Chinese term, msgstr preferred English)",
        (".po",),
        glossary_extensions=(".pot",),
        reads_segments=True,
    ),
    Format(
        "csv",
        "termbase.formats.delimited",
        "CSV glossary (header-mapped table)",
        (".csv",),
        reads_segments=True,
        write_options={"dialect": "csv"},
    ),
    Format(
        "tsv",
        "termbase.formats.delimited",
        "TSV glossary (header-mapped table, OmegaT glossary TSV)",
        (".tsv",),
        glossary_extensions=(".tab", ".txt", ".utf8"),
        reads_segments=True,
        sniffs=False,
        write_options={"dialect": "tsv"},
    ),
    Format(
        "xlsx",
        "termbase.formats.xlsx",
        "Excel workbook (one row per concept)",
        (".xlsx",),
    ),
    Format(
        "cedict",
        "termbase.formats.cedict",
        "CC-CEDICT dictionary (read only)",
        (".u8",),
        writes=False,
    ),
)

_BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}


def names(*, reading: bool = False, writing: bool = False) -> list[str]:
    """Every registered format name; only those that read (or write) glossaries
    when *reading* (or *writing*) is set."""
    return [
        n for n, f in _BY_NAME.items() if (f.reads or not reading) and (f.writes or not writing)
    ]


def info(name: str) -> Format:
    """The declaration of format *name*; raises InvalidValueError for unknown names."""
    found = _BY_NAME.get(name.lower())
    if found is None:
        raise InvalidValueError(f"unknown format {name!r}; choose one of: {', '.join(_BY_NAME)}")
    return found


def get(name: str) -> ModuleType:
    """The module of format *name*; raises InvalidValueError for unknown names."""
    return info(name).load()


def by_extension(path: str | os.PathLike[str], *, glossary: bool = True) -> str | None:
    """The name of the format that *path*'s ending names, or None.

    With ``glossary=False`` the endings a format takes only for glossaries
    (``.txt``, ``.pot`` …) name nothing.
    """
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if not ext:
        return None
    for fmt in FORMATS:
        if ext in fmt.extensions or (glossary and ext in fmt.glossary_extensions):
            return fmt.name
    return None


def for_extension(path: str | os.PathLike[str]) -> str:
    """The name of the format that *path*'s ending names (a glossary ending counts).

    Raises InvalidValueError, with advice to pass ``--format``, when none does.
    """
    name = by_extension(path)
    if name is None:
        p = os.fspath(path)
        ext = os.path.splitext(p)[1].lower()
        raise InvalidValueError(
            f"{p}: cannot tell the format from the extension {ext or '(none)'}; "
            f"pass --format with one of: {', '.join(_BY_NAME)}"
        )
    return name


def guess(path: str | os.PathLike[str]) -> str:
    """Name of the format of *path*: by content where it is clear, else by extension.

    Raises InvalidValueError when neither tells, with advice to pass ``--format``.
    """
    p = os.fspath(path)
    head = b""
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        head = b""
    for fmt in FORMATS:
        if not fmt.sniffs:
            continue
        try:
            module = fmt.load()
        except ImportError:
            continue
        sniff = getattr(module, "sniff", None)
        if head and sniff is not None and sniff(head):
            return fmt.name
    name = by_extension(p)
    if name is not None:
        return name
    raise InvalidValueError(
        f"{p}: cannot tell the format from the name or the content; "
        f"pass --format with one of: {', '.join(_BY_NAME)}"
    )
