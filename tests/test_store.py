"""The store and the facade: round trips, history, migrations, conflicts."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import pytest

from termbase import (
    ConflictError,
    DatabaseError,
    Entry,
    InvalidValueError,
    NotFoundError,
    Review,
    Term,
    Termbase,
    TermStatus,
)
from termbase.store import Store
from termbase.store.migrations import LATEST_VERSION

from .conftest import FIXED_TIME, PAPER_SOURCE, make_entry


def test_round_trip_keeps_every_field(tb: Termbase) -> None:
    entry = make_entry()
    entry.note = "a note"
    entry.definition_zh = "以国内大循环为主体"
    entry.terms[0].pinyin = "xīn fāzhǎn géjú"
    entry.terms[1].pos = "noun"
    stored = tb.add(entry)
    got = tb.get(stored.id)
    assert got.uuid == entry.uuid
    assert got.subject == "development"
    assert got.definition == "China's strategy centred on domestic circulation."
    assert got.definition_zh == "以国内大循环为主体"
    assert got.note == "a note"
    assert got.review is Review.PROPOSED
    assert got.version == 1
    assert got.created_at == FIXED_TIME and got.created_by == "alice"
    assert [(t.text, t.lang, t.status.value, t.term_type.value) for t in got.terms] == [
        ("新发展格局", "zh-CN", "preferred", "full-form"),
        ("new development pattern", "en", "preferred", "full-form"),
        ("new development dynamic", "en", "admitted", "full-form"),
        ("NDP", "en", "admitted", "abbreviation"),
    ]
    assert got.terms[0].pinyin == "xīn fāzhǎn géjú"
    assert got.terms[1].pos == "noun"
    assert got.terms[1].note == "official usage"
    ctx = got.terms[1].contexts[0]
    assert ctx.text == "China has made progress in pursuing a new development pattern."
    assert ctx.locator == "Part 2"
    assert ctx.source is not None and ctx.source.key() == PAPER_SOURCE.key()
    assert [s.key() for s in got.sources] == [PAPER_SOURCE.key()]


def test_pinyin_is_computed_when_missing(tb: Termbase) -> None:
    got = tb.add(Entry(terms=[Term("高质量发展", "zh-CN")]))
    assert got.terms[0].pinyin == "gāozhìliàng fāzhǎn"


HETERONYMS = ["重要", "重新", "银行行长", "长大", "一行人", "重新发展重要产业", "二〇二四年", "行"]


def test_pinyin_is_pypinyins_phrase_reading_however_often_a_word_recurs(tb: Termbase) -> None:
    """Readings are cached by word; the cache must not change a heteronym's reading."""
    from pypinyin import Style, pinyin

    for round_ in range(2):  # the second round reads every word from the cache
        for text in HETERONYMS:
            got = tb.add(Entry(terms=[Term(text, "zh-CN")], note=str(round_)))
            want = "".join(s[0] for s in pinyin(text.replace("〇", "零"), style=Style.TONE))
            assert got.terms[0].pinyin.replace(" ", "") == want, text
    assert (
        tb.get(tb.add(Entry(terms=[Term("重要", "zh-CN")], note="x")).id or 0).terms[0].pinyin
        == "zhòngyào"
    )
    assert tb.add(Entry(terms=[Term("重新", "zh-CN")], note="y")).terms[0].pinyin == "chóngxīn"


def _pinyin_as_jieba_and_pypinyin_give_it(text: str) -> str:
    """The reference: jieba's own cut and pypinyin on the whole text, uncached."""
    import jieba
    from pypinyin import Style, pinyin

    from termbase.lang.zh import has_han

    tok = _reference_tokenizer()
    syllables = [
        s[0] for s in pinyin(text.replace("〇", "零"), style=Style.TONE, errors=lambda c: list(c))
    ]
    out, position = [], 0
    for word in (w for w in tok.cut(text, HMM=False) if w):
        read = "".join(syllables[position : position + len(word)])
        position += len(word)
        if has_han(word) or read != word:
            out.append(read)
        elif any(c.isalnum() for c in word):
            out.append(word.strip())
    assert jieba  # the reference uses jieba itself
    return " ".join(p for p in out if p)


