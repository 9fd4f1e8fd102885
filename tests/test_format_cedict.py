"""CC-CEDICT: pinyin conversion, real dictionary files, strict and lenient bad lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbase import FormatError
from termbase.formats import cedict

from .conftest import CORPUS
from .format_contract import FormatContract

CEDICT = CORPUS / "cedict"
needs_corpus = pytest.mark.skipif(not CEDICT.exists(), reason="../shared/corpus is absent")

HEAD = "# CC-CEDICT\n#! version=1\n#! date=2026-09-26T05:41:44Z\n"


class TestCEDICTContract(FormatContract):
    format_name, extension, can_write = "cedict", ".u8", False


@pytest.mark.parametrize(
    ("numbered", "marked"),
    [
        ("Zhong1 guo2", "Zhōng guó"),
        ("nu:3", "nǚ"),
        ("lu:e4", "lüè"),
        ("r5", "r"),
        ("Bei3 jing1", "Běi jīng"),
        ("liu2 xue2 sheng1", "liú xué shēng"),
        ("gui4 zhou1", "guì zhōu"),
        ("Ou1 zhou1", "Ōu zhōu"),
        ("er4 shi2", "èr shí"),
        ("11 Qu1", "11 Qū"),
        ("xx5", "xx"),
        ("ma5", "ma"),
    ],
)
def test_tone_numbers_become_tone_marks(numbered: str, marked: str) -> None:
    assert cedict.convert_pinyin(numbered) == marked


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "dict.u8"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_one_line_gives_simplified_traditional_and_glosses(tmp_path: Path) -> None:
    path = _write(tmp_path, "中國 中国 [Zhong1 guo2] /China/Middle Kingdom/CL:個|个[ge4]/\n")
    [entry] = list(cedict.read(path))
    assert [(t.text, t.lang, t.status.value, t.term_type.value) for t in entry.terms] == [
        ("中国", "zh-CN", "preferred", "full-form"),
        ("中國", "zh-Hant", "preferred", "variant"),
        ("China", "en", "admitted", "full-form"),
        ("Middle Kingdom", "en", "admitted", "full-form"),
    ]
    assert entry.pinyin == "Zhōng guó"
    assert entry.note == "CC-CEDICT pinyin: Zhong1 guo2\nCL:個|个[ge4]"
    source = entry.sources[0]
    assert (source.title, source.publisher, source.url, source.date) == (
        "CC-CEDICT",
        "MDBG",
        "https://cc-cedict.org/",
        "2026-09-26",
    )
    assert "4.0" in source.note


def test_same_traditional_and_simplified_gives_no_variant(tmp_path: Path) -> None:
    path = _write(tmp_path, "女 女 [nu:3] /female/woman/variant of 汝[ru3]/\n")
    [entry] = list(cedict.read(path))
    assert [t.text for t in entry.terms] == ["女", "female", "woman"]
    assert entry.pinyin == "nǚ"
    assert "variant of 汝[ru3]" in entry.note


def test_malformed_line_is_an_error_with_its_number(tmp_path: Path) -> None:
    path = _write(tmp_path, "好 好 [hao3] /good/\n這是壞行 no brackets\n")
    with pytest.raises(FormatError) as info:
        list(cedict.read(path))
    assert info.value.line == 5
    assert str(info.value).startswith(f"{path}:5: not a CC-CEDICT line")
    assert "pass --skip-bad-lines" in str(info.value)


def test_skip_bad_lines_counts_them(tmp_path: Path) -> None:
    path = _write(tmp_path, "好 好 [hao3] /good/\nbad line\n人 人 [ren2] /person/\n")
    skipped: list[FormatError] = []
    entries = list(cedict.read(path, skip_bad_lines=True, skipped=skipped))
    assert [e.zh for e in entries] == ["好", "人"]
    assert cedict.read.skipped == 1  # type: ignore[attr-defined]
    assert [e.line for e in skipped] == [5]


def test_comments_only_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "")
    with pytest.raises(FormatError, match="no CC-CEDICT entries"):
        list(cedict.read(path))


@needs_corpus
def test_real_small_dictionary() -> None:
    entries = list(cedict.read(CEDICT / "CEDICT.jl_small_dict.u8"))
    assert len(entries) == 456
    assert sum(len(e.en_terms) for e in entries) == 735
    assert sum(1 for e in entries if any(t.lang == "zh-Hant" for t in e.terms)) == 288
    assert (entries[1].zh, entries[1].pinyin, entries[1].en) == ("亚砷", "yà shēn", "arsenous")


@needs_corpus
def test_real_head_excerpt() -> None:
    entries = list(cedict.read(CEDICT / "cc-cedict_head-excerpt_zhongwen-2026-09.u8"))
    assert len(entries) == 65
    assert entries[0].sources[0].date == "2026-09-26"
    assert (entries[2].zh, entries[2].pinyin) == ("11区", "11 Qū")
    assert cedict.sniff((CEDICT / "CEDICT.jl_small_dict.u8").read_bytes()[:4096])
