"""The QA commands' CLI tests (recognize, check) against a live team server.

The same tests as tests/test_qa.py and tests/test_recognize.py; the
``run`` fixture serves their termbase over HTTP instead.  The files being
checked stay on the client: it reads them with the same readers and sends
their text.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import test_qa, test_recognize
from .serverkit import cli_runner, live_server, make_user, remote_env
from .test_recognize import make_qa_termbase

for _module in (test_qa, test_recognize):
    for _name, _test in vars(_module).items():
        if _name.startswith("test_cli") and "run" in inspect.signature(_test).parameters:
            globals()[_name] = _test


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    db = tmp_path / "qa.sqlite"
    make_qa_termbase(db).close()
    token = make_user(db, "alice", "translator")
    with live_server(db) as url:
        remote_env(monkeypatch, url, token, tmp_path / "config")
        yield cli_runner()
