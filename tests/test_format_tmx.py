"""TMX reader and writer: real files from other tools, FORMATS.md §0 checklist, hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from termbase import Entry, FormatError, Review, Segment, Source, Term, TermStatus, UnsafeFileError
from termbase.formats import get, guess, tmx

from .conftest import CORPUS
from .format_contract import FormatContract

TMX_CORPUS = CORPUS / "tmx"
DTD_PATH = CORPUS / "schemas" / "tmx14.dtd"
needs_corpus = pytest.mark.skipif(not TMX_CORPUS.exists(), reason="../shared/corpus is absent")

HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="{src}" datatype="plaintext"/>'
)


def _tmx(tmp_path: Path, body: str, srclang: str = "en", name: str = "in.tmx") -> Path:
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        + HEADER.format(src=srclang)
        + "\n<body>\n"
        + body
        + "\n</body>\n</tmx>\n",
        encoding="utf-8",
    )
    return path


def _dtd_errors(path: Path) -> list[str]:
    dtd = etree.DTD(str(DTD_PATH))
    ok = dtd.validate(etree.parse(str(path)))
    return [] if ok else [str(e) for e in dtd.error_log]


class TestTmxContract(FormatContract):
    format_name = "tmx"
    extension = ".tmx"
    carries = frozenset(
        {
            "zh",
            "en",
            "statuses",
            "subject",
            "definition",
            "definition_zh",
            "note",
            "review",
            "reviewer",
            "reviewed_at",
            "review_comment",
            "created_at",
            "created_by",
            "uuid",
            "status",
            "pinyin",
        }
    )


# ------------------------------------------------------------------ real files
CORPUS_COUNTS = [
    ("OmegaT-L10N_zh_CN_project_save.tmx", 10915, "attributes.", "属性。", "en", "zh-CN"),
    (
        "lisa-compkit_ImportTest1G_utf16be.tmx",
        3,
        "à=agrave, é=eacute, æ=aelig",
        "à=agrave, é=eacute, æ=aelig",
        "en-US",
        "en-GB",
    ),
    (
        "lisa-compkit_ImportTest1I_ja-numeric-charrefs.tmx",
        1,
        "English segment with [    ]",
        "Japanese segment with [\u3000\u3000]",
        "en-US",
        "ja-JP",
    ),
    (
        "lisa-compkit_ImportTest1K_tu-srclang-override.tmx",
        2,
        "First Entry - German",
        "First Entry - UK English",
        "de-DE",
        "en-GB",
    ),
    (
        "lisa-compkit_ImportTest1L_all-features.tmx",
        1,
        "Text of the segment.",
        "Texte du segment.",
        "en-US",
        "fr",
    ),
    (
        "lisa-compkit_ImportTest2A_inline-tags_utf16le.tmx",
        7,
        "The big black cat sleeps.",
        "Le gros chat noir dors.",
        "en-US",
        "fr-CA",
    ),
    (
        "okapi_tmx14b-spec-sample.tmx",
        25,
        "Confirm that the AC line is in the AC fluid detector.",
        "Sicherstellen, dass sich der AK-Schlauch im AK-Flüssigkeitsdetektor befindet.",
        "en-US",
        "de-DE",
    ),
    (
        "okapi_trados-tw4win_html_test_utf16le.tmx",
        11,
        "start &lt; of &lt; body text",
        "stXrt &lt; Xf &lt; bXdy tXxt",
        "en-US",
        "fr-FR",
    ),
    (
        "omegat-l10n-zh-cn_website-TM_alchemy-catalyst_utf16le.tmx",
        495,
        "Sorry",
        "抱歉",
        "en-US",
        "zh-CN",
    ),
    ("omegat_invalid-inline-order.tmx", 0, "", "", "", ""),
    (
        "omegat_project_CN_JP_project_save.tmx",
        1,
        "太平寺中的文笔塔",
        "太平寺の中心的なペン塔",
        "zh-CN",
        "ja-JP",
    ),
    ("omegat_test-SMP.tmx", 1, "𝐀𝐁𝐂", "𝐃𝐄𝐅", "en", "be"),
    ("weblate_memory2_tmx11_lang-SC.tmx", 1, '"%.1f MB";', '"%.1f MB";', "en", "sc"),
    (
        "weblate_memory_header-missing-required-attrs.tmx",
        1,
        "Wenn die Logfunktion installiert ist",
        "If the log function is installed",
        "de-DE",
        "en-US",
    ),
]


@needs_corpus
@pytest.mark.parametrize(("name", "count", "source", "target", "src", "tgt"), CORPUS_COUNTS)
def test_real_files_import(
    name: str, count: int, source: str, target: str, src: str, tgt: str
) -> None:
    segments = list(tmx.read_segments(TMX_CORPUS / name))
    assert len(segments) == count
    if count:
        first = segments[0]
        assert (first.source, first.target) == (source, target)
        assert (first.source_lang, first.target_lang) == (src, tgt)
        assert first.origin == name


@needs_corpus
def test_every_corpus_file_is_covered() -> None:
    assert sorted(p.name for p in TMX_CORPUS.glob("*.tmx")) == sorted(c[0] for c in CORPUS_COUNTS)


@needs_corpus
def test_alchemy_catalyst_utf16le_zh_segment_trimmed() -> None:
    """UTF-16LE, single-quoted attributes; `<seg>` text padded with spaces is trimmed."""
    segments = list(
        tmx.read_segments(TMX_CORPUS / "omegat-l10n-zh-cn_website-TM_alchemy-catalyst_utf16le.tmx")
    )
    assert segments[1].source == "We could not find the page you are looking for."
    assert segments[1].target == "我们找不到您要查找的页面。"
    assert segments[2].target == "您可以前往主页，希望在那里能找到您需要的信息。"
    assert segments[4].source == "{% for author in site.data.credits.website %}"
    # the same file read the other way round: zh-CN as the source
    reverse = list(
        tmx.read_segments(
            TMX_CORPUS / "omegat-l10n-zh-cn_website-TM_alchemy-catalyst_utf16le.tmx",
            source_lang="zh",
            target_lang="en",
        )
    )
    assert (reverse[0].source, reverse[0].target) == ("抱歉", "Sorry")
    assert (reverse[0].source_lang, reverse[0].target_lang) == ("zh-CN", "en-US")


@needs_corpus
def test_alchemy_catalyst_as_term_pairs() -> None:
    entries = list(
        tmx.read(TMX_CORPUS / "omegat-l10n-zh-cn_website-TM_alchemy-catalyst_utf16le.tmx")
    )
    assert len(entries) == 495
    assert (entries[0].zh, entries[0].en) == ("抱歉", "Sorry")
    assert [t.lang for t in entries[0].terms] == ["zh-CN", "en-US"]


@needs_corpus
def test_tmx11_lang_attribute_and_tuv_dates() -> None:
    segment = next(tmx.read_segments(TMX_CORPUS / "OmegaT-L10N_zh_CN_project_save.tmx"))
    assert segment.creator == "wynnc"
    assert segment.created_at == "2019-03-20T04:55:07Z"
    assert segment.changed_at == "2019-03-20T04:55:07Z"


@needs_corpus
def test_inline_codes_dropped_hi_kept_mixed_case_tags() -> None:
    segments = list(
        tmx.read_segments(TMX_CORPUS / "lisa-compkit_ImportTest2A_inline-tags_utf16le.tmx")
    )
    assert segments[1].source == 'Test for special characters = <=lt, >=gt, &=amp, "=quot.'
    assert segments[5].source == "Picture:"  # <ph> content is code, gone
    assert (segments[5].source_lang, segments[5].target_lang) == ("en-US", "fr-CA")  # En-uS, FR-CA
    # tuvs in inverted order: srclang en-us still picks the English tuv
    assert segments[6].source == "Some text with a part highlighted."
    assert segments[6].target == "Du texte avec une portion délimitée."


@needs_corpus
def test_all_features_props_notes_usagecount() -> None:
    (segment,) = tmx.read_segments(TMX_CORPUS / "lisa-compkit_ImportTest1L_all-features.tmx")
    assert segment.props == {"myPropeType": "Data"}
    assert segment.notes[:3] == ["Text of tu note 1", "Text of tu note 2", "Text of tuv en note 1"]
    assert segment.count == 100
    assert segment.creator == "ys"
    assert segment.created_at == "2002-05-23T09:12:00Z"


@needs_corpus
def test_tu_srclang_overrides_header() -> None:
    segments = list(
        tmx.read_segments(TMX_CORPUS / "lisa-compkit_ImportTest1K_tu-srclang-override.tmx")
    )
    assert [(s.source_lang, s.target_lang) for s in segments] == [
        ("de-DE", "en-GB"),
        ("fr-CA", "en-GB"),
    ]
    assert segments[1].source == "Second Entry - French Canadian"


@needs_corpus
def test_okapi_props_keep_their_types() -> None:
    first = next(tmx.read_segments(TMX_CORPUS / "okapi_tmx14b-spec-sample.tmx"))
    assert first.props == {
        "Txt::FileName": "file1_en.info",
        "Txt::GroupName": "ACDetectionCheckFailedAction0",
        "Att::Test": "TestValue",
    }


@needs_corpus
def test_sniff_real_files() -> None:
    for path in TMX_CORPUS.glob("*.tmx"):
        assert tmx.sniff(path.read_bytes()[:4096]), path.name
    for path in (CORPUS / "xliff").glob("*.xlf"):
        assert not tmx.sniff(path.read_bytes()[:4096]), path.name


# ------------------------------------------------------------------ language choice
ZH_EN = """<tu{attr}><tuv xml:lang="{a}"><seg>{ta}</seg></tuv><tuv xml:lang="{b}"><seg>{tb}</seg></tuv></tu>"""


def test_srclang_decides_direction(tmp_path: Path) -> None:
    body = ZH_EN.format(
        attr="", a="zh_CN", ta="新发展格局", b="EN-us", tb="new development pattern"
    )
    (seg,) = tmx.read_segments(_tmx(tmp_path, body, srclang="en-US"))
    assert (seg.source, seg.target) == ("new development pattern", "新发展格局")
    assert (seg.source_lang, seg.target_lang) == ("en-US", "zh-CN")
    (seg,) = tmx.read_segments(_tmx(tmp_path, body, srclang="zh-CN"))
    assert (seg.source, seg.source_lang, seg.target_lang) == ("新发展格局", "zh-CN", "en-US")


def test_requested_pair_wins_prefix_match(tmp_path: Path) -> None:
    body = ZH_EN.format(
        attr="", a="zh-CN", ta="高质量发展", b="en-GB", tb="high-quality development"
    )
    path = _tmx(tmp_path, body, srclang="en")
    (seg,) = tmx.read_segments(path, source_lang="zh", target_lang="en")
    assert (seg.source, seg.target) == ("高质量发展", "high-quality development")
    assert list(tmx.read_segments(path, source_lang="zh", target_lang="fr")) == []


def test_all_srclang_means_any(tmp_path: Path) -> None:
    body = ZH_EN.format(attr="", a="zh-CN", ta="安全", b="en", tb="security")
    (seg,) = tmx.read_segments(_tmx(tmp_path, body, srclang="*all*"))
    assert (seg.source_lang, seg.source) == ("zh-CN", "安全")  # first tuv
    (seg,) = tmx.read_segments(_tmx(tmp_path, body, srclang="*all*"), target_lang="zh")
    assert (seg.source, seg.target) == ("security", "安全")


def test_srclang_matching_no_tuv_falls_back_to_first(tmp_path: Path) -> None:
    body = ZH_EN.format(attr="", a="de", ta="Sicherheit", b="fr", tb="sécurité")
    (seg,) = tmx.read_segments(_tmx(tmp_path, body, srclang="en"))
    assert (seg.source_lang, seg.target_lang, seg.source) == ("de", "fr", "Sicherheit")


def test_multilingual_tu_gives_one_segment(tmp_path: Path) -> None:
    body = (
        '<tu><tuv xml:lang="en"><seg>security</seg></tuv><tuv xml:lang="fr"><seg>sécurité</seg>'
        '</tuv><tuv xml:lang="zh-CN"><seg>安全</seg></tuv></tu>'
    )
    path = _tmx(tmp_path, body)
    assert [(s.source, s.target) for s in tmx.read_segments(path)] == [("security", "sécurité")]
    assert [(s.source, s.target) for s in tmx.read_segments(path, target_lang="zh")] == [
        ("security", "安全")
    ]


def test_seg_text_codes_sub_hi_whitespace(tmp_path: Path) -> None:
    body = (
        '<tu><tuv xml:lang="en"><seg>  Click <bpt i="1">&lt;a title="<sub>Save it</sub>"&gt;'
        '</bpt><hi type="term">Save</hi><ept i="1">&lt;/a&gt;</ept>  now<ph>&lt;br/&gt;</ph>\n'
        'then <it pos="begin">&lt;b&gt;</it>go<ut>{\\b}</ut>.  </seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>点击<hi>保存</hi></seg></tuv></tu>'
    )
    (seg,) = tmx.read_segments(_tmx(tmp_path, body))
    assert seg.source == "Click Save itSave  now\nthen go."
    assert seg.target == "点击保存"


def test_props_notes_dates_creator(tmp_path: Path) -> None:
    body = (
        '<tu tuid="7" creationdate="20260101T000000Z" creationid="alice" '
        'changedate="20260102T030405Z"><note>checked</note><prop type="x-domain">policy</prop>'
        '<tuv xml:lang="zh-CN"><seg>统筹发展和安全</seg></tuv>'
        '<tuv xml:lang="en"><note>by Bob</note><seg>coordinate development and security</seg>'
        "</tuv></tu>"
    )
    (seg,) = tmx.read_segments(_tmx(tmp_path, body, srclang="zh-CN", name="policy.tmx"))
    assert seg.props == {"x-domain": "policy"}
    assert seg.notes == ["checked", "by Bob"]
    assert (seg.created_at, seg.changed_at, seg.creator) == (
        "2026-01-01T00:00:00Z",
        "2026-01-02T03:04:05Z",
        "alice",
    )
    assert seg.origin == "policy.tmx"


def test_tu_with_one_language_or_empty_text_gives_nothing(tmp_path: Path) -> None:
    body = (
        '<tu><tuv xml:lang="en"><seg>alone</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>x</seg></tuv><tuv xml:lang="zh-CN"><seg> <ph>{1}</ph> </seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>ok</seg></tuv><tuv xml:lang="zh-CN"><seg>好</seg></tuv></tu>'
    )
    assert [s.source for s in tmx.read_segments(_tmx(tmp_path, body))] == ["ok"]


# ------------------------------------------------------------------ writing
def _segments() -> list[Segment]:
    return [
        Segment(
            "  推动高质量发展。 ",
            "Promote high-quality development.",
            "zh-CN",
            "en",
            origin="paper.txt",
            project="white paper",
            creator="alice",
            created_at="2026-01-01T08:00:00+08:00",
            changed_at="2026-01-02T03:04:05Z",
            props={"x-domain": "economy", "id": "42", "file": "a.txt"},
            notes=["from §2 & <intro>"],
            count=3,
        ),
        Segment("国家安全 🛡️ “引号”", "national security \"quotes\" 'x'", "zh_CN", "en-us"),
        Segment("空的", "", "zh-CN", "en"),  # no target: skipped
        Segment("security", "安全", "en", "zh-CN"),  # other direction: TU srclang
    ]


def test_write_segments_checklist(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    assert tmx.write_segments(_segments(), path) == 3
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    root = etree.fromstring(raw)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for name in (
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    ):
        assert header.get(name), name
    assert header.get("srclang") == "zh-CN"
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))
    tus = root.findall("body/tu")
    assert [t.get("srclang") for t in tus] == [None, None, "en"]
    first = tus[0]
    assert first.get("creationdate") == "20260101T000000Z"  # +08:00 converted to UTC
    assert first.get("changedate") == "20260102T030405Z"
    assert first.get("usagecount") == "3"
    assert [p.get("type") for p in first.findall("prop")] == [
        "x-domain",
        "x-id",
        "x-file",
        "x-project",
        "x-origin",
    ]
    assert [t.get(tmx.XML_LANG) for t in tus[1].findall("tuv")] == ["zh-CN", "en-US"]
    assert first.find("tuv/seg").text == "推动高质量发展。"
    assert "<hi" not in text and 'type="file"' not in text and 'type="id"' not in text
    for tu in tus:  # note/prop before tuv
        kinds = [c.tag for c in tu]
        assert kinds == sorted(kinds, key=lambda k: k == "tuv")
    if DTD_PATH.exists():
        assert _dtd_errors(path) == []


def test_write_then_read_segments_equal(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    tmx.write_segments(_segments(), path)
    back = list(tmx.read_segments(path))
    first = back[0]
    assert first == Segment(
        "推动高质量发展。",
        "Promote high-quality development.",
        "zh-CN",
        "en",
        origin="paper.txt",
        project="white paper",
        creator="alice",
        created_at="2026-01-01T00:00:00Z",
        changed_at="2026-01-02T03:04:05Z",
        props={"x-domain": "economy", "x-id": "42", "x-file": "a.txt"},
        notes=["from §2 & <intro>"],
        count=3,
    )
    assert (back[1].source, back[1].target) == (
        "国家安全 🛡️ “引号”",
        "national security \"quotes\" 'x'",
    )
    assert (back[2].source, back[2].source_lang, back[2].target_lang) == ("security", "en", "zh-CN")


def test_empty_export_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "empty.tmx"
    assert tmx.write_segments([], path) == 0
    assert list(tmx.read_segments(path)) == []
    assert etree.parse(str(path)).getroot().find("header").get("srclang") == "zh-CN"
    if DTD_PATH.exists():
        assert _dtd_errors(path) == []


def test_control_character_refused_and_nothing_left(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    with pytest.raises(FormatError, match=r"segment 1: .*U\+0001"):
        tmx.write_segments([Segment("a\x01b", "x")], path)
    assert list(tmp_path.iterdir()) == []


def test_failed_segment_write_leaves_old_file(tmp_path: Path) -> None:
    path = tmp_path / "tm.tmx"
    path.write_text("old", encoding="utf-8")

    def broken():
        yield Segment("一", "one")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        tmx.write_segments(broken(), path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["tm.tmx"]


xml_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
        st.sampled_from(list("\n\t&<>\"'中文𠀀😀\u3000 ")),
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=xml_text, target=xml_text, note=xml_text)
def test_hypothesis_segment_round_trip(tmp_path: Path, source: str, target: str, note: str) -> None:
    assume(source.strip() and target.strip())
    path = tmp_path / "h.tmx"
    tmx.write_segments(
        [Segment(source, target, notes=[note.strip()] if note.strip() else [])], path
    )
    (back,) = tmx.read_segments(path)
    assert (back.source, back.target) == (source.strip(), target.strip())
    assert back.notes == ([note.strip()] if note.strip() else [])


# ------------------------------------------------------------------ entries
def _entry() -> Entry:
    return Entry(
        terms=[
            Term("新发展格局", "zh-CN", TermStatus.PREFERRED, pinyin="xīn fāzhǎn géjú"),
            Term("new development dynamic", "en", TermStatus.ADMITTED),
            Term("new development pattern", "en", TermStatus.PREFERRED),
            Term("new development paradigm", "en", TermStatus.DEPRECATED),
            Term("新發展格局", "zh-Hant", TermStatus.ADMITTED),
        ],
        subject="development",
        definition="Dual circulation & more",
        definition_zh="以国内大循环为主体",
        note="official since 2020",
        review=Review.APPROVED,
        sources=[Source("Paper", author="CICIR")],
        uuid="0b7a5e1c-0000-4000-8000-000000000001",
    )


def test_write_entries_one_tu_per_zh_term_preferred_target(tmp_path: Path) -> None:
    path = tmp_path / "terms.tmx"
    entry = _entry()
    entry.terms.append(Term("双循环格局", "zh-CN", TermStatus.ADMITTED))
    no_en = Entry(terms=[Term("孤词", "zh-CN"), Term("lonely word", "en", TermStatus.DEPRECATED)])
    only_admitted = Entry(terms=[Term("共同富裕", "zh-CN"), Term("common prosperity", "en")])
    assert tmx.write([entry, no_en, only_admitted], path) == 2
    root = etree.parse(str(path)).getroot()
    assert root.find("header").get("srclang") == "zh-CN"
    tus = root.findall("body/tu")
    assert [[s.text for s in tu.iter("seg")] for tu in tus] == [
        ["新发展格局", "new development pattern"],
        ["双循环格局", "new development pattern"],
        ["共同富裕", "common prosperity"],
    ]
    assert [n.text for n in tus[0].findall("note")] == [
        "official since 2020",
        "admitted: new development dynamic",
        "deprecated: new development paradigm",
    ]
    props = {p.get("type"): p.text for p in tus[0].findall("prop")}
    assert props["x-status"] == "preferred"
    assert props["x-review"] == "approved"
    assert props["x-entry"] == "0b7a5e1c-0000-4000-8000-000000000001"
    text = path.read_text(encoding="utf-8")
    assert "new development paradigm</seg>" not in text and "lonely word" not in text
    if DTD_PATH.exists():
        assert _dtd_errors(path) == []


def test_entry_round_trip_all_carried_fields(tmp_path: Path) -> None:
    path = tmp_path / "terms.tmx"
    entry = _entry()
    entry.terms.append(Term("双循环格局", "zh-CN", TermStatus.ADMITTED))
    tmx.write([entry], path)
    (back,) = tmx.read(path)
    assert back.uuid == "0b7a5e1c-0000-4000-8000-000000000001"
    assert [(t.text, t.lang, t.status) for t in back.terms] == [
        ("新发展格局", "zh-CN", TermStatus.PREFERRED),
        ("new development pattern", "en", TermStatus.PREFERRED),
        ("new development dynamic", "en", TermStatus.ADMITTED),
        ("new development paradigm", "en", TermStatus.DEPRECATED),
        ("双循环格局", "zh-CN", TermStatus.ADMITTED),
    ]
    assert back.terms[0].pinyin == "xīn fāzhǎn géjú"
    assert (back.subject, back.definition, back.definition_zh) == (
        "development",
        "Dual circulation & more",
        "以国内大循环为主体",
    )
    assert back.note == "official since 2020"
    assert back.review is Review.APPROVED
    assert back.sources[0].title == "CICIR, Paper"


def test_foreign_tmx_as_entries(tmp_path: Path) -> None:
    body = ZH_EN.format(attr="", a="en", ta="security", b="zh-CN", tb="安全")
    (entry,) = tmx.read(_tmx(tmp_path, body))
    assert (entry.zh, entry.en) == ("安全", "security")
    assert entry.review is Review.PROPOSED
    assert [t.status for t in entry.terms] == [TermStatus.ADMITTED, TermStatus.ADMITTED]


# ------------------------------------------------------------------ encodings
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be"])
def test_bom_encodings(tmp_path: Path, encoding: str) -> None:
    body = ZH_EN.format(attr="", a="zh-CN", ta="共同富裕", b="en", tb="common prosperity")
    text = _tmx(tmp_path, body, srclang="zh-CN").read_text(encoding="utf-8")
    bom = {"utf-8-sig": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    if encoding != "utf-8-sig":
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / f"{encoding}.tmx"
    path.write_bytes(bom + text.encode(encoding))
    assert tmx.sniff(path.read_bytes()[:4096])
    assert guess(path) == "tmx"
    (seg,) = tmx.read_segments(path)
    assert (seg.source, seg.target) == ("共同富裕", "common prosperity")


# ------------------------------------------------------------------ hostile and malformed
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "http://example.invalid/evil.dtd">\n'


def _hostile(tmp_path: Path, prolog: str, ref: str) -> Path:
    path = tmp_path / "hostile.tmx"
    path.write_text(
        prolog
        + '<tmx version="1.4">'
        + HEADER.format(src="en")
        + f'<body><tu><tuv xml:lang="en"><seg>{ref}</seg></tuv>'
        + '<tuv xml:lang="zh-CN"><seg>笑</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("prolog", "ref", "message"),
    [
        (LAUGHS, "&c;", "declares entities \\(a, b, c\\)"),
        (XXE, "&xxe;", "declares entities \\(xxe\\)"),
        (EXTERNAL, "&evil;", "entity reference &evil; is not defined"),
    ],
)
@pytest.mark.parametrize("reader", ["read_segments", "read"])
def test_hostile_xml_refused(
    tmp_path: Path, prolog: str, ref: str, message: str, reader: str
) -> None:
    path = _hostile(tmp_path, prolog, ref)
    got: list[object] = []
    with pytest.raises(UnsafeFileError, match=message):
        got.extend(getattr(tmx, reader)(path))
    assert got == []


def test_external_dtd_is_never_fetched(tmp_path: Path) -> None:
    path = _hostile(tmp_path, EXTERNAL, "hello")
    (seg,) = tmx.read_segments(path)  # example.invalid cannot resolve: nothing was fetched
    assert seg.source == "hello"


@needs_corpus
def test_truncated_file_names_line(tmp_path: Path) -> None:
    data = (TMX_CORPUS / "okapi_tmx14b-spec-sample.tmx").read_bytes()
    path = tmp_path / "cut.tmx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError) as info:
        list(tmx.read_segments(path))
    assert info.value.line is not None and info.value.line > 50
    assert str(info.value).startswith(f"{path}:{info.value.line}:")
    assert "not well-formed XML" in str(info.value)


def test_tuv_without_language_names_line(tmp_path: Path) -> None:
    body = '<tu><tuv xml:lang="en"><seg>hi</seg></tuv>\n<tuv><seg>嗨</seg></tuv></tu>'
    path = _tmx(tmp_path, body)
    with pytest.raises(FormatError) as info:
        list(tmx.read_segments(path))
    assert str(info.value) == (
        f'{path}:6: <tuv> without a language: add xml:lang (e.g. xml:lang="zh-CN") to it'
    )


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    zero = tmp_path / "zero.tmx"
    zero.write_bytes(b"")
    with pytest.raises(FormatError, match=r"zero\.tmx: the file is empty \(0 bytes\)"):
        list(tmx.read_segments(zero))
    blank = tmp_path / "blank.tmx"
    blank.write_text("  \n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"blank\.tmx:2:1: not well-formed XML"):
        list(tmx.read_segments(blank))


def test_not_a_tmx(tmp_path: Path) -> None:
    path = tmp_path / "x.tmx"
    path.write_text('<xliff version="1.2"><file/></xliff>', encoding="utf-8")
    with pytest.raises(FormatError, match="not a TMX file: the root element is not <tmx>"):
        list(tmx.read_segments(path))


def test_registry_and_dates() -> None:
    assert get("tmx") is tmx
    assert tmx.from_tmx_date("20260101T000000Z") == "2026-01-01T00:00:00Z"
    assert tmx.to_tmx_date("2026-01-01T00:00:00Z") == "20260101T000000Z"
    assert tmx.to_tmx_date("2026-03-04") == "20260304T000000Z"
    assert tmx.to_tmx_date("yesterday") == ""
    assert tmx.normalise_lang("zh_cn") == "zh-CN"
    assert tmx.normalise_lang("ZH-hant-tw") == "zh-Hant-TW"


@pytest.mark.parametrize(
    ("field", "where"),
    [("note", "entry 2 note"), ("definition", "entry 2 x-definition"), ("zh", "entry 2 term")],
)
def test_text_xml_cannot_carry_is_refused_by_field(tmp_path: Path, field: str, where: str) -> None:
    good = Entry(terms=[Term("发展", "zh-CN", TermStatus.PREFERRED), Term("development", "en")])
    bad = Entry(terms=[Term("安全", "zh-CN", TermStatus.PREFERRED), Term("security", "en")])
    if field == "zh":
        bad.terms[0].text = "安\x01全"
    else:
        setattr(bad, field, "a\x01b")
    out = tmp_path / "out.tmx"
    with pytest.raises(FormatError) as info:
        tmx.write([good, bad], out)
    assert where in str(info.value)
    assert "U+0001" in str(info.value)
    assert not out.exists()  # nothing half-written
