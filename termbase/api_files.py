"""Facade services on the caller's own files: read them, call the facade, write the result.

:class:`FileServices` is mixed into both :class:`termbase.api.Termbase` and
:class:`termbase.remote.RemoteTermbase`: the file is read (or written) on
the machine of whoever holds the facade, with the same readers, and only
its text reaches ``recognize``, ``check``, ``score`` or ``extract`` —
locally a method call, remotely a request to the team server.  One copy of
each, whichever facade a front end holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from termbase.extract import Candidate
    from termbase.model import Entry
    from termbase.qa import CheckReport, EntryCache, Found
    from termbase.score import Scores


class FileServices:
    """``*_file`` variants of the text services, and the document glossary writer."""

    # provided by the facade that mixes this in
    recognize: Callable[..., Any]
    check: Callable[..., Any]
    score: Callable[..., Any]
    extract: Callable[..., Any]

    def recognize_file(
        self, path: str, *, format: str | None = None, encoding: str | None = None
    ) -> tuple[list[Found], EntryCache]:
        """Known terms in a plain text file (by line) or in the source side of a
        bilingual file (TMX, XLIFF, PO, TSV; *format* or the extension says which);
        *encoding* decodes a plain text or TSV/CSV file (default: detected)."""
        from termbase import qa

        return self.recognize(qa.iter_source_units(path, format, encoding))

    def write_glossary(self, entries: list[Entry], path: str, *, review: str = "approved") -> int:
        """Write *entries* (those a document uses) as a glossary: .tbx, .tmx, .csv or .po;
        approved entries unless *review* is ``proposed`` or ``all``."""
        from termbase import qa

        return qa.write_glossary(entries, path, review=review)

    def check_file(
        self,
        path: str,
        target: str | None = None,
        *,
        format: str | None = None,
        include_proposed: bool = False,
        as_of: str | None = None,
        encoding: str | None = None,
    ) -> CheckReport:
        """Check a bilingual file (TMX, XLIFF, PO, TSV), or two line-aligned text files
        (*path* and its translation *target*), as of the day *as_of* (see ``check``)."""
        from termbase import qa

        segments = qa.read_bilingual(path, target, format, encoding)
        return self.check(segments, include_proposed=include_proposed, as_of=as_of)

    def score_files(
        self, hyp: str, ref: str, src: str | None = None, *, encoding: str | None = None
    ) -> Scores:
        """:meth:`score` of three line-aligned text files (*src* optional)."""
        from termbase import qa

        srcs = qa.read_lines(src, encoding) if src else None
        return self.score(qa.read_lines(hyp, encoding), qa.read_lines(ref, encoding), srcs)

    def extract_file(
        self,
        path: str,
        *,
        limit: int = 50,
        min_freq: int = 2,
        lang: str | None = None,
        encoding: str | None = None,
    ) -> list[Candidate]:
        """:meth:`extract` on the text of the file *path*, streamed line by line."""
        from termbase import qa

        lines = qa.TextLines(path, encoding)
        return self.extract(lines, limit=limit, min_freq=min_freq, lang=lang)
