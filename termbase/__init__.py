"""termbase: a Chinese–English termbase and translation memory.

The public API is the :class:`Termbase` facade::

    from termbase import Termbase
    with Termbase("my.sqlite") as tb:
        for hit in tb.search("新发展格局"):
            print(hit.entry.zh, hit.entry.en)

Importing this package is cheap: it never imports textual, jieba,
pypinyin or numpy (the search path must answer in a fraction of a second).
"""

from __future__ import annotations

from termbase._version import __version__ as __version__
from termbase.api import Termbase, default_db_path, default_user
from termbase.errors import (
    ConflictError,
    DatabaseError,
    DuplicateError,
    ForbiddenError,
    FormatError,
    InvalidValueError,
    LockedError,
    NotFoundError,
    OutputError,
    ReadOnlyError,
    TermbaseError,
    UnsafeFileError,
)
from termbase.model import (
    Actor,
    Authority,
    ChangeState,
    Context,
    Entry,
    EntryType,
    HistoryRecord,
    ImportBatch,
    PendingChange,
    Review,
    Role,
    Segment,
    Source,
    Term,
    TermStatus,
    TermType,
)

__all__ = [
    "Actor",
    "Authority",
    "ChangeState",
    "ConflictError",
    "Context",
    "DatabaseError",
    "DuplicateError",
    "Entry",
    "EntryType",
    "ForbiddenError",
    "FormatError",
    "HistoryRecord",
    "ImportBatch",
    "InvalidValueError",
    "LockedError",
    "NotFoundError",
    "OutputError",
    "PendingChange",
    "ReadOnlyError",
    "Review",
    "Role",
    "Segment",
    "Source",
    "Term",
    "TermStatus",
    "TermType",
    "Termbase",
    "TermbaseError",
    "UnsafeFileError",
    "default_db_path",
    "default_user",
]
