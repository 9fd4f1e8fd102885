"""Peak memory of term extraction on large documents, beside the previous code.

Run:  python -m bench.bench_extract [--mb 10,100] [--old-limit-gb 6] [--rebuild]

Data: the paper (``../shared/paper/development-and-security.txt``, English),
cut into sentences and written out in shuffled order until the document
holds ``--mb`` megabytes; in about a third of the sentences two words swap
places, so that new word sequences keep appearing as a long real document's
do and the counters reach their cap (``termbase.extract.COUNTER_CAP``)
instead of seeing the same sentences again.  Cached under ``bench/data/``.

Measured, each in a fresh process: peak RSS (``ru_maxrss``) and wall time of
``termbase.extract.extract`` on the document streamed from the file line by
line (what ``termbase extract FILE`` does, with no termbase), and of the
previous code (``termbase/extract.py`` at commit ``PREVIOUS``, loaded from
git) on the document read whole, as it was called.  The previous code runs
under an address-space limit of ``--old-limit-gb`` (it needed 11.9 GB for
100 MB): past it, the figure is "over the limit".  When both finish, the
share of their top 50 candidates in common is given.  Results go to
``bench/results/extract.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results"
PAPER = REPO.parent / "shared" / "paper" / "development-and-security.txt"

#: The last commit with the extraction that read the whole document into memory.
PREVIOUS = "d9118ed"
#: Share of generated sentences in which two words swap places.
SWAP_SHARE = 0.3


def build(mb: int, path: Path) -> None:
    """The paper's sentences, shuffled (some with two words swapped), to *mb* MB."""
    from termbase.extract import sentences

    pool = sentences(PAPER.read_text(encoding="utf-8"))
    rng = random.Random(mb)
    target = mb * 1_000_000
    size = 0
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8") as out:
        while size < target:
            rng.shuffle(pool)
            for sentence in pool:
                words = sentence.split(" ")
                if len(words) > 3 and rng.random() < SWAP_SHARE:
                    i, j = rng.sample(range(len(words)), 2)
                    words[i], words[j] = words[j], words[i]
                line = " ".join(words) + "\n"
                out.write(line)
                size += len(line.encode("utf-8"))
                if size >= target:
                    break
    tmp.replace(path)


def _previous_module() -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{PREVIOUS}:termbase/extract.py"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("previous_extract")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{PREVIOUS}:termbase/extract.py", "exec"), module.__dict__)
    return module


def child(which: str, path: str) -> None:
    """Run one extraction and print its figures as JSON (in a fresh process)."""
    start = time.perf_counter()
    if which == "new":
        from termbase.extract import extract
        from termbase.qa import TextLines

        cands = extract(None, TextLines(path))
    else:
        from termbase.formats._io import read_text

        cands = _previous_module().extract(None, None, read_text(path))
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss, "top": [c.text for c in cands]}))


def run(which: str, path: Path, limit_gb: float | None) -> dict[str, Any]:
    def limit() -> None:
        if limit_gb:
            size = int(limit_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_extract", "--child", which, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        preexec_fn=limit,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {
            "over_limit": "MemoryError" in proc.stderr or proc.returncode < 0,
            "error": last[:200],
            "seconds": time.perf_counter() - start,
        }
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--mb", default="10,100", help="document sizes in MB, comma-separated")
    ap.add_argument("--old-limit-gb", type=float, default=6.0)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--child", nargs=2, metavar=("WHICH", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    if not PAPER.exists():
        sys.exit(f"the paper is not at {PAPER}")
    from termbase import extract

    DATA.mkdir(exist_ok=True)
    rows = []
    for mb in [int(x) for x in args.mb.split(",")]:
        path = DATA / f"extract-{mb}mb.txt"
        if args.rebuild or not path.exists():
            build(mb, path)
        new = run("new", path, None)
        old = run("old", path, args.old_limit_gb)
        row = {"mb": mb, "new": new, "old": old, "counter_cap": extract.COUNTER_CAP}
        if "top" in new and "top" in old:
            row["top50_in_common"] = len(set(new["top"]) & set(old["top"]))
        rows.append(row)
        print(_line(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "extract.json"
    out.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(REPO)}")


def _line(row: dict[str, Any]) -> str:
    def show(r: dict[str, Any]) -> str:
        if "rss_mb" in r:
            return f"{r['rss_mb']:7.0f} MB {r['seconds']:6.0f} s"
        return f"failed after {r['seconds']:.0f} s: {r['error']}"

    common = row.get("top50_in_common")
    same = f"; top 50 in common: {common}/50" if common is not None else ""
    return f"{row['mb']:4} MB document: streamed {show(row['new'])} | previous {show(row['old'])}{same}"


if __name__ == "__main__":
    main()
