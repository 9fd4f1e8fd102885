"""Term recognition: longest match, folding, English stems and boundaries, cache, glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from termbase import Entry, Term, Termbase, TermStatus
from termbase.cli import cli
from termbase.formats import get as get_format
from termbase.lang.positions import fold_keep_length, fold_table, latin_forms, zh_view
from termbase.recognize import Recognizer

from .test_qa import make_qa_termbase


@pytest.fixture
def qtb(tmp_path: Path):
    base = make_qa_termbase(tmp_path / "qa.sqlite")
    yield base
    base.close()


def spans(tb: Termbase, text: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.text) for m in tb.recognizer().find(text)]


def test_longest_match_first(qtb: Termbase) -> None:
    assert spans(qtb, "构建新发展格局和国家安全体系，维护国家安全") == [
        (2, 7, "新发展格局"),
        (8, 14, "国家安全体系"),
        (17, 21, "国家安全"),
    ]


def test_traditional_and_full_width_fold(qtb: Termbase) -> None:
    assert spans(qtb, "構建新發展格局") == [(2, 7, "新發展格局")]
    assert spans(qtb, "ＮＡＴＩＯＮＡＬ　Ｓｅｃｕｒｉｔｙ") == [
        (0, 17, "ＮＡＴＩＯＮＡＬ　Ｓｅｃｕｒｉｔｙ")
    ]


def test_fold_keeps_length() -> None:
    text = "構建ＡＢＣ—“x”"
    assert fold_keep_length(text) == '构建abc-"x"'
    assert len(fold_keep_length(text)) == len(text)


@given(st.text(alphabet=st.characters(codec=None, blacklist_categories=())))
def test_fold_keep_length_is_fold_zh_char_by_char(text: str) -> None:
    # any text, astral characters and lone surrogates included
    assert fold_keep_length(text) == text.translate(fold_table())
    assert fold_keep_length("\ud83d\ude00" + text) == ("\ud83d\ude00" + text).translate(
        fold_table()
    )


def test_english_stems_and_word_boundaries(qtb: Termbase) -> None:
    assert spans(qtb, "Ensuring National Security Systems, not insecurity.") == [
        (0, 8, "Ensuring"),
        (9, 34, "National Security Systems"),
    ]
    assert spans(qtb, "nationalsecurity reassured") == []


def test_rejected_entries_are_not_terms(qtb: Termbase) -> None:
    assert spans(qtb, "安全") == []
    assert spans(qtb, "发展") == [(0, 2, "发展")]  # proposed entries are recognised


def test_several_entries_share_a_term() -> None:
    rec = Recognizer.from_terms([(1, "zh-CN", "发展"), (2, "zh-CN", "发展"), (3, "en", "growth")])
    (m,) = rec.find("发展")
    assert m.entry_ids == (1, 2)


def test_automaton_cached_beside_database(tmp_path: Path) -> None:
    path = tmp_path / "qa.sqlite"
    make_qa_termbase(path).close()
    with Termbase(path) as tb:
        tb.recognizer()
        assert tb.recognizer_info().cached is False
    assert (tmp_path / "qa.sqlite.terms-automaton").exists()
    with Termbase(path) as tb:
        tb.recognizer()
        assert tb.recognizer_info().cached is True
        tb.add(Entry(terms=[Term("数字经济", "zh-CN", TermStatus.PREFERRED)]))
        assert spans(tb, "数字经济") == [(0, 4, "数字经济")]  # rebuilt after the change
        assert tb.recognizer_info().cached is False


def test_recognize_service_gives_renderings(qtb: Termbase) -> None:
    found, cache = qtb.recognize(["推动高水平安全", "维护國家安全"])
    assert [(f.unit, f.start, f.end, f.text, f.zh, f.renderings, f.avoid) for f in found] == [
        (1, 2, 7, "高水平安全", "高水平安全", ["high-level security", "greater security"], []),
        (2, 2, 6, "國家安全", "国家安全", ["national security"], []),
    ]
    assert [e.zh for e in cache.used()] == ["国家安全", "高水平安全"]


@pytest.fixture
def run(tmp_path: Path):
    make_qa_termbase(tmp_path / "qa.sqlite").close()
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(cli, ["--db", str(tmp_path / "qa.sqlite"), *args])
        assert result.exit_code == code, result.output
        return result

    return invoke


def test_cli_recognize_lists_terms(run, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("构建新发展格局\n推动发展\n", encoding="utf-8")
    result = run("recognize", str(doc))
    assert result.stdout == (
        "1:3-7\t新发展格局\tnew development pattern\t#1\n2:3-4\t发展\tdevelopment\t#6 [proposed]\n"
    )
    data = json.loads(run("recognize", str(doc), "--json").stdout)
    assert data[0] == {
        "start": 2,
        "end": 7,
        "text": "新发展格局",
        "unit": 1,
        "entry_id": 1,
        "zh": "新发展格局",
        "renderings": ["new development pattern"],
        "avoid": ["new development paradigm"],
        "review": "approved",
    }


@pytest.mark.parametrize("ext", ["tbx", "csv"])
def test_cli_document_glossary(run, tmp_path: Path, ext: str) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("构建新发展格局，确保国家安全。\n", encoding="utf-8")
    out = tmp_path / f"glossary.{ext}"
    run("recognize", str(doc), "--export", str(out))
    entries = list(get_format(ext).read(str(out)))
    assert sorted(e.zh for e in entries) == ["国家安全", "新发展格局", "确保"]


def test_cli_glossary_needs_known_extension(run, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("国家安全\n", encoding="utf-8")
    out = run("recognize", str(doc), "--export", str(tmp_path / "g.docx"), code=1).output
    assert (
        out
        == f"Error: {tmp_path / 'g.docx'}: a document glossary is written as .tbx, .tmx, .csv, .po or .tsv\n"
    )


def test_damaged_or_foreign_cache_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "qa.sqlite"
    make_qa_termbase(path).close()
    cache = tmp_path / "qa.sqlite.terms-automaton"
    for junk in (b"\x80\x04K\x01.", b"termbase-automaton\n\xff\xff", b""):
        cache.write_bytes(junk)  # a pickle, a truncated image, an empty file
        with Termbase(path) as tb:
            assert spans(tb, "国家安全") == [(0, 4, "国家安全")]
            assert tb.recognizer_info().cached is False
        assert cache.read_bytes().startswith(b"termbase-automaton\n")


_PIECES = [
    "发展",
    "格局",
    "新发展格局",
    "G20",
    "峰会",
    "security",
    "national",
    " ",
    "，",
    "\n",
    "Ｇ２０",
]
_TERMS = [
    (1, "zh-CN", "发展"),
    (2, "zh-CN", "新发展格局"),
    (3, "zh-CN", "G20峰会"),
    (4, "en", "national security"),
    (5, "en", "security"),
    (6, "en", "G20"),
    (7, "zh-CN", "卡拉OK"),
    (8, "zh-CN", "OK"),
]


@given(
    st.lists(st.sampled_from(_PIECES), max_size=30), st.lists(st.sampled_from(_PIECES), max_size=8)
)
def test_find_is_the_greedy_longest_first_over_both_sides(
    pieces: list[str], more: list[str]
) -> None:
    rec = Recognizer.from_terms(_TERMS)
    text = "".join(pieces)
    # the reference: every Chinese and English match, one greedy pass longest first
    everything = rec.find_zh(text) + list(rec.find_en(text))
    everything.sort(key=lambda m: (m.start, -m.end))
    kept, end = [], -1
    for m in everything:
        if m.start >= end:
            kept.append(m)
            end = m.end
    assert rec.find(text) == kept
    # units searched in one pass give what each unit gives alone
    units = [text, "".join(more), "", text[::-1]]
    expected = [(k, m) for k, unit in enumerate(units) for m in rec.find(unit)]
    assert list(rec.find_units(units)) == expected


def test_no_match_across_units() -> None:
    rec = Recognizer.from_terms(_TERMS)
    found = [(k, m.text) for k, m in rec.find_units(["the national", "security of", "发", "展"])]
    assert found == [(1, "security")]


def test_latin_ends_of_chinese_terms_need_a_word_boundary() -> None:
    rec = Recognizer.from_terms([(1, "zh-CN", "B超"), (2, "zh-CN", "DNA"), (3, "zh-CN", "卡拉OK")])
    found = [
        m.text for m in rec.find("做B超和DNA检测，ABDNAX不算，唱卡拉OK吧，卡拉OKAY不算，AB超也不算")
    ]
    assert found == ["B超", "DNA", "卡拉OK"]
    # the flag survives the cache
    again = Recognizer.from_bytes(rec.to_bytes("k"), "k")
    assert again is not None
    assert [m.text for m in again.find("ABDNAX DNA")] == ["DNA"]


@given(st.text(alphabet=st.sampled_from("aB9 发-\ue000\ue081\uffff𠀀") | st.characters()))
def test_zh_view_marks_latin_runs_as_terms_are_marked(text: str) -> None:
    view = zh_view(text)
    assert len(view) == len(text)
    assert view == latin_forms(fold_keep_length(text))
