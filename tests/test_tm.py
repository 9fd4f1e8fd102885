"""Translation memory: storage, imports, fuzzy match, concordance, terms, CLI."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase.api import Termbase
from termbase.errors import FormatError, InvalidValueError
from termbase.model import Entry, Review, Segment, Term, TermStatus
from termbase.tm import ZH_MODE, comparison_key, score

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CLOCK = "2026-01-01T00:00:00Z"

PAIRS = [
    ("我们要推动高质量发展。", "We must promote high-quality development."),
    ("我们必须推动高质量发展。", "We must pursue high-quality development."),
    ("构建新发展格局。", "Foster a new development pattern."),
    ("统筹发展和安全。", "Balance development and security."),
]


@pytest.fixture()
def tb() -> Termbase:
    base = Termbase(":memory:", user="tester", seed=False, clock=lambda: CLOCK)
    base.tm.import_segments([Segment(zh, en) for zh, en in PAIRS], origin="test")
    return base


# ------------------------------------------------------------------ storage
def test_duplicates_are_stored_once_and_counted(tb: Termbase) -> None:
    report = tb.tm.import_segments(
        [Segment(" 构建新发展格局。", "Foster  a new development pattern. "), Segment("新", "")],
        origin="again",
    )
    assert (report.read, report.added, report.duplicates, report.skipped) == (2, 0, 1, 1)
    assert report.problems == ["pair 2: empty source or target"]
    stored = {s.source: s for s in tb.tm.segments()}
    assert stored["构建新发展格局。"].count == 2
    assert tb.tm.count() == 4


def test_add_records_origin_creator_and_dates(tb: Termbase) -> None:
    seg = tb.tm.add(Segment("坚持以人民为中心。", "Put the people first.", origin="manual"))
    stored = next(s for s in tb.tm.segments() if s.id == seg.id)
    assert (stored.origin, stored.creator, stored.created_at, stored.changed_at) == (
        "manual",
        "tester",
        CLOCK,
        CLOCK,
    )


def test_stats(tb: Termbase) -> None:
    assert tb.tm.stats()["segments"] == 4
    assert tb.tm.stats()["directions"] == {"zh-CN→en": 4}


# ------------------------------------------------------------------ scoring
@pytest.mark.parametrize(
    ("query", "stored", "expected"),
    [
        ("我们要推动高质量发展。", "我们要推动高质量发展。", 100),
        ("推动ＧＤＰ增长。", "推动 gdp 增长。", 99),  # width, case and spacing only
        ("我们要推动高质量发展。", "我们要推动高质量发展", 99),  # only a mark: fixed penalty
        ("我们要推动高质量发展。", "我们要推动高质量发展！", 99),
        ("我们要，推动高质量发展。", "我们要推动高质量发展", 98),  # two marks: at most 2
        ("我们要推动高质量的发展。", "我们要推动高质量发展", 90),  # 1 edit / 12, then 1 mark
        ("我们要推动高质量发展。", "我们必须推动高质量发展。", 83),  # 2 edits / 12
    ],
)
def test_score_is_the_cat_percentage(query: str, stored: str, expected: int) -> None:
    q, s = comparison_key(query, ZH_MODE)[0], comparison_key(stored, ZH_MODE)[0]
    assert score(q, query, s, stored) == expected


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("我们要推动高质量发展", "我们要推动高质量发展。"),  # 11 units: was 90
        (
            "统筹发展和安全是新时代党治国理政的一个重大原则",
            "统筹发展和安全是新时代党治国理政的一个重大原则。",
        ),  # was 95
        ("We must promote high-quality development", "We must promote high-quality development."),
    ],
)
def test_a_punctuation_only_difference_is_98_to_99_and_shown(query: str, stored: str) -> None:
    tb = Termbase(":memory:", user="t", seed=False)
    tb.tm.import_segments([Segment(stored, "译文", "zh-CN", "en")])
    if "We" in query:
        tb.tm.import_segments([Segment("我们必须推动高质量发展。", stored, "zh-CN", "en")])
    [match] = [m for m in tb.tm.match(query) if m.text == stored]
    assert match.score == 99
    assert [(p.op, p.query, p.match) for p in match.diff if p.op != "equal"] == [
        ("insert", "", "。" if "我" in query or "统" in query else ".")
    ]


def test_batch_scores_agree_with_the_one_pair_score() -> None:
    """Stage two scores a batch of candidates at once; each match's percentage is
    what :func:`score` gives that pair alone, punctuation included."""
    rng = random.Random(7)
    words = ["发展", "安全", "高质量", "，", "。", "、", "新", "格局", "；", "推动"]
    english = ["we", "must", "promote", ",", ".", "high-quality", "development", ";", "security"]
    pairs = []
    for _ in range(300):
        zh = "".join(rng.choice(words) for _ in range(rng.randint(3, 9)))
        en = " ".join(rng.choice(english) for _ in range(rng.randint(3, 9)))
        pairs.append(Segment(zh, en, "zh-CN", "en"))
    base = Termbase(":memory:", user="t", seed=False)
    base.tm.import_segments(pairs)
    checked = 0
    for query in [p.source for p in pairs[:20]] + [p.target for p in pairs[:20]]:
        mode = "zh" if any("\u4e00" <= c <= "\u9fff" for c in query) else "en"
        for m in base.tm.match(query, limit=50, min_score=70):
            q, t = comparison_key(query, mode)[0], comparison_key(m.text, mode)[0]
            assert m.score == score(q, query, t, m.text), (query, m.text)
            checked += 1
    assert checked > 100


def test_match_scores_and_diff(tb: Termbase) -> None:
    matches = tb.tm.match("我们要推动高质量的发展。")
    assert [(m.score, m.text) for m in matches] == [
        (91, "我们要推动高质量发展。"),
        (75, "我们必须推动高质量发展。"),  # 要→必须 and 的 deleted: 3 edits / 12
    ]
    best = matches[0]
    assert best.translation == "We must promote high-quality development."
    assert [(p.op, p.query, p.match) for p in best.diff] == [
        ("equal", "我们要推动高质量", "我们要推动高质量"),
        ("delete", "的", ""),
        ("equal", "发展。", "发展。"),
    ]


def test_identical_text_is_100_and_limit_and_min(tb: Termbase) -> None:
    assert [m.score for m in tb.tm.match("构建新发展格局。")] == [100]
    assert [m.score for m in tb.tm.match("我们要推动高质量的发展。", limit=1)] == [91]
    assert tb.tm.match("我们要推动高质量的发展。", min_score=95) == []
    with pytest.raises(InvalidValueError, match="--min must be"):
        tb.tm.match("发展", min_score=120)


def test_english_query_matches_the_english_side_of_either_direction(tb: Termbase) -> None:
    tb.tm.add(Segment("Build a community of shared future.", "构建人类命运共同体。", "en", "zh-CN"))
    matches = tb.tm.match("We must promote high quality development.")
    # "high quality" against "high-quality": only a mark differs
    assert [(m.score, m.side) for m in matches] == [(99, "target"), (86, "target")]
    reverse = tb.tm.match("Build a community of a shared future.")
    assert [(m.score, m.side, m.translation) for m in reverse] == [
        (87, "source", "构建人类命运共同体。")
    ]


def test_two_stage_agrees_with_exhaustive_scoring() -> None:
    rng = random.Random(3)
    alphabet = "发展安全国家经济社会治理体系能力现代化建设推进坚持改革开放创新协调绿色共享"
    texts = sorted(
        {"".join(rng.choice(alphabet) for _ in range(rng.randint(6, 20))) for _ in range(2000)}
    )
    tb = Termbase(":memory:", user="t", seed=False)
    tb.tm.import_segments([Segment(t, f"pair {i}") for i, t in enumerate(texts)])
    keys = [comparison_key(t, ZH_MODE)[0] for t in texts]
    for text in texts[:40]:
        query = text[:-2] + rng.choice(alphabet) + text[-1]
        qkey = comparison_key(query, ZH_MODE)[0]
        expected = sorted(
            (score(qkey, query, k, t) for k, t in zip(keys, texts, strict=True)), reverse=True
        )
        expected = [s for s in expected if s >= 70][:5]
        assert [m.score for m in tb.tm.match(query, with_terms=False)] == expected


SHORT_PAIRS = [
    ("世界工厂", "world's factory"),
    ("求是", "Qiushi"),
    ("外国制裁", "foreign sanctions"),
    ("国家安全", "homeland security"),
    ("经济安全", "economic security"),
    ("大安全格局", "broader security architecture"),
]


def test_cli_short_query_with_marks_finds_its_match(tmp_path: Path, run) -> None:
    """A short query whose marks fall inside a word (世、界厂 for 世界工厂: no
    bigram in common until the mark is taken out) or that a mark makes longer
    than its match still finds every match at the memory's threshold."""
    tsv = tmp_path / "short.tsv"
    tsv.write_text("".join(f"{zh}\t{en}\n" for zh, en in SHORT_PAIRS), encoding="utf-8")
    run("init", "--empty")
    run("tm", "import", str(tsv))
    out = run("tm", "match", "世、界厂").output
    # 1 edit (工) over 4 units, then 1 point for the mark: 74 %
    assert out.startswith(" 74%  世[-、界-]{+界工+}厂\n      world's factory\n"), out
    assert run("tm", "match", "求”？是").output.startswith(" 98%  求[-”？-]是\n")
    out = run("tm", "match", "homeland  security ?:").output
    assert [line.split("%")[0].strip() for line in out.splitlines() if "%" in line] == [
        "98",
        "73",
    ]


