"""``--encoding`` of the commands that read a plain text file: the decoding error
names it, and it decodes the file (extract, recognize, check, score)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase.cli import cli

#: A GB18030 file: its Chinese bytes are not valid UTF-8.
TEXT = "national security and national security 国家安全 国家安全\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str, str]:
    db = str(tmp_path / "t.sqlite")
    assert CliRunner().invoke(cli, ["--db", db, "init"]).exit_code == 0
    source = tmp_path / "source.txt"
    source.write_bytes(TEXT.encode("gb18030"))
    target = tmp_path / "target.txt"
    target.write_bytes("national security\n".encode("gb18030"))
    return db, str(source), str(target)


COMMANDS = [
    ["extract", "{source}"],
    ["recognize", "{source}"],
    ["check", "{source}", "{target}"],
    ["score", "{source}", "{target}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_the_encoding_option_named_by_a_decoding_error_exists_and_decodes(
    files: tuple[str, str, str], command: list[str]
) -> None:
    db, source, target = files
    args = ["--db", db, *(a.format(source=source, target=target) for a in command)]

    wrong = CliRunner().invoke(cli, [*args, "--encoding", "utf-8"])
    assert wrong.exit_code != 0
    assert "Error:" in wrong.output and "bytes not valid utf-8" in wrong.output
    assert "pass --encoding" in wrong.output

    right = CliRunner().invoke(cli, [*args, "--encoding", "gb18030"])
    assert right.exit_code == 0, right.output
    if command[0] == "recognize":
        assert "国家安全" in right.output
