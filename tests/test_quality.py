"""Quality gates: ruff (lint and format) and mypy are clean on the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def _targets(*names: str) -> list[str]:
    return [n for n in names if (REPO / n).exists()]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=REPO, capture_output=True, text=True)


def test_ruff_lint() -> None:
    result = _run(_tool("ruff"), "check", *_targets("termbase", "tui", "tests", "bench"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run(_tool("ruff"), "format", "--check", *_targets("termbase", "tui"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = _run(_tool("mypy"), *_targets("termbase", "tui"))
    assert result.returncode == 0, result.stdout + result.stderr
