"""Malformed and mutated files: every reader fails cleanly, the database stays as it was."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termbase import Termbase, TermbaseError
from termbase.cli import cli
from termbase.formats import get

from .conftest import FIXED_TIME, make_entry
from .format_contract import sample_entries

FORMATS = {"tbx": ".tbx", "tmx": ".tmx", "po": ".po", "csv": ".csv", "xlsx": ".xlsx"}


def _db_bytes(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    path = tmp_path / "kept.sqlite"
    with Termbase(path, user="alice", clock=lambda: FIXED_TIME) as tb:
        tb.add(make_entry())
    return path


@functools.lru_cache(maxsize=1)
def _sample_bytes() -> dict[str, bytes]:
    """Written once per run: some writers stamp the time (PO header, XLSX zip dates), and
    the fuzzer needs the same bytes on every example."""
    return _samples(Path(tempfile.mkdtemp(prefix="termbase-fuzz-")))


def _samples(tmp_path: Path) -> dict[str, bytes]:
    """Real files of every format (fixed uuids)."""
    out = {}
    for name, ext in FORMATS.items():
        entries = sample_entries()
        for i, entry in enumerate(entries):
            entry.uuid = f"00000000-0000-4000-8000-{i:012d}"
        path = tmp_path / f"sample{ext}"
        get(name).write(entries, path)
        out[name] = path.read_bytes()
    return out


BAD_FILES = {
    "truncated.tbx": lambda s: s["tbx"][: len(s["tbx"]) // 2],
    "truncated.tmx": lambda s: s["tmx"][: len(s["tmx"]) // 2],
    "garbage.tbx": lambda s: bytes(range(256)) * 20,
    "empty.tmx": lambda s: b"",
    "wrong-root.tbx": lambda s: b'<?xml version="1.0"?><html><body/></html>',
    "invalid-utf8.tmx": lambda s: s["tmx"].replace("新发展格局".encode(), b"\xff\xfe\xe9"),
    "ragged.csv": lambda s: "中文,英文,状态\n新发展格局\n".encode(),
    "garbage.xlsx": lambda s: b"PK\x03\x04 not really a zip",
    "bad.po": lambda s: b'msgid "unterminated\nmsgstr ""\n',
    "bomb.tbx": lambda s: (
        b'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "aaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;">]><martif><text><body>&b;</body></text>'
        b"</martif>"
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_a_clear_error_and_nothing_changes(
    tmp_path: Path, seeded_db: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name](_samples(tmp_path)))
    before = _db_bytes(seeded_db)
    result = CliRunner().invoke(cli, ["--db", str(seeded_db), "import", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: "), result.output
    assert str(path) in result.output or path.name in result.output
    assert "Traceback" not in result.output
    assert _db_bytes(seeded_db) == before


def test_a_directory_given_as_a_file(tmp_path: Path, seeded_db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(seeded_db), "import", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}: is a directory; give the path of a file\n"


@settings(
    # CI runs a fixed set of examples (derandomized); FUZZ_EXAMPLES=5000 explores by hand
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")),
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzz_every_reader_with_mutated_files(tmp_path_factory, data) -> None:
    """Flip, insert and cut bytes of real files: a reader may succeed or raise a
    TermbaseError, nothing else."""
    tmp = tmp_path_factory.mktemp("fuzz")
    samples = _sample_bytes()
    name = data.draw(st.sampled_from(sorted(FORMATS)))
    raw = bytearray(samples[name])
    for _ in range(data.draw(st.integers(1, 6))):
        kind = data.draw(st.sampled_from(["flip", "insert", "cut"]))
        pos = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if kind == "flip" and raw:
            raw[pos] = data.draw(st.integers(0, 255))
        elif kind == "insert":
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=8))
        elif kind == "cut":
            del raw[pos : pos + data.draw(st.integers(1, 64))]
    path = tmp / f"mutated{FORMATS[name]}"
    path.write_bytes(bytes(raw))
    with contextlib.suppress(TermbaseError):  # a clean error is fine; anything else fails
        list(get(name).read(path))


# ------------------------------------------------- CLI arguments that are not UTF-8
#: Bytes as Python hands them over when an argument is not UTF-8 (``surrogateescape``).
BAD_BYTES = [b"\xff", b"\xc3(", b"\xe9t\xe9", b"\x80abc", "新".encode("gbk")]

#: Command lines with one {} where the non-UTF-8 text goes ({file} is a real file whose
#: name carries the bytes).
COMMANDS = [
    ["add", "{}", "new development pattern"],
    ["add", "新发展格局", "{}"],
    ["add", "新发展格局", "x", "--source", "{}"],
    ["add", "新发展格局", "x", "--note", "{}"],
    ["search", "{}"],
    ["search", "发展", "--subject", "{}"],
    ["approve", "1", "--comment", "{}"],
    ["reject", "1", "--reason", "{}"],
    ["set-status", "1", "{}", "deprecated"],
    ["show", "{}"],
    ["history", "{}"],
    ["--user", "{}", "approve", "1"],
    ["--user", "{}", "search", "发展"],
    ["import", "{file}"],
    ["import", "{file}", "--source", "{}"],
    ["tm", "import", "{file}"],
    ["tm", "match", "{}"],
    ["tm", "search", "{}"],
    ["export", "{dir}/{}.tsv"],
]


def _surrogates(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzz_cli_arguments_that_are_not_utf8(tmp_path_factory, data) -> None:
    """Every command given bytes that are not UTF-8 answers (or says Error:), no traceback."""
    tmp = tmp_path_factory.mktemp("args")
    db = tmp / "t.sqlite"
    with Termbase(db, user="alice", clock=lambda: FIXED_TIME) as tb:
        tb.add(make_entry())
    command = data.draw(st.sampled_from(COMMANDS))
    bad = _surrogates(data.draw(st.sampled_from(BAD_BYTES)))
    prefix = data.draw(st.sampled_from(["", "新发展", "x "]))
    text = prefix + bad
    tsv = tmp / f"{text}.tsv"
    tsv.write_text("新发展格局\tnew development pattern\n", encoding="utf-8")
    args = [a.format(text, file=str(tsv), dir=str(tmp)) for a in command]
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args!r}: {result.exception!r}"
    )
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.output.startswith("Error: "), result.output


def test_non_utf8_arguments_in_a_real_process(tmp_path: Path) -> None:
    """The bytes as a shell passes them (not through CliRunner)."""
    import subprocess
    import sys

    db = tmp_path / "t.sqlite"
    Termbase(db).close()
    name = os.fsencode(tmp_path) + b"/gloss\xff.tsv"
    with open(name, "wb") as fh:
        fh.write("新发展格局\tnew development pattern\n".encode())
    for args in (
        [b"add", b"\xe9t\xe9", b"summer"],
        [b"--user", b"\xff", b"search", "发展".encode()],
        [b"import", name],
        [b"import", name, b"--source", b"\xff"],
        [b"tm", b"import", name],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "termbase.cli", b"--db", os.fsencode(db), *args],
            capture_output=True,
            env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": ""},
        )
        err = done.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err, (args, err)
        assert done.returncode in (0, 1), (args, err)
        if done.returncode:
            assert err.startswith("Error: "), (args, err)


# ----------------------------------------------------------- XLSX internals
def _xlsx_parts() -> dict[str, bytes]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(_sample_bytes()["xlsx"])) as book:
        return {n: book.read(n) for n in book.namelist()}


XLSX_MUTATIONS = ["shared-strings", "dimension", "dtd", "sheet-bytes"]


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "80")),
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzz_xlsx_internals(tmp_path_factory, data) -> None:
    """Shared strings, the sheet's <dimension>, a DTD, the sheet's bytes: a workbook
    read succeeds or raises a TermbaseError, nothing else."""
    import re
    import zipfile

    parts = _xlsx_parts()
    sheet = next(n for n in parts if n.startswith("xl/worksheets/"))
    kind = data.draw(st.sampled_from(XLSX_MUTATIONS))
    if kind == "shared-strings":
        items = data.draw(
            st.lists(
                st.text(max_size=20).map(lambda t: t.replace("<", "").replace("&", "")), max_size=5
            )
        )
        count = data.draw(st.integers(-3, 10**12))
        body = "".join(f"<si><t>{t}</t></si>" for t in items)
        parts["xl/sharedStrings.xml"] = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{count}" uniqueCount="{count}">{body}</sst>'
        ).encode("utf-8", "surrogatepass")
        # cells pointing into the table, some past its end
        index = data.draw(st.integers(-2, 50))
        parts[sheet] = re.sub(
            rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
            f'<c r="\\1" t="s"><v>{index}</v></c>'.encode(),
            parts[sheet],
            count=data.draw(st.integers(1, 6)),
        )
    elif kind == "dimension":
        ref = data.draw(
            st.sampled_from(["A1", "A1:B3", "A1:XFD1048576", "", "ZZZZ9", "B2:A1", "A0:A0"])
            | st.text(alphabet="ABZ:0159", max_size=12)
        )
        parts[sheet] = re.sub(
            rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), parts[sheet]
        )
    elif kind == "dtd":
        name = data.draw(st.sampled_from(sorted(n for n in parts if n.endswith(".xml"))))
        parts[name] = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>' + parts[name]
    else:
        raw = bytearray(parts[sheet])
        for _ in range(data.draw(st.integers(1, 4))):
            pos = data.draw(st.integers(0, len(raw) - 1))
            raw[pos] = data.draw(st.integers(0, 255))
        parts[sheet] = bytes(raw)
    path = tmp_path_factory.mktemp("xlsx") / "mutated.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        for name, body in parts.items():
            out.writestr(name, body)
    with contextlib.suppress(TermbaseError):
        list(get("xlsx").read(path))
