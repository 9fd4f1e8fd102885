"""The README's import and export options, through the CLI: --on-conflict skip|replace,
--source, export --lang; and a dry run that leaves nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from termbase import Entry, Term, Termbase, TermStatus, formats

from .conftest import FIXED_TIME


def glossary_entries() -> list[Entry]:
    """新发展格局 with another status for a known rendering and a new rendering,
    plus a concept the termbase lacks."""
    return [
        Entry(
            terms=[
                Term("新发展格局", "zh-CN", TermStatus.PREFERRED),
                Term("new development pattern", "en", TermStatus.DEPRECATED),
                Term("new development paradigm", "en", TermStatus.ADMITTED),
            ]
        ),
        Entry(
            terms=[
                Term("高水平安全", "zh-CN", TermStatus.PREFERRED),
                Term("high-level security", "en", TermStatus.PREFERRED),
            ]
        ),
    ]


@pytest.fixture
def stored(db_path: Path) -> int:
    """The termbase holds 新发展格局 → new development pattern (preferred)."""
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME, seed=False) as tb:
        entry = Entry(
            terms=[
                Term("新发展格局", "zh-CN", TermStatus.PREFERRED),
                Term("new development pattern", "en", TermStatus.PREFERRED),
            ],
            note="kept by skip and merge",
        )
        return tb.add(entry).id or 0


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.tbx"
    formats.get("tbx").write(glossary_entries(), path)
    return path


def _terms(db_path: Path, ref: int) -> list[tuple[str, str]]:
    with Termbase(db_path, seed=False) as tb:
        return [(t.text, t.status.value) for t in tb.get(ref).terms]


def _json(result) -> dict:
    return json.loads(result.output)


def test_on_conflict_skip_leaves_existing_entries_alone(
    run, db_path: Path, stored: int, glossary: Path
) -> None:
    report = _json(run("import", str(glossary), "--on-conflict", "skip", "--json"))
    assert (report["new"], report["skipped"], report["extended"]) == (1, 1, 0)
    assert _terms(db_path, stored) == [
        ("新发展格局", "preferred"),
        ("new development pattern", "preferred"),
    ]


def test_on_conflict_replace_takes_the_file_and_keeps_a_backup(
    run, db_path: Path, stored: int, glossary: Path
) -> None:
    report = _json(run("import", str(glossary), "--on-conflict", "replace", "--json"))
    assert (report["new"], report["replaced"]) == (1, 1)
    assert sorted(_terms(db_path, stored)) == [
        ("new development paradigm", "admitted"),
        ("new development pattern", "deprecated"),
        ("新发展格局", "preferred"),
    ]
    with Termbase(db_path, seed=False) as tb:
        entry = tb.get(stored)
        assert entry.note == ""  # the file's entry replaced the stored one
        assert tb.history(stored, limit=1)[0].action == "import-replace"
    assert len(list(db_path.parent.glob(f"{db_path.name}.before-import-*.bak"))) == 1


def test_on_conflict_merge_reports_the_status_conflict_and_keeps_ours(
    run, db_path: Path, stored: int, glossary: Path
) -> None:
    report = _json(run("import", str(glossary), "--json"))
    assert (report["new"], report["conflicts"], report["extended"]) == (1, 1, 1)
    assert _terms(db_path, stored) == [
        ("新发展格局", "preferred"),
        ("new development pattern", "preferred"),
        ("new development paradigm", "admitted"),
    ]


def test_source_is_recorded_on_every_entry(run, db_path: Path, glossary: Path) -> None:
    run("import", str(glossary), "--source", "Team glossary 2026")
    with Termbase(db_path, seed=False) as tb:
        entries = list(tb.entries())
        assert len(entries) == 2
        for entry in entries:
            assert [s.title for s in entry.sources] == ["Team glossary 2026"]
        hits = tb.search("高水平安全", source="Team glossary")
        assert [h.entry.zh for h in hits] == ["高水平安全"]


def test_dry_run_writes_nothing_even_inside_a_transaction(db_path: Path, glossary: Path) -> None:
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME, seed=False) as tb:
        with tb.store.transaction():
            report = tb.import_file(glossary, dry_run=True)
            tb.add(Entry(terms=[Term("共同富裕", "zh-CN")]))
        assert report.new == 2
        assert [e.zh for e in tb.entries()] == ["共同富裕"]


def test_export_lang_keeps_only_the_languages_asked_for(
    run, db_path: Path, tmp_path: Path, stored: int
) -> None:
    with Termbase(db_path, seed=False) as tb:
        tb.add_term(stored, Term("新發展格局", "zh-Hant", TermStatus.PREFERRED))
    out = tmp_path / "zh-only.tbx"
    assert (
        run("export", str(out), "--lang", "zh", "--review", "all").output
        == f"Exported 1 entries to {out}.\n"
    )
    text = out.read_text(encoding="utf-8")
    assert "新发展格局" in text and "新發展格局" in text
    assert "new development pattern" not in text
    both = tmp_path / "zh-en.csv"
    run("export", str(both), "--lang", "zh-CN,en", "--review", "all")
    text = both.read_text(encoding="utf-8")
    assert "新发展格局" in text and "new development pattern" in text
    assert "新發展格局" not in text
    none = tmp_path / "fr.csv"  # a language no term has is named, not an empty file
    out = run("export", str(none), "--lang", "fr", "--review", "all", code=1).output
    assert out == "Error: no term is in the language 'fr'; languages in use: en, zh-CN, zh-Hant\n"
    assert not none.exists()
