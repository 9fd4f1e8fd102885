"""The floor of a glossary import: what its unavoidable parts cost on their own.

Run:  python -m bench.bench_import_floor [--units 100000]

Issue #14 asks for a TMX import at half the speed of translate-toolkit
parsing the file and reading every unit. This benchmark says whether that
is reachable by measuring, beside the same peer in the same run (before and
after, ratio against the mean, CPU time), each part an import cannot skip:

* **SQL writes alone**: the rows a real import of the file stored (entries,
  terms, ~21 search-key rows per Chinese term, both FTS5 tables), read back
  and written again into a fresh termbase with ``executemany`` in one
  transaction, as the bulk path writes them (key rows into the table
  without its key index, the index built after, then the FTS5 rows) and
  nothing else: no Python per unit beyond binding the tuples;
* the same key rows into a ``WITHOUT ROWID`` table clustered on the key
  (one B-tree fewer: what a schema change could save), sorted first;
* **toned pinyin** of every Chinese term (jieba words, pypinyin readings),
  with cold caches and with pypinyin's segment cache warm;
* **search keys** of every term computed from its pinyin;
* **our TMX reader** alone (parse and build the entries; helper "reader"
  owns it);
* the **whole import** of the file into an empty termbase, for reference.

Each figure is also given in microseconds per unit; the peer's budget at
the target ratio r is (peer µs per unit) / r.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from bench.bench_import import DATA, beside_peer, floor_arguments

CHILD = textwrap.dedent("""
    import json, os, sqlite3, sys, time
    path, work = sys.argv[1], sys.argv[2]
    out = {}
    cpu = time.process_time

    def fresh(name):
        db = os.path.join(work, name)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        return db

    from termbase import Termbase
    from termbase.formats import tmx
    from termbase.lang import zh
    from termbase.model import Term
    from termbase.store import index

    # our reader alone (entries built, nothing stored)
    t = cpu()
    entries = list(tmx.read(path))
    out["read"] = cpu() - t
    units = len(entries)
    out["units"] = units

    # the whole import into an empty termbase (its rows are the SQL floor's input)
    full = fresh("floor-full.sqlite")
    tb = Termbase(full, user="bench", seed=False)
    zh.pinyin_toned("发展")  # modules loaded before the clock starts
    t = cpu()
    tb.import_file(path)
    out["import"] = cpu() - t
    tb.close()

    # toned pinyin of every Chinese term: cold caches, then pypinyin's segments warm
    texts = [t.text for e in entries for t in e.terms if t.lang.lower().startswith("zh")]
    zh.pinyin_toned.cache_clear()
    zh._segment_reading.cache_clear()
    t = cpu()
    readings = [zh.pinyin_toned(x) for x in texts]
    out["pinyin_cold"] = cpu() - t
    zh.pinyin_toned.cache_clear()
    t = cpu()
    readings = [zh.pinyin_toned(x) for x in texts]
    out["pinyin_warm"] = cpu() - t

    # search keys of every term from its pinyin
    terms = [Term(text=x, lang="zh-CN", pinyin=p) for x, p in zip(texts, readings)]
    terms += [t for e in entries for t in e.terms if not t.lang.lower().startswith("zh")]
    t = cpu()
    for term in terms:
        index.term_keys(term, set())
    out["keys"] = cpu() - t
    del entries, terms, texts, readings

    # the SQL writes alone: the stored rows written again, nothing else
    src = sqlite3.connect(full)
    rows = {
        "entries": src.execute("SELECT * FROM entries").fetchall(),
        "terms": src.execute("SELECT * FROM terms").fetchall(),
        "keys": src.execute(
            "SELECT term_id, entry_id, kind, key, rank FROM term_keys ORDER BY rowid"
        ).fetchall(),
        "tri": src.execute("SELECT rowid, norm FROM term_tri").fetchall(),
        "words": src.execute("SELECT rowid, text FROM term_words").fetchall(),
    }
    src.close()
    out["key_rows"] = len(rows["keys"])

    def sql_floor(name, clustered):
        db = fresh(name)
        Termbase(db, user="bench", seed=False).close()
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        steps = {}

        def step(label, sql, data=None):
            t = cpu()
            if data is None:
                conn.execute(sql)
            else:
                conn.executemany(sql, data)
            steps[label] = steps.get(label, 0.0) + cpu() - t

        conn.execute("BEGIN IMMEDIATE")
        step("entries", f"INSERT INTO entries VALUES ({','.join('?' * 17)})", rows["entries"])
        step("terms", f"INSERT INTO terms VALUES ({','.join('?' * 13)})", rows["terms"])
        if clustered:
            conn.execute("DROP TABLE term_keys")
            conn.execute(
                "CREATE TABLE term_keys (kind TEXT NOT NULL, key TEXT NOT NULL, "
                "rank INTEGER NOT NULL, term_id INTEGER NOT NULL, entry_id INTEGER NOT NULL, "
                "PRIMARY KEY (kind, key, rank, term_id, entry_id)) WITHOUT ROWID"
            )
            t = cpu()
            keys = sorted((r[2], r[3], r[4], r[0], r[1]) for r in rows["keys"])
            steps["key rows"] = cpu() - t
            step("key rows", "INSERT INTO term_keys VALUES (?,?,?,?,?)", keys)
            step("key index", "CREATE INDEX term_keys_entry ON term_keys(entry_id)")
        else:
            conn.execute("DROP INDEX term_keys_key")
            step(
                "key rows",
                "INSERT INTO term_keys(term_id, entry_id, kind, key, rank) VALUES (?,?,?,?,?)",
                rows["keys"],
            )
            step(
                "key index",
                "CREATE INDEX term_keys_key ON term_keys(kind, key, rank, term_id, entry_id)",
            )
        step("fts trigram", "INSERT INTO term_tri(rowid, norm) VALUES (?,?)", rows["tri"])
        step("fts words", "INSERT INTO term_words(rowid, text) VALUES (?,?)", rows["words"])
        step("commit", "COMMIT")
        conn.close()
        return steps

    out["sql"] = sql_floor("floor-sql.sqlite", False)
    out["sql_clustered"] = sql_floor("floor-clustered.sqlite", True)
    print(json.dumps(out))