def test_short_queries_with_marks_miss_no_match_above_the_threshold() -> None:
    """Generated: short stored texts (Chinese and English) with marks and spaces
    added and a word changed; every pair that the exhaustive scoring (the same
    scorer over every stored pair) puts at 70 % or more is among the matches,
    unless it has no Chinese character pair in common with the query once the
    query's marks are out: the index cannot find that (the query's marks count
    in its length, so 治新理” is 74 % of 治理)."""
    rng = random.Random(16)
    zh_words = ["发展", "安全", "高质量", "新", "格局", "推动", "国家", "治理", "体系", "现代化"]
    en_words = ["new", "security", "development", "national", "pattern", "high-quality", "risk"]
    zh_marks, en_marks = "，。、；：“”（）！？", [",", ".", ";", ":", "(", ")", "!", "?", '"']
    stored = sorted(
        {"".join(rng.choice(zh_words) for _ in range(rng.randint(1, 4))) for _ in range(150)}
        | {" ".join(rng.choice(en_words) for _ in range(rng.randint(1, 4))) for _ in range(150)}
    )
    base = Termbase(":memory:", user="t", seed=False)
    base.tm.import_segments(
        [Segment("译文", t) if t.isascii() else Segment(t, "text") for t in stored]
    )

    def pairs(text: str) -> set[str]:
        han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
        return {a + b for a, b in itertools.pairwise(han)}

    checked = unreachable = 0
    for _ in range(300):
        text = rng.choice(stored)
        chinese = not text.isascii()
        units = list(text) if chinese else text.split()
        for _ in range(rng.randint(1, 3)):  # marks and spaces
            at = rng.randrange(len(units) + 1)
            if rng.random() < 0.6:
                units.insert(at, rng.choice(zh_marks) if chinese else rng.choice(en_marks))
            else:
                units.insert(at, " ")
        at = rng.randrange(len(units))  # and a word changed
        units[at] = rng.choice(zh_words if chinese else en_words)
        query = ("" if chinese else " ").join(units)
        if not query.strip():
            continue
        mode = "zh" if chinese else "en"
        qkey = comparison_key(query, mode)[0]
        expected = {t for t in stored if score(qkey, query, comparison_key(t, mode)[0], t) >= 70}
        found = {m.text for m in base.tm.match(query, limit=len(stored), with_terms=False)}
        for missed in expected - found:
            assert chinese and not pairs(query) & pairs(missed), (query, missed)
            unreachable += 1
        checked += len(expected)
    assert checked > 300
    assert unreachable <= checked // 100


