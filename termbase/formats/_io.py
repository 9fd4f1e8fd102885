"""Shared file helpers for format modules: output and text decoding.

Writers use :func:`termbase.fileio.atomic_output` (re-exported here): an
interrupted export never leaves half a file.  ``open_text`` decodes a text
file whose encoding is not declared: BOM first (UTF-8, UTF-32LE/BE, UTF-16LE/BE;
UTF-32 before UTF-16 because the UTF-32LE mark begins with the UTF-16LE one), then strict UTF-8, then
GB18030 (a superset of GBK/GB2312, what Chinese Excel exports use).
"""

from __future__ import annotations

import codecs
import io
import os

from termbase.errors import FormatError
from termbase.fileio import atomic_output

__all__ = ["atomic_output", "check_readable_file", "detect_encoding", "open_text", "read_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(head: bytes, declared: str | None = None) -> str:
    """Best encoding for a file starting with *head* (BOM, then declared, then sniffing)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if declared:
        return declared
    # UTF-16 without BOM: many NUL bytes in alternate positions.
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4:
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4:
        return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
    return "gb18030"


def check_readable_file(path: str | os.PathLike[str]) -> str:
    """Return *path* as str, or raise FormatError if it is missing or not a regular file."""
    p = os.fspath(path)
    if os.path.isdir(p):
        raise FormatError("is a directory; give the path of a file", path=p)
    if not os.path.exists(p):
        raise FormatError("no such file; check the path", path=p)
    return p


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Read a whole text file, decoding as :func:`detect_encoding` decides.

    Raises FormatError naming the line where decoding failed.
    """
    p = check_readable_file(path)
    with open(p, "rb") as fh:
        data = fh.read()
    enc = encoding or detect_encoding(data[:65536])
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        if isinstance(exc, LookupError):
            raise FormatError(f"unknown encoding {enc!r}; pass a valid --encoding", path=p) from exc
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(
            f"bytes not valid {enc} (offset {exc.start}); save the file as UTF-8 "
            f"or pass --encoding",
            path=p,
            line=line,
        ) from exc
    return text.lstrip("\ufeff")


def open_text(path: str | os.PathLike[str], encoding: str | None = None) -> io.StringIO:
    """The decoded content of *path* as a file-like object (universal newlines)."""
    return io.StringIO(read_text(path, encoding), newline=None)
