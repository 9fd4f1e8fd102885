"""Issue 19, "Nothing lost": file operations that could destroy data.

Each test names the item of the issue it proves.  Everything goes through the
CLI (or the facade) on small files the tests make themselves.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Termbase
from termbase.cli import cli

from .conftest import FIXED_TIME, make_entry


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checkpointed_sha(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return _sha(path)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    with Termbase(path, user="alice", clock=lambda: FIXED_TIME) as tb:
        tb.approve(tb.add(make_entry()).id or 0)  # exports carry approved entries
    return path


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output
    return result


def entries_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])
    finally:
        conn.close()


# ------------------------------------------------------------------ item 1
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_1_export_never_writes_over_the_open_database(db: Path, suffix: str) -> None:
    target = Path(f"{db}{suffix}")  # -wal and -shm exist while the command runs
    before = _checkpointed_sha(db)
    result = run("--db", str(db), "export", str(target), "--format", "tsv")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {target}: is the open database")
    result = run("--db", str(db), "export", str(target), "--format", "tsv", "--force")
    assert result.exit_code == 1, "not even with --force"
    assert _checkpointed_sha(db) == before
    assert entries_in(db) == 1


def test_1_tm_export_and_backup_refuse_the_open_database(db: Path) -> None:
    result = run("--db", str(db), "tm", "export", str(db))
    assert result.exit_code == 1 and "is the open database" in result.output
    result = run("--db", str(db), "backup", str(db), "--force")
    assert result.exit_code == 1 and "is the open database" in result.output
    assert entries_in(db) == 1


def test_1_another_sqlite_file_needs_force(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with Termbase(other, user="bob") as tb:
        tb.add(make_entry())
    result = run("--db", str(db), "export", str(other), "--format", "tsv")
    assert result.exit_code == 1
    assert "is an SQLite database" in result.output and "--force" in result.output
    assert entries_in(other) == 1
    result = run("--db", str(db), "export", str(other), "--format", "tsv", "--force")
    assert result.exit_code == 0, result.output
    assert "新发展格局\tnew development pattern" in other.read_text(encoding="utf-8")


# ------------------------------------------------------------------ item 2 (and issue 15)
def test_2_restore_keeps_every_safety_copy_and_can_be_undone(db: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.bak"
    assert run("--db", str(db), "backup", str(older)).exit_code == 0
    with Termbase(db, user="alice", create=False) as tb:
        second = make_entry()
        second.terms[0].text = "高质量发展"
        tb.add(second)
    assert entries_in(db) == 2
    first = run("--db", str(db), "restore", str(older), "--yes")
    assert first.exit_code == 0, first.output
    safety1 = Path(first.output.split("previous content in ")[1].rstrip(".\n"))
    assert safety1.exists() and entries_in(safety1) == 2
    assert entries_in(db) == 1
    # undo: restore the safety copy; its content must come back, and it must survive
    second_run = run("--db", str(db), "restore", str(safety1), "--yes")
    assert second_run.exit_code == 0, second_run.output
    safety2 = Path(second_run.output.split("previous content in ")[1].rstrip(".\n"))
    assert safety2 != safety1
    assert entries_in(db) == 2
    assert entries_in(safety1) == 2 and entries_in(safety2) == 1
    copies = sorted(tmp_path.glob("p.db.before-restore-*.bak"))
    assert copies == sorted([safety1, safety2])


def test_15_backup_refuses_to_overwrite_without_force(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "bk.db"
    target.write_text("my notes, not a backup\n")
    result = run("--db", str(db), "backup", str(target))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target}: already exists; choose a new name, or pass --force to replace it\n"
    )
    assert target.read_text() == "my notes, not a backup\n"
    assert run("--db", str(db), "backup", str(target), "--force").exit_code == 0
    assert entries_in(target) == 1


# ------------------------------------------------------------------ item 3
def test_3_restore_refuses_an_empty_file_and_leaves_everything(db: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.bak"
    empty.write_bytes(b"")
    result = run("--db", str(db), "restore", str(empty), "--yes")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {empty}: is empty (0 bytes)")
    assert empty.read_bytes() == b""
    assert entries_in(db) == 1
    assert not list(tmp_path.glob("*.before-restore*"))


def test_3_restore_refuses_another_applications_database_without_touching_it(
    db: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "places.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places(url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = _sha(foreign)
    result = run("--db", str(db), "restore", str(foreign), "--yes")
    assert result.exit_code == 1
    assert "not a termbase" in result.output
    assert _sha(foreign) == before
    assert not Path(f"{foreign}-wal").exists()
    assert entries_in(db) == 1


def test_3_restore_of_a_corrupt_backup_is_an_error(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.bak"
    assert run("--db", str(db), "backup", str(bad)).exit_code == 0
    data = bytearray(bad.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6)):
        data[offset] = 0x5A
    bad.write_bytes(bytes(data))
    result = run("--db", str(db), "restore", str(bad), "--yes")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}:")
    assert "nothing was restored" in result.output or "damaged" in result.output
    assert entries_in(db) == 1


def test_3_restore_of_the_database_itself_is_refused(db: Path) -> None:
    result = run("--db", str(db), "restore", str(db), "--yes")
    assert result.exit_code == 1
    assert "is the open database itself" in result.output


# ------------------------------------------------------------------ item 4
# The devices are reached through a link in the test's own folder: were the writer ever to
# rename over the path again, it would replace the link, never the machine's /dev/null.
def _device(tmp_path: Path, name: str) -> Path:
    if not os.path.exists(f"/dev/{name}"):
        pytest.skip(f"no /dev/{name} here")
    link = tmp_path / f"{name}-link.tsv"
    link.symlink_to(f"/dev/{name}")
    return link


def test_4_export_to_a_device_streams_and_keeps_the_device(db: Path, tmp_path: Path) -> None:
    link = _device(tmp_path, "null")
    result = run("--db", str(db), "export", str(link), "--format", "tbx")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)
    assert not list(tmp_path.glob(".*.part")) and not list(Path("/dev").glob(".null*.part"))


def test_4_export_to_a_full_device_is_an_error(db: Path, tmp_path: Path) -> None:
    link = _device(tmp_path, "full")
    result = run("--db", str(db), "export", str(link), "--format", "tsv")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {link}: the disk is full")
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_4_dash_is_standard_output(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "-", "--format", "tsv"])
    assert result.exit_code == 0, result.output
    assert "新发展格局\tnew development pattern" in result.stdout
    assert result.stderr == "Exported 1 entries to -.\n"


def test_4_export_into_a_fifo_streams(db: Path, tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("--db", str(db), "export", str(fifo), "--format", "tsv")
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and "新发展格局\tnew".encode() in received[0]


# ------------------------------------------------------------------ item 5
def test_5_backup_does_not_follow_a_planted_link(db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.db"
    with Termbase(victim, user="v") as tb:
        for _ in range(2):
            tb.add(make_entry())
    before = _checkpointed_sha(victim)
    for name in ("bk.db.part", ".bk.db.part"):
        (tmp_path / name).symlink_to(victim)
    result = run("--db", str(db), "backup", str(tmp_path / "bk.db"))
    assert result.exit_code == 0, result.output
    assert _sha(victim) == before
    assert entries_in(tmp_path / "bk.db") == 1
    assert not (tmp_path / "bk.db").is_symlink()


def test_5_exports_keep_the_target_permissions(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "private.tsv"
    target.write_text("old\n")
    target.chmod(0o600)
    assert run("--db", str(db), "export", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "新发展格局\tnew" in target.read_text(encoding="utf-8")


def test_5_automatic_backups_get_unique_names(db: Path, tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("新发展格局\tnew development pattern\n", encoding="utf-8")
    for _ in range(2):
        result = run("--db", str(db), "import", str(glossary), "--on-conflict", "replace")
        assert result.exit_code == 0, result.output
    copies = list(tmp_path.glob("p.db.before-import-*.bak"))
    assert len(copies) == 2
    assert not list(tmp_path.glob("*.part"))


# ------------------------------------------------------------------ item 6
def test_6_empty_db_path_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("--db", "", "add", "新发展格局", "new development pattern")
    assert result.exit_code == 1
    assert result.output.startswith("Error: no database file given (--db is empty)")
    result = run("--db", "", "init")
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ item 7
def test_7_a_foreign_sqlite_file_is_refused_without_writing(tmp_path: Path) -> None:
    foreign = tmp_path / "app.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    before = _sha(foreign)
    for args in (["search", "x"], ["add", "新发展格局", "new development pattern"], ["stats"]):
        result = run("--db", str(foreign), *args)
        assert result.exit_code == 1
        assert result.output.startswith(
            f"Error: {foreign}: is an SQLite database of another application (tables notes)"
        )
    assert _sha(foreign) == before
    assert not Path(f"{foreign}-wal").exists()


# --------------------------------------------------- issue 16 item 16: mistyped --db
def test_mistyped_db_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "p.db"
    result = run("--db", str(missing), "add", "新发展格局", "new development pattern")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {missing}: no such database;")
    assert not (tmp_path / "nonexistent").exists()
    result = run("--db", str(missing), "search", "x")
    assert result.exit_code == 1
    result = run("--db", str(tmp_path / "new.db"), "init", "--empty")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new.db").exists()


# --------------------------------------------------- issue 16 item 1: missing folders
@pytest.mark.parametrize(
    "command",
    [
        ["export", "{dir}/out.tbx"],
        ["export", "{dir}/out.xlsx"],
        ["tm", "export", "{dir}/out.tmx"],
        ["backup", "{dir}/b.db"],
    ],
)
def test_writing_into_a_missing_folder_is_an_error(
    db: Path, tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "no" / "such"
    args = [a.format(dir=folder) for a in command]
    result = run("--db", str(db), *args)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {args[-1]}: the folder {folder} does not exist; create it first or choose "
        "another path; nothing was written\n"
    )
