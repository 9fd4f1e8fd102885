r"""Short TM queries with punctuation: recall against an exhaustive pass, and the
CPU time of short and long queries, beside another checkout (the code before).

The memory is bench_tm's (the OmegaT L10N pairs recombined; ``--size`` pairs,
built once under ``bench/data/``).  Queries:

* **short**: 2–12 character clauses of stored Chinese sides, with one to three
  punctuation marks or spaces added and one character inserted, dropped or
  replaced (issue 16 item 19: such a query missed a 74 % match);
* **long**: bench_tm's queries (stored Chinese sides edited by 0–35 %, and
  strings unlike anything stored).

Recall: every pair the exhaustive pass (the scorer's batch form,
:func:`termbase.tm.keys.unit_scores`, over every stored pair) puts at 70 % or
more should be among the matches (limit 1000); CPU time is that of the same
queries with limit 5, as the app and ``tm match`` ask.  It is reported twice: over
all such pairs, and over those that share a character pair with the query
once marks are taken out of both (the others are mostly marks — the corpus
holds patterns such as ``\d{4}([/\.-]\d{1,2}){2}`` — and reach 70 % only
because the score's length counts marks; the index cannot find them).  Each checkout builds the
same pairs into its own database (as its version indexes them) and runs the
same queries in its own process, alternately, ``--rounds`` times; CPU seconds
are the median over rounds.

Usage::

    .venv/bin/python -m bench.bench_tm_marks [--size 100000] [--short 300] [--long 200]
        [--peer /path/to/other/checkout] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_tm import DATA, make_queries, real_pairs, synthesise  # noqa: E402

MARKS = "，。、；：“”（）！？"
MIN_SCORE = 70

WORKER = r"""
import json, sys, time
from pathlib import Path
from termbase.api import Termbase
db, queries_file, out_file, size = sys.argv[1:5]
if not Path(db).exists():  # each checkout builds its own memory, as its version writes it
    from bench.bench_tm import build, real_pairs, synthesise
    build(Path(db), synthesise(real_pairs(), int(size)))
sets = json.load(open(queries_file, encoding="utf-8"))
tm = Termbase(db, user="bench", seed=False).tm
tm.match(sets["short"][0], with_terms=False)  # warm caches (and any catch-up) first
result = {}
for name, queries in sets.items():
    start = time.process_time()  # as the app and the CLI ask: the best 5
    for q in queries:
        tm.match(q, limit=5, min_score=70, with_terms=False)
    cpu = time.process_time() - start
    found = [[m.text for m in tm.match(q, limit=1000, min_score=70, with_terms=False)]
             for q in queries]
    result[name] = {"cpu": cpu, "found": found}
json.dump(result, open(out_file, "w", encoding="utf-8"))
"""


def short_queries(texts: list[str], n: int, seed: int = 19) -> list[str]:
    """Short clauses of stored Chinese sides, with marks or spaces and a character changed."""
    rng = random.Random(seed)
    alphabet = sorted({c for t in texts[:20000] for c in t if "\u4e00" <= c <= "\u9fff"})
    queries: list[str] = []
    while len(queries) < n:
        clauses = [
            c for c in rng.choice(texts).replace("。", "，").split("，") if 2 <= len(c) <= 12
        ]
        if not clauses:
            continue
        units = list(rng.choice(clauses))
        for _ in range(rng.randint(1, 3)):
            units.insert(rng.randrange(len(units) + 1), rng.choice(MARKS + " "))
        at = rng.randrange(len(units))
        edit = rng.random()
        if edit < 0.33:
            units.insert(at, rng.choice(alphabet))
        elif edit < 0.66 and len(units) > 3:
            del units[at]
        else:
            units[at] = rng.choice(alphabet)
        query = "".join(units)
        if any("\u4e00" <= c <= "\u9fff" for c in query):
            queries.append(query)
    return queries


def exhaustive(queries: list[str], texts: list[str]) -> list[set[str]]:
    """The stored texts at MIN_SCORE or more for each query, by the scorer's batch form."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from termbase.tm.keys import WORDS, ZH_MODE, index_keys, split_marks, unit_scores

    with WORDS.in_use():
        stored = [index_keys(t, ZH_MODE)[2] for t in texts]
        bare, marks = zip(*[split_marks(s, ZH_MODE) for s in stored], strict=True)
        lengths = np.fromiter(map(len, stored), dtype=np.int64, count=len(stored))
        out = []
        for q in queries:
            q_stored = index_keys(q, ZH_MODE)[2]
            q_bare, q_marks = split_marks(q_stored, ZH_MODE)
            words = process.cdist([q_bare], bare, scorer=Levenshtein.distance, dtype=np.int32)[0]
            near = np.flatnonzero(1 - words / np.maximum(lengths, len(q_stored)) >= 0.69)
            scores = unit_scores(
                words[near],
                process.cdist(
                    [q_marks], [marks[i] for i in near], scorer=Levenshtein.distance, dtype=np.int32
                )[0],
                np.maximum(lengths[near], len(q_stored)),
            )
            out.append({texts[i] for i, s in zip(near, scores, strict=True) if s >= MIN_SCORE})
    return out


