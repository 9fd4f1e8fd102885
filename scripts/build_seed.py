"""Build the seed glossary TBX from its hand-edited source and the paper.

    python scripts/build_seed.py [--paper PATH] [--check]

Source: ``glossaries/src/development-and-security.txt`` (format described at
the top of that file).  For every English rendering the script finds, in
the paper, the sentences where the rendering occurs (inflections allowed:
"ensuring both development and security" attests "ensure both development
and security"), keeps up to two of them verbatim as contexts, with the
section heading as locator, and, where the sentence carries a footnote
marker (or sits in a block quotation that ends with one), the footnote
number and the document that footnote cites as the source.  A rendering
that the paper does not contain is an error unless the source marks it as
an outside reference with ``src=``.

Output: ``glossaries/development-and-security.tbx`` (TBX v3, TBX-Basic),
deterministic (uuids derived from the Chinese term, fixed dates), so a
rebuild gives the same file.  ``--check`` builds in memory and reports
problems without writing.
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from termbase.formats import tbx  # noqa: E402
from termbase.lang.en import stem  # noqa: E402
from termbase.lang.zh import pinyin_toned, to_traditional  # noqa: E402
from termbase.model import (  # noqa: E402
    Context,
    Entry,
    Review,
    Source,
    Term,
    TermStatus,
    TermType,
)

SOURCE_FILE = REPO / "glossaries" / "src" / "development-and-security.txt"
OUTPUT = REPO / "glossaries" / "development-and-security.tbx"
PAPER = REPO.parent / "shared" / "paper" / "development-and-security.txt"

SEED_DATE = "2026-11-28T00:00:00Z"
SEED_USER = "seed"
NAMESPACE = uuid.UUID("6f1d7a52-3c2e-4d8b-9a51-0b8d3f7c2e10")
MAX_CONTEXTS = 2

PAPER_SOURCE = Source(
    title="Achieving Mutual Reinforcement between High-Quality Development and High-Level Security",
    author="CICIR Task Force",
    publisher="Contemporary International Relations",
    date="2025",
)

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_VALUE = {c: i for i, c in enumerate(SUPERSCRIPTS)}
_MARKER = re.compile(f"[{SUPERSCRIPTS}]+")
_SENTENCE_END = re.compile(rf"(?<=[.!?])([”\"’)]*[{SUPERSCRIPTS}]*)\s+(?=[A-Z0-9“\"(*])")


class SeedError(Exception):
    """A problem in the seed source; the message names the line."""


# ------------------------------------------------------------------ the paper
@dataclass
class Sentence:
    text: str
    section: str
    footnote: int | None
    cited: Source | None


def _sup_number(marker: str) -> int:
    n = 0
    for c in marker:
        n = n * 10 + _SUP_VALUE[c]
    return n


def _parse_citation(text: str) -> Source:
    """``Author, “Title,” Publisher, Date, URL.`` → Source."""
    body = text.strip().rstrip(".")
    author = ""
    m = re.match(r"^(?P<author>[^“]*?),?\s*“(?P<title>.+?)[,.]?”\s*,?\s*(?P<rest>.*)$", body)
    if m is None:
        return Source(title=body)
    author = m.group("author").strip().rstrip(",")
    title = m.group("title").strip().rstrip(",")
    rest = [p.strip() for p in re.split(r",\s+(?=\S)", m.group("rest")) if p.strip()]
    url = ""
    if rest and re.match(r"^<?https?://", rest[-1]):
        url = rest.pop().strip("<>").rstrip(".")
    date = ""
    if rest and re.search(r"\b(19|20)\d\d\b", rest[-1]):
        date = rest.pop()
        if rest and re.match(r"^[A-Z][a-z]+ \d{1,2}$", rest[-1]):
            date = f"{rest.pop()}, {date}"
    publisher = ", ".join(rest)
    return Source(title=title, author=author, publisher=publisher, date=date, url=url)


def _is_heading(par: str) -> bool:
    if re.match(r"^(I|II|III|IV|V)\. ", par):
        return True
    return (
        len(par) < 160
        and "New Historical" in par
        and not par.endswith(".")
        and par[0] not in SUPERSCRIPTS
    )


def read_paper(path: Path) -> tuple[str, list[Sentence]]:
    """The paper's text and its sentences with section, footnote and cited source."""
    text = path.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    footnotes: list[tuple[int, int, Source]] = []  # (paragraph index, number, source)
    for i, par in enumerate(paragraphs):
        m = re.match(f"^([{SUPERSCRIPTS}]+)\\s+(.*)$", par, re.S)
        if m:
            footnotes.append((i, _sup_number(m.group(1)), _parse_citation(m.group(2))))

    def cited(index: int, number: int) -> Source | None:
        for fi, fn, src in footnotes:
            if fi > index and fn == number:
                return src
        return None

    sentences: list[Sentence] = []
    part = ""
    section = ""
    previous = ""
    for i, par in enumerate(paragraphs):
        if par[0] in SUPERSCRIPTS:
            m = re.match(f"^([{SUPERSCRIPTS}]+)\\s+(.*)$", par, re.S)
            if m:  # a footnote attests the titles it cites
                number = _sup_number(m.group(1))
                where = (f'Part "{part}"' if part else "Introduction") + (
                    f', section "{section}"' if section else ""
                )
                sentences.append(
                    Sentence(
                        text=par, section=where, footnote=number, cited=_parse_citation(m.group(2))
                    )
                )
            continue
        if _is_heading(par):
            if re.match(r"^(I|II|III|IV|V)\. ", par):
                section = par
            else:
                part, section = par, ""
            previous = par
            continue
        block_quote = previous.endswith(":")
        end_marker = _MARKER.search(par[-4:])
        quote_note = _sup_number(end_marker.group(0)) if block_quote and end_marker else None
        locator = f'Part "{part}"' if part else "Introduction"
        if section:
            locator += f', section "{section}"'
        for raw in _SENTENCE_END.sub(lambda m: m.group(1) + "\n", par).split("\n"):
            sentence = raw.strip()
            if not sentence:
                continue
            markers = _MARKER.findall(sentence)
            number = _sup_number(markers[-1]) if markers else quote_note
            sentences.append(
                Sentence(
                    text=sentence,
                    section=locator,
                    footnote=number,
                    cited=cited(i, number) if number is not None else None,
                )
            )
        previous = par
    return text, sentences


