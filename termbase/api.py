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

from termbase import rules
from termbase.api_files import FileServices
from termbase.api_moderation import ModerationMixin, parse_status
from termbase.errors import (
    InvalidValueError,
    NotFoundError,
    OutputError,
    ReadOnlyError,
    TermbaseError,
)
from termbase.fileio import STDOUT, check_output, shown_name, unique_path
from termbase.model import Entry, EntryType, HistoryRecord, Review, Role, day_span
from termbase.store import SEE_DOCTOR as SEE_DOCTOR  # re-exported for the doctor command
from termbase.store import Store, check_backup
from termbase.textfmt import echo

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
ENV_ROLE = "TERMBASE_ROLE"

SEED_GLOSSARY = "development-and-security.tbx"

#: What ``export --review`` accepts: rejected entries are never exported.
EXPORT_REVIEWS = ("approved", "proposed", "all")


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


class Termbase(ModerationMixin, FileServices):
    """A termbase on one SQLite file.

    Args:
        path: database file; default :func:`default_db_path`.
        user: name recorded in the history; default :func:`default_user`.
        role: the role of *user* when a method is given no actor (default
            ``admin``: the owner of a local file).  The writes and their
            review rules are in :class:`termbase.api_moderation.ModerationMixin`.
        seed: load the seed glossary when the file is created.  Default:
            only for the default database (``path`` not given).
        clock: function returning the current time string (tests fix it).
        create: create the file when it does not exist (``False``: a missing
            file is a DatabaseError naming it, so a mistyped path is noticed).
        readonly: open without the right to write (searches work, writes
            raise ReadOnlyError).  A file that cannot be written is opened so
            anyway.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        user: str | None = None,
        role: Role | str = Role.ADMIN,
        seed: bool | None = None,
        clock: Callable[[], str] | None = None,
        create: bool = True,
        readonly: bool = False,
    ) -> None:
        db_path = os.fspath(path) if path is not None else default_db_path()
        self.user = user or default_user()
        rules.check_text(self.user, "user name", multiline=False)
        is_new = db_path == ":memory:" or not os.path.exists(db_path)
        self.store = Store(db_path, create=create, readonly=readonly)
        self.path = db_path
        try:
            self.role = Role(role)
        except ValueError:
            choices = ", ".join(r.value for r in Role)
            raise InvalidValueError(f"unknown role {role!r}; choose one of: {choices}") from None
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

    def list_entries(
        self,
        *,
        review: str | None = None,
        status: str | None = None,
        subject: str | None = None,
        lang: str | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        """Entries by filters alone, no query (in id order): a *review* state, a
        *subject*, a term *status* (an entry with any term of that status) and
        *lang* (with any term in that language)."""
        if limit is not None:
            rules.check_limit(limit)
        ids = self.store.filtered_entry_ids(
            review=self._review(review).value if review and review != "all" else None,
            subject=self._subject(subject),
            status=parse_status(status).value if status else None,
            lang=self._lang(lang),
            limit=limit,
        )
        return self.store.get_entries(ids)

    def history(self, ref: int | str | None = None, limit: int = 50) -> list[HistoryRecord]:
        """Audit records, newest first; for one entry when *ref* is given."""
        if ref is None:
            return self.store.history(None, limit)
        if (isinstance(ref, int) or ref.isdigit()) and not self.store.entry_exists(int(ref)):
            merged_into = self.store.redirect_of(int(ref))
            if merged_into is None:
                if not self.store.id_was_used(int(ref)):
                    raise NotFoundError(f"no entry {ref}; find ids with 'termbase search QUERY'")
                return self.store.history(int(ref), limit)  # a deleted entry
            ref = merged_into
        entry_id = self.store.entry_id_for(ref)
        # a merged entry's history belongs to the entry it was merged into
        return self.store.history([entry_id, *self.store.redirects_into(entry_id)], limit)

    def stats(self) -> dict[str, Any]:
        """Counts by review state, language, status and subject."""
        return self.store.stats()

    def subjects(self) -> list[str]:
        """Every subject field in use."""
        return self.store.subjects()

    def review_queue(self, limit: int = 1000) -> list[int]:
        """Ids of entries waiting for review (proposed, or with a pending change), oldest first."""
        return self.store.entry_ids_where(review="proposed", with_pending=True, limit=limit)

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
        entry_type: str | EntryType | None = None,
    ) -> list[SearchHit]:
        """Entries matching *query* (Chinese, pinyin, traditional or English), best first.

        *entry_type* keeps entries of one :class:`~termbase.model.EntryType`
        (``term``, ``set-formulation``, ``slogan``, ``title``, ``event``,
        ``institution``, ``person``).
        """
        from termbase import search as _search

        rules.check_query(query)
        rules.check_limit(limit)
        rules.check_text(query, "query")
        for name, value in (("subject", subject), ("language", lang), ("source", source)):
            if value:
                rules.check_text(value, name)
        kind = None
        if entry_type:
            try:
                kind = EntryType(entry_type).value
            except ValueError:
                raise InvalidValueError(
                    f"unknown entry type {entry_type!r}; use one of "
                    + ", ".join(t.value for t in EntryType)
                ) from None
        if status:
            status = parse_status(status).value
        review = self._review(review).value if review and review != "all" else None
        subject = self._subject(subject)
        lang = self._lang(lang)
        return _search.search(
            self.store,
            query,
            limit=limit,
            status=status,
            review=review,
            subject=subject,
            lang=lang,
            source=source,
            entry_type=kind,
        )

    def _subject(self, value: str | None) -> str | None:
        """The subject field in use that *value* names, compared case-insensitively
        (None: no filter); InvalidValueError listing the subjects in use otherwise."""
        if not value:
            return None
        subjects = self.subjects()
        for subject in subjects:
            if subject.casefold() == value.casefold():
                return subject
        raise InvalidValueError(
            f"no entry has the subject {echo(value)!r}; subjects in use: "
            + (", ".join(subjects) or "none yet")
        )

    def _lang(self, value: str | None) -> str | None:
        """*value* when some term's language is or starts with it (``zh`` covers
        ``zh-CN`` and ``zh-Hant``); InvalidValueError listing the languages otherwise."""
        if not value:
            return None
        langs = sorted(self.stats()["languages"])
        wanted = value.casefold()
        if not any(
            lang.casefold() == wanted or lang.casefold().startswith(wanted + "-") for lang in langs
        ):
            raise InvalidValueError(
                f"no term is in the language {echo(value)!r}; languages in use: "
                + (", ".join(langs) or "none yet")
            )
        return value

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
            actor=self.actor(actor),
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
            self.store.backup(unique_path(f"{self.path}.before-import"))
        bad: list[Any] = []
        if options.get("skip_bad_lines"):
            options.setdefault("skipped", bad)  # the reader lists each row it leaves out
        if source_name:
            rules.check_text(source_name, "source name", multiline=False)
        expect = getattr(progress, "expect", None)
        if expect is not None and hasattr(module, "count_units"):
            expect(module.count_units(p))  # the progress bar's total, for its ETA
        entries = module.read(p, **options)
        if source_name:
            entries = _with_source(entries, source_name)
        report = self.import_entries(
            entries,
            on_conflict=on_conflict,
            dry_run=dry_run,
            origin=shown_name(p),
            actor=actor,
            progress=progress,
        )
        report.bad_lines = len(options.get("skipped", bad))
        return report

    def export_file(
        self,
        path: str | os.PathLike[str],
        *,
        format: str | None = None,
        review: str = "approved",
        langs: list[str] | None = None,
        subject: str | None = None,
        progress: Callable[[int], None] | None = None,
        force: bool = False,
        **options: Any,
    ) -> int:
        """Export entries to a file; returns how many entries were written.

        *review* is ``approved`` (default), ``proposed`` or ``all`` (both,
        proposed ones marked in the format's own way).  Rejected entries are
        never exported: no CAT tool must offer them as terms.  Pending
        changes are not in the entry tables, so they are never exported either.

        Written as :mod:`termbase.fileio` says: a failed export never leaves
        half a file, ``-`` is standard output, devices and pipes are streamed
        to.  The open database is never written over; another SQLite file
        only with *force*.
        """
        from termbase import formats

        p = self.output_target(path, force=force)
        writable = ", ".join(formats.names(writing=True))
        name = format or formats.by_extension(p)
        if name is None:
            ext = os.path.splitext(p)[1].lower() or "(none)"
            raise InvalidValueError(
                f"{p}: cannot tell the format from the extension {ext}; "
                f"pass --format with one of: {writable}"
            )
        fmt = formats.info(name)
        if not fmt.writes:
            raise InvalidValueError(
                f"the {fmt.name} format cannot be exported (it is read-only); "
                f"export to one of: {writable}"
            )
        subject = self._subject(subject)
        for lang in langs or []:
            self._lang(lang)
        module = fmt.load()
        if review not in EXPORT_REVIEWS:
            raise InvalidValueError(
                f"unknown --review {review!r} for an export; choose one of: "
                + ", ".join(EXPORT_REVIEWS)
            )
        entries: Iterable[Entry] = (
            e
            for e in self.entries(review=None if review == "all" else review, subject=subject)
            if e.review is not Review.REJECTED
        )
        if langs:
            entries = _only_langs(entries, langs)
        if progress is not None:
            entries = _counting(entries, progress)
        return int(module.write(entries, p, **{**fmt.write_options, **options}))

    def output_target(self, path: str | os.PathLike[str], *, force: bool = False) -> str:
        """*path* as a str if an export or backup may write it, else OutputError.

        The rule is :func:`termbase.fileio.check_output` with this database.
        """
        return check_output(path, databases=[self.path], force=force)

    def backup(self, target: str | os.PathLike[str], *, force: bool = False) -> str:
        """Copy the database to *target* (safe while others use it).

        An existing *target* is replaced only with *force* (never the open
        database).  Written to a unique temporary name and renamed, so
        *target* is either the complete backup or untouched.
        """
        final = self.output_target(target, force=force)
        if final == STDOUT:
            raise OutputError("a backup is a database file; give a file name, not -")
        if os.path.lexists(final) and not force:
            raise OutputError(
                f"{final}: already exists; choose a new name, or pass --force to replace it"
            )
        return self.store.backup(final)

    def restore(self, source: str | os.PathLike[str]) -> str:
        """Replace the database with the backup *source*; returns the safety copy's path.

        The backup is opened read-only and checked first (a termbase file,
        not newer than this version, passing SQLite's integrity check); it is
        never modified.  The current content is first saved to a new,
        uniquely named safety copy beside the database (``DB.before-restore-
        TIME.bak``), which no later restore overwrites.
        """
        src = os.fspath(source)
        if self.path != ":memory:" and os.path.exists(src) and os.path.samefile(src, self.path):
            raise InvalidValueError(f"{src}: is the open database itself; choose a backup file")
        check_backup(src)
        safety = self.store.backup(unique_path(f"{self.path}.before-restore"))
        self.store.restore_from(src)
        return safety

    def doctor(self, *, repair: bool = False) -> list[str]:
        """Integrity and consistency problems, each with how to fix it ([] when healthy).

        Likely duplicate concepts (:meth:`likely_duplicates`) are listed too.
        With *repair*, what is derived from the data (the search and TM
        indexes, SQL indexes) is first made again: the file is copied to a
        new ``DB.before-repair-TIME.bak``, the structures are rebuilt in one
        transaction, and the file is checked again; the lines saying what was
        done start with :data:`REPAIRED`.  Missing or unreadable data is never
        "repaired" (that would hide its loss): it is reported with what to do
        (:func:`damage_advice`), never a traceback.
        """
        problems, state = self.store.health()
        if state == "damaged":
            return problems + damage_advice(self.path, repair=repair)
        done: list[str] = []
        if repair:
            done = [REPAIRED + line for line in self._repair()]
            problems, state = self.store.health()
        if state == "incomplete":
            return done + problems
        duplicates = [
            f"likely duplicate: entries {', '.join(f'#{i}' for i in ids)} share the Chinese "
            f"term {key}; join them with 'termbase merge {ids[0]} {ids[1]}', or give each its "
            "subject field if they are distinct concepts"
            for key, ids in self.likely_duplicates()
        ]
        return done + problems + duplicates

    def _repair(self) -> list[str]:
        """Copy the file aside, then rebuild what is derived in one transaction."""
        if self.store.readonly:
            raise ReadOnlyError(
                f"{self.path}: the database is read-only here; --repair writes it. Run it "
                "where the file and its folder can be written"
            )
        done = []
        if self.path != ":memory:":
            saved = self.store.backup(unique_path(f"{self.path}.before-repair"))
            done.append(f"saved the database as it was to {saved}")
        with self.store.transaction():
            done += self.store.repair_derived()
            self.tm.reindex()  # fills a rebuilt TM index from the stored pairs
        return done

    @staticmethod
    def format_names(*, reading: bool = False, writing: bool = False) -> list[str]:
        """The names ``import_file`` (*reading*) and ``export_file`` (*writing*) accept
        as ``format``."""
        from termbase import formats

        return formats.names(reading=reading, writing=writing)

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

    def recognize(self, units: Iterable[str]) -> tuple[list[Found], EntryCache]:
        """Known terms in *units* (texts): ``(found, entry cache)``; see :mod:`termbase.qa`."""
        from termbase import qa

        return qa.recognize(self.store, self.recognizer(), units)

    def check(
        self,
        segments: list[Segment],
        *,
        include_proposed: bool = False,
        as_of: str | None = None,
    ) -> CheckReport:
        """Check translations against the termbase; a :class:`termbase.qa.CheckReport`.

        *as_of* (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; default: the
        segments' own latest date, else today) is the day renderings with
        dates of use are judged at.
        """
        from termbase import qa

        if as_of is not None:
            try:
                day_span(as_of)
            except ValueError as exc:
                raise InvalidValueError(f"--as-of: {exc}") from None
        return qa.check(
            self.store,
            self.recognizer(),
            segments,
            include_proposed=include_proposed,
            as_of=as_of,
        )

    def score(self, hyp: list[str], ref: list[str], src: list[str] | None = None) -> Scores:
        """BLEU, chrF, TER and terminology metrics; a :class:`termbase.score.Scores`."""
        from termbase import score as _score

        return _score.score(hyp, ref, src, store=self.store, recognizer=self.recognizer)

    def extract(
        self,
        text: str | Iterable[str],
        *,
        limit: int = 50,
        min_freq: int = 2,
        lang: str | None = None,
    ) -> list[Candidate]:
        """Term candidates of *text* (a string, or a document's lines) not yet in the
        termbase (see :func:`termbase.extract.extract`)."""
        from termbase import extract as _extract

        return _extract.extract(self.store, text, limit=limit, min_freq=min_freq, lang=lang)

    def add_candidates(self, candidates: list[Candidate], document: str) -> list[Entry]:
        """Store *candidates* as proposed entries citing *document*, for review."""
        from termbase import extract as _extract

        return [
            self.add(entry, comment="proposed by termbase extract")
            for entry in _extract.candidate_entries(candidates, document)
        ]


#: How the lines of :meth:`Termbase.doctor` that say what ``--repair`` did begin
#: (every other line is a problem).
REPAIRED = "repaired: "


#: What ``doctor --repair`` says of damage it leaves alone (a line of its own).
NOT_REPAIRED = (
    "nothing was repaired: --repair makes again only what is derived from the data "
    "(indexes, the search and TM indexes); lost data comes back only from a backup, "
    "or as much as can still be read by --recover"
)


def diagnose(path: str | os.PathLike[str], *, repair: bool = False) -> list[str]:
    """What is wrong with a database file that cannot be opened, and what to do.

    Reads the file read-only, whatever its state (``termbase doctor`` on a
    file the facade refuses to open).
    """
    from termbase.store import diagnose as _diagnose

    p = os.fspath(path)
    return _diagnose(p) + damage_advice(p, repair=repair)


def damage_advice(path: str, *, repair: bool = False) -> list[str]:
    """What to do about a damaged database: which backups exist, and ``--recover``
    (after :data:`NOT_REPAIRED` when a *repair* was asked for)."""
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    backups = sorted(
        (
            e.path
            for e in os.scandir(folder)
            if e.name.startswith(base)
            and e.name.endswith(".bak")
            and not e.name.startswith(f"{base}.before-repair")  # as damaged as the file
        ),
        key=os.path.getmtime,
        reverse=True,
    )
    advice = [NOT_REPAIRED] if repair else []
    advice += [
        f"save what can still be read into a new file: "
        f"termbase --db {path} doctor --recover {path}.recovered"
    ]
    if backups:
        advice.append(
            f"or restore the newest backup: termbase --db {path}.recovered restore "
            f"{backups[0]} (backups here, newest first: "
            + ", ".join(os.path.basename(b) for b in backups[:3])
            + ")"
        )
    else:
        advice.append("or restore a backup you keep elsewhere: termbase restore FILE")
    return advice


def recover(path: str | os.PathLike[str], target: str | os.PathLike[str]) -> dict[str, Any]:
    """Copy what SQLite can still read of the damaged database *path* into a new *target*.

    Returns per table (rows recovered, rows the damaged file claims).  The
    damaged file is not changed.
    """
    from termbase.store import recover as _recover

    return dict(_recover(os.fspath(path), os.fspath(target)))


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