""")


def main() -> None:
    args = floor_arguments(__doc__)
    before, parts, after, peer_us = beside_peer(args.units, CHILD, "floor parts")
    units = int(parts["units"])
    print(f"{'part':<58} {'µs/unit':>8} {'ratio':>7}")

    def show(label: str, seconds: float) -> None:
        us = seconds / units * 1e6
        print(f"{label:<58} {us:8.1f} {peer_us / us:6.3f}x")

    sql = parts["sql"]
    clustered = parts["sql_clustered"]
    assert isinstance(sql, dict) and isinstance(clustered, dict)
    for label, seconds in sql.items():
        show(f"  SQL: {label}", seconds)
    show("SQL writes alone (all of the above)", sum(sql.values()))
    for label, seconds in clustered.items():
        show(f"  clustered keys: {label}", seconds)
    show("SQL writes alone, keys in a WITHOUT ROWID table", sum(clustered.values()))
    for key, label in (
        ("pinyin_cold", "toned pinyin of the Chinese term, cold caches"),
        ("pinyin_warm", "toned pinyin of the Chinese term, segment cache warm"),
        ("keys", "search keys of both terms from their pinyin"),
        ("read", "our TMX reader alone (helper 'reader')"),
        ("import", "whole import into an empty termbase"),
    ):
        show(label, float(parts[key]))
    print(f"({parts['key_rows']} search-key rows: {int(parts['key_rows']) / units:.1f} a unit)")
    results = {"peer_before": before, "peer_after": after, "parts": parts}
    text = json.dumps(results, indent=2)
    (DATA / "bench_import_floor.json").write_text(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
