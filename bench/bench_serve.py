"""The team server under search-as-you-type load, with reviewers writing: how many translators?

Run:  bench/run serve [--entries 5000] [--seconds 5] [--levels 1,2,4,8,16,32]

``termbase serve`` runs as its own process (uvicorn, one worker) on a free
loopback port over a termbase of the seed glossary plus synthetic entries.
At each load level, that many clients type queries one keystroke at a time
(one ``GET /api/search`` per keystroke, no pause: each is a translator
typing flat out), while two reviewers read an entry and save an edit with
its version (a 409 is re-read and retried), for a fixed number of seconds.
Everything stays on 127.0.0.1 and every loop is bounded in time.

Reported per level: searches per second, p50/p99 latency, errors (any
answer but 200, or a timeout), reviewer saves, conflicts, and lost updates
(a marker the server confirmed that is missing from the note at the end).
The peer, measured in the same run, is the same keystroke queries through
the local facade in one process (no HTTP, no token): the price of the
network layer.  Translators served = the highest search rate whose p99 is
under 50 ms, at one request per second per typing translator (the issue's
assumption).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "serve.json"
#: The latency a keystroke answer must stay under, at the 99th percentile.
P99_LIMIT_MS = 50.0
#: Requests per second one typing translator makes (the issue's assumption).
PER_TRANSLATOR = 1.0
#: Reviewers saving edits during each level (REVIEWERS=0 in the environment: none).
REVIEWERS = int(os.environ.get("REVIEWERS", "2"))
#: Seconds a reviewer takes between two saves (a fast reviewer; people take longer).
REVIEW_PAUSE = 1.0


def build(db: Path, extra: int) -> tuple[list[str], list[str]]:
    """The seed glossary plus *extra* synthetic entries; returns (queries, tokens)."""
    from termbase import Entry, Term, Termbase, TermStatus, users

    rng = random.Random(17)
    with Termbase(db, user="bench", seed=True) as tb:
        words = [t.text for e in tb.entries(review="all") for t in e.terms]
        pinyin = [e.pinyin.replace(" ", "") for e in tb.entries(review="all") if e.pinyin]
        chars = "".join({c for w in words for c in w if "\u4e00" <= c <= "\u9fff"})
        batch = []
        for i in range(extra):
            zh = "".join(rng.choice(chars) for _ in range(rng.randint(3, 6)))
            batch.append(Entry(terms=[Term(zh, "zh-CN", TermStatus.PREFERRED),
                                      Term(f"synthetic concept {i}", "en")]))  # fmt: skip
        tb.import_entries(batch, origin="synthetic")
        from termbase.rules import utcnow

        tokens = [
            users.add_user(tb.store, f"user{i}", "terminologist", at=utcnow(), by="bench")
            for i in range(64)
        ]
    queries = [w for w in words if len(w) >= 2] + pinyin
    rng.shuffle(queries)
    return queries, tokens


def keystrokes(queries: list[str]) -> list[str]:
    """Every prefix of every query, as a typist sends them."""
    return [q[:n] for q in queries for n in range(1, len(q) + 1)]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def local_peer(db: Path, typed: list[str], seconds: float) -> dict[str, float]:
    from termbase import Termbase

    latencies: list[float] = []
    with Termbase(db, seed=False) as tb:
        end = time.perf_counter() + seconds
        i = 0
        while time.perf_counter() < end:
            start = time.perf_counter()
            tb.search(typed[i % len(typed)], limit=20)
            latencies.append((time.perf_counter() - start) * 1000)
            i += 1
    return {
        "searches_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
    }


async def level(url: str, tokens: list[str], typed: list[str], clients: int,
                seconds: float, round_no: int, paced: bool = False) -> dict[str, Any]:  # fmt: skip
    import httpx

    latencies: list[float] = []
    errors = 0
    saves = conflicts = 0
    confirmed: list[str] = []
    end = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients + REVIEWERS + 4)
    timeout = httpx.Timeout(10.0)

    async def typist(k: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        i = k * 997
        headers = {"Authorization": f"Bearer {tokens[k % len(tokens)]}"}
        if paced:  # a translator at PER_TRANSLATOR keystrokes per second, started at random
            await asyncio.sleep(random.random() / PER_TRANSLATOR)
        while time.perf_counter() < end:
            sent = time.perf_counter()
            start = time.perf_counter()
            try:
                answer = await client.get("/api/search", params={"query": typed[i % len(typed)],
                                          "limit": 20}, headers=headers)  # fmt: skip
                ok = answer.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - start) * 1000)
            errors += not ok
            i += 1
            if paced:
                await asyncio.sleep(max(0.0, sent + 1 / PER_TRANSLATOR - time.perf_counter()))

    async def reviewer(k: int, client: httpx.AsyncClient) -> None:
        nonlocal errors, saves, conflicts
        headers = {"Authorization": f"Bearer {tokens[-1 - k]}"}
        n = 0
        while time.perf_counter() < end:
            try:
                entry = (await client.get("/api/entries/1", headers=headers)).json()["result"]
                marker = f"r{round_no}.{k}.{n}"
                answer = await client.post(
                    "/api/entries/1/edit",
                    json={"note": f"{entry['note']} {marker}".strip(),
                          "expected_version": entry["version"]},
                    headers=headers,
                )  # fmt: skip
            except httpx.HTTPError:
                errors += 1
                continue
            if answer.status_code == 200:
                saves += 1
                confirmed.append(marker)
                n += 1
            elif answer.status_code == 409:
                conflicts += 1
            else:
                errors += 1
            await asyncio.sleep(REVIEW_PAUSE)  # a reviewer reads before the next decision

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout,
                                 trust_env=False) as client:  # fmt: skip
        await asyncio.gather(
            *(typist(k, client) for k in range(clients)),
            *(reviewer(k, client) for k in range(REVIEWERS)),
        )
        final = (await client.get("/api/entries/1", headers={
            "Authorization": f"Bearer {tokens[0]}"})).json()["result"]  # fmt: skip
    kept = set(final["note"].split())
    return {
        "clients": clients,
        "paced": paced,
        "searches_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 2),
        "errors": errors,
        "reviewer_saves": saves,
        "conflicts_409": conflicts,
        "lost_updates": len([m for m in confirmed if m not in kept]),
    }


def warm_up(url: str, tokens: list[str], clients: int) -> None:
    """Not measured: each token's first use (its scrypt check) and the server's worker threads."""
    _ = clients
    import httpx

    async def burst() -> None:
        async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=60) as client:
            await asyncio.gather(*(
                client.get("/api/search", params={"query": "发展"},
                           headers={"Authorization": f"Bearer {token}"})
                for token in tokens * 2
            ))  # fmt: skip

    asyncio.run(burst())


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=5000, help="synthetic entries added")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per load level")
    parser.add_argument("--levels", default="1,2,4,8,16", help="typists typing flat out")
    parser.add_argument(
        "--translators", default="50,100,200,300", help="translators at 1 keystroke/s each"
    )
    args = parser.parse_args()
    from termbase.server import wait_ready

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "team.sqlite"
        queries, tokens = build(db, args.entries)
        typed = keystrokes(queries)
        peer = local_peer(db, typed, args.seconds)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "termbase"), "--db", str(db), "serve",
             "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            wait_ready(url, timeout=30)
            warm_up(url, tokens, max(int(c) for c in args.levels.split(",")))
            rows = [
                asyncio.run(level(url, tokens, typed, int(c), args.seconds, n))
                for n, c in enumerate(args.levels.split(","))
            ]
            paced = [
                asyncio.run(level(url, tokens, typed, int(c), args.seconds, 100 + n, paced=True))
                for n, c in enumerate(args.translators.split(","))
            ]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
    good = [r for r in rows if r["p99_ms"] < P99_LIMIT_MS and r["errors"] == 0]
    best = max(good, key=lambda r: r["searches_per_s"]) if good else None
    translators = int(best["searches_per_s"] / PER_TRANSLATOR) if best else 0
    served = [r["clients"] for r in paced if r["p99_ms"] < P99_LIMIT_MS and r["errors"] == 0]
    print(f"termbase serve on 127.0.0.1, {args.entries} synthetic + seed entries, "
          f"{REVIEWERS} reviewers writing, {args.seconds:g} s per level")  # fmt: skip
    print(f"{'typists':>8} {'search/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
          f"{'saves':>6} {'409s':>5} {'lost':>5}")  # fmt: skip
    for r in rows + paced:
        if r is paced[0]:
            print(f"translators at {PER_TRANSLATOR:g} keystroke/s each:")
        print(f"{r['clients']:>8} {r['searches_per_s']:>9} {r['p50_ms']:>7} {r['p99_ms']:>7} "
              f"{r['errors']:>6} {r['reviewer_saves']:>6} {r['conflicts_409']:>5} "
              f"{r['lost_updates']:>5}")  # fmt: skip
    print(f"peer, local facade in one process (no HTTP): {peer['searches_per_s']} searches/s, "
          f"p50 {peer['p50_ms']} ms, p99 {peer['p99_ms']} ms")  # fmt: skip
    if best:
        print(f"best level under p99 {P99_LIMIT_MS:g} ms with no errors: {best['clients']} "
              f"typists, {best['searches_per_s']} searches/s "
              f"({best['searches_per_s'] / peer['searches_per_s']:.2f}x the local peer)")  # fmt: skip
    print(f"translators one machine serves at {PER_TRANSLATOR:g} keystroke request/s each: "
          f"{translators} (from the best rate); {max(served, default=0)} measured typing "
          f"together with p99 under {P99_LIMIT_MS:g} ms")  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"levels": rows, "paced": paced, "peer_local": peer,
                                   "translators_from_rate": translators,
                                   "translators_measured": max(served, default=0),
                                   "entries": args.entries, "seconds": args.seconds},
                                  indent=2) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
