"""Recorded schema migrations.

Each migration is ``(version, name, statements)``; :class:`termbase.store.Store`
applies those above the file's ``PRAGMA user_version`` in order, each in
its own transaction, records it in the ``migrations`` table and sets
``user_version``.  Never edit a released migration: append a new one.
"""

from __future__ import annotations

V1_CORE = [
    """CREATE TABLE migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL)""",
    """CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        publisher TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        UNIQUE (title, author, publisher, date, url))""",
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL DEFAULT '',
        definition TEXT NOT NULL DEFAULT '',
        definition_zh TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        review TEXT NOT NULL DEFAULT 'proposed'
            CHECK (review IN ('proposed', 'approved', 'rejected')),
        reviewer TEXT NOT NULL DEFAULT '',
        reviewed_at TEXT NOT NULL DEFAULT '',
        review_comment TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT '',
        created_by TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT '',
        updated_by TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 1)""",
    "CREATE INDEX entries_review ON entries(review)",
    "CREATE INDEX entries_subject ON entries(subject)",
    """CREATE TABLE entry_sources (
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        position INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (entry_id, source_id))""",
    """CREATE TABLE terms (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        lang TEXT NOT NULL,
        text TEXT NOT NULL CHECK (text != ''),
        status TEXT NOT NULL DEFAULT 'admitted'
            CHECK (status IN ('preferred', 'admitted', 'deprecated', 'superseded')),
        term_type TEXT NOT NULL DEFAULT 'full-form',
        pos TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        pinyin TEXT NOT NULL DEFAULT '',
        source_id INTEGER REFERENCES sources(id))""",
    "CREATE INDEX terms_entry ON terms(entry_id)",
    "CREATE INDEX terms_text ON terms(text)",
    """CREATE TABLE contexts (
        id INTEGER PRIMARY KEY,
        term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        locator TEXT NOT NULL DEFAULT '',
        source_id INTEGER REFERENCES sources(id))""",
    "CREATE INDEX contexts_term ON contexts(term_id)",
    """CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER,
        entry_uuid TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT,
        after TEXT,
        comment TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX history_entry ON history(entry_id)",
    """CREATE TABLE term_keys (
        term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
        entry_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL)""",
    "CREATE INDEX term_keys_key ON term_keys(kind, key)",
    "CREATE INDEX term_keys_term ON term_keys(term_id)",
    """CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        source_lang TEXT NOT NULL,
        target_lang TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        origin TEXT NOT NULL DEFAULT '',
        project TEXT NOT NULL DEFAULT '',
        creator TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT '',
        changed_at TEXT NOT NULL DEFAULT '',
        props TEXT NOT NULL DEFAULT '{}',
        notes TEXT NOT NULL DEFAULT '[]',
        count INTEGER NOT NULL DEFAULT 1,
        hash TEXT NOT NULL UNIQUE)""",
]

V2_SEARCH = [
    # replaced: no foreign key (keys are deleted by entry, before the terms), a rank,
    # and a covering index so that a lookup never visits the table
    "DROP TABLE term_keys",
    """CREATE TABLE term_keys (
        term_id INTEGER NOT NULL,
        entry_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        rank INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX term_keys_key ON term_keys(kind, key, rank, term_id, entry_id)",
    "CREATE INDEX term_keys_entry ON term_keys(entry_id)",
    "CREATE VIRTUAL TABLE term_tri USING fts5(norm, tokenize='trigram')",
    "CREATE VIRTUAL TABLE term_words USING fts5(text, "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE term_words_vocab USING fts5vocab(term_words, 'row')",
]

V3_TM = [
    # one row per index key: a Chinese character bigram ("z 发展") or an
    # English word ("e development"); ids = ascending segment ids, int32 LE
    """CREATE TABLE tm_postings (
        gram TEXT PRIMARY KEY,
        ids BLOB NOT NULL)""",
    # arrays indexed by segment id (uint16 LE): comparison-key lengths per side
    """CREATE TABLE tm_meta (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL)""",
]

V4_TM_KEYS = [
    # the comparison key of each pair's Chinese side and the case-folded words
    # of its English side ("ensure national security ."), so that fuzzy
    # matching rescores candidates from one narrow row each, without reading
    # and normalising both texts; filled by termbase.tm when it indexes
    """CREATE TABLE tm_keys (
        id INTEGER PRIMARY KEY,
        zh TEXT NOT NULL,
        en TEXT NOT NULL)""",
]

V5_USERS = [
    # team mode (termbase serve): people and their roles; a token is kept only as
    # its scrypt hash (salt and parameters beside it), shown once when issued
    """CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'translator', 'terminologist', 'admin')),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT NOT NULL DEFAULT '',
        last_used_at TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX tokens_user ON tokens(user_id)",
]

