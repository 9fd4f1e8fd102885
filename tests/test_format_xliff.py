"""XLIFF 1.2/2.0 reader and writer: real files, schema validity, hostile and malformed input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from termbase import FormatError, Segment, TermStatus, UnsafeFileError
from termbase.formats import get, guess, xliff

from .conftest import CORPUS

XLIFF_CORPUS = CORPUS / "xliff"
SCHEMAS = CORPUS / "schemas"
needs_corpus = pytest.mark.skipif(not XLIFF_CORPUS.exists(), reason="../shared/corpus is absent")
needs_schemas = pytest.mark.skipif(not SCHEMAS.exists(), reason="../shared/corpus is absent")


def _schema(name: str) -> etree.XMLSchema:
    """Load an XSD from the corpus folder; imports resolve locally, never from the network."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    path = SCHEMAS / name
    data = path.read_bytes().replace(b"informativeCopiesOf3rdPartySchemas/w3c/xml.xsd", b"xml.xsd")
    return etree.XMLSchema(etree.fromstring(data, parser, base_url=str(path)))


def _valid(schema: str, path: Path) -> list[str]:
    xsd = _schema(schema)
    ok = xsd.validate(etree.parse(str(path)))
    return [] if ok else [str(e) for e in xsd.error_log]


def _x12(
    tmp_path: Path, units: str, file_attrs: str = 'source-language="zh-CN" target-language="en"'
) -> Path:
    path = tmp_path / "in.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="a.txt" datatype="plaintext" {file_attrs}><body>\n'
        + units
        + "\n</body></file></xliff>\n",
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------ real files
@needs_corpus
@pytest.mark.parametrize(
    ("name", "count", "source", "target", "langs"),
    [
        (
            "symfony_validators.zh_CN.xlf",
            116,
            "This value should be false.",
            "该变量的值应为 false 。",
            ("en", "zh-CN"),
        ),
        (
            "symfony_validators.zh_TW.xlf",
            116,
            "This value should be false.",
            "這個數值應為 false。",
            ("en", "zh-TW"),
        ),
        ("xliff2_bad_DataIdNotUnique.xlf", 1, "", "", ("en", "fr")),
        ("xliff2_everything-core.xlf", 5, "Sample segment.", "Exemple de segment.", ("en", "fr")),
        (
            "xliff2_withGlossary.xlf",
            2,
            "He is my doppelgänger.",
            "Il est mon alter ego.",
            ("en", "fr"),
        ),
    ],
)
def test_real_files_import(
    name: str, count: int, source: str, target: str, langs: tuple[str, str]
) -> None:
    segments = list(xliff.read_segments(XLIFF_CORPUS / name))
    assert len(segments) == count
    assert (segments[0].source, segments[0].target) == (source, target)
    assert (segments[0].source_lang, segments[0].target_lang) == langs
    assert segments[0].origin == name


@needs_corpus
def test_every_corpus_file_is_covered_and_sniffed() -> None:
    names = sorted(p.name for p in XLIFF_CORPUS.iterdir())
    assert names == [
        "symfony_validators.zh_CN.xlf",
        "symfony_validators.zh_TW.xlf",
        "xliff2_bad_DataIdNotUnique.xlf",
        "xliff2_everything-core.xlf",
        "xliff2_withGlossary.xlf",
    ]
    for name in names:
        assert xliff.sniff((XLIFF_CORPUS / name).read_bytes()[:4096])
        assert guess(XLIFF_CORPUS / name) == "xliff"


@needs_corpus
def test_symfony_state_and_ids() -> None:
    segments = list(xliff.read_segments(XLIFF_CORPUS / "symfony_validators.zh_CN.xlf"))
    assert segments[0].props == {"id": "1"}
    last = segments[-1]
    assert last.props == {"id": "119", "state": "needs-translation"}
    assert last.source == 'This value should not be after week "{{ max }}".'


@needs_corpus
def test_xliff2_units_segments_groups_codes() -> None:
    segments = list(xliff.read_segments(XLIFF_CORPUS / "xliff2_everything-core.xlf"))
    assert [(s.props["id"], s.source, s.target) for s in segments] == [
        ("tu1", "Sample segment.", "Exemple de segment."),
        ("tu1", "Segment's content.", "Contenu du segment."),
        ("tu3", "Bolded text", ""),
        ("tu3end", "Extra stuff", ""),
        ("tu2", "special text and more\n.", ""),  # <pc> text kept, <ph/> dropped
    ]
    assert segments[0].props == {"id": "tu1", "state": "translated", "segment": "1"}


