"""XLSX: streaming read with header mapping, streaming write with formula-safe string cells."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest

from termbase import FormatError, Review, Term, TermStatus
from termbase.formats import delimited, xlsx

from .conftest import CORPUS
from .format_contract import FormatContract, sample_entries

GLOSSARY = CORPUS / "glossary"
needs_corpus = pytest.mark.skipif(not GLOSSARY.exists(), reason="../shared/corpus is absent")


class TestXLSXContract(FormatContract):
    format_name, extension = "xlsx", ".xlsx"
    carries = {
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


def _book(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_export_reopens_with_string_cells_and_no_formulas(tmp_path: Path) -> None:
    entries = sample_entries()
    entries[0].note = "=1+1"
    entries[1].terms.append(Term("@mention", "en", TermStatus.ADMITTED))
    path = tmp_path / "g.xlsx"
    assert xlsx.write(entries, path) == 3
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "termbase"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == delimited.WRITE_COLUMNS
    assert rows[1][1] == "新发展格局" and rows[1][4] == "new development pattern"
    assert rows[1][10] == "'=1+1"
    assert rows[2][5] == "'@mention"
    assert {c.data_type for row in ws.iter_rows() for c in row} <= {"s", "inlineStr"}
    back = list(xlsx.read(path))
    assert back[0].note == "=1+1"
    assert [t.text for t in back[1].en_terms] == [
        "State Council Information Office",
        "@mention",
        "Information Office of China's State Council",
    ]


def test_header_mapping_booleans_numbers_and_dates(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "in.xlsx",
        [
            ["Chinese", "English_word", "English_descr", "Status", "审核", "Checked", "When"],
            [
                "安全",
                "security",
                "freedom from danger",
                "admitted",
                "通过",
                True,
                datetime.datetime(2025, 3, 1),
            ],
            [None, None, None, None, None, None, None],
            ["发展", "development", None, None, None, 12.0, None],
        ],
    )
    entries = list(xlsx.read(path))
    assert [(e.zh, e.en, e.definition, e.review, e.note) for e in entries] == [
        (
            "安全",
            "security",
            "freedom from danger",
            Review.APPROVED,
            "Checked: TRUE\nWhen: 2025-03-01",
        ),
        ("发展", "development", "", Review.PROPOSED, "Checked: 12"),
    ]
    assert entries[0].en_terms[0].status is TermStatus.ADMITTED


def test_sheet_option(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["readme"])
    ws = book.create_sheet("terms")
    ws.append(["zh", "en"])
    ws.append(["稳定", "stability"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert [e.en for e in xlsx.read(path, sheet="terms")] == ["stability"]
    with pytest.raises(FormatError, match="no sheet named 'x'; the sheets are: Sheet, terms"):
        list(xlsx.read(path, sheet="x"))


def test_bad_row_names_sheet_and_row(tmp_path: Path) -> None:
    path = _book(tmp_path / "bad.xlsx", [["zh", "en"], ["安全", "security"], [None, "orphan"]])
    with pytest.raises(FormatError) as info:
        list(xlsx.read(path))
    assert str(info.value).startswith(f"{path} [sheet Sheet1]:3: row has no Chinese term")


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("zh,en\n安全,security\n", encoding="utf-8")
    with pytest.raises(FormatError, match="not a readable XLSX workbook"):
        list(xlsx.read(path))


@needs_corpus
def test_real_multilingual_glossary_has_no_chinese_column() -> None:
    path = GLOSSARY / "multilingual-engineering-glossary.xlsx"
    with pytest.raises(FormatError) as info:
        list(xlsx.read(path))
    message = str(info.value)
    assert message.startswith(f"{path} [sheet Sheet1]: no Chinese column (columns found: ")
    assert "'English_word', 'English_descr'" in message and "pass --columns" in message


@needs_corpus
def test_real_ja_zh_rules_need_columns() -> None:
    path = GLOSSARY / "RND_Chinese_ja-zh_rules.xlsx"
    with pytest.raises(FormatError, match=r"columns found: 'src', 'dst', 'info'"):
        list(xlsx.read(path))
    entries = list(xlsx.read(path, columns="ja,zh,note"))
    assert len(entries) == 557
    first = entries[0]
    assert [(t.text, t.lang) for t in first.terms] == [
        ("300人委员会", "zh-CN"),
        ("300人委員会", "ja"),
    ]
    assert first.note == "组织\nregex: FALSE\ncase_sensitive: FALSE"
