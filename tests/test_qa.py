"""Terminology check: missing / deprecated / inconsistent renderings, inputs, CLI exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from termbase import Entry, Term, Termbase, TermStatus
from termbase.cli import cli
from termbase.errors import FormatError
from termbase.model import Review, Segment
from termbase.qa import read_aligned, read_bilingual

FIXED = "2026-01-02T03:04:05Z"
P, A, D = TermStatus.PREFERRED, TermStatus.ADMITTED, TermStatus.DEPRECATED


def make_qa_termbase(path: Path) -> Termbase:
    """A small termbase: approved, proposed and rejected entries, a deprecated rendering."""
    tb = Termbase(path, user="alice", clock=lambda: FIXED)
    rows = [
        (
            [
                ("新发展格局", "zh-CN", P),
                ("新發展格局", "zh-Hant", P),
                ("new development pattern", "en", P),
                ("new development paradigm", "en", D),
            ],
            Review.APPROVED,
        ),
        ([("国家安全", "zh-CN", P), ("national security", "en", P)], Review.APPROVED),
        ([("国家安全体系", "zh-CN", P), ("national security system", "en", P)], Review.APPROVED),
        ([("确保", "zh-CN", P), ("ensure", "en", P)], Review.APPROVED),
        (
            [
                ("高水平安全", "zh-CN", P),
                ("high-level security", "en", P),
                ("greater security", "en", A),
            ],
            Review.APPROVED,
        ),
        ([("发展", "zh-CN", P), ("development", "en", P)], Review.PROPOSED),
        ([("安全", "zh-CN", P), ("security", "en", P)], Review.REJECTED),
    ]
    for terms, review in rows:
        tb.add(Entry(terms=[Term(t, lang, s) for t, lang, s in terms], review=review))
    return tb


@pytest.fixture
def qtb(tmp_path: Path):
    base = make_qa_termbase(tmp_path / "qa.sqlite")
    yield base
    base.close()


SEGMENTS = [
    ("构建新发展格局", "build a new development pattern"),
    ("构建新发展格局", "build a new development paradigm"),
    ("确保国家安全", "Ensuring national security"),
    ("实现高水平安全", "achieve security"),
    ("实现高水平安全", "achieve greater security"),
    ("推动高水平安全", "promote high-level security"),
]


def segs(pairs: list[tuple[str, str]]) -> list[Segment]:
    return [Segment(s, t) for s, t in pairs]


def test_check_groups_problems(qtb: Termbase) -> None:
    report = qtb.check(segs(SEGMENTS))
    got = [(i.kind, i.severity, i.segment, i.term, i.found) for i in report.issues]
    assert got == [
        ("deprecated", "error", 2, "新发展格局", ["new development paradigm"]),
        ("missing", "error", 4, "高水平安全", []),
        ("inconsistent", "warning", 0, "高水平安全", ["greater security", "high-level security"]),
    ]
    assert report.issues[0].message == (
        "新发展格局: deprecated rendering 'new development paradigm' used; "
        "use 'new development pattern'"
    )
    assert report.issues[1].message == (
        "高水平安全: expected 'high-level security' or 'greater security'"
    )
    assert report.issues[2].message == (
        "高水平安全: rendered 2 ways: 'greater security' in segment 5; "
        "'high-level security' in segment 6"
    )
    assert report.issues[2].segments == [5, 6]
    assert (report.segments, report.terms, report.errors, report.warnings) == (6, 7, 2, 1)


def test_inflected_english_satisfies_the_term(qtb: Termbase) -> None:
    report = qtb.check(segs([("确保国家安全体系", "ensures the national security systems")]))
    assert report.issues == []
    assert report.terms == 2  # 确保 and 国家安全体系 (国家安全 inside it is not separate)


def test_proposed_entries_only_when_asked(qtb: Termbase) -> None:
    pair = segs([("发展", "growth")])
    assert qtb.check(pair).issues == []
    issues = qtb.check(pair, include_proposed=True).issues
    assert [(i.kind, i.expected) for i in issues] == [("missing", ["development"])]


def test_english_source_chinese_target(qtb: Termbase) -> None:
    pairs = [Segment("Ensure national security", "保障国家安全", "en", "zh-CN")]
    issues = qtb.check(pairs).issues
    assert [(i.kind, i.term, i.expected) for i in issues] == [("missing", "Ensure", ["确保"])]


def test_aligned_text_files(tmp_path: Path) -> None:
    (tmp_path / "zh.txt").write_text("构建新发展格局\n\n确保国家安全\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("build it\n\nensure it\n", encoding="utf-8")
    got = read_aligned(str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"))
    assert [(s.source, s.target, s.source_lang, s.target_lang) for s in got] == [
        ("构建新发展格局", "build it", "zh-CN", "en"),
        ("确保国家安全", "ensure it", "zh-CN", "en"),
    ]


def test_misaligned_files_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "zh.txt").write_text("一\n二\n三\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("one\ntwo\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        read_aligned(str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"))
    assert str(err.value) == (
        f"{tmp_path / 'zh.txt'}:3: the files are not line-aligned (3 source lines, 2 target "
        "lines); each source line needs its translation on the same line"
    )


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
 o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="zh-CN"><seg>构建新发展格局</seg></tuv>
<tuv xml:lang="en"><seg>build a new development paradigm</seg></tuv></tu>
</body></tmx>
"""