@needs_corpus
def test_xliff2_glossary_module_as_entries() -> None:
    (entry,) = xliff.read(XLIFF_CORPUS / "xliff2_withGlossary.xlf")
    assert [(t.text, t.lang, t.status) for t in entry.terms] == [
        ("doppelgänger", "en", TermStatus.ADMITTED),
        ("double", "fr", TermStatus.PREFERRED),
        ("alter-ego", "fr", TermStatus.ADMITTED),
    ]
    assert entry.definition == "A ghostly double or counterpart of a living person."


@needs_corpus
def test_units_as_entries_chinese_first() -> None:
    entries = list(xliff.read(XLIFF_CORPUS / "symfony_validators.zh_CN.xlf"))
    assert len(entries) == 116
    assert (entries[0].zh, entries[0].terms[1].text) == (
        "该变量的值应为 false 。",
        "This value should be false.",
    )


# ------------------------------------------------------------------ reading details
def test_inline_12_kept_and_dropped(tmp_path: Path) -> None:
    units = (
        '<trans-unit id="t1"><source> 点击<g id="1">保存</g><x id="2"/>按钮<bpt id="3">&lt;b&gt;'
        '</bpt><mrk mtype="term">术语</mrk><ept id="3">&lt;/b&gt;</ept><ph id="4">%s</ph>'
        '<bx id="5"/><ex id="5"/><it id="6" pos="open">&lt;i&gt;</it>。 </source>'
        '<target state="translated">Click <g id="1">Save</g>.</target>'
        '<note from="reviewer">保存 = Save</note>'
        "<alt-trans><target>ignored</target></alt-trans></trans-unit>"
        '<trans-unit id="t2"><source>无译文</source></trans-unit>'
    )
    first, second = xliff.read_segments(_x12(tmp_path, units))
    assert first.source == "点击保存按钮术语。"
    assert first.target == "Click Save."
    assert first.props == {"id": "t1", "state": "translated"}
    assert first.notes == ["保存 = Save"]
    assert (second.source, second.target, second.props) == ("无译文", "", {"id": "t2"})


def test_language_filters_and_missing_target_language(tmp_path: Path) -> None:
    units = '<trans-unit id="1"><source>安全</source><target>security</target></trans-unit>'
    path = _x12(tmp_path, units, 'source-language="zh_CN"')
    (seg,) = xliff.read_segments(path, target_lang="en")
    assert (seg.source_lang, seg.target_lang) == ("zh-CN", "en")
    assert list(xliff.read_segments(path, source_lang="fr")) == []
    assert len(list(xliff.read_segments(path, source_lang="zh"))) == 1


def test_missing_source_language_names_line(tmp_path: Path) -> None:
    path = _x12(tmp_path, "", 'target-language="en"')
    with pytest.raises(FormatError) as info:
        list(xliff.read_segments(path))
    assert str(info.value) == (
        f'{path}:3: the file does not say its source language; add source-language="zh-CN" '
        "(or the right tag)"
    )


def test_not_xliff_and_empty(tmp_path: Path) -> None:
    path = tmp_path / "x.xlf"
    path.write_text('<tmx version="1.4"/>', encoding="utf-8")
    with pytest.raises(
        FormatError, match=r"x\.xlf:1: not an XLIFF file: the root element is <tmx>"
    ):
        list(xliff.read_segments(path))
    path.write_bytes(b"")
    with pytest.raises(FormatError, match=r"x\.xlf: the file is empty \(0 bytes\)"):
        list(xliff.read_segments(path))


def test_truncated_file_names_line(tmp_path: Path) -> None:
    units = "\n".join(
        f'<trans-unit id="{i}"><source>第{i}句</source><target>Sentence {i}</target></trans-unit>'
        for i in range(50)
    )
    path = _x12(tmp_path, units)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError) as info:
        list(xliff.read_segments(path))
    assert info.value.line is not None and info.value.line >= 20
    assert "not well-formed XML" in str(info.value)


