"""Every CLI command through click's CliRunner, asserting the exact text users see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Termbase
from termbase.cli import cli

from .conftest import FIXED_TIME, make_entry


@pytest.fixture
def seeded(db_path: Path) -> int:
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME) as tb:
        return tb.add(make_entry()).id or 0


def test_add_then_search_json(run) -> None:
    out = run(
        "add",
        "新发展格局",
        "new development pattern",
        "new development dynamic",
        "--subject",
        "development",
        "--deprecated",
        "New Development Paradigm",
    ).output
    assert out == "Added entry #1: 新发展格局 → new development pattern (proposed)\n"
    hits = json.loads(run("search", "新发展", "--json").output)
    assert len(hits) == 1
    hit = hits[0]
    assert (hit["id"], hit["zh"], hit["en"], hit["review"]) == (
        1,
        "新发展格局",
        "new development pattern",
        "proposed",
    )
    assert [(t["lang"], t["text"], t["status"]) for t in hit["terms"]] == [
        ("zh-CN", "新发展格局", "preferred"),
        ("en", "new development pattern", "preferred"),
        ("en", "new development dynamic", "admitted"),
        ("en", "New Development Paradigm", "deprecated"),
    ]


def test_add_with_context_and_source(run) -> None:
    run(
        "add",
        "高水平安全",
        "high-level security",
        "--context",
        "China must ensure high-level security.",
        "--locator",
        "Part 3",
        "--source",
        "Some paper",
        "--source-author",
        "CICIR Task Force",
        "--source-date",
        "2025",
        "--approve",
    )
    out = run("show", "1").output
    assert "review:     approved by alice on 2026-01-02T03:04:05Z" in out
    assert "      “China must ensure high-level security.”\n" in out
    assert "        — Part 3; CICIR Task Force, Some paper, 2025\n" in out


def test_search_table(run, seeded: int) -> None:
    out = run("search", "development").output
    lines = out.splitlines()
    assert lines[0].split() == ["id", "Chinese", "pinyin", "English", "review", "subject"]
    assert lines[2].startswith(f"{seeded}   新发展格局")
    assert "new development pattern" in lines[2]


def test_search_no_hits(run, seeded: int) -> None:
    assert run("search", "量子").output == "No entries match '量子'.\n"


def test_search_bad_status(run) -> None:
    out = run("search", "x", "--status", "best", code=2).output
    assert "Invalid value for '--status': 'best' is not one of" in out


def test_show_readable_and_json(run, seeded: int) -> None:
    out = run("show", str(seeded)).output
    assert out.startswith(f"#{seeded}  新发展格局  xīn fāzhǎn géjú\nreview:     proposed\n")
    assert "  new development pattern  [en, preferred]\n      note: official usage\n" in out
    assert "  NDP  [en, admitted, abbreviation]\n" in out
    data = json.loads(run("show", str(seeded), "--json").output)
    assert data["terms"][1]["contexts"][0]["locator"] == "Part 2"


def test_unknown_id_is_a_clear_error(run) -> None:
    result = run("show", "42", code=1)
    assert result.output == "Error: no entry 42; find ids with 'termbase search QUERY'\n"


def test_approve_reject_history(run, seeded: int) -> None:
    assert run("approve", str(seeded), "--comment", "official").output == (
        f"Approved #{seeded} 新发展格局 (version 2, by alice).\n"
    )
    assert run("reject", str(seeded), "--reason", "duplicate").output == (
        f"Rejected #{seeded} 新发展格局 (version 3, by alice).\n"
    )
    assert run("history", str(seeded)).output == (
        f"{FIXED_TIME}  alice  reject  #{seeded} 新发展格局  — duplicate\n"
        f"{FIXED_TIME}  alice  approve  #{seeded} 新发展格局  — official\n"
        f"{FIXED_TIME}  alice  add  #{seeded} 新发展格局\n"
    )


def test_reject_needs_reason(run, seeded: int) -> None:
    out = run("reject", str(seeded), code=2).output
    assert "Missing option '--reason'" in out


def test_stale_version_is_refused(run, seeded: int) -> None:
    run("approve", str(seeded))
    out = run("approve", str(seeded), "--version", "1", code=1).output
    assert out == (
        f"Error: entry {seeded} was changed by alice at {FIXED_TIME} (now version 2, you had "
        "version 1); reload it, check their change, and try again\n"
    )


def test_set_status(run, seeded: int) -> None:
    out = run(
        "set-status",
        str(seeded),
        "new development dynamic",
        "deprecated",
        "--note",
        "use: new development pattern",
    ).output
    assert out == (
        f"#{seeded} 新发展格局: 'new development dynamic' is now deprecated (version 2).\n"
    )
    out = run("set-status", str(seeded), "no such term", "admitted", code=1).output
    assert out.startswith(f"Error: entry {seeded} has no term 'no such term'; its terms are: ")


def test_stats(run, seeded: int, db_path: Path) -> None:
    assert run("stats").output == (
        f"Database: {db_path}\n"
        "Entries:  1 (1 proposed)\n"
        "Terms:    4 (3 en, 1 zh-CN)\n"
        "Status:   2 admitted, 2 preferred\n"
        "Contexts: 1; sources: 1; history records: 1; TM segments: 0\n"
        "Subjects: development (1)\n"
    )


def test_init_refuses_existing(run, seeded: int, db_path: Path) -> None:
    out = run("init", code=1).output
    assert out == f"Error: {db_path} already exists; use it as it is, or choose another --db\n"


def test_newer_database_is_a_clear_error(run, db_path: Path) -> None:
    import sqlite3

    Termbase(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    out = run("stats", code=1).output
    assert out.startswith(f"Error: {db_path}: this database was written by a newer termbase")


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    from termbase.cli import _Group

    ctx = cli.make_context("termbase", [], resilient_parsing=True)
    assert isinstance(cli, _Group)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        if hasattr(command, "list_commands"):
            continue
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"


def test_every_command_is_in_the_readme() -> None:
    from .conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ctx = cli.make_context("termbase", [], resilient_parsing=True)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert f"termbase {name}" in readme, f"termbase {name} is not in the README"
        for sub in getattr(command, "commands", {}):
            assert f"{name} {sub}" in readme, f"termbase {name} {sub} is not in the README"


def test_exact_search_shows_every_rendering_with_evidence(run, seeded: int) -> None:
    out = run("search", "新发展格局").output
    assert f"#{seeded}  新发展格局  xīn fāzhǎn géjú" in out
    assert "  new development pattern  [en, preferred]\n" in out
    assert "  new development dynamic  [en, admitted]\n" in out
    assert "      “China has made progress in pursuing a new development pattern.”\n" in out
    assert "#" not in run("search", "新发展格局", "--brief").output.split("\n", 3)[-1]
    hits = json.loads(run("search", "新发展格局", "--json").output)
    context = hits[0]["terms"][1]["contexts"][0]
    assert context["locator"] == "Part 2"
    assert context["source"].startswith("CICIR Task Force, Achieving Mutual Reinforcement")
