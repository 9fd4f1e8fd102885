"""Build the seed glossary TBX from its hand-edited JSON source.

    python scripts/build_seed.py [--check]

Source: ``glossaries/src/development-and-security.json`` — every policy term
of CICIR Task Force, "Achieving Mutual Reinforcement between High-Quality
Development and High-Level Security", *Contemporary International
Relations*, 2025, with every English rendering the paper uses, the
renderings official texts use instead, and the verbatim sentences that
attest them.  Layout::

    {"sources": {KEY: {"title", "author", "publisher", "date", "url", "note"?,
                       "authority": "official-text" | "official-outlet" |
                                    "state-media" | "scholarship" | "other"}},
     "entries": [
       {"zh": "新发展格局",            # simplified headword, unique
        "pinyin": "...",              # optional: toned pinyin, computed when absent
        "traditional": "...",         # optional: computed with OpenCC when absent
        "type": "term",               # one of ENTRY_TYPES
        "subject": "development",     # one of SUBJECTS
        "definition": "...", "note": "...",   # note: the doubt, for proposed entries
        "review": "approved" | "proposed",
        "rationale": "...",           # why the preferred rendering departs from
                                      # the rendering of the strongest source
        "renderings": [               # English renderings, dictionary form
          {"en": "...", "status": "preferred|admitted|deprecated|superseded",
           "type": "full-form" (default) | "short-form" | "phrase" | "variant" | "acronym",
           "from": "2020-11", "until": "2021",   # optional: dates of use
           "note": "...",             # required for deprecated and superseded
           "sources": [KEY, ...],     # where the rendering itself is used or prescribed
           "contexts": [{"text": "verbatim sentence of the paper",
                         "locator": "where in the paper",
                         "quotes": KEY}]}],      # optional: the document it quotes
        "abbreviations": [            # same shape; term type abbreviation
          {"en": "NSC", "status": "admitted", "contexts": [...]}]}],
     "phraseology": [...]}            # one-off sentences: same shape, not built

A rendering's *strongest source* is the highest-ranked authority among its
``sources``, the documents its contexts quote, and the paper itself (every
context is a sentence of the paper).

Rules checked before anything is written (a :class:`SeedError` names the
entry and the field): unique ``zh``; known type, subject, status, rendering
type, review and authority; exactly one preferred rendering per entry that
has renderings; a note on every deprecated and superseded rendering; a doubt
(``note``) on every proposed entry; a source for every rendering (a context
or an outside ``sources`` key); dates written ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD`` with ``from`` not after ``until``; every official source with
a URL and a date; a ``rationale`` on an approved entry whose preferred
rendering is weaker-sourced than another usable rendering; every source key
defined.

Output: ``glossaries/development-and-security.tbx`` (TBX v3, TBX-Basic) via
:func:`termbase.formats.tbx.write`.  Deterministic: entry uuids are uuid5 of
the Chinese term, all dates are :data:`SEED_DATE`, so a rebuild gives the
same bytes.  ``--check`` validates and builds in memory without writing.
"""

from __future__ import annotations

import argparse
import json
import re
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
    Authority,
    Context,
    Entry,
    EntryType,
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

#: Entry types: what kind of designation the Chinese headword is.
ENTRY_TYPES = tuple(t.value for t in EntryType)

#: Source authority, strongest first.
AUTHORITIES = tuple(a.value for a in Authority)
OFFICIAL = tuple(a.value for a in Authority if a.official)

