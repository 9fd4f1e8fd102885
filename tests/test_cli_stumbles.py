"""The command line where a translator stumbled (issue 16, items 11-18): one rule for
empty queries and limits, filters that say which values exist, CLI words in errors,
TM exports that honour the extension, short echoes, and listing by filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Termbase, TermStatus
from termbase.cli import cli

from .conftest import FIXED_TIME, make_entry


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TERMBASE_DB", str(db_path))
    monkeypatch.setenv("TERMBASE_USER", "alice")
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME, seed=False) as tb:
        entry = tb.add(make_entry())
        tb.set_status(entry.id or 0, "new development dynamic", TermStatus.DEPRECATED)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


def test_unknown_history_id_is_an_error(run) -> None:
    out = run("history", "99999", code=1).output
    assert out.startswith("Error: no entry 99999")


@pytest.mark.parametrize(
    "args",
    [
        ("search", ""),
        ("search", "  \u200b "),
        ("tm", "match", ""),
        ("tm", "match", " "),
        ("tm", "search", ""),
    ],
)
def test_an_empty_query_is_the_same_error_everywhere(run, args: tuple[str, ...]) -> None:
    out = run(*args, code=1).output
    assert out == "Error: give a word or phrase to search for; the query is empty\n"


@pytest.mark.parametrize(
    "args",
    [
        ("search", "发展"),
        ("tm", "match", "发展"),
        ("tm", "search", "发展"),
        ("history",),
        ("list",),
    ],
)
def test_limit_zero_is_an_error(run, args: tuple[str, ...]) -> None:
    out = run(*args, "--limit", "0", code=2).output
    assert "Invalid value for '--limit': 0 is not in the range x>=1." in out


def test_an_unknown_language_says_which_exist(run) -> None:
    out = run("search", "发展", "--lang", "fr", code=1).output
    assert out == "Error: no term is in the language 'fr'; languages in use: en, zh-CN\n"
    assert "新发展格局" in run("search", "发展", "--lang", "zh").output


def test_subjects_match_in_any_case_and_unknown_ones_are_named(run, tmp_path: Path) -> None:
    assert "新发展格局" in run("search", "发展", "--subject", "Development").output
    assert "新发展格局" in run("list", "--subject", "DEVELOPMENT").output
    out_file = tmp_path / "none.tbx"
    out = run("export", str(out_file), "--review", "all", "--subject", "nonexist", code=1).output
    assert out == "Error: no entry has the subject 'nonexist'; subjects in use: development\n"
    assert not out_file.exists()  # no empty file written with exit code 0
    out = run("export", str(out_file), "--review", "all", "--subject", "Development").output
    assert out == f"Exported 1 entries to {out_file}.\n"


def test_import_errors_speak_cli_words(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("zh,en\n高质量发展,high-quality development\n安全\n", encoding="utf-8")
    out = run("import", str(bad), code=1).output
    assert "pass --skip-bad-lines" in out and "skip_bad_lines=True" not in out
    out = run("import", str(bad), "--skip-bad-lines").output
    assert "1 new" in out and "1 bad line left out" in out
    nozh = tmp_path / "nozh.csv"
    nozh.write_text("a,b\n1,2\n", encoding="utf-8")
    for args in (("import", str(nozh)), ("tm", "import", str(nozh))):
        out = run(*args, code=1).output
        assert "pass --columns (e.g. --columns en,zh,note)" in out, out
        assert "columns=" not in out


def test_export_names_only_the_formats_it_can_write(run, tmp_path: Path) -> None:
    out = run("export", str(tmp_path / "x.xyz"), code=1).output
    assert out.endswith("pass --format with one of: tbx, tbx2008, tmx, po, csv, tsv, xlsx\n")
    out = run("export", str(tmp_path / "x.tbx"), "--format", "xliff", code=2).output
    assert "'xliff' is not one of" in out


def test_tm_export_honours_the_extension(run, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tmx"
    pairs.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-CN" '
        'segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x" creationtool="t" '
        'creationtoolversion="1"/><body><tu><tuv xml:lang="zh-CN"><seg>推动高质量发展。</seg>'
        '</tuv><tuv xml:lang="en"><seg>Promote high-quality development.</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    run("tm", "import", str(pairs))
    tsv = tmp_path / "tmout.tsv"
    out = run("tm", "export", str(tsv), code=1).output
    assert "a translation memory is written as tmx, xliff, not tsv" in out
    assert not tsv.exists()
    xlf = tmp_path / "tmout.xlf"
    run("tm", "export", str(xlf))
    assert "<xliff" in xlf.read_text(encoding="utf-8")
    tmx = tmp_path / "tmout.tmx"
    run("tm", "export", str(tmx))
    assert "<tmx" in tmx.read_text(encoding="utf-8")


def test_a_long_query_is_not_echoed_in_full(run) -> None:
    query = "发" * 10_000
    out = run("search", query).output
    assert out.startswith("No entries match '发发发")
    assert len(out) < 100
    out = run("tm", "search", "a" * 10_000).output
    assert len(out) < 100


def test_list_by_filters_without_a_query(run) -> None:
    out = run("list", "--status", "deprecated").output.splitlines()
    assert out[0].split() == ["id", "Chinese", "pinyin", "English", "review", "subject"]
    assert "新发展格局" in out[2]
    assert "new development dynamic → use: new development pa…" in out[2]
    assert run("list", "--status", "superseded").output == "No entries pass these filters.\n"
    assert "新发展格局" in run("list", "--review", "proposed").output
