"""CSV/TSV: header mapping in English and Chinese, OmegaT glossaries, encodings, injection."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termbase import Entry, FormatError, Review, Term, TermStatus
from termbase.formats import delimited, get

from .conftest import CORPUS
from .format_contract import FormatContract, sample_entries

GLOSSARY = CORPUS / "glossary"
needs_corpus = pytest.mark.skipif(not GLOSSARY.exists(), reason="../shared/corpus is absent")

TABLE = {
    "zh",
    "en",
    "statuses",
    "subject",
    "definition",
    "definition_zh",
    "note",
    "review",
    "uuid",
    "pinyin",
}


class TestCSVContract(FormatContract):
    format_name, extension = "csv", ".csv"
    carries = TABLE


class TestOmegaTTSVContract(FormatContract):
    format_name, extension = "tsv", ".txt"
    carries = {"zh", "en"}


def _rows(text: str, path: Path, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_chinese_headers_statuses_and_synonyms(tmp_path: Path) -> None:
    path = _rows(
        "中文,英文,状态,备注,领域,拼音,审核,出处,其他\n"
        "新发展格局,new development pattern | new development paradigm,首选,官方,发展,"
        "xīn fāzhǎn géjú,已审核,白皮书,x\n"
        "韬光养晦,hide one's capabilities; bide one's time,禁用,,外交,,驳回,,\n",
        tmp_path / "g.csv",
    )
    first, second = delimited.read(path)
    assert [(t.text, t.lang, t.status.value) for t in first.terms] == [
        ("新发展格局", "zh-CN", "preferred"),
        ("new development pattern", "en", "preferred"),
        ("new development paradigm", "en", "admitted"),
    ]
    assert (first.note, first.subject, first.pinyin, first.review) == (
        "其他: x",
        "发展",
        "xīn fāzhǎn géjú",
        Review.APPROVED,
    )
    # the row's note and citation belong to its rendering
    rendering = first.terms[1]
    assert rendering.note == "官方" and rendering.source is not None
    assert (rendering.source.title, first.sources) == ("白皮书", [])
    assert [(t.text, t.status.value) for t in second.terms[1:]] == [
        ("hide one's capabilities", "deprecated"),
        ("bide one's time", "admitted"),
    ]
    assert second.review is Review.REJECTED and second.en == "bide one's time"


def test_english_headers_with_source_and_target(tmp_path: Path) -> None:
    path = _rows("Source;Target;Comment\n安全;security;core\n", tmp_path / "g.csv")
    [entry] = delimited.read(path)
    assert (entry.zh, entry.en, entry.note, entry.en_terms[0].note) == (
        "安全",
        "security",
        "",
        "core",
    )


def test_source_is_a_citation_when_zh_and_en_are_named(tmp_path: Path) -> None:
    path = _rows("zh\ten\tsource\n安全\tsecurity\tXinhua\n", tmp_path / "g.tsv")
    [entry] = delimited.read(path)
    source = entry.en_terms[0].source
    assert (entry.zh, entry.en, source.title if source else None) == ("安全", "security", "Xinhua")


def test_columns_option_overrides(tmp_path: Path) -> None:
    path = _rows("1\tsecurity\t安全\n2\tdevelopment\t发展\n", tmp_path / "g.txt")
    entries = list(delimited.read(path, columns="3=zh,2=en"))
    assert [(e.zh, e.en, e.note) for e in entries] == [
        ("安全", "security", ""),
        ("发展", "development", ""),
    ]
    named = list(delimited.read(path, columns="ignore,英文,中文"))
    assert [(e.zh, e.en) for e in named] == [("安全", "security"), ("发展", "development")]
    with pytest.raises(FormatError, match="unknown column name 'klingon'"):
        list(delimited.read(path, columns="zh,klingon"))


def test_headerless_glossary_detects_the_chinese_column(tmp_path: Path) -> None:
    path = _rows(
        "# comment line\nsegment\t片段\tseg comment\tmore\nterm\t术语\n", tmp_path / "g.txt"
    )
    entries = list(delimited.read(path))
    assert [(e.zh, e.en, e.en_terms[0].note, e.note) for e in entries] == [
        ("片段", "segment", "seg comment", "more"),
        ("术语", "term", "", ""),
    ]


def test_ragged_row_names_file_and_line(tmp_path: Path) -> None:
    path = _rows("安全\tsecurity\n\n发展\n稳定\tstability\n", tmp_path / "g.txt")
    with pytest.raises(FormatError) as info:
        list(delimited.read(path))
    assert str(info.value).startswith(f"{path}:3: row ends before its translation in column 2")
    assert "pass --skip-bad-lines" in str(info.value)
    skipped: list[FormatError] = []
    entries = list(delimited.read(path, skip_bad_lines=True, skipped=skipped))
    assert [e.zh for e in entries] == ["安全", "稳定"]
    assert [e.line for e in skipped] == [3]


def test_row_without_chinese_in_a_table(tmp_path: Path) -> None:
    path = _rows("zh,en\n安全,security\n,orphan\n", tmp_path / "g.csv")
    with pytest.raises(FormatError) as info:
        list(delimited.read(path))
    assert str(info.value).startswith(f"{path}:3: row has no Chinese term in column 1")


def test_unknown_status_is_an_error(tmp_path: Path) -> None:
    path = _rows("zh,en,status\n安全,security,maybe\n", tmp_path / "g.csv")
    with pytest.raises(FormatError, match=r"g\.csv:2: unknown status 'maybe'"):
        list(delimited.read(path))


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    path = _rows(
        "中文,英文,备注\n高质量发展,high-quality development,𠀾 note\n",
        tmp_path / "g.csv",
        encoding,
    )
    [entry] = delimited.read(path)
    assert (entry.zh, entry.en, entry.en_terms[0].note) == (
        "高质量发展",
        "high-quality development",
        "𠀾 note",
    )


def test_gbk_with_encoding_option(tmp_path: Path) -> None:
    path = _rows("中文\t英文\n国务院\tState Council\n", tmp_path / "g.txt", "gbk")
    [entry] = delimited.read(path, encoding="gbk")
    assert entry.zh == "国务院"
    with pytest.raises(FormatError, match="unknown encoding 'nope'"):
        list(delimited.read(path, encoding="nope"))


def test_magic_coding_comment_is_honoured(tmp_path: Path) -> None:
    path = _rows("# -*- coding: big5 -*-\n國家\tcountry\n", tmp_path / "g.txt", "big5")
    [entry] = delimited.read(path)
    assert (entry.zh, entry.en) == ("國家", "country")


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "g.txt"
    path.write_bytes("安全\tsecurity\n".encode() * 3 + b"\xff\xfe\xfd\tbad\n")
    with pytest.raises(FormatError) as info:
        list(delimited.read(path, encoding="utf-8"))
    assert "bytes not valid utf-8" in str(info.value)


def test_csv_export_layout_and_formula_injection(tmp_path: Path) -> None:
    entries = sample_entries()
    entries[0].note = '=HYPERLINK("http://x")'
    entries[1].terms[1].text = "+SUM(A1)"
    entries[2].subject = "@cmd"
    entries[2].terms.append(Term("-1 dB", "en", TermStatus.ADMITTED))
    path = tmp_path / "g.csv"
    assert delimited.write(entries, path) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,zh,pinyin,zh-Hant,en,alternatives,deprecated,")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == list(delimited.WRITE_COLUMNS)
    assert rows[1][1:7] == [
        "新发展格局",
        "xīn fāzhǎn géjú",
        "",
        "new development pattern",
        "new development dynamic",
        "",
    ]
    assert rows[1][10] == '\'=HYPERLINK("http://x")'
    assert rows[2][4] == "'+SUM(A1)"
    assert rows[2][6] == "Information Office of China's State Council"
    assert rows[3][7] == "'@cmd" and rows[3][5] == "'-1 dB"
    back = list(delimited.read(path))
    assert back[0].note == '=HYPERLINK("http://x")'
    assert back[1].en == "+SUM(A1)" and back[2].subject == "@cmd"
    assert [t.text for t in back[2].en_terms] == ["high-quality development", "-1 dB"]


def test_foreign_files_keep_the_apostrophe(tmp_path: Path) -> None:
    path = _rows("zh,en\n安全,'=1+1\n", tmp_path / "g.csv")
    assert [e.en for e in delimited.read(path)] == ["'=1+1"]


def test_omegat_tsv_export(tmp_path: Path) -> None:
    entries = sample_entries()
    entries[0].terms[2].note = "informal\tuse"
    path = tmp_path / "glossary.txt"
    assert get("tsv").write(entries, path) == 3
    assert path.read_text(encoding="utf-8") == (
        f"{delimited.OMEGAT_HEAD}\n{delimited.OWN_MARK}\n"
        "新发展格局\tnew development pattern\n"
        "新发展格局\tnew development dynamic\tadmitted; informal use\n"
        "国务院新闻办公室\tState Council Information Office\t"
        "proposed; avoid: Information Office of China's State Council\n"
        "高质量发展\thigh-quality development\tproposed\n"
    )
    back = list(delimited.read(path))
    assert [(t.text, t.status.value, t.note) for t in back[0].en_terms] == [
        ("new development pattern", "preferred", ""),
        ("new development dynamic", "admitted", "informal use"),
    ]
    assert delimited.sniff(path.read_bytes())


def test_dialect_option_beats_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    delimited.write(sample_entries(), path, dialect="tsv")
    assert path.read_text(encoding="utf-8").startswith(delimited.OMEGAT_HEAD)
    with pytest.raises(FormatError, match="unknown dialect 'xml'"):
        delimited.write(sample_entries(), path, dialect="xml")


def test_read_segments(tmp_path: Path) -> None:
    path = _rows("The sky is blue.\t天空是蓝色的。\nHello\t你好\n", tmp_path / "tm.tsv")
    segments = list(delimited.read_segments(path))
    assert [(s.source, s.target, s.source_lang, s.target_lang) for s in segments] == [
        ("The sky is blue.", "天空是蓝色的。", "en", "zh-CN"),
        ("Hello", "你好", "en", "zh-CN"),
    ]
    empty = _rows("# only a comment\n", tmp_path / "empty.tsv")
    with pytest.raises(FormatError, match="no rows"):
        list(delimited.read_segments(empty))
    short = _rows("安全\tsecurity\n发展\n", tmp_path / "short.tsv")
    with pytest.raises(FormatError, match=r"short\.tsv:2: a translation-memory row needs"):
        list(delimited.read_segments(short))


@needs_corpus
@pytest.mark.parametrize(
    ("name", "count", "first"),
    [
        ("OmegaT-L10N_zh_CN_glossary.txt", 98, ("片段", "segment")),
        (
            "omegat-l10n-zh-cn_website-glossary_utf16be.txt",
            105,
            ("OmegaT 版本", "version of OmegaT"),
        ),
    ],
)
def test_real_omegat_glossaries(name: str, count: int, first: tuple[str, str]) -> None:
    entries = list(delimited.read(GLOSSARY / name))
    assert len(entries) == count
    assert (entries[0].zh, entries[0].en) == first


@needs_corpus
def test_real_glossary_with_a_source_only_line() -> None:
    path = GLOSSARY / "omegat-l10n-zh-cn_UI-terms_utf16be.txt"
    with pytest.raises(FormatError) as info:
        list(delimited.read(path))
    assert str(info.value).startswith(f"{path}:133: row ends before column 2 (Chinese)")
    skipped: list[FormatError] = []
    assert len(list(delimited.read(path, skip_bad_lines=True, skipped=skipped))) == 151
    assert [e.line for e in skipped] == [133]


@needs_corpus
def test_real_spaces_not_tabs_glossary() -> None:
    path = GLOSSARY / "omegat_project_CN_JP_glossary_spaces-not-tabs.txt"
    with pytest.raises(FormatError) as info:
        list(delimited.read(path))
    assert info.value.line == 2
    assert "the columns seem separated by spaces; use tabs" in str(info.value)


@needs_corpus
@pytest.mark.parametrize(
    "name", ["omegat_test.csv", "omegat_testUTF16LE.txt", "okapi_test02_utf16be.tsv"]
)
def test_real_glossaries_without_chinese(name: str) -> None:
    with pytest.raises(FormatError, match="no Chinese text in the first two columns"):
        list(delimited.read(GLOSSARY / name))


@needs_corpus
def test_real_comment_only_glossary() -> None:
    with pytest.raises(FormatError, match="no rows"):
        list(delimited.read(GLOSSARY / "omegat_test-magiccomment-bom.tab"))


_CELL = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="|;；"),
    min_size=1,
    max_size=20,
).map(lambda s: " ".join(s.split()))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zh=st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
    ens=st.lists(_CELL.filter(bool), min_size=1, max_size=3, unique=True),
    note=st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(str.strip),
    subject=_CELL,
)
def test_hypothesis_round_trip(
    tmp_path: Path, zh: str, ens: list[str], note: str, subject: str
) -> None:
    entry = Entry(
        terms=[Term(zh, "zh-CN", TermStatus.PREFERRED)]
        + [
            Term(e, "en", TermStatus.PREFERRED if i == 0 else TermStatus.ADMITTED)
            for i, e in enumerate(ens)
        ],
        note=note,
        subject=subject,
    )
    path = tmp_path / "h.csv"
    delimited.write([entry], path)
    [back] = list(delimited.read(path))
    assert [(t.text, t.status) for t in back.terms] == [(t.text, t.status) for t in entry.terms]
    assert (back.note, back.subject, back.uuid) == (note, subject, entry.uuid)


def test_hash_lines_inside_quoted_cells_are_text(tmp_path: Path) -> None:
    entry = Entry(
        terms=[Term("安全", "zh-CN", TermStatus.PREFERRED), Term("security", "en")],
        note='first\n# not a comment\n"quoted"',
    )
    path = tmp_path / "g.csv"
    delimited.write([entry], path)
    [back] = list(delimited.read(path))
    assert back.note == entry.note


@pytest.mark.parametrize("cell", ["=1", "@x", "'@", "''=1", "'x", "''", "-", "plain"])
def test_neutralising_is_undone_exactly(cell: str) -> None:
    written = delimited.neutralise(cell)
    assert not written.startswith(("=", "+", "-", "@"))  # a spreadsheet sees text
    assert delimited.unneutralise(written) == cell
