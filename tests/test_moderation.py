"""The moderated termbase (issue 15): approved content changes only by a reviewer's decision.

Each rule through the facade (as the team server will call it) and through the CLI.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from termbase import (
    Actor,
    ChangeState,
    Context,
    Entry,
    ForbiddenError,
    Review,
    Role,
    Segment,
    Term,
    Termbase,
    TermStatus,
)
from termbase.errors import ConflictError, DuplicateError, InvalidValueError, NotFoundError
from termbase.store.migrations import LATEST_VERSION

from .conftest import FIXED_TIME, PAPER_SOURCE

FIXTURES = Path(__file__).parent / "fixtures"
BOB = Actor("bob", Role.TRANSLATOR)
TERRY = Actor("terry", Role.TERMINOLOGIST)


def approved(tb: Termbase) -> Entry:
    """高质量发展 → high-quality development, approved by a terminologist."""
    entry = tb.add(
        Entry(
            subject="development",
            terms=[
                Term("高质量发展", "zh-CN", TermStatus.PREFERRED),
                Term("high-quality development", "en", TermStatus.PREFERRED, source=PAPER_SOURCE),
            ],
        )
    )
    return tb.approve(entry.id or 0, actor=TERRY)


@pytest.fixture
def base(db_path: Path) -> int:
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME) as tb:
        return approved(tb).id or 0


# ------------------------------------------------ approved content and proposals
def test_translator_change_to_approved_entry_is_held_until_accepted(tb: Termbase) -> None:
    entry = approved(tb)
    held = tb.add_term(entry.id, Term("quality development", "en"), actor=BOB)
    assert held.version == entry.version  # nothing written to the entry
    assert [t.text for t in tb.get(entry.id).terms] == ["高质量发展", "high-quality development"]
    [change] = tb.pending(entry.id)
    assert (change.proposed_by, change.state) == ("bob", ChangeState.PENDING)
    assert tb.change_diff(change) == ["+ en 'quality development' (admitted)"]
    # check sees the approved content only: the proposed rendering is not accepted
    report = tb.check([Segment("推动高质量发展。", "Promote quality development.")])
    assert [i.kind for i in report.issues] == ["missing"]
    [item] = tb.review_items()
    assert (item.kind, item.change_id, item.diff) == ("change", change.id, change_diff(tb, change))
    accepted = tb.approve(entry.id, actor=TERRY)
    assert accepted.version == entry.version + 1
    assert "quality development" in [t.text for t in accepted.terms]
    assert tb.pending(entry.id) == []
    assert tb.history(entry.id)[0].action == "accept-change"
    assert tb.history(entry.id)[1].action == "propose"


def change_diff(tb: Termbase, change) -> list[str]:
    return tb.change_diff(change)


def test_rejected_change_leaves_the_approved_entry_and_is_recorded(tb: Termbase) -> None:
    entry = approved(tb)
    # the last usable rendering cannot be deprecated, not even as a proposal
    with pytest.raises(InvalidValueError, match="last usable en term"):
        tb.set_status(entry.id, "high-quality development", "deprecated", actor=BOB)
    assert tb.pending(entry.id) == []
    tb.edit(entry.id, note="a note from bob", actor=BOB)
    assert len(tb.pending(entry.id)) == 1
    tb.reject(entry.id, reason="not needed", actor=TERRY)
    assert tb.get(entry.id).review is Review.APPROVED
    assert tb.get(entry.id).note == ""
    assert tb.pending(entry.id) == []
    assert tb.pending(entry.id, state=None)[0].state is ChangeState.REJECTED
    assert "rejected change" in tb.history(entry.id)[0].comment


def test_translator_proposes_but_cannot_decide(tb: Termbase) -> None:
    entry = approved(tb)
    proposed = tb.add(
        Entry(terms=[Term("新质生产力", "zh-CN"), Term("new quality productive forces", "en")]),
        actor=BOB,
    )
    with pytest.raises(
        ForbiddenError, match=r"approving needs the terminologist role \(you are translator\)"
    ):
        tb.approve(proposed.id, actor=BOB)
    with pytest.raises(ForbiddenError, match="merging needs the terminologist role"):
        tb.merge(entry.id, proposed.id, actor=BOB)
    with pytest.raises(ForbiddenError, match="adding an entry needs the translator role"):
        tb.add(Entry(terms=[Term("x", "zh-CN")]), actor=Actor("vic", Role.VIEWER))
    # a translator edits a proposed entry directly
    tb.edit(proposed.id, subject="economy", actor=BOB)
    assert tb.get(proposed.id).subject == "economy"


def test_stale_change_is_refused_with_who_changed_the_entry(tb: Termbase) -> None:
    entry = approved(tb)
    tb.edit(entry.id, note="bob's note", actor=BOB)
    [change] = tb.pending(entry.id)
    tb.edit(entry.id, subject="economy", actor=TERRY)
    with pytest.raises(ConflictError, match="changed since change"):
        tb.accept_change(change.id, actor=TERRY)
    assert tb.review_items()[0].stale


# ----------------------------------------------------------------- invariants
def test_approving_needs_chinese_and_english(tb: Termbase) -> None:
    only_zh = tb.add(Entry(terms=[Term("共同富裕", "zh-CN")]))
    with pytest.raises(InvalidValueError, match="no preferred or admitted English rendering"):
        tb.approve(only_zh.id)
    deprecated_en = tb.add(
        Entry(terms=[Term("共同富裕", "zh-CN"), Term("common wealth", "en", TermStatus.DEPRECATED)])
    )
    with pytest.raises(InvalidValueError, match="English rendering"):
        tb.approve(deprecated_en.id)
    assert tb.get(only_zh.id).review is Review.PROPOSED


def test_last_usable_term_of_a_language_cannot_be_deprecated(tb: Termbase) -> None:
    entry = approved(tb)
    with pytest.raises(InvalidValueError, match="last usable zh term"):
        tb.set_status(entry.id, "高质量发展", "deprecated")
    with pytest.raises(InvalidValueError, match="last usable en term"):
        tb.set_status(entry.id, "high-quality development", "superseded")
    with pytest.raises(InvalidValueError, match="cannot delete"):
        tb.delete_term(entry.id, "high-quality development")


def test_no_op_writes_nothing(tb: Termbase) -> None:
    entry = approved(tb)
    records = len(tb.history(entry.id))
    again = tb.approve(entry.id)
    assert again.version == entry.version
    tb.set_status(entry.id, "high-quality development", "preferred")
    tb.edit(entry.id, subject="development")
    assert tb.get(entry.id).version == entry.version
    assert len(tb.history(entry.id)) == records
    rejected = tb.add(Entry(terms=[Term("废话", "zh-CN")]))
    tb.reject(rejected.id, reason="no")
    version = tb.get(rejected.id).version
    tb.reject(rejected.id, reason="no again")
    assert tb.get(rejected.id).version == version


def test_promotion_records_the_demotion_and_term_ids_are_stable(tb: Termbase) -> None:
    entry = approved(tb)
    entry = tb.add_term(entry.id, Term("quality growth", "en", source=PAPER_SOURCE))
    ids = {t.text: t.id for t in entry.terms}
    tb.set_status(entry.id, "quality growth", "preferred")
    assert tb.history(entry.id)[0].comment == (
        "'quality growth' (en): admitted → preferred; "
        "'high-quality development' (en): preferred → admitted"
    )
    tb.reject(entry.id, reason="check again")
    tb.edit_term(entry.id, "quality growth", text="quality-growth")
    tb.approve(entry.id)
    after = {t.text: t.id for t in tb.get(entry.id).terms}
    assert after["quality-growth"] == ids["quality growth"]
    assert after["high-quality development"] == ids["high-quality development"]
    assert after["高质量发展"] == ids["高质量发展"]


def test_ids_are_never_reused(tb: Termbase) -> None:
    first = tb.add(Entry(terms=[Term("甲", "zh-CN")]))
    last = tb.add(Entry(terms=[Term("乙", "zh-CN")]))
    tb.delete(last.id)
    newer = tb.add(Entry(terms=[Term("丙", "zh-CN")]))
    assert newer.id == last.id + 1
    assert [r.action for r in tb.history(last.id)] == ["delete", "add"]
    assert [r.action for r in tb.history(newer.id)] == ["add"]
    term_ids = {t.id for t in tb.get(first.id).terms}
    assert max(t.id for t in newer.terms) > max(term_ids)


# ------------------------------------------------------------ edit and undo
def test_edit_every_term_field_and_undo(tb: Termbase) -> None:
    entry = approved(tb)
    tb.add_term(entry.id, Term("高品质发展", "zh-CN"))
    edited = tb.edit_term(
        entry.id,
        "high-quality development",
        text="high quality development",
        term_type="phrase",
        pos="noun",
        note="official",
        add_context=Context(
            "We pursue high-quality development.", "Part 4", text_zh="推动高质量发展。"
        ),
    )
    term = next(t for t in edited.terms if t.text == "high quality development")
    assert (term.term_type.value, term.pos, term.note) == ("phrase", "noun", "official")
    assert term.contexts[0].text_zh == "推动高质量发展。"
    tb.edit_term(entry.id, "高品质发展", status="superseded")
    zh = next(t for t in tb.get(entry.id).terms if t.text == "高品质发展")
    assert zh.status is TermStatus.SUPERSEDED and zh.pinyin == "gāopǐnzhì fāzhǎn"
    current = tb.get(entry.id)
    reverted = tb.revert(entry.id, to_version=entry.version)
    assert reverted.version == current.version + 1
    assert [t.text for t in reverted.terms] == ["高质量发展", "high-quality development"]
    assert tb.history(entry.id)[0].comment == f"reverted to version {entry.version}"
    with pytest.raises(InvalidValueError, match="no recorded version 99"):
        tb.revert(entry.id, to_version=99)


def test_delete_and_undelete_keep_the_id_and_history(tb: Termbase) -> None:
    entry = approved(tb)
    tb.delete(entry.id, comment="by mistake")
    with pytest.raises(NotFoundError):
        tb.get(entry.id)
    back = tb.undelete(entry.id)
    assert back.id == entry.id
    assert [t.id for t in back.terms] == [t.id for t in entry.terms]
    assert back.review is Review.APPROVED
    assert [r.action for r in tb.history(entry.id)][:2] == ["undelete", "delete"]
    assert tb.search("高质量发展")[0].entry.id == entry.id


# ------------------------------------------------------- duplicates and merge
def test_add_refuses_a_duplicate_after_folding(tb: Termbase) -> None:
    entry = approved(tb)
    for variant in ("高质量发展", "高質量發展", "高质量 发展"):
        with pytest.raises(DuplicateError, match=rf"already entry #{entry.id}") as info:
            tb.add(Entry(terms=[Term(variant, "zh-CN"), Term("quality growth", "en")]), new=False)
        assert info.value.entry_ids == [entry.id]
    tb.add(Entry(terms=[Term("高质量发展", "zh-CN"), Term("quality growth", "en")]), into=entry.id)
    assert "quality growth" in [t.text for t in tb.get(entry.id).terms]
    homograph = tb.add(Entry(subject="education", terms=[Term("高质量发展", "zh-CN")]), new=True)
    assert homograph.id != entry.id
    assert tb.likely_duplicates() == []  # different subjects: a homograph on purpose


def test_merge_keeps_both_histories_and_redirects(tb: Termbase) -> None:
    keep = approved(tb)
    dup = tb.add(
        Entry(
            terms=[Term("高质量发展", "zh-CN"), Term("quality development", "en", note="CSV row")]
        )
    )
    assert tb.likely_duplicates() == [("高质量发展", [keep.id, dup.id])]
    moved_id = next(t.id for t in dup.terms if t.lang == "en")
    merged = tb.merge(keep.id, dup.id, comment="entered twice")
    assert tb.get(dup.id).id == keep.id  # the old id leads to the merged entry
    term = next(t for t in merged.terms if t.text == "quality development")
    assert (term.id, term.note, term.status) == (moved_id, "CSV row", TermStatus.ADMITTED)
    actions = [r.action for r in tb.history(dup.id)]
    assert actions[:2] == ["merged-into", "merge"] and "add" in actions
    assert tb.likely_duplicates() == []
    assert [h.entry.id for h in tb.search("quality development")] == [keep.id]


# ------------------------------------------------------ batches and imports
def test_import_is_a_batch_that_proposes_to_approved_entries_and_can_be_reverted(
    tb: Termbase, tmp_path: Path
) -> None:
    entry = approved(tb)
    csv = tmp_path / "in.csv"
    csv.write_text(
        "zh,en,note\n高质量发展,quality development,row note\n绿色发展,green development,\n"
    )
    report = tb.import_file(csv)
    assert (report.new, report.proposed, report.batch_id) == (1, 1, 1)
    assert [t.text for t in tb.get(entry.id).terms] == ["高质量发展", "high-quality development"]
    [batch] = tb.imports()
    assert (batch.origin, batch.counts["new"], batch.counts["proposed"]) == ("in.csv", 1, 1)
    items = tb.review_items(batch=batch.id)
    assert [(i.kind, i.headword) for i in items] == [
        ("change", "高质量发展"),
        ("entry", "绿色发展"),
    ]
    green = items[1].entry_id
    done = tb.revert_import(batch.id)
    assert done == {"deleted": 1, "restored": 0, "withdrawn": 1}
    with pytest.raises(NotFoundError):
        tb.get(green)
    assert tb.pending(entry.id) == []
    with pytest.raises(InvalidValueError, match="already reverted"):
        tb.revert_import(batch.id)


def test_import_revert_is_refused_once_reviewed_further(tb: Termbase, tmp_path: Path) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("zh,en\n绿色发展,green development\n")
    batch = tb.import_file(csv).batch_id
    [green] = tb.review_items(batch=batch)
    cite = Context("We pursue green development.", "Part 4", PAPER_SOURCE)
    tb.edit_term(green.entry_id, "green development", add_context=cite)  # approving needs a source
    tb.approve(green.entry_id)
    with pytest.raises(InvalidValueError, match=f"entries #{green.entry_id} were changed"):
        tb.revert_import(batch)


def test_batch_approve_with_filters_and_dry_run(tb: Termbase) -> None:
    a = tb.add(Entry(subject="security", terms=[Term("安全", "zh-CN"), Term("security", "en")]))
    b = tb.add(Entry(subject="Security", terms=[Term("风险", "zh-CN"), Term("risk", "en")]))
    c = tb.add(Entry(subject="security", terms=[Term("只有中文", "zh-CN")]))
    d = tb.add(Entry(subject="economy", terms=[Term("经济", "zh-CN"), Term("economy", "en")]))
    ids = tb.select(subject="security")
    assert ids == [a.id, b.id, c.id]
    plan = tb.approve_many(ids, dry_run=True)
    assert (plan.done, list(plan.refused)) == ([a.id, b.id], [c.id])
    assert tb.get(a.id).review is Review.PROPOSED  # a dry run writes nothing
    result = tb.approve_many(ids)
    assert [tb.get(i).review for i in (a.id, b.id, c.id, d.id)] == [
        Review.APPROVED,
        Review.APPROVED,
        Review.PROPOSED,
        Review.PROPOSED,
    ]
    assert result.summary() == "approved 2, 1 refused"
    assert tb.select(proposed_by="alice") == [c.id, d.id]


# ----------------------------------------------------------------- migration
def test_migration_of_a_database_made_by_the_schema_4_release(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with gzip.open(FIXTURES / "v4-release.sqlite.gz") as src, open(path, "wb") as out:
        shutil.copyfileobj(src, out)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
    before = {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("entries", "terms", "contexts", "sources", "history", "segments")
    }
    conn.close()
    with Termbase(path, user="alice", clock=lambda: FIXED_TIME) as tb:
        assert tb.store.schema_version == LATEST_VERSION
        assert (
            len(list(Path(path).parent.glob(f"{Path(path).name}.before-v{LATEST_VERSION}-*.bak")))
            == 1
        )
        stats = tb.stats()
        assert {k: stats[k] for k in before} == before  # nothing lost
        entry = tb.get(1)
        assert entry.review is Review.APPROVED and entry.note == "concept note"
        term = entry.terms[1]
        assert (term.text, term.note, term.contexts[0].text_zh) == (
            "high-quality development",
            "official",
            "",
        )
        # the deleted #3 keeps its history: a new concept gets #4
        new = tb.add(Entry(terms=[Term("新概念", "zh-CN")]))
        assert new.id == 4
        assert [r.action for r in tb.history(3)] == ["delete", "add"]
        assert tb.doctor() == []


# ------------------------------------------------------------------------ CLI
def test_cli_add_duplicate_into_and_new(run, base: int) -> None:
    out = run("add", "高質量發展", "quality growth", code=1).output
    assert out == (
        f"Error: 高質量發展 is already entry #{base} (高质量发展 → high-quality development, "
        f"approved); add the rendering to it with --into {base}, or pass --new to create a "
        "distinct concept (a homograph)\n"
    )
    out = run("add", "高质量发展", "quality growth", "--into", str(base)).output
    assert out == (f"#{base} 高质量发展: added to (version 3).\n")
    out = run("add", "高质量发展", "quality growth", "--new", "--subject", "education").output
    assert out.startswith(f"Added entry #{base + 1}: 高质量发展 → quality growth (proposed)")


def test_cli_translator_proposal_review_and_decision(run, base: int) -> None:
    out = run("--role", "translator", "add-term", str(base), "quality development").output
    assert out.splitlines() == [
        f"#{base} 高质量发展 is approved: your change is proposed as change #1 and waits for a "
        "reviewer ('termbase review').",
        "  + en 'quality development' (admitted)",
    ]
    out = run("--role", "translator", "approve", str(base), code=1).output
    assert out == "Error: approving needs the terminologist role (you are translator)\n"
    out = run("review").output
    assert out.splitlines() == [
        f"#{base} 高质量发展: change #1 by alice at {FIXED_TIME}",
        "    + en 'quality development' (admitted)",
        "1 waiting. Decide with 'termbase approve ID' / 'termbase reject ID'.",
    ]
    out = run("reject", str(base), "--reason", "not official").output
    assert out == f"Rejected proposed changes #1 of #{base} 高质量发展 (version 2, approved).\n"
    assert run("review").output == "Nothing waits for review.\n"
    out = run("approve", str(base)).output
    assert out == f"#{base} 高质量发展 is already approved; nothing changed.\n"


def test_cli_import_conflict_check_and_revert(run, base: int, tmp_path: Path) -> None:
    csv = tmp_path / "terms.csv"
    csv.write_text("zh,en\n高质量发展,quality development\n")
    out = run("import", str(csv)).output
    assert "1 changes to approved entries held for review" in out and "(import #1)" in out
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text("推动高质量发展。\n")
    tgt.write_text("Promote quality development.\n")
    out = run("check", str(src), str(tgt), "--json", code=1).output
    issues = json.loads(out)["issues"]
    assert [i["kind"] for i in issues] == ["missing"]
    assert run("imports").output.startswith(
        f"#1 terms.csv by alice at {FIXED_TIME}: 0 new, 0 extended, 1 proposed"
    )
    out = run("review", "--import", "1").output
    assert "+ en 'quality development' (admitted)" in out
    out = run("import", "--revert", "1").output
    assert out == (
        "Reverted import #1: 0 entries deleted, 0 restored, 1 proposed changes withdrawn.\n"
    )
    assert run("review").output == "Nothing waits for review.\n"


def test_cli_batch_review_counts_first(run, db_path: Path) -> None:
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME) as tb:
        for zh, en in (("安全", "security"), ("风险", "risk"), ("经济", "economy")):
            tb.add(Entry(subject="security", terms=[Term(zh, "zh-CN"), Term(en, "en")]))
    out = run("approve", "--subject", "security").output
    assert out.splitlines() == [
        "would approve 3: #1, #2, #3",
        "Nothing written; run again with --yes to approve them.",
    ]
    assert run("approve", "1", "2", "--dry-run").output == "would approve 2: #1, #2\n"
    assert run("approve", "--subject", "SECURITY", "--yes").output == "approved 3: #1, #2, #3\n"
    out = run("reject", "1", "2", "--reason", "too general").output
    assert out == "rejected 2: #1, #2\n"


def test_cli_edit_delete_undelete_revert_merge(run, base: int) -> None:
    assert run("edit", str(base), "--note", "official").output == (
        f"#{base} 高质量发展: changed (version 3).\n"
    )
    run("add-term", str(base), "高品质发展", "--lang", "zh")
    out = run(
        "edit-term",
        str(base),
        "high-quality development",
        "--add-context",
        "We pursue high-quality development.",
        "--context-zh",
        "推动高质量发展。",
    ).output
    assert out == f"#{base} 高质量发展: changed (version 5).\n"
    shown = json.loads(run("show", str(base), "--json").output)
    en = shown["terms"][1]
    assert en["contexts"][0]["text_zh"] == "推动高质量发展。"
    assert shown["terms"][2]["lang"] == "zh-CN"
    run("edit-term", str(base), "高品质发展", "--status", "superseded")
    run("delete-term", str(base), "高品质发展")
    assert run("revert", str(base), "--to", "3").output == (
        f"Reverted #{base} 高质量发展 to version 3 (now version 8).\n"
    )
    assert run("delete", str(base)).output == (
        f"Deleted #{base} 高质量发展; 'termbase undelete {base}' brings it back.\n"
    )
    assert run("undelete", str(base)).output == f"Undeleted #{base} 高质量发展 (version 9).\n"
    other = run("add", "高质量发展", "quality growth", "--new").output.split("#")[1].split(":")[0]
    out = run("doctor", code=1).output
    assert f"likely duplicate: entries #{base}, #{other} share the Chinese term 高质量发展" in out
    out = run("merge", str(base), other).output
    assert out.startswith(f"Merged #{other} 高质量发展 into #{base} 高质量发展")
    assert "merged-into" in run("history", other).output


def test_a_csv_rows_note_and_source_stay_with_its_rendering(tb: Termbase, tmp_path: Path) -> None:
    entry = tb.add(
        Entry(
            note="the concept's own note",
            terms=[Term("绿色发展", "zh-CN"), Term("green development", "en")],
        )
    )
    approved_entry = approved(tb)
    csv = tmp_path / "rows.csv"
    csv.write_text(
        "zh,en,note,citation\n"
        "绿色发展,green growth,used by Xinhua,Xinhua 2021\n"
        "高质量发展,quality development,a row note,China Daily\n",
        encoding="utf-8",
    )
    tb.import_file(csv)
    stored = tb.get(entry.id)
    assert stored.note == "the concept's own note"
    growth = next(t for t in stored.terms if t.text == "green growth")
    assert (growth.note, growth.source.title if growth.source else "") == (
        "used by Xinhua",
        "Xinhua 2021",
    )
    tb.approve(approved_entry.id)  # accept the import's proposal
    added = next(t for t in tb.get(approved_entry.id).terms if t.text == "quality development")
    assert (added.note, tb.get(approved_entry.id).note) == ("a row note", "")


def test_cli_set_status_says_when_held_or_unchanged(run, base: int) -> None:
    run("add-term", str(base), "quality growth")
    out = run("--role", "translator", "set-status", str(base), "quality growth", "preferred").output
    assert "your change is proposed as change #1" in out
    assert out.splitlines()[1:] == [
        "  ~ en 'high-quality development' status: 'preferred' → 'admitted'",
        "  ~ en 'quality growth' status: 'admitted' → 'preferred'",
    ]
    out = run("set-status", str(base), "high-quality development", "preferred").output
    assert out == f"#{base} 高质量发展: nothing to change.\n"


def test_cli_invariants(run, base: int, tmp_path: Path) -> None:
    out = run("add", "共同富裕").output
    assert out == f"Added entry #{base + 1}: 共同富裕 → (no English yet) (proposed)\n"
    out = run("approve", str(base + 1), code=1).output
    assert out == (
        f"Error: entry #{base + 1} cannot be approved: it has no preferred or admitted English "
        f"rendering; add one first (termbase add-term {base + 1} TEXT --lang en)\n"
    )
    out = run("set-status", str(base), "高质量发展", "deprecated", code=1).output
    assert out.startswith("Error: cannot deprecate '高质量发展': it is the last usable zh term")
    ids = [t["id"] for t in json.loads(run("show", str(base), "--json").output)["terms"]]
    run("reject", str(base), "--reason", "check the English")
    run("edit-term", str(base), "high-quality development", "--text", "high quality development")
    after = json.loads(run("show", str(base), "--json").output)["terms"]
    assert [t["id"] for t in after] == ids  # term ids are stable
    run("delete", str(base + 1))
    out = run("add", "共享发展", "shared development").output
    assert out.startswith(f"Added entry #{base + 2}:")  # #{base + 1} is never given again
    assert "共同富裕" in run("history", str(base + 1)).output


def test_recognize_export_writes_approved_entries_by_default(
    run, db_path: Path, tmp_path: Path
) -> None:
    with Termbase(db_path, user="alice", clock=lambda: FIXED_TIME) as tb:
        approved(tb)
        tb.add(Entry(terms=[Term("新质生产力", "zh-CN"), Term(PROPOSED_EN, "en")]))
    text = tmp_path / "doc.txt"
    text.write_text("推动高质量发展，发展新质生产力。\n", encoding="utf-8")
    glossary = tmp_path / "doc.po"
    run("recognize", str(text), "--export", str(glossary))
    assert "high-quality development" in glossary.read_text(encoding="utf-8")
    assert PROPOSED_EN not in glossary.read_text(encoding="utf-8")
    run("recognize", str(text), "--export", str(glossary), "--review", "all")
    assert PROPOSED_EN in glossary.read_text(encoding="utf-8")


PROPOSED_EN = "new quality productive forces"


def test_review_diff_shows_the_rows_note_and_source(tb: Termbase, tmp_path: Path) -> None:
    entry = approved(tb)
    csv = tmp_path / "rows.csv"
    csv.write_text("zh,en,note,citation\n高质量发展,quality development,a row note,China Daily\n")
    tb.import_file(csv)
    [item] = tb.review_items()
    assert (item.entry_id, item.diff) == (
        entry.id,
        ["+ en 'quality development' (admitted) — note: a row note — source: China Daily"],
    )


def test_cli_edit_concept_sources(run, base: int) -> None:
    out = run(
        "edit",
        str(base),
        "--add-source",
        "Report to the 20th National Congress",
        "--source-url",
        "https://www.example.org/report",
        "--source-date",
        "2022",
    ).output
    assert out == f"#{base} 高质量发展: changed (version 3).\n"
    shown = json.loads(run("show", str(base), "--json").output)
    assert [s["title"] for s in shown["sources"]] == ["Report to the 20th National Congress"]
    run("edit", str(base), "--remove-source", "0")
    assert json.loads(run("show", str(base), "--json").output)["sources"] == []
    assert "removed source" in run("history", str(base)).output