def test_a_memory_indexed_with_marks_in_its_bigrams_is_indexed_again(tmp_path: Path) -> None:
    """The schema 4 release indexed 展。 as a bigram; migration 10 drops that index
    and the next match builds it again, marks taken out."""
    import gzip
    import shutil

    path = tmp_path / "old.sqlite"
    with gzip.open(FIXTURES / "v4-release.sqlite.gz") as src, open(path, "wb") as out:
        shutil.copyfileobj(src, out)
    with Termbase(path, user="t") as base:
        assert base.tm.unindexed() == 1
        assert [m.score for m in base.tm.match("推动，高质量发展")] == [99]  # ， for 。
        grams = {r[0] for r in base.store.conn.execute("SELECT gram FROM tm_postings")}
        assert "z 展。" not in grams and "z 推动" in grams


# -------------------------------------------------------------- concordance
def test_concordance_chinese_substring(tb: Termbase) -> None:
    hits = tb.tm.concordance("高质量发展")
    assert [(h.text, h.spans) for h in hits] == [
        ("我们必须推动高质量发展。", [(6, 11)]),
        ("我们要推动高质量发展。", [(5, 10)]),
    ]
    assert hits[0].translation == "We must pursue high-quality development."
    assert [h.text for h in tb.tm.concordance("统")] == ["统筹发展和安全。"]


