"""Search the way a translator types: Chinese, traditional, pinyin, English, typos, filters."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from termbase import Entry, Review, Term, Termbase, TermStatus, TermType
from termbase.errors import InvalidValueError

from .conftest import FIXED_TIME


def _e(
    zh: str,
    *english: tuple[str, str],
    subject: str = "",
    review: str = "proposed",
    extra: list[Term] | None = None,
) -> Entry:
    terms = [Term(zh, "zh-CN", "preferred")]
    terms += [Term(text, "en", status) for text, status in english]
    terms += extra or []
    return Entry(terms=terms, subject=subject, review=Review(review))


@pytest.fixture(scope="module")
def tb(tmp_path_factory: pytest.TempPathFactory) -> Termbase:
    path: Path = tmp_path_factory.mktemp("search") / "s.sqlite"
    base = Termbase(path, user="t", clock=lambda: FIXED_TIME)
    base.add(
        _e(
            "高质量发展",
            ("high-quality development", "preferred"),
            subject="development",
            review="approved",
        )
    )
    base.add(
        _e(
            "新发展格局",
            ("new development pattern", "preferred"),
            ("new development dynamic", "admitted"),
            ("New Development Paradigm", "deprecated"),
            subject="development",
            review="approved",
        )
    )
    base.add(
        _e(
            "统筹发展和安全",
            ("ensure both development and security", "preferred"),
            ("balance development and security", "admitted"),
            subject="national security",
        )
    )
    base.add(_e("安全", ("security", "preferred"), subject="national security"))
    base.add(_e("发展", ("development", "preferred"), subject="development"))
    base.add(_e("银行", ("bank", "preferred")))
    base.add(_e("行动", ("action", "preferred")))
    base.add(_e("重要", ("important", "preferred")))
    base.add(_e("重新", ("again", "preferred")))
    base.add(
        _e(
            "全球发展倡议",
            ("Global Development Initiative", "preferred"),
            extra=[Term("GDI", "en", "admitted", TermType.ABBREVIATION)],
        )
    )
    base.add(_e("合作共赢", ("win-win cooperation", "preferred")))
    base.add(_e("中国的", ("China's", "preferred")))
    base.add(_e("绿色发展", ("green development", "preferred")))
    yield base
    base.close()


def zh(hits) -> list[str]:
    return [h.entry.zh for h in hits]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("安", "安全"),  # one character: exact first
        ("发展", "发展"),  # two characters, exact first
        ("质量发", "高质量发展"),  # substring of 3+
        ("高质量发展", "高质量发展"),
        ("高質量發展", "高质量发展"),  # traditional finds simplified
        ("統籌發展和安全", "统筹发展和安全"),
        ("ＧＤＩ", "全球发展倡议"),  # full-width folds
        ("win–win", "合作共赢"),  # en dash folds
        ("China’s", "中国的"),  # curly apostrophe folds
        ("gāo zhìliàng", "高质量发展"),  # toned pinyin
        ("gaozhiliang fazhan", "高质量发展"),  # toneless with space
        ("gaozhiliangfazhan", "高质量发展"),  # toneless without spaces
        ("gao1 zhi4 liang4", "高质量发展"),  # tone numbers
        ("gzlfz", "高质量发展"),  # initials
        ("yinhang", "银行"),  # heteronym 行 háng, by phrase
        ("xingdong", "行动"),  # 行 xíng
        ("zhongyao", "重要"),  # 重 zhòng
        ("chongxin", "重新"),  # 重 chóng
        ("lvse", "绿色发展"),  # ü typed as v
        ("development patterns", "新发展格局"),  # inflection, any order
        ("patterns development", "新发展格局"),
        ("ensuring security", "统筹发展和安全"),
        ("Development", "发展"),  # case-insensitive, exact first
        ("developmnet pattern", "新发展格局"),  # typo pass
    ],
)
def test_query_kinds(tb: Termbase, query: str, first: str) -> None:
    hits = tb.search(query)
    assert hits, query
    assert hits[0].entry.zh == first


def test_ranking_exact_prefix_substring(tb: Termbase) -> None:
    hits = tb.search("发展")
    order = [h.match for h in hits]
    assert order[0] == "exact" and hits[0].entry.zh == "发展"
    assert order == sorted(order, key=["exact", "prefix", "substring", "fuzzy"].index)
    hits = tb.search("gaozhiliang")
    assert hits[0].match == "prefix"


def test_approved_before_proposed(tb: Termbase) -> None:
    hits = tb.search("发展", limit=50)
    substrings = [h for h in hits if h.match == "substring"]
    reviews = [h.entry.review.value for h in substrings]
    assert reviews == sorted(reviews, key=lambda r: r != "approved")


def test_phrase_in_quotes(tb: Termbase) -> None:
    assert zh(tb.search('"development and security"')) == ["统筹发展和安全"]
    assert zh(tb.search('"security and development"')) == []


def test_deprecated_hit_points_to_preferred(tb: Termbase) -> None:
    (hit,) = tb.search("paradigm")
    assert hit.term.text == "New Development Paradigm"
    assert hit.term.status is TermStatus.DEPRECATED
    assert hit.preferred_for_deprecated == ["new development pattern"]
    assert hit.as_json()["use_instead"] == ["new development pattern"]


def test_filters(tb: Termbase) -> None:
    assert set(zh(tb.search("发展", review="approved"))) == {"高质量发展", "新发展格局"}
    assert zh(tb.search("发展", subject="national security")) == ["统筹发展和安全"]
    assert zh(tb.search("development", status="deprecated")) == ["新发展格局"]
    assert zh(tb.search("development", lang="zh")) == []
    assert "发展" in zh(tb.search("development", lang="en"))


def test_source_filter(tmp_path: Path) -> None:
    from termbase import Source

    with Termbase(tmp_path / "f.sqlite", user="t") as base:
        e = _e("发展", ("development", "preferred"))
        e.sources = [Source("Paper on development")]
        base.add(e)
        base.add(_e("发展中", ("developing", "preferred")))
        assert zh(base.search("发展", source="Paper")) == ["发展"]


def test_nothing_found(tb: Termbase) -> None:
    assert tb.search("量子纠缠") == []


def test_an_empty_query_is_refused(tb: Termbase) -> None:
    for query in ("", "   ", "\u200b"):
        with pytest.raises(InvalidValueError, match="give a word or phrase to search for"):
            tb.search(query)


def test_index_follows_changes(tb: Termbase) -> None:
    entry = tb.search("银行")[0].entry
    tb.add_term(entry.id, Term("banking house", "en"))  # the last usable one stays usable
    tb.set_status(entry.id, "bank", "deprecated")
    assert tb.search("bank")[0].term.status is TermStatus.DEPRECATED
    tb.set_status(entry.id, "bank", "preferred")


def test_exact_order_for_two_characters(tb: Termbase) -> None:
    # exact, then substrings: preferred before admitted, approved before proposed, shorter first
    assert zh(tb.search("发展")) == [
        "发展",
        "高质量发展",
        "新发展格局",
        "绿色发展",
        "全球发展倡议",
        "统筹发展和安全",
    ]
    assert [h.match for h in tb.search("发展")] == ["exact"] + ["substring"] * 5


def test_exact_order_for_one_character(tb: Termbase) -> None:
    assert zh(tb.search("安")) == ["安全", "统筹发展和安全"]
    assert [h.match for h in tb.search("安")] == ["prefix", "substring"]


def test_simplified_query_finds_traditional_entry(tmp_path: Path) -> None:
    with Termbase(tmp_path / "t.sqlite", user="t") as base:
        base.add(
            Entry(
                terms=[
                    Term("國家安全", "zh-Hant", "preferred"),
                    Term("national security", "en", "preferred"),
                ]
            )
        )
        hits = base.search("国家安全")
        assert [(h.term.text, h.match) for h in hits] == [("國家安全", "exact")]
        assert [h.term.text for h in base.search("guojia anquan")] == ["國家安全"]


def test_filters_read_past_the_candidate_cap(tmp_path: Path) -> None:
    from termbase import search as search_mod

    with Termbase(tmp_path / "c.sqlite", user="t") as base:
        for i in range(30):
            base.add(_e(f"发展{i:02d}", (f"development {i}", "preferred")))
        base.add(
            _e("发展规划", ("development plan", "preferred"), subject="planning", review="approved")
        )
        old = search_mod.CANDIDATES
        search_mod.CANDIDATES = 5
        try:
            assert zh(base.search("发展", subject="planning")) == ["发展规划"]
            assert zh(base.search("development", subject="planning")) == ["发展规划"]
            # status and review filters are read from the index's static rank
            assert zh(base.search("发展", review="approved")) == ["发展规划"]
            assert zh(base.search("fazhan", review="approved", status="preferred")) == ["发展规划"]
            assert zh(base.search("development", review="approved")) == ["发展规划"]
            assert zh(base.search("发展", review="approved", status="deprecated")) == []
        finally:
            search_mod.CANDIDATES = old


def test_english_words_any_order_and_inflection(tb: Termbase) -> None:
    assert zh(tb.search("ensuring security")) == ["统筹发展和安全"]
    assert zh(tb.search("securities ensured")) == ["统筹发展和安全"]
    hit = tb.search("development patterns")[0]
    assert (hit.term.text, hit.match) == ("new development pattern", "substring")


def test_typo_pass_marks_fuzzy(tb: Termbase) -> None:
    hits = tb.search("developmnet pattern")
    assert [(h.entry.zh, h.match) for h in hits] == [("新发展格局", "fuzzy")]
    assert tb.search("securty")[0].entry.zh == "安全"


@pytest.mark.parametrize(
    ("pinyin", "count", "syllables"),
    [
        ("xīn fāzhǎn géjú", 5, ["xin", "fa", "zhan", "ge", "ju"]),
        ("gāozhìliàng fāzhǎn", 5, ["gao", "zhi", "liang", "fa", "zhan"]),
        ("Xī'ān", 2, ["xi", "an"]),
        ("fāng’àn", 2, ["fang", "an"]),
        ("lǜsè", 2, ["lv", "se"]),
        ("gao1 zhi4 liang4", 3, ["gao", "zhi", "liang"]),
        ("xīn fāzhǎn géjú", 4, None),  # not one syllable per character
        ("G20 fēnghuì", 2, None),  # a Latin word: pypinyin reads the text instead
    ],
)
def test_split_pinyin(pinyin: str, count: int, syllables: list[str] | None) -> None:
    from termbase.lang import split_pinyin

    assert split_pinyin(pinyin, count) == syllables


def test_keys_come_from_the_terms_pinyin() -> None:
    from termbase.store.index import term_keys

    keys = term_keys(Term("银行", "zh-CN", "preferred", pinyin="yínháng"))
    assert keys == [
        ("n", "银行"),
        ("c1", "行"),
        ("c1", "银"),
        ("c2", "银行"),
        ("p", "yinhang"),
        ("ps", "hang"),
        ("i", "yh"),
    ]
    # without pinyin, pypinyin reads the phrase: 行 is háng in 银行, xíng in 行动
    assert ("p", "yinhang") in term_keys(Term("銀行", "zh-Hant", "preferred"))
    assert ("p", "xingdong") in term_keys(Term("行动", "zh-CN", "preferred"))


def test_exact_and_prefix_fill_the_limit(tb: Termbase) -> None:
    assert [(h.entry.zh, h.match) for h in tb.search("安", limit=1)] == [("安全", "prefix")]
    assert [(h.entry.zh, h.match) for h in tb.search("发展", limit=1)] == [("发展", "exact")]


# ------------------------------------------------------- as the translator types
@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Termbase:
    """The seed glossary (409 entries of the paper): realistic neighbours."""
    base = Termbase(tmp_path_factory.mktemp("seeded") / "seed.sqlite", user="t", seed=True)
    yield base
    base.close()


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("gzl", "高质量发展"),
        ("gzlf", "高质量发展"),
        ("gzlfz", "高质量发展"),
        ("tc", "统筹发展和安全"),
        ("tcf", "统筹发展和安全"),
        ("tcfz", "统筹发展和安全"),
        ("tcfzh", "统筹发展和安全"),
        ("tcfzhaq", "统筹发展和安全"),
    ],
)
def test_initials_keep_the_term_in_the_top_results_as_they_are_typed(
    seeded: Termbase, typed: str, term: str
) -> None:
    top = [h.entry.zh for h in seeded.search(typed, limit=10)]
    assert term in top, top


@pytest.mark.parametrize(
    "query",
    [
        "高质量 发展",
        "高质量\u200b发展",
        "高质量\u3000发展",
        "高\u00ad质量 \u200d发展",
        " 高质量发展 ",
    ],
)
def test_spaces_and_invisible_characters_inside_chinese_are_ignored(
    tb: Termbase, query: str
) -> None:
    hits = tb.search(query)
    assert hits and hits[0].entry.zh == "高质量发展"
    assert hits[0].match == "exact"


def test_search_keys_grow_linearly_with_the_term() -> None:
    """Doubling a term's length doubles its keys (issue 19, item 8: they grew with the
    square: 10,000 characters made 348 MB)."""
    from termbase.store.index import term_keys

    def key_chars(n: int) -> int:
        rnd = random.Random(n)  # no suffix repeats another
        text = "".join(chr(rnd.randrange(0x4E00, 0x9FA5)) for _ in range(n))
        return sum(len(key) for _kind, key in term_keys(Term(text, "zh-CN")))

    small, large = key_chars(400), key_chars(1600)
    assert large < 4.5 * small  # quadratic keys: 16×
    assert large < 200 * 1600  # a bounded number of characters per character of the term
