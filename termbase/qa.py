"""Terminology QA: recognise terms in documents, check translations against the termbase.

Contract:

* :func:`read_source_units` gives the source texts of a document: a plain
  text file (one unit per line), or the source side of TMX / XLIFF / PO.
* :func:`read_bilingual` gives :class:`~termbase.model.Segment` pairs from
  TMX, XLIFF 1.2/2.0, PO, a two-column TSV, or two line-aligned text files.
* :func:`recognize` lists every known term with its position and approved
  renderings; :func:`used_entries` gives the entries a document uses (the
  document glossary).
* :func:`check` reports, per segment, source terms whose approved rendering
  is missing from the target, deprecated renderings used instead, and terms
  rendered differently across the document.  English targets are matched
  by Snowball stems ("ensuring" satisfies "ensure"); Chinese targets by
  folded substring.  Missing and deprecated renderings are errors;
  inconsistency (different approved renderings of one term in different
  segments) is a warning.  Renderings with dates of use are judged *as of*
  a day (the file's own date, else today): inside its dates a superseded
  rendering is still the right one ("new development dynamic" in 2020);
  outside them a rendering is an error ("outdated") unless it stands inside
  quotation marks — a quotation of an earlier text keeps its wording.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from termbase.errors import FormatError, InvalidValueError
from termbase.lang import en as _en
from termbase.lang import fold_zh, has_han
from termbase.model import Entry, Segment, Term, TermStatus, day_span, is_chinese, is_english
from termbase.recognize import Match, Recognizer, gc_paused

if TYPE_CHECKING:
    from termbase.store import Store

#: Statuses that count as an approved rendering / as a rendering to avoid.
USABLE = (TermStatus.PREFERRED, TermStatus.ADMITTED)
AVOID = (TermStatus.DEPRECATED, TermStatus.SUPERSEDED)

#: Formats read as bilingual documents when a file's own extension names them.
BILINGUAL_FORMATS = ("tmx", "xliff", "po", "tsv")
#: Bilingual formats read as text (an ``encoding`` option decodes them); XML and PO
#: files declare their own encoding.
_DELIMITED = ("tsv", "csv")
#: Formats a document glossary (``recognize --export``) is written in.
GLOSSARY_FORMATS = ("tbx", "tmx", "csv", "po", "tsv")


# ----------------------------------------------------------------- reading
def _bilingual_format(path: str) -> str | None:
    from termbase import formats

    name = formats.by_extension(path, glossary=False)
    return name if name in BILINGUAL_FORMATS else None


def read_lines(path: str, encoding: str | None = None) -> list[str]:
    """The lines of the text file *path* (*encoding*, default: detected)."""
    from termbase.formats._io import read_text

    return read_text(path, encoding).splitlines()


def read_document(path: str) -> str:
    """The text of the file *path* (encoding detected)."""
    from termbase.formats._io import read_text

    return read_text(path)


#: Characters of a line given at once by :class:`TextLines`: a longer line (a file
#: without line breaks) comes in pieces of this length.
LONGEST_PART = 1 << 20


class TextLines:
    """The lines of the text file *path*, streamed afresh each time they are
    iterated: for readers that pass over a document twice (term extraction).
    A line longer than ``LONGEST_PART`` characters comes in pieces."""

    def __init__(self, path: str, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = encoding

    def __iter__(self) -> Iterator[str]:
        from termbase.formats._io import iter_lines

        return iter_lines(self.path, self.encoding, longest=LONGEST_PART)


def read_source_units(
    path: str, format: str | None = None, encoding: str | None = None
) -> list[str]:
    """Source texts of *path*: lines of a plain text file, or source sides of segments."""
    return list(iter_source_units(path, format, encoding))


def iter_source_units(
    path: str, format: str | None = None, encoding: str | None = None
) -> Iterator[str]:
    """:func:`read_source_units`, streamed (memory bounded by the longest unit)."""
    from termbase.formats._io import iter_lines

    name = format or _bilingual_format(path)
    if name is None or name in ("text", "txt"):
        yield from iter_lines(path, encoding)
        return
    for seg in _read_segments(path, name, encoding):
        yield seg.source


def read_bilingual(
    path: str, target: str | None = None, format: str | None = None, encoding: str | None = None
) -> list[Segment]:
    """Segments of a bilingual file, or of two line-aligned text files (*path*, *target*);
    *encoding* decodes text and TSV/CSV files (XML and PO files declare their own)."""
    if target is not None:
        return read_aligned(path, target, encoding)
    name = format or _bilingual_format(path)
    if name is None:
        raise InvalidValueError(
            f"{path}: cannot tell a bilingual format from the extension; use .tmx, .xlf, "
            ".xliff, .po or .tsv, pass --format, or give the translation as a second file"
        )
    return list(_read_segments(path, name, encoding))


def _read_segments(path: str, name: str, encoding: str | None = None) -> Iterable[Segment]:
    from termbase import formats

    fmt = formats.info(name)
    if not fmt.reads_segments:
        raise InvalidValueError(f"the {name} format holds no translation segments")
    options = {"encoding": encoding} if encoding and name in _DELIMITED else {}
    segments: Iterable[Segment] = fmt.load().read_segments(path, **options)
    return segments


#: Which review states a document glossary carries, by ``--review`` (rejected: never).
GLOSSARY_REVIEWS = {
    "approved": ("approved",),
    "proposed": ("proposed",),
    "all": ("approved", "proposed"),
}


def write_glossary(entries: list[Entry], path: str, *, review: str = "approved") -> int:
    """Write *entries* as a document glossary in the format *path*'s extension names.

    Like an export: approved entries by default; ``all`` adds the proposed ones
    (each format marks them); rejected entries never.
    """
    from termbase import formats

    if review not in GLOSSARY_REVIEWS:
        raise InvalidValueError(
            f"unknown --review {review!r}; choose one of: " + ", ".join(GLOSSARY_REVIEWS)
        )
    entries = [e for e in entries if e.review.value in GLOSSARY_REVIEWS[review]]

    name = formats.by_extension(path, glossary=False)
    if name not in GLOSSARY_FORMATS:
        endings = [formats.info(n).extensions[0] for n in GLOSSARY_FORMATS]
        raise InvalidValueError(
            f"{path}: a document glossary is written as {', '.join(endings[:-1])} or {endings[-1]}"
        )
    fmt = formats.info(name)
    return int(fmt.load().write(entries, path, **fmt.write_options))


def read_aligned(source_path: str, target_path: str, encoding: str | None = None) -> list[Segment]:
    """Two line-aligned text files; blank line pairs are skipped.

    Raises FormatError when the line counts differ (naming the first extra line).
    """
    src = read_lines(source_path, encoding)
    tgt = read_lines(target_path, encoding)
    if len(src) != len(tgt):
        longer, n = (
            (source_path, len(tgt) + 1) if len(src) > len(tgt) else (target_path, len(src) + 1)
        )
        raise FormatError(
            f"the files are not line-aligned ({len(src)} source lines, {len(tgt)} target "
            "lines); each source line needs its translation on the same line",
            path=longer,
            line=n,
        )
    segments = []
    for s, t in zip(src, tgt, strict=False):
        if s.strip() or t.strip():
            segments.append(
                Segment(s, t, source_lang=_lang_of(s), target_lang=_lang_of(t), origin=source_path)
            )
    return segments


def _lang_of(text: str) -> str:
    return "zh-CN" if has_han(text) else "en"


# ------------------------------------------------------------- recognising
@dataclass
class Found:
    """A recognised term with the renderings a translator needs."""

    start: int
    end: int
    text: str
    unit: int  # 1-based line / segment number
    entry_id: int
    zh: str
    renderings: list[str]  # approved renderings, preferred first
    avoid: list[str]  # deprecated / superseded renderings
    review: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


class EntryCache:
    """Entries by id, loaded once per run."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._by_id: dict[int, Entry] = {}

    def get(self, entry_id: int) -> Entry:
        """The entry *entry_id*."""
        if entry_id not in self._by_id:
            self._by_id[entry_id] = self.store.get_entry(entry_id)
        return self._by_id[entry_id]

    def preload(self, ids: Iterable[int]) -> None:
        """Load the entries *ids* now, a batch per query (the store's IN_BATCH), not one by one."""
        wanted = sorted(set(ids) - self._by_id.keys())
        for entry in self.store.get_entries(wanted):
            self._by_id[entry.id or 0] = entry

    def used(self) -> list[Entry]:
        """Every entry loaded so far, by id."""
        return [self._by_id[k] for k in sorted(self._by_id)]


