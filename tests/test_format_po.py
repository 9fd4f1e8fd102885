"""PO: msgfmt-valid glossary export, lossless round trips of our own files, real PO files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termbase import Entry, FormatError, Review, Term, TermStatus
from termbase.formats import po

from .conftest import CORPUS
from .format_contract import FormatContract, sample_entries

PO_CORPUS = CORPUS / "po"
needs_corpus = pytest.mark.skipif(not PO_CORPUS.exists(), reason="../shared/corpus is absent")
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is absent")


class TestPOContract(FormatContract):
    format_name, extension = "po", ".po"
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


def _msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@needs_msgfmt
def test_export_passes_msgfmt_check(tmp_path: Path) -> None:
    entries = sample_entries()
    twin = Entry(terms=[Term("新发展格局", "zh-CN"), Term("new pattern", "en")])  # homograph
    path = tmp_path / "g.po"
    assert po.write([*entries, twin], path) == 4
    result = _msgfmt(path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_export_layout(tmp_path: Path) -> None:
    path = tmp_path / "g.po"
    entries = sample_entries()
    po.write(entries, path)
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert '"Language: en\\n"' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text
    assert '"X-Source-Language: zh_CN\\n"' in text
    first = (
        "#. pinyin: xīn fāzhǎn géjú\n"
        "#. admitted: new development dynamic\n"
        "#. subject: development\n"
        "#. definition: Dual circulation <strategy> & more\n"
        f'msgctxt "{entries[0].uuid}"\n'
        'msgid "新发展格局"\n'
        'msgstr "new development pattern"\n'
    )
    assert first in text
    second = (
        "#. deprecated: Information Office of China's State Council"
        " — use State Council Information Office\n"
        "#. subject: state institutions\n"
        "#, fuzzy\n"
        f'msgctxt "{entries[1].uuid}"\n'
        'msgid "国务院新闻办公室"\n'
        'msgstr "State Council Information Office"\n'
    )
    assert second in text


def test_only_deprecated_renderings_give_an_empty_msgstr(tmp_path: Path) -> None:
    entry = Entry(
        terms=[Term("两会", "zh-CN"), Term("two sessions", "en", TermStatus.DEPRECATED)],
        review=Review.REJECTED,
    )
    path = tmp_path / "g.po"
    po.write([entry], path)
    unit = polib.pofile(str(path))[0]
    assert unit.msgstr == ""
    assert unit.comment == "deprecated: two sessions\nreview: rejected"
    [back] = list(po.read(path))
    assert [(t.text, t.status.value) for t in back.terms] == [
        ("两会", "preferred"),
        ("two sessions", "deprecated"),
    ]
    assert back.review is Review.REJECTED and back.en == ""


def test_admitted_msgstr_and_other_chinese_terms_round_trip(tmp_path: Path) -> None:
    entry = Entry(
        terms=[
            Term("国家安全", "zh-CN"),
            Term("国安", "zh-CN", TermStatus.ADMITTED),
            Term("國家安全", "zh-Hant", TermStatus.PREFERRED, "variant"),
            Term("national security", "en", TermStatus.ADMITTED),
        ]
    )
    path = tmp_path / "g.po"
    po.write([entry], path)
    [back] = list(po.read(path))
    assert [(t.text, t.lang, t.status.value, t.term_type.value) for t in back.terms] == [
        ("国家安全", "zh-CN", "preferred", "full-form"),
        ("national security", "en", "admitted", "full-form"),
        ("国安", "zh-CN", "admitted", "full-form"),
        ("國家安全", "zh-Hant", "preferred", "variant"),
    ]


def test_foreign_po_direction_plural_obsolete_and_msgctxt(tmp_path: Path) -> None:
    path = tmp_path / "app.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#. extracted\n# translator\n"
        'msgctxt "menu"\nmsgid "Save"\nmsgstr "保存"\n\n'
        '#, fuzzy\nmsgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] "%d 个文件"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n',
        encoding="utf-8",
    )
    entries = list(po.read(path))
    assert [(e.zh, e.en, e.review.value, e.note) for e in entries] == [
        ("保存", "Save", "approved", "translator\nextracted\nmsgctxt: menu"),
        ("%d 个文件", "%d file", "proposed", ""),
    ]
    segments = list(po.read_segments(path))
    assert [(s.source, s.target, s.source_lang, s.target_lang) for s in segments] == [
        ("Save", "保存", "en", "zh-CN"),
        ("%d file", "%d 个文件", "en", "zh-CN"),
    ]
    assert segments[0].props == {"msgctxt": "menu"} and segments[1].props == {"state": "fuzzy"}


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "甲"\n\nmsgid "b"\nbogus "x"\n', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        list(po.read(path))
    assert info.value.line == 5
    assert "syntax error" in str(info.value) and "msgfmt --check" in str(info.value)


def test_wrong_charset_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.po"
    path.write_bytes(
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        + 'msgid "安全"\nmsgstr "security"\n'.encode("gbk")
    )
    with pytest.raises(FormatError) as info:
        list(po.read(path))
    assert str(info.value).startswith(f"{path}:5: bytes not valid UTF-8")


@needs_corpus
def test_real_zh_cn_catalogue() -> None:
    entries = list(po.read(PO_CORPUS / "mkdocs_zh_CN_messages.po"))
    assert len(entries) == 19
    assert (entries[0].zh, entries[0].en, entries[0].review) == (
        "找不到页面",
        "Page not found",
        Review.APPROVED,
    )
    assert len(list(po.read_segments(PO_CORPUS / "mkdocs_zh_CN_messages.po"))) == 19


@needs_corpus
@pytest.mark.parametrize(
    ("name", "segments"),
    [
        ("okapi_drupal_ru_cp1251.po", 11),
        ("omegat_fuzzy-msgctxt-plural.po", 2),
        ("ttk_f43.tgif.fr_syntax-errors.po", 321),
    ],
)
def test_real_non_chinese_po_goes_to_the_tm_only(name: str, segments: int) -> None:
    with pytest.raises(FormatError, match="no Chinese in msgid or msgstr"):
        list(po.read(PO_CORPUS / name))
    assert len(list(po.read_segments(PO_CORPUS / name))) == segments


@needs_corpus
def test_real_utf16_and_bom_domain_files_are_refused() -> None:
    with pytest.raises(FormatError, match="UTF-16 PO files are not valid gettext"):
        list(po.read(PO_CORPUS / "okapi_Test01_utf16be.po"))
    with pytest.raises(FormatError) as info:
        list(po.read(PO_CORPUS / "okapi_Test03_bom_crlf.po"))
    assert info.value.line == 43
    assert "syntax error at 'domain TheDomain1'" in str(info.value)


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).map(str.strip)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zh=st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
    en=_TEXT.filter(bool),
    other=_TEXT.filter(lambda s: bool(s) and " — use " not in s),
    note=_TEXT,
    approved=st.booleans(),
)
def test_hypothesis_round_trip(
    tmp_path: Path, zh: str, en: str, other: str, note: str, approved: bool
) -> None:
    entry = Entry(
        terms=[
            Term(zh, "zh-CN", TermStatus.PREFERRED),
            Term(en, "en", TermStatus.PREFERRED),
            Term(" ".join(other.split()), "en", TermStatus.DEPRECATED),
        ],
        note=note,
        review=Review.APPROVED if approved else Review.PROPOSED,
    )
    path = tmp_path / "h.po"
    po.write([entry], path)
    [back] = list(po.read(path))
    assert [(t.text, t.lang, t.status) for t in back.terms] == [
        (t.text, t.lang, t.status) for t in entry.terms
    ]
    assert (back.note, back.review, back.uuid) == (note, entry.review, entry.uuid)