# ----------------------------------------------------------------- the source
@dataclass
class Rendering:
    text: str
    status: TermStatus
    term_type: TermType
    note: str
    ctx_hint: str
    source_key: str
    line: int


@dataclass
class Concept:
    zh: str
    subject: str
    review: Review
    line: int
    definition: str = ""
    note: str = ""
    pinyin: str = ""
    traditional: str = ""
    renderings: list[Rendering] = field(default_factory=list)


def parse_source(path: Path) -> tuple[dict[str, Source], list[Concept]]:
    """Parse the seed source file (format: see its header)."""
    sources: dict[str, Source] = {}
    concepts: list[Concept] = []
    current: Concept | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        if line.startswith("@source "):
            parts = [p.strip() for p in line[8:].split("|")]
            if len(parts) != 6:
                raise SeedError(
                    f"{where}: @source needs key | title | author | publisher | date | url"
                )
            sources[parts[0]] = Source(*parts[1:])
        elif line.startswith("["):
            m = re.match(r"^\[(?P<zh>[^\]]+)\]\s*(?P<subject>[^|]+)\|\s*(?P<review>\w+)$", line)
            if m is None:
                raise SeedError(f"{where}: expected '[中文] subject | approved|proposed'")
            current = Concept(
                zh=m.group("zh").strip(),
                subject=m.group("subject").strip(),
                review=Review(m.group("review")),
                line=number,
            )
            concepts.append(current)
        elif current is None:
            raise SeedError(f"{where}: a field before the first [concept]")
        elif line.startswith(("=", "~")):
            parts = [p.strip() for p in line[1:].split("|")]
            text = parts[0]
            status = TermStatus(parts[1]) if len(parts) > 1 and parts[1] else TermStatus.ADMITTED
            note = ""
            hint = source_key = ""
            term_type = TermType.ABBREVIATION if line[0] == "~" else TermType.FULL_FORM
            for extra in parts[2:]:
                if extra.startswith("ctx="):
                    hint = extra[4:]
                elif extra.startswith("src="):
                    source_key = extra[4:]
                elif extra.startswith("type="):
                    term_type = TermType(extra[5:])
                else:
                    note = extra
            current.renderings.append(
                Rendering(text, status, term_type, note, hint, source_key, number)
            )
        else:
            key, sep, value = line.partition(":")
            if not sep or key not in ("def", "note", "pinyin", "trad"):
                raise SeedError(
                    f"{where}: unknown line; expected def:, note:, pinyin:, trad:, "
                    "= rendering or ~ abbreviation"
                )
            value = value.strip()
            if key == "def":
                current.definition = value
            elif key == "note":
                current.note = (current.note + " " + value).strip()
            elif key == "pinyin":
                current.pinyin = value
            else:
                current.traditional = value
    return sources, concepts


# ------------------------------------------------------------------ matching
#: Words a rendering may have or lack in a sentence: "safeguard the new development
#: pattern" is attested by "safeguarding China's new development pattern".
_OPTIONAL_WORDS = {"a", "an", "the", "its", "their", "our", "china's", "china’s"}


_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")


