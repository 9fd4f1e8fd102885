"""Large imports: the search index built in bulk, batched merge look-ups (issue 14).

The thresholds are lowered here so that a few hundred entries take the bulk
path; the benchmark (bench/bench_import.py) runs it at a million units.
"""

from __future__ import annotations

import random
import sqlite3
import textwrap
from pathlib import Path

import pytest

from termbase import Entry, Term, Termbase, TermStatus, merge

from .conftest import FIXED_TIME, kill_at_marker, make_entry
from .test_safety import _dump

REPO = Path(__file__).resolve().parents[1]
HAN = "发展安全格局新质生产力高水平开放治理体系现代化国家共同富裕行长重要重新银"
WORDS = ["development", "security", "pattern", "new", "quality", "governance", "opening"]


def _entries(seed: int, count: int) -> list[Entry]:
    """Glossary entries with repeats: same heads with other readings, traditional
    twins, English-only entries, and units that extend or repeat earlier ones."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        zh = "".join(rng.choice(HAN) for _ in range(rng.randint(1, 5)))
        en = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        kind = i % 7
        if kind == 0:
            out.append(Entry(terms=[Term(en + f" {i}", "en", TermStatus.PREFERRED)], uuid=f"{i}"))
            continue
        terms = [Term(zh, "zh-CN", TermStatus.PREFERRED), Term(en, "en")]
        if kind == 1:
            terms.append(Term(zh.replace("发", "發").replace("国", "國"), "zh-Hant"))
        if kind == 2:
            terms[0].pinyin = rng.choice(["háng", "xíng", ""])
        # a uuid every third entry: re-imports meet them by uuid, the rest by head term
        uuid = {"uuid": f"{seed}-{i}"} if i % 3 == 0 else {}
        out.append(Entry(terms=terms, note=rng.choice(["", "n"]), **uuid))
    return out


def _index_content(tb: Termbase) -> tuple[list[tuple], list[tuple], list[tuple]]:
    conn = tb.store.conn
    keys = sorted(tuple(r) for r in conn.execute("SELECT * FROM term_keys"))
    tri = sorted(tuple(r) for r in conn.execute("SELECT rowid, norm FROM term_tri"))
    words = sorted(tuple(r) for r in conn.execute("SELECT rowid, text FROM term_words"))
    return keys, tri, words


def _import_twice(path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool) -> Termbase:
    monkeypatch.setattr(merge, "BULK_INDEX_MIN_TERMS", 50 if bulk else 10**9)
    tb = Termbase(path, user="alice", clock=lambda: FIXED_TIME, seed=False)
    tb.add(make_entry())
    tb.import_entries(_entries(1, 400), origin="first")
    tb.import_entries(_entries(2, 300) + _entries(1, 100), origin="second")
    return tb


def test_bulk_built_index_is_the_incremental_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incremental = _import_twice(tmp_path / "inc.sqlite", monkeypatch, bulk=False)
    bulk = _import_twice(tmp_path / "bulk.sqlite", monkeypatch, bulk=True)
    assert _index_content(bulk) == _index_content(incremental)
    index_sql = "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='term_keys'"
    assert sorted(r[0] for r in bulk.store.conn.execute(index_sql)) == sorted(
        r[0] for r in incremental.store.conn.execute(index_sql)
    )
    for query in ["发展", "安全", "fazhan", "fz", "development", "新质生产力", "國家", "xíng"]:
        got = [(h.entry.id, h.term.text, h.match) for h in bulk.search(query, limit=50)]
        want = [(h.entry.id, h.term.text, h.match) for h in incremental.search(query, limit=50)]
        assert got == want, query
    assert bulk.store.consistency_problems() == []
    assert bulk.store.integrity_problems() == []


def test_batched_look_ups_plan_what_one_query_per_entry_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same imports with look-ups for 500 entries at a time and for one at a time."""
    results = []
    for batch in (1, merge.LOOKUP_BATCH):
        monkeypatch.setattr(merge, "LOOKUP_BATCH", batch)
        tb = Termbase(tmp_path / f"b{batch}.sqlite", user="a", clock=lambda: FIXED_TIME, seed=False)
        reports = [
            tb.import_entries(_entries(1, 400), origin="one").as_dict(),
            tb.import_entries(_entries(2, 300) + _entries(1, 120), origin="two").as_dict(),
            tb.import_entries(_entries(3, 200), origin="three", on_conflict="replace").as_dict(),
        ]
        entries = [
            (
                e.uuid if len(e.uuid) < 20 else "",
                e.note,
                tuple((t.lang, t.text, t.status.value, t.pinyin) for t in e.terms),
            )
            for e in tb.entries()
        ]
        results.append((reports, entries))
        tb.close()
    assert results[0] == results[1]
    assert results[0][0][1]["identical"] + results[0][0][1]["extended"] > 100


