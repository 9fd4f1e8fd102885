"""The contract every format module honours; each format's test class subclasses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from termbase import Context, Entry, FormatError, Review, Source, Term, TermStatus
from termbase.formats import get


def sample_entries() -> list[Entry]:
    """Two realistic concepts: CJK, emoji, quotes, ampersands, a deprecated rendering."""
    return [
        Entry(
            terms=[Term("新发展格局", "zh-CN", TermStatus.PREFERRED, pinyin="xīn fāzhǎn géjú"),
                   Term("new development pattern", "en", TermStatus.PREFERRED,
                        contexts=[Context("China's new development pattern & “security” 🚀",
                                          "Part 2", Source("Paper", author="CICIR"))]),
                   Term("new development dynamic", "en", TermStatus.ADMITTED)],
            subject="development", definition="Dual circulation <strategy> & more",
            review=Review.APPROVED,
        ),
        Entry(
            terms=[Term("国务院新闻办公室", "zh-CN", TermStatus.PREFERRED),
                   Term("State Council Information Office", "en", TermStatus.PREFERRED),
                   Term("Information Office of China's State Council", "en",
                        TermStatus.DEPRECATED)],
            subject="state institutions",
        ),
    ]


class FormatContract:
    """Subclass with ``format_name``, ``extension``; ``carries`` names what survives."""

    format_name = ""
    extension = ""
    carries: set[str] = {"zh", "en"}
    can_write = True

    def _write(self, entries: list[Entry], path: Path) -> None:
        get(self.format_name).write(entries, path)

    def _read(self, path: Path) -> list[Entry]:
        return list(get(self.format_name).read(path))

    def test_zero_byte_file(self, tmp_path: Path) -> None:
        path = tmp_path / f"empty{self.extension}"
        path.write_bytes(b"")
        with pytest.raises(FormatError) as info:
            self._read(path)
        assert str(path) in str(info.value)

    def test_directory_is_refused(self, tmp_path: Path) -> None:
        path = tmp_path / f"dir{self.extension}"
        path.mkdir()
        with pytest.raises(FormatError, match="is a directory"):
            self._read(path)

    def test_binary_garbage(self, tmp_path: Path) -> None:
        path = tmp_path / f"garbage{self.extension}"
        path.write_bytes(bytes(range(256)) * 8)
        try:
            self._read(path)
        except FormatError as exc:
            assert str(path) in str(exc)

    def test_round_trip(self, tmp_path: Path) -> None:
        if not self.can_write:
            pytest.skip("read-only format")
        path = tmp_path / f"out{self.extension}"
        self._write(sample_entries(), path)
        back = self._read(path)
        by_zh = {e.zh: e for e in back}
        for original in sample_entries():
            got = by_zh[original.zh]
            if "en" in self.carries:
                assert got.en == original.en
            if "statuses" in self.carries:
                assert {t.text: t.status for t in got.en_terms} == {
                    t.text: t.status for t in original.en_terms}
            if "subject" in self.carries:
                assert got.subject == original.subject
            if "review" in self.carries:
                assert got.review == original.review

    def test_deprecated_never_a_translation(self, tmp_path: Path) -> None:
        if not self.can_write:
            pytest.skip("read-only format")
        path = tmp_path / f"out{self.extension}"
        self._write(sample_entries(), path)
        for entry in self._read(path):
            assert entry.en != "Information Office of China's State Council"

    def test_failed_write_leaves_nothing(self, tmp_path: Path) -> None:
        if not self.can_write:
            pytest.skip("read-only format")

        def broken():
            yield sample_entries()[0]
            raise RuntimeError("disk full")

        path = tmp_path / f"out{self.extension}"
        with pytest.raises(RuntimeError):
            get(self.format_name).write(broken(), path)
        assert list(tmp_path.iterdir()) == []