def bigrams(text: str) -> set[str]:
    """The character pairs of *text* with its marks and spaces taken out."""
    from termbase.tm.keys import ZH_MODE, index_keys, split_marks

    bare = split_marks(index_keys(text, ZH_MODE)[2], ZH_MODE)[0]
    return {bare[i : i + 2] for i in range(len(bare) - 1)}


def run_checkout(checkout: Path, db: Path, queries_file: Path, size: int) -> dict[str, dict]:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    subprocess.run(
        [sys.executable, "-c", WORKER, str(db), str(queries_file), str(out), str(size)],
        check=True,
        env=env,
        cwd=checkout,
    )
    result: dict[str, dict] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--short", type=int, default=300)
    parser.add_argument("--long", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peer", type=Path, help="another checkout, e.g. the code before")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    segments = synthesise(real_pairs(), args.size)
    texts = [s.source for s in segments]
    sets = {
        "short": short_queries(texts, args.short),
        "long": [q for q in make_queries(segments, args.long) if len(q) > 12],
    }
    queries_file = Path(tempfile.mkstemp(suffix=".json")[1])
    queries_file.write_text(json.dumps(sets, ensure_ascii=False), encoding="utf-8")
    checkouts = {"this checkout": ROOT}
    if args.peer:
        checkouts[f"peer {args.peer}"] = args.peer.resolve()
    dbs = {name: DATA / f"tm_marks_{args.size}_{i}.sqlite" for i, name in enumerate(checkouts)}
    cpu: dict[str, dict[str, list[float]]] = {c: {s: [] for s in sets} for c in checkouts}
    found: dict[str, dict[str, list[list[str]]]] = {}
    for _ in range(args.rounds):
        for name, path in checkouts.items():
            result = run_checkout(path, dbs[name], queries_file, args.size)
            for s in sets:
                cpu[name][s].append(result[s]["cpu"])
            found[name] = {s: result[s]["found"] for s in sets}
    queries_file.unlink()
    print(
        f"memory: {args.size:,} pairs; {len(sets['short'])} short and {len(sets['long'])} long queries"
    )
    for kind, queries in sets.items():
        wanted = exhaustive(queries, texts)
        sharing = [
            {t for t in w if bigrams(t) & bigrams(q)} for q, w in zip(queries, wanted, strict=True)
        ]
        total, total_sharing = sum(map(len, wanted)), sum(map(len, sharing))
        for name in checkouts:
            mine = [set(f) for f in found[name][kind]]
            got = sum(len(w & f) for w, f in zip(wanted, mine, strict=True))
            got_sharing = sum(len(w & f) for w, f in zip(sharing, mine, strict=True))
            missed = sum(1 for w, f in zip(sharing, mine, strict=True) if w - f)
            cpu_s = statistics.median(cpu[name][kind])
            print(
                f"{kind} queries, {name}: found {got_sharing}/{total_sharing} of the exhaustive "
                f"≥{MIN_SCORE}% pairs sharing a character pair ({got}/{total} of all); "
                f"{missed}/{len(queries)} queries miss one; {cpu_s:.2f} s CPU "
                f"({1000 * cpu_s / len(queries):.1f} ms/query, limit 5)"
            )


if __name__ == "__main__":
    main()
