"""Every format on small files of our own (tests/fixtures/formats/, written by hand),
so that a clone without ../shared/corpus still reads each format the way the
corpus tests check: inline codes, a language override, UTF-16, statuses, notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Context, Termbase, formats
from termbase.cli import cli

from .conftest import FIXED_TIME, PAPER_SOURCE

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def segments(name: str) -> list[tuple[str, str, str, str]]:
    path = FIXTURES / name
    module = formats.get(formats.guess(path))
    return [(s.source, s.target, s.source_lang, s.target_lang) for s in module.read_segments(path)]


@pytest.fixture
def empty(tmp_path: Path) -> Termbase:
    base = Termbase(tmp_path / "own.sqlite", user="alice", clock=lambda: FIXED_TIME, seed=False)
    yield base
    base.close()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("inline-tags.tmx", "tmx"),
        ("glossary-2008.tbx", "tbx"),
        ("job-1.2.xlf", "xliff"),
        ("job-2.0.xlf", "xliff"),
        ("glossary.po", "po"),
    ],
)
def test_each_fixture_is_recognised_by_its_content(name: str, expected: str) -> None:
    assert formats.guess(FIXTURES / name) == expected


def test_tmx_inline_codes_dropped_and_the_source_language_overridden() -> None:
    assert segments("inline-tags.tmx") == [
        (
            "坚持总体国家安全观。",
            "Uphold the holistic approach to national security.",
            "zh-CN",
            "en-US",
        ),
        ("high-quality development", "高质量发展", "en", "zh-CN"),
    ]
    first = next(formats.get("tmx").read_segments(FIXTURES / "inline-tags.tmx"))
    assert (first.creator, first.created_at) == ("alice", "2026-01-01T12:00:00Z")
    assert first.notes == ["checked against the official translation"]


def test_tmx_in_utf16_reads_as_in_utf8(tmp_path: Path) -> None:
    text = (FIXTURES / "inline-tags.tmx").read_text(encoding="utf-8")
    wide = tmp_path / "wide.tmx"
    wide.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    module = formats.get("tmx")
    assert [(s.source, s.target) for s in module.read_segments(wide)] == [
        (s[0], s[1]) for s in segments("inline-tags.tmx")
    ]


def test_tmx_pairs_serve_fuzzy_matches_in_either_direction(empty: Termbase) -> None:
    report = empty.tm.import_file(FIXTURES / "inline-tags.tmx")
    assert (report.added, report.skipped) == (2, 0)
    assert empty.tm.match("坚持总体国家安全观")[0].score >= 90
    assert empty.tm.match("high-quality development")[0].translation == "高质量发展"


def test_xliff_1_2_and_2_0_segments_without_inline_codes() -> None:
    assert segments("job-1.2.xlf") == [
        ("统筹发展和安全。", "Coordinate development and security.", "zh-CN", "en"),
        ("高质量发展", "high-quality development", "zh-CN", "en"),
    ]
    assert segments("job-2.0.xlf") == [("新发展格局", "new development pattern", "zh-CN", "en")]


def test_check_reads_an_xliff_job(empty: Termbase) -> None:
    empty.import_file(FIXTURES / "glossary-2008.tbx")
    entry = next(iter(empty.entries()))
    cite = Context("a new development pattern", "Abstract", PAPER_SOURCE)  # approving cites
    empty.edit_term(entry.id or 0, "new development pattern", add_context=cite)
    empty.approve(entry.id or 0)
    report = empty.check_file(str(FIXTURES / "job-2.0.xlf"))
    assert (report.segments, report.errors) == (1, 0)


def test_tbx_2008_statuses_and_subject(empty: Termbase) -> None:
    (entry,) = formats.get("tbx").read(FIXTURES / "glossary-2008.tbx")
    assert entry.subject == "national security"
    assert [(t.text, t.status.value) for t in entry.en_terms] == [
        ("new development pattern", "preferred"),
        ("new development paradigm", "deprecated"),
    ]


def test_po_entries_and_pairs_carry_the_extracted_comment() -> None:
    (first, second) = formats.get("po").read_segments(FIXTURES / "glossary.po")
    assert (first.source, first.target, first.notes) == (
        "总体国家安全观",
        "holistic approach to national security",
        ["national security"],
    )
    assert (second.source, second.target) == ("共同富裕", "common prosperity")
    entries = list(formats.get("po").read(FIXTURES / "glossary.po"))
    assert [(e.zh, e.en) for e in entries] == [
        ("总体国家安全观", "holistic approach to national security"),
        ("共同富裕", "common prosperity"),
    ]


@pytest.mark.parametrize("name", ["glossary-2008.tbx", "glossary.po", "inline-tags.tmx"])
def test_cli_imports_each_glossary_then_exports_it_as_tbx2008(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.sqlite"
    monkeypatch.setenv("TERMBASE_DB", str(db))
    monkeypatch.setenv("TERMBASE_USER", "alice")
    runner = CliRunner()
    Termbase(db, seed=False).close()
    result = runner.invoke(cli, ["import", str(FIXTURES / name), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["new"] == report["total"] > 0
    out = tmp_path / "back.tbx"
    result = runner.invoke(cli, ["export", str(out), "--format", "tbx2008", "--review", "all"])
    assert result.exit_code == 0, result.output
    assert "<martif" in out.read_text(encoding="utf-8")
    back = list(formats.get("tbx").read(out))
    assert len(back) == report["new"]