def test_concordance_english_words(tb: Termbase) -> None:
    hits = tb.tm.concordance("High-Quality development")
    assert [(h.text, h.spans, h.side) for h in hits] == [
        ("We must pursue high-quality development.", [(15, 39)], "target"),
        ("We must promote high-quality development.", [(16, 40)], "target"),
    ]
    assert tb.tm.concordance("quality developments") == []


# -------------------------------------------------------------------- terms
def test_matches_list_terms_with_their_renderings(tb: Termbase) -> None:
    tb.add(
        Entry(
            terms=[
                Term("高质量发展", "zh-CN", TermStatus.PREFERRED),
                Term("high-quality development", "en", TermStatus.PREFERRED),
                Term("quality growth", "en", TermStatus.ADMITTED),
                Term("high quality development", "en", TermStatus.DEPRECATED),
            ],
            review=Review.APPROVED,
        )
    )
    best = tb.tm.match("我们要推动高质量发展。")[0]
    assert [(t.text, t.renderings, t.approved, t.in_translation, t.start) for t in best.terms] == [
        ("高质量发展", ["high-quality development", "quality growth"], True, True, 5)
    ]


# ------------------------------------------------------------ files and CLI
def _tmx(path: Path, body: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN" '
        'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
        f'creationtoolversion="1"/><body>\n{body}</body></tmx>\n',
        encoding="utf-8",
    )
    return path


TU = (
    '<tu><prop type="x-project">p1</prop><note>checked</note>'
    '<tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv></tu>\n'
)


def test_tmx_import_export_round_trip(tb: Termbase, tmp_path: Path) -> None:
    src = _tmx(
        tmp_path / "in.tmx", TU.format(zh="坚持总体国家安全观。", en="Follow a holistic approach.")
    )
    report = tb.tm.import_file(src)
    assert report.summary() == (f"{src}: read 1 pairs; added 1, 0 duplicates counted, 0 skipped")
    seg = next(s for s in tb.tm.segments() if s.source == "坚持总体国家安全观。")
    assert (seg.origin, seg.notes) == ("in.tmx", ["checked"])
    out = tmp_path / "out.tmx"
    assert tb.tm.export_file(out) == 5
    again = Termbase(":memory:", user="t", seed=False)
    assert again.tm.import_file(out).added == 5
    assert {(s.source, s.target) for s in again.tm.segments()} == {
        (s.source, s.target) for s in tb.tm.segments()
    }


def test_dry_run_writes_nothing(tb: Termbase, tmp_path: Path) -> None:
    src = _tmx(tmp_path / "in.tmx", TU.format(zh="全面深化改革。", en="Deepen reform."))
    report = tb.tm.import_file(src, dry_run=True)
    assert (report.added, report.dry_run) == (1, True)
    assert report.summary().endswith(
        "would add 1, 0 duplicates counted, 0 skipped (dry run: nothing written)"
    )
    assert tb.tm.count() == 4
    assert tb.tm.concordance("深化改革") == []