def matches_by_unit(
    rec: Recognizer, cache: EntryCache, units: Sequence[str]
) -> dict[int, list[Match]]:
    """The matches of each unit (by index; units without any are absent), entries preloaded."""
    out: dict[int, list[Match]] = defaultdict(list)
    ids: set[int] = set()
    for k, m in rec.find_units(units):
        out[k].append(m)
        ids.update(m.entry_ids)
    cache.preload(ids)
    return out


def _best_entry(cache: EntryCache, ids: Sequence[int]) -> Entry:
    """Approved entries before proposed ones when a term belongs to several."""
    entries = [cache.get(i) for i in ids]
    return sorted(entries, key=lambda e: (e.review.value != "approved", e.id or 0))[0]


def targets_of(
    entry: Entry, target_lang: str, as_of: str | None = None
) -> tuple[list[str], list[str]]:
    """(usable, avoided) renderings of *entry* in the target language.

    With *as_of* (``YYYY[-MM[-DD]]``), a rendering with dates of use is usable
    on that day exactly when the day falls within its dates, whatever its
    status, and avoided otherwise; see :func:`outdated_of`.
    """
    terms: list[Term]
    if is_chinese(target_lang):
        terms = sorted((t for t in entry.terms if is_chinese(t.lang)), key=lambda t: t.status.rank)
    else:
        terms = entry.en_terms
    if as_of is None:
        usable = [t.text for t in terms if t.status in USABLE]
        avoid = [t.text for t in terms if t.status in AVOID]
        return usable, avoid
    usable, avoid = [], []
    for t in terms:
        if t.dates() and t.status is not TermStatus.DEPRECATED:
            (usable if t.in_use_on(as_of) else avoid).append(t.text)
        else:
            (usable if t.status in USABLE else avoid).append(t.text)
    return usable, avoid