@functools.lru_cache(maxsize=1)
def _reference_tokenizer():  # type: ignore[no-untyped-def]
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def test_pinyin_words_are_jiebas_words(tb: Termbase) -> None:
    """Word boundaries come from our loop over jieba's dictionary: the same as jieba's cut."""
    texts = [
        "中华人民共和国国务院新闻办公室",
        "3D打印技术",
        "Wi-Fi热点覆盖",
        "二〇二四年 政府工作报告",
        "高质量发展ABC12与x新质生产力",
        "一带一路（倡议）",
        "人工智能+行动",
        "中国式现代化",
    ]
    for text in texts:
        got = tb.add(Entry(terms=[Term(text, "zh-CN")], note=text)).terms[0].pinyin
        assert got == _pinyin_as_jieba_and_pypinyin_give_it(text), text


def test_history_records_who_what_before_after(tb: Termbase) -> None:
    e = tb.add(make_entry())
    tb.approve(e.id, comment="checked")
    records = tb.history(e.id)
    assert [(r.action, r.actor, r.comment) for r in records] == [
        ("approve", "alice", "checked"),
        ("add", "alice", ""),
    ]
    assert records[0].before["review"] == "proposed"
    assert records[0].after["review"] == "approved"
    assert records[1].before is None


def test_stale_version_raises_conflict_naming_who(db_path: Path) -> None:
    alice = Termbase(db_path, user="alice", clock=lambda: FIXED_TIME)
    bob = Termbase(db_path, user="bob", clock=lambda: "2026-01-02T09:00:00Z")
    e = alice.add(make_entry())
    seen_by_alice = alice.get(e.id)
    bob.approve(e.id)
    seen_by_alice.note = "alice's edit"
    with pytest.raises(ConflictError) as info:
        alice.update(seen_by_alice)
    assert str(info.value) == (
        f"entry {e.id} was changed by bob at 2026-01-02T09:00:00Z (now version 2, you had "
        "version 1); reload it, check their change, and try again"
    )
    assert alice.get(e.id).note == ""
    with pytest.raises(ConflictError):
        alice.reject(e.id, reason="no", expected_version=1)
    alice.close()
    bob.close()


def test_set_status_demotes_previous_preferred(tb: Termbase) -> None:
    e = tb.add(make_entry())
    tb.set_status(e.id, "new development dynamic", "preferred")
    got = tb.get(e.id)
    statuses = {t.text: t.status for t in got.terms}
    assert statuses["new development dynamic"] is TermStatus.PREFERRED
    assert statuses["new development pattern"] is TermStatus.ADMITTED
    assert tb.history(e.id)[0].comment == (
        "'new development dynamic' (en): admitted → preferred; "
        "'new development pattern' (en): preferred → admitted"
    )


def test_bad_values_are_clear(tb: Termbase) -> None:
    e = tb.add(make_entry())
    with pytest.raises(
        InvalidValueError,
        match="unknown status 'best'; choose one of: preferred, admitted, deprecated, superseded",
    ):
        tb.set_status(e.id, "NDP", "best")
    with pytest.raises(NotFoundError, match="no entry 999"):
        tb.get(999)
    with pytest.raises(InvalidValueError, match="needs a reason"):
        tb.reject(e.id, reason=" ")
    with pytest.raises(InvalidValueError, match="two preferred terms in en"):
        tb.add(Entry(terms=[Term("a", "en", "preferred"), Term("b", "en", "preferred")]))


def test_delete_keeps_history(tb: Termbase) -> None:
    e = tb.add(make_entry())
    tb.delete(e.id)
    with pytest.raises(NotFoundError):
        tb.get(e.id)
    assert [r.action for r in tb.history(e.id)] == ["delete", "add"]
    assert tb.stats()["terms"] == 0


def test_search_exact_before_substring(tb: Termbase) -> None:
    tb.add(Entry(terms=[Term("发展", "zh-CN")]))
    tb.add(make_entry())
    hits = tb.search("发展")
    assert [(h.entry.zh, h.match) for h in hits] == [("发展", "exact"), ("新发展格局", "substring")]
    hits = tb.search("Development Pattern")
    assert [h.entry.zh for h in hits] == ["新发展格局"]


def test_migration_from_older_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    from termbase.store.migrations import MIGRATIONS

    version, _name, statements = MIGRATIONS[0]
    for stmt in statements:
        conn.execute(stmt)
    conn.execute("INSERT INTO migrations VALUES (1, 'core', '2026-01-01T00:00:00Z')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.schema_version == LATEST_VERSION
    assert [v for v, _n, _a in store.migrations_applied()] == list(range(1, LATEST_VERSION + 1))
    store.close()


def test_newer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as info:
        Store(path)
    assert str(info.value) == (
        f"{path}: this database was written by a newer termbase (schema {LATEST_VERSION + 5}; "
        f"this version knows up to {LATEST_VERSION}). Upgrade termbase (pip install -U "
        "termbase) to open it"
    )


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="not a termbase database"):
        Store(path)


