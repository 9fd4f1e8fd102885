"""The SQLite store: the only package in termbase that speaks SQL.

Contract:

* :class:`Store` opens (or creates) a database file, applies the recorded
  migrations (``PRAGMA user_version`` is the schema version; a file from a
  newer termbase is refused with :class:`~termbase.errors.DatabaseError`),
  and maps rows to the dataclasses of :mod:`termbase.model` and back.
* Every connection runs with ``journal_mode=WAL``, ``foreign_keys=ON`` and
  a busy timeout, so a second process waits instead of failing.
* Every write happens inside :meth:`Store.transaction`; nested calls join
  the outer transaction, so an import of many entries is one transaction
  and a failure leaves the file exactly as before.
* Entries carry a ``version``; :meth:`Store.check_version` raises
  :class:`~termbase.errors.ConflictError` naming who changed the entry and
  when, so nobody's decision is silently overwritten.
* Reads use plain :mod:`sqlite3` (``sqlite_utils`` imports numpy, far too
  slow for a one-shot search).  ``sqlite_utils``' introspection gives bulk
  inserts each table's column order; rows go in by ``executemany`` (2.1×
  less CPU than its ``insert_all`` for entries and terms, 2.4× for the
  search keys).
* ``termbase doctor`` compares the file with the schema the migrations
  build in memory; what is derived from the data (:data:`DERIVED_TABLES`,
  indexes) :meth:`Store.repair_derived` makes again, data it never invents.
* A large import drops the search-key index inside its transaction and
  builds it once at the end (:meth:`Store.defer_search_index`,
  :meth:`Store.build_search_index`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from termbase.errors import (
    ConflictError,
    DatabaseError,
    LockedError,
    NotFoundError,
    ReadOnlyError,
)
from termbase.fileio import SQLITE_MAGIC, atomic_path, unique_path
from termbase.model import (
    Authority,
    Context,
    Entry,
    EntryType,
    HistoryRecord,
    Review,
    Source,
    Term,
    TermStatus,
    TermType,
)
from termbase.store._chunks import IN_BATCH, in_batches, marks
from termbase.store.migrations import LATEST_VERSION, MIGRATIONS, REINDEX_AFTER
from termbase.store.moderation import ModerationStore

if TYPE_CHECKING:
    from termbase.store.index import SearchIndex
    from termbase.store.tm import SegmentTables

_REVIEWS = {r.value: r for r in Review}
_STATUSES = {s.value: s for s in TermStatus}
_TYPES = {t.value: t for t in TermType}
_ENTRY_TYPES = {t.value: t for t in EntryType}

BUSY_TIMEOUT_MS = 30_000

#: Ids per ``IN (...)`` query (well under SQLite's limit of host parameters).
CHUNK = 500


def _entry_columns(entry: Entry) -> tuple[Any, ...]:
    """The ``entries`` columns of *entry*, in table order, without version and id."""
    return (
        entry.uuid,
        entry.subject,
        entry.definition,
        entry.definition_zh,
        entry.note,
        entry.review.value,
        entry.reviewer,
        entry.reviewed_at,
        entry.review_comment,
        entry.created_at,
        entry.created_by,
        entry.updated_at,
        entry.updated_by,
    )


def _json(value: Any) -> str | None:
    """*value* as stored JSON (None stays NULL)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _check_path(path: str, create: bool) -> bool:
    """Refuse paths that are not (or cannot become) a database file; True when new."""
    if not path:
        raise DatabaseError("no database file given (--db is empty); give the path of a file")
    if path == ":memory:":
        return True
    if not os.path.exists(path):
        if os.path.islink(path):
            raise DatabaseError(f"{path}: is a link to nothing; point --db at a database file")
        if not create:
            raise DatabaseError(
                f"{path}: no such database; check the path, or create it with "
                f"'termbase --db {path} init'"
            )
        parent = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"{path}: cannot create its folder ({exc.strerror})") from exc
        return True
    if os.path.isdir(path):
        raise DatabaseError(f"{path}: is a directory; give the path of a database file")
    if not os.path.isfile(path):
        raise DatabaseError(
            f"{path}: is not a regular file (a device or a pipe); give the path of a database file"
        )
    size = os.path.getsize(path)
    if size == 0:
        if not create:
            raise DatabaseError(
                f"{path}: is empty (0 bytes), not a termbase; create one with "
                f"'termbase --db {path} init' after removing it"
            )
        return True
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise DatabaseError(
            f"{path}: is not a termbase database (not an SQLite file); termbase leaves it "
            "untouched. Point --db at a termbase file"
        )
    return False


def _writable(path: str) -> bool:
    """Can this process write the database and create its -wal/-shm files?"""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    """A connection with the busy timeout; read-only ones cannot write by any means."""
    if readonly and path != ":memory:":
        uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # a WAL database in a read-only folder: its -shm cannot be made; read the
            # file as it is (immutable), which is what a read-only medium holds anyway
            conn.close()
            conn = sqlite3.connect(
                uri + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False
            )
    else:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


#: Tables every termbase has had since schema 1.
_CORE_TABLES = ("migrations", "entries", "terms", "history")


#: The advice of an open error that ``termbase doctor`` itself replaces with its findings.
SEE_DOCTOR = " Run 'termbase doctor' on it, or restore a backup"


def termbase_problem(conn: sqlite3.Connection, version: int, *, new: bool) -> str:
    """Why the open file is not a termbase this version can use ('' when it is)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version < 0:
        return (
            f"records schema version {version}, which no termbase writes: another program "
            "changed it. Restore a backup with 'termbase restore FILE'"
        )
    if version == 0:
        if not tables:
            return ""  # an empty SQLite file: a new termbase
        shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
        return (
            f"is an SQLite database of another application (tables {shown}), not a termbase; "
            "termbase does not change it. Point --db at a termbase file"
        )
    if version > LATEST_VERSION:
        return (
            f"this database was written by a newer termbase (schema {version}; this version "
            f"knows up to {LATEST_VERSION}). Upgrade termbase (pip install -U termbase) to open it"
        )
    missing = [t for t in _CORE_TABLES if t not in tables]
    if missing:
        return (
            f"is not a termbase database, or a damaged one (no table {', '.join(missing)}); "
            f"termbase does not change it.{SEE_DOCTOR}"
        )
    applied = conn.execute("SELECT max(version) FROM migrations").fetchone()[0] or 0
    if applied != version:
        return (
            f"records schema version {version} but its tables are at version {applied}: "
            "another program changed the version number. Restore a backup with "
            "'termbase restore FILE'"
        )
    return ""


def locked_error(path: str) -> LockedError:
    """The database *path* stayed locked by another process for the whole busy
    timeout: who holds it (:func:`termbase.store.locks.write_lock_holder`, on
    Linux), and what to do."""
    from termbase.store.locks import write_lock_holder

    holder = write_lock_holder(path) or (
        "another process (an import, a restore, the terminal app or the team server?)"
    )
    return LockedError(
        f"{path}: the database is locked by {holder}, which held its write lock for "
        f"{BUSY_TIMEOUT_MS / 1000:g} s; nothing was written. Wait until it has finished, "
        "or close the app or server using the database, and try again"
    )


def _open_error(path: str, exc: sqlite3.DatabaseError) -> DatabaseError:
    """What an SQLite error on opening *path* really means, with what to do."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return locked_error(path)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyError(f"{path}: the database is read-only here ({text})")
    if "unable to open" in text:
        return DatabaseError(
            f"{path}: cannot open the file ({text}); check that it and its folder can be read"
        )
    return DatabaseError(
        f"{path}: the database file is damaged ({text}); run 'termbase --db {path} doctor' "
        "for what can be saved, or restore a backup with 'termbase restore FILE'"
    )


