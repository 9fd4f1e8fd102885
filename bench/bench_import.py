"""Import/export speed and memory at a million units, beside translate-toolkit.

Run:  python -m bench.bench_import [--units 1000000]

For a TMX of N translation units and a TBX 2008 file of N terms (N/2
concepts, one Chinese and one English term each), it measures in separate
processes (so peak RSS is per task):

* translate-toolkit merely parsing the file (the peer), and parsing it and
  reading every unit's source and target (what a consumer of the units
  does; the issue's "~22k units/s" was measured that way);
* ``termbase import`` of the same file into a fresh database (parse,
  merge, store, search index: the whole job);
* termbase exporting N/2 entries to TMX and TBX, and translate-toolkit
  serialising the same number of units;
* peak RSS of our import at N/10 and at N units (memory must stay flat);
* the merge path: the same TMX imported again into the termbase that the
  first import filled (every unit meets a stored entry: batched look-ups,
  nothing new to write);
* ``termbase tm import`` of the same TMX (translation-memory pairs) into a
  fresh database;
* our readers alone, streaming the same file and reading every unit's
  source and target (TMX as translation-memory segments and as glossary
  entries, TBX as entries), beside the same peer (``--read-only`` runs just
  these and the peer; ``--tm-only`` adds ``tm import`` at N/10 and N units).

Every ratio is against translate-toolkit parsing the file and reading every
unit, measured in the same run (the machine is shared, so absolute times
are noisy; ratios are what the targets of issue #14 name).

The synthetic files are written by this script (plain templates, not by
our writers) under bench/data/.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPO = HERE.parent

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
WORDS = [
    "development",
    "security",
    "pattern",
    "national",
    "modernization",
    "governance",
    "economic",
    "system",
    "capacity",
    "global",
    "strategy",
    "cooperation",
    "innovation",
    "quality",
    "productive",
    "forces",
    "reform",
    "opening",
    "people",
    "policy",
]


def _zh(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(n))


def _en(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_tmx(path: Path, units: int) -> None:
    """A glossary TMX 1.4 file: *units* zh-CN → en term pairs (2–9 characters,
    1–4 words: what a termbase import reads; sentence-length TMX is the
    translation memory's benchmark, bench/bench_tm.py)."""
    rng = random.Random(1)
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        out.write(
            '<header creationtool="bench" creationtoolversion="1" segtype="sentence" '
            'o-tmf="bench" adminlang="en" srclang="zh-CN" datatype="plaintext"/>\n<body>\n'
        )
        for i in range(units):
            zh = f"{_zh(rng, rng.randint(2, 8))}{i}"
            en = f"{_en(rng, rng.randint(1, 4))} {i}"
            out.write(
                f'<tu tuid="{i}"><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
                f'<tuv xml:lang="en"><seg>{en}</seg></tuv></tu>\n'
            )
        out.write("</body>\n</tmx>\n")


def make_tbx2008(path: Path, terms: int) -> None:
    """A TBX 2008 (martif) file with *terms* terms: terms/2 concepts, zh + en each."""
    rng = random.Random(2)
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en">\n'
            "<martifHeader><fileDesc><sourceDesc><p>bench</p></sourceDesc></fileDesc>"
            "</martifHeader>\n<text><body>\n"
        )
        for i in range(terms // 2):
            zh = f"{_zh(rng, rng.randint(2, 8))}{i}"
            en = f"{_en(rng, rng.randint(1, 4))} {i}"
            out.write(
                f'<termEntry id="c{i}"><descrip type="subjectField">bench</descrip>'
                f'<langSet xml:lang="zh-CN"><tig><term>{zh}</term></tig></langSet>'
                f'<langSet xml:lang="en"><tig><term>{en}</term>'
                '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>'
                "</tig></langSet></termEntry>\n"
            )
        out.write("</body></text>\n</martif>\n")


CHILD = textwrap.dedent("""
    import json, resource, sys, time
    task, path, extra = sys.argv[1], sys.argv[2], sys.argv[3]
    t0 = time.perf_counter()
    _u = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = _u.ru_utime + _u.ru_stime
    count = 0
    if task == "ttk-parse-tmx":
        from translate.storage import tmx
        store = tmx.tmxfile.parsefile(path)
        count = len(store.units)
    elif task == "ttk-parse-tbx":
        from translate.storage import tbx
        store = tbx.tbxfile.parsefile(path)
        count = len(store.units)
    elif task in ("ttk-read-tmx", "ttk-read-tbx"):
        from translate.storage import tbx, tmx
        kind = tmx.tmxfile if task.endswith("tmx") else tbx.tbxfile
        store = kind.parsefile(path)
        pairs = [(u.source, u.target) for u in store.units]
        count = len(pairs)
    elif task == "ttk-write-tmx":
        from translate.storage import tmx
        store = tmx.tmxfile(sourcelanguage="zh-CN", targetlanguage="en")
        n = int(extra)
        t0 = time.perf_counter()
        for i in range(n):
            store.addtranslation(f"源文本{i}", "zh-CN", f"source text {i}", "en")
        with open(path, "wb") as fh:
            store.serialize(fh)
        count = n
    elif task == "ttk-write-tbx":
        from translate.storage import tbx
        store = tbx.tbxfile()
        n = int(extra)
        t0 = time.perf_counter()
        for i in range(n):
            unit = store.addsourceunit(f"源文本{i}")
            unit.target = f"source text {i}"
        with open(path, "wb") as fh:
            store.serialize(fh)
        count = n
    elif task == "tb-read-tmx-segments":
        from termbase.formats import tmx
        pairs = ((s.source, s.target) for s in tmx.read_segments(path))
        count = sum(1 for _ in pairs)
    elif task in ("tb-read-tmx", "tb-read-tbx"):
        from termbase.formats import tbx, tmx
        module = tmx if task.endswith("tmx") else tbx
        texts = ([t.text for t in e.terms] for e in module.read(path))
        count = sum(1 for _ in texts)
    elif task == "tb-import":
        from termbase import Termbase
        tb = Termbase(extra, user="bench", seed=False)
        report = tb.import_file(path)
        count = report.total
        tb.close()
    elif task == "tb-tm-import":
        from termbase import Termbase
        tb = Termbase(extra, user="bench", seed=False)
        report = tb.tm.import_file(path)
        count = report.read
        tb.close()
    elif task.startswith("tb-export-"):
        from termbase import Termbase
        tb = Termbase(extra, user="bench", seed=False)
        fmt = task.rsplit("-", 1)[1]
        count = tb.export_file(path, format=fmt, review="all")  # imported entries are proposed
        tb.close()
    seconds = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu0
    rss = usage.ru_maxrss / 1024
    print(json.dumps({"task": task, "count": count, "seconds": seconds, "cpu_seconds": cpu,
                      "peak_rss_mb": rss}))
""")


def child(code: str, args: list[str], label: str) -> Any:
    """Run *code* in a fresh Python process with *args*; its last line of output,
    read as JSON (the process fails loudly under *label*)."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"{label} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def floor_arguments(doc: str) -> argparse.Namespace:
    """The command line of a floor benchmark (``--units``, ``--out``)."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--out", default="", help="write the JSON results to this file too")
    return parser.parse_args()


