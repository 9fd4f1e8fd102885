"""Issue 19, "Nothing lost": file operations that could destroy data.

Each test names the item of the issue it proves.  Everything goes through the
CLI (or the facade) on small files the tests make themselves.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import ReadOnlyError, Termbase
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


# ================================================ resource limits and the door
# ------------------------------------------------------------------ item 8
def test_8_a_term_longer_than_the_documented_maximum_is_refused(db: Path, tmp_path: Path) -> None:
    from termbase.rules import MAX_TERM_CHARS

    long_zh = "发展" * 5_000  # 10,000 characters, the example
    result = run("--db", str(db), "add", long_zh, "development")
    assert result.exit_code == 1
    assert result.output.startswith("Error: the term '发展发展")
    assert f"is 10,000 characters long; a term has at most {MAX_TERM_CHARS}" in result.output
    glossary = tmp_path / "long.tsv"
    glossary.write_text(f"{long_zh}\tdevelopment\n高质量发展\thigh-quality development\n")
    before = _checkpointed_sha(db)
    result = run("--db", str(db), "import", str(glossary))
    assert result.exit_code == 1 and "a term has at most" in result.output
    assert _checkpointed_sha(db) == before
    # at the limit it is accepted
    assert run("--db", str(db), "add", "发" * MAX_TERM_CHARS, "x").exit_code == 0


# ------------------------------------------------------------------ item 11
@pytest.mark.parametrize(
    "spec",
    ["1=zh,99999999999=en", "1=zh,100000000=en", "1=zh," + "9" * 5000 + "=en"],
    ids=["11-digits", "100000000", "5000-digits"],
)
def test_11_absurd_column_numbers_are_refused(db: Path, tmp_path: Path, spec: str) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("新发展格局,new development pattern\n", encoding="utf-8")
    result = run("--db", str(db), "import", str(glossary), "--columns", spec)
    assert result.exit_code == 1
    assert result.output.startswith("Error: bad --columns: column ")
    assert "beyond the last column a sheet can have (16384)" in result.output


# ------------------------------------------------------------------ item 12
def _capped_entry(path: Path) -> int:
    from termbase import Entry, Term

    terms = [Term("高质量发展", "zh-CN")] + [
        Term(f"high-quality development, rendering {i}", "en") for i in range(198)
    ]
    with Termbase(path, user="alice", clock=lambda: FIXED_TIME) as tb:
        return (
            tb.add(Entry(terms=terms, subject="economy", definition="Growth of quality.")).id or 0
        )


def _history_bytes(path: Path, entry_id: int) -> list[tuple[str, int]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT action, length(CAST(coalesce(before, '') AS BLOB)) + "
            "length(CAST(coalesce(after, '') AS BLOB)) FROM history WHERE entry_id=? ORDER BY id",
            (entry_id,),
        )
        return [(r[0], int(r[1])) for r in rows]
    finally:
        conn.close()


def test_12_history_of_a_huge_entry_stores_the_change(db: Path) -> None:
    import json

    entry = str(_capped_entry(db))

    def snapshot() -> dict:
        return json.loads(run("--db", str(db), "show", entry, "--json").output)

    versions = {1: snapshot()}
    steps = [
        ["approve", entry],
        ["set-status", entry, "high-quality development, rendering 7", "preferred"],
        ["add-term", entry, "quality-first development", "--lang", "en"],
        ["edit", entry, "--note", "the 2017 formulation"],
        ["delete-term", entry, "high-quality development, rendering 3"],
    ]
    for step in steps:
        result = run("--db", str(db), *step)
        assert result.exit_code == 0, result.output
        now = snapshot()
        versions[now["version"]] = now
    assert sorted(versions) == [1, 2, 3, 4, 5, 6]

    sizes = _history_bytes(db, int(entry))
    assert [a for a, _ in sizes] == [
        "add",
        "approve",
        "set-status",
        "add-term",
        "edit",
        "delete-term",
    ]
    assert sizes[0][1] > 20_000  # the first record holds the whole entry once
    assert all(size < 2_000 for _, size in sizes[1:]), sizes  # then the changes only

    records = json.loads(run("--db", str(db), "history", entry, "--json").output)[::-1]
    assert [r["action"] for r in records] == [a for a, _ in sizes]
    for older, record in zip([None, *records], records, strict=False):
        assert record["after"] == versions[record["after"]["version"]]
        assert record["before"] == (older["after"] if older else None)

    result = run("--db", str(db), "revert", entry, "--to", "2")
    assert result.exit_code == 0, result.output
    restored = snapshot()

    def texts(version: dict) -> list[tuple[str, str, str]]:
        return [(t["text"], t["lang"], t["status"]) for t in version["terms"]]

    assert texts(restored) == texts(versions[2])  # a deleted rendering comes back (a new id)
    assert restored["note"] == versions[2]["note"] and restored["review"] == "approved"


def test_12_a_long_history_reads_back_every_version(db: Path) -> None:
    """More changes than one chain of patches holds (a whole snapshot again)."""
    from termbase.store.history import CHAIN

    with Termbase(db, user="alice", clock=lambda: FIXED_TIME) as tb:
        entry = tb.add(make_entry())
        for n in range(CHAIN + 8):
            entry = tb.edit(entry.id or 0, note=f"note {n}")
    result = run("--db", str(db), "history", str(entry.id), "--json", "--limit", "100")
    import json

    records = json.loads(result.output)[::-1]
    assert len(records) == CHAIN + 9
    assert [r["after"]["note"] for r in records[1:]] == [f"note {n}" for n in range(CHAIN + 8)]
    assert [r["before"]["note"] for r in records[2:]] == [f"note {n}" for n in range(CHAIN + 7)]
    result = run("--db", str(db), "revert", str(entry.id), "--to", "5")
    assert result.exit_code == 0, result.output
    shown = run("--db", str(db), "show", str(entry.id), "--json").output
    assert json.loads(shown)["note"] == "note 3"


# ------------------------------------------------------------------ item 13 (XLSX)
def _xlsx_with_dimension(path: Path, rows: int, dimension: str) -> None:
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["zh", "en"])
    for i in range(rows):
        ws.append([f"术语{i}", f"term {i}"])
    book.save(path)
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    import re

    parts[sheet] = re.sub(
        rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), parts[sheet]
    )
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)


@pytest.mark.parametrize("dimension", ["A1:B3", "A1"])
def test_13_an_xlsx_dimension_that_lies_does_not_truncate(
    db: Path, tmp_path: Path, dimension: str
) -> None:
    book = tmp_path / "lies.xlsx"
    _xlsx_with_dimension(book, 10, dimension)
    result = run("--db", str(db), "import", str(book))
    assert result.exit_code == 0, result.output
    assert entries_in(db) == 1 + 10


# ------------------------------------------------------------------ item 14
def test_14_an_encoding_error_names_its_real_line(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    body = "".join(f"术语{i},term {i}\n" for i in range(8001)).encode() + b"\xff\xfe bad,x\n"
    bad.write_bytes(body)
    result = run("--db", str(db), "import", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}:8002: bytes not valid utf-8")


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF32_BE + "新发展格局\tnew development pattern\n".encode("utf-32-be"),
        "新发展格局\tnew development pattern\n".encode("utf-32-le"),
        "新发展格局\tnew development pattern\n".encode("utf-32"),
    ],
    ids=["be-bom", "le-no-bom", "le-bom"],
)
def test_14_utf32_is_not_read_as_utf16(db: Path, tmp_path: Path, data: bytes) -> None:
    glossary = tmp_path / "utf32.txt"
    glossary.write_bytes(data)
    result = run("--db", str(db), "import", str(glossary), "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert "1 identical" in result.output  # the stored 新发展格局, read right


# ------------------------------------------------------------------ item 15
@pytest.mark.parametrize(
    "text", ["新发展\x00格局", "bell\x07", "tab\x0bbed", "\u200b", "\u200b \u2060", "\ufeff"]
)
def test_15_control_and_invisible_only_terms_are_refused(
    db: Path, tmp_path: Path, text: str
) -> None:
    result = run("--db", str(db), "add", "新发展", text)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the term ")
    assert "control character" in result.output or "only invisible" in result.output
    glossary = tmp_path / "g.tsv"
    glossary.write_text(f"高质量发展\t{text}\n", encoding="utf-8")
    assert run("--db", str(db), "import", str(glossary)).exit_code == 1
    assert entries_in(db) == 1


# ================================================ tracebacks that became Error: lines
@pytest.mark.parametrize("encoding", ["rot13", "hex_codec", "idna", "base64_codec", "nonsense"])
def test_encodings_that_cannot_decode_a_file(db: Path, tmp_path: Path, encoding: str) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("新发展格局,x\n", encoding="utf-8")
    result = run("--db", str(db), "import", str(glossary), "--encoding", encoding)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {glossary}: ")
    assert "encoding" in result.output


def test_a_coding_comment_naming_a_non_text_codec(db: Path, tmp_path: Path) -> None:
    glossary = tmp_path / "m.tsv"
    glossary.write_text("# -*- coding: rot13 -*-\n新发展格局\tx\n", encoding="utf-8")
    result = run("--db", str(db), "import", str(glossary))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {glossary}: 'rot13' (the coding comment on line 1) is not a text file "
        "encoding; use utf-8, gb18030, big5, utf-16 …\n"
    )


def test_format_xlsx_on_a_csv(db: Path, tmp_path: Path) -> None:
    glossary = tmp_path / "g.csv"
    glossary.write_text("新发展格局,x\n", encoding="utf-8")
    result = run("--db", str(db), "import", str(glossary), "--format", "xlsx")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {glossary}: not a readable XLSX workbook")


def test_an_xlsx_whose_xml_declares_a_dtd(db: Path, tmp_path: Path) -> None:
    import zipfile

    book = tmp_path / "dtd.xlsx"
    _xlsx_with_dimension(book, 2, "A1:B3")
    with zipfile.ZipFile(book) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    name = "xl/worksheets/sheet1.xml"
    dtd = b'<!DOCTYPE worksheet [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    parts[name] = dtd + parts[name]
    with zipfile.ZipFile(book, "w") as out:
        for n, data in parts.items():
            out.writestr(n, data)
    result = run("--db", str(db), "import", str(book))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {book}: the workbook part {name} declares a DTD")


def test_an_xlsx_text_table_past_the_cap_is_refused(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    monkeypatch.setattr("termbase.formats.xlsx.MAX_SHARED_STRINGS_BYTES", 1 << 20)
    book = tmp_path / "bomb.xlsx"
    _xlsx_with_dimension(book, 2, "A1:B3")
    with zipfile.ZipFile(book) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    strings += b"<si><t>" + b"a" * (2 << 20) + b"</t></si></sst>"
    parts["xl/sharedStrings.xml"] = strings
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as out:
        for n, data in parts.items():
            out.writestr(n, data)
    assert book.stat().st_size < 100_000  # small on disk, 2 MB unpacked
    result = run("--db", str(db), "import", str(book))
    assert result.exit_code == 1
    assert "unpacks to 2 MB, more than the 1 MB termbase reads (a zip bomb?)" in result.output


def test_xlsx_export_to_a_full_disk(db: Path, tmp_path: Path) -> None:
    link = _device(tmp_path, "full")
    result = run("--db", str(db), "export", str(link), "--format", "xlsx")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {link}: the disk is full")
    assert "seek of closed file" not in result.output


def test_db_on_a_device_is_refused(tmp_path: Path) -> None:
    link = _device(tmp_path, "null")
    result = run("--db", str(link), "search", "x")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {link}: is not a regular file")
    assert not list(tmp_path.glob("*-journal"))


@pytest.mark.parametrize("version", [-3, 3])
def test_a_negative_or_lowered_user_version(db: Path, version: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = _checkpointed_sha(db)
    result = run("--db", str(db), "search", "新发展")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {db}: records schema version {version}")
    assert _checkpointed_sha(db) == before


# ------------------------------------------------------------------ item 18
def test_18_jieba_cache_is_private_and_a_planted_one_is_ignored(tmp_path: Path) -> None:
    """A jieba.cache planted in the shared temporary folder changes nothing."""
    import marshal

    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    planted = {c: 1 for c in "高质量发展"}  # every word one character: wrong words, wrong pinyin
    (shared / "jieba.cache").write_bytes(marshal.dumps((planted, len(planted))))
    home_cache = tmp_path / "home-cache"
    code = "from termbase.lang import segment; print('/'.join(segment.cut('高质量发展')))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(shared), "XDG_CACHE_HOME": str(home_cache)},
        check=True,
    )
    assert done.stdout.strip() == "高质量/发展"
    cache = home_cache / "termbase" / "jieba.cache"
    assert cache.exists()
    assert stat.S_IMODE(cache.parent.stat().st_mode) == 0o700


# ------------------------------------------------------------------ item 17
def test_17_a_locked_database_says_so(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("termbase.store.BUSY_TIMEOUT_MS", 300)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another connection holds the write lock
    try:
        result = run("--db", str(db), "add", "高质量发展", "high-quality development")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1
    # this very process holds it: nobody else to name
    assert result.output == (
        f"Error: {db}: the database is locked by another process (an import, a restore, the "
        "terminal app or the team server?), which held its write lock for 0.3 s; nothing was "
        "written. Wait until it has finished, or close the app or server using the database, "
        "and try again\n"
    )
    assert "Restore a backup" not in result.output


_HOLD_THE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE entries SET note = 'held' WHERE id = 1")
print("holding", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_17_a_locked_database_names_the_process_holding_it(
    db: Path, monkeypatch: pytest.MonkeyPatch, journal: str
) -> None:
    if journal == "delete":  # a rollback journal: the writer locks the file itself
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
    monkeypatch.setattr("termbase.store.BUSY_TIMEOUT_MS", 300)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_THE_LOCK, str(db), "lock-holder-for-the-test"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        before = entries_in(db)
        result = run("--db", str(db), "add", "高质量发展", "high-quality development")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {db}: the database is locked by ")
    assert "Wait until it has finished, or close the app or server using the database" in (
        result.output
    )
    assert "nothing was written" in result.output
    if sys.platform.startswith("linux"):
        assert f"locked by process {holder.pid} (" in result.output
        assert "lock-holder-for-the-test" in result.output
    assert entries_in(db) == before


def test_17_a_read_only_database_is_searchable_and_writes_say_why(db: Path) -> None:
    with Termbase(db, readonly=True) as tb:
        assert [h.entry.zh for h in tb.search("新发展格局")] == ["新发展格局"]
        with pytest.raises(ReadOnlyError, match="the database is read-only"):
            tb.add(make_entry())


def test_17_a_database_in_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "ro.db"
    with Termbase(db, user="alice") as tb:
        tb.add(make_entry())
    db.chmod(0o444)
    folder.chmod(0o555)
    if os.getuid() == 0:  # root ignores permissions: answer as the kernel would a user
        real_access = os.access
        monkeypatch.setattr(
            os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
        )
    try:
        result = run("--db", str(db), "search", "新发展格局", "--brief")
        assert result.exit_code == 0, result.output
        assert "新发展格局" in result.output
        result = run("--db", str(db), "add", "高质量发展", "x")
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: {db}: the database is read-only")
        if os.getuid() != 0:
            assert sorted(p.name for p in folder.iterdir()) == ["ro.db"]
    finally:
        folder.chmod(0o755)


# ------------------------------------------------------------------ item 16
def _many(path: Path, n: int = 400) -> None:
    from termbase import Entry, Term

    with Termbase(path, user="alice") as tb:
        tb.import_entries(
            Entry(terms=[Term(f"术语{i}", "zh-CN"), Term(f"term {i}", "en")]) for i in range(n)
        )


def _corrupt(path: Path, pages: range) -> None:
    data = bytearray(path.read_bytes())
    for page in pages:
        start = page * 4096
        data[start + 8 : start + 4096] = b"\xa5" * (4096 - 8)
    path.write_bytes(bytes(data))


def _drop(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage", ["page", "terms", "entries"])
def test_16_doctor_reports_damage_with_what_to_do(tmp_path: Path, damage: str) -> None:
    db = tmp_path / "d.db"
    _many(db)
    assert run("--db", str(db), "backup", str(tmp_path / "d.db.weekly.bak")).exit_code == 0
    if damage == "page":
        _corrupt(db, range(6, 14))
    else:
        _drop(db, damage)
    before = _sha(db)
    for args in (["doctor"], ["doctor", "--repair"]):
        result = run("--db", str(db), *args)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.output.startswith("problem: ")
        assert "Run 'termbase doctor'" not in result.output  # doctor is what runs
        if damage != "page":
            assert f"problem: table {damage} is missing\n" in result.output
        assert f"doctor --recover {db}.recovered" in result.output
        assert "d.db.weekly.bak" in result.output
        refused = "\nnothing was repaired: --repair makes again only what is derived"
        assert (refused in result.output) == ("--repair" in args)
        assert "\nrepaired: " not in result.output
    assert _sha(db) == before  # data cannot be derived: --repair wrote nothing
    assert not [p for p in tmp_path.iterdir() if "before-repair" in p.name]


def _index_rows(path: Path) -> tuple[int, int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("term_keys", "term_tri", "term_words", "tm_keys")
        )
    finally:
        conn.close()


@pytest.mark.parametrize(
    "drop, problem",
    [
        ("INDEX terms_text", "index terms_text on terms is missing"),
        ("INDEX term_keys_key", "index term_keys_key on term_keys is missing"),
        ("TABLE term_keys", "the search index is incomplete (table term_keys missing"),
        ("TABLE term_tri", "the search index is incomplete (table term_tri missing"),
        ("TABLE term_words_data", "the search index is incomplete (table term_words missing"),
        ("TABLE tm_postings", "the translation-memory index is incomplete (table tm_postings"),
    ],
)
def test_16_repair_makes_again_what_is_derived(tmp_path: Path, drop: str, problem: str) -> None:
    db = tmp_path / "d.db"
    _many(db, 40)
    tmx = tmp_path / "m.tmx"
    tmx.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="zh-CN" datatype="plaintext" '
        'segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/>'
        '<body><tu><tuv xml:lang="zh-CN"><seg>坚持高质量发展。</seg></tuv>'
        '<tuv xml:lang="en"><seg>Pursue high-quality development.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    assert run("--db", str(db), "tm", "import", str(tmx)).exit_code == 0
    assert run("--db", str(db), "tm", "match", "坚持高质量发展。").exit_code == 0  # indexes it
    healthy = _index_rows(db)
    conn = sqlite3.connect(db)
    conn.execute(f"DROP {drop}")
    conn.commit()
    conn.close()
    result = run("--db", str(db), "doctor")
    assert result.exit_code == 1
    assert result.output.startswith(f"problem: {problem}")
    assert "run 'termbase doctor --repair'" in result.output

    result = run("--db", str(db), "doctor", "--repair")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    saved = lines[0].removeprefix("repaired: saved the database as it was to ")
    assert saved != lines[0] and Path(saved).name.startswith("d.db.before-repair-")
    assert "repaired: search index rebuilt from the terms of 40 entries" in lines
    assert lines[-1] == f"{db}: no problems found."
    assert _index_rows(db) == healthy
    copy = sqlite3.connect(saved)  # the file as it was: without the dropped part
    gone = copy.execute("SELECT count(*) FROM sqlite_master WHERE name=?", (drop.split()[1],))
    assert gone.fetchone()[0] == 0
    copy.close()
    assert run("--db", str(db), "doctor").exit_code == 0
    found = run("--db", str(db), "search", "术语7", "--brief")
    assert "术语7" in found.output
    matched = run("--db", str(db), "tm", "match", "坚持高质量发展。")
    assert "Pursue high-quality development." in matched.output


def test_16_writes_refuse_a_damaged_database_and_recover_saves_the_rest(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    _many(db)
    _corrupt(db, range(6, 9))
    before = _sha(db)
    glossary = tmp_path / "g.tsv"
    glossary.write_text("高质量发展\thigh-quality development\n", encoding="utf-8")
    result = run("--db", str(db), "import", str(glossary))
    assert result.exit_code == 1
    assert "the database is damaged" in result.output and "nothing was written" in result.output
    assert _sha(db) == before
    target = tmp_path / "saved.db"
    result = run("--db", str(db), "doctor", "--recover", str(target))
    assert result.exit_code == 0, result.output
    assert f"Recovered into {target}" in result.output
    assert _sha(db) == before  # the damaged file is not changed
    assert 0 < entries_in(target) <= 400
    result = run("--db", str(target), "search", "术语1", "--brief")
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------ item 13
def test_13_two_concepts_with_one_tbx_id_are_an_error(db: Path, tmp_path: Path) -> None:
    tbx = tmp_path / "dup.tbx"
    concept = (
        '<conceptEntry id="dup"><langSec xml:lang="zh"><termSec><term>{}</term></termSec>'
        "</langSec></conceptEntry>\n"
    )
    tbx.write_text(
        '<?xml version="1.0"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" '
        'xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>x</p>'
        "</sourceDesc></fileDesc></tbxHeader><text><body>\n"
        + concept.format("高质量发展")
        + concept.format("统筹发展和安全")
        + "</body></text></tbx>\n",
        encoding="utf-8",
    )
    before = _checkpointed_sha(db)
    result = run("--db", str(db), "import", str(tbx))
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {tbx}:4: the concept id 'dup' was already given to the concept on line 3"
    )
    assert _checkpointed_sha(db) == before


@pytest.mark.parametrize("skip", [[], ["--skip-bad-lines"]])
def test_13_an_unclosed_csv_quote_does_not_swallow_rows(
    db: Path, tmp_path: Path, skip: list[str]
) -> None:
    glossary = tmp_path / "q.csv"
    glossary.write_text(
        "高质量发展,high-quality development\n"
        '"统筹,发展和安全,x\n'
        "国家安全,national security\n"
        "绿色发展,green development\n",
        encoding="utf-8",
    )
    before = _checkpointed_sha(db)
    result = run("--db", str(db), "import", str(glossary), *skip)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {glossary}:2: a quoted cell opened here is never closed: it would swallow "
        "lines 2–4 into one cell."
    )
    assert _checkpointed_sha(db) == before


# ------------------------------------------------------------------ item 12
def test_12_a_concept_has_a_bounded_number_of_renderings(db: Path, tmp_path: Path) -> None:
    from termbase.rules import MAX_TERMS_PER_ENTRY

    glossary = tmp_path / "many.tsv"
    glossary.write_text(
        "".join(f"高质量发展\trendering {i}\n" for i in range(MAX_TERMS_PER_ENTRY + 5)),
        encoding="utf-8",
    )
    before = _checkpointed_sha(db)
    result = run("--db", str(db), "import", str(glossary))
    assert result.exit_code == 1
    assert f"a concept has at most {MAX_TERMS_PER_ENTRY}" in result.output
    assert _checkpointed_sha(db) == before
    many = [f"rendering {i}" for i in range(MAX_TERMS_PER_ENTRY)]
    result = run("--db", str(db), "add", "高质量发展", *many)
    assert result.exit_code == 1 and "would have 201 terms" in result.output


# ------------------------------------------------------------------ item 14
def test_14_skip_bad_lines_counts_what_it_left_out(db: Path, tmp_path: Path) -> None:
    glossary = tmp_path / "ragged.csv"
    glossary.write_text(
        "高质量发展,high-quality development\n只有中文\n国家安全,national security\n也只有中文\n",
        encoding="utf-8",
    )
    result = run("--db", str(db), "import", str(glossary), "--skip-bad-lines")
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "2 bad lines left out" in result.output
    assert entries_in(db) == 3
