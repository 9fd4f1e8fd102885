"""Backups, restore and doctor (the database is the user's only copy)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import OutputError, Termbase
from termbase.api import REPAIRED
from termbase.cli import cli

from .conftest import FIXED_TIME, make_entry


def test_backup_is_complete_and_restore_brings_it_back(tb: Termbase, tmp_path: Path) -> None:
    first = tb.add(make_entry())
    target = tmp_path / "backup.sqlite"
    tb.backup(target)
    tb.delete(first.id)
    assert tb.stats()["entries"] == 0
    safety = tb.restore(target)
    assert tb.get(first.id).zh == "新发展格局"
    assert Path(safety).exists()
    with Termbase(safety, seed=False) as old:
        assert old.stats()["entries"] == 0


def test_backup_while_another_connection_writes(db_path: Path, tmp_path: Path) -> None:
    writer = Termbase(db_path, user="w", clock=lambda: FIXED_TIME)
    reader = Termbase(db_path, user="r", clock=lambda: FIXED_TIME)
    writer.add(make_entry())
    writer.store.conn.execute("BEGIN IMMEDIATE")  # a write transaction is open elsewhere
    try:
        reader.backup(tmp_path / "b.sqlite")
    finally:
        writer.store.conn.execute("ROLLBACK")
    conn = sqlite3.connect(tmp_path / "b.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
    writer.close()
    reader.close()


def test_restore_refuses_a_non_database(tb: Termbase, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("hello")
    tb.add(make_entry())
    with pytest.raises(Exception, match="not a termbase"):
        tb.restore(bogus)
    assert tb.stats()["entries"] == 1


def test_backup_to_a_directory_is_refused(tb: Termbase, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        tb.backup(tmp_path)


def test_doctor_finds_and_repairs(tb: Termbase) -> None:
    e = tb.add(make_entry())
    assert tb.doctor() == []
    tb.store.conn.execute("DELETE FROM term_keys")
    problems = tb.doctor()
    assert problems == [
        "4 terms are missing from the search index; run 'termbase doctor --repair' to rebuild it"
    ]
    assert [line for line in tb.doctor(repair=True) if not line.startswith(REPAIRED)] == []
    tb.store.conn.execute("UPDATE terms SET status='preferred' WHERE entry_id=?", (e.id,))
    assert tb.doctor() == [
        f"entry {e.id} has 3 preferred en terms; keep one with "
        f"'termbase set-status {e.id} TERM preferred'"
    ]


def test_cli_backup_doctor(db_path: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TERMBASE_DB", str(db_path))
    with Termbase(db_path, user="alice") as tb:
        tb.add(make_entry())
    runner = CliRunner()
    result = runner.invoke(cli, ["backup", str(tmp_path / "b.sqlite")])
    assert result.output == f"Backed up 1 entries to {tmp_path / 'b.sqlite'}.\n"
    result = runner.invoke(cli, ["doctor"])
    assert result.output == f"{db_path}: no problems found.\n"
    assert result.exit_code == 0
    result = runner.invoke(cli, ["restore", str(tmp_path / "b.sqlite")], input="n\n")
    assert result.exit_code == 1
    assert "Aborted!" in result.output


def test_doctor_finds_schema_damage_and_recreates_indexes(tb: Termbase) -> None:
    tb.add(make_entry())
    conn = tb.store.conn
    conn.execute("DROP INDEX term_keys_key")
    conn.execute("DROP TABLE tm_keys")
    assert tb.doctor() == [
        "the translation-memory index is incomplete (table tm_keys missing or damaged); "
        "run 'termbase doctor --repair' to build it again",
        "index term_keys_key on term_keys is missing; run 'termbase doctor --repair' to create it",
    ]
    done = tb.doctor(repair=True)
    assert done[1:] == [
        f"{REPAIRED}translation-memory index: tables tm_postings, tm_meta, tm_keys created again",
        f"{REPAIRED}index term_keys_key on term_keys created again",
        f"{REPAIRED}search index rebuilt from the terms of 1 entries",
    ]
    assert "term_keys_key" in {i.name for i in tb.store.db["term_keys"].indexes}
    assert tb.doctor() == []