def outdated_of(entry: Entry, as_of: str) -> dict[str, Term]:
    """The renderings of *entry* whose dates of use leave out the day *as_of*."""
    return {
        t.text: t
        for t in entry.terms
        if t.dates() and t.status is not TermStatus.DEPRECATED and not t.in_use_on(as_of)
    }


def recognize(
    store: Store, rec: Recognizer, units: Iterable[str]
) -> tuple[list[Found], EntryCache]:
    """Every known term in *units* (longest match first), with its renderings.

    *units* may be any iterable (a streamed file): they are searched in
    batches of about :data:`RECOGNIZE_BATCH_CHARS` characters, so memory is
    that batch plus the result, whatever the document's length.
    """
    cache = EntryCache(store)
    found: list[Found] = []
    # what a term resolves to, worked out once per term, not per occurrence
    resolved: dict[tuple[tuple[int, ...], str], tuple[int, str, list[str], list[str], str]] = {}
    first = 0
    for batch in _batches(units, RECOGNIZE_BATCH_CHARS):
        hits = rec.find_units(batch)
        cache.preload({i for _k, m in hits for i in m.entry_ids})
        with gc_paused():  # a Found per occurrence: millions in a long document, no cycles
            for index, m in hits:
                known = resolved.get((m.entry_ids, m.lang))
                if known is None:
                    entry = _best_entry(cache, m.entry_ids)
                    usable, avoid = targets_of(entry, "en" if m.lang == "zh" else "zh-CN")
                    known = (entry.id or 0, entry.zh, usable, avoid, entry.review.value)
                    resolved[(m.entry_ids, m.lang)] = known
                found.append(Found(m.start, m.end, m.text, first + index + 1, *known))
        first += len(batch)
    return found, cache


