"""Scoring: sacrebleu metrics (zh tokenisation) and terminology metrics, on hand-computed cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Termbase
from termbase.cli import cli
from termbase.errors import InvalidValueError
from termbase.score import exact_contains, score

from .test_qa import make_qa_termbase


@pytest.fixture
def qtb(tmp_path: Path):
    base = make_qa_termbase(tmp_path / "qa.sqlite")
    yield base
    base.close()


def test_chinese_bleu_by_hand() -> None:
    # zh tokenisation splits Han characters.  hyp 8 chars, ref 9 (新 dropped):
    # p1 8/8, p2 6/7, p3 4/6, p4 2/5; BP = exp(1 - 9/8)
    # BLEU = 0.88250 * (1 * 6/7 * 4/6 * 2/5) ** 0.25 = 61.02
    # TER = 1 insertion / 9 reference characters = 11.11
    result = score(["我们构建发展格局"], ["我们构建新发展格局"])
    assert round(result.bleu, 2) == 61.02
    assert round(result.ter, 2) == 11.11
    assert result.chinese is True
    assert "tok:zh" in result.signatures["bleu"]
    assert "asian:yes" in result.signatures["ter"]


def test_english_bleu_uses_13a_and_identity_scores_100() -> None:
    result = score(["the cat sat on the mat"], ["the cat sat on the mat"])
    assert (round(result.bleu, 6), result.chrf, result.ter) == (100.0, 100.0, 0.0)
    assert "tok:13a" in result.signatures["bleu"]
    assert result.terms is None


def test_exact_match_is_folded_and_word_bounded() -> None:
    assert exact_contains("Ensure National Security.", "national security")
    assert not exact_contains("ensuring it", "ensure")
    assert exact_contains("维护國家安全", "国家安全")


def test_terminology_metrics_by_hand(qtb: Termbase) -> None:
    src = ["确保国家安全", "确保国家安全", "构建新发展格局"]
    hyp = ["ensuring national security", "ensure state security", "build a new development pattern"]
    result = qtb.score(hyp, hyp, src)
    t = result.terms
    assert t is not None
    # 5 occurrences: 确保 ×2, 国家安全 ×2, 新发展格局 ×1
    # exact: "ensuring" ≠ "ensure"; "state security" ≠ "national security" → 3/5
    # lemma: "ensuring" ~ "ensure" → 4/5
    # consistency: 确保 2/2 ("ensure" twice), 国家安全 1/2 → 3/4
    assert (t.occurrences, t.exact, t.lemma, t.consistent, t.repeated) == (5, 3, 4, 3, 4)
    assert (t.exact_rate, t.lemma_rate, t.consistency) == (0.6, 0.8, 0.75)
    assert result.per_term == [
        {
            "term": "国家安全",
            "entry_id": 2,
            "occurrences": 2,
            "renderings": {"national security": 1, "": 1},
        },
        {"term": "确保", "entry_id": 4, "occurrences": 2, "renderings": {"ensure": 2}},
        {
            "term": "新发展格局",
            "entry_id": 1,
            "occurrences": 1,
            "renderings": {"new development pattern": 1},
        },
    ]


def test_no_repeated_term_means_no_consistency(qtb: Termbase) -> None:
    t = qtb.score(["a new development pattern"], ["x"], ["新发展格局"]).terms
    assert t is not None and (t.exact_rate, t.consistency) == (1.0, None)


def test_line_counts_must_match() -> None:
    with pytest.raises(InvalidValueError) as err:
        score(["a", "b"], ["a"])
    assert str(err.value) == (
        "the hypothesis has 2 lines but the reference has 1; the files must be line-aligned"
    )


def test_cli_score(tmp_path: Path) -> None:
    make_qa_termbase(tmp_path / "qa.sqlite").close()
    (tmp_path / "hyp.txt").write_text("we must ensure national security now\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("we must ensure national security now\n", encoding="utf-8")
    (tmp_path / "src.txt").write_text("确保国家安全\n", encoding="utf-8")
    args = [
        "--db",
        str(tmp_path / "qa.sqlite"),
        "score",
        str(tmp_path / "hyp.txt"),
        str(tmp_path / "ref.txt"),
        "--src",
        str(tmp_path / "src.txt"),
    ]
    out = CliRunner().invoke(cli, args).output.splitlines()
    assert out[0].startswith("BLEU  100.00  nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert out[3:] == [
        "Term success (exact)  100.0%  (2/2)",
        "Term success (lemma)  100.0%  (2/2)",
        "Term consistency         n/a  (0/0)",
    ]
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert data["terminology"]["success_exact"] == 1.0
    assert data["bleu"] == 100.0