def beside_peer(
    units: int, code: str, label: str
) -> tuple[dict[str, float], Any, dict[str, float], float]:
    """The benchmark's TMX of *units* units (written if missing), translate-toolkit
    parse+read of it, *code* run on it in a fresh process (its arguments: the
    file and the data folder; its JSON must give ``units``), and the peer again:
    ``(peer before, code's JSON, peer after, the peer's mean CPU µs per unit)``."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"import-{units}.tmx"
    if not path.exists():
        make_tmx(path, units)
    print(f"TMX ({units} units): peer, {label}, peer again", flush=True)
    before = run("ttk-read-tmx", path)
    parts = child(code, [str(path), str(DATA)], label)
    after = run("ttk-read-tmx", path)
    peer_us = (before["cpu_seconds"] + after["cpu_seconds"]) / 2 / int(parts["units"]) * 1e6
    print(f"\npeer: translate-toolkit parse+read, {peer_us:.1f} µs of CPU per unit (mean)")
    return before, parts, after, peer_us


def run(task: str, path: Path, extra: str = "") -> dict[str, float]:
    """Run one task in a fresh process; returns its JSON result."""
    result: dict[str, float] = child(CHILD, [task, str(path), extra], task)
    rate = result["count"] / result["seconds"] if result["seconds"] else 0.0
    print(
        f"  {task:<16} {int(result['count']):>9} units  {result['seconds']:8.1f} s  "
        f"{rate:>9.0f} units/s  CPU {result['cpu_seconds']:8.1f} s  "
        f"peak RSS {result['peak_rss_mb']:7.1f} MB",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument(
        "--kinds", default="tmx,tbx", help="which files to measure (comma-separated: tmx,tbx)"
    )
    parser.add_argument("--no-export", action="store_true", help="skip the export tasks")
    parser.add_argument(
        "--no-tmx-extra", action="store_true", help="skip the TMX merge path and tm import"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="only the peer and our readers (no imports)"
    )
    parser.add_argument(
        "--tm-only",
        action="store_true",
        help="only the peer, our readers and tm import at N/10 and N (no glossary imports)",
    )
    parser.add_argument("--out", default="", help="write the JSON results to this file too")
    args = parser.parse_args()
    n = args.units
    kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    DATA.mkdir(exist_ok=True)
    results: dict[str, dict[str, float]] = {}
    for kind, maker, ext in (("tmx", make_tmx, "tmx"), ("tbx", make_tbx2008, "tbx")):
        if kind not in kinds:
            continue
        small, big = DATA / f"import-{n // 10}.{ext}", DATA / f"import-{n}.{ext}"
        for path, size in ((small, n // 10), (big, n)):
            if not path.exists():
                t = time.perf_counter()
                maker(path, size)
                print(
                    f"wrote {path.name} ({path.stat().st_size / 1e6:.0f} MB) in "
                    f"{time.perf_counter() - t:.0f} s",
                    flush=True,
                )
        print(f"{kind.upper()} ({n} units):", flush=True)
        peer = run(f"ttk-parse-{kind}", big)
        reader = run(f"ttk-read-{kind}", big)
        results[f"{kind}-peer-read"] = reader
        readers = ("tb-read-tmx-segments", "tb-read-tmx") if kind == "tmx" else ("tb-read-tbx",)
        for task in readers:
            results[task] = run(task, big)
        if args.read_only or args.tm_only:
            if args.tm_only and kind == "tmx":
                for path, label in ((small, "small"), (big, "big")):
                    tm_db = _fresh(DATA / f"import-tm-{label}.sqlite")
                    results[f"tmx-tm-import-{label}"] = run("tb-tm-import", path, str(tm_db))
            again = results[f"{kind}-peer-read-after"] = run(f"ttk-read-{kind}", big)
            mean = _mean(reader, again)
            for task in readers:
                print(f"  {task} vs ttk parse and read: {_ratio(mean, results[task])}")
            if args.tm_only and kind == "tmx":
                ours, small_ours = results["tmx-tm-import-big"], results["tmx-tm-import-small"]
                print(
                    f"  tm import vs ttk parse and read: {_ratio(mean, ours)}; memory growth "
                    f"from {n // 10} to {n} pairs: "
                    f"{ours['peak_rss_mb'] - small_ours['peak_rss_mb']:.0f} MB",
                    flush=True,
                )
            continue
        for path, label in ((small, "small"), (big, "big")):
            db = _fresh(DATA / f"import-{kind}-{label}.sqlite")
            results[f"{kind}-import-{label}"] = run("tb-import", path, str(db))
        db = DATA / f"import-{kind}-big.sqlite"
        extra = kind == "tmx" and not args.no_tmx_extra
        if extra:
            results["tmx-merge-big"] = run("tb-import", big, str(db))
            tm_db = _fresh(DATA / "import-tm-big.sqlite")
            results["tmx-tm-import-big"] = run("tb-tm-import", big, str(tm_db))
        # the peer again after our tasks: the machine's load drifts during a long run,
        # so each ratio is against the mean of the peer measured before and after
        again = results[f"{kind}-peer-read-after"] = run(f"ttk-read-{kind}", big)
        reader = _mean(reader, again)
        results[f"{kind}-peer-read-mean"] = reader
        results[f"{kind}-peer"] = peer
        ours = results[f"{kind}-import-big"]
        small_ours = results[f"{kind}-import-small"]
        print(
            f"  import {n} vs ttk parse and read every unit's text: {_ratio(reader, ours)}; "
            f"import {n // 10}: {_ratio(reader, small_ours)}; memory growth from {n // 10} "
            f"to {n} units: {ours['peak_rss_mb'] - small_ours['peak_rss_mb']:.0f} MB",
            flush=True,
        )
        if extra:
            print(
                f"  merge path (the same file again, {n} units into the filled termbase) "
                f"vs ttk parse and read: {_ratio(reader, results['tmx-merge-big'])}",
                flush=True,
            )
            print(
                "  tm import vs ttk parse and read: "
                f"{_ratio(reader, results['tmx-tm-import-big'])}",
                flush=True,
            )
        if args.no_export:
            continue
        exported = run(f"tb-export-{kind}", DATA / f"export.{kind}", str(db))
        writer = run(f"ttk-write-{kind}", DATA / f"ttk-export.{kind}", str(int(exported["count"])))
        print(
            f"  export vs ttk writer: {writer['seconds'] / exported['seconds']:.2f}x faster",
            flush=True,
        )
    text = json.dumps(results, indent=2)
    (DATA / "bench_import.json").write_text(text)
    if args.out:
        Path(args.out).write_text(text)


def _fresh(db: Path) -> Path:
    """*db* with any earlier database (and its WAL files) removed."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def _mean(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    """The peer's two runs as one: mean seconds and CPU seconds."""
    return a | {k: (a[k] + b[k]) / 2 for k in ("seconds", "cpu_seconds") if k in a and k in b}


def _ratio(peer: dict[str, float], ours: dict[str, float]) -> str:
    """Our rate over the peer's (units per second), both from this run: wall clock,
    and CPU time (which leaves out waiting for a busy machine's other processes)."""
    out = []
    for key in ("seconds", "cpu_seconds"):
        if peer.get(key) and ours.get(key):
            out.append(f"{(ours['count'] / ours[key]) / (peer['count'] / peer[key]):.3f}x")
    return " wall, ".join(out) + " CPU"


if __name__ == "__main__":
    main()
