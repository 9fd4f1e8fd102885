"""Registry of file formats: one module per format, looked up lazily.

Every format module defines, at module level:

``NAME``          short name used by ``--format`` (``"tbx"``)
``EXTENSIONS``    file name endings it claims (``(".tbx",)``)
``DESCRIPTION``   one line for ``--help`` and docs
``read(path, **options) -> Iterator[Entry]``      (absent when it cannot read)
``write(entries, path, **options) -> int``         (absent when it cannot write)
``sniff(head: bytes) -> bool``                     (optional: recognise content)

Formats that carry translation-memory segments also define
``read_segments(path, **options) -> Iterator[Segment]`` and
``write_segments(segments, path, **options) -> int``.

Readers stream (constant memory) and raise :class:`termbase.errors.FormatError`
naming file, line and column.  Writers write through
:func:`termbase.formats._io.atomic_output`, so a failed export never leaves
half a file.  Modules are imported only when used, so that importing
``termbase`` stays fast.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from termbase.errors import InvalidValueError

#: name -> module path.  Order matters for content sniffing.
_FORMATS: dict[str, str] = {
    "tbx": "termbase.formats.tbx",
    "tbx2008": "termbase.formats.tbx",
    "tmx": "termbase.formats.tmx",
    "xliff": "termbase.formats.xliff",
    "po": "termbase.formats.po",
    "csv": "termbase.formats.delimited",
    "tsv": "termbase.formats.delimited",
    "xlsx": "termbase.formats.xlsx",
    "cedict": "termbase.formats.cedict",
}

#: extension -> format name (lower-case, with the dot).
_EXTENSIONS: dict[str, str] = {
    ".tbx": "tbx",
    ".tmx": "tmx",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".po": "po",
    ".pot": "po",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "tsv",
    ".utf8": "tsv",
    ".xlsx": "xlsx",
    ".u8": "cedict",
}


def names() -> list[str]:
    """Every registered format name."""
    return list(_FORMATS)


def get(name: str) -> ModuleType:
    """The module of format *name*; raises InvalidValueError for unknown names."""
    key = name.lower()
    if key not in _FORMATS:
        raise InvalidValueError(f"unknown format {name!r}; choose one of: {', '.join(_FORMATS)}")
    return importlib.import_module(_FORMATS[key])


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
    for name in _FORMATS:
        if name in ("tbx2008", "tsv"):
            continue
        try:
            module = importlib.import_module(_FORMATS[name])
        except ImportError:
            continue
        sniff = getattr(module, "sniff", None)
        if head and sniff is not None and sniff(head):
            return name
    ext = os.path.splitext(p)[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    raise InvalidValueError(
        f"{p}: cannot tell the format from the name or the content; "
        f"pass --format with one of: {', '.join(_FORMATS)}"
    )
