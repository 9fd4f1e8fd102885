"""The seed glossary: coverage, evidence, honesty, and that it ships and loads."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from termbase import Review, Termbase, TermStatus
from termbase.api import seed_glossary_path
from termbase.formats import tbx
from termbase.lang.en import stems
from termbase.model import is_english

from .conftest import PAPER, REPO

SEED = REPO / "glossaries" / "development-and-security.tbx"


@pytest.fixture(scope="module")
def entries():
    return list(tbx.read(SEED))


def _build_module():
    spec = importlib.util.spec_from_file_location("build_seed", REPO / "scripts" / "build_seed.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_seed"] = module
    spec.loader.exec_module(module)
    return module


def test_coverage(entries) -> None:
    assert 200 <= len(entries) <= 400
    assert sum(1 for e in entries if e.review is Review.APPROVED) >= 200


def test_no_two_entries_share_a_chinese_term(entries) -> None:
    counts = Counter(e.zh for e in entries)
    assert [zh for zh, n in counts.items() if n > 1] == []


def test_one_preferred_rendering_per_entry(entries) -> None:
    for e in entries:
        full = [t for t in e.en_terms if t.term_type.value != "abbreviation"]
        if full:
            assert sum(t.status is TermStatus.PREFERRED for t in full) == 1, e.zh


def test_every_entry_has_pinyin_and_a_source(entries) -> None:
    for e in entries:
        assert e.pinyin, e.zh
        assert e.sources, e.zh
        for t in e.en_terms:
            assert t.contexts or t.source is not None, (e.zh, t.text)
            for c in t.contexts:
                assert c.source is not None and c.locator, (e.zh, t.text)


def test_proposed_entries_say_why(entries) -> None:
    for e in entries:
        if e.review is Review.PROPOSED:
            assert e.note.startswith("Doubt") or "Doubt:" in e.note, e.zh


def test_every_context_contains_its_rendering(entries) -> None:
    """Stems of the rendering's words appear in the sentence (inflection-tolerant)."""
    skip = {"a", "an", "the", "it", "its", "their", "our", "china"}
    for e in entries:
        for t in e.terms:
            if not is_english(t.lang):
                continue
            wanted = {s for s in stems(t.text) if s not in skip}
            for c in t.contexts:
                have = set(stems(c.text))
                missing = {
                    w for w in wanted if w not in have and not any(h.startswith(w) for h in have)
                }
                assert not missing, (t.text, c.text, missing)


@pytest.mark.skipif(not PAPER.exists(), reason="../shared/paper is absent")
def test_every_context_is_verbatim_from_the_paper(entries) -> None:
    paper = PAPER.read_text(encoding="utf-8")
    for e in entries:
        for t in e.terms:
            for c in t.contexts:
                assert c.text in paper, c.text


def test_the_paper_renders_new_development_pattern_several_ways(entries) -> None:
    (entry,) = [e for e in entries if e.zh == "新发展格局"]
    assert entry.pinyin == "xīn fāzhǎn géjú"
    assert [(t.text, t.status.value) for t in entry.en_terms] == [
        ("new development pattern", "preferred"),
        ("new development dynamic", "admitted"),
        ("New Development Paradigm", "admitted"),
        ("new pattern of development", "admitted"),
    ]
    assert [t.text for t in entry.terms if t.lang == "zh-Hant"] == ["新發展格局"]


def test_a_deprecated_rendering_points_to_the_official_one(entries) -> None:
    (entry,) = [e for e in entries if e.zh == "国务院新闻办公室"]
    statuses = {t.text: t.status.value for t in entry.en_terms}
    assert statuses["Information Office of China's State Council"] == "deprecated"
    assert statuses["State Council Information Office"] == "preferred"
    official = next(t for t in entry.en_terms if t.text == "State Council Information Office")
    assert official.source is not None and official.source.url == "http://english.scio.gov.cn/"


def test_abbreviations_are_terms_of_their_own(entries) -> None:
    abbreviations = {
        t.text for e in entries for t in e.terms if t.term_type.value == "abbreviation"
    }
    assert {"NSC", "GSI", "GDI", "GCI", "GGI", "NPC", "SCIO", "CPC", "BRI"} <= abbreviations


@pytest.mark.skipif(not PAPER.exists(), reason="../shared/paper is absent")
def test_the_shipped_tbx_is_what_the_source_builds(tmp_path: Path) -> None:
    build = _build_module()
    rebuilt = tmp_path / "seed.tbx"
    tbx.write(build.build(build.SOURCE_FILE, PAPER), rebuilt)
    assert rebuilt.read_bytes() == SEED.read_bytes(), "run: python scripts/build_seed.py"


def test_the_default_database_is_seeded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TERMBASE_DB", str(tmp_path / "default.sqlite"))
    with Termbase() as tb:
        hits = tb.search("新发展格局")
        assert hits[0].entry.zh == "新发展格局"
        assert hits[0].entry.en == "new development pattern"
        assert tb.stats()["entries"] == len(list(tbx.read(seed_glossary_path())))
