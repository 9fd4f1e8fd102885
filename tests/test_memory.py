"""Issue 19 item 10: memory stays bounded by a fixed budget plus the result.

Each command runs in its own process on an input ten times the budget; the
process reports its peak resident set (``ru_maxrss``), compared with the
same command on a one-line input.  No timing is asserted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

if not Path("/proc/self/status").exists():
    pytest.skip("peak memory is read from /proc (Linux)", allow_module_level=True)

from termbase import Entry, Term, Termbase

#: Growth of the peak resident set allowed over a one-line input, in MB.
BUDGET_MB = 32

#: Runs the CLI in this process and prints its peak RSS (MB) on the last stderr line.
#: VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (pytest) across
#: fork and exec, while VmHWM belongs to the new program's memory alone.
PEAK = """
import re, sys
from termbase.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
except BaseException as exc:
    print("exception:", type(exc).__name__, str(exc)[:200], file=sys.stderr)
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024, file=sys.stderr)
"""


def peak_mb(*args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *args], capture_output=True, text=True, check=True
    )
    *lines, last = done.stderr.strip().splitlines()
    return int(last), "\n".join(lines)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rss") / "r.db"
    with Termbase(path) as tb:
        tb.add(Entry(terms=[Term("新发展格局", "zh-CN"), Term("new development pattern", "en")]))
    return path


def _big(path: Path, line: str, last: str = "") -> Path:
    """*line* repeated to ten times the budget, then *last*."""
    chunk = (line * 10_000).encode()
    with open(path, "wb") as fh:
        while fh.tell() < BUDGET_MB * 10 << 20:
            fh.write(chunk)
        fh.write(last.encode())
    return path


SENTENCE = "我们要加快构建国内大循环为主体、国内国际双循环相互促进的格局，推动经济社会持续健康。\n"


def test_recognize_a_document_ten_times_the_budget(db: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_text(SENTENCE + "新发展格局\n", encoding="utf-8")
    base, err = peak_mb("--db", str(db), "recognize", str(small))
    assert err.endswith("1 term occurrences, 1 entries"), err
    big = _big(tmp_path / "big.txt", SENTENCE, "新发展格局\n")
    peak, err = peak_mb("--db", str(db), "recognize", str(big))
    assert err.endswith("1 term occurrences, 1 entries"), err
    assert peak - base < BUDGET_MB, f"{peak} MB peak against {base} MB for one line"


def test_import_garbage_ten_times_the_budget_named_po(db: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.po"
    small.write_bytes(b"\x01\x02garbage\n")
    base, err = peak_mb("--db", str(db), "import", str(small))
    assert "not a PO file" in err, err
    big = _big(tmp_path / "big.po", "\x01\x02garbage, not gettext at all\n")
    peak, err = peak_mb("--db", str(db), "import", str(big))
    assert f"{big}:1: not a PO file" in err, err
    assert peak - base < BUDGET_MB, f"{peak} MB peak against {base} MB for one line"


def test_import_a_glossary_ten_times_the_budget(db: Path, tmp_path: Path) -> None:
    """The reader streams: a file of that size holding few entries costs little."""
    small = tmp_path / "small.tsv"
    small.write_text("# note\n高质量发展\thigh-quality development\n", encoding="utf-8")
    base, err = peak_mb("--db", str(db), "import", str(small), "--dry-run")
    big = _big(tmp_path / "big.tsv", "# " + SENTENCE, "高质量发展\thigh-quality development\n")
    peak, err = peak_mb("--db", str(db), "import", str(big), "--dry-run")
    assert "exception" not in err, err
    assert peak - base < BUDGET_MB, f"{peak} MB peak against {base} MB for one line"
