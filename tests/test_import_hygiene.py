"""The headless core never imports the UI or slow libraries (harlequin's rule)."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_import_termbase_does_not_import_textual() -> None:
    mods = _modules_after("import termbase")
    assert not {m for m in mods if m.split(".")[0] in ("textual", "tui")}


def test_search_path_imports_nothing_slow(tmp_path) -> None:
    from termbase import Termbase

    db = tmp_path / "h.sqlite"
    Termbase(db).close()  # --db names an existing database
    code = (
        "from termbase.cli import cli\n"
        f"try:\n    cli(['--db', {str(db)!r}, 'search', '发展'], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
    )
    mods = _modules_after(code)
    slow = {"jieba", "pypinyin", "textual", "numpy", "sqlite_utils", "opencc", "rich", "lxml"}
    assert not {m for m in mods if m.split(".")[0] in slow}
