"""Translation-memory benchmark: import rate, size, match latency and quality.

Corpus (no network here): the 10,915 real English–Chinese pairs of the
OmegaT L10N project TMX in ``shared/corpus/tmx`` (software UI and help
text translated by OmegaT's Chinese localisers), recombined into 1M
distinct pairs: each synthetic pair joins 1–3 real pairs (Chinese clauses
joined by "，", English by "; "), so character and word statistics are
those of real text.  Stored Chinese → English, as a policy translator would.

Quality: for each query, the exhaustive pass scores every stored pair with
the same metric (rapidfuzz Levenshtein over the same comparison keys, all
1M), and we check that every pair it puts in its top 5 at ≥ 70% is among
our matches (recall) and that our top match has the exhaustive top score
(agreement).  Queries: stored Chinese sides edited by 0–35% (characters
deleted, inserted, replaced), plus sentences unlike anything stored.

Usage::

    .venv/bin/python bench/bench_tm.py [--size 1000000] [--queries 300] [--ttk 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from termbase.api import Termbase  # noqa: E402
from termbase.model import Segment  # noqa: E402
from termbase.tm import ZH_MODE, comparison_key, query_mode, score  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "tmx" / "OmegaT-L10N_zh_CN_project_save.tmx"
DATA = ROOT / "bench" / "data"


def real_pairs() -> list[tuple[str, str]]:
    from termbase.formats import tmx

    pairs = []
    for seg in tmx.read_segments(CORPUS):
        zh, en = (seg.target, seg.source) if seg.source_lang == "en" else (seg.source, seg.target)
        zh, en = zh.strip(), en.strip()
        if zh and en and len(zh) <= 120:
            pairs.append((zh, en))
    return pairs


def synthesise(pairs: list[tuple[str, str]], size: int, seed: int = 7) -> list[Segment]:
    rng = random.Random(seed)
    out: list[Segment] = []
    seen: set[str] = set()
    for zh, en in pairs:
        if zh not in seen:
            seen.add(zh)
            out.append(Segment(zh, en, "zh-CN", "en", origin="omegat-l10n", project="real"))
    while len(out) < size:
        k = rng.choice((1, 2, 2, 3))
        picks = [rng.choice(pairs) for _ in range(k)]
        zh = "，".join(p[0].rstrip("。.") for p in picks) + "。"
        if zh in seen:
            continue
        seen.add(zh)
        en = "; ".join(p[1].rstrip(".") for p in picks) + "."
        out.append(Segment(zh, en, "zh-CN", "en", origin="synthetic", project="bench"))
    return out


def build(path: Path, segments: list[Segment]) -> dict[str, float]:
    if path.exists():
        path.unlink()
    tb = Termbase(path, user="bench", seed=False)
    start = time.perf_counter()
    chunk = 100_000
    for i in range(0, len(segments), chunk):
        tb.tm.import_segments(segments[i : i + chunk], origin="bench")
        print(f"  imported {min(i + chunk, len(segments)):,}", file=sys.stderr)
    elapsed = time.perf_counter() - start
    tb.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tb.close()
    return {"seconds": elapsed, "rate": len(segments) / elapsed}


def perturb(text: str, rng: random.Random, alphabet: str) -> str:
    chars = list(text)
    edits = int(len(chars) * rng.choice((0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35)))
    for _ in range(edits):
        op = rng.random()
        pos = rng.randrange(max(len(chars), 1))
        if op < 0.4 and len(chars) > 2:
            del chars[pos]
        elif op < 0.7:
            chars.insert(pos, rng.choice(alphabet))
        elif chars:
            chars[pos] = rng.choice(alphabet)
    return "".join(chars)


def make_queries(segments: list[Segment], n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    alphabet = "".join(sorted({c for s in segments[:20000] for c in s.source if c > "\u4e00"}))
    queries: list[str] = []
    while len(queries) < int(n * 0.85):
        query = perturb(rng.choice(segments).source, rng, alphabet)
        if query_mode(query) == ZH_MODE:  # Latin-only text is matched on the English side
            queries.append(query)
    while len(queries) < n:  # unlike anything stored
        queries.append("".join(rng.choice(alphabet) for _ in range(rng.randint(8, 40))))
    return queries


def exhaustive(
    query: str, keys: list[str], texts: list[str], top: int = 5
) -> list[tuple[int, int]]:
    """(score, index) of the exhaustive top *top* at ≥ 70, by the same metric."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    qkey = comparison_key(query, ZH_MODE)[0]
    found = process.extract(
        qkey, keys, scorer=Levenshtein.normalized_similarity, limit=top * 4, score_cutoff=0.69
    )
    scored = [(score(qkey, query, keys[i], texts[i]), i) for _, _, i in found]
    scored = [s for s in scored if s[0] >= 70]
    scored.sort(key=lambda s: -s[0])
    return scored[:top]


