"""TBX: v3 and 2008 reading of real files, schema-valid writing, lossless round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from termbase import Context, Entry, FormatError, Review, Source, Term, UnsafeFileError
from termbase.formats import tbx
from termbase.store import entry_to_dict

from .conftest import CORPUS, make_entry

SCHEMAS = CORPUS / "schemas"
TBX_CORPUS = CORPUS / "tbx"

needs_corpus = pytest.mark.skipif(not TBX_CORPUS.exists(), reason="../shared/corpus is absent")


def _full_entry() -> Entry:
    entry = make_entry()
    entry.id = 7
    entry.note = "first line\nsecond line"
    entry.definition_zh = "以国内大循环为主体、国内国际双循环相互促进"
    entry.review = Review.APPROVED
    entry.reviewer = "seed"
    entry.reviewed_at = "2026-11-28T00:00:00Z"
    entry.review_comment = "checked against Xinhua"
    entry.created_at, entry.created_by = "2026-11-01T00:00:00Z", "seed"
    entry.updated_at, entry.updated_by = "2026-11-02T00:00:00Z", "alice"
    entry.terms[0].pinyin = "xīn fāzhǎn géjú"
    entry.terms[1].pos = "noun"
    entry.terms[1].source = Source(
        "Xinhua style", publisher="Xinhua", url="https://x.example/a?b=1&c=2"
    )
    entry.terms.insert(1, Term("新發展格局", "zh-Hant", "admitted", "variant"))
    entry.terms.append(Term("New Development Paradigm", "en", "deprecated", note="use: pattern"))
    return entry


def _comparable(entry: Entry) -> dict:
    data = entry_to_dict(entry)
    data.pop("id")
    data.pop("version")
    for t in data["terms"]:
        t.pop("id")
        for c in t["contexts"]:
            c.pop("id")
            if c["source"]:
                c["source"].pop("id")
        if t["source"]:
            t["source"].pop("id")
    for s in data["sources"]:
        s.pop("id")
    return data


@pytest.mark.parametrize("version", ["v3", "2008"])
def test_every_field_survives_a_round_trip(tmp_path: Path, version: str) -> None:
    entry = _full_entry()
    path = tmp_path / "out.tbx"
    assert tbx.write([entry], path, version=version) == 1
    (back,) = list(tbx.read(path))
    assert _comparable(back) == _comparable(entry)


def test_export_import_export_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tbx", tmp_path / "b.tbx"
    tbx.write([_full_entry(), make_entry()], first)
    tbx.write(list(tbx.read(first)), second)
    assert first.read_bytes() == second.read_bytes()


def test_v3_output_is_valid_against_the_core_schema(tmp_path: Path) -> None:
    if not SCHEMAS.exists():
        pytest.skip("../shared/corpus is absent")
    path = tmp_path / "out.tbx"
    tbx.write([_full_entry()], path)
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "TBXcoreStructV03.rng")))
    doc = etree.parse(str(path))
    assert rng.validate(doc), rng.error_log
    # TBX-Basic rules (the published Schematron needs XSLT 2, which lxml lacks):
    ns = {"t": tbx.TBX_NS}
    allowed = {
        "descrip": {"subjectField", "context", "definition"},
        "admin": {"customerSubset", "projectSubset", "source"},
        "termNote": {
            "administrativeStatus",
            "partOfSpeech",
            "geographicalUsage",
            "grammaticalGender",
            "termLocation",
            "termType",
        },
        "transac": {"transactionType"},
        "transacNote": {"responsibility"},
    }
    for name, types in allowed.items():
        for el in doc.iterfind(f".//t:{name}", ns):
            assert el.get("type") in types, (name, el.get("type"))
    for el in doc.iterfind(".//t:admin[@type='source']", ns):
        parent = el.getparent()
        level = parent.getparent() if parent.tag.endswith("Grp") else parent
        assert etree.QName(level).localname in ("conceptEntry", "langSec", "termSec")
        assert not parent.tag.endswith("transacGrp")
    for el in doc.iterfind(".//t:descrip[@type='context']", ns):
        parent = el.getparent()
        level = parent.getparent() if parent.tag.endswith("Grp") else parent
        assert etree.QName(level).localname == "termSec"
    statuses = {el.text for el in doc.iterfind(".//t:termNote[@type='administrativeStatus']", ns)}
    assert statuses <= set(tbx.STATUS_TO_TBX.values())
    assert all(el.get("id")[0].isalpha() for el in doc.iterfind(".//t:conceptEntry", ns))


def test_2008_output_is_valid_against_the_omegat_xsd(tmp_path: Path) -> None:
    if not SCHEMAS.exists():
        pytest.skip("../shared/corpus is absent")
    path = tmp_path / "out.tbx"
    tbx.write([_full_entry()], path, version="2008")
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "tbx2008_martif_omegat.xsd")))
    assert xsd.validate(etree.parse(str(path))), xsd.error_log
    assert path.read_text(encoding="utf-8").splitlines()[1] == '<martif type="TBX" xml:lang="en">'


@needs_corpus
@pytest.mark.parametrize(
    ("name", "count", "first"),
    [
        ("tbx2008_byutrg_hiGood.tbx", 1, "foo bar"),
        ("tbx2008_lisa-ibm-sample.tbx", 5, "navigation trail"),
        ("tbx2008_lisa-medtronic-multilingual.tbx", 3, "patient identifier"),
        ("tbx2008_okapi_windows-1254.tbx", 1, "term with: éá and İı"),
        ("tbx2008_omegat_sampleTBXfile_bom.tbx", 1, "alpha smoothing factor"),
        ("tbx2008_weblate_cs_ttk-TBXcdv04.tbx", 4, "address bar"),
        ("tbx2008_weblate_fr-extended-metadata_v3-namespace-on-martif.tbx", 2, "data bus"),
        ("tbx3_TBX-Basic_DCA_astronomy.tbx", 45, "open cluster"),
        ("tbx3_TBX-Basic_DCT_astronomy.tbx", 45, "open cluster"),
        ("tbx3_TBX-Core_astronomy.tbx", 45, "open cluster"),
        ("tbx3_TBX-Min_DCA_astronomy.tbx", 45, "open cluster"),
        ("tbx3_TBX-Min_DCT_astronomy.tbx", 45, "open cluster"),
        ("tbx3_ltac-test_min_good_uses-usageStatus.tbx", 45, "open cluster"),
    ],
)
def test_real_files_import(name: str, count: int, first: str) -> None:
    entries = list(tbx.read(TBX_CORPUS / name))
    assert len(entries) == count
    assert entries[0].terms[0].text == first


@needs_corpus
def test_dca_and_dct_give_the_same_entries() -> None:
    dca = [_comparable(e) for e in tbx.read(TBX_CORPUS / "tbx3_TBX-Basic_DCA_astronomy.tbx")]
    dct = [_comparable(e) for e in tbx.read(TBX_CORPUS / "tbx3_TBX-Basic_DCT_astronomy.tbx")]

    def key(entries: list[dict]) -> list:
        return [
            [
                (
                    t["lang"],
                    t["text"],
                    t["status"],
                    t["term_type"],
                    t["pos"],
                    [c["text"] for c in t["contexts"]],
                )
                for t in e["terms"]
            ]
            + [e["subject"]]
            for e in entries
        ]

    assert key(dca) == key(dct)
    statuses = {t["status"] for e in dca for t in e["terms"]}
    assert statuses == {"preferred", "admitted", "deprecated", "superseded"}


@needs_corpus
def test_weblate_obsolete_is_deprecated() -> None:
    entries = list(
        tbx.read(TBX_CORPUS / "tbx2008_weblate_fr-extended-metadata_v3-namespace-on-martif.tbx")
    )
    assert entries[0].terms[0].status.value == "deprecated"


@needs_corpus
def test_poorly_formed_file_is_a_clear_error() -> None:
    path = TBX_CORPUS / "tbx3_ltac-test_poorly_formed_xml.tbx"
    with pytest.raises(FormatError) as info:
        list(tbx.read(path))
    assert str(info.value).startswith(
        f"{path}:42:16: not well-formed XML: Opening and ending tag mismatch"
    )


def test_wrong_root_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tbx"
    path.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>')
    with pytest.raises(FormatError) as info:
        list(tbx.read(path))
    assert str(info.value) == (
        f"{path}:2: not a TBX file: the root element is <tmx>; expected "
        "<tbx> (TBX v3) or <martif> (TBX 2008)"
    )


def test_empty_term_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.tbx"
    path.write_text(
        '<martif type="TBX"><text><body><termEntry>\n<langSet xml:lang="en">'
        "<tig><term> </term></tig></langSet></termEntry></body></text></martif>"
    )
    with pytest.raises(FormatError, match=r"x.tbx:2: a term section has no <term> text"):
        list(tbx.read(path))


@pytest.mark.parametrize(
    "payload",
    [
        '<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<martif><text><body>&b;</body></text></martif>",
        '<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>&x;</term></tig>"
        "</langSet></termEntry></body></text></martif>",
        '<!DOCTYPE martif SYSTEM "http://127.0.0.1:9/evil.dtd"><martif><text><body>'
        "<termEntry><langSet xml:lang='en'><tig><term>&ent;</term></tig></langSet></termEntry>"
        "</body></text></martif>",
    ],
)
def test_hostile_xml_is_refused(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "evil.tbx"
    path.write_text('<?xml version="1.0"?>\n' + payload)
    with pytest.raises(FormatError) as info:
        list(tbx.read(path))
    assert "root:" not in str(info.value)
    if "ENTITY" in payload:
        assert isinstance(info.value, UnsafeFileError)
        assert "unsafe XML" in str(info.value)


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    def broken():
        yield make_entry()
        raise RuntimeError("disk on fire")

    path = tmp_path / "out.tbx"
    with pytest.raises(RuntimeError):
        tbx.write(broken(), path)
    assert list(tmp_path.iterdir()) == []


def test_sniff() -> None:
    assert tbx.sniff(b'<?xml version="1.0"?><martif type="TBX">')
    assert tbx.sniff('\ufeff<tbx xmlns="urn:iso:std:iso:30042:ed-2">'.encode("utf-16"))
    assert not tbx.sniff(b"<tmx version='1.4'>")


text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
notes = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c"),
        max_size=40,
    )
    .filter(lambda s: all(c in "\n\t" or ord(c) >= 32 for c in s))
    .map(lambda s: "\n".join(line.strip() for line in s.split("\n") if line.strip()))
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(zh=text, en=text, note=notes, ctx=text, title=text)
def test_property_round_trip(
    tmp_path: Path, zh: str, en: str, note: str, ctx: str, title: str
) -> None:
    if en == zh:
        en = en + " x"
    entry = Entry(
        terms=[
            Term(zh, "zh-CN", "preferred"),
            Term(
                en,
                "en",
                "admitted",
                note=note,
                contexts=[Context(ctx, "§1", Source(title, url="https://e.x/?a&b"))],
            ),
        ],
        note=note,
        subject=title,
    )
    path = tmp_path / "p.tbx"
    tbx.write([entry], path)
    (back,) = list(tbx.read(path))
    assert _comparable(back) == _comparable(entry)