def test_broken_file_leaves_memory_as_before(tb: Termbase, tmp_path: Path) -> None:
    good = TU.format(zh="全面深化改革。", en="Deepen reform.")
    src = _tmx(tmp_path / "bad.tmx", good + "<tu><tuv xml:lang='zh-CN'><seg>坏</tuv></tu>\n")
    with pytest.raises(FormatError) as info:
        tb.tm.import_file(src)
    assert str(info.value).startswith(f"{src}:4:39: not well-formed XML")
    assert tb.tm.count() == 4
    assert tb.tm.match("全面深化改革。") == []


def test_cli_match_search_import(tmp_path: Path) -> None:
    from termbase.cli import cli

    db = str(tmp_path / "tm.sqlite")
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("".join(f"{zh}\t{en}\n" for zh, en in PAIRS), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init", "--empty"]).exit_code == 0
    result = runner.invoke(cli, ["--db", db, "tm", "import", str(tsv)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{tsv}: read 4 pairs; added 4, 0 duplicates counted, 0 skipped\n"
    result = runner.invoke(
        cli, ["--db", db, "tm", "match", "我们要推动高质量的发展。", "--limit", "1"]
    )
    assert result.output == (
        " 91%  我们要推动高质量[-的-]发展。\n"
        "      We must promote high-quality development.\n"
        "      #1 pairs.tsv ×1\n"
    )
    result = runner.invoke(cli, ["--db", db, "tm", "search", "新发展格局"])
    assert result.output == "#3  构建«新发展格局»。\n      Foster a new development pattern.\n"
    result = runner.invoke(cli, ["--db", db, "tm", "match", "something else entirely"])
    assert result.output == "No matches at 70% or more.\n"
    result = runner.invoke(cli, ["--db", db, "tm", "import", str(tmp_path / "missing.tmx")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "missing.tmx" in result.output


def test_segments_written_elsewhere_are_indexed_on_next_use(tb: Termbase) -> None:
    tb.store.conn.execute(
        "INSERT INTO segments(source_lang, target_lang, source, target, hash) "
        "VALUES ('zh-CN', 'en', '推进国家安全体系现代化。', 'Modernise national security.', 'h1')"
    )
    assert [m.score for m in tb.tm.match("推进国家安全体系现代化。")] == [100]


def test_schema_has_tm_index_tables(tb: Termbase) -> None:
    names = {r[0] for r in tb.store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"tm_postings", "tm_meta"} <= names
    assert any(v == 3 for v, _, _ in tb.store.migrations_applied())


# ------------------------------------------------------------ real corpus
def test_real_omegat_tmx(tmp_path: Path) -> None:
    path = CORPUS / "tmx" / "OmegaT-L10N_zh_CN_project_save.tmx"
    if not path.exists():
        pytest.skip("shared/corpus is not beside the repository")
    tb = Termbase(":memory:", user="t", seed=False)
    report = tb.tm.import_file(path)
    assert report.read == 10915
    assert report.added + report.duplicates + report.skipped == 10915
    first = next(iter(tb.tm.segments()))
    assert [m.score for m in tb.tm.match(first.source, limit=1)] == [100]
    assert tb.tm.concordance("字体")[0].spans


def test_real_xliff_and_po(tmp_path: Path) -> None:
    xlf = CORPUS / "xliff" / "symfony_validators.zh_CN.xlf"
    po = CORPUS / "po" / "mkdocs_zh_CN_messages.po"
    if not xlf.exists() or not po.exists():
        pytest.skip("shared/corpus is not beside the repository")
    tb = Termbase(":memory:", user="t", seed=False)
    assert tb.tm.import_file(xlf).added > 50
    assert tb.tm.import_file(po).added > 10
    hits = tb.tm.concordance("变量的值")
    assert len(hits) >= 2 and all("变量的值" in h.text for h in hits)


# ---------------------------------------------------------------------- TUI
async def test_tui_tm_screen_shows_matches_concordance_and_terms(tmp_path: Path) -> None:
    from tui.app import make_app
    from tui.screens.tm import TMScreen

    db = tmp_path / "tui.sqlite"
    base = Termbase(db, user="tester", seed=False, clock=lambda: CLOCK)
    base.tm.import_segments([Segment(zh, en) for zh, en in PAIRS], origin="test")
    base.add(
        Entry(
            terms=[
                Term("高质量发展", "zh-CN", TermStatus.PREFERRED),
                Term("high-quality development", "en", TermStatus.PREFERRED),
            ]
        )
    )
    app = make_app(base)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = TMScreen()
        app.push_screen(screen)
        await pilot.pause()
        await pilot.click("#tm-query")
        screen.query_one("#tm-query").value = "我们要推动高质量的发展。"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [m.score for m in screen.matches] == [91, 75]
        assert [t.text for t in screen.matches[0].terms] == ["高质量发展"]
        assert screen.hits == []  # the whole sentence is not stored verbatim
        status = str(screen.query_one("#tm-status").render())
        assert status == "2 matches, 0 concordance hits for '我们要推动高质量的发展。'"
    base.close()


def test_pairs_indexed_before_tm_keys_get_their_keys(tb: Termbase) -> None:
    tb.tm.import_segments(
        [
            Segment("推进国家安全体系现代化。", "Modernise national security.", "zh-CN", "en"),
            Segment("Ensure national security.", "确保国家安全。", "en", "zh-CN"),
        ]
    )
    conn = tb.store.conn
    # a memory written by schema 3: index and key lengths, no tm_keys rows
    with tb.store.transaction():
        conn.execute("DELETE FROM tm_keys")
        conn.execute("DELETE FROM tm_meta WHERE name = 'keys_upto'")
    tb.tm._invalidate()
    assert [m.score for m in tb.tm.match("推进国家安全体系现代化")] == [99]  # only 。 differs
    assert [m.score for m in tb.tm.match("ensure national secure!")] == [74]  # 1 of 4, then !
    rows = {tuple(r) for r in conn.execute("SELECT zh, en FROM tm_keys")}
    assert ("推进国家安全体系现代化。", "modernise national security .") in rows
    assert ("确保国家安全。", "ensure national security .") in rows
    assert len(rows) == conn.execute("SELECT count(*) FROM segments").fetchone()[0]


def test_unindexed_counts_what_the_next_match_indexes(tb: Termbase) -> None:
    tb.tm.import_segments([Segment("发展格局。", "Development pattern.", "zh-CN", "en")])
    assert tb.tm.unindexed() == 0
    conn = tb.store.conn
    with tb.store.transaction():
        conn.execute("DELETE FROM tm_meta WHERE name = 'keys_upto'")  # as schema 3 left it
        conn.execute(
            "INSERT INTO segments(source_lang, target_lang, source, target, hash) "
            "VALUES ('zh-CN', 'en', '安全。', 'Security.', 'h2')"
        )
    stored = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
    assert tb.tm.unindexed() == stored  # every pair needs its keys, the last its postings too
    tb.tm.match("安全")
    assert tb.tm.unindexed() == 0


def test_word_table_is_bounded_and_never_reuses_a_code() -> None:
    from termbase.tm.keys import WordCodes

    table = WordCodes(limit=3)
    with table.in_use():
        codes = [table.code(w) for w in ("a", "b", "c", "d", "e")]
        assert len(set(codes)) == 5  # past the limit inside an operation: still distinct
        with table.in_use():  # another operation running: the table is kept
            assert table.code("a") == codes[0]
    with table.in_use():  # no operation running and over the limit: emptied
        assert table.codes == {}
        assert table.code("z") == codes[0]  # numbering starts again, on an empty table


def test_indexing_pairs_adds_no_words_to_the_table(tb: Termbase) -> None:
    from termbase.tm.keys import WORDS

    before = len(WORDS.codes)
    pairs = [Segment(f"第{i}句", f"sentence number {i} unlike any zyx{i}") for i in range(50)]
    tb.tm.import_segments(pairs)
    assert len(WORDS.codes) == before
    assert tb.tm.match("sentence number 7 unlike any zyx7", limit=1)[0].score == 100
