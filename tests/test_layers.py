"""The layers of docs/architecture.md hold: import contracts (import-linter) and SQL in the store.

Beside tests/test_import_hygiene.py, which proves in a subprocess what
importing the core loads, this checks every import of the code base
against the contracts declared in pyproject.toml ([tool.importlinter]).
"""

from __future__ import annotations

import re
from pathlib import Path

from importlinter.cli import lint_imports

REPO = Path(__file__).resolve().parents[1]
#: What speaks SQL: a call on a connection or cursor.
SQL_CALL = re.compile(r"\.(execute|executemany|executescript)\(|sqlite3\.connect\(")


def test_import_contracts_hold() -> None:
    assert lint_imports(config_filenames=(str(REPO / "pyproject.toml"),), no_cache=True) == 0


def test_only_the_store_speaks_sql() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for package in ("termbase", "tui")
        for path in sorted((REPO / package).rglob("*.py"))
        if REPO / "termbase" / "store" not in path.parents
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL_CALL.search(line)
    ]
    assert offenders == []
