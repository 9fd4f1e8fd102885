"""One exception hierarchy for everything termbase reports to a user.

Each message says what happened, where, and how to fix it.  The library
raises these; only the CLI turns them into ``Error: …`` lines on stderr.
"""

from __future__ import annotations


class TermbaseError(Exception):
    """Base class of every error a user can act on."""


class NotFoundError(TermbaseError):
    """An entry, term or segment id that does not exist."""


class InvalidValueError(TermbaseError):
    """A value (status name, language tag, option) that is not allowed."""


class ConflictError(TermbaseError):
    """A write against a stale version of an entry (somebody else changed it)."""

    def __init__(
        self,
        message: str,
        *,
        entry_id: int | None = None,
        changed_by: str = "",
        changed_at: str = "",
        current_version: int = 0,
    ) -> None:
        super().__init__(message)
        self.entry_id = entry_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version


class DatabaseError(TermbaseError):
    """The database file cannot be opened, is damaged, or is from a newer version."""


class OutputError(TermbaseError):
    """A file cannot be written there: a missing or read-only folder, a full disk, or a
    path that would destroy data (the open database, another SQLite file)."""


class LockedError(DatabaseError):
    """The database is busy: another process holds its write lock."""


class ReadOnlyError(DatabaseError):
    """The database can be read but not written (read-only file, folder or medium)."""


class FormatError(TermbaseError):
    """A file that cannot be read as the format it claims to be.

    The message names the file and, where known, the line and column.
    """

    def __init__(
        self, message: str, *, path: str = "", line: int | None = None, column: int | None = None
    ) -> None:
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line
        self.column = column
        self.reason = message


class UnsafeFileError(FormatError):
    """An XML file with entity declarations, external DTDs or other hostile content."""


class ForbiddenError(TermbaseError):
    """An action the acting user's role does not allow (the server answers 403)."""

    def __init__(self, message: str, *, needed: str = "", role: str = "") -> None:
        super().__init__(message)
        self.needed = needed
        self.role = role


class DuplicateError(InvalidValueError):
    """A new concept whose Chinese term an existing entry already has."""

    def __init__(self, message: str, *, entry_ids: list[int]) -> None:
        super().__init__(message)
        self.entry_ids = entry_ids