def check_backup(path: str) -> int:
    """Raise DatabaseError unless *path* is a sound termbase file; returns its schema.

    Opened read-only: nothing is written into the file, not even a -wal.
    """
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        raise DatabaseError(f"{path}: is empty (0 bytes), not a backup; nothing was restored")
    _check_path(path, create=False)
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.DatabaseError as exc:
        raise _open_error(path, exc) from exc
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        problem = termbase_problem(conn, version, new=False)
        if not problem and version == 0:
            problem = "is an empty SQLite file, not a termbase backup"
        if not problem:
            bad = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            if bad:
                problem = f"is damaged ({bad[0]})"
    except sqlite3.DatabaseError as exc:
        problem = f"is damaged ({exc})"
    finally:
        conn.close()
    if problem:
        raise DatabaseError(f"{path}: {problem}; nothing was restored. Choose another backup")
    return version


#: What a recovery copies: the tables users made, parents first.  The rest (search keys,
#: full-text and TM indexes, the migrations list) is built again by the new file.
RECOVERED_TABLES = (
    "sources",
    "entries",
    "entry_sources",
    "terms",
    "contexts",
    "history",
    "entry_redirects",
    "id_counters",
    "import_batches",
    "pending_changes",
    "segments",
    "users",
    "tokens",
)

#: Tables built entirely from others, by group: ``termbase doctor --repair`` drops
#: and creates a damaged group anew and fills it again.  The search index is built
#: from the terms (:mod:`termbase.store.index`), the TM index from the stored pairs
#: (:mod:`termbase.tm`).  An FTS5 table's shadow tables (``term_tri_data`` …) are
#: part of it.
DERIVED_TABLES = {
    "search index": ("term_keys", "term_tri", "term_words", "term_words_vocab"),
    "translation-memory index": ("tm_postings", "tm_meta", "tm_keys"),
}


def _derived_owner(name: str) -> str:
    """The derived table *name* is, or is a shadow table of (*name* when neither)."""
    members = [m for ms in DERIVED_TABLES.values() for m in ms]
    if name in members:
        return name
    owners = [m for m in members if name.startswith(m + "_")]
    return max(owners, key=len) if owners else name


def _derived_group(name: str) -> str | None:
    """The :data:`DERIVED_TABLES` group table *name* belongs to (None: data)."""
    owner = _derived_owner(name)
    return next((g for g, ms in DERIVED_TABLES.items() if owner in ms), None)


#: Rows skipped at a time past a page SQLite cannot read, and how often to try.
_SKIP_ROWS = 1000
_MAX_SKIPS = 10_000


def diagnose(path: str) -> list[str]:
    """What is wrong with the file at *path*, read-only, whatever its state ([] if sound).

    For ``termbase doctor`` when the file cannot be opened as a termbase at all.
    """
    try:
        conn = _connect(path, readonly=True)
    except sqlite3.DatabaseError as exc:
        return [f"SQLite cannot open the file ({exc})"]
    problems: list[str] = []
    try:
        try:
            problems += [r[0] for r in conn.execute("PRAGMA integrity_check(20)") if r[0] != "ok"]
        except sqlite3.DatabaseError as exc:
            problems.append(f"SQLite cannot read the file ({exc})")
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            problems += [f"table {t} is missing" for t in RECOVERED_TABLES[:6] if t not in tables]
        except sqlite3.DatabaseError as exc:
            problems.append(f"the list of tables cannot be read ({exc})")
    finally:
        conn.close()
    return problems


