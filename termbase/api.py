"""The ``Termbase`` facade: the one service API that every front end uses.

The CLI (``termbase.cli``) and the Textual app (``tui``) call only this
class.  It owns the rules of the domain: who did what and when (history),
optimistic locking (``version``), review decisions, term statuses, and the
orchestration of search, import and export.  SQL lives in
:mod:`termbase.store`, file formats in :mod:`termbase.formats`.
"""

from __future__ import annotations

import copy
import getpass
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from termbase import changes, rules
from termbase.errors import InvalidValueError, NotFoundError, TermbaseError
from termbase.model import Entry, HistoryRecord, Review, Term, TermStatus
from termbase.store import Store

if TYPE_CHECKING:
    from termbase.extract import Candidate
    from termbase.merge import ImportReport
    from termbase.model import Segment
    from termbase.qa import CheckReport, EntryCache, Found
    from termbase.recognize import BuildInfo, Recognizer
    from termbase.score import Scores
    from termbase.search import SearchHit
    from termbase.tm import TranslationMemory

#: Environment variables read by :func:`default_db_path` and :func:`default_user`.
ENV_DB = "TERMBASE_DB"
ENV_USER = "TERMBASE_USER"

SEED_GLOSSARY = "development-and-security.tbx"


def default_db_path() -> str:
    """``$TERMBASE_DB``, else ``termbase.sqlite`` in the user's data directory."""
    env = os.environ.get(ENV_DB)
    if env:
        return env
    import platformdirs

    return os.path.join(platformdirs.user_data_dir("termbase", appauthor=False), "termbase.sqlite")


def default_user() -> str:
    """``$TERMBASE_USER``, else the login name."""
    env = os.environ.get(ENV_USER)
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name (containers)
        return "unknown"


