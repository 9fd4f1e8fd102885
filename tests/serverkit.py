"""Helpers for tests of team mode: users for every role, a live server on a free port."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

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