def test_pragmas(tb: Termbase) -> None:
    conn = tb.store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000


def test_failed_write_leaves_nothing(tb: Termbase) -> None:
    tb.add(make_entry())
    before = tb.stats()
    bad = Entry(
        terms=[Term("别的", "zh-CN"), Term("a", "en", "preferred"), Term("b", "en", "preferred")]
    )  # two preferred: refused
    with pytest.raises(InvalidValueError):
        tb.import_entries([Entry(terms=[Term("其他", "zh-CN")]), bad])
    assert tb.stats() == before


def _dump(tb: Termbase) -> list[tuple[object, ...]]:
    return sorted(
        (
            tuple((t.lang, t.text, t.status.value, t.pinyin) for t in e.terms),
            e.uuid if e.uuid.startswith("00000000") else "",  # the others are random
            e.review.value,
            e.note,
            tuple(c.text for t in e.terms for c in t.contexts),
        )
        for e in tb.entries()
    )


@pytest.mark.parametrize("size", [1, 2, 3, 500])
def test_import_batches_write_what_one_by_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    from termbase import merge

    def incoming() -> list[Entry]:
        uuids = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(4)]
        return [
            Entry(terms=[Term("发展", "zh-CN", TermStatus.PREFERRED), Term("development", "en")]),
            Entry(terms=[Term("安全", "zh-CN", TermStatus.PREFERRED), Term("security", "en")]),
            # the same concept again, later in the same file: merged, not duplicated
            Entry(terms=[Term("发展", "zh-CN", TermStatus.PREFERRED), Term("growth", "en")]),
            Entry(uuid=uuids[0], terms=[Term("格局", "zh-CN"), Term("pattern", "en")]),
            Entry(uuid=uuids[0], note="same uuid", terms=[Term("格局", "zh-CN")]),
            Entry(terms=[Term("security", "en", TermStatus.PREFERRED)]),  # no Chinese
            Entry(terms=[Term("新发展格局", "zh-CN"), Term("new development pattern", "en")]),
        ]

    reference = Termbase(tmp_path / "one.sqlite", user="t", seed=False, clock=lambda: FIXED_TIME)
    monkeypatch.setattr(merge._Batch, "SIZE", 1)
    expected_report = reference.import_entries(incoming()).as_dict()
    monkeypatch.setattr(merge._Batch, "SIZE", size)
    batched = Termbase(tmp_path / "many.sqlite", user="t", seed=False, clock=lambda: FIXED_TIME)
    assert batched.import_entries(incoming()).as_dict() == expected_report
    assert _dump(batched) == _dump(reference)
    assert len(_dump(batched)) == 4  # 发展 (two renderings), 安全 (+ security), 格局, 新发展格局
    # the search index holds every term
    assert batched.search("growth")[0].entry.zh == "发展"
    assert batched.search("fazhan geju")[0].entry.zh == "新发展格局"


def test_search_keys_are_rebuilt_when_their_format_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 7 cuts the pinyin suffix keys: an older file is indexed again on opening."""
    from termbase.store import migrations
    from termbase.store.index import SUFFIX_PINYIN_CHARS

    path = tmp_path / "v6.sqlite"
    with Termbase(path, seed=False) as tb:
        tb.add(Entry(terms=[Term("高质量发展统筹发展和安全新安全格局新发展格局", "zh-CN")]))
    conn = sqlite3.connect(path)
    # what version 6 wrote: suffix keys as long as the rest of the term
    conn.execute("DELETE FROM migrations WHERE version >= 7")
    conn.execute(
        "INSERT INTO term_keys SELECT term_id, entry_id, 'ps', key || key, rank "
        "FROM term_keys WHERE kind = 'p'"
    )
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()
    # the file was made by this version and set back to 6: the columns of the later
    # migrations (8, provenance) are already there, so those are not run again
    monkeypatch.setattr(
        "termbase.store.MIGRATIONS",
        [(v, name, sql if v <= 7 else []) for v, name, sql in migrations.MIGRATIONS],
    )
    with Termbase(path, seed=False) as tb:
        assert tb.store.schema_version == LATEST_VERSION
        assert [h.entry.zh for h in tb.search("gzlfztcfz")] == [
            "高质量发展统筹发展和安全新安全格局新发展格局"
        ]
    conn = sqlite3.connect(path)
    longest = conn.execute("SELECT max(length(key)) FROM term_keys WHERE kind='ps'").fetchone()[0]
    conn.close()
    assert longest == SUFFIX_PINYIN_CHARS
