"""Who holds the write lock of a database file (Linux: ``/proc/locks``).

SQLite locks with POSIX advisory locks.  A writer holds, in WAL mode, a
write lock on byte :data:`WAL_WRITE_LOCK` of the ``-shm`` file; with a
rollback journal, a write lock on the database file itself.  The kernel
lists every such lock in ``/proc/locks`` as ``ID: POSIX ADVISORY WRITE PID
MAJOR:MINOR:INODE START END``, so the holder is the process whose write lock
covers one of those bytes of the file's inode; ``/proc/PID/cmdline`` says
what it is.  Anything that cannot be read (another system, another user's
process, a process gone meanwhile) gives no name rather than an error.
"""

from __future__ import annotations

import contextlib
import os

#: The byte of the ``-shm`` file whose write lock is SQLite's WAL write lock
#: (``WALINDEX_LOCK_OFFSET`` + ``WAL_WRITE_LOCK`` in SQLite's ``wal.c``).
WAL_WRITE_LOCK = 120

#: How much of a holder's command line a message shows: of each argument (a
#: ``python -c`` script is long), and of the whole.
ARGUMENT_CHARS = 40
COMMAND_CHARS = 160


def _file_id(path: str) -> tuple[int, int, int] | None:
    """``(major, minor, inode)`` of *path* as ``/proc/locks`` shows it (None: no file)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.major(st.st_dev), os.minor(st.st_dev), st.st_ino


def _writers(files: dict[tuple[int, int, int], int | None]) -> list[int]:
    """Pids holding a write lock on one of *files* (file id -> the byte that
    matters, None: any byte), in the order ``/proc/locks`` lists them."""
    pids: list[int] = []
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    for line in lines:
        fields = line.split()
        if "->" in fields:  # a process waiting for the lock, not holding it
            continue
        try:
            kind, access, pid = fields[1], fields[3], int(fields[4])
            major, minor, inode = fields[5].split(":")
            start = int(fields[6])
            end = int(fields[7]) if fields[7] != "EOF" else 1 << 63
            key = (int(major, 16), int(minor, 16), int(inode))
        except (IndexError, ValueError):
            continue
        if kind not in ("POSIX", "OFDLCK") or access != "WRITE" or key not in files:
            continue
        byte = files[key]
        if (byte is None or start <= byte <= end) and pid > 0 and pid not in pids:
            pids.append(pid)
    return pids


def _command(pid: int) -> str:
    """What process *pid* runs, shortened ('' when it cannot be read)."""
    text = ""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/cmdline", "rb") as fh:
        args = [a.decode(errors="replace") for a in fh.read().split(b"\0") if a]
        text = " ".join(_cut(" ".join(a.split()), ARGUMENT_CHARS) for a in args)
    if not text:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/comm", "rb") as fh:
            text = fh.read().decode(errors="replace").strip()
    return _cut(text, COMMAND_CHARS)


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def write_lock_holder(path: str) -> str:
    """The process holding the write lock of the database *path*, as
    ``process PID (COMMAND)``; '' when it cannot be found (or is this process)."""
    files: dict[tuple[int, int, int], int | None] = {}
    for suffix, byte in (("", None), ("-shm", WAL_WRITE_LOCK)):
        found = _file_id(path + suffix)
        if found is not None:
            files[found] = byte
    if not files:
        return ""
    own = os.getpid()
    for pid in _writers(files):
        if pid == own:
            continue
        command = _command(pid)
        return f"process {pid} ({command})" if command else f"process {pid}"
    return ""
