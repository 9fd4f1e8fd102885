"""Helpers for tests of team mode: users for every role, a live server on a free port."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from termbase import Termbase, users
from termbase.server import Settings, create_app, wait_ready

from .conftest import FIXED_TIME

ROLES = ("viewer", "translator", "terminologist", "admin")


def add_users(db: Path) -> dict[str, str]:
    """A user per role (named after it); returns role -> token."""
    with Termbase(db, seed=False) as tb:
        return {
            role: users.add_user(tb.store, role, role, at=FIXED_TIME, by="test") for role in ROLES
        }


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(db: Path, **settings: object) -> Iterator[str]:
    """``termbase serve`` (uvicorn) on a free loopback port in a thread; yields its URL."""
    import uvicorn

    port = free_port()
    app = create_app(Settings(db=str(db), **settings))  # type: ignore[arg-type]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def make_user(db: Path, name: str, role: str) -> str:
    """Create user *name* with *role* in *db*; returns their token."""
    with Termbase(db, seed=False) as tb:
        return users.add_user(tb.store, name, role, at=FIXED_TIME, by="test")


def remote_env(monkeypatch: Any, url: str, token: str, config: Path) -> None:
    """Point the command line at the server *url* with *token*, as a user would."""
    monkeypatch.delenv("TERMBASE_DB", raising=False)
    monkeypatch.setenv("TERMBASE_SERVER", url)
    monkeypatch.setenv("TERMBASE_TOKEN", token)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))


def cli_runner() -> Callable[..., Any]:
    """``invoke(*args, code=0)``: run the CLI in process and check its exit code."""
    from click.testing import CliRunner

    from termbase.cli import cli

    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> Any:
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


def remote_cli(db: Path, url: str, monkeypatch: Any, config: Path) -> Callable[..., Any]:
    """``invoke(*args, code=0)`` of the CLI against the server *url* over *db*.

    A leading ``--user U`` / ``--role R`` (the local tests' way to act as
    somebody) becomes what it means against a server: the token of user U
    (default alice), whose role an admin has set to R (default admin).
    """
    tokens: dict[str, str] = {}
    remote_env(monkeypatch, url, "", config)
    local = cli_runner()

    def invoke(*args: str, code: int = 0) -> Any:
        rest, user, role = list(args), "alice", "admin"
        while rest and rest[0] in ("--user", "--role"):
            if rest[0] == "--user":
                user = rest[1]
            else:
                role = rest[1]
            rest = rest[2:]
        with Termbase(db, seed=False) as tb:
            if user not in tokens:
                tokens[user] = users.add_user(tb.store, user, role, at=FIXED_TIME, by="test")
            users.set_role(tb.store, user, role)
        monkeypatch.setenv("TERMBASE_TOKEN", tokens[user])
        return local(*rest, code=code)

    return invoke
