"""How many values one ``IN (...)`` list binds, and the helper that cuts lists to it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Values bound in one ``IN (?, ?, …)`` list: under the 999 host parameters that
#: SQLite builds before 3.32 allow, and large enough that a batch is one query.
IN_BATCH = 500


def in_batches(items: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """*items* cut into consecutive slices of at most *size*."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    """``?,?,…`` for an ``IN`` list of *count* values."""
    return ",".join("?" * count)
