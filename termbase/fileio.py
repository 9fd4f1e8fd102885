"""The one way termbase writes a file: atomically, safely, or as a stream.

Every export, backup and cache file is written through :func:`atomic_path`
or :func:`atomic_output`:

* A regular file (or a path that does not exist yet) is written to a
  temporary file with a unique name, created with ``O_EXCL`` (``mkstemp``)
  in the target's own folder, so it never follows a link planted there and
  two writers never share one; it is flushed, synced and renamed over the
  target only when complete.  A failed or interrupted write leaves the
  target as it was.  A symbolic link to a regular file keeps being a link:
  the file it points at is replaced.  The new file keeps the permission
  bits of the file it replaces (a 0600 file stays 0600); a new file gets
  the usual mode (0666 less the umask).
* A character device or a pipe (``/dev/null``, ``/dev/stdout``, a FIFO) is
  opened and streamed to; it is never replaced by a regular file.
* ``-`` means standard output.

:func:`check_output` is the rule for which paths may be written at all: never
an open database or its ``-wal``/``-shm`` files, never any SQLite file unless
the user forces it.  Every failure is an :class:`~termbase.errors.OutputError`
saying what and how to fix it.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from termbase.errors import OutputError

#: The first 16 bytes of every SQLite 3 database file.
SQLITE_MAGIC = b"SQLite format 3\x00"

#: The name that means standard output.
STDOUT = "-"

#: Files SQLite keeps beside a database while it is open.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def shown_name(path: str | os.PathLike[str]) -> str:
    """The file name of *path* as text that can be printed and stored.

    A name that is not UTF-8 arrives with its bytes as lone surrogates
    (Python's ``surrogateescape``); they become U+FFFD here.
    """
    name = os.path.basename(os.fspath(path))
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_sqlite_file(path: str) -> bool:
    """True when *path* is a readable file starting with the SQLite header."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_output(
    path: str | os.PathLike[str], *, databases: Iterable[str] = (), force: bool = False
) -> str:
    """Raise OutputError when *path* must not be written; else return it as str.

    *databases* are the database files in use: neither they nor their
    ``-wal``/``-shm``/``-journal`` files are ever written over, with or without
    *force*.  Any other SQLite file is refused unless *force*.
    """
    target = os.fspath(path)
    if not target:
        raise OutputError("no output file given; name the file to write (or - for the screen)")
    if target == STDOUT:
        return target
    for db in databases:
        if not db or db == ":memory:":
            continue
        for suffix in ("", *SQLITE_SIDE_FILES):
            if _same_file(target, db + suffix):
                raise OutputError(
                    f"{target}: is the open database{' ' + suffix[1:] + ' file' if suffix else ''}"
                    f" ({db}); writing there would destroy it. Choose another file name"
                )
    if os.path.isdir(target):
        raise OutputError(f"{target}: is a directory; give the name of a file to write")
    if not force and os.path.isfile(target) and is_sqlite_file(target):
        raise OutputError(
            f"{target}: is an SQLite database; it is not overwritten. Choose another file "
            "name, or pass --force if you really mean to replace that database"
        )
    return target


def _explain(exc: OSError, target: str) -> OutputError:
    """An OSError met while writing *target*, as what to do about it."""
    folder = os.path.dirname(os.path.abspath(target))
    if exc.errno == errno.ENOENT:
        text = f"the folder {folder} does not exist; create it first or choose another path"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = f"no permission to write in {folder} (read-only?); choose another folder"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        text = "the disk is full; free some space or write to another disk"
    elif exc.errno == errno.ENOTDIR:
        text = "a part of the path is a file, not a folder; check the path"
    else:
        text = f"cannot write it ({exc.strerror or exc}); check the path"
    return OutputError(f"{target}: {text}; nothing was written")