_RENDERING_TYPES = {t.value for t in TermType} - {TermType.ABBREVIATION.value}
_ENTRY_KEYS = {
    "zh",
    "pinyin",
    "traditional",
    "type",
    "subject",
    "definition",
    "note",
    "review",
    "rationale",
    "renderings",
    "abbreviations",
}
_RENDERING_KEYS = {"en", "status", "type", "from", "until", "note", "sources", "contexts"}
_CONTEXT_KEYS = {"text", "locator", "quotes"}
_SOURCE_KEYS = {"title", "author", "publisher", "date", "url", "note", "authority"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_USABLE = (TermStatus.PREFERRED, TermStatus.ADMITTED)


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


def _sources(path: Path, raw: Any) -> tuple[dict[str, Source], dict[str, int]]:
    """The sources by key, and each key's authority rank (0 = strongest)."""
    if not isinstance(raw, dict) or PAPER_KEY not in raw:
        raise SeedError(f"{path.name}: 'sources' must be an object with a '{PAPER_KEY}' key")
    out: dict[str, Source] = {}
    ranks: dict[str, int] = {}
    for key, fields in raw.items():
        unknown = set(fields) - _SOURCE_KEYS
        if unknown or not fields.get("title"):
            raise _fail(path, f"source {key!r}", f"needs a title; unknown keys {sorted(unknown)}")
        authority = fields.get("authority")
        if authority not in AUTHORITIES:
            raise _fail(path, f"source {key!r}", f"authority must be one of {list(AUTHORITIES)}")
        if authority in OFFICIAL and not (fields.get("url") and fields.get("date")):
            raise _fail(path, f"source {key!r}", f"an {authority} source needs a URL and a date")
        out[key] = Source(
            title=str(fields["title"]),
            author=str(fields.get("author", "")),
            publisher=str(fields.get("publisher", "")),
            date=str(fields.get("date", "")),
            url=str(fields.get("url", "")),
            note=str(fields.get("note", "")),
            authority=Authority(authority),
        )
        ranks[key] = AUTHORITIES.index(authority)
    return out, ranks


def _check_key(path: Path, where: str, key: str, sources: dict[str, Source]) -> str:
    if key not in sources:
        raise _fail(path, where, f"unknown source key {key!r} (define it under 'sources')")
    return key


def _dates(path: Path, where: str, raw: dict[str, Any]) -> None:
    for field in ("from", "until"):
        value = raw.get(field)
        if value is not None and not (isinstance(value, str) and _DATE.match(value)):
            raise _fail(
                path, where, f"'{field}' must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}"
            )
    if raw.get("from") and raw.get("until") and raw["from"][: len(raw["until"])] > raw["until"]:
        raise _fail(path, where, f"'from' {raw['from']} is after 'until' {raw['until']}")


class _Rendering:
    """One validated rendering: the model term and the keys of its sources."""

    def __init__(self, term: Term, keys: list[str]) -> None:
        self.term = term
        self.keys = keys


def _term(
    path: Path,
    where: str,
    raw: dict[str, Any],
    sources: dict[str, Source],
    ranks: dict[str, int],
    abbreviation: bool,
) -> _Rendering:
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
    if status in (TermStatus.DEPRECATED, TermStatus.SUPERSEDED) and not note:
        raise _fail(path, where, f"a {status.value} rendering needs a note saying why")
    _dates(path, where, raw)
    term = Term(
        text,
        EN,
        status,
        TermType(kind),
        note=note,
        used_from=raw.get("from", ""),
        used_until=raw.get("until", ""),
    )
    cited = [_check_key(path, where, k, sources) for k in raw.get("sources", [])]
    for n, ctx in enumerate(raw.get("contexts", []), 1):
        if set(ctx) - _CONTEXT_KEYS or not ctx.get("text") or not ctx.get("locator"):
            raise _fail(path, f"{where} context {n}", "needs text and locator (and quotes) only")
        quoted = ctx.get("quotes")
        if quoted:
            cited.append(_check_key(path, f"{where} context {n}", quoted, sources))
        term.contexts.append(
            Context(
                ctx["text"],
                ctx["locator"],
                sources[PAPER_KEY],
                quotes=sources[quoted] if quoted else None,
            )
        )
    if not cited and not term.contexts:
        raise _fail(path, where, "needs at least one context (or an outside 'sources' key)")
    own = [k for k in raw.get("sources", [])]
    if own:  # the model holds one source per rendering: the strongest it names
        term.source = sources[min(own, key=lambda k: ranks[k])]
    return _Rendering(term, cited + ([PAPER_KEY] if term.contexts else []))


def strength(keys: list[str], ranks: dict[str, int]) -> int:
    """Rank of the strongest of *keys* (0 = an official text)."""
    return min(ranks[k] for k in keys)


def _entry(
    path: Path, raw: dict[str, Any], sources: dict[str, Source], ranks: dict[str, int]
) -> Entry:
    zh = str(raw.get("zh", "")).strip()
    where = f"entry {zh or '?'}"
    unknown = set(raw) - _ENTRY_KEYS
    if not zh or unknown:
        raise _fail(path, where, f"needs 'zh'; unknown keys {sorted(unknown)}")
    if raw.get("subject") not in SUBJECTS:
        raise _fail(path, where, f"subject {raw.get('subject')!r} is not one of {SUBJECTS}")
    if raw.get("type") not in ENTRY_TYPES:
        raise _fail(path, where, f"type {raw.get('type')!r} is not one of {ENTRY_TYPES}")
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
    renderings = [_term(path, where, r, sources, ranks, False) for r in raw.get("renderings", [])]
    preferred = [r for r in renderings if r.term.status is TermStatus.PREFERRED]
    if renderings and len(preferred) != 1:
        raise _fail(path, where, f"needs exactly one preferred rendering (has {len(preferred)})")
    if review is Review.APPROVED and preferred and not raw.get("rationale"):
        usable = [r for r in renderings if r.term.status in _USABLE]
        best = min(usable, key=lambda r: strength(r.keys, ranks))
        if strength(best.keys, ranks) < strength(preferred[0].keys, ranks):
            raise _fail(
                path,
                where,
                f"needs a 'rationale': the preferred {preferred[0].term.text!r} is less "
                f"authoritative than {best.term.text!r} ({AUTHORITIES[strength(best.keys, ranks)]})",
            )
    renderings += [
        _term(path, where, r, sources, ranks, True) for r in raw.get("abbreviations", [])
    ]
    # best status first, as a TBX file lists them, so that the TBX reads back the same
    english = sorted((r.term for r in renderings), key=lambda t: t.status.rank)
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
        entry_type=EntryType(raw["type"]),
        uuid=str(uuid.uuid5(NAMESPACE, zh)),
        created_at=SEED_DATE,
        created_by=SEED_USER,
        updated_at=SEED_DATE,
        updated_by=SEED_USER,
    )
    if review is Review.APPROVED:
        entry.reviewer = SEED_USER
        entry.reviewed_at = SEED_DATE
        entry.review_comment = str(raw.get("rationale", ""))
    return entry


def load_seed_source(path: Path | str = SOURCE_FILE) -> list[Entry]:
    """Validate the JSON seed source and return its entries, in source order.

    Raises:
        SeedError: the file is not valid JSON or breaks one of the rules in
            the module docstring; the message names the entry.
    """
    path = Path(path)
    data = _read_json(path)
    sources, ranks = _sources(path, data.get("sources"))
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in data.get("phraseology", []):
        _entry(
            path,
            dict(raw, type="term", review="proposed", note="Doubt: phraseology"),
            sources,
            ranks,
        )
    for raw in data["entries"]:
        entry = _entry(path, raw, sources, ranks)
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
