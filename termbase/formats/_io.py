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
from collections.abc import Iterator

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


#: Codecs that are text encodings to Python but cannot hold a file (IDNA host names,
#: Python string escapes): naming one in --encoding or a coding comment is an error.
_NOT_FILE_ENCODINGS = {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"}


def text_encoding(name: str, path: str, *, where: str = "--encoding") -> str:
    """*name* as a codec name if files can be decoded with it, else FormatError.

    Refuses unknown names, byte-to-byte codecs (``rot13``, ``hex_codec``,
    ``base64_codec``) and text codecs that are not file encodings (``idna``).
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        raise FormatError(
            f"unknown encoding {name[:40]!r} ({where}); use utf-8, gb18030, big5, utf-16 …",
            path=path,
        ) from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        raise FormatError(
            f"{name[:40]!r} ({where}) is not a text file encoding; use utf-8, gb18030, big5, "
            "utf-16 …",
            path=path,
        )
    return info.name


#: Stands in for undecodable bytes while :func:`decode_error_line` looks for them.
_MARK = "\U0010ffff"


def decode_error_line(path: str, encoding: str, chunk: int = 1 << 20) -> int | None:
    """The line (1-based) of the first bytes of *path* that are not valid *encoding*.

    Reads in chunks (constant memory), so the line is right even when the
    error was met while a reader was buffering lines ahead.
    """
    found: list[bool] = []

    def mark(exc: UnicodeError) -> tuple[str, int]:
        found.append(True)
        return _MARK, getattr(exc, "end", 0)

    name = f"termbase-mark-{id(found)}"
    codecs.register_error(name, mark)
    decoder = codecs.getincrementaldecoder(encoding)(errors=name)
    lines = 1
    try:
        with open(path, "rb") as fh:
            while True:
                data = fh.read(chunk)
                text = decoder.decode(data, final=not data)
                if found:
                    return lines + text[: text.index(_MARK)].count("\n")
                lines += text.count("\n")
                if not data:
                    return None
    except (OSError, LookupError, ValueError):
        return None


def detect_encoding(head: bytes, declared: str | None = None) -> str:
    """Best encoding for a file starting with *head* (BOM, then declared, then sniffing)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if declared:
        return declared
    # UTF-32 without BOM: ASCII and CJK code points leave two or three NUL bytes in
    # every four (tested before UTF-16, which would also match)
    if len(head) >= 8 and head[2::4].count(0) + head[3::4].count(0) > len(head) // 4:
        return "utf-32-le"
    if len(head) >= 8 and head[0::4].count(0) + head[1::4].count(0) > len(head) // 4:
        return "utf-32-be"
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
    enc = text_encoding(encoding, p) if encoding else detect_encoding(data[:65536])
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(enc, "replace").count("\n") + 1
        raise FormatError(
            f"bytes not valid {enc} (offset {exc.start}); save the file as UTF-8 "
            f"or pass --encoding",
            path=p,
            line=line,
        ) from exc
    return text.lstrip("\ufeff")


def iter_lines(
    path: str | os.PathLike[str], encoding: str | None = None, *, longest: int = -1
) -> Iterator[str]:
    """The lines of a text file, decoded as :func:`read_text` does, without line ends.

    Streams: memory stays bounded by the longest line, whatever the file's size;
    with *longest* (characters), a longer line comes in pieces of that length,
    so that a file without line breaks is streamed too.
    """
    p = check_readable_file(path)
    with open(p, "rb") as fh:
        head = fh.read(65536)
    enc = text_encoding(encoding, p) if encoding else detect_encoding(head)
    number = 0
    with open(p, encoding=enc, errors="strict", newline=None) as fh:
        try:
            for number, line in enumerate(iter(lambda: fh.readline(longest), ""), 1):
                yield (line.lstrip("\ufeff") if number == 1 else line).rstrip("\n")
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"bytes not valid {enc}; save the file as UTF-8 or pass --encoding",
                path=p,
                line=decode_error_line(p, enc) or number + 1,
            ) from exc


def open_text(path: str | os.PathLike[str], encoding: str | None = None) -> io.StringIO:
    """The decoded content of *path* as a file-like object (universal newlines)."""
    return io.StringIO(read_text(path, encoding), newline=None)


#: Bytes read at a time by :func:`count_marks`.
COUNT_CHUNK = 1 << 20


def count_marks(path: str | os.PathLike[str], marks: tuple[bytes, ...]) -> int:
    """How many times any of *marks* occurs in the file (raw bytes, streamed).

    A quick estimate of the units a reader will yield, for a progress bar's
    total: a 150 MB file is counted in a fraction of a second.
    """
    longest = max(len(m) for m in marks)
    total = 0
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(COUNT_CHUNK):
            data = tail + chunk
            # count marks that start before the kept tail, so none is counted twice
            limit = len(data) - (longest - 1)
            for mark in marks:
                total += data.count(mark, 0, limit + len(mark) - 1)
            tail = data[limit:] if limit > 0 else data
    return total + sum(tail.count(mark) for mark in marks)