V6_MODERATION = [
    # ids are handed out from these counters, never from max(id) + 1, so that
    # the id of a deleted or merged entry (and the history that names it) is
    # never given to another concept; seeded with the highest id ever used,
    # history included
    """CREATE TABLE id_counters (
        name TEXT PRIMARY KEY,
        last INTEGER NOT NULL)""",
    """INSERT INTO id_counters(name, last) SELECT 'entries', max(
        coalesce((SELECT max(id) FROM entries), 0),
        coalesce((SELECT max(entry_id) FROM history), 0))""",
    "INSERT INTO id_counters(name, last) SELECT 'terms', coalesce(max(id), 0) FROM terms",
    # an entry merged into another: its old id keeps answering with the new one
    """CREATE TABLE entry_redirects (
        old_id INTEGER PRIMARY KEY,
        new_id INTEGER NOT NULL,
        at TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL DEFAULT '')""",
    # one row per import run: file, who, when, what it did
    """CREATE TABLE import_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        origin TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL DEFAULT '',
        counts TEXT NOT NULL DEFAULT '{}',
        reverted_at TEXT NOT NULL DEFAULT '',
        reverted_by TEXT NOT NULL DEFAULT '')""",
    # a proposed revision of an approved entry: the whole entry as proposed
    # (JSON, the history snapshot form), waiting for a reviewer's decision;
    # the approved content in the tables is untouched until it is accepted
    """CREATE TABLE pending_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id INTEGER NOT NULL,
        base_version INTEGER NOT NULL,
        proposed TEXT NOT NULL,
        proposed_by TEXT NOT NULL DEFAULT '',
        proposed_at TEXT NOT NULL DEFAULT '',
        comment TEXT NOT NULL DEFAULT '',
        batch_id INTEGER,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'accepted', 'rejected', 'withdrawn')),
        decided_by TEXT NOT NULL DEFAULT '',
        decided_at TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX pending_changes_entry ON pending_changes(entry_id, state)",
    "CREATE INDEX pending_changes_batch ON pending_changes(batch_id)",
    # the import batch that created an entry, and the one behind a history record
    "ALTER TABLE entries ADD COLUMN batch_id INTEGER",
    "CREATE INDEX entries_batch ON entries(batch_id)",
    "ALTER TABLE history ADD COLUMN batch_id INTEGER",
    "CREATE INDEX history_batch ON history(batch_id)",
    # the Chinese source sentence beside an English context sentence
    "ALTER TABLE contexts ADD COLUMN text_zh TEXT NOT NULL DEFAULT ''",
]

V8_PROVENANCE = [
    # issue 18: how authoritative a source is; what kind of designation an entry
    # is; when a rendering was in use; the document a context sentence quotes
    # (its source_id stays the document it appears in).  Existing rows keep
    # everything and get the neutral defaults: 'other', 'term', no dates.
    """ALTER TABLE sources ADD COLUMN authority TEXT NOT NULL DEFAULT 'other'
        CHECK (authority IN
            ('official-text', 'official-outlet', 'state-media', 'scholarship', 'other'))""",
    """ALTER TABLE entries ADD COLUMN entry_type TEXT NOT NULL DEFAULT 'term'
        CHECK (entry_type IN
            ('term', 'set-formulation', 'slogan', 'title', 'event', 'institution', 'person'))""",
    "ALTER TABLE terms ADD COLUMN used_from TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE terms ADD COLUMN used_until TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE contexts ADD COLUMN quotes_id INTEGER REFERENCES sources(id)",
    "CREATE INDEX entries_type ON entries(entry_type)",
]

V9_HISTORY_DELTAS = [
    # issue 19: a history record keeps the change, not two whole snapshots of the
    # entry (a concept of 200 renderings added ~97 KB per approval).  With delta = 1,
    # ``after`` is a patch (termbase.store.history) on ``before``, and ``before`` a
    # patch on the ``after`` of the record ``base_id`` (a whole snapshot when
    # base_id is NULL).  Records written before keep delta = 0: whole snapshots.
    "ALTER TABLE history ADD COLUMN delta INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE history ADD COLUMN base_id INTEGER",
]

V10_TM_BARE_BIGRAMS = ["DELETE FROM tm_postings", "DELETE FROM tm_meta"]

#: Migrations after which every entry's search keys are rebuilt.
REINDEX_AFTER = {2, 7}

#: (version, name, SQL statements), in order.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "core schema: entries, terms, contexts, sources, history, segments", V1_CORE),
    (2, "search index: ranked keys, pinyin, trigram and word FTS5 tables", V2_SEARCH),
    (3, "translation memory: bigram and word postings, key lengths", V3_TM),
    (4, "translation memory: comparison keys of every pair", V4_TM_KEYS),
    (5, "team mode: users, roles and hashed tokens", V5_USERS),
    (6, "moderation: id counters, redirects, import batches, pending changes", V6_MODERATION),
    # no schema change: the pinyin and initials suffix keys are cut to a fixed
    # length (keys grow linearly with a term), so every term is indexed again
    (7, "search keys: bounded pinyin and initials suffix keys", []),
    (8, "provenance: source authority, entry types, dates of use, quoted documents", V8_PROVENANCE),
    (9, "history: each record stores the change, not whole snapshots", V9_HISTORY_DELTAS),
    # the translation memory indexes Chinese bigrams with punctuation marks taken
    # out: the old index is dropped and rebuilt from the pairs on next use
    (10, "translation memory: Chinese bigrams without punctuation", V10_TM_BARE_BIGRAMS),
]

LATEST_VERSION = MIGRATIONS[-1][0]