def warm_file(path: Path) -> float:
    """Read *path* once, so that latencies are measured with the file in the OS
    page cache, as on a translator's machine during a working session (a cold
    file on this shared machine adds up to a few hundred ms to the slowest queries)."""
    t0 = time.perf_counter()
    with open(path, "rb") as fh:
        while fh.read(8 << 20):
            pass
    return time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--ttk", type=int, default=20, help="queries for translate-toolkit")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--quality-queries", type=int, default=0, help="exhaustive check on the first N (0: all)"
    )
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    db = DATA / f"tm_{args.size}.sqlite"
    segments = synthesise(real_pairs(), args.size)
    print(f"corpus: {len(segments):,} pairs", file=sys.stderr)
    if args.rebuild or not db.exists():
        built = build(db, segments)
        print(f"import: {built['seconds']:.1f} s, {built['rate']:,.0f} pairs/s")
    print(f"database: {os.path.getsize(db) / 1e6:.0f} MB")

    warm = warm_file(db)
    print(f"database file read once into the OS page cache in {warm:.1f} s (warm-cache latencies)")
    tb = Termbase(db, user="bench", seed=False)
    tm = tb.tm
    queries = make_queries(segments, args.queries)
    tm.match(queries[0], with_terms=False)  # warm the caches
    latencies: list[float] = []
    ours: list[list[tuple[int, str]]] = []
    for q in queries:
        t0 = time.perf_counter()
        found = tm.match(q, limit=5, min_score=70, with_terms=False)
        latencies.append((time.perf_counter() - t0) * 1000)
        ours.append([(m.score, m.text) for m in found])
    print(
        f"match latency: p50 {statistics.median(latencies):.1f} ms, "
        f"p90 {pct(latencies, 90):.1f} ms, p99 {pct(latencies, 99):.1f} ms, "
        f"max {max(latencies):.1f} ms ({len(queries)} queries)"
    )

    other_latencies(tm, segments)
    texts = [s.source for s in segments]
    t0 = time.perf_counter()
    keys = [comparison_key(t, ZH_MODE)[0] for t in texts]
    print(f"exhaustive keys built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    wanted = found_n = strict_found = agree = with_match = 0
    ex_times: list[float] = []
    ex_lists: list[list[tuple[int, int]]] = []
    checked = args.quality_queries or len(queries)
    for q, mine in zip(queries[:checked], ours[:checked], strict=True):
        t0 = time.perf_counter()
        best = exhaustive(q, keys, texts)
        ex_times.append((time.perf_counter() - t0) * 1000)
        ex_lists.append(best)
        mine_texts = {t for _, t in mine}
        cutoff = mine[-1][0] if len(mine) >= 5 else 101
        wanted += len(best)
        # a pair tied with our 5th match is interchangeable with it
        found_n += sum(1 for s, i in best if texts[i] in mine_texts or s <= cutoff)
        strict_found += sum(1 for _, i in best if texts[i] in mine_texts)
        if best:
            with_match += 1
            agree += bool(mine) and mine[0][0] == best[0][0]
    print(
        f"quality: recall of exhaustive top-5 ≥70%: {found_n}/{wanted} = "
        f"{found_n / max(wanted, 1):.4f} (same pair, not a tie: {strict_found}/{wanted}); top score agrees in {agree}/{with_match} = "
        f"{agree / max(with_match, 1):.4f} of queries with a match"
    )
    print(f"exhaustive rapidfuzz pass: p50 {statistics.median(ex_times):.0f} ms per query")
    if args.ttk:
        peer(segments, queries[: args.ttk], latencies[: args.ttk], ex_lists, texts)
    tb.close()


def other_latencies(tm: object, segments: list[Segment], n: int = 100) -> None:
    """English-side matching and concordance, on the same memory."""
    rng = random.Random(5)
    words = [w for s in segments[:5000] for w in s.target.split()]
    en_times: list[float] = []
    conc_times: list[float] = []
    for _ in range(n):
        seg = rng.choice(segments)
        tokens = seg.target.split()
        if len(tokens) > 3:
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        t0 = time.perf_counter()
        tm.match(" ".join(tokens), with_terms=False)  # type: ignore[attr-defined]
        en_times.append((time.perf_counter() - t0) * 1000)
        zh = seg.source
        start = rng.randrange(max(len(zh) - 4, 1))
        t0 = time.perf_counter()
        tm.concordance(zh[start : start + rng.randint(2, 5)], limit=20)  # type: ignore[attr-defined]
        conc_times.append((time.perf_counter() - t0) * 1000)
    print(
        f"English-side match: p50 {statistics.median(en_times):.1f} ms, "
        f"p99 {pct(en_times, 99):.1f} ms; concordance (2–5 Chinese characters, 20 hits): "
        f"p50 {statistics.median(conc_times):.1f} ms, p99 {pct(conc_times, 99):.1f} ms"
    )


def _by_identity(a: object, b: object) -> bool:
    return id(a) < id(b)


def peer(
    segments: list[Segment],
    queries: list[str],
    our_latencies: list[float],
    ex_lists: list[list[tuple[int, int]]],
    texts: list[str],
) -> None:
    """translate-toolkit's matcher on the same pairs and queries."""
    import importlib.metadata

    from translate.search import match as ttk_match
    from translate.storage import pypo

    t0 = time.perf_counter()

    from translate.storage import base as ttk_base

    # translate-toolkit's matcher keeps (score, unit) pairs in a heap and
    # crashes on two equal scores (units are not orderable): give them an order
    setattr(ttk_base.TranslationUnit, "__lt__", _by_identity)  # noqa: B010
    store = pypo.pofile()
    for seg in segments:
        unit = store.addsourceunit(seg.source)
        unit.target = seg.target
    matcher = ttk_match.matcher(store, max_candidates=5, min_similarity=70, max_length=1000)
    print(
        f"translate-toolkit store + matcher built in {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )
    times: list[float] = []
    agree = total = 0
    for q, ex in zip(queries, ex_lists, strict=False):
        t0 = time.perf_counter()
        found = matcher.matches(q)
        times.append((time.perf_counter() - t0) * 1000)
        theirs = {u.source for u in found}
        total += len(ex)
        agree += sum(1 for _, i in ex if texts[i] in theirs)
    version = importlib.metadata.version("translate-toolkit")
    ratio = statistics.median(times) / statistics.median(our_latencies)
    print(
        f"translate-toolkit {version} matcher: p50 {statistics.median(times):.0f} ms "
        f"({ratio:.0f}× ours) over {len(queries)} queries; it finds "
        f"{agree}/{total} of the exhaustive top-5 ≥70% pairs"
    )


if __name__ == "__main__":
    main()
