"""The moderated termbase's CLI tests (tests/test_moderation.py) against a live team server.

``--user`` / ``--role`` in those tests become the token of that user with
that role (see :func:`tests.serverkit.remote_cli`): against a server the
role is the admin's decision, never the client's.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import test_moderation
from .conftest import FIXED_TIME
from .serverkit import live_server, remote_cli

base = test_moderation.base
for _name, _test in vars(test_moderation).items():
    if _name.startswith("test_cli") and "run" in inspect.signature(_test).parameters:
        globals()[_name] = _test


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    monkeypatch.setattr("termbase.rules.utcnow", lambda: FIXED_TIME)
    with live_server(db_path) as url:
        yield remote_cli(db_path, url, monkeypatch, tmp_path / "config")