def seed_glossary_path() -> str:
    """Path of the seed glossary shipped with the package (or the repository)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (
        os.path.join(here, "glossaries", SEED_GLOSSARY),
        os.path.join(os.path.dirname(here), "glossaries", SEED_GLOSSARY),
    ):
        if os.path.exists(candidate):
            return candidate
    raise NotFoundError(
        f"the seed glossary {SEED_GLOSSARY} is missing from the installation; reinstall termbase"
    )


class Termbase:
    """A termbase on one SQLite file.

    Args:
        path: database file; default :func:`default_db_path`.
        user: name recorded in the history; default :func:`default_user`.
        seed: load the seed glossary when the file is created.  Default:
            only for the default database (``path`` not given).
        clock: function returning the current time string (tests fix it).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        user: str | None = None,
        seed: bool | None = None,
        clock: Callable[[], str] | None = None,
    ) -> None:
        db_path = os.fspath(path) if path is not None else default_db_path()
        is_new = db_path == ":memory:" or not os.path.exists(db_path)
        self.store = Store(db_path)
        self.path = db_path
        self.user = user or default_user()
        self.clock: Callable[[], str] = clock or rules.utcnow
        self._tm: TranslationMemory | None = None
        # (state key, recogniser, build info) of the last automaton loaded
        self._recognizer: tuple[Any, Recognizer, BuildInfo] | None = None
        if seed is None:
            seed = path is None
        if is_new and seed:
            self.load_seed()

    # ----------------------------------------------------------------- basics
    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Termbase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load_seed(self) -> ImportReport:
        """Import the seed glossary shipped in ``glossaries/``."""
        return self.import_file(seed_glossary_path(), actor="seed")

    # ------------------------------------------------------------------ reads
    def get(self, ref: int | str) -> Entry:
        """The entry with id or uuid *ref* (NotFoundError when there is none)."""
        return self.store.get_entry(ref)

    def entries(self, *, review: str | None = None, subject: str | None = None) -> Iterator[Entry]:
        """Every entry, streamed, optionally filtered by review state and subject."""
        review = self._review(review).value if review and review != "all" else None
        return self.store.iter_entries(review=review, subject=subject)

    def history(self, ref: int | str | None = None, limit: int = 50) -> list[HistoryRecord]:
        """Audit records, newest first; for one entry when *ref* is given."""
        if ref is None:
            return self.store.history(None, limit)
        if isinstance(ref, int) or ref.isdigit():
            return self.store.history(int(ref), limit)  # also for deleted entries
        return self.store.history(self.store.entry_id_for(ref), limit)

    def stats(self) -> dict[str, Any]:
        """Counts by review state, language, status and subject."""
        return self.store.stats()

    def subjects(self) -> list[str]:
        """Every subject field in use."""
        return self.store.subjects()

    def review_queue(self, limit: int = 1000) -> list[int]:
        """Ids of proposed entries, oldest first."""
        return self.store.proposed_ids(limit)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        status: str | None = None,
        review: str | None = None,
        subject: str | None = None,
        lang: str | None = None,
        source: str | None = None,
    ) -> list[SearchHit]:
        """Entries matching *query* (Chinese, pinyin, traditional or English), best first."""
        from termbase import search as _search

        if status:
            status = self._status(status).value
        review = self._review(review).value if review and review != "all" else None
        return _search.search(
            self.store,
            query,
            limit=limit,
            status=status,
            review=review,
            subject=subject,
            lang=lang,
            source=source,
        )

    # ----------------------------------------------------------------- writes
    def add(self, entry: Entry, *, actor: str | None = None, comment: str = "") -> Entry:
        """Store a new entry; returns it with its id and version set."""
        return changes.add(
            self.store, entry, now=self.clock(), actor=actor or self.user, comment=comment
        )

    def update(
        self, entry: Entry, *, comment: str = "", action: str = "update", actor: str | None = None
    ) -> Entry:
        """Save changes to an existing entry.

        ``entry.version`` must be the version that was read; if somebody else
        saved the entry since, ConflictError says who and when.
        """
        return changes.update(
            self.store,
            entry,
            now=self.clock(),
            actor=actor or self.user,
            action=action,
            comment=comment,
        )

    def _load_for_change(self, ref: int | str, expected_version: int | None) -> Entry:
        entry = self.store.get_entry(ref)
        if expected_version is not None and entry.id is not None:
            self.store.check_version(entry.id, expected_version)
        return entry

    def delete(
        self, ref: int | str, *, expected_version: int | None = None, comment: str = ""
    ) -> None:
        """Remove an entry (its history stays)."""
        with self.store.transaction():
            entry = self._load_for_change(ref, expected_version)
            assert entry.id is not None
            self.store.delete_entry(entry.id)
            changes.record(
                self.store,
                entry,
                "delete",
                entry,
                None,
                now=self.clock(),
                actor=self.user,
                comment=comment,
            )

    def approve(
        self, ref: int | str, *, comment: str = "", expected_version: int | None = None
    ) -> Entry:
        """Mark an entry approved by the current user."""
        with self.store.transaction():
            entry = self._load_for_change(ref, expected_version)
            entry.review = Review.APPROVED
            entry.reviewer = self.user
            entry.reviewed_at = self.clock()
            entry.review_comment = comment
            return self.update(entry, comment=comment, action="approve")

    def reject(self, ref: int | str, *, reason: str, expected_version: int | None = None) -> Entry:
        """Mark an entry rejected; a reason is required."""
        if not reason.strip():
            raise InvalidValueError("a rejection needs a reason (--reason TEXT)")
        with self.store.transaction():
            entry = self._load_for_change(ref, expected_version)
            entry.review = Review.REJECTED
            entry.reviewer = self.user
            entry.reviewed_at = self.clock()
            entry.review_comment = reason
            return self.update(entry, comment=reason, action="reject")

    def set_status(
        self,
        ref: int | str,
        term: str | int,
        status: str | TermStatus,
        *,
        lang: str | None = None,
        note: str | None = None,
        expected_version: int | None = None,
    ) -> Entry:
        """Change the status of one term of an entry.

        *term* is the term's text or id.  Making a term preferred demotes the
        previous preferred term of the same language to admitted.
        """
        new_status = self._status(status)
        with self.store.transaction():
            entry = self._load_for_change(ref, expected_version)
            target = self._find_term(entry, term, lang)
            old = target.status
            if new_status is TermStatus.PREFERRED:
                rules.make_preferred(entry, target)
            else:
                target.status = new_status
            if note is not None:
                target.note = note
            comment = f"{target.text!r} ({target.lang}): {old.value} → {new_status.value}"
            return self.update(entry, comment=comment, action="set-status")

    def add_term(
        self, ref: int | str, term: Term, *, expected_version: int | None = None, comment: str = ""
    ) -> Entry:
        """Add a term (a new rendering with its contexts and source) to an entry."""
        with self.store.transaction():
            entry = self._load_for_change(ref, expected_version)
            if term.status is TermStatus.PREFERRED:
                rules.make_preferred(entry, term)
            entry.terms.append(term)
            return self.update(
                entry, comment=comment or f"added {term.text!r} ({term.lang})", action="add-term"
            )

    @staticmethod
    def _find_term(entry: Entry, term: str | int, lang: str | None) -> Term:
        for t in entry.terms:
            if isinstance(term, int) or (isinstance(term, str) and term.isdigit()):
                if t.id == int(term):
                    return t
            elif t.text == term and (lang is None or t.lang.lower().startswith(lang.lower())):
                return t
        for t in entry.terms:  # case-insensitive second chance
            if isinstance(term, str) and t.text.casefold() == term.casefold():
                return t
        names = ", ".join(repr(t.text) for t in entry.terms)
        raise NotFoundError(f"entry {entry.id} has no term {term!r}; its terms are: {names}")

    @staticmethod
    def _status(value: str | TermStatus) -> TermStatus:
        try:
            return TermStatus(value)
        except ValueError:
            choices = ", ".join(s.value for s in TermStatus)
            raise InvalidValueError(f"unknown status {value!r}; choose one of: {choices}") from None

    @staticmethod
    def _review(value: str | Review) -> Review:
        try:
            return Review(value)
        except ValueError:
            choices = ", ".join(r.value for r in Review)
            raise InvalidValueError(
                f"unknown review state {value!r}; choose one of: {choices}"
            ) from None

    # ---------------------------------------------------- import and export
    def import_entries(
        self,
        entries: Iterable[Entry],
        *,
        on_conflict: str = "merge",
        dry_run: bool = False,
        origin: str = "",
        actor: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Merge *entries* into the termbase in one transaction (see :mod:`termbase.merge`)."""
        from termbase import merge

        return merge.run_import(
            self.store,
            entries,
            clock=self.clock,
            actor=actor or self.user,
            on_conflict=on_conflict,
            dry_run=dry_run,
            origin=origin,
            progress=progress,
        )

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        format: str | None = None,
        on_conflict: str = "merge",
        dry_run: bool = False,
        source_name: str | None = None,
        actor: str | None = None,
        progress: Callable[[int], None] | None = None,
        **options: Any,
    ) -> ImportReport:
        """Import a glossary file (TBX, TMX, PO, CSV/TSV, XLSX, CC-CEDICT).

        The format comes from *format*, else the content, else the extension.
        The import is one transaction: a file that fails half-way leaves the
        database exactly as before.
        """
        from termbase import formats
        from termbase.formats._io import check_readable_file

        p = check_readable_file(path)
        fmt = formats.info(format or formats.guess(p))
        if not fmt.reads:
            raise InvalidValueError(f"the {fmt.name} format cannot be imported")
        module = fmt.load()
        if on_conflict == "replace" and not dry_run and self.path != ":memory:":
            self.backup(f"{self.path}.before-import.bak")
        entries = module.read(p, **options)
        if source_name:
            entries = _with_source(entries, source_name)
        return self.import_entries(
            entries,
            on_conflict=on_conflict,
            dry_run=dry_run,
            origin=os.path.basename(p),
            actor=actor,
            progress=progress,
        )

    def export_file(
        self,
        path: str | os.PathLike[str],
        *,
        format: str | None = None,
        review: str = "all",
        langs: list[str] | None = None,
        subject: str | None = None,
        progress: Callable[[int], None] | None = None,
        **options: Any,
    ) -> int:
        """Export entries to a file; returns how many entries were written.

        Written to a temporary file and renamed at the end, so a failed
        export never leaves half a file.
        """
        from termbase import formats

        p = os.fspath(path)
        fmt = formats.info(format or formats.for_extension(p))
        if not fmt.writes:
            raise InvalidValueError(f"the {fmt.name} format cannot be exported; it is read-only")
        module = fmt.load()
        entries: Iterable[Entry] = self.entries(review=review, subject=subject)
        if langs:
            entries = _only_langs(entries, langs)
        if progress is not None:
            entries = _counting(entries, progress)
        return int(module.write(entries, p, **{**fmt.write_options, **options}))

    def backup(self, target: str | os.PathLike[str]) -> str:
        """Copy the database to *target* (safe while others use it).

        Written to a temporary name and renamed, so *target* is either the
        complete backup or untouched.
        """
        final = os.fspath(target)
        if os.path.isdir(final):
            raise InvalidValueError(f"{final}: is a directory; give a file name for the backup")
        tmp = f"{final}.part"
        try:
            self.store.backup(tmp)
            os.replace(tmp, final)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return final

    def restore(self, source: str | os.PathLike[str]) -> str:
        """Replace the database with the backup *source*; returns the safety copy's path.

        The backup is checked first (a termbase file, not newer than this
        version, passing SQLite's integrity check); the current content is
        saved beside the database before it is replaced.
        """
        src = os.fspath(source)
        checked = Store(src, create=False)
        try:
            problems = checked.integrity_problems()
        finally:
            checked.close()
        if problems:
            raise InvalidValueError(
                f"{src}: the backup is damaged ({problems[0]}); choose another backup"
            )
        safety = self.backup(f"{self.path}.before-restore.bak")
        self.store.restore_from(src)
        return safety

    def doctor(self, *, repair: bool = False) -> list[str]:
        """Integrity and consistency problems, each with how to fix it ([] when healthy).

        With *repair*, first creates missing indexes again and rebuilds the
        search index (the repairs that need no human decision).
        """
        if repair:
            self.store.schema_problems(repair=True)
            self.store.reindex()
        return (
            self.store.integrity_problems()
            + self.store.schema_problems()
            + self.store.consistency_problems()
        )

    @staticmethod
    def format_names() -> list[str]:
        """The names ``import_file`` and ``export_file`` accept as ``format``."""
        from termbase import formats

        return formats.names()

    # ------------------------------------------------------ other services
    @property
    def tm(self) -> TranslationMemory:
        """The translation memory (:class:`termbase.tm.TranslationMemory`)."""
        if self._tm is None:
            from termbase.tm import TranslationMemory

            self._tm = TranslationMemory(
                self.store, clock=self.clock, user=self.user, recognizer=self.recognizer
            )
        return self._tm

    def recognizer(self) -> Recognizer:
        """The term automaton of this termbase (cached on disk beside the database)."""
        from termbase import recognize as _recognize

        key = _recognize.state_key(self.store)
        if self._recognizer is None or self._recognizer[0] != key:
            rec, info = _recognize.load_or_build(self.store, self.path)
            self._recognizer = (key, rec, info)
        return self._recognizer[1]

    def recognizer_info(self) -> BuildInfo:
        """How the automaton was obtained last (:class:`termbase.recognize.BuildInfo`)."""
        self.recognizer()
        assert self._recognizer is not None
        return self._recognizer[2]

    def recognize(self, units: list[str]) -> tuple[list[Found], EntryCache]:
        """Known terms in *units* (texts): ``(found, entry cache)``; see :mod:`termbase.qa`."""
        from termbase import qa

        return qa.recognize(self.store, self.recognizer(), units)

    def recognize_file(
        self, path: str, *, format: str | None = None
    ) -> tuple[list[Found], EntryCache]:
        """Known terms in a plain text file (by line) or in the source side of a
        bilingual file (TMX, XLIFF, PO, TSV; *format* or the extension says which)."""
        from termbase import qa

        return self.recognize(qa.read_source_units(path, format))

    def write_glossary(self, entries: list[Entry], path: str) -> int:
        """Write *entries* (those a document uses) as a glossary: .tbx, .tmx, .csv or .po."""
        from termbase import qa

        return qa.write_glossary(entries, path)

    def check(self, segments: list[Segment], *, include_proposed: bool = False) -> CheckReport:
        """Check translations against the termbase; a :class:`termbase.qa.CheckReport`."""
        from termbase import qa

        return qa.check(self.store, self.recognizer(), segments, include_proposed=include_proposed)

    def check_file(
        self,
        path: str,
        target: str | None = None,
        *,
        format: str | None = None,
        include_proposed: bool = False,
    ) -> CheckReport:
        """Check a bilingual file (TMX, XLIFF, PO, TSV), or two line-aligned text files
        (*path* and its translation *target*)."""
        from termbase import qa

        segments = qa.read_bilingual(path, target, format)
        return self.check(segments, include_proposed=include_proposed)

    def score(self, hyp: list[str], ref: list[str], src: list[str] | None = None) -> Scores:
        """BLEU, chrF, TER and terminology metrics; a :class:`termbase.score.Scores`."""
        from termbase import score as _score

        return _score.score(hyp, ref, src, store=self.store, recognizer=self.recognizer)

    def score_files(self, hyp: str, ref: str, src: str | None = None) -> Scores:
        """:meth:`score` of three line-aligned text files (*src* optional)."""
        from termbase import qa

        srcs = qa.read_lines(src) if src else None
        return self.score(qa.read_lines(hyp), qa.read_lines(ref), srcs)

    def extract_file(
        self, path: str, *, limit: int = 50, min_freq: int = 2, lang: str | None = None
    ) -> list[Candidate]:
        """:meth:`extract` on the text of the file *path*."""
        from termbase import qa

        return self.extract(qa.read_document(path), limit=limit, min_freq=min_freq, lang=lang)

    def extract(
        self, text: str, *, limit: int = 50, min_freq: int = 2, lang: str | None = None
    ) -> list[Candidate]:
        """Term candidates of *text* not yet in the termbase (see :mod:`termbase.extract`)."""
        from termbase import extract as _extract

        return _extract.extract(
            self.store, self.recognizer, text, limit=limit, min_freq=min_freq, lang=lang
        )

    def add_candidates(self, candidates: list[Candidate], document: str) -> list[Entry]:
        """Store *candidates* as proposed entries citing *document*, for review."""
        from termbase import extract as _extract

        return [
            self.add(entry, comment="proposed by termbase extract")
            for entry in _extract.candidate_entries(candidates, document)
        ]


def _with_source(entries: Iterable[Entry], source_name: str) -> Iterator[Entry]:
    from termbase.model import Source

    src = Source(title=source_name)
    for entry in entries:
        if not any(s.title == source_name for s in entry.sources):
            entry.sources.append(copy.copy(src))
        yield entry


def _only_langs(entries: Iterable[Entry], langs: list[str]) -> Iterator[Entry]:
    wanted = [lang.lower() for lang in langs]
    for entry in entries:
        entry.terms = [
            t
            for t in entry.terms
            if any(t.lang.lower() == w or t.lang.lower().startswith(w + "-") for w in wanted)
        ]
        if entry.terms:
            yield entry


def _counting(entries: Iterable[Entry], progress: Callable[[int], None]) -> Iterator[Entry]:
    for entry in entries:
        yield entry
        progress(1)


__all__ = ["Termbase", "TermbaseError", "default_db_path", "default_user"]
