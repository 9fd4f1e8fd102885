"""Term extraction: C-value by hand, Chinese and English candidates, proposed entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Termbase
from termbase.cli import cli
from termbase.extract import Tally, extract, select
from termbase.qa import TextLines

from .serverkit import cli_runner, live_server, make_user, remote_env
from .test_qa import make_qa_termbase

PAPER = Path(__file__).resolve().parents[2] / "shared" / "paper" / "development-and-security.txt"

ZH_TEXT = (
    "加快构建新发展格局，推动数字经济和实体经济深度融合。数字经济是新发展格局的重要支撑。\n"
    "我们要完善人工智能治理体系，健全数据安全监管机制。人工智能治理体系需要国际合作。\n"
    "发展数字经济，必须加强数据安全监管机制建设。数字经济规模持续扩大，人工智能治理体系不断完善。\n"
)


@pytest.fixture
def qtb(tmp_path: Path):
    base = make_qa_termbase(tmp_path / "qa.sqlite")
    yield base
    base.close()


def _tally(*spots: tuple[tuple[str, ...], frozenset[tuple[str, ...]], int, int]) -> Tally:
    """A tally of (candidate, the candidates around it, occurrences, of which going on)."""
    tally = Tally()
    for key, around, n, going_on in spots:
        for k in range(n):
            tally.add(key, around, k < going_on, "s")
    return tally


def test_select_takes_maximal_phrases_by_hand() -> None:
    # "a b c" 3 times; "a b" 5 times, 3 inside "a b c": 2 of its own (40 %): kept;
    # "b c" 3 times, all inside "a b c": a fragment; "d" once: below min_freq
    abc = frozenset({("a", "b", "c")})
    tally = _tally(
        (("a", "b", "c"), frozenset(), 3, 0),
        (("a", "b"), abc, 3, 0),
        (("a", "b"), frozenset(), 2, 0),
        (("b", "c"), abc, 3, 0),
        (("d",), frozenset(), 1, 0),
    )
    assert select(tally) == {("a", "b", "c"): 3, ("a", "b"): 2}
    # "a b" followed by another word of a phrase in all its own occurrences: cut
    # (those inside "a b c" do not count)
    cut = _tally(
        (("a", "b", "c"), frozenset(), 3, 0),
        (("a", "b"), abc, 3, 1),
        (("a", "b"), frozenset(), 2, 2),
    )
    assert select(cut) == {("a", "b", "c"): 3}


def test_chinese_candidates_keep_known_terms_out(qtb: Termbase) -> None:
    got = [(c.text, c.frequency) for c in qtb.extract(ZH_TEXT)]
    # 经济 is general vocabulary (and mostly inside 数字经济): not a candidate
    assert got == [("人工智能治理体系", 3), ("数字经济", 4), ("数据安全监管机制", 2)]
    first = qtb.extract(ZH_TEXT)[0]
    assert first.contexts[0] == "我们要完善人工智能治理体系，健全数据安全监管机制。"


def test_english_ngrams_and_acronyms(qtb: Termbase) -> None:
    text = (
        "The digital economy grows. We study the digital economy of the SCO region. "
        "The SCO and the digital economy matter. Risk control systems help; "
        "risk control systems fail.\n"
    )
    got = [(c.text, c.frequency) for c in qtb.extract(text)]
    assert got == [("digital economy", 3), ("risk control systems", 2), ("SCO", 2)]


def test_add_candidates_become_proposed_entries(qtb: Termbase) -> None:
    cands = qtb.extract(ZH_TEXT, limit=2)
    added = qtb.add_candidates(cands, "/docs/report.txt")
    entry = qtb.get(added[0].id or 0)
    assert entry.review.value == "proposed"
    assert entry.zh == "人工智能治理体系"
    term = entry.terms[0]
    assert term.contexts[0].text == "我们要完善人工智能治理体系，健全数据安全监管机制。"
    assert term.contexts[0].source is not None
    assert term.contexts[0].source.title == "report.txt"
    assert entry.note == "candidate from report.txt: 3 occurrences, termhood 3.55"
    assert set(qtb.review_queue()) >= {e.id for e in added}


def test_cli_extract_json_and_add(tmp_path: Path) -> None:
    make_qa_termbase(tmp_path / "qa.sqlite").close()
    doc = tmp_path / "doc.txt"
    doc.write_text(ZH_TEXT, encoding="utf-8")
    args = ["--db", str(tmp_path / "qa.sqlite"), "extract", str(doc), "--limit", "1"]
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert [(d["text"], d["frequency"], d["score"]) for d in data] == [
        ("人工智能治理体系", 3, 3.552)
    ]
    result = CliRunner().invoke(cli, [*args, "--add"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "  1. 人工智能治理体系\t3×\t3.55\t我们要完善人工智能治理体系，健全数据安全监管机制。\n"
    )
    with Termbase(tmp_path / "qa.sqlite") as tb:
        assert [tb.get(i).zh for i in tb.review_queue()][-1] == "人工智能治理体系"


@pytest.mark.skipif(not PAPER.exists(), reason="shared/paper not present")
def test_paper_candidates_skip_known_renderings(qtb: Termbase) -> None:
    cands = qtb.extract(PAPER.read_text(encoding="utf-8"), limit=50)
    texts = [c.text for c in cands]
    assert len(texts) == 50
    assert "national security" not in texts  # a rendering in the termbase
    assert "new development pattern" not in texts
    assert "new quality productive forces" in texts  # the maximal phrase, not its fragment


def test_fragments_of_longer_candidates_are_dropped() -> None:
    """Issue 16, item 20: "chain resilience" of "supply chain resilience" is no term;
    nor is "new quality", always cut from a longer phrase."""
    text = (
        "We must improve supply chain resilience. Supply chain resilience matters. "
        "Industrial supply chain resilience grows. Supply chain resilience is key. "
        "New quality productive forces rise. We foster new quality productive forces. "
        "New quality national security capabilities help. We build new quality national "
        "security capabilities.\n"
    )
    texts = [c.text for c in extract(None, text)]
    assert "supply chain resilience" in texts
    assert "new quality productive forces" in texts
    assert not {"chain resilience", "new quality", "quality productive forces"} & set(texts)


def test_general_chinese_words_are_not_candidates() -> None:
    text = "加强基础设施建设。国家建设体系。基础建设国家体系。建设国家。基础体系建设。\n" * 2
    texts = [c.text for c in extract(None, text)]
    assert not {"基础", "建设", "国家", "体系"} & set(texts)


@pytest.mark.skipif(not PAPER.exists(), reason="shared/paper not present")
def test_paper_top_candidates_are_maximal_phrases() -> None:
    texts = [c.text for c in extract(None, PAPER.read_text(encoding="utf-8"), limit=50)]
    assert set(texts[:3]) == {
        "new quality productive forces",
        "new quality national security capabilities",
        "national security",
    }
    fragments = {
        "new quality",
        "quality productive forces",
        "security capabilities",
        "security architecture",
        "new development",
        "China's new",
        "holistic approach",
        "development pattern",
    }
    assert not fragments & set(texts)


#: English with a verb use across a line end ("to" | "safeguard"): the word is a verb
#: only when both lines are read as one text.
EN_LINES = (
    "We need to\n"
    "safeguard national security. They want to safeguard national security.\n"
    "The digital economy grows. We study the digital economy of the SCO region.\n"
    "Risk control systems help; risk control systems fail. The SCO and the digital economy.\n"
)


@pytest.mark.parametrize("text", [ZH_TEXT, EN_LINES], ids=["zh", "en"])
def test_a_file_streamed_line_by_line_gives_what_the_whole_text_gives(
    tmp_path: Path, qtb: Termbase, text: str
) -> None:
    """Issue 19, item 10: extract reads a document in parts (lines), twice, and
    keeps counts, not the text; the result is the whole text's."""
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    whole = [c.as_dict() for c in qtb.extract(text)]
    assert whole  # the fixture has candidates
    assert [c.as_dict() for c in qtb.extract_file(str(doc))] == whole
    assert [c.as_dict() for c in qtb.extract(iter(text.splitlines()))] == whole
    if text is EN_LINES:  # "safeguard" is used as a verb: it starts no candidate
        assert not any(c["text"].startswith("safeguard") for c in whole)
    qtb.close()
    args = ["--db", str(qtb.path), "extract", str(doc), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == whole


def test_a_file_extracted_over_the_team_server_gives_the_local_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client streams its own file and sends the lines as the text."""
    db = tmp_path / "team.sqlite"
    make_qa_termbase(db).close()
    doc = tmp_path / "doc.txt"
    doc.write_text(EN_LINES, encoding="utf-8")
    with Termbase(db) as local:
        expected = [c.as_dict() for c in local.extract(EN_LINES)]
    token = make_user(db, "alice", "viewer")
    with live_server(db) as url:
        remote_env(monkeypatch, url, token, tmp_path / "config")
        result = cli_runner()("extract", str(doc), "--json")
    assert json.loads(result.output) == expected


def test_counters_past_their_cap_keep_the_frequent_candidates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The counters are bounded (COUNTER_CAP): past it the rarest items are dropped,
    and the frequent candidates still come out."""
    noise = [  # 125 lines of one-off phrases, between the copies of the fixture
        f"Each {a}{b}{c}a {c}{b}{a}o figure." for a in "bcdfg" for b in "hjklm" for c in "npqrs"
    ]
    lines = [*EN_LINES.splitlines(), *noise[:60], *EN_LINES.splitlines(), *noise[60:]]
    main = {"digital economy": 6, "national security": 4, "SCO": 4}
    full = {c.text: c.frequency for c in extract(None, lines)}
    assert main.items() <= full.items()
    monkeypatch.setattr("termbase.extract.COUNTER_CAP", 40)  # overflowed by the noise
    capped = {c.text: c.frequency for c in extract(None, lines)}
    assert main.items() <= capped.items()


CLAUSES = Path(__file__).parent / "fixtures" / "extract" / "clauses-en.txt"
#: Clause fragments, a name with its verb, general vocabulary and a description of a
#: term: each recurs in the fixture and none is a term (issue 16, item 20).
NOT_TERMS = {
    "Xi said",
    "Xi Stresses",
    "laid down",
    "well underway",
    "world today",
    "past five years",
    "toward national rejuvenation",
    "pursuit of high-quality development",
}
TERMS = {
    "high-quality development",
    "supply chain resilience",
    "digital economy",
    "national rejuvenation",
    "unilateralism and protectionism",
}


STRUCTURE = Path(__file__).parent / "fixtures" / "extract" / "structure-en.txt"


def _extract_padded(tmp_path: Path, fixture: Path) -> list[dict[str, object]]:
    """``extract --json`` on an empty termbase of *fixture*, padded with 1,000 other
    common English words as a real document is (how characteristic a word is of a
    text depends on the text's length)."""
    from wordfreq import top_n_list

    padding = " ".join(top_n_list("en", 1400)[400:])
    doc = tmp_path / fixture.name
    doc.write_text(fixture.read_text(encoding="utf-8") + padding + "\n", encoding="utf-8")
    db = str(tmp_path / "empty.sqlite")
    assert CliRunner().invoke(cli, ["--db", db, "init", "--empty"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", db, "extract", str(doc), "--json"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def test_clause_fragments_and_general_vocabulary_are_not_candidates(tmp_path: Path) -> None:
    texts = {str(c["text"]) for c in _extract_padded(tmp_path, CLAUSES)}
    assert texts >= TERMS
    assert not NOT_TERMS & texts


def test_ordinals_titles_participles_and_nested_terms(tmp_path: Path) -> None:
    """An ordinal starts a term (third plenary session, which takes the occurrences of
    plenary session); what occurs only in titles of cited works (“Full Text of …”) is
    no candidate; a participle clause (changes taking place) and a phrasal verb
    (difficulties head on) end no candidate; a phrase inside three different longer
    candidates is a term of its own (quantum revolution)."""
    found = {str(c["text"]): c["frequency"] for c in _extract_padded(tmp_path, STRUCTURE)}
    assert found["third plenary session"] == 2
    assert "plenary session" not in found
    assert found["quantum revolution"] == 6
    assert {"Second Quantum Revolution", "global quantum revolution"} <= set(found)
    assert found["quantum governance"] == 5  # three in the text, two in the titles
    for text in found:
        assert "Full Text" not in text and "Governance Report" not in text
        assert "taking" not in text and not text.endswith("head")


TIES = Path(__file__).parent / "fixtures" / "extract" / "ties-en.txt"


def test_equal_scores_rank_the_phrase_of_rarer_words_first(tmp_path: Path) -> None:
    """Two phrases of three words seen twice each score the same; the one whose words
    the text uses more often than general English does (cryptanalysis) comes first,
    not the one first in alphabetical order."""
    found = _extract_padded(tmp_path, TIES)
    scores = {str(c["text"]): c["score"] for c in found}
    assert scores["annual quantum report"] == scores["quantum cryptanalysis protocol"]
    ranked = list(scores)
    assert ranked.index("quantum cryptanalysis protocol") < ranked.index("annual quantum report")


DOMAIN = Path(__file__).parent / "fixtures" / "extract" / "domain-en.txt"


def test_a_candidate_holding_a_known_term_ranks_higher(tmp_path: Path) -> None:
    """The termbase defines the domain: once "quantum governance" is a term, the
    candidate around it (seen twice) ranks above a phrase holding none (seen
    three times), which led before."""
    ranked = [str(c["text"]) for c in _extract_padded(tmp_path, DOMAIN)]
    assert ranked.index("momentous quantum changes") < ranked.index(
        "quantum governance institutions"
    )
    db = str(tmp_path / "empty.sqlite")
    added = CliRunner().invoke(cli, ["--db", db, "add", "量子治理", "quantum governance"])
    assert added.exit_code == 0, added.output
    doc = tmp_path / DOMAIN.name
    result = CliRunner().invoke(cli, ["--db", db, "extract", str(doc), "--json"])
    ranked = [c["text"] for c in json.loads(result.output)]
    assert ranked.index("quantum governance institutions") < ranked.index(
        "momentous quantum changes"
    )


def test_common_chinese_words_are_not_candidates() -> None:
    """One-word Chinese candidates that jieba's dictionary counts as common vocabulary
    (traditional characters read as simplified) are not terms; compounds stay."""
    text = "防范风险。全球风险。全球发展倡议。發展机制。發展。全球发展倡议。风险机制。\n" * 2
    texts = [c.text for c in extract(None, text)]
    assert "全球发展倡议" in texts
    assert not {"风险", "全球", "机制", "發展", "发展"} & set(texts)


@pytest.mark.skipif(not PAPER.exists(), reason="shared/paper not present")
def test_paper_with_the_seed_loaded_leads_with_terms_not_fragments(tmp_path: Path) -> None:
    """Issue 16, item 20, the lead's setup: the seed glossary, then the paper."""
    db = str(tmp_path / "seed.sqlite")
    assert CliRunner().invoke(cli, ["--db", db, "init"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", db, "extract", str(PAPER), "--json"])
    assert result.exit_code == 0, result.output
    texts = [c["text"] for c in json.loads(result.output)]
    assert len(texts) == 50
    assert set(texts[:3]) == {
        "national security system and capacity",
        "high-quality development and high-level security",
        "People's Republic of China",
    }
    fragments = {"Xi said", "Xi Stresses", "laid down", "well underway", "world today"}
    assert not (fragments | {"past five years", "struggle to safeguard"}) & set(texts)


def test_a_file_without_line_breaks_is_streamed_in_pieces(
    tmp_path: Path, qtb: Termbase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line longer than LONGEST_PART characters comes in pieces, so memory stays
    bounded; here the pieces end between sentences, so the result is the whole
    text's."""
    text = "The digital economy rose. Risk control systems act. " * 300  # 26 + 26 characters
    doc = tmp_path / "one-line.txt"
    doc.write_text(text, encoding="utf-8")
    monkeypatch.setattr("termbase.qa.LONGEST_PART", 26 * 40)  # 40 sentences a piece
    parts = list(TextLines(str(doc)))
    assert len(parts) == 15 and max(len(p) for p in parts) == 26 * 40
    assert [c.as_dict() for c in qtb.extract_file(str(doc))] == [
        c.as_dict() for c in qtb.extract(text)
    ]
