"""The format registry: every declaration matches its module, every fact is declared once."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbase import InvalidValueError, formats

_ABILITIES = {
    "reads": "read",
    "writes": "write",
    "reads_segments": "read_segments",
    "writes_segments": "write_segments",
    "sniffs": "sniff",
}


@pytest.mark.parametrize("fmt", formats.FORMATS, ids=lambda f: f.name)
def test_each_declaration_matches_its_module(fmt: formats.Format) -> None:
    module = fmt.load()
    for ability, function in _ABILITIES.items():
        if getattr(fmt, ability):
            assert callable(getattr(module, function, None)), f"{fmt.name} lacks {function}"
        elif ability != "sniffs":  # an alias shares its module's sniffer without using it
            assert not hasattr(module, function), f"{fmt.name} has an undeclared {function}"
    assert fmt.description
    for ext in fmt.extensions + fmt.glossary_extensions:
        assert ext.startswith(".") and ext == ext.lower()


def test_no_extension_names_two_formats() -> None:
    seen: dict[str, str] = {}
    for fmt in formats.FORMATS:
        for ext in fmt.extensions + fmt.glossary_extensions:
            assert ext not in seen, f"{ext} is claimed by {seen[ext]} and {fmt.name}"
            seen[ext] = fmt.name


@pytest.mark.parametrize(
    ("name", "glossary", "expected"),
    [
        ("a.TBX", True, "tbx"),
        ("a.xlf", True, "xliff"),
        ("a.txt", True, "tsv"),  # an OmegaT glossary
        ("a.txt", False, None),  # plain text for a document
        ("a.pot", False, None),
        ("a.csv", False, "csv"),
        ("a", True, None),
    ],
)
def test_by_extension(name: str, glossary: bool, expected: str | None) -> None:
    assert formats.by_extension(name, glossary=glossary) == expected


def test_aliases_share_a_module_and_carry_their_options() -> None:
    assert formats.get("tbx2008") is formats.get("tbx")
    assert formats.info("tbx2008").write_options == {"version": "2008"}
    assert formats.info("tsv").write_options == {"dialect": "tsv"}
    assert not formats.info("tbx2008").sniffs


def test_unknown_names_and_extensions_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match="unknown format 'doc'; choose one of: tbx,"):
        formats.info("doc")
    with pytest.raises(InvalidValueError, match=r"cannot tell the format from the extension \.doc"):
        formats.for_extension(tmp_path / "a.doc")