#: Characters of a document searched at once by :func:`recognize` (about a megabyte).
RECOGNIZE_BATCH_CHARS = 1 << 18


def _batches(units: Iterable[str], chars: int) -> Iterator[list[str]]:
    """*units* in lists of about *chars* characters (a longer unit is a batch alone)."""
    batch: list[str] = []
    size = 0
    for unit in units:
        batch.append(unit)
        size += len(unit) + 1
        if size >= chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


# ---------------------------------------------------------------- checking
@dataclass
class Issue:
    """One problem found by :func:`check`."""

    kind: str  # missing | deprecated | inconsistent
    severity: str  # error | warning
    segment: int  # 1-based; 0 for document-wide issues
    term: str
    entry_id: int
    expected: list[str]
    found: list[str] = field(default_factory=list)
    segments: list[int] = field(default_factory=list)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


@dataclass
class CheckReport:
    """Result of :func:`check`."""

    segments: int = 0
    terms: int = 0  # source term occurrences checked
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Number of error-severity issues."""
        return sum(1 for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> int:
        """Number of warning-severity issues."""
        return sum(1 for i in self.issues if i.severity == "warning")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "segments": self.segments,
            "terms": self.terms,
            "errors": self.errors,
            "warnings": self.warnings,
            "issues": [i.as_dict() for i in self.issues],
        }


#: A quotation in a target text: the span between a pair of quotation marks.
_QUOTED = re.compile(r'“[^”]*”|"[^"]*"|「[^」]*」|『[^』]*』|‘[^’]*’')


class TargetText:
    """A target segment prepared for rendering look-ups."""

    def __init__(self, text: str, lang: str) -> None:
        self.chinese = is_chinese(lang) or (not is_english(lang) and has_han(text))
        self.folded = fold_zh(text)
        self.stems = f" {' '.join(_en.stems(text))} "
        self.text = text
        self._outside: TargetText | None = None

    def contains(self, rendering: str) -> bool:
        """True when *rendering* occurs (English: as whole words, any inflection)."""
        if self.chinese or has_han(rendering):
            return fold_zh(rendering) in self.folded
        key = " ".join(_en.stems(rendering))
        return bool(key) and f" {key} " in self.stems

    def outside_quotations(self) -> TargetText:
        """The text with every quotation cut out."""
        if self._outside is None:
            self._outside = TargetText(
                _QUOTED.sub(" … ", self.text), "zh" if self.chinese else "en"
            )
        return self._outside

    def first(self, renderings: Iterable[str]) -> str | None:
        """The first of *renderings* present in the text."""
        return next((r for r in renderings if self.contains(r)), None)


def check(
    store: Store,
    rec: Recognizer,
    segments: Sequence[Segment],
    *,
    include_proposed: bool = False,
    as_of: str | None = None,
) -> CheckReport:
    """Check every segment's target against the termbase (see the module docstring).

    *as_of* is the day (``YYYY[-MM[-DD]]``) the translation is judged at; by
    default the latest date the segments carry, else today.
    """
    as_of = as_of or file_date(segments) or _dt.date.today().isoformat()
    day_span(as_of)  # a ValueError names a malformed date
    cache = EntryCache(store)
    report = CheckReport(segments=len(segments))
    used: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, tuple[str, str]] = {}  # entry id -> (term as written, target lang)
    matches = matches_by_unit(rec, cache, [seg.source for seg in segments])
    for number, seg in enumerate(segments, 1):
        target_lang = seg.target_lang or _lang_of(seg.target)
        target = TargetText(seg.target, target_lang)
        for m in matches.get(number - 1, ()):
            entry = _best_entry(cache, m.entry_ids)
            if entry.review.value != "approved" and not include_proposed:
                continue
            usable, avoid = targets_of(entry, target_lang, as_of)
            if not usable:
                continue
            report.terms += 1
            issue = _check_one(number, m, entry, usable, avoid, target, as_of)
            if issue is not None:
                report.issues.append(issue)
            hit = target.first(usable)  # deprecated uses are errors already
            if hit is not None:
                used[entry.id or 0][hit].append(number)
                names[entry.id or 0] = (m.text, target_lang)
    report.issues.extend(_inconsistencies(used, names, cache))
    order = {"deprecated": 0, "outdated": 1, "missing": 2, "inconsistent": 3}
    report.issues.sort(key=lambda i: (order[i.kind], i.segment, i.term))
    return report


def _check_one(
    number: int,
    m: Match,
    entry: Entry,
    usable: list[str],
    avoid: list[str],
    target: TargetText,
    as_of: str,
) -> Issue | None:
    if target.first(usable) is not None:
        return None
    eid = entry.id or 0
    outdated = outdated_of(entry, as_of)
    dated = [a for a in avoid if a in outdated]
    if dated and target.first(dated) is not None:
        outside = target.outside_quotations().first(dated)
        if outside is None:
            return None  # only inside quotations of earlier texts: their wording stands
        return Issue(
            "outdated",
            "error",
            number,
            m.text,
            eid,
            usable,
            [outside],
            message=_outdated_message(outdated[outside], usable[0], as_of),
        )
    bad = target.first(avoid)
    if bad is not None:
        return Issue(
            "deprecated",
            "error",
            number,
            m.text,
            eid,
            usable,
            [bad],
            message=f"{m.text}: deprecated rendering {bad!r} used; use {usable[0]!r}",
        )
    return Issue(
        "missing",
        "error",
        number,
        m.text,
        eid,
        usable,
        message=f"{m.text}: expected {' or '.join(repr(u) for u in usable)}",
    )


def _outdated_message(term: Term, instead: str, as_of: str) -> str:
    if term.used_until and day_span(as_of)[0] > day_span(term.used_until)[1]:
        return (
            f"{term.text!r} was replaced by {instead!r} in {term.used_until}; "
            "keep it only inside quotations of earlier texts"
        )
    return f"{term.text!r} is not in use before {term.used_from}; use {instead!r}"


def file_date(segments: Sequence[Segment]) -> str:
    """The latest day (``YYYY-MM-DD``) the segments of a file carry, or ''."""
    days = [
        d for seg in segments for stamp in (seg.changed_at, seg.created_at) if (d := _day_of(stamp))
    ]
    return max(days, default="")


def _day_of(stamp: str) -> str:
    """``YYYY-MM-DD`` of an ISO 8601 or TMX (``20240131T120000Z``) time stamp, or ''."""
    digits = stamp.replace("-", "")[:8]
    if len(digits) == 8 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return ""


def _inconsistencies(
    used: dict[int, dict[str, list[int]]], names: dict[int, tuple[str, str]], cache: EntryCache
) -> list[Issue]:
    issues = []
    for eid, renderings in used.items():
        if len(renderings) < 2:
            continue
        by_count = sorted(renderings.items(), key=lambda kv: (-len(kv[1]), kv[1][0]))
        found = [r for r, _ in by_count]
        segs = sorted({n for _, ns in by_count for n in ns})
        term, target_lang = names[eid]
        detail = "; ".join(
            f"{r!r} in segment{'s' if len(ns) > 1 else ''} {', '.join(map(str, ns))}"
            for r, ns in by_count
        )
        issues.append(
            Issue(
                "inconsistent",
                "warning",
                0,
                term,
                eid,
                targets_of(cache.get(eid), target_lang)[0],
                found,
                segs,
                message=f"{term}: rendered {len(found)} ways: {detail}",
            )
        )
    return issues