def _stems(text: str) -> list[tuple[str, str]]:
    """(lower-case word, stem) for every word of *text*."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        out.append((w, stem(w) if w.isalpha() else w))
    return out


def attests(rendering: str, sentence: str) -> bool:
    """True when *sentence* contains *rendering* word by word, comparing Snowball stems
    (so inflections match) and letting articles and possessives come and go."""
    wanted = [st for w, st in _stems(rendering) if w not in _OPTIONAL_WORDS]
    words = _stems(sentence)
    if not wanted:
        return False
    for i in range(len(words)):
        j, k = 0, i
        while j < len(wanted) and k < len(words):
            word, word_stem = words[k]
            if word_stem == wanted[j] or (len(wanted[j]) >= 4 and word.startswith(wanted[j])):
                j, k = j + 1, k + 1
            elif j > 0 and words[k][0] in _OPTIONAL_WORDS:
                k += 1
            else:
                break
        if j == len(wanted):
            return True
    return False


def find_contexts(rendering: Rendering, sentences: list[Sentence]) -> list[Sentence]:
    """Sentences attesting *rendering*: the hinted one first, full sentences before fragments."""
    hits = [s for s in sentences if attests(rendering.text, s.text)]
    if rendering.ctx_hint:
        hinted = [s for s in hits if rendering.ctx_hint in s.text]
        if not hinted:
            raise SeedError(
                f"line {rendering.line}: no sentence with {rendering.text!r} "
                f"contains the hint {rendering.ctx_hint!r}"
            )
        hits = hinted + [s for s in hits if s not in hinted]
    ends = (".", "!", "?", "”", '"', "’", ")", ":", *SUPERSCRIPTS)
    full = [
        s
        for s in hits
        if (s.text[0].isupper() or s.text[0] in '“"(0123456789') and s.text.endswith(ends)
    ]
    rest = [s for s in hits if s not in full]
    chosen: list[Sentence] = []
    for s in full + rest:
        if all(s.text != c.text for c in chosen):
            chosen.append(s)
        if len(chosen) == MAX_CONTEXTS:
            break
    return chosen


def build(source_path: Path = SOURCE_FILE, paper_path: Path = PAPER) -> list[Entry]:
    """The seed entries, with contexts found in the paper."""
    sources, concepts = parse_source(source_path)
    _text, sentences = read_paper(paper_path)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for c in concepts:
        if c.zh in seen:
            raise SeedError(f"line {c.line}: {c.zh} is already defined at line {seen[c.zh]}")
        seen[c.zh] = c.line
        zh = Term(c.zh, "zh-CN", TermStatus.PREFERRED, pinyin=c.pinyin or pinyin_toned(c.zh))
        terms = [zh]
        traditional = c.traditional or to_traditional(c.zh)
        if traditional != c.zh:
            terms.append(Term(traditional, "zh-Hant", TermStatus.PREFERRED, TermType.VARIANT))
        preferred = [
            r
            for r in c.renderings
            if r.status is TermStatus.PREFERRED and r.term_type is not TermType.ABBREVIATION
        ]
        if c.renderings and len(preferred) != 1:
            raise SeedError(
                f"line {c.line}: {c.zh} needs exactly one preferred rendering "
                f"(has {len(preferred)})"
            )
        if c.review is Review.PROPOSED and not c.note:
            raise SeedError(f"line {c.line}: a proposed entry needs a note saying the doubt")
        for r in c.renderings:
            term = Term(r.text, "en", r.status, r.term_type, note=r.note)
            if r.source_key:
                if r.source_key not in sources:
                    raise SeedError(f"line {r.line}: unknown source key {r.source_key!r}")
                term.source = sources[r.source_key]
            for s in find_contexts(r, sentences):
                locator = s.section
                if s.footnote is not None and s.cited is not None:
                    locator += f", footnote {s.footnote}"
                term.contexts.append(Context(s.text, locator, s.cited or PAPER_SOURCE))
            if not term.contexts and not r.source_key:
                raise SeedError(
                    f"line {r.line}: {r.text!r} does not occur in the paper; "
                    "fix the wording or cite an outside source with src=KEY"
                )
            terms.append(term)
        entry = Entry(
            terms=terms,
            subject=c.subject,
            definition=c.definition,
            note=c.note,
            review=c.review,
            sources=[PAPER_SOURCE],
            uuid=str(uuid.uuid5(NAMESPACE, c.zh)),
            created_at=SEED_DATE,
            created_by=SEED_USER,
            updated_at=SEED_DATE,
            updated_by=SEED_USER,
        )
        if c.review is Review.APPROVED:
            entry.reviewer = SEED_USER
            entry.reviewed_at = SEED_DATE
        entries.append(entry)
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paper", type=Path, default=PAPER)
    parser.add_argument("--check", action="store_true", help="build in memory, write nothing")
    args = parser.parse_args(argv)
    try:
        entries = build(SOURCE_FILE, args.paper)
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.check:
        tbx.write(entries, OUTPUT)
    renderings = sum(1 for e in entries for t in e.terms if t.lang == "en")
    approved = sum(1 for e in entries if e.review is Review.APPROVED)
    print(
        f"{len(entries)} entries ({approved} approved), {renderings} English renderings"
        + ("" if args.check else f" -> {OUTPUT.relative_to(REPO)}")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