@pytest.mark.parametrize(
    ("doctype", "ref", "message"),
    [
        (
            '<!DOCTYPE xliff [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
            "&b;",
            "declares entities",
        ),
        ('<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;", "declares entities"),
        ('<!DOCTYPE xliff SYSTEM "http://example.invalid/x.dtd">', "&x;", "&x; is not defined"),
    ],
)
def test_hostile_xml_refused(tmp_path: Path, doctype: str, ref: str, message: str) -> None:
    path = tmp_path / "h.xlf"
    path.write_text(
        f'<?xml version="1.0"?>\n{doctype}\n<xliff version="1.2"><file source-language="en" '
        f'original="a" datatype="plaintext"><body><trans-unit id="1"><source>{ref}</source>'
        "</trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    for reader in (xliff.read_segments, xliff.read):
        got: list[object] = []
        with pytest.raises(UnsafeFileError, match=message):
            got.extend(reader(path))
        assert got == []


# ------------------------------------------------------------------ writing
def _segments() -> list[Segment]:
    return [
        Segment(
            " 推动高质量发展。 ",
            "Promote high-quality development.",
            "zh_CN",
            "en",
            props={"id": "p1", "state": "final"},
            notes=["from §2 & <intro>"],
        ),
        Segment(
            "国家安全 🛡️ “引号”",
            'national security "quotes"',
            "zh-CN",
            "en",
            props={"id": "p1", "state": "reviewed"},
        ),  # duplicate id, 2.0-only state
        Segment("未译", "", "zh-CN", "en"),
        Segment("security", "安全", "en", "zh-CN", origin="other.txt"),
    ]


@needs_schemas
def test_write_12_is_schema_valid_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "out.xlf"
    assert xliff.write_segments(_segments(), path) == 4
    assert _valid("xliff-core-1.2-strict.xsd", path) == []
    assert _valid("xliff-core-1.2-transitional.xsd", path) == []
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = list(xliff.read_segments(path))
    assert [(s.source, s.target, s.source_lang, s.target_lang, s.props) for s in back] == [
        (
            "推动高质量发展。",
            "Promote high-quality development.",
            "zh-CN",
            "en",
            {"id": "p1", "state": "final"},
        ),
        ("国家安全 🛡️ “引号”", 'national security "quotes"', "zh-CN", "en", {"id": "u2"}),
        ("未译", "", "zh-CN", "en", {"id": "u3"}),
        ("security", "安全", "en", "zh-CN", {"id": "u4"}),
    ]
    assert back[0].notes == ["from §2 & <intro>"]
    files = etree.parse(str(path)).getroot().findall(f"{{{xliff.NS12}}}file")
    assert [f.get("original") for f in files] == ["termbase", "other.txt"]


@needs_schemas
def test_write_20_is_schema_valid_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "out.xlf"
    assert xliff.write_segments(_segments()[:3], path, version="2.0") == 3
    assert _valid("xliff_core_2.0.xsd", path) == []
    back = list(xliff.read_segments(path))
    assert [(s.source, s.target, s.props.get("state")) for s in back] == [
        ("推动高质量发展。", "Promote high-quality development.", "final"),
        ("国家安全 🛡️ “引号”", 'national security "quotes"', "reviewed"),
        ("未译", "", None),
    ]
    assert back[0].notes == ["from §2 & <intro>"]


def test_write_20_refuses_second_language_pair(tmp_path: Path) -> None:
    path = tmp_path / "out.xlf"
    with pytest.raises(FormatError, match="segment 4 is en→zh-CN but the file is zh-CN→en"):
        xliff.write_segments(_segments(), path, version="2.0")
    assert list(tmp_path.iterdir()) == []


@needs_schemas
def test_empty_12_export_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlf"
    assert xliff.write_segments([], path) == 0
    assert _valid("xliff-core-1.2-strict.xsd", path) == []
    assert list(xliff.read_segments(path)) == []


def test_unknown_version(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"unknown XLIFF version '3'; use 1\.2 or 2\.0"):
        xliff.write_segments([], tmp_path / "x.xlf", version="3")


xml_text = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
        st.sampled_from(list("\n&<>\"'中文𠀀😀 ")),
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(source=xml_text, target=xml_text, version=st.sampled_from(["1.2", "2.0"]))
def test_hypothesis_round_trip(tmp_path: Path, source: str, target: str, version: str) -> None:
    assume(source.strip())
    path = tmp_path / "h.xlf"
    xliff.write_segments([Segment(source, target)], path, version=version)
    (back,) = xliff.read_segments(path)
    assert (back.source, back.target) == (source.strip(), target.strip())


def test_registry() -> None:
    assert get("xliff") is xliff
    assert not xliff.sniff(b'<?xml version="1.0"?><tmx version="1.4">')
    assert xliff.sniff("\ufeff<xliff version='1.2'>".encode("utf-16"))
