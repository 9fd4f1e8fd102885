"""Build the seed glossary TBX from its hand-edited JSON source.

    python scripts/build_seed.py [--check]

Source: ``glossaries/src/development-and-security.json`` — every policy term
of CICIR Task Force, "Achieving Mutual Reinforcement between High-Quality
Development and High-Level Security", *Contemporary International
Relations*, 2025, with every English rendering the paper uses and the
verbatim sentences that attest them.  Layout::

    {"sources": {KEY: {"title", "author", "publisher", "date", "url", "note"?}},
     "entries": [
       {"zh": "新发展格局",            # simplified headword, unique
        "pinyin": "...",              # optional: toned pinyin, computed when absent
        "traditional": "...",         # optional: computed with OpenCC when absent
        "subject": "development",     # one of SUBJECTS
        "definition": "...", "note": "...",   # note: the doubt, for proposed entries
        "review": "approved" | "proposed",
        "renderings": [               # English renderings, dictionary form
          {"en": "...", "status": "preferred|admitted|deprecated|superseded",
           "type": "full-form" (default) | "short-form" | "phrase" | "variant" | "acronym",
           "note": "...",             # required for preferred and deprecated
           "source": KEY,             # optional: where the rendering itself is prescribed
           "contexts": [{"text": "verbatim sentence", "locator": "...", "source": KEY}]}],
        "abbreviations": [            # same shape; term type abbreviation
          {"en": "NSC", "status": "admitted", "contexts": [...]}]}]}

Rules checked before anything is written (a :class:`SeedError` names the
entry and the field): unique ``zh``; known subject, status, type and
review; exactly one preferred rendering per entry that has renderings; a
note on every preferred and deprecated rendering; a doubt (``note``) on
every proposed entry; at least one context per rendering, except that an
abbreviation or an official rendering the paper does not carry may cite
an outside ``source`` instead; every context and rendering source key
defined.

Output: ``glossaries/development-and-security.tbx`` (TBX v3, TBX-Basic) via
:func:`termbase.formats.tbx.write`.  Deterministic: entry uuids are uuid5 of
the Chinese term, all dates are :data:`SEED_DATE`, so a rebuild gives the
same bytes.  ``--check`` validates and builds in memory without writing.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from termbase.lang.zh import pinyin_toned, to_traditional  # noqa: E402
from termbase.model import (  # noqa: E402
    EN,
    ZH,
    ZH_HANT,
    Context,
    Entry,
    Review,
    Source,
    Term,
    TermStatus,
    TermType,
)

SOURCE_FILE = REPO / "glossaries" / "src" / "development-and-security.json"
OUTPUT = REPO / "glossaries" / "development-and-security.tbx"

SEED_DATE = "2026-11-28T00:00:00Z"
SEED_USER = "seed"
NAMESPACE = uuid.UUID("6f1d7a52-3c2e-4d8b-9a51-0b8d3f7c2e10")
PAPER_KEY = "paper"

#: The fixed list of subject fields.
SUBJECTS = (
    "national security",
    "development",
    "economy",
    "technology",
    "Party institutions",
    "Party theory",
    "state institutions",
    "foreign policy",
    "global governance",
    "law",
    "society",
    "ecology",
)

_RENDERING_TYPES = {t.value for t in TermType} - {TermType.ABBREVIATION.value}
_ENTRY_KEYS = {
    "zh",
    "pinyin",
    "traditional",
    "subject",
    "definition",
    "note",
    "review",
    "renderings",
    "abbreviations",
}
_RENDERING_KEYS = {"en", "status", "type", "note", "source", "contexts"}
_CONTEXT_KEYS = {"text", "locator", "source"}
_SOURCE_KEYS = {"title", "author", "publisher", "date", "url", "note"}


class SeedError(Exception):
    """A problem in the seed source; the message names the file and the entry."""


def _fail(path: Path, where: str, message: str) -> SeedError:
    return SeedError(f"{path.name}: {where}: {message}")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SeedError(f"{path.name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise SeedError(f"{path.name}: expected an object with 'sources' and 'entries'")
    return data


def _sources(path: Path, raw: Any) -> dict[str, Source]:
    if not isinstance(raw, dict) or PAPER_KEY not in raw:
        raise SeedError(f"{path.name}: 'sources' must be an object with a '{PAPER_KEY}' key")
    out: dict[str, Source] = {}
    for key, fields in raw.items():
        unknown = set(fields) - _SOURCE_KEYS
        if unknown or not fields.get("title"):
            raise _fail(path, f"source {key!r}", f"needs a title; unknown keys {sorted(unknown)}")
        out[key] = Source(
            title=str(fields["title"]),
            author=str(fields.get("author", "")),
            publisher=str(fields.get("publisher", "")),
            date=str(fields.get("date", "")),
            url=str(fields.get("url", "")),
            note=str(fields.get("note", "")),
        )
    return out


def _source(path: Path, where: str, key: str, sources: dict[str, Source]) -> Source:
    if key not in sources:
        raise _fail(path, where, f"unknown source key {key!r} (define it under 'sources')")
    return sources[key]


def _term(
    path: Path,
    where: str,
    raw: dict[str, Any],
    sources: dict[str, Source],
    abbreviation: bool,
) -> Term:
    unknown = set(raw) - _RENDERING_KEYS
    if unknown:
        raise _fail(path, where, f"unknown keys {sorted(unknown)}")
    text = str(raw.get("en", "")).strip()
    if not text:
        raise _fail(path, where, "'en' is empty")
    where = f"{where} {text!r}"
    try:
        status = TermStatus(raw.get("status", "admitted"))
    except ValueError:
        raise _fail(path, where, f"status must be one of {[s.value for s in TermStatus]}") from None
    kind = raw.get("type", TermType.ABBREVIATION.value if abbreviation else "full-form")
    allowed = {TermType.ABBREVIATION.value, TermType.ACRONYM.value} if abbreviation else None
    if kind not in (allowed or _RENDERING_TYPES):
        raise _fail(path, where, f"type {kind!r} is not allowed here")
    note = str(raw.get("note", ""))
    if status in (TermStatus.PREFERRED, TermStatus.DEPRECATED) and not abbreviation and not note:
        raise _fail(path, where, f"a {status.value} rendering needs a note saying why")
    term = Term(text, EN, status, TermType(kind), note=note)
    if raw.get("source"):
        term.source = _source(path, where, raw["source"], sources)
    for n, ctx in enumerate(raw.get("contexts", []), 1):
        if set(ctx) - _CONTEXT_KEYS or not ctx.get("text") or not ctx.get("locator"):
            raise _fail(path, f"{where} context {n}", "needs text, locator and source only")
        src = _source(path, f"{where} context {n}", ctx.get("source", PAPER_KEY), sources)
        term.contexts.append(Context(ctx["text"], ctx["locator"], src))
    if not term.contexts and term.source is None:
        raise _fail(path, where, "needs at least one context (or an outside 'source')")
    return term


def _entry(path: Path, raw: dict[str, Any], sources: dict[str, Source]) -> Entry:
    zh = str(raw.get("zh", "")).strip()
    where = f"entry {zh or '?'}"
    unknown = set(raw) - _ENTRY_KEYS
    if not zh or unknown:
        raise _fail(path, where, f"needs 'zh'; unknown keys {sorted(unknown)}")
    if raw.get("subject") not in SUBJECTS:
        raise _fail(path, where, f"subject {raw.get('subject')!r} is not one of {SUBJECTS}")
    try:
        review = Review(raw.get("review", "proposed"))
    except ValueError:
        raise _fail(path, where, "review must be 'approved' or 'proposed'") from None
    note = str(raw.get("note", ""))
    if review is Review.PROPOSED and not note.startswith("Doubt"):
        raise _fail(path, where, "a proposed entry needs a note starting 'Doubt:' saying why")
    terms = [Term(zh, ZH, TermStatus.PREFERRED, pinyin=raw.get("pinyin") or pinyin_toned(zh))]
    traditional = raw.get("traditional") or to_traditional(zh)
    if traditional != zh:
        terms.append(Term(traditional, ZH_HANT, TermStatus.PREFERRED, TermType.VARIANT))
    english = [_term(path, where, r, sources, False) for r in raw.get("renderings", [])]
    preferred = [t for t in english if t.status is TermStatus.PREFERRED]
    if english and len(preferred) != 1:
        raise _fail(path, where, f"needs exactly one preferred rendering (has {len(preferred)})")
    english += [_term(path, where, r, sources, True) for r in raw.get("abbreviations", [])]
    seen: set[str] = set()
    for t in english:
        if t.text in seen:
            raise _fail(path, where, f"rendering {t.text!r} is listed twice")
        seen.add(t.text)
    entry = Entry(
        terms=terms + english,
        subject=raw["subject"],
        definition=str(raw.get("definition", "")),
        note=note,
        review=review,
        sources=[sources[PAPER_KEY]],
        uuid=str(uuid.uuid5(NAMESPACE, zh)),
        created_at=SEED_DATE,
        created_by=SEED_USER,
        updated_at=SEED_DATE,
        updated_by=SEED_USER,
    )
    if review is Review.APPROVED:
        entry.reviewer = SEED_USER
        entry.reviewed_at = SEED_DATE
    return entry


def load_seed_source(path: Path | str = SOURCE_FILE) -> list[Entry]:
    """Validate the JSON seed source and return its entries, in source order.

    Raises:
        SeedError: the file is not valid JSON or breaks one of the rules in
            the module docstring; the message names the entry.
    """
    path = Path(path)
    data = _read_json(path)
    sources = _sources(path, data.get("sources"))
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in data["entries"]:
        entry = _entry(path, raw, sources)
        if entry.zh in seen:
            raise _fail(path, f"entry {entry.zh}", "the Chinese term is already an entry")
        seen.add(entry.zh)
        entries.append(entry)
    return entries


def main(argv: list[str] | None = None) -> int:
    """Command line: validate the source and write the TBX (unless ``--check``)."""
    parser = argparse.ArgumentParser(description="Build the seed glossary TBX from its source.")
    parser.add_argument("--source", type=Path, default=SOURCE_FILE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = parser.parse_args(argv)
    try:
        entries = load_seed_source(args.source)
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.check:
        from termbase.formats import tbx

        tbx.write(entries, args.output)
    renderings = sum(1 for e in entries for t in e.en_terms)
    approved = sum(1 for e in entries if e.review is Review.APPROVED)
    target = "" if args.check else f" -> {args.output}"
    print(f"{len(entries)} entries ({approved} approved), {renderings} English terms{target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
