"""Renderings you can cite (issue 18): dates of use, ranked sources, entry types,
quoted documents, ``check --as-of``, approval with a citation, the migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import (
    Authority,
    Context,
    Entry,
    EntryType,
    InvalidValueError,
    Review,
    Source,
    Term,
    Termbase,
    TermStatus,
)
from termbase.cli import cli
from termbase.formats import tbx
from termbase.model import entry_to_dict
from termbase.store.migrations import MIGRATIONS

from .conftest import FIXED_TIME, PAPER_SOURCE

XINHUA = Source(
    title="China Focus: A glance at new stage, philosophy, pattern",
    publisher="Xinhua",
    date="2020-11-08",
    url="https://www.xmenglish.cn/en/special/wzqh/202011/t20201112_5401959.htm",
    authority=Authority.OFFICIAL_OUTLET,
)
QIUSHI = Source(
    title="Understanding the New Development Stage",
    publisher="Qiushi",
    date="2021-07-08",
    url="https://en.qstheory.cn/2021-07/08/c_641137.htm",
    authority=Authority.OFFICIAL_OUTLET,
)
PAPER = Source(
    title=PAPER_SOURCE.title,
    author=PAPER_SOURCE.author,
    publisher=PAPER_SOURCE.publisher,
    date="2025",
    authority=Authority.SCHOLARSHIP,
)


def dated_entry() -> Entry:
    return Entry(
        terms=[
            Term("新发展格局", "zh-CN", TermStatus.PREFERRED),
            Term(
                "new development pattern",
                "en",
                TermStatus.PREFERRED,
                source=XINHUA,
                used_from="2020-11",
            ),
            Term(
                "new development dynamic",
                "en",
                TermStatus.SUPERSEDED,
                note="replaced in 2021",
                used_from="2020",
                used_until="2021",
                contexts=[
                    Context(
                        "building a new development dynamic",
                        "Part 2, footnote 1",
                        PAPER,
                        quotes=QIUSHI,
                    )
                ],
            ),
        ],
        subject="development",
        entry_type=EntryType.TERM,
    )


@pytest.fixture
def tb(tmp_path: Path) -> Termbase:
    base = Termbase(tmp_path / "p.sqlite", user="alice", clock=lambda: FIXED_TIME)
    yield base
    base.close()


# ------------------------------------------------------------------ the model, stored and exported
def test_dates_sources_types_and_quotes_survive_the_store_and_tbx(
    tb: Termbase, tmp_path: Path
) -> None:
    entry = dated_entry()
    entry.entry_type = EntryType.SET_FORMULATION
    stored = tb.get(tb.add(entry).id or 0)
    dynamic = next(t for t in stored.en_terms if t.text == "new development dynamic")
    assert (dynamic.used_from, dynamic.used_until, dynamic.dates()) == ("2020", "2021", "2020–2021")
    assert (
        dynamic.contexts[0].source is not None
        and dynamic.contexts[0].source.authority is Authority.SCHOLARSHIP
    )
    assert (
        dynamic.contexts[0].quotes is not None and dynamic.contexts[0].quotes.publisher == "Qiushi"
    )
    assert dynamic.strongest_source is not None and dynamic.strongest_source.publisher == "Qiushi"
    assert stored.entry_type is EntryType.SET_FORMULATION
    out = tmp_path / "out.tbx"
    tb.export_file(str(out), review="all")
    (back,) = list(tbx.read(out))

    def plain(e: Entry) -> dict:
        data = entry_to_dict(e)
        for t in data["terms"]:
            t["id"] = None
            for s in [t["source"]] + [x for c in t["contexts"] for x in (c["source"], c["quotes"])]:
                if s:
                    s["id"] = None
            for c in t["contexts"]:
                c["id"] = None
        return {k: data[k] for k in ("terms", "entry_type", "subject")}

    assert plain(back) == plain(stored)


def test_an_official_source_needs_a_url_and_a_date(tb: Termbase) -> None:
    entry = dated_entry()
    entry.terms[1].source = Source(
        "Some report", publisher="Xinhua", authority=Authority.OFFICIAL_TEXT
    )
    with pytest.raises(InvalidValueError, match="an official source needs its URL and its date"):
        tb.add(entry)


def test_dates_are_checked(tb: Termbase) -> None:
    entry = dated_entry()
    entry.terms[2].used_from, entry.terms[2].used_until = "2022", "2021"
    with pytest.raises(InvalidValueError, match="the first date is after the last"):
        tb.add(entry)
    entry.terms[2].used_from = "Nov 2020"
    with pytest.raises(InvalidValueError, match="write YYYY, YYYY-MM or YYYY-MM-DD"):
        tb.add(entry)


# ------------------------------------------------------------------ approval with a citation
def test_approval_needs_a_citation_for_each_preferred_rendering(tb: Termbase) -> None:
    entry = tb.add(
        Entry(
            terms=[
                Term("新质生产力", "zh-CN", "preferred"),
                Term("new quality productive forces", "en", "preferred"),
            ]
        )
    )
    with pytest.raises(InvalidValueError) as info:
        tb.approve(entry.id or 0)
    assert "the preferred rendering 'new quality productive forces' cites no source" in str(
        info.value
    )
    assert tb.get(entry.id or 0).review is Review.PROPOSED


def test_approval_of_a_weaker_preferred_rendering_needs_a_rationale(tb: Termbase) -> None:
    entry = dated_entry()
    entry.terms[1].source = None
    entry.terms[1].contexts = [Context("a new development pattern", "Abstract", PAPER)]
    entry.terms.append(Term("New Development Paradigm", "en", TermStatus.ADMITTED, source=XINHUA))
    eid = tb.add(entry).id or 0
    with pytest.raises(InvalidValueError) as info:
        tb.approve(eid)
    message = str(info.value)
    assert "'new development pattern' rests on scholarship" in message
    assert "'New Development Paradigm' is used by a stronger source, official-outlet" in message
    assert "give a rationale" in message
    approved = tb.approve(eid, comment="the paper's wording; Xinhua moved to it in 2020")
    assert approved.review is Review.APPROVED
    assert approved.review_comment == "the paper's wording; Xinhua moved to it in 2020"


# ------------------------------------------------------------------ check --as-of
@pytest.fixture
def seeded_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "seeded.sqlite"
    monkeypatch.setenv("TERMBASE_DB", str(db))
    monkeypatch.setenv("TERMBASE_USER", "alice")
    with Termbase(db, seed=True):
        pass
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    return invoke


def _tsv(tmp_path: Path, target: str) -> str:
    path = tmp_path / "job.tsv"
    path.write_text(f"加快构建新发展格局\t{target}\n", encoding="utf-8")
    return str(path)


def test_check_as_of_flags_a_rendering_used_after_its_dates(seeded_cli, tmp_path: Path) -> None:
    job = _tsv(tmp_path, "We will accelerate building a new development dynamic.")
    code, out = seeded_cli("check", job, "--as-of", "2025")
    assert code == 1
    assert "Renderings used outside their dates (1):" in out
    assert (
        "'new development dynamic' was replaced by 'new development pattern' in 2021; "
        "keep it only inside quotations of earlier texts"
    ) in out


def test_check_as_of_accepts_it_within_its_dates(seeded_cli, tmp_path: Path) -> None:
    job = _tsv(tmp_path, "We will accelerate building a new development dynamic.")
    code, out = seeded_cli("check", job, "--as-of", "2020-12-01")
    assert code == 0, out
    assert "outside their dates" not in out


def test_check_keeps_a_quotation_of_an_earlier_text(seeded_cli, tmp_path: Path) -> None:
    job = _tsv(tmp_path, "In 2020 Xi called for “building a new development dynamic”.")
    code, out = seeded_cli("check", job, "--as-of", "2025")
    assert code == 0 and "outside their dates" not in out, out


def test_check_refuses_a_malformed_date(seeded_cli, tmp_path: Path) -> None:
    job = _tsv(tmp_path, "a new development pattern")
    code, out = seeded_cli("check", job, "--as-of", "last year")
    assert code != 0
    assert "Error:" in out and "YYYY, YYYY-MM or YYYY-MM-DD" in out


# ------------------------------------------------------------------ search by entry type, shown dates
def test_search_filters_by_entry_type(tmp_path: Path) -> None:
    with Termbase(tmp_path / "s.sqlite", seed=True) as tb:
        events = tb.search("国家安全委员会", entry_type="event")
        assert events and {h.entry.entry_type for h in events} == {EntryType.EVENT}
        assert "中央国家安全委员会第一次会议" in {h.entry.zh for h in events}
        institutions = tb.search("国家安全委员会", entry_type="institution")
        assert [h.entry.zh for h in institutions] == ["中央国家安全委员会"]
        with pytest.raises(InvalidValueError, match="unknown entry type 'meeting'"):
            tb.search("国家安全", entry_type="meeting")
        (hit,) = [h for h in tb.search("new development dynamic") if h.entry.zh == "新发展格局"]
        data = hit.as_json()
        dynamic = next(t for t in data["terms"] if t["text"] == "new development dynamic")
        assert (dynamic["used_from"], dynamic["used_until"]) == ("2020", "2021")
        assert data["type"] == "term"
        pattern = next(t for t in data["terms"] if t["text"] == "new development pattern")
        assert pattern["strongest_source"]["authority"] == "official-text"


def test_search_table_shows_dates_and_strongest_source(seeded_cli) -> None:
    code, out = seeded_cli("search", "一带一路倡议", "--brief")
    assert code == 0
    row = out.splitlines()[2]
    assert "Belt and Road Initiative (2015-09–)" in row
    assert "Belt and Road Initiative (2015-09–) · official" in row  # its strongest source
    code, out = seeded_cli("search", "一带一路倡议")
    assert "strongest source: Office of the Leading Group for Promoting the Belt and Road " in out
    assert "(official outlet)" in out
    assert "in use 2013–2015-09" in out


# ------------------------------------------------------------------ the migration
def test_a_version_4_database_is_carried_over_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite"
    conn = sqlite3.connect(path)
    for version, name, statements in MIGRATIONS:
        if version > 4:
            break
        for stmt in statements:
            conn.execute(stmt)
        conn.execute(
            "INSERT INTO migrations(version, name, applied_at) VALUES (?, ?, '2026-01-01')",
            (version, name),
        )
    conn.execute("PRAGMA user_version = 4")
    conn.execute(
        "INSERT INTO sources(id, title, publisher, date, url) VALUES "
        "(1, 'Report', 'Xinhua', '2022', 'http://x'), (2, 'Paper', 'CIR', '2025', '')"
    )
    conn.execute(
        "INSERT INTO entries(id, uuid, subject, review, review_comment, version) "
        "VALUES (1, 'u-1', 'development', 'approved', 'ok', 3)"
    )
    conn.execute(
        "INSERT INTO terms(id, entry_id, position, lang, text, status, note, source_id) VALUES "
        "(1, 1, 0, 'zh-CN', '新发展格局', 'preferred', '', NULL), "
        "(2, 1, 1, 'en', 'new development pattern', 'preferred', 'usual', 1)"
    )
    conn.execute(
        "INSERT INTO contexts(id, term_id, position, text, locator, source_id) "
        "VALUES (1, 2, 0, 'a new development pattern', 'Abstract', 2)"
    )
    conn.commit()
    conn.close()
    with Termbase(path, seed=False) as tb:
        assert tb.store.schema_version == MIGRATIONS[-1][0]
        entry = tb.get(1)
        assert (entry.uuid, entry.subject, entry.review_comment, entry.version) == (
            "u-1",
            "development",
            "ok",
            3,
        )
        assert entry.entry_type is EntryType.TERM
        en = entry.en_terms[0]
        assert (en.text, en.note, en.used_from, en.used_until) == (
            "new development pattern",
            "usual",
            "",
            "",
        )
        assert en.source is not None and (en.source.title, en.source.url) == ("Report", "http://x")
        assert en.source.authority is Authority.OTHER  # never rated: the neutral default
        ctx = en.contexts[0]
        assert (ctx.text, ctx.locator, ctx.quotes) == (
            "a new development pattern",
            "Abstract",
            None,
        )
        assert ctx.source is not None and ctx.source.title == "Paper"
        tb.store.reindex()  # rows written by hand above have no search keys
        assert tb.search("新发展格局")[0].entry.id == 1
