"""The contract every file format module keeps, as a reusable test base class.

A format's test module subclasses :class:`FormatContract` and sets the class
attributes; pytest then runs every ``test_*`` method below for that format::

    from .format_contract import FormatContract

    class TestCSVContract(FormatContract):
        format_name, extension = "csv", ".csv"
        carries = {"zh", "en", "statuses", "subject", "review"}

The base class itself is not collected (its name has no ``Test`` prefix).

What is checked:

* a zero-byte file, an empty file (whitespace, or a lone BOM), a missing
  file, a directory and binary garbage all raise
  :class:`termbase.errors.FormatError` naming the file — never another
  exception type;
* :func:`sample_entries` and :func:`tricky_entry` (CJK with a non-BMP
  character, emoji, quotes, ampersands, angle brackets) survive write → read:
  the preferred Chinese term and the preferred English rendering always,
  and every field named in ``carries``;
* a deprecated rendering never comes back as the entry's translation;
* the language tags ``zh-CN`` and ``en`` come back as written;
* ``write`` returns the number of entries written;
* a writer whose input fails half-way leaves neither the target file nor a
  ``.part`` temporary file behind, and an existing target is left intact;
* a directory as write target is a FormatError.

``carries`` names, from :data:`CARRIABLE`, what the format keeps:

``zh``, ``en``       the preferred pair (always checked, may be listed)
``statuses``         status of every English rendering (text → status)
entry level          ``subject definition definition_zh note review reviewer
                     reviewed_at review_comment sources created_at created_by uuid``
term level           ``terms`` (every term of every language, not just the
                     preferred pair), ``status``, ``term_type``, ``pos``,
                     ``term_note``, ``pinyin``, ``term_source``, ``contexts``
                     (context text), ``context_locator``, ``context_source``
                     — compared on every term when ``terms`` is carried, else
                     on the preferred zh and en terms only.

Entries are matched by their preferred Chinese term, so formats may reorder.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest

from termbase import formats
from termbase.errors import FormatError, OutputError, TermbaseError
from termbase.model import Context, Entry, Review, Source, Term, TermStatus, TermType

ENTRY_FIELDS = frozenset(
    {
        "subject",
        "definition",
        "definition_zh",
        "note",
        "review",
        "reviewer",
        "reviewed_at",
        "review_comment",
        "sources",
        "created_at",
        "created_by",
        "uuid",
    }
)
TERM_FIELDS = frozenset(
    {
        "terms",
        "status",
        "term_type",
        "pos",
        "term_note",
        "pinyin",
        "term_source",
        "contexts",
        "context_locator",
        "context_source",
    }
)
#: Every name a subclass may put in ``carries``.
CARRIABLE = frozenset({"zh", "en", "statuses"}) | ENTRY_FIELDS | TERM_FIELDS

PAPER = Source(
    title="Achieving Mutual Reinforcement between High-Quality Development and High-Level Security",
    author="CICIR Task Force",
    publisher="Contemporary International Relations",
    date="2025",
    url="https://example.org/cir/2025/dev-security?lang=en&part=2",
)
XINHUA = Source(title="Xinhua style guide", publisher="Xinhua News Agency", date="2016")

#: Characters that break naive writers: CJK with a non-BMP ideograph (𠀾),
#: emoji, both quote kinds, an ampersand and angle brackets.
TRICKY_ZH = "“新发展格局”𠀾 & <试点> 🚀"
TRICKY_EN = "\"new\" development 'pattern' & <pilot> 🚀"

#: The deprecated rendering in :func:`sample_entries` (never a translation).
DEPRECATED_EN = "Information Office of China's State Council"


def sample_entries() -> list[Entry]:
    """Three realistic concepts; other tests index the first two, so keep their order.

    1. 新发展格局 (approved): preferred "new development pattern" with a
       context (CJK quotes, ampersand, emoji) and its source, admitted
       "new development dynamic", pinyin, a definition with ``<`` and ``&``.
    2. 国务院新闻办公室 (proposed): preferred "State Council Information
       Office", deprecated "Information Office of China's State Council".
    3. 高质量发展 (proposed): preferred "high-quality development" with a
       term-level source, part of speech and a Chinese definition.
    """
    return [
        Entry(
            terms=[
                Term("新发展格局", "zh-CN", TermStatus.PREFERRED, pinyin="xīn fāzhǎn géjú"),
                Term(
                    "new development pattern",
                    "en",
                    TermStatus.PREFERRED,
                    contexts=[
                        Context(
                            "China's new development pattern & “security” 🚀",
                            "Part 2",
                            Source("Paper", author="CICIR"),
                        )
                    ],
                ),
                Term("new development dynamic", "en", TermStatus.ADMITTED),
            ],
            subject="development",
            definition="Dual circulation <strategy> & more",
            review=Review.APPROVED,
        ),
        Entry(
            terms=[
                Term("国务院新闻办公室", "zh-CN", TermStatus.PREFERRED),
                Term("State Council Information Office", "en", TermStatus.PREFERRED),
                Term(DEPRECATED_EN, "en", TermStatus.DEPRECATED),
            ],
            subject="state institutions",
        ),
        Entry(
            terms=[
                Term("高质量发展", "zh-CN", TermStatus.PREFERRED, pinyin="gāo zhìliàng fāzhǎn"),
                Term(
                    "high-quality development",
                    "en",
                    TermStatus.PREFERRED,
                    TermType.FULL_FORM,
                    pos="noun",
                    source=XINHUA,
                    contexts=[
                        Context(
                            "High-quality development is the primary task.",
                            "Part 1",
                            PAPER,
                        )
                    ],
                ),
            ],
            subject="development",
            definition_zh="体现新发展理念的发展",
            sources=[PAPER],
        ),
    ]


def tricky_entry() -> Entry:
    """One entry whose every text field holds characters that break naive writers."""
    src = Source(
        title="Title “quoted” & <bracketed> 𠀾",
        author="O'Neil & 王",
        publisher="Pub <X>",
        date="2025-03-01",
        url="https://example.org/a?b=1&c=<2>",
        note="p. 3 & 4",
    )
    return Entry(
        subject="security & development",
        definition='Defined as "A & B" <not C> 🚀',
        definition_zh="定义：“甲”与<乙> 𠀾",
        note="line one & <two>\nline “three” 🚀",
        review=Review.APPROVED,
        reviewer="alice",
        reviewed_at="2026-11-28T09:00:00Z",
        review_comment="checked: 'ok' & fine",
        sources=[src],
        created_at="2026-11-01T00:00:00Z",
        created_by="bob",
        terms=[
            Term(TRICKY_ZH, "zh-CN", TermStatus.PREFERRED, pinyin="xīn fāzhǎn géjú"),
            Term(
                TRICKY_EN,
                "en",
                TermStatus.PREFERRED,
                TermType.PHRASE,
                pos="noun",
                note='use in <titles> & "quotes"',
                source=src,
                contexts=[Context('He said "pattern" & <meant> it 🚀.', "§2 & fn. 3", src)],
            ),
            Term("older <rendering> & co", "en", TermStatus.DEPRECATED),
        ],
    )


def _source_view(source: Source | None) -> tuple[str, ...] | None:
    if source is None:
        return None
    return (source.title, source.author, source.publisher, source.date, source.url, source.note)


def _term_view(term: Term, carries: Collection[str]) -> tuple[Any, ...]:
    """The parts of *term* the format claims to carry, as a comparable tuple."""
    view: list[Any] = [term.lang, term.text]
    if "status" in carries:
        view.append(term.status.value)
    if "term_type" in carries:
        view.append(term.term_type.value)
    if "pos" in carries:
        view.append(term.pos)
    if "term_note" in carries:
        view.append(term.note)
    if "pinyin" in carries:
        view.append(term.pinyin)
    if "term_source" in carries:
        view.append(_source_view(term.source))
    if "contexts" in carries:
        ctx: list[Any] = []
        for c in term.contexts:
            item: list[Any] = [c.text]
            if "context_locator" in carries:
                item.append(c.locator)
            if "context_source" in carries:
                item.append(_source_view(c.source))
            ctx.append(tuple(item))
        view.append(tuple(ctx))
    return tuple(view)


def comparable(entry: Entry, carries: Collection[str]) -> dict[str, Any]:
    """What of *entry* must survive a round trip through a format carrying *carries*."""
    data: dict[str, Any] = {"zh": entry.zh, "en": entry.en}
    for name in sorted(set(carries) & ENTRY_FIELDS):
        value = getattr(entry, name)
        if name == "sources":
            value = [_source_view(s) for s in value]
        elif name == "review":
            value = value.value
        data[name] = value
    if "statuses" in carries:
        data["statuses"] = {t.text: t.status.value for t in entry.en_terms}
    if "terms" in carries:
        data["terms"] = sorted(_term_view(t, carries) for t in entry.terms)
    elif set(carries) & (TERM_FIELDS - {"terms"}):
        best = entry.zh_terms[:1] + entry.en_terms[:1]
        data["best_terms"] = [_term_view(t, carries) for t in best]
    return data


class FormatContract:
    """Base class of a format's contract tests; subclass it as ``Test<Format>Contract``."""

    #: Registry name (``formats.get(format_name)``).
    format_name: ClassVar[str] = ""
    #: File name ending used for the files the tests write (``".tbx"``).
    extension: ClassVar[str] = ""
    #: What survives a round trip; names from :data:`CARRIABLE`.
    carries: ClassVar[Collection[str]] = frozenset({"zh", "en"})
    #: False for read-only formats (write tests are skipped).
    can_write: ClassVar[bool] = True
    #: Extra keyword options for ``read`` and ``write``.
    read_options: ClassVar[dict[str, Any]] = {}
    write_options: ClassVar[dict[str, Any]] = {}

    # -- helpers -----------------------------------------------------------

    @property
    def module(self) -> ModuleType:
        """The format module under test."""
        return formats.get(self.format_name)

    def read_all(self, path: Path) -> list[Entry]:
        """Every entry of *path*, read with ``read_options``."""
        return list(self.module.read(path, **self.read_options))

    def write_all(self, entries: Iterable[Entry], path: Path) -> int:
        """Write *entries* to *path* with ``write_options``; returns the writer's count."""
        return int(self.module.write(entries, path, **self.write_options))

    def _need_writer(self) -> None:
        if not self.can_write:
            pytest.skip(f"{self.format_name} is read-only")

    def _assert_error_names(self, path: Path, call: Any) -> TermbaseError:
        # readers raise FormatError, writers OutputError: both name the file
        with pytest.raises((FormatError, OutputError)) as info:
            call()
        assert str(path) in str(info.value), f"error does not name the file: {info.value}"
        return info.value

    def _round_trip(self, entries: list[Entry], path: Path) -> None:
        assert self.write_all(entries, path) == len(entries)
        back = {e.zh: e for e in self.read_all(path)}
        assert sorted(back) == sorted(e.zh for e in entries)
        for original in entries:
            assert comparable(back[original.zh], self.carries) == comparable(original, self.carries)

    # -- the contract ---------------------------------------------------------

    def test_registry_declares_the_contract(self) -> None:
        assert self.format_name in formats.names()
        declared = formats.info(self.format_name)
        module = self.module
        assert declared.description
        by_ending = formats.by_extension(f"file{self.extension}")
        assert by_ending is not None and formats.info(by_ending).module == declared.module
        assert set(self.carries) <= CARRIABLE, set(self.carries) - CARRIABLE
        assert declared.reads and callable(module.read)
        assert declared.writes == self.can_write
        if self.can_write:
            assert callable(module.write)

    def test_zero_byte_file_is_a_clear_error(self, tmp_path: Path) -> None:
        path = tmp_path / f"zero{self.extension}"
        path.write_bytes(b"")
        self._assert_error_names(path, lambda: self.read_all(path))

    @pytest.mark.parametrize("content", [b"\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
    def test_empty_file_is_a_clear_error(self, tmp_path: Path, content: bytes) -> None:
        path = tmp_path / f"empty{self.extension}"
        path.write_bytes(content)
        self._assert_error_names(path, lambda: self.read_all(path))

    def test_missing_file_is_a_clear_error(self, tmp_path: Path) -> None:
        path = tmp_path / f"missing{self.extension}"
        self._assert_error_names(path, lambda: self.read_all(path))

    def test_directory_is_a_clear_error(self, tmp_path: Path) -> None:
        path = tmp_path / f"folder{self.extension}"
        path.mkdir()
        error = self._assert_error_names(path, lambda: self.read_all(path))
        assert "directory" in str(error)

    def test_directory_as_write_target_is_a_clear_error(self, tmp_path: Path) -> None:
        self._need_writer()
        path = tmp_path / f"folder{self.extension}"
        path.mkdir()
        self._assert_error_names(path, lambda: self.write_all(sample_entries(), path))
        assert list(path.iterdir()) == []
        assert [p.name for p in tmp_path.iterdir()] == [path.name]

    def test_binary_garbage_is_a_clear_error(self, tmp_path: Path) -> None:
        path = tmp_path / f"garbage{self.extension}"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
        self._assert_error_names(path, lambda: self.read_all(path))

    def test_write_returns_the_number_of_entries(self, tmp_path: Path) -> None:
        self._need_writer()
        path = tmp_path / f"out{self.extension}"
        entries = sample_entries()
        assert self.write_all(iter(entries), path) == len(entries)
        assert path.stat().st_size > 0

    def test_sample_entries_survive_a_round_trip(self, tmp_path: Path) -> None:
        self._need_writer()
        self._round_trip(sample_entries(), tmp_path / f"sample{self.extension}")

    def test_tricky_characters_survive_a_round_trip(self, tmp_path: Path) -> None:
        self._need_writer()
        self._round_trip([tricky_entry()], tmp_path / f"tricky{self.extension}")

    def test_deprecated_is_never_a_translation(self, tmp_path: Path) -> None:
        self._need_writer()
        path = tmp_path / f"out{self.extension}"
        self.write_all(sample_entries(), path)
        back = self.read_all(path)
        assert {e.en for e in back} >= {"new development pattern", "high-quality development"}
        assert DEPRECATED_EN not in {e.en for e in back}

    def test_language_tags_are_preserved(self, tmp_path: Path) -> None:
        self._need_writer()
        path = tmp_path / f"langs{self.extension}"
        self.write_all(sample_entries(), path)
        for entry in self.read_all(path):
            langs = {t.lang for t in entry.terms}
            assert "zh-CN" in langs and "en" in langs, langs
            assert all("_" not in lang for lang in langs)

    def test_failed_write_leaves_no_file(self, tmp_path: Path) -> None:
        self._need_writer()
        path = tmp_path / f"out{self.extension}"

        def failing() -> Iterator[Entry]:
            yield from sample_entries()
            raise RuntimeError("source failed half-way")

        with pytest.raises(RuntimeError, match="half-way"):
            self.write_all(failing(), path)
        assert sorted(os.listdir(tmp_path)) == []

    def test_failed_write_keeps_the_old_file(self, tmp_path: Path) -> None:
        self._need_writer()
        path = tmp_path / f"out{self.extension}"
        path.write_bytes(b"previous export")

        def failing() -> Iterator[Entry]:
            yield sample_entries()[0]
            raise RuntimeError("source failed half-way")

        with pytest.raises(RuntimeError, match="half-way"):
            self.write_all(failing(), path)
        assert path.read_bytes() == b"previous export"
        assert sorted(os.listdir(tmp_path)) == [path.name]
