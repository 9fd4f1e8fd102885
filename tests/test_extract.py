"""Term extraction: C-value by hand, Chinese and English candidates, proposed entries."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Termbase
from termbase.cli import cli
from termbase.extract import c_value

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


def test_c_value_by_hand() -> None:
    freq = Counter({("a", "b", "c"): 3, ("a", "b"): 5, ("b", "c"): 3, ("d",): 1})
    scores = c_value(freq)
    # abc: log2(4) * 3 = 6; ab: log2(3) * (5 - 3); bc: log2(3) * (3 - 3); d below min_freq
    assert scores == {
        ("a", "b", "c"): 6.0,
        ("a", "b"): math.log2(3) * 2,
        ("b", "c"): 0.0,
    }


def test_chinese_candidates_keep_known_terms_out(qtb: Termbase) -> None:
    got = [(c.text, c.frequency) for c in qtb.extract(ZH_TEXT)]
    assert got == [("人工智能治理体系", 3), ("数字经济", 4), ("数据安全监管机制", 2), ("经济", 5)]
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
    assert "productive forces" in texts
