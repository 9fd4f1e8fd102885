"""Exports after a reject, a conflicting import and a duplicate attempt, read back by real readers.

translate-toolkit (what Pootle and Weblate load TBX, TMX and PO with), polib, openpyxl,
Python's csv module (what a spreadsheet import does), and OmegaT 3.6's glossary rules for
its TSV and TBX readers (docs: ../shared/FORMATS.md §2.5 and §3.1).  No rejected or
pending rendering may be offered as a translation; proposed entries appear only with
``--review all`` and then marked; deprecated renderings only as deprecated.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import polib
import pytest
from lxml import etree
from translate.storage import po as ttk_po
from translate.storage import tbx as ttk_tbx
from translate.storage import tmx as ttk_tmx

from termbase import DuplicateError, Entry, Term, Termbase, TermStatus

from .conftest import FIXED_TIME, PAPER_SOURCE

APPROVED = "high-quality development"
DEPRECATED = "high quality growth"
PENDING = "quality development"  # arrived by import on the approved entry
PROPOSED = "new quality productive forces"
REJECTED = "common wealth"


@pytest.fixture
def tb(tmp_path: Path) -> Termbase:
    base = Termbase(tmp_path / "t.sqlite", user="terry", clock=lambda: FIXED_TIME)
    entry = base.add(
        Entry(
            terms=[
                Term("高质量发展", "zh-CN", TermStatus.PREFERRED),
                Term(APPROVED, "en", TermStatus.PREFERRED, source=PAPER_SOURCE),
                Term(DEPRECATED, "en", TermStatus.DEPRECATED),
            ]
        )
    )
    base.approve(entry.id)
    base.add(Entry(terms=[Term("新质生产力", "zh-CN"), Term(PROPOSED, "en", TermStatus.PREFERRED)]))
    rejected = base.add(Entry(terms=[Term("共同富裕", "zh-CN"), Term(REJECTED, "en")]))
    base.reject(rejected.id, reason="wrong concept")
    conflict = tmp_path / "conflict.csv"
    conflict.write_text(f"zh,en,status\n高质量发展,{PENDING},preferred\n", encoding="utf-8")
    assert base.import_file(conflict).proposed == 1
    with pytest.raises(DuplicateError):
        base.add(
            Entry(terms=[Term("高質量發展", "zh-Hant"), Term("quality growth", "en")]), new=False
        )
    yield base
    base.close()


def omegat_tsv(path: Path) -> list[tuple[str, str, str]]:
    """OmegaT 3.6 GlossaryReaderTSV: '#' lines are comments, fewer than 2 fields are skipped."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0]:
            continue
        out.append((cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    return out


def omegat_tbx(path: Path, target: str = "en") -> list[tuple[str, str]]:
    """OmegaT GlossaryReaderTBX: every term of the target language (matched by language
    subtag), with the termNotes in the comment."""
    tree = etree.parse(str(path))
    out = []
    for lang_set in tree.iter("langSet"):
        lang = lang_set.get("{http://www.w3.org/XML/1998/namespace}lang", "")
        if lang.split("-")[0].lower() != target:
            continue
        for tig in lang_set.iter("tig", "ntig"):
            term = tig.findtext(".//term") or ""
            notes = " ".join(n.text or "" for n in tig.iter("termNote"))
            out.append((term, notes))
    return out


def offered(tb: Termbase, tmp_path: Path, review: str) -> dict[str, list[tuple[str, str]]]:
    """(rendering, marker) offered as a translation by each format, as its real reader sees it."""
    files = {}
    for name, fmt in (
        ("g.tbx", "tbx2008"),
        ("g.tmx", "tmx"),
        ("g.po", "po"),
        ("g.csv", "csv"),
        ("g.txt", "tsv"),
        ("g.xlsx", "xlsx"),
        ("g3.tbx", "tbx"),
    ):
        path = tmp_path / f"{review}-{name}"
        tb.export_file(path, format=fmt, review=review)
        files[fmt] = path
    got: dict[str, list[tuple[str, str]]] = {}
    tbx_units = ttk_tbx.tbxfile.parsefile(str(files["tbx2008"])).units
    got["ttk-tbx"] = [(u.target, u.getnotes()) for u in tbx_units]
    got["omegat-tbx"] = omegat_tbx(files["tbx2008"])
    tmx_units = ttk_tmx.tmxfile.parsefile(str(files["tmx"])).units
    props = {  # TMX props are not in translate-toolkit's API: read them as OmegaT does, by name
        tu.findtext("tuv[2]/seg"): tu.findtext("prop[@type='x-review']")
        for tu in etree.parse(str(files["tmx"])).iter("tu")
    }
    got["ttk-tmx"] = [(u.target, props[u.target]) for u in tmx_units]
    got["polib"] = [
        (e.msgstr, "fuzzy" if e.fuzzy else "") for e in polib.pofile(str(files["po"])) if e.msgstr
    ]
    po_units = ttk_po.pofile.parsefile(str(files["po"])).units
    assert [u.target for u in po_units if u.source] == [t for t, _ in got["polib"]]
    with open(files["csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    got["csv"] = [(r["en"], r["review"]) for r in rows] + [
        (alt, r["review"]) for r in rows for alt in r["alternatives"].split(" | ") if alt
    ]
    got["omegat-tsv"] = [(tgt, comment) for _, tgt, comment in omegat_tsv(files["tsv"])]
    sheet = openpyxl.load_workbook(files["xlsx"]).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    xrows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    got["xlsx"] = [(r["en"], r["review"]) for r in xrows]
    v3 = etree.parse(str(files["tbx"]))
    got["tbx-v3"] = [
        (t.text or "", "")
        for t in v3.iter("{*}term")
        if t.getparent().getparent().get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    ]
    return got


def test_default_export_carries_approved_content_only(tb: Termbase, tmp_path: Path) -> None:
    got = offered(tb, tmp_path, "approved")
    for reader, pairs in got.items():
        texts = [t for t, _ in pairs]
        assert APPROVED in texts, reader
        for text in (PENDING, REJECTED, PROPOSED):
            assert text not in texts, (reader, text)
        if reader in ("omegat-tbx", "tbx-v3"):
            # TBX can say deprecated: the term is there, marked so (OmegaT shows the note)
            assert DEPRECATED in texts
            if reader == "omegat-tbx":
                assert dict(pairs)[DEPRECATED] == "deprecatedTerm-admn-sts fullForm"
        else:
            assert DEPRECATED not in texts, reader  # never as a translation


def test_review_all_marks_proposed_entries_in_each_format(tb: Termbase, tmp_path: Path) -> None:
    got = offered(tb, tmp_path, "all")
    markers = {reader: dict(pairs).get(PROPOSED) for reader, pairs in got.items()}
    assert markers == {
        "ttk-tbx": "review: proposed\npinyin: xīn zhì shēngchǎnlì",
        "omegat-tbx": "preferredTerm-admn-sts fullForm",
        "ttk-tmx": "proposed",
        "polib": "fuzzy",
        "csv": "proposed",
        "omegat-tsv": "proposed",
        "xlsx": "proposed",
        "tbx-v3": "",
    }
    for reader, pairs in got.items():
        texts = [t for t, _ in pairs]
        assert PENDING not in texts and REJECTED not in texts, reader


def test_accepting_the_change_then_exports_it(tb: Termbase, tmp_path: Path) -> None:
    [entry_id] = [i.entry_id for i in tb.review_items() if i.kind == "change"]
    tb.approve(entry_id)
    got = offered(tb, tmp_path, "approved")
    # the file said preferred; the approved entry's preferred rendering stays, this one is admitted
    assert dict(got["omegat-tbx"])[PENDING] == "admittedTerm-admn-sts fullForm"
    assert (PENDING, "approved") in got["csv"]
    assert (PENDING, "admitted") in got["omegat-tsv"]
