"""Nothing lost: SIGKILL in the middle of an import, concurrent reviewers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from termbase import Segment, Termbase

from .conftest import FIXED_TIME, kill_at_marker, make_entry

REPO = Path(__file__).resolve().parents[1]


def _dump(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    rows = []
    for table in ("entries", "terms", "contexts", "sources", "history", "term_keys"):
        rows.extend((table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"))
    conn.close()
    return rows


def test_sigkill_during_import_leaves_the_pre_import_content(db_path: Path) -> None:
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME) as tb:
        tb.add(make_entry())
    before = _dump(db_path)
    marker = db_path.with_suffix(".started")
    script = textwrap.dedent(f"""
        import time
        from termbase import Entry, Term, Termbase
        tb = Termbase({str(db_path)!r}, user="importer")
        def entries():
            for i in range(1_000_000):
                if i == 200:
                    open({str(marker)!r}, "w").close()
                if i >= 200:
                    time.sleep(0.01)
                yield Entry(terms=[Term(f"术语{{i}}", "zh-CN"), Term(f"term {{i}}", "en")])
        tb.import_entries(entries())
    """)
    kill_at_marker(script, marker, db_path)
    assert _dump(db_path) == before


def _dump_tm(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    rows = []
    for table in ("segments", "tm_postings", "tm_keys", "tm_meta"):
        rows.extend((table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"))
    conn.close()
    return rows


def test_sigkill_during_tm_import_leaves_the_memory_as_before(db_path: Path) -> None:
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME) as tb:
        tb.tm.import_segments([Segment("我们要推动高质量发展。", "We must promote development.")])
        tb.tm.match("我们要推动发展。")  # the index is built
    before = _dump_tm(db_path)
    marker = db_path.with_suffix(".started")
    # index rows are written every INDEX_FLUSH pairs inside the import's transaction:
    # a small value makes the kill come after several such writes
    script = textwrap.dedent(f"""
        import time
        import termbase.tm.memory
        from termbase import Segment, Termbase
        termbase.tm.memory.INDEX_FLUSH = 2_000
        tb = Termbase({str(db_path)!r}, user="importer")
        def pairs():
            for i in range(1_000_000):
                if i == 7_000:
                    open({str(marker)!r}, "w").close()
                if i >= 7_000:
                    time.sleep(0.01)
                yield Segment(f"第{{i}}句话", f"sentence {{i}}")
        tb.tm.import_segments(pairs())
    """)
    kill_at_marker(script, marker, db_path)
    assert _dump_tm(db_path) == before
    with Termbase(db_path, user="alice") as tb:
        assert [m.score for m in tb.tm.match("我们要推动高质量发展。")] == [100]


WORKER = textwrap.dedent("""
    import json, sys, time
    from termbase import ConflictError, Termbase
    db, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tb = Termbase(db, user=name)
    attempted = conflicts = done = 0
    ids = [r[0] for r in tb.store.conn.execute("SELECT id FROM entries ORDER BY id")]
    for i in range(rounds):
        entry_id = ids[i % len(ids)]
        while True:
            attempted += 1
            entry = tb.get(entry_id)
            try:
                if i % 3 == 0:
                    entry = tb.approve(entry_id, comment=f"{name}:{i}",
                                       expected_version=entry.version)
                entry.note = (entry.note + f" {name}:{i}").strip()
                tb.update(entry)
                done += 1
                break
            except ConflictError:
                conflicts += 1
    print(json.dumps({"attempted": attempted, "conflicts": conflicts, "done": done}))
""")

IMPORTER = textwrap.dedent("""
    import sys
    from termbase import Entry, Term, Termbase
    tb = Termbase(sys.argv[1], user="importer")
    for batch in range(5):
        tb.import_entries(Entry(terms=[Term(f"导入{batch}-{i}", "zh-CN"),
                                       Term(f"imported {batch} {i}", "en")])
                          for i in range(200))
    print("{}")
""")


def start_reviewers(db: Path, worker: str, rounds: int) -> list[subprocess.Popen[str]]:
    """Reviewers alice and bob running *worker*, and the importer, on *db* (also the
    benchmark's set-up: bench/bench_concurrency.py)."""

    def spawn(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    procs = [spawn(worker, str(db), name, str(rounds)) for name in ("alice", "bob")]
    procs.append(spawn(IMPORTER, str(db)))
    return procs


def test_concurrent_reviewers_lose_no_update(db_path: Path) -> None:
    with Termbase(db_path, user="setup", clock=lambda: FIXED_TIME) as tb:
        for i in range(3):
            entry = make_entry()
            entry.terms[0].text = f"新发展格局{i}"
            tb.add(entry)
    rounds = 30
    procs = start_reviewers(db_path, WORKER, rounds)
    import json

    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "database is locked" not in err
        results.append(json.loads(out))
    with Termbase(db_path, user="check") as tb:
        notes = " ".join(tb.get(i).note for i in (1, 2, 3))
        markers = notes.split()
        # every successful round appended exactly one marker: none may be missing
        assert sorted(markers) == sorted(
            f"{n}:{i}" for n in ("alice", "bob") for i in range(rounds)
        ), "an update was lost"
        assert tb.stats()["entries"] == 3 + 1000
        history = tb.history(limit=10_000)
        assert len([r for r in history if r.action == "update"]) == rounds * 2
    assert sum(r["done"] for r in results[:2]) == rounds * 2
    attempted = sum(r["attempted"] for r in results[:2])
    conflicts = sum(r["conflicts"] for r in results[:2])
    assert attempted == rounds * 2 + conflicts  # every conflict was reported and retried


def test_sigkill_during_export_leaves_no_half_written_file(tmp_path: Path) -> None:
    db = tmp_path / "big.sqlite"
    target = tmp_path / "out.tbx"
    target.write_text("the previous export\n")
    with Termbase(db, user="setup", clock=lambda: FIXED_TIME) as tb:
        from termbase import Entry, Term

        tb.import_entries(
            Entry(terms=[Term(f"术语{i}", "zh-CN"), Term(f"term {i}", "en")]) for i in range(3000)
        )
    script = textwrap.dedent(f"""
        from termbase import Termbase
        tb = Termbase({str(db)!r}, user="exporter")
        def slow(n):
            import time
            time.sleep(0.002)
        tb.export_file({str(target)!r}, review="all", progress=slow)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    deadline = time.time() + 60
    while not list(tmp_path.glob(".*.part")) and time.time() < deadline:
        time.sleep(0.02)
    assert list(tmp_path.glob(".*.part")), "the export did not start"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert target.read_text() == "the previous export\n"  # untouched, never half-written