def _salvage(src: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of *table* SQLite can still read, in rowid order, skipping damaged pages."""
    names = ", ".join(columns)
    last = -(1 << 63)
    for _ in range(_MAX_SKIPS):
        try:
            for row in src.execute(
                f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid", (last,)
            ):
                last = row[0]
                yield tuple(row[1:])
            return
        except sqlite3.DatabaseError:
            last += _SKIP_ROWS  # past the page that cannot be read


def recover(source: str, target: str) -> dict[str, tuple[int, int]]:
    """Copy every row SQLite can still read from the damaged *source* into a new *target*.

    *target* must not exist; it gets the current schema, the rows, and a
    search index built anew.  *source* is opened read-only and not changed.
    Returns, per table, (rows recovered, rows the source claims to have) —
    the claim is -1 when even counting fails.
    """
    if os.path.lexists(target):
        raise DatabaseError(f"{target}: already exists; recover into a new file")
    try:
        src = _connect(source, readonly=True)
    except sqlite3.DatabaseError as exc:
        raise _open_error(source, exc) from exc
    counts: dict[str, tuple[int, int]] = {}
    dest = Store(target)
    try:
        try:
            present = {r[0] for r in src.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{source}: even the list of tables is unreadable ({exc})") from exc
        dest.conn.execute("PRAGMA foreign_keys = OFF")  # keep a row whose parent was lost
        with dest.transaction() as conn:
            for table in RECOVERED_TABLES:
                if table not in present:
                    continue
                try:
                    theirs = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
                    claimed = int(src.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                except sqlite3.DatabaseError:
                    claimed = -1
                    theirs = theirs if "theirs" in locals() else []
                ours = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                columns = [c for c in ours if c in theirs]
                if not columns:
                    continue
                conn.execute(f"DELETE FROM {table}")
                marks = ", ".join("?" * len(columns))
                cur = conn.executemany(
                    f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    _salvage(src, table, columns),
                )
                counts[table] = (max(cur.rowcount, 0), claimed)
        dest.conn.execute("PRAGMA foreign_keys = ON")
        dest.reindex()
    except BaseException:
        dest.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(target + suffix)
        raise
    finally:
        src.close()
    dest.close()
    return counts


class _Schema(NamedTuple):
    """The current schema, as the migrations build it."""

    #: ``(type, name, table, sql)`` of every table and index, in creation order
    objects: list[tuple[str, str, str, str]]
    #: each table's columns
    columns: dict[str, set[str]]
    #: the rows an FTS5 shadow table holds in a new, empty index
    shadow_rows: dict[str, list[tuple[Any, ...]]]


@functools.lru_cache(maxsize=1)
def _reference_schema() -> _Schema:
    """The current schema, built in memory by the same migrations (so it cannot
    drift from them)."""
    reference = Store(":memory:")
    try:
        rows = [
            (r[0], r[1], r[2], r[3])
            for r in reference.conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE sql IS NOT NULL ORDER BY rowid"
            )
        ]
        tables = [name for kind, name, _table, _sql in rows if kind == "table"]
        columns = {
            name: {c[1] for c in reference.conn.execute(f"PRAGMA table_info({name})")}
            for name in tables
        }
        shadow_rows = {
            name: [tuple(r) for r in reference.conn.execute(f"SELECT * FROM {name}")]
            for name in tables
            if _derived_owner(name) != name
        }
        return _Schema(rows, columns, shadow_rows)
    finally:
        reference.close()


class Store(ModerationStore):
    """One SQLite database file holding a termbase (and its translation memory)."""

    def __init__(
        self, path: str | os.PathLike[str], *, create: bool = True, readonly: bool = False
    ) -> None:
        self.path = os.fspath(path)
        self.readonly = readonly
        self._checked = False  # quick_check passed (run before the first write)
        new = _check_path(self.path, create)
        if not new and not readonly and not _writable(self.path):
            self.readonly = True  # still searchable; writes say why they cannot happen
        try:
            self.conn = _connect(self.path, readonly=self.readonly)
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _open_error(self.path, exc) from exc
        self._lock = threading.RLock()
        self._depth = 0
        self._db: Any = None
        self._segments: SegmentTables | None = None
        self._index: SearchIndex | None = None
        self._columns: dict[str, tuple[str, ...]] = {}  # table -> its columns, in order
        # source identity -> id, for sources known to exist (sources are never deleted)
        self._source_cache: dict[tuple[str, str, str, str, str], int] = {}
        # the search-key index statement while a bulk load has dropped it (None: in place)
        self._deferred_index: str | None = None
        try:
            problem = termbase_problem(self.conn, version, new=new)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise _open_error(self.path, exc) from exc
        if problem:
            self.conn.close()
            raise DatabaseError(f"{self.path}: {problem}")
        if not self.readonly and self.path != ":memory:":
            with contextlib.suppress(sqlite3.DatabaseError):
                self.conn.execute("PRAGMA journal_mode = WAL")
        self.migrated_from = version
        if version < LATEST_VERSION:
            if self.readonly:
                self.conn.close()
                raise ReadOnlyError(
                    f"{self.path}: the database needs an upgrade to schema {LATEST_VERSION} "
                    "but cannot be written (read-only); copy it somewhere writable first"
                )
            self._migrate(version)

    # ------------------------------------------------------------------ basics
    @property
    def db(self) -> Any:
        """A ``sqlite_utils.Database`` on the same connection (imported lazily)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @property
    def index(self) -> SearchIndex:
        """The lookups of the search index on this connection (:mod:`termbase.store.index`)."""
        if self._index is None:
            from termbase.store.index import SearchIndex

            self._index = SearchIndex(self.conn)
        return self._index

    @property
    def segments(self) -> SegmentTables:
        """The translation-memory tables on this connection (:mod:`termbase.store.tm`)."""
        if self._segments is None:
            from termbase.store.tm import SegmentTables

            self._segments = SegmentTables(self.conn)
        return self._segments

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self, *, dry_run: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one.

        With *dry_run*, what is written inside is rolled back at the end (a
        savepoint when nested), so a dry run takes exactly the path of the
        real thing and leaves nothing behind.

        The first write of a connection runs SQLite's ``quick_check`` first:
        nothing is written into a damaged file.  Lock and permission failures
        become :class:`LockedError` / :class:`ReadOnlyError` saying what to do.
        """
        with self._lock:
            deferred = self._deferred_index  # restored when a savepoint rolls back
            if self._depth == 0:
                self._before_first_write()
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as exc:
                    raise (self._write_error(exc) or exc) from exc
            elif dry_run:
                self.conn.execute("SAVEPOINT dry_run")
            self._depth += 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth -= 1
                if self._depth == 0:
                    self._roll_back()
                elif dry_run:
                    self._roll_back_savepoint(deferred)
                if isinstance(exc, sqlite3.OperationalError) and self._depth == 0:
                    better = self._write_error(exc)
                    if better is not None:
                        raise better from exc
                raise
            else:
                if dry_run:
                    self._depth -= 1
                    if self._depth == 0:
                        self._roll_back()
                    else:
                        self._roll_back_savepoint(deferred)
                    return
                if self._depth == 1 and self._deferred_index is not None:
                    self.build_search_index()  # never commit without the search index
                self._depth -= 1
                if self._depth == 0:
                    try:
                        self.conn.execute("COMMIT")
                    except sqlite3.OperationalError as exc:
                        with contextlib.suppress(sqlite3.Error):
                            self.conn.execute("ROLLBACK")
                        raise (self._write_error(exc) or exc) from exc

    def _before_first_write(self) -> None:
        if self.readonly:
            raise ReadOnlyError(
                f"{self.path}: the database is read-only (the file or its folder cannot be "
                "written); searching works, changes do not. Copy it somewhere writable, or "
                "ask for write permission"
            )
        if self._checked or self.path == ":memory:":
            return
        problems = self.quick_check()
        if problems:
            raise DatabaseError(
                f"{self.path}: the database is damaged ({problems[0]}); nothing was written. "
                f"Run 'termbase --db {self.path} doctor' to see what can be saved"
            )
        self._checked = True

    def quick_check(self) -> list[str]:
        """SQLite's ``quick_check`` ([] when the file's structure is sound)."""
        try:
            rows = self.conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        return [r[0] for r in rows if r[0] != "ok"]

    def _write_error(self, exc: sqlite3.OperationalError) -> Exception | None:
        """*exc* as what the user can do about it (None: no better words for it)."""
        text = str(exc)
        if "locked" in text or "busy" in text:
            return locked_error(self.path)
        if "readonly" in text or "read-only" in text:
            return ReadOnlyError(
                f"{self.path}: the database cannot be written ({text}); nothing was written. "
                "Check the permissions of the file and its folder"
            )
        if "disk is full" in text or "disk I/O" in text:
            return DatabaseError(f"{self.path}: {text}; nothing was written. Free some space")
        return None

    def _roll_back(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
            self.conn.execute("ROLLBACK")
        self._source_cache.clear()  # may name rows that were rolled back
        self._deferred_index = None  # the DROP INDEX was rolled back too

    def _roll_back_savepoint(self, deferred: str | None) -> None:
        self.conn.execute("ROLLBACK TO dry_run")
        self.conn.execute("RELEASE dry_run")
        self._source_cache.clear()
        self._deferred_index = deferred

    @property
    def schema_version(self) -> int:
        """The schema version recorded in the file."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, current: int) -> None:
        if current > 0 and self.path != ":memory:":
            self.backup(unique_path(f"{self.path}.before-v{LATEST_VERSION}"))
        for version, name, statements in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction() as conn:
                for stmt in statements:
                    conn.execute(stmt)
                conn.execute(
                    "INSERT INTO migrations(version, name, applied_at) VALUES (?, ?, "
                    "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    (version, name),
                )
                conn.execute(f"PRAGMA user_version = {int(version)}")
        if current > 0 and any(current < v for v in REINDEX_AFTER):
            self.reindex()  # the index code expects the newest schema

    def migrations_applied(self) -> list[tuple[int, str, str]]:
        """(version, name, applied_at) of every migration recorded in the file."""
        rows = self.conn.execute(
            "SELECT version, name, applied_at FROM migrations ORDER BY version"
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def backup(self, target: str) -> str:
        """Copy the database to *target* with SQLite's online backup API.

        Written to a unique temporary file beside *target* and renamed
        (:func:`termbase.fileio.atomic_path`): *target* is the complete copy
        or as it was.
        """
        with atomic_path(target) as tmp:
            dest = sqlite3.connect(tmp)
            try:
                with dest:
                    self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")  # a single file, no -wal
            finally:
                dest.close()
        return target

    # ----------------------------------------------------------------- sources
    def _source_id(self, source: Source | None) -> int | None:
        if source is None:
            return None
        rated = source.authority is not Authority.OTHER
        cached = self._source_cache.get(source.key())
        if cached is not None and not source.note and not rated:
            source.id = cached
            return cached
        row = self.conn.execute(
            "SELECT id FROM sources WHERE title=? AND author=? AND publisher=? AND date=? AND url=?",
            source.key(),
        ).fetchone()
        if row:
            if source.note:
                self.conn.execute(
                    "UPDATE sources SET note=? WHERE id=? AND note=''", (source.note, row[0])
                )
            if rated:  # a rating fills an unrated source, never overwrites one
                self.conn.execute(
                    "UPDATE sources SET authority=? WHERE id=? AND authority='other'",
                    (source.authority.value, row[0]),
                )
            source.id = int(row[0])
            self._source_cache[source.key()] = source.id
            return source.id
        cur = self.conn.execute(
            "INSERT INTO sources(title, author, publisher, date, url, note, authority) "
            "VALUES (?,?,?,?,?,?,?)",
            (*source.key(), source.note, source.authority.value),
        )
        source.id = int(cur.lastrowid or 0)
        self._source_cache[source.key()] = source.id
        return source.id

    def _sources_by_id(self, ids: Iterable[int | None]) -> dict[int, Source]:
        wanted = sorted({i for i in ids if i is not None})
        found: dict[int, Source] = {}
        for chunk in in_batches(wanted):
            for r in self.conn.execute(
                f"SELECT * FROM sources WHERE id IN ({marks(len(chunk))})", chunk
            ):
                found[r["id"]] = Source(
                    title=r["title"],
                    author=r["author"],
                    publisher=r["publisher"],
                    date=r["date"],
                    url=r["url"],
                    note=r["note"],
                    authority=Authority(r["authority"]),
                    id=r["id"],
                )
        return found

    # ----------------------------------------------------------------- entries
    def insert_entry(self, entry: Entry) -> int:
        """Insert *entry* with its terms, contexts and sources; returns the new id."""
        self.insert_entries([entry])
        return entry.id or 0

    def insert_entries(
        self, entries: list[Entry], *, batch_id: int | None = None, keep_ids: bool = False
    ) -> None:
        """Insert new entries with their terms, contexts, sources and search keys.

        An import's batch: one bulk insert per table (:meth:`_insert_rows`,
        ``executemany`` for the search keys) rather than several statements
        per entry.  Ids come from :meth:`allocate_ids`, so an id once used
        (by a deleted or merged entry) is never handed out again; with
        *keep_ids* the entries and terms keep the ids they carry (an
        undelete).  *batch_id* records the import batch that created them.
        """
        if not entries:
            return
        with self.transaction():
            if keep_ids:
                if any(entry.id is None for entry in entries):
                    raise NotFoundError("keep_ids needs entries that carry their id")
            else:
                first = self.allocate_ids("entries", len(entries))
                for number, entry in enumerate(entries):
                    entry.id = first + number
            rows = []
            for entry in entries:
                entry.version = max(entry.version, 1)
                rows.append(
                    (
                        entry.id,
                        *_entry_columns(entry),
                        entry.version,
                        batch_id,
                        entry.entry_type.value,
                    )
                )
            self._insert_rows("entries", rows)
            self._write_children(entries, keep_term_ids=keep_ids)

    def allocate_ids(self, table: str, count: int) -> int:
        """The first of *count* fresh ids for *table* (``entries`` or ``terms``).

        Never below an id the table holds nor below any id handed out before
        (``id_counters``), so the history of an id belongs to one row forever.
        """
        if table not in ("entries", "terms"):
            raise ValueError(f"no id counter for {table}")
        with self.transaction() as conn:
            row = conn.execute("SELECT last FROM id_counters WHERE name=?", (table,)).fetchone()
            last = int(row[0]) if row else 0
            highest = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            first = max(last, int(highest)) + 1
            conn.execute(
                "INSERT INTO id_counters(name, last) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET last=excluded.last",
                (table, first + count - 1),
            )
        return first

    def _insert_rows(self, table: str, rows: list[tuple[Any, ...]], ignore: bool = False) -> None:
        """Bulk insert of whole rows, in the table's column order, by ``executemany``.

        The column order and width come from the table itself (``sqlite_utils``'
        introspection, once per table), so they cannot drift from the schema;
        a row of the wrong width fails loudly.  ``executemany`` of plain tuples
        rather than ``sqlite_utils``' ``insert_all``, which builds and checks a
        dict per row: 300,000 entry and term rows took 1.8 s of CPU instead of
        3.8–4.0 s (docs/architecture.md).
        """
        columns = self._columns.get(table)
        if columns is None:
            columns = self._columns[table] = tuple(c.name for c in self.db[table].columns)
        if rows:
            verb = "INSERT OR IGNORE" if ignore else "INSERT"
            marks = ",".join("?" * len(columns))
            self.conn.executemany(f"{verb} INTO {table} VALUES ({marks})", rows)

    def update_entry(self, entry: Entry) -> None:
        """Overwrite the stored entry with *entry* (version already checked and bumped).

        Terms keep their ids: a term of *entry* whose id exists is updated in
        place (and moved to this entry if it belonged to another, as a merge
        does), a term without one is inserted with a fresh id, and stored
        terms that *entry* no longer lists are deleted.
        """
        from termbase.store import index

        if entry.id is None:
            raise NotFoundError("cannot update an entry that has no id; add it first")
        with self.transaction() as conn:
            cur = conn.execute(
                """UPDATE entries SET uuid=?, subject=?, definition=?, definition_zh=?, note=?,
                   review=?, reviewer=?, reviewed_at=?, review_comment=?, created_at=?,
                   created_by=?, updated_at=?, updated_by=?, version=?, entry_type=? WHERE id=?""",
                (*_entry_columns(entry), entry.version, entry.entry_type.value, entry.id),
            )
            if cur.rowcount == 0:
                raise NotFoundError(f"no entry with id {entry.id}")
            conn.execute("DELETE FROM entry_sources WHERE entry_id=?", (entry.id,))
            wanted = [t.id for t in entry.terms if t.id is not None]
            existing: set[int] = set()
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                existing.update(
                    r[0] for r in conn.execute(f"SELECT id FROM terms WHERE id IN ({marks})", chunk)
                )
            index.delete_entry(conn, entry.id)
            stored = conn.execute("SELECT id FROM terms WHERE entry_id=?", (entry.id,)).fetchall()
            conn.executemany(
                "DELETE FROM terms WHERE id=?", [(r[0],) for r in stored if r[0] not in existing]
            )
            for term_id in existing:
                conn.execute("DELETE FROM contexts WHERE term_id=?", (term_id,))
            # a term moved here from another entry leaves that entry's index
            own = {r[0] for r in stored}
            index.delete_terms(conn, sorted(t for t in existing if t not in own))
            for term in entry.terms:
                if term.id is not None and term.id not in existing:
                    term.id = None
            self._write_children([entry], keep_term_ids=True, existing=existing)

    def _delete_terms(self, entry_id: int) -> None:
        from termbase.store import index

        index.delete_entry(self.conn, entry_id)
        self.conn.execute("DELETE FROM terms WHERE entry_id=?", (entry_id,))

    def _write_children(
        self,
        entries: list[Entry],
        *,
        keep_term_ids: bool = False,
        existing: set[int] | None = None,
    ) -> None:
        """Terms, contexts, sources and search keys of *entries* (which have ids).

        Terms without an id get fresh ones; with *keep_term_ids* a term keeps
        the id it has, and the rows of the *existing* term ids are updated.
        """
        from termbase.store import index

        conn = self.conn
        existing = existing or set()
        fresh = sum(1 for e in entries for t in e.terms if t.id is None or not keep_term_ids)
        term_id = self.allocate_ids("terms", fresh) if fresh else 0
        ctx_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM contexts").fetchone()[0]
        links, terms, contexts, updates = [], [], [], []
        for entry in entries:
            assert entry.id is not None
            for pos, source in enumerate(entry.sources):
                links.append((entry.id, self._source_id(source), pos))
            for pos, term in enumerate(entry.terms):
                if term.id is None or not keep_term_ids:
                    term.id = term_id
                    term_id += 1
                row = (
                    term.id,
                    entry.id,
                    pos,
                    term.lang,
                    term.text,
                    term.status.value,
                    term.term_type.value,
                    term.pos,
                    term.note,
                    term.pinyin,
                    self._source_id(term.source),
                    term.used_from,
                    term.used_until,
                )
                if term.id in existing:
                    updates.append((*row[1:], term.id))
                else:
                    terms.append(row)
                for cpos, ctx in enumerate(term.contexts):
                    ctx.id = ctx_id
                    ctx_id += 1
                    source_id = self._source_id(ctx.source)
                    quotes_id = self._source_id(ctx.quotes)
                    contexts.append(
                        (
                            ctx.id,
                            term.id,
                            cpos,
                            ctx.text,
                            ctx.locator,
                            source_id,
                            ctx.text_zh,
                            quotes_id,
                        )
                    )
        self._insert_rows("entry_sources", links, ignore=True)
        if updates:
            conn.executemany(
                "UPDATE terms SET entry_id=?, position=?, lang=?, text=?, status=?, term_type=?, "
                "pos=?, note=?, pinyin=?, source_id=?, used_from=?, used_until=? WHERE id=?",
                updates,
            )
        self._insert_rows("terms", terms)
        self._insert_rows("contexts", contexts)
        index.index_entries(conn, entries, sort=self._deferred_index is None)

    def delete_entry(self, entry_id: int) -> None:
        """Remove an entry and everything that hangs off it (history stays)."""
        with self.transaction() as conn:
            self._delete_terms(entry_id)
            cur = conn.execute("DELETE FROM entries WHERE id=?", (entry_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"no entry with id {entry_id}")

    def entry_id_by_uuid(self, uuid: str) -> int | None:
        """The id of the entry with *uuid*, or None."""
        row = self.conn.execute("SELECT id FROM entries WHERE uuid=?", (uuid,)).fetchone()
        return None if row is None else int(row[0])

    def entry_id_for(self, ref: int | str) -> int:
        """Resolve an id, a numeric string or a uuid to an entry id.

        The id of an entry merged into another resolves to the surviving entry.
        """
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = self.conn.execute("SELECT id FROM entries WHERE id=?", (int(ref),)).fetchone()
            if row is None:
                merged_into = self.redirect_of(int(ref))
                if merged_into is not None and self.entry_exists(merged_into):
                    return merged_into
        elif ref.isascii():  # a uuid
            row = self.conn.execute("SELECT id FROM entries WHERE uuid=?", (ref,)).fetchone()
        else:
            row = None
        if row is None:
            raise NotFoundError(f"no entry {ref}; find ids with 'termbase search QUERY'")
        return int(row[0])

    def get_entry(self, ref: int | str) -> Entry:
        """The entry with id or uuid *ref*, with terms, contexts and sources."""
        entries = self.get_entries([self.entry_id_for(ref)])
        return entries[0]

    def get_entries(self, ids: list[int]) -> list[Entry]:
        """Entries for *ids*, in that order (missing ids are skipped).

        Five queries per IN_BATCH entries (entries, terms, contexts, sources, entry
        sources), read as plain tuples: an export rebuilds every entry here.
        """
        if not ids:
            return []
        result: dict[int, Entry] = {}
        cur = self.conn.cursor()
        cur.row_factory = None
        review_of, status_of, type_of = _REVIEWS, _STATUSES, _TYPES
        type_of_entry = _ENTRY_TYPES
        for chunk in in_batches(ids):
            qs = marks(len(chunk))
            for r in cur.execute(
                "SELECT id, uuid, subject, definition, definition_zh, note, review, reviewer, "
                "reviewed_at, review_comment, created_at, created_by, updated_at, updated_by, "
                f"version, entry_type FROM entries WHERE id IN ({qs})",
                chunk,
            ):
                result[r[0]] = Entry(
                    id=r[0],
                    uuid=r[1],
                    subject=r[2],
                    definition=r[3],
                    definition_zh=r[4],
                    note=r[5],
                    review=review_of[r[6]],
                    reviewer=r[7],
                    reviewed_at=r[8],
                    review_comment=r[9],
                    created_at=r[10],
                    created_by=r[11],
                    updated_at=r[12],
                    updated_by=r[13],
                    version=r[14],
                    entry_type=type_of_entry[r[15]],
                )
            trows = cur.execute(
                "SELECT id, entry_id, text, lang, status, term_type, pos, note, pinyin, source_id, "
                f"used_from, used_until FROM terms WHERE entry_id IN ({qs}) "
                "ORDER BY entry_id, position",
                chunk,
            ).fetchall()
            crows: list[tuple[Any, ...]] = []
            for tchunk in in_batches([t[0] for t in trows]):
                tmarks = marks(len(tchunk))
                crows.extend(
                    cur.execute(
                        "SELECT id, term_id, text, locator, source_id, text_zh, quotes_id "
                        "FROM contexts "
                        f"WHERE term_id IN ({tmarks}) ORDER BY term_id, position",
                        tchunk,
                    )
                )
            srows = cur.execute(
                f"SELECT entry_id, source_id FROM entry_sources WHERE entry_id IN ({qs}) "
                "ORDER BY entry_id, position",
                chunk,
            ).fetchall()
            source_ids = [t[9] for t in trows if t[9] is not None]
            source_ids += [i for c in crows for i in (c[4], c[6]) if i is not None]
            source_ids += [s[1] for s in srows]
            sources = self._sources_by_id(source_ids) if source_ids else {}
            contexts: dict[int, list[Context]] = {}
            for c in crows:
                contexts.setdefault(c[1], []).append(
                    Context(
                        text=c[2],
                        locator=c[3],
                        source=sources.get(c[4]),
                        quotes=sources.get(c[6]),
                        id=c[0],
                        text_zh=c[5],
                    )
                )
            for t in trows:
                entry = result.get(t[1])
                if entry is None:
                    continue
                entry.terms.append(
                    Term(
                        id=t[0],
                        text=t[2],
                        lang=t[3],
                        status=status_of[t[4]],
                        term_type=type_of.get(t[5]) or TermType(t[5]),
                        pos=t[6],
                        note=t[7],
                        pinyin=t[8],
                        source=sources.get(t[9]) if t[9] is not None else None,
                        contexts=contexts.get(t[0], []),
                        used_from=t[10],
                        used_until=t[11],
                    )
                )
            for s in srows:
                entry = result.get(s[0])
                if entry is not None and s[1] in sources:
                    entry.sources.append(sources[s[1]])
        return [result[i] for i in ids if i in result]

    def iter_entries(
        self, *, review: str | None = None, subject: str | None = None, batch: int = IN_BATCH
    ) -> Iterator[Entry]:
        """Every entry (optionally filtered), in id order, streamed in batches."""
        where, params = ["id > ?"], [0]
        if review:
            where.append("review = ?")
            params.append(review)  # type: ignore[arg-type]
        if subject:
            where.append("subject = ?")
            params.append(subject)  # type: ignore[arg-type]
        last = 0
        while True:
            params[0] = last
            ids = [
                r[0]
                for r in self.conn.execute(
                    f"SELECT id FROM entries WHERE {' AND '.join(where)} ORDER BY id LIMIT {batch}",
                    params,
                )
            ]
            if not ids:
                return
            yield from self.get_entries(ids)
            last = ids[-1]

    def filtered_entry_ids(
        self,
        *,
        review: str | None = None,
        subject: str | None = None,
        status: str | None = None,
        lang: str | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Ids of the entries in *review* state and *subject* that have a term of
        *status* in a language *lang*… (each filter optional), in id order."""
        where: list[str] = []
        params: list[Any] = []
        if review:
            where.append("e.review = ?")
            params.append(review)
        if subject:
            where.append("e.subject = ?")
            params.append(subject)
        term_where = []
        if status:
            term_where.append("t.status = ?")
            params.append(status)
        if lang:
            term_where.append("lower(t.lang) LIKE ?")
            params.append(lang.lower() + "%")
        if term_where:
            where.append(
                "EXISTS (SELECT 1 FROM terms t WHERE t.entry_id = e.id AND "
                + " AND ".join(term_where)
                + ")"
            )
        sql = "SELECT e.id FROM entries e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [int(r[0]) for r in self.conn.execute(sql, params)]

    def entry_ids_by_term(self, text: str, lang_prefix: str) -> list[int]:
        """Ids of entries having a term with exactly *text* in a language *lang_prefix*…"""
        rows = self.conn.execute(
            "SELECT DISTINCT entry_id FROM terms WHERE text=? AND lang LIKE ? ORDER BY entry_id",
            (text, lang_prefix + "%"),
        )
        return [r[0] for r in rows]

    def entry_ids_by_uuids(self, uuids: Iterable[str]) -> dict[str, int]:
        """``{uuid: id}`` of the stored entries among *uuids* (one query per IN_BATCH)."""
        wanted = sorted(set(uuids))
        found: dict[str, int] = {}
        for chunk in in_batches(wanted):
            for uuid, entry_id in self.conn.execute(
                f"SELECT uuid, id FROM entries WHERE uuid IN ({marks(len(chunk))})", chunk
            ):
                found[uuid] = entry_id
        return found

    def entry_ids_by_texts(self, texts: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
        """``{text: [(lang, entry id), …]}`` for the terms whose text is one of *texts*,
        in entry-id order (one query per IN_BATCH texts): :meth:`entry_ids_by_term`
        for a whole batch of an import."""
        wanted = sorted(set(texts))
        found: dict[str, list[tuple[str, int]]] = {}
        for chunk in in_batches(wanted):
            for text, lang, entry_id in self.conn.execute(
                f"SELECT text, lang, entry_id FROM terms WHERE text IN ({marks(len(chunk))}) "
                "ORDER BY entry_id",
                chunk,
            ):
                found.setdefault(text, []).append((lang, entry_id))
        return found

    def terms_fingerprint(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Counts and sums that change whenever a term or an entry is added, edited or
        deleted (the recogniser's cache key)."""
        terms = self.conn.execute("SELECT count(*), coalesce(max(id), 0) FROM terms").fetchone()
        entries = self.conn.execute(
            "SELECT count(*), coalesce(max(id), 0), coalesce(sum(version), 0), "
            "coalesce(sum(review = 'rejected'), 0) FROM entries"
        ).fetchone()
        return tuple(terms), tuple(entries)

    def recognizable_terms(self) -> Iterator[tuple[int, str, str]]:
        """``(entry id, lang, text)`` of every term of an entry that is not rejected."""
        rows = self.conn.execute(
            "SELECT t.entry_id, t.lang, t.text FROM terms t JOIN entries e ON e.id = t.entry_id "
            "WHERE e.review != 'rejected'"
        )
        for row in rows:
            yield int(row[0]), str(row[1]), str(row[2])

    def term_texts(self, lang_prefix: str) -> list[str]:
        """The text of every term in a language *lang_prefix*… (``zh`` takes zh-Hant too)."""
        rows = self.conn.execute("SELECT text FROM terms WHERE lang LIKE ?", (lang_prefix + "%",))
        return [str(r[0]) for r in rows]

    def proposed_ids(self, limit: int = 1000) -> list[int]:
        """Ids of entries waiting for review, oldest first."""
        rows = self.conn.execute(
            "SELECT id FROM entries WHERE review='proposed' ORDER BY id LIMIT ?", (limit,)
        )
        return [r[0] for r in rows]

    def check_version(self, entry_id: int, expected: int) -> None:
        """Raise ConflictError unless the stored version of *entry_id* is *expected*."""
        row = self.conn.execute(
            "SELECT version, updated_by, updated_at FROM entries WHERE id=?", (entry_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no entry with id {entry_id}")
        if row["version"] != expected:
            who = row["updated_by"] or "someone"
            when = row["updated_at"] or "an unknown time"
            raise ConflictError(
                f"entry {entry_id} was changed by {who} at {when} (now version "
                f"{row['version']}, you had version {expected}); reload it, check their "
                "change, and try again",
                entry_id=entry_id,
                changed_by=row["updated_by"],
                changed_at=row["updated_at"],
                current_version=row["version"],
            )

    # ----------------------------------------------------------------- history
    def add_history(self, record: HistoryRecord) -> None:
        """Append one audit record (inside the caller's transaction).

        Stored as the change (:mod:`termbase.store.history`): ``before`` as a
        patch on the entry's previous record, ``after`` as a patch on ``before``.
        """
        from termbase.store import history

        with self.transaction() as conn:
            base_id = None
            base: Any = None
            if record.entry_id is not None:
                row = conn.execute(
                    "SELECT max(id) FROM history WHERE entry_id=?", (record.entry_id,)
                ).fetchone()
                if row[0] is not None:
                    chain = self._snapshots(record.entry_id, int(row[0]))
                    if len(chain) < history.CHAIN and int(row[0]) in chain:
                        base_id = int(row[0])
                        base = chain[base_id][1]
            before = record.before or None
            after = record.after or None
            stored_before = history.diff(base, before) if base_id is not None else before
            conn.execute(
                "INSERT INTO history(entry_id, entry_uuid, at, actor, action, before, after, "
                "comment, batch_id, delta, base_id) VALUES (?,?,?,?,?,?,?,?,?,1,?)",
                (
                    record.entry_id,
                    record.entry_uuid,
                    record.at,
                    record.actor,
                    record.action,
                    _json(stored_before),
                    _json(history.diff(before, after)),
                    record.comment,
                    record.batch_id,
                    base_id,
                ),
            )

    def _snapshots(
        self, entry_id: int, upto: int, since: int | None = None
    ) -> dict[int, tuple[dict[str, Any] | None, dict[str, Any] | None]]:
        """``(before, after)`` of the records of *entry_id* up to record *upto*, by
        record id: from the last one stored whole at or before record *since*
        (default *upto*).  A record whose base is lost (a recovered file) gets None."""
        from termbase.store import history

        start = self.conn.execute(
            "SELECT max(id) FROM history WHERE entry_id=? AND id<=? "
            "AND (delta=0 OR base_id IS NULL)",
            (entry_id, upto if since is None else since),
        ).fetchone()[0]
        rows = self.conn.execute(
            "SELECT id, before, after, delta, base_id FROM history "
            "WHERE entry_id=? AND id BETWEEN ? AND ? ORDER BY id",
            (entry_id, start if start is not None else upto, upto),
        )
        out: dict[int, tuple[Any, Any]] = {}
        for row_id, before_text, after_text, delta, base_id in rows:
            before = json.loads(before_text) if before_text else None
            after = json.loads(after_text) if after_text else None
            if delta and base_id is not None and base_id not in out:
                out[row_id] = (None, None)  # its base was lost
            elif delta:
                base = out[base_id][1] if base_id is not None else None
                out[row_id] = history.rebuild(before, after, base, patched=base_id is not None)
            else:
                out[row_id] = (before, after)
        return out

    def history(
        self, entry_id: int | list[int] | None = None, limit: int = 50
    ) -> list[HistoryRecord]:
        """Audit records, newest first (for one entry, for several, or for all),
        each with its whole snapshots (rebuilt from the stored changes)."""
        from termbase.store import history

        if entry_id is None:
            rows = self.conn.execute("SELECT * FROM history ORDER BY id DESC LIMIT ?", (limit,))
        else:
            ids = [entry_id] if isinstance(entry_id, int) else entry_id[:CHUNK]
            marks = ",".join("?" * len(ids))
            rows = self.conn.execute(
                f"SELECT * FROM history WHERE entry_id IN ({marks}) ORDER BY id DESC LIMIT ?",
                (*ids, limit),
            )
        found = rows.fetchall()
        spans: dict[int, tuple[int, int]] = {}  # entry id -> (oldest, newest) record asked
        for r in found:  # newest first
            if r["delta"] and r["entry_id"] is not None:
                spans[r["entry_id"]] = (r["id"], spans.get(r["entry_id"], (0, r["id"]))[1])
        snapshots: dict[int, tuple[Any, Any]] = {}
        for owner, (oldest, newest) in spans.items():
            snapshots.update(self._snapshots(owner, newest, oldest))
        records = []
        for r in found:
            if r["delta"] and r["entry_id"] is not None:
                # a copy: the snapshots of one entry's records share what did not change
                before, after = json.loads(json.dumps(snapshots.get(r["id"], (None, None))))
            else:
                before = json.loads(r["before"]) if r["before"] else None
                after = json.loads(r["after"]) if r["after"] else None
                if r["delta"]:  # a record of no entry (an import): no base
                    before, after = history.rebuild(before, after, None, patched=False)
            records.append(
                HistoryRecord(
                    id=r["id"],
                    entry_id=r["entry_id"],
                    entry_uuid=r["entry_uuid"],
                    at=r["at"],
                    actor=r["actor"],
                    action=r["action"],
                    before=before or None,
                    after=after or None,
                    comment=r["comment"],
                    batch_id=r["batch_id"],
                )
            )
        return records

    # ------------------------------------------------------------------- stats
    def stats(self) -> dict[str, Any]:
        """Counts of entries by review state, terms by language and status, sources, history."""
        q = self.conn.execute
        out: dict[str, Any] = {
            "entries": q("SELECT count(*) FROM entries").fetchone()[0],
            "terms": q("SELECT count(*) FROM terms").fetchone()[0],
            "contexts": q("SELECT count(*) FROM contexts").fetchone()[0],
            "sources": q("SELECT count(*) FROM sources").fetchone()[0],
            "history": q("SELECT count(*) FROM history").fetchone()[0],
            "segments": q("SELECT count(*) FROM segments").fetchone()[0],
        }
        out["review"] = {
            r[0]: r[1] for r in q("SELECT review, count(*) FROM entries GROUP BY review ORDER BY 1")
        }
        out["languages"] = {
            r[0]: r[1] for r in q("SELECT lang, count(*) FROM terms GROUP BY lang ORDER BY 1")
        }
        out["status"] = {
            r[0]: r[1] for r in q("SELECT status, count(*) FROM terms GROUP BY status ORDER BY 1")
        }
        out["subjects"] = {
            r[0]: r[1]
            for r in q(
                "SELECT subject, count(*) FROM entries WHERE subject != '' GROUP BY subject "
                "ORDER BY 2 DESC, 1"
            )
        }
        return out

    def subjects(self) -> list[str]:
        """Every subject field in use, alphabetically."""
        rows = self.conn.execute(
            "SELECT DISTINCT subject FROM entries WHERE subject != '' ORDER BY subject"
        )
        return [r[0] for r in rows]

    def restore_from(self, source_path: str) -> None:
        """Replace this database's content with the termbase at *source_path*.

        The source is opened read-only and never changed.  SQLite's online
        backup API copies it into the open connection, so other connections
        see either the old or the new content, never a mix.  A backup from an
        older termbase is then upgraded like any opened file.
        """
        self._source_cache.clear()
        src = _connect(source_path, readonly=True)
        try:
            with self._lock:
                src.backup(self.conn)
        except sqlite3.OperationalError as exc:
            raise (self._write_error(exc) or exc) from exc
        finally:
            src.close()
        self._checked = False
        version = self.schema_version
        if version < LATEST_VERSION:
            self._migrate(version)

    # ------------------------------------------------------------ bulk loading
    def term_count(self) -> int:
        """How many terms are stored."""
        return int(self.conn.execute("SELECT count(*) FROM terms").fetchone()[0])

    def defer_search_index(self) -> None:
        """Stop maintaining the search-key index until :meth:`build_search_index`.

        For a large import: key rows are appended unindexed and the index is
        built once, sorted, at the end.  Only inside a write transaction, so
        that no other reader ever sees the termbase without its index (WAL
        readers keep the snapshot from before the transaction; a crash rolls
        the DROP back with everything else).  The transaction builds the index
        before it commits if nobody did.
        """
        from termbase.store import index

        if self._depth == 0:
            raise DatabaseError("defer_search_index needs a write transaction")
        if self._deferred_index is None:
            self._deferred_index = index.drop_key_index(self.conn)

    @property
    def search_index_deferred(self) -> bool:
        """True while a bulk load has the search-key index dropped."""
        return self._deferred_index is not None

    def search_keys_to_index(self) -> int:
        """How many key rows :meth:`build_search_index` will sort (0 when not deferred)."""
        from termbase.store import index

        return index.key_rows(self.conn) if self._deferred_index else 0

    def build_search_index(self, progress: Callable[[int], None] | None = None) -> None:
        """Build the search-key index dropped by :meth:`defer_search_index`.

        *progress* is called with numbers of key rows indexed (estimated).
        """
        from termbase.store import index

        if self._deferred_index is None:
            return
        index.create_key_index(self.conn, self._deferred_index, progress)
        self._deferred_index = None

    def reindex(self) -> int:
        """Rebuild every term's search keys; returns the number of entries indexed."""
        from termbase.store import index

        count = 0
        with self.transaction():
            index.clear_all(self.conn)
            self.defer_search_index()  # every key row is new: one sorted build at the end
            batch: list[Entry] = []
            for entry in self.iter_entries():
                batch.append(entry)
                count += 1
                if len(batch) >= IN_BATCH:
                    index.index_entries(self.conn, batch, sort=False)
                    batch = []
            index.index_entries(self.conn, batch, sort=False)
            self.build_search_index()
        return count

    def schema_problems(self) -> list[str]:
        """Tables, columns and indexes of the current schema that this file lacks.

        Compared with :func:`_reference_schema`.  A missing piece of a
        :data:`DERIVED_TABLES` group or an index can be made again by
        :meth:`repair_derived`; a missing table or column of data cannot.
        """
        want, columns, _ = _reference_schema()
        have = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        problems = []
        damaged = self.damaged_derived(want)
        rebuilt = {t for group in damaged for t in DERIVED_TABLES[group]}  # with their indexes
        for group in damaged:
            problems.append(
                f"the {group} is incomplete (table {', '.join(damaged[group])} missing or "
                f"damaged); run 'termbase doctor --repair' to build it again"
            )
        for kind, name, table, _sql in want:
            if kind == "table" and _derived_group(name) is None:
                if name not in have:
                    problems.append(
                        f"table {name} is missing (it holds data nothing else holds); "
                        "restore a backup with 'termbase restore FILE'"
                    )
                    continue
                ours = {r[1] for r in self.conn.execute(f"PRAGMA table_info({name})")}
                for column in sorted(columns[name] - ours):
                    problems.append(
                        f"table {name} has no column {column}; "
                        "restore a backup with 'termbase restore FILE'"
                    )
            elif kind == "index" and name not in have and table in have - rebuilt:
                problems.append(
                    f"index {name} on {table} is missing; "
                    "run 'termbase doctor --repair' to create it"
                )
        return problems

    def damaged_derived(
        self, want: list[tuple[str, str, str, str]] | None = None
    ) -> dict[str, list[str]]:
        """Each :data:`DERIVED_TABLES` group some table of which is missing (an FTS5
        table counts as missing when one of its shadow tables is), with those tables."""
        want = _reference_schema().objects if want is None else want
        have = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}
        damaged: dict[str, list[str]] = {}
        for kind, name, _table, _sql in want:
            group = _derived_group(name)
            if kind != "table" or group is None or name in have:
                continue
            owner = _derived_owner(name)
            if owner not in damaged.setdefault(group, []):
                damaged[group].append(owner)
        return damaged

    def repair_derived(self) -> list[str]:
        """Make again what is derived from the data; returns what was done.

        In one transaction: each damaged :data:`DERIVED_TABLES` group is
        dropped and created anew (empty), missing indexes are created, and
        every term's search keys are rebuilt (:meth:`reindex`, the bulk
        build).  A rebuilt translation-memory index is empty: the TM fills it
        from the stored pairs (``TranslationMemory.reindex``).  Tables of data
        are never created: that would hide their loss.
        """
        reference = _reference_schema()
        want = reference.objects
        done = []
        try:
            with self.transaction() as conn:
                damaged = self.damaged_derived(want)
                have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                for group in damaged:
                    self._rebuild_group(group, reference, have)
                    done.append(f"{group}: tables {', '.join(DERIVED_TABLES[group])} created again")
                have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                for kind, name, table, sql in want:
                    if kind == "index" and name not in have and table in have:
                        conn.execute(sql)
                        done.append(f"index {name} on {table} created again")
                entries = self.reindex()
                done.append(f"search index rebuilt from the terms of {entries} entries")
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(
                f"{self.path}: the repair failed ({exc}); nothing was changed. Save what can "
                f"be read with 'termbase --db {self.path} doctor --recover NEW'"
            ) from exc
        return done

    def consistency_problems(self) -> list[str]:
        """Domain rules a damaged or hand-edited file may break ([] when consistent)."""
        q = self.conn.execute
        problems = []
        for (entry_id,) in q(
            "SELECT id FROM entries WHERE id NOT IN (SELECT entry_id FROM terms) ORDER BY id"
        ):
            problems.append(f"entry {entry_id} has no terms; delete it or add a term")
        for entry_id, lang, n in q(
            "SELECT entry_id, lang, count(*) FROM terms WHERE status='preferred' "
            "GROUP BY entry_id, lang HAVING count(*) > 1 ORDER BY entry_id"
        ):
            problems.append(
                f"entry {entry_id} has {n} preferred {lang} terms; keep one with "
                f"'termbase set-status {entry_id} TERM preferred'"
            )
        missing = q(
            "SELECT count(*) FROM terms WHERE id NOT IN (SELECT term_id FROM term_keys)"
        ).fetchone()[0]
        if not missing:
            missing = max(
                0,
                q("SELECT count(*) FROM terms").fetchone()[0]
                - q("SELECT count(*) FROM term_tri").fetchone()[0],
            )
        if missing:
            problems.append(
                f"{missing} terms are missing from the search index; run "
                "'termbase doctor --repair' to rebuild it"
            )
        return problems

    def _rebuild_group(self, group: str, reference: _Schema, have: set[str]) -> None:
        """Drop the :data:`DERIVED_TABLES` *group* and create it anew, empty
        (*have*: the names in the file; inside the caller's transaction)."""
        members = DERIVED_TABLES[group]
        for name, seed in reference.shadow_rows.items():
            # an FTS5 table cannot be dropped without its shadow tables: a missing
            # one is put back as a new index has it, then dropped with its table
            owner = _derived_owner(name)
            if owner in members and owner in have and name not in have:
                sql = next(o[3] for o in reference.objects if o[1] == name)
                self.conn.execute(sql)
                if seed:
                    self.conn.executemany(
                        f"INSERT INTO {name} VALUES ({marks(len(seed[0]))})", seed
                    )
        for name in reversed(members):  # fts5vocab before the table it reads
            self.conn.execute(f"DROP TABLE IF EXISTS {name}")
        for kind, name, table, sql in reference.objects:
            made = kind == "index" or _derived_owner(name) == name  # not shadow tables
            if made and _derived_group(table) == group:
                self.conn.execute(sql)

    def health(self) -> tuple[list[str], str]:
        """Problems found by every check, and the file's state.

        The state is ``"ok"`` (every check ran), ``"incomplete"`` (only
        derived structures are missing, which :meth:`repair_derived` makes
        again; the checks that need them did not run) or ``"damaged"``
        (SQLite cannot read the file, or data is missing).  A check SQLite
        cannot run reports that instead of raising.
        """
        problems: list[str] = []
        try:
            problems += self.integrity_problems()
        except sqlite3.DatabaseError as exc:
            problems.append(f"SQLite cannot read the file ({exc})")
        if problems and not all(p.startswith("foreign key:") for p in problems):
            return problems, "damaged"
        try:
            schema = self.schema_problems()
            if any(p.startswith("table ") for p in schema):
                return problems + schema, "damaged"
            if self.damaged_derived():
                return problems + schema, "incomplete"
            problems += schema + self.consistency_problems()
        except sqlite3.DatabaseError as exc:
            problems.append(f"SQLite cannot read the file ({exc})")
            return problems, "damaged"
        return problems, "ok"

    def integrity_problems(self) -> list[str]:
        """Problems found by SQLite's integrity and foreign-key checks ([] when healthy)."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        for r in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"foreign key: table {r[0]} row {r[1]} points at missing {r[2]}")
        return problems
