"""The seed glossary: coverage, evidence, honesty, and that it ships and loads.

Source of truth: ``glossaries/src/development-and-security.json``, read with
``scripts/build_seed.py``'s :func:`load_seed_source`; the shipped TBX is what
that script writes.  Tests that compare contexts with the paper skip when
``../shared/paper`` is absent.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from termbase import Review, Termbase, TermStatus
from termbase.api import seed_glossary_path
from termbase.formats import tbx
from termbase.lang.en import stems
from termbase.model import Entry, TermType, entry_to_dict, is_english

REPO = Path(__file__).resolve().parents[1]
PAPER = Path(__file__).resolve().parents[2] / "shared" / "paper" / "development-and-security.txt"
SOURCE = REPO / "glossaries" / "src" / "development-and-security.json"
SEED = REPO / "glossaries" / "development-and-security.tbx"
PAGE_BREAK = "(sentence runs across a page break)"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: Words a rendering may carry that its context sentence need not:
#: "safeguard the new development pattern" is attested by "safeguarding China's new …".
OPTIONAL_WORDS = {"a", "an", "the", "it", "its", "their", "our", "china"}


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_seed", REPO / "scripts" / "build_seed.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_seed"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return _build_module()


@pytest.fixture(scope="module")
def entries(build: ModuleType) -> list[Entry]:
    return list(build.load_seed_source(SOURCE))


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return dict(json.loads(SOURCE.read_text(encoding="utf-8")))


def _by_zh(entries: list[Entry], zh: str) -> Entry:
    (entry,) = [e for e in entries if e.zh == zh]
    return entry


def missing_stems(rendering: str, sentence: str) -> set[str]:
    """Stems of *rendering* absent from *sentence* (empty when the sentence attests it).

    Both sides are cut into words and reduced to Snowball stems, so
    inflections match ("ensure" / "ensuring", "capability" / "capabilities").
    The comparison is order-insensitive, because a dictionary form often
    reorders the sentence ("insufficient domestic demand" / "domestic demand
    remains insufficient"); a stem also matches a longer sentence stem it
    begins (Snowball leaves "forestall" and "forestalling" apart).  Articles,
    possessives and "China" may be absent.
    """
    wanted = {s for s in stems(rendering) if s not in OPTIONAL_WORDS}
    have = set(stems(sentence))
    return {w for w in wanted if w not in have and not any(h.startswith(w) for h in have)}


def depaginate(text: str) -> str:
    """The paper without footnotes, with paragraphs split by a page break rejoined.

    A page break leaves a paragraph without closing punctuation, then the
    page's footnotes, then the rest of the sentence (the next paragraph, which
    starts in lower case, or after footnotes in any case).
    """
    out: list[str] = []
    after_note = False
    for par in (p.strip() for p in text.split("\n\n")):
        if not par:
            continue
        if par[0] in SUPERSCRIPTS:
            after_note = True
            continue
        open_end = bool(out) and not re.search(rf"[.!?:;”\"’)][{SUPERSCRIPTS}]*$", out[-1])
        lower = par[0].islower() or (par[0] in '“"' and par[1:2].islower())
        if open_end and (after_note or lower):
            out[-1] += " " + par
        else:
            out.append(par)
        after_note = False
    return "\n\n".join(out)


# ------------------------------------------------------------------ coverage
def test_coverage(entries: list[Entry]) -> None:
    assert len(entries) >= 200
    assert sum(1 for e in entries if e.review is Review.APPROVED) >= 200
    assert sum(len(e.en_terms) for e in entries) >= 300


def test_no_two_entries_share_a_chinese_term(raw: dict[str, Any]) -> None:
    counts = Counter(e["zh"] for e in raw["entries"])
    assert [zh for zh, n in counts.items() if n > 1] == []


def test_subjects_come_from_the_fixed_list(build: ModuleType, entries: list[Entry]) -> None:
    assert {e.subject for e in entries} <= set(build.SUBJECTS)


# ------------------------------------------------------------------ statuses
def test_one_preferred_rendering_per_entry(entries: list[Entry]) -> None:
    for e in entries:
        full = [t for t in e.en_terms if t.term_type is not TermType.ABBREVIATION]
        if full:
            assert sum(t.status is TermStatus.PREFERRED for t in full) == 1, e.zh
            preferred = next(t for t in full if t.status is TermStatus.PREFERRED)
            assert preferred.contexts or preferred.source, (e.zh, "the preferred rendering cites")


def test_proposed_entries_say_why(entries: list[Entry]) -> None:
    proposed = [e for e in entries if e.review is Review.PROPOSED]
    assert proposed, "doubtful reconstructions stay proposed"
    for e in proposed:
        assert e.note.startswith("Doubt:"), e.zh
        assert not e.reviewer and not e.reviewed_at


def test_approved_entries_name_the_reviewer(entries: list[Entry]) -> None:
    for e in entries:
        if e.review is Review.APPROVED:
            assert (e.reviewer, e.reviewed_at) == ("seed", "2026-11-28T00:00:00Z"), e.zh


def test_a_deprecated_rendering_points_to_the_official_one(entries: list[Entry]) -> None:
    entry = _by_zh(entries, "国务院新闻办公室")
    statuses = {t.text: t.status.value for t in entry.en_terms}
    assert statuses == {
        "State Council Information Office": "preferred",
        "Information Office of China's State Council": "deprecated",
        "SCIO": "admitted",
    }
    official = next(t for t in entry.en_terms if t.text == "State Council Information Office")
    assert official.source is not None and official.source.url == "http://english.scio.gov.cn/"


def test_abbreviations_are_terms_of_their_own(entries: list[Entry]) -> None:
    abbreviations = {
        t.text for e in entries for t in e.terms if t.term_type is TermType.ABBREVIATION
    }
    assert {"NSC", "GSI", "GDI", "GCI", "GGI", "NPC", "SCIO", "CPC", "BRI", "AI"} <= abbreviations
    nsc = _by_zh(entries, "中央国家安全委员会")
    assert [(t.text, t.term_type.value) for t in nsc.en_terms] == [
        ("National Security Commission", "full-form"),
        ("National Security Commission under the CPC Central Committee", "full-form"),
        ("NSC", "abbreviation"),
    ]


# ------------------------------------------------------------------ the key terms
def test_the_paper_renders_new_development_pattern_several_ways(entries: list[Entry]) -> None:
    entry = _by_zh(entries, "新发展格局")
    assert entry.pinyin == "xīn fāzhǎn géjú"
    assert [t.text for t in entry.terms if t.lang == "zh-Hant"] == ["新發展格局"]
    assert [(t.text, t.status.value) for t in entry.en_terms] == [
        ("new development pattern", "preferred"),
        ("new pattern of development", "admitted"),
        ("new development dynamic", "superseded"),
        ("New Development Paradigm", "superseded"),
    ]
    assert entry.en_terms[0].source is not None  # an official source, not a claim in a note


def test_ensure_both_development_and_security(entries: list[Entry]) -> None:
    entry = _by_zh(entries, "统筹发展和安全")
    assert entry.pinyin == "tǒngchóu fāzhǎn hé ānquán"
    assert [(t.text, t.status.value) for t in entry.en_terms] == [
        ("ensure both development and security", "preferred"),
        ("balance development and security", "admitted"),
        ("coordinate development and security", "admitted"),
    ]


def test_high_level_security(entries: list[Entry]) -> None:
    entry = _by_zh(entries, "高水平安全")
    assert [t.text for t in entry.en_terms] == [
        "high-level security",
        "greater security",
        "high-standard security",
    ]
    greater = entry.en_terms[1]
    assert [(c.locator, c.quotes.publisher if c.quotes else "") for c in greater.contexts] == [
        ("Abstract", ""),
        (
            "Introduction, footnote 1",
            "Ministry of Foreign Affairs of the People’s Republic of China",
        ),
    ]
    # every context sentence appears in the paper; the quoted document is recorded apart
    assert {c.source.author for c in greater.contexts if c.source} == {"CICIR Task Force"}
    assert greater.strongest_source is not None
    assert greater.strongest_source.authority.value == "official-text"


def test_pinyin_and_traditional_overrides(entries: list[Entry]) -> None:
    assert _by_zh(entries, "平安中国建设").pinyin == "píng'ān zhōngguó jiànshè"
    core = _by_zh(entries, "以习近平同志为核心的党中央")
    assert core.pinyin == "yǐ xí jìnpíng tóngzhì wéi héxīn de dǎng zhōngyāng"
    assert [t.text for t in core.terms if t.lang == "zh-Hant"] == ["以習近平同志為核心的黨中央"]
    journey = _by_zh(entries, "新征程")
    assert [t.text for t in journey.terms if t.lang == "zh-Hant"] == []  # 征 stays 征


# ------------------------------------------------------------------ evidence
def test_every_rendering_has_evidence(entries: list[Entry]) -> None:
    for e in entries:
        assert e.sources and e.sources[0].author == "CICIR Task Force", e.zh
        assert e.sources[0].publisher == "Contemporary International Relations"
        for t in e.en_terms:
            assert t.contexts or t.source is not None, (e.zh, t.text)
            for c in t.contexts:
                assert c.source is not None and c.source.title and c.locator, (e.zh, t.text)
                assert c.source.author == "CICIR Task Force", (e.zh, c.locator)
                if "footnote" in c.locator:
                    assert c.quotes is not None and c.quotes.author != "CICIR Task Force"


def test_every_context_contains_its_rendering(entries: list[Entry]) -> None:
    for e in entries:
        for t in e.terms:
            if is_english(t.lang):
                for c in t.contexts:
                    assert not missing_stems(t.text, c.text), (t.text, c.text)


def test_the_stem_check_is_strict_enough() -> None:
    assert missing_stems("ensure both development and security", "ensuring both development")
    assert not missing_stems(
        "ensure both development and security", "Ensuring both development and security is…"
    )
    assert not missing_stems("insufficient domestic demand", "domestic demand remains insufficient")


@pytest.mark.skipif(not PAPER.exists(), reason="../shared/paper is absent")
def test_every_context_is_verbatim_from_the_paper(entries: list[Entry]) -> None:
    paper = PAPER.read_text(encoding="utf-8")
    joined = depaginate(paper)
    across = 0
    for e in entries:
        for t in e.terms:
            for c in t.contexts:
                if PAGE_BREAK in c.locator:
                    across += 1
                    assert c.text not in paper and c.text in joined, c.text
                else:
                    assert c.text in paper, c.text
    assert across > 0  # e.g. "Belt and Road / Initiative" is split by a page break


@pytest.mark.skipif(not PAPER.exists(), reason="../shared/paper is absent")
def test_footnote_sources_are_cited_as_the_paper_cites_them(raw: dict[str, Any]) -> None:
    paper = PAPER.read_text(encoding="utf-8")
    quoted = {
        c["quotes"]
        for e in raw["entries"]
        for r in e.get("renderings", []) + e.get("abbreviations", [])
        for c in r.get("contexts", [])
        if "quotes" in c
    }
    assert len(quoted) > 20
    for key in quoted:
        assert raw["sources"][key]["url"] in paper, key  # the documents the paper quotes
    assert raw["sources"]["paper"] == {
        "title": "Achieving Mutual Reinforcement between High-Quality Development and "
        "High-Level Security",
        "author": "CICIR Task Force",
        "publisher": "Contemporary International Relations",
        "date": "2025",
        "url": "",
        "authority": "scholarship",
    }


# ------------------------------------------------------------------ provenance (issue 18)
def _renderings(raw: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for e in raw["entries"] for r in e.get("renderings", []) + e.get("abbreviations", [])]


def test_every_official_source_has_a_url_and_a_date(build: ModuleType, raw: dict[str, Any]) -> None:
    official = {k: s for k, s in raw["sources"].items() if s["authority"] in build.OFFICIAL}
    assert len(official) > 30
    for key, source in official.items():
        assert source["url"].startswith("http") and source["date"], key
    # "official" is a ranked source, never free text
    for r in _renderings(raw):
        assert (
            "official" not in r.get("note", "").lower()
            or r.get("sources")
            or any("quotes" in c for c in r.get("contexts", []))
        ), r["en"]


def test_no_stock_note_is_repeated(raw: dict[str, Any]) -> None:
    notes = Counter(r["note"] for r in _renderings(raw) if r.get("note"))
    assert notes.most_common(1)[0][1] <= 3, notes.most_common(3)
    assert not any("usual official English rendering" in n for n in notes)


def test_every_preferred_rendering_cites_a_source(raw: dict[str, Any]) -> None:
    for e in raw["entries"]:
        for r in e.get("renderings", []):
            if r["status"] == "preferred":
                assert r.get("sources") or r.get("contexts"), (e["zh"], r["en"])


def test_superseded_renderings_carry_their_dates(raw: dict[str, Any]) -> None:
    by = {
        e["zh"]: {r["en"]: r for r in e.get("renderings", []) + e.get("abbreviations", [])}
        for e in raw["entries"]
    }
    wanted = {
        "一带一路倡议": ("One Belt, One Road", "OBOR"),
        "总体国家安全观": ("overall national security outlook",),
        "新质生产力": ("new productive forces",),
        "中国式现代化": ("Chinese path to modernization",),
        "新发展格局": ("new development dynamic", "New Development Paradigm"),
    }
    for zh, forms in wanted.items():
        for en in forms:
            r = by[zh][en]
            assert r["status"] == "superseded" and r["from"] and r["until"], (zh, en)
            assert r.get("sources") or r.get("contexts"), (zh, en)
    assert by["新发展格局"]["new development dynamic"]["until"] == "2021"
    assert by["新发展格局"]["new development pattern"]["from"] == "2020-11"
    assert by["乡村振兴战略"]["rural revitalization strategy"]["status"] == "preferred"
    assert by["求是"]["Qiusi"]["status"] == "deprecated"


def test_the_corrected_renderings(entries: list[Entry]) -> None:
    assert (
        _by_zh(entries, "中央财经委员会").en
        == "Central Commission for Financial and Economic Affairs"
    )
    assert _by_zh(entries, "高水平对外开放").en == "high-standard opening up"
    assert (
        _by_zh(entries, "全体人民共同富裕的现代化").en
        == "modernization of common prosperity for all"
    )
    decision = _by_zh(entries, "中共中央关于全面深化改革若干重大问题的决定").en
    assert decision.endswith("Comprehensively Deepening the Reform")
    assert _by_zh(entries, "逢山开道、遇水架桥")
    security_risks = _by_zh(entries, "防范化解各类安全风险")
    assert security_risks.en == "forestall and defuse various security risks"
    assert all(
        "hegemony" not in c.text for t in _by_zh(entries, "霸权主义").en_terms for c in t.contexts
    )
    title = _by_zh(entries, "新时代的中国国家安全").en_terms[0]
    assert all("National Security in the New Era" in c.text for c in title.contexts)
    prosperity = [t.text for t in _by_zh(entries, "共同富裕").en_terms]
    assert "bring prosperity to all" in prosperity


@pytest.mark.parametrize(
    ("zh", "pinyin"),
    [
        ("长臂管辖", "chángbì guǎnxiá"),
        ("反制裁、反干涉、反“长臂管辖”机制", "fǎn zhìcái fǎn gānshè fǎn chángbì guǎnxiá jīzhì"),
        ("长治久安", "chángzhìjiǔ'ān"),
        (
            "经济快速发展和社会长期稳定两大奇迹",
            "jīngjì kuàisù fāzhǎn hé shèhuì chángqī wěndìng liǎng dà qíjì",
        ),
        ("对世界经济增长的贡献率", "duì shìjiè jīngjì zēngzhǎng de gòngxiànlǜ"),
        ("行稳致远", "xíng wěn zhìyuǎn"),
        ("发展和安全并重", "fāzhǎn hé ānquán bìngzhòng"),
        ("以习近平同志为核心的党中央", "yǐ xí jìnpíng tóngzhì wéi héxīn de dǎng zhōngyāng"),
        ("以人民安全为宗旨", "yǐ rénmín ānquán wéi zōngzhǐ"),
        ("全球南方的当然成员", "quánqiú nánfāng de dāngrán chéngyuán"),
        ("党治国理政的重大原则", "dǎng zhìguó lǐzhèng de zhòngdà yuánzé"),
        (
            "推动全球治理体系朝着更加公正合理的方向发展",
            "tuīdòng quánqiú zhìlǐ tǐxì cháozhe gèngjiā gōngzhèng hélǐ de fāngxiàng fāzhǎn",
        ),
    ],
)
def test_heteronym_readings(entries: list[Entry], zh: str, pinyin: str) -> None:
    assert _by_zh(entries, zh).pinyin == pinyin


def test_entry_types_and_phraseology(
    build: ModuleType, raw: dict[str, Any], entries: list[Entry]
) -> None:
    types = Counter(e["type"] for e in raw["entries"])
    assert set(types) <= set(build.ENTRY_TYPES)
    assert types["set-formulation"] > 50 and types["event"] >= 10 and types["institution"] >= 10
    for e in raw["entries"]:
        if len(e["zh"]) >= 14:
            assert e["type"] != "term", e["zh"]  # long headwords are formulations, titles, slogans
    one_offs = {e["zh"] for e in raw["phraseology"]}
    assert {"世界上最安全的国家之一", "全面取消制造业领域外资准入限制措施"} <= one_offs
    assert not one_offs & {e.zh for e in entries}
    events = {e["zh"] for e in raw["entries"] if e["type"] == "event"}
    assert {"中央国家安全委员会第一次会议", "二十届中央国家安全委员会第一次会议"} <= events
    for zh in ("发展是硬道理、安全也是硬道理", "百年变局加速演进", "变乱交织", "霸权霸道霸凌行径"):
        assert _by_zh(entries, zh).en_terms
    variants = {t.text for t in _by_zh(entries, "世界百年未有之大变局").en_terms}
    assert "once-in-a-century global changes" in variants
    assert "Central Committee of the Communist Party of China" in {
        t.text for t in _by_zh(entries, "党中央").en_terms
    }


@pytest.mark.skipif(not PAPER.exists(), reason="../shared/paper is absent")
def test_no_context_starts_in_the_middle_of_a_sentence(entries: list[Entry]) -> None:
    joined = depaginate(PAPER.read_text(encoding="utf-8"))
    for e in entries:
        for t in e.terms:
            for c in t.contexts:
                if c.text[0] in SUPERSCRIPTS:
                    continue  # a footnote
                before = joined[: joined.find(c.text)].rstrip(" ")
                assert not before or before[-1] in '.!?:;”"’)\n—' or before[-1] in SUPERSCRIPTS, (
                    c.text
                )


# ------------------------------------------------------------------ validation
def _write(tmp_path: Path, raw: dict[str, Any], entry: dict[str, Any]) -> Path:
    path = tmp_path / "seed.json"
    path.write_text(
        json.dumps({"sources": raw["sources"], "entries": [entry]}, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "zh": "新安全格局",
        "type": "term",
        "subject": "national security",
        "review": "approved",
        "renderings": [
            {
                "en": "new security architecture",
                "status": "preferred",
                "contexts": [{"text": "x", "locator": "Abstract"}],
            }
        ],
    }
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": "weather"}, "subject 'weather' is not one of"),
        ({"review": "approved", "zh": ""}, "entry ?: needs 'zh'"),
        ({"review": "proposed"}, "a proposed entry needs a note starting 'Doubt:'"),
        ({"type": "slogan-ish"}, "type 'slogan-ish' is not one of"),
        (
            {"renderings": [{"en": "new security architecture", "status": "deprecated"}]},
            "a deprecated rendering needs a note",
        ),
        (
            {"renderings": [{"en": "x", "status": "superseded", "note": "n", "sources": ["bri"]}]},
            "needs exactly one preferred rendering (has 0)",
        ),
        (
            {
                "renderings": [
                    {
                        "en": "x",
                        "status": "preferred",
                        "from": "2021",
                        "until": "2020",
                        "sources": ["bri"],
                    },
                ]
            },
            "'from' 2021 is after 'until' 2020",
        ),
        (
            {
                "renderings": [
                    {"en": "x", "status": "preferred", "from": "May 2020", "sources": ["bri"]}
                ]
            },
            "'from' must be YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            {
                "renderings": [
                    {"en": "x", "status": "preferred", "contexts": [{"text": "t", "locator": "l"}]},
                    {"en": "y", "status": "admitted", "sources": ["resolution-2024"]},
                ]
            },
            "needs a 'rationale': the preferred 'x' is less authoritative than 'y' (official-text)",
        ),
        (
            {
                "renderings": [
                    {"en": "x", "status": "preferred", "note": "n", "contexts": []},
                ]
            },
            "'x': needs at least one context",
        ),
        (
            {
                "renderings": [
                    {"en": "x", "status": "preferred", "note": "n", "sources": ["nowhere"]},
                ]
            },
            "unknown source key 'nowhere'",
        ),
        (
            {
                "renderings": [
                    {"en": "x", "status": "admitted", "sources": ["scio"]},
                    {"en": "y", "status": "admitted", "sources": ["scio"]},
                ]
            },
            "needs exactly one preferred rendering (has 0)",
        ),
        (
            {"renderings": [{"en": "x", "status": "favourite", "sources": ["scio"]}]},
            "status must be one of",
        ),
    ],
)
def test_the_builder_rejects_bad_entries(
    build: ModuleType, raw: dict[str, Any], tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    path = _write(tmp_path, raw, _entry(**changes))
    with pytest.raises(build.SeedError) as info:
        build.load_seed_source(path)
    assert str(info.value).startswith("seed.json: ")
    assert message in str(info.value)


def test_the_builder_rejects_a_duplicate_chinese_term(
    build: ModuleType, raw: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "seed.json"
    path.write_text(
        json.dumps({"sources": raw["sources"], "entries": [_entry(), _entry()]}),
        encoding="utf-8",
    )
    with pytest.raises(build.SeedError, match="新安全格局: the Chinese term is already an entry"):
        build.load_seed_source(path)


def test_the_builder_reports_invalid_json_with_line_and_column(
    build: ModuleType, tmp_path: Path
) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"sources": {},\n "entries": [,]}', encoding="utf-8")
    with pytest.raises(build.SeedError, match=r"^seed\.json:2:14: invalid JSON"):
        build.load_seed_source(path)


# ------------------------------------------------------------------ the shipped TBX
def test_the_shipped_tbx_reads_back_to_the_same_entries(entries: list[Entry]) -> None:
    shipped = list(tbx.read(SEED))
    assert len(shipped) == len(entries)
    assert [e.uuid for e in shipped] == [e.uuid for e in entries]
    assert [e.zh for e in shipped] == [e.zh for e in entries]
    back = _by_zh(shipped, "新发展格局")
    assert back.en == "new development pattern"
    assert back.review is Review.APPROVED and back.reviewer == "seed"
    dynamic = next(t for t in back.en_terms if t.text == "new development dynamic")
    assert dynamic.contexts[0].quotes is not None
    assert dynamic.contexts[0].quotes.url == "https://en.qstheory.cn/2021-07/08/c_641137.htm"
    assert (dynamic.used_from, dynamic.used_until) == ("2020", "2021")
    assert back.entry_type.value == "term"
    # lossless: every field of every entry, the new ones included, reads back the same
    assert [entry_to_dict(e) for e in shipped] == [entry_to_dict(e) for e in entries]


def test_the_shipped_tbx_is_what_the_source_builds(
    build: ModuleType, entries: list[Entry], tmp_path: Path
) -> None:
    rebuilt = tmp_path / "seed.tbx"
    tbx.write(entries, rebuilt)
    assert rebuilt.read_bytes() == SEED.read_bytes(), "run: python scripts/build_seed.py"


def test_the_default_database_is_seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERMBASE_DB", str(tmp_path / "default.sqlite"))
    with Termbase() as tb:
        hits = tb.search("新发展格局")
        assert hits[0].entry.zh == "新发展格局"
        assert hits[0].entry.en == "new development pattern"
        assert tb.stats()["entries"] == len(list(tbx.read(seed_glossary_path())))
