"""The whole CLI suite (tests/test_cli.py) against a live team server.

The same tests, the same expected output and exit codes; only the ``run``
fixture differs: it starts ``termbase serve`` (uvicorn) on a free loopback
port over the test's database and points the CLI at it with
``TERMBASE_SERVER`` and ``TERMBASE_TOKEN`` (a user "alice", as the local
tests' ``TERMBASE_USER``).  Tests of local-file matters are listed in
LOCAL_ONLY with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from termbase import Termbase, users
from termbase.cli import cli

from . import test_cli
from .conftest import FIXED_TIME, make_entry
from .serverkit import cli_runner, live_server, make_user, remote_env

#: test_cli tests that are about the local file itself, not about what a command does.
LOCAL_ONLY = {
    "test_init_refuses_existing": "init creates a local file (refused with --server, tested below)",
    "test_newer_database_is_a_clear_error": "the server refuses to start on such a file",
    "test_every_command_has_help_with_an_example": "help text does not depend on the backend",
    "test_every_command_is_in_the_readme": "the README does not depend on the backend",
}

for _name in dir(test_cli):
    if _name.startswith("test_") and _name not in LOCAL_ONLY:
        globals()[_name] = getattr(test_cli, _name)
seeded = test_cli.seeded


@pytest.fixture
def server(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setattr("termbase.rules.utcnow", lambda: FIXED_TIME)
    tokens = {"alice": make_user(db_path, "alice", "admin")}
    with live_server(db_path) as url:
        yield {"url": url, "tokens": tokens, "db": db_path}


@pytest.fixture
def run(server: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("TERMBASE_USER", "alice")
    remote_env(monkeypatch, server["url"], server["tokens"]["alice"], tmp_path / "config")
    return cli_runner()


def test_stats(run, seeded: int, server: dict[str, Any]) -> None:  # replaces test_cli's
    out = run("stats").output
    assert out.startswith(f"Database: {server['url']}\nEntries:  1 (1 proposed)\n")


def test_history_names_the_token_user_not_the_user_option(
    run, seeded: int, server: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = make_user(server["db"], "zhang.min", "terminologist")
    monkeypatch.setenv("TERMBASE_TOKEN", token)
    out = run("--user", "mallory", "approve", str(seeded), "--comment", "ok").output
    assert out == f"Approved #{seeded} 新发展格局 (version 2, by zhang.min).\n"
    records = json.loads(run("--user", "mallory", "history", str(seeded), "--json").output)
    assert [(r["action"], r["actor"]) for r in records] == [
        ("approve", "zhang.min"),
        ("add", "alice"),
    ]


def test_translator_approving_is_told_the_role_it_needs(
    run, seeded: int, server: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERMBASE_TOKEN", make_user(server["db"], "li.wei", "translator"))
    out = run("approve", str(seeded), code=1).output
    assert out == "Error: approving needs the terminologist role (you are translator)\n"
    assert json.loads(run("show", str(seeded), "--json").output)["review"] == "proposed"


def test_revoked_token_is_refused(
    run, seeded: int, server: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Termbase(server["db"], seed=False) as tb:
        users.revoke(tb.store, "alice", at=FIXED_TIME)
    out = run("search", "新发展", code=1).output
    assert out == "Error: this token is unknown or was revoked; ask an admin for a new one\n"


def test_init_is_refused_against_a_server(run) -> None:
    out = run("init", code=1).output
    assert out.startswith("Error: init creates a local database file")


def test_local_only_commands_say_so(run, tmp_path: Path) -> None:
    out = run("user", "list", code=1).output
    assert out.startswith("Error: this works on a local database file only (it needs 'store')")


def test_import_export_backup_round_trip(run, seeded: int, tmp_path: Path) -> None:
    out_file = tmp_path / "all.tbx"
    assert run("export", str(out_file), "--review", "all").output == (
        f"Exported 1 entries to {out_file}.\n"
    )
    assert "新发展格局" in out_file.read_text(encoding="utf-8")
    plan = run("import", str(out_file), "--dry-run").output
    assert plan.endswith("would import 1 entries from all.tbx: 0 new, 1 identical, 0 extended, "
                         "0 with conflicting status, 0 skipped; 0 renderings and 0 contexts "
                         "added to existing entries\n")  # fmt: skip
    missing = run("import", str(tmp_path / "nope.tbx"), code=1).output
    assert missing.startswith(f"Error: {tmp_path / 'nope.tbx'}")
    backup = tmp_path / "b.sqlite"
    assert run("backup", str(backup)).output == f"Backed up 1 entries to {backup}.\n"
    assert backup.read_bytes().startswith(b"SQLite format 3")


def test_login_stores_the_token_for_this_user_only(
    server: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("TERMBASE_TOKEN", raising=False)
    runner = CliRunner()
    token = server["tokens"]["alice"]
    result = runner.invoke(cli, ["login", server["url"]], input=token + "\n")
    assert result.exit_code == 0, result.output
    assert f"Signed in to {server['url']} as alice (admin)." in result.output
    stored = tmp_path / "config" / "termbase" / "tokens.json"
    assert stored.stat().st_mode & 0o777 == 0o600
    assert json.loads(stored.read_text())[server["url"]] == token
    with Termbase(server["db"], seed=False) as tb:
        tb.add(make_entry())
    found = runner.invoke(cli, ["--server", server["url"], "search", "新发展格局", "--brief"])
    assert found.exit_code == 0, found.output
    assert "新发展格局" in found.output
    bad = runner.invoke(cli, ["login", server["url"], "--token", "tb_9_" + "x" * 30])
    assert bad.exit_code == 1
    assert bad.output == "Error: this token is unknown or was revoked; ask an admin for a new one\n"


def test_unreachable_server_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from .serverkit import free_port

    monkeypatch.setenv("TERMBASE_TOKEN", "tb_1_" + "x" * 30)
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["--server", url, "search", "x"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach the termbase server at {url}")


def test_tm_commands(run, tmp_path: Path) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("推动高质量发展。\tPromote high-quality development.\n", encoding="utf-8")
    out = run("tm", "import", str(tsv)).output
    assert out == f"{tsv}: read 1 pairs; added 1, 0 duplicates counted, 0 skipped\n"
    out = run("tm", "match", "推动高质量的发展。", "--limit", "1").output
    assert out.splitlines()[1:] == [
        "      Promote high-quality development.",
        "      #1 pairs.tsv ×1",
    ]
    assert run("tm", "search", "高质量").output == (
        "#1  推动«高质量»发展。\n      Promote high-quality development.\n"
    )
    assert run("tm", "stats").output.startswith("pairs: 1 (seen 1 times)\n")
    tmx = tmp_path / "m.tmx"
    assert run("tm", "export", str(tmx)).output == f"{tmx}: wrote 1 pairs\n"
    assert "推动高质量发展" in tmx.read_text(encoding="utf-8")


def test_doctor(run, server: dict[str, Any]) -> None:
    assert run("doctor").output == f"{server['url']}: no problems found.\n"
