"""The floor of a ``tm import``: what each of its parts costs on its own.

Run:  python -m bench.bench_tm_import_floor [--units 100000]

Issue #14 asks for ``tm import`` of a TMX at translate-toolkit's speed of
parsing the file and reading every unit. Beside that peer in the same run
(before and after, ratio against the mean, CPU time), one process measures
in turn, on the benchmark's TMX (``bench.bench_import.make_tmx``):

* **our reader** alone: the segments of the file, streamed and counted;
* the **de-duplication digest** of every pair (NFC, white space, SHA-1);
* the **index keys** of every pair (bigrams, words, stored keys, lengths);
* **SQL alone**: into a fresh memory, in one transaction, the digests looked
  up, the pairs' rows written by one ``executemany`` (tuples built before
  the clock starts) and the index rows (postings, ``tm_keys``, lengths);
* the **whole import** of the file into another fresh memory.

A part's µs per unit beside the peer's says how much of the peer's budget
it takes by itself: parts that are each a large share of it, and cannot be
skipped, put the target out of reach of this design.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from bench.bench_import import DATA, beside_peer, floor_arguments

CHILD = textwrap.dedent("""
    import gc, json, os, shutil, sys, tempfile, time
    path = sys.argv[1]
    work = tempfile.mkdtemp(dir=sys.argv[2])  # fresh memories, removed at the end
    cpu = time.process_time
    out = {}

    from termbase import Termbase
    from termbase.formats import tmx
    from termbase.tm.candidates import CandidateIndex, index_segment
    from termbase.tm.keys import segment_hash

    t = cpu(); out["units"] = sum(1 for _ in tmx.read_segments(path)); out["read"] = cpu() - t
    # the later parts run on pairs held in memory, as an import holds its batch; the
    # collector is told to leave them be, so no part pays for rescanning the others' data
    segs = list(tmx.read_segments(path))
    gc.collect()
    gc.freeze()
    t = cpu(); digests = [segment_hash(s) for s in segs]; out["digest"] = cpu() - t
    for number, seg in enumerate(segs, start=1):
        seg.id, seg.origin, seg.creator = number, "floor", "floor"
        seg.created_at = seg.changed_at = "2026-12-07T00:00:00Z"
    pending, lengths, keys = {}, [], []
    t = cpu()
    for seg in segs:
        lengths.append(index_segment(seg, seg.id, pending, keys))
    out["keys"] = cpu() - t
    tb = Termbase(os.path.join(work, "sql.sqlite"), user="floor", seed=False)
    tables = tb.store.segments
    rows = list(zip(segs, digests))
    with tb.store.transaction():
        t = cpu(); tables.known_hashes(digests); out["sql_lookup"] = cpu() - t
        t = cpu(); tables.insert_segments(rows); out["sql_pairs"] = cpu() - t
        t = cpu(); CandidateIndex(tables).flush(pending, lengths, keys); out["sql_index"] = cpu() - t
        t = cpu()
    out["sql_commit"] = cpu() - t
    tb.close()
    del segs, digests, rows, pending, lengths, keys
    gc.unfreeze()  # the whole import as it runs anywhere
    tb = Termbase(os.path.join(work, "import.sqlite"), user="floor", seed=False)
    t = cpu(); tb.tm.import_file(path); out["import"] = cpu() - t
    tb.close()
    shutil.rmtree(work)
    print(json.dumps(out))
""")

PARTS = (
    ("read", "our TMX reader alone (segments)"),
    ("digest", "de-duplication digest of each pair"),
    ("keys", "index keys of each pair (bigrams, words, lengths)"),
    ("sql_lookup", "SQL: digests looked up"),
    ("sql_pairs", "SQL: pair rows by one executemany"),
    ("sql_index", "SQL: postings, tm_keys, lengths"),
    ("sql_commit", "SQL: commit"),
    ("import", "whole tm import into an empty memory"),
)


def main() -> None:
    args = floor_arguments(__doc__)
    before, parts, after, peer_us = beside_peer(args.units, CHILD, "tm import parts")
    units = int(parts["units"])
    print(f"{'part':<52} {'µs/unit':>8} {'share of peer':>14}")
    for key, label in PARTS:
        us = float(parts[key]) / units * 1e6
        print(f"{label:<52} {us:8.1f} {us / peer_us:13.0%}")
    unavoidable = sum(float(parts[k]) for k in ("read", "sql_pairs")) / units * 1e6
    print(f"reader + pair rows alone: {unavoidable:.1f} µs/unit = {peer_us / unavoidable:.2f}x")
    text = json.dumps({"peer_before": before, "peer_after": after, "parts": parts}, indent=2)
    (DATA / "bench_tm_import_floor.json").write_text(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