def test_check_reads_tmx(qtb: Termbase, tmp_path: Path) -> None:
    path = tmp_path / "job.tmx"
    path.write_text(TMX, encoding="utf-8")
    report = qtb.check(read_bilingual(str(path)))
    assert [(i.kind, i.segment) for i in report.issues] == [("deprecated", 1)]


@pytest.fixture
def run(tmp_path: Path):
    make_qa_termbase(tmp_path / "qa.sqlite").close()
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(cli, ["--db", str(tmp_path / "qa.sqlite"), *args])
        assert result.exit_code == code, result.output
        return result

    return invoke


def _write_pair(tmp_path: Path, pairs: list[tuple[str, str]]) -> tuple[str, str]:
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text("\n".join(s for s, _ in pairs) + "\n", encoding="utf-8")
    tgt.write_text("\n".join(t for _, t in pairs) + "\n", encoding="utf-8")
    return str(src), str(tgt)


def test_cli_check_report_and_exit_code(run, tmp_path: Path) -> None:
    src, tgt = _write_pair(tmp_path, SEGMENTS)
    out = run("check", src, tgt, code=1).output
    assert out == (
        "Deprecated renderings used (1):\n"
        "  segment 2: 新发展格局: deprecated rendering 'new development paradigm' used; "
        "use 'new development pattern'\n\n"
        "Approved rendering missing (1):\n"
        "  segment 4: 高水平安全: expected 'high-level security' or 'greater security'\n\n"
        "Rendered inconsistently (1):\n"
        "  document: 高水平安全: rendered 2 ways: 'greater security' in segment 5; "
        "'high-level security' in segment 6\n\n"
        "6 segments, 7 terms checked: 2 errors, 1 warnings\n"
    )


def test_cli_check_clean_exits_zero_json(run, tmp_path: Path) -> None:
    src, tgt = _write_pair(tmp_path, [("构建新发展格局", "a new development pattern")])
    data = json.loads(run("check", src, tgt, "--json").output)
    assert data == {"segments": 1, "terms": 1, "errors": 0, "warnings": 0, "issues": []}


def test_cli_check_unknown_extension(run, tmp_path: Path) -> None:
    path = tmp_path / "job.docx"
    path.write_text("x", encoding="utf-8")
    out = run("check", str(path), code=1).output
    assert out == (
        f"Error: {path}: cannot tell a bilingual format from the extension; use .tmx, .xlf, "
        ".xliff, .po or .tsv, pass --format, or give the translation as a second file\n"
    )


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.exists(), reason="shared/corpus not present")
def test_check_real_tmx_english_to_chinese(qtb: Termbase) -> None:
    path = CORPUS / "tmx" / "OmegaT-L10N_zh_CN_project_save.tmx"
    report = qtb.check(read_bilingual(str(path)))
    assert (report.segments, report.terms, report.errors, report.warnings) == (10915, 24, 3, 0)
    assert [(i.kind, i.segment, i.term) for i in report.issues] == [
        ("missing", 9, "ensure"),
        ("missing", 4517, "ensures"),
        ("missing", 9860, "ensure"),
    ]


@pytest.mark.skipif(not CORPUS.exists(), reason="shared/corpus not present")
@pytest.mark.parametrize(
    ("name", "count"),
    [("xliff/symfony_validators.zh_CN.xlf", 116), ("po/mkdocs_zh_CN_messages.po", 19)],
)
def test_real_files_give_source_units(name: str, count: int) -> None:
    from termbase.qa import read_source_units

    assert len(read_source_units(str(CORPUS / name))) == count
    assert len(read_bilingual(str(CORPUS / name))) == count
