"""Shared file helpers for format modules: atomic output and text decoding.

``atomic_output`` writes to a temporary file next to the target and renames
it into place only when the writer finished, so an interrupted export never
leaves half a file.  ``open_text`` decodes a text file whose encoding is
not declared: BOM first (UTF-8, UTF-16LE/BE), then strict UTF-8, then
GB18030 (a superset of GBK/GB2312, what Chinese Excel exports use).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from typing import IO

from termbase.errors import FormatError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO]:
    """Open a temporary file beside *path*; on success rename it to *path*.

    On any exception the temporary file is removed and *path* is untouched.
    """
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise FormatError("is a directory, not a file; give a file name to write", path=target)
    fd, tmp = tempfile.mkstemp(prefix=".termbase-", suffix=".part", dir=directory)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
    try:
        if "b" in mode:
            fh: IO = os.fdopen(fd, mode)
        else:
            fh = os.fdopen(fd, mode, encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