def _is_stream(target: str) -> bool:
    """True for an existing character device, pipe or socket (followed through links)."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], *, prefix: str = "") -> Iterator[str]:
    """A fresh, empty temporary file beside *path*; renamed to *path* on success.

    For writers that need a path rather than a file object (SQLite's backup
    API).  The temporary file is removed when the block fails.
    """
    target = os.path.realpath(os.fspath(path)) if os.path.islink(path) else os.fspath(path)
    if os.path.isdir(target):
        raise OutputError(f"{target}: is a directory; give the name of a file to write")
    directory = os.path.dirname(os.path.abspath(target))
    base = os.path.basename(target)
    try:
        keep_mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        keep_mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{prefix or base}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise _explain(exc, target) from exc
    try:
        try:
            os.fchmod(fd, keep_mode)
        finally:
            os.close(fd)
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _sync_folder(directory)
    except OSError as exc:
        _unlink(tmp)
        raise _explain(exc, target) from exc
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_folder(directory: str) -> None:
    """Make the rename durable (best effort: some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO]:
    """Open *path* for writing as the module docstring says; yields a file object.

    Text mode (``"w"``) or binary (``"wb"``).  On any exception the target is
    left untouched (for regular files) and the temporary file removed.
    """
    target = os.fspath(path)
    binary = "b" in mode
    if target == STDOUT:
        with _stdout(binary, encoding, newline) as fh:
            yield fh
        return
    if _is_stream(target):
        try:
            raw: IO[bytes] = open(target, "wb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise _explain(exc, target) from exc
        try:
            with _wrap(raw, binary, encoding, newline) as fh:
                yield fh
        except OSError as exc:
            raise _explain(exc, target) from exc
        return
    with (
        atomic_path(target) as tmp,
        open(tmp, "wb") as out,
        _wrap(out, binary, encoding, newline) as fh,
    ):
        yield fh


@contextlib.contextmanager
def _layer(raw: IO[bytes], binary: bool, encoding: str | None, newline: str | None) -> Iterator[IO]:
    """*raw* itself (binary) or a text layer over it, flushed at the end; *raw* stays open."""
    if binary:
        yield raw
        raw.flush()
        return
    text = io.TextIOWrapper(raw, encoding=encoding or "utf-8", newline=newline)
    try:
        yield text
        text.flush()
    finally:
        with contextlib.suppress(ValueError, OSError):
            text.detach()


@contextlib.contextmanager
def _wrap(raw: IO[bytes], binary: bool, encoding: str | None, newline: str | None) -> Iterator[IO]:
    """:func:`_layer` over *raw*, then *raw* closed."""
    try:
        with _layer(raw, binary, encoding, newline) as fh:
            yield fh
    finally:
        raw.close()


@contextlib.contextmanager
def _stdout(binary: bool, encoding: str | None, newline: str | None) -> Iterator[IO]:
    """Standard output as a binary or text stream (left open)."""
    sys.stdout.flush()
    buffer: IO[bytes] = getattr(sys.stdout, "buffer", None) or sys.stdout  # type: ignore[assignment]
    try:
        with _layer(buffer, binary, encoding, newline) as fh:
            yield fh
    except BrokenPipeError:  # the reader went away (| head): not an error of ours
        return
    except OSError as exc:
        raise _explain(exc, "standard output") from exc


def unique_path(base: str, suffix: str = ".bak") -> str:
    """A new, empty file ``BASE-YYYYmmddTHHMMSSZ[-N]SUFFIX``, created with ``O_EXCL``.

    Used for the safety copies termbase makes on its own (before a restore, a
    migration, a replacing import): each gets a name no other copy has, so no
    copy is ever overwritten.  The caller replaces the empty file through
    :func:`atomic_path`.
    """
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1000):
        candidate = f"{base}-{stamp}{'' if n == 0 else f'-{n}'}{suffix}"
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _explain(exc, candidate) from exc
        os.close(fd)
        return candidate
    raise OutputError(f"{base}: too many safety copies with the same time stamp; try again")