def test_nothing_is_visible_to_other_readers_until_the_bulk_index_is_built(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge, "BULK_INDEX_MIN_TERMS", 50)
    tb = Termbase(db_path, user="alice", clock=lambda: FIXED_TIME, seed=False)
    tb.add(make_entry())
    seen: list[tuple[int, int]] = []

    def entries():  # type: ignore[no-untyped-def]
        for i, entry in enumerate(_entries(4, 1200)):
            if i == 1100:  # well after the key index was dropped inside the import
                assert tb.store.search_index_deferred
                other = sqlite3.connect(db_path)
                seen.append(
                    (
                        other.execute("SELECT count(*) FROM entries").fetchone()[0],
                        other.execute(
                            "SELECT count(*) FROM sqlite_master WHERE name='term_keys_key'"
                        ).fetchone()[0],
                    )
                )
                other.close()
            yield entry

    tb.import_entries(entries())
    assert seen == [(1, 1)]  # the other reader: the entry from before, and the index
    assert not tb.store.search_index_deferred
    assert [h.entry.id for h in tb.search("新发展格局")][:1] == [1]


@pytest.mark.parametrize("moment", ["rows", "index"])
def test_sigkill_during_a_bulk_import_leaves_the_pre_import_content(
    db_path: Path, moment: str
) -> None:
    """Killed while key rows go in unindexed, or when the index build starts."""
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME) as tb:
        tb.add(make_entry())
    before = _dump(db_path)
    marker = db_path.with_suffix(".started")
    script = textwrap.dedent(f"""
        import time
        from termbase import Entry, Term, Termbase, merge
        merge.BULK_INDEX_MIN_TERMS = 100
        tb = Termbase({str(db_path)!r}, user="importer")
        moment = {moment!r}
        def entries():
            for i in range(2_000):
                if moment == "rows" and i == 1_200:
                    assert tb.store.search_index_deferred
                    open({str(marker)!r}, "w").close()
                    time.sleep(60)
                yield Entry(terms=[Term(f"术语{{i}}", "zh-CN"), Term(f"term {{i}}", "en")])
        class Progress:
            def __call__(self, n):
                pass
            def phase(self, label, total):
                open({str(marker)!r}, "w").close()
                time.sleep(60)
        tb.import_entries(entries(), progress=Progress())
    """)
    kill_at_marker(script, marker, db_path, wait=120)
    assert _dump(db_path) == before
    with Termbase(db_path, user="alice") as tb:
        assert [h.entry.id for h in tb.search("新发展格局")][:1] == [1]


class _Recorder:
    """A progress object as the CLI's bar: units done, the expected total, phases."""

    def __init__(self) -> None:
        self.expected: list[int | None] = []
        self.phases: list[tuple[str, int | None]] = []
        self.done = 0

    def __call__(self, n: int) -> None:
        self.done += n

    def expect(self, total: int | None) -> None:
        self.expected.append(total)

    def phase(self, label: str, total: int | None) -> None:
        self.phases.append((label, total))


@pytest.mark.parametrize("fmt", ["tmx", "tbx"])
def test_progress_knows_the_total_and_shows_the_index_phase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr(merge, "BULK_INDEX_MIN_TERMS", 50)
    source = Termbase(tmp_path / "source.sqlite", user="a", clock=lambda: FIXED_TIME, seed=False)
    source.import_entries(_entries(5, 300))
    path = tmp_path / f"out.{fmt}"
    written = source.export_file(path, review="all")
    target = Termbase(tmp_path / "target.sqlite", user="a", clock=lambda: FIXED_TIME, seed=False)
    progress = _Recorder()
    report = target.import_file(path, progress=progress)
    assert report.new == written > 0
    from lxml import etree

    unit = "tu" if fmt == "tmx" else "conceptEntry"
    units = sum(1 for el in etree.parse(str(path)).iter() if etree.QName(el).localname == unit)
    assert progress.expected == [units]  # the units the file holds, counted by a real parser
    assert [label for label, _ in progress.phases] == [merge.INDEX_PHASE]
    keys = target.store.conn.execute("SELECT count(*) FROM term_keys").fetchone()[0]
    assert progress.phases[0][1] == keys
    assert progress.done >= report.total


def test_doctor_repair_rebuilds_the_same_index_in_bulk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tb = _import_twice(tmp_path / "tb.sqlite", monkeypatch, bulk=False)
    before = _index_content(tb)
    tb.store.conn.execute("DELETE FROM term_keys WHERE kind='c2'")  # damage
    tb.doctor(repair=True)
    assert _index_content(tb) == before
    names = {r[0] for r in tb.store.conn.execute("SELECT name FROM sqlite_master")}
    assert "term_keys_key" in names and not tb.store.search_index_deferred


def test_entries_read_from_a_file_get_distinct_version_4_uuids(tmp_path: Path) -> None:
    """A TMX unit carries no uuid: each imported entry gets a random RFC 4122 one."""
    import uuid

    units = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>发展{i}</seg></tuv>'
        f'<tuv xml:lang="en"><seg>development {i}</seg></tuv></tu>'
        for i in range(300)
    )
    path = tmp_path / "g.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-CN" '
        f'datatype="plaintext" segtype="phrase" adminlang="en" o-tmf="t" creationtool="t" '
        f'creationtoolversion="1"/><body>{units}</body></tmx>',
        encoding="utf-8",
    )
    tb = Termbase(tmp_path / "u.sqlite", user="a", seed=False)
    tb.import_file(path)
    uuids = [e.uuid for e in tb.entries()]
    assert len(uuids) == len(set(uuids)) == 300
    for text in uuids:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
