"""Two reviewers and an importer on one database: attempts, conflicts, lost updates.

Run:  python -m bench.bench_concurrency [--rounds 200]

Two processes approve and edit the same entry (each edit appends
a marker to the entry note, reading the entry first and saving with its
version; a ConflictError is counted and retried), while a third imports
1,000 entries in batches. Afterwards every marker must be in a note:
a missing one is a lost update. The peer is the same run without version
checks (``update`` with the version reloaded just before saving, i.e.
last writer wins), which shows what the check prevents.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from tests.test_safety import WORKER, start_reviewers

REPO = Path(__file__).resolve().parents[1]

#: Reviewers take a moment between reading an entry and saving it.
THINKING = WORKER.replace(
    "entry = tb.get(entry_id)\n        try:",
    "entry = tb.get(entry_id)\n        time.sleep(0.003)\n        try:",
)
#: The peer: the same reviewers with a store that does not check versions.
BLIND = THINKING.replace(
    "            tb.update(entry)",
    "            with tb.store.transaction():\n                tb.store.update_entry(entry)",
)
assert THINKING != WORKER and BLIND != THINKING


def run(worker: str, rounds: int) -> dict[str, float]:
    from termbase import Entry, Term, Termbase

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.sqlite"
        with Termbase(db, user="setup") as tb:
            tb.add(Entry(terms=[Term("概念", "zh-CN"), Term("concept", "en")]))  # one hot entry
        start = time.perf_counter()
        procs = start_reviewers(db, worker, rounds)
        outs = [p.communicate() for p in procs]
        seconds = time.perf_counter() - start
        locked = sum("database is locked" in err for _out, err in outs)
        stats = [json.loads(out) for out, _err in outs[:2]]
        with Termbase(db, user="check") as tb:
            markers = set(tb.get(1).note.split())
        expected = {f"{n}:{i}" for n in ("alice", "bob") for i in range(rounds)}
        return {
            "attempted": sum(s["attempted"] for s in stats),
            "conflicts reported": sum(s["conflicts"] for s in stats),
            "updates lost": len(expected - markers),
            "'database is locked' errors": locked,
            "seconds": round(seconds, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for label, worker in (
        ("termbase (version check)", THINKING),
        ("peer: last writer wins", BLIND),
    ):
        print(f"{label}: {run(worker, args.rounds)}", flush=True)


if __name__ == "__main__":
    main()
