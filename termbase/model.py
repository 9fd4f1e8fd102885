"""Plain dataclasses for termbase: no I/O, no SQL, no format knowledge.

Every format reader produces these objects and every writer consumes them;
the store maps them to and from SQLite rows.  An :class:`Entry` is one
concept; its :class:`Term` objects are the designations of that concept in
each language (Chinese terms, English renderings, traditional variants),
each with a status, and each English rendering carries the
:class:`Context` sentences that attest it and the :class:`Source` they come
from.  A :class:`Segment` is one translation-memory sentence pair.
"""

from __future__ import annotations

import calendar
import enum
import functools
import os
import re
from dataclasses import asdict, dataclass, field
from typing import Any

#: Default language tags.  BCP 47, with a hyphen (``zh-CN``, never ``zh_CN``).
ZH = "zh-CN"
ZH_HANT = "zh-Hant"
EN = "en"


class TermStatus(str, enum.Enum):
    """How a term may be used (TBX ``administrativeStatus``)."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"

    @property
    def rank(self) -> int:
        """Sort key: preferred first, superseded last."""
        return _STATUS_RANK[self]


_STATUS_RANK = {
    TermStatus.PREFERRED: 0,
    TermStatus.ADMITTED: 1,
    TermStatus.DEPRECATED: 2,
    TermStatus.SUPERSEDED: 3,
}


class Review(str, enum.Enum):
    """Where an entry stands in review."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class Authority(str, enum.Enum):
    """How authoritative a source is, strongest first (issue 18's ranking).

    The official text or official translation of a Party or State document
    (a report, a resolution, a white paper) outranks the official outlets
    that publish such texts (Xinhua, Qiushi, the State Council Information
    Office, the Foreign Ministry), which outrank state media (China Daily,
    CGTN), scholarship and think tanks, and anything else.
    """

    OFFICIAL_TEXT = "official-text"
    OFFICIAL_OUTLET = "official-outlet"
    STATE_MEDIA = "state-media"
    SCHOLARSHIP = "scholarship"
    OTHER = "other"

    @property
    def rank(self) -> int:
        """0 for an official text, 4 for other: lower is stronger."""
        return _AUTHORITY_ORDER.index(self)

    @property
    def official(self) -> bool:
        """True for an official text or an official outlet."""
        return self in (Authority.OFFICIAL_TEXT, Authority.OFFICIAL_OUTLET)


_AUTHORITY_ORDER = list(Authority)


class EntryType(str, enum.Enum):
    """What kind of designation an entry's headword is."""

    TERM = "term"
    SET_FORMULATION = "set-formulation"  # 提法
    SLOGAN = "slogan"  # slogan or quotation
    TITLE = "title"  # title of a document
    EVENT = "event"  # meeting, session
    INSTITUTION = "institution"
    PERSON = "person"


class TermType(str, enum.Enum):
    """TBX ``termType`` values that matter for policy terminology."""

    FULL_FORM = "full-form"
    ABBREVIATION = "abbreviation"
    ACRONYM = "acronym"
    SHORT_FORM = "short-form"
    PHRASE = "phrase"
    VARIANT = "variant"


@functools.lru_cache(maxsize=1024)
def normalise_lang(tag: str) -> str:
    """BCP 47 with a hyphen and conventional case: ``zh_cn`` → ``zh-CN``, ``EN-us`` → ``en-US``."""
    parts = [p for p in tag.strip().replace("_", "-").split("-") if p]
    if not parts:
        return ""
    out = [parts[0].lower()]
    for p in parts[1:]:
        if len(p) == 2 and p.isalpha():
            out.append(p.upper())
        elif len(p) == 4 and p.isalpha():
            out.append(p.title())
        else:
            out.append(p.lower())
    return "-".join(out)


@functools.lru_cache(maxsize=1024)
def lang_matches(tag: str, wanted: str) -> bool:
    """True when *tag* is *wanted* or a sub-tag of it (``zh-CN`` matches ``zh``), any case."""
    t = tag.lower().replace("_", "-")
    w = wanted.lower().replace("_", "-")
    return t == w or t.startswith(w + "-")


@functools.lru_cache(maxsize=1024)
def is_chinese(lang: str) -> bool:
    """True for any Chinese tag (``zh``, ``zh-CN``, ``zh-Hant``, ``zh_TW`` …)."""
    return lang.replace("_", "-").lower().split("-")[0] == "zh"


@functools.lru_cache(maxsize=1024)
def is_traditional(lang: str) -> bool:
    """True for tags that name traditional script (``zh-Hant``, ``zh-TW``, ``zh-HK``, ``zh-MO``)."""
    parts = lang.replace("_", "-").lower().split("-")
    return parts[0] == "zh" and any(p in ("hant", "tw", "hk", "mo") for p in parts[1:])


@functools.lru_cache(maxsize=1024)
def is_english(lang: str) -> bool:
    """True for any English tag."""
    return lang.replace("_", "-").lower().split("-")[0] == "en"


@dataclass
class Source:
    """A citation: where a rendering or a definition comes from."""

    title: str
    author: str = ""
    publisher: str = ""
    date: str = ""  # ISO 8601 date or year, as precise as known
    url: str = ""
    note: str = ""
    authority: Authority = Authority.OTHER
    id: int | None = None

    def __post_init__(self) -> None:
        if type(self.authority) is not Authority:
            self.authority = Authority(self.authority or Authority.OTHER.value)

    def citation(self) -> str:
        """One-line human citation: ``Author, Title, Publisher, Date, URL``."""
        parts = [self.author, self.title, self.publisher, self.date, self.url]
        return ", ".join(p for p in parts if p)

    def short(self) -> str:
        """Who and when, with the authority: ``Xinhua, November 8, 2020 (official outlet)``."""
        who = ", ".join(p for p in (self.publisher or self.author or self.title, self.date) if p)
        return f"{who} ({self.authority.value.replace('-', ' ')})"

    def key(self) -> tuple[str, str, str, str, str]:
        """Identity used to de-duplicate sources (ids aside)."""
        return (self.title, self.author, self.publisher, self.date, self.url)


@dataclass
class Context:
    """A verbatim sentence in which a term occurs, with where it was found."""

    text: str
    locator: str = ""  # where in the source: section heading, footnote number, page …
    source: Source | None = None  # the document the sentence appears in
    quotes: Source | None = None  # the document the sentence quotes, if it quotes one
    id: int | None = None
    text_zh: str = ""  # the Chinese source sentence the English sentence translates


@dataclass
class Term:
    """One designation of a concept in one language."""

    text: str
    lang: str = EN
    status: TermStatus = TermStatus.ADMITTED
    term_type: TermType = TermType.FULL_FORM
    pos: str = ""  # part of speech: noun, verb, adjective, adverb, other
    note: str = ""  # usage note: why preferred, when to use, what it replaces
    pinyin: str = ""  # toned pinyin, Chinese terms only
    contexts: list[Context] = field(default_factory=list)
    source: Source | None = None  # where the term itself is attested or prescribed
    used_from: str = ""  # first year (or month, or day) of use: YYYY[-MM[-DD]]
    used_until: str = ""  # last year (or month, or day) of use; "" = still in use
    id: int | None = None

    def __post_init__(self) -> None:
        if type(self.status) is not TermStatus:
            self.status = TermStatus(self.status)
        if type(self.term_type) is not TermType:
            self.term_type = TermType(self.term_type)

    @property
    def cited(self) -> list[Source]:
        """Every source the term cites: its own, and those of its contexts."""
        found = [self.source] if self.source is not None else []
        for c in self.contexts:
            found += [s for s in (c.quotes, c.source) if s is not None]
        return found

    @property
    def strongest_source(self) -> Source | None:
        """The most authoritative source the term cites (its own first on a tie)."""
        cited = self.cited
        return min(cited, key=lambda s: s.authority.rank) if cited else None

    def dates(self) -> str:
        """The dates of use as people write them: ``2020–2021``, ``2020-11–``, ``–2015``."""
        if not (self.used_from or self.used_until):
            return ""
        return f"{self.used_from}–{self.used_until}"

    def in_use_on(self, day: str) -> bool:
        """True when *day* (``YYYY[-MM[-DD]]``) falls within the term's dates of use."""
        day = day_span(day)[0]
        if self.used_from and day < day_span(self.used_from)[0]:
            return False
        return not (self.used_until and day > day_span(self.used_until)[1])


def new_uuid() -> str:
    """A fresh entry uuid: ``str(uuid.uuid4())`` without building the UUID object
    (which was most of the cost, and readers draw one per entry)."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass
class Entry:
    """A concept with its terms in every language."""

    terms: list[Term] = field(default_factory=list)
    subject: str = ""  # subject field: national security, development …
    definition: str = ""  # English definition
    definition_zh: str = ""
    note: str = ""
    review: Review = Review.PROPOSED
    reviewer: str = ""
    reviewed_at: str = ""
    review_comment: str = ""
    sources: list[Source] = field(default_factory=list)  # sources of the concept/definition
    entry_type: EntryType = EntryType.TERM
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""
    uuid: str = field(default_factory=new_uuid)
    version: int = 0
    id: int | None = None

    def __post_init__(self) -> None:
        if type(self.review) is not Review:
            self.review = Review(self.review)
        if type(self.entry_type) is not EntryType:
            self.entry_type = EntryType(self.entry_type or EntryType.TERM.value)

    def terms_in(self, lang_prefix: str) -> list[Term]:
        """Terms whose language starts with *lang_prefix*, best status first."""
        found = [t for t in self.terms if t.lang.lower().startswith(lang_prefix.lower())]
        return sorted(found, key=lambda t: t.status.rank)

    @property
    def zh_terms(self) -> list[Term]:
        """Chinese terms in simplified script (traditional variants excluded)."""
        found = [t for t in self.terms if is_chinese(t.lang) and not is_traditional(t.lang)]
        return sorted(found, key=lambda t: t.status.rank)

    @property
    def en_terms(self) -> list[Term]:
        """English renderings, preferred first."""
        found = [t for t in self.terms if is_english(t.lang)]
        return sorted(found, key=lambda t: t.status.rank)

    @property
    def zh(self) -> str:
        """The preferred Chinese term ('' when there is none)."""
        terms = self.zh_terms or [t for t in self.terms if is_chinese(t.lang)]
        return terms[0].text if terms else ""

    @property
    def en(self) -> str:
        """The preferred English rendering ('' when the entry has no usable one)."""
        usable = [
            t for t in self.en_terms if t.status in (TermStatus.PREFERRED, TermStatus.ADMITTED)
        ]
        return usable[0].text if usable else ""

    @property
    def pinyin(self) -> str:
        """Toned pinyin of the preferred Chinese term."""
        terms = self.zh_terms
        return terms[0].pinyin if terms else ""


@dataclass
class Segment:
    """A translation-memory sentence pair."""

    source: str
    target: str
    source_lang: str = ZH
    target_lang: str = EN
    origin: str = ""  # file the pair came from
    project: str = ""
    creator: str = ""
    created_at: str = ""
    changed_at: str = ""
    props: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    count: int = 1  # how many times the pair was seen (duplicates are stored once)
    id: int | None = None


@dataclass
class HistoryRecord:
    """One change recorded in the audit history."""

    entry_id: int | None
    entry_uuid: str
    at: str
    actor: str
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    comment: str = ""
    id: int | None = None
    batch_id: int | None = None  # the import batch behind the change


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """A JSON-ready snapshot of *entry* (enums as their values), as history and ``--json`` show it."""
    data = asdict(entry)
    data["review"] = entry.review.value
    data["entry_type"] = entry.entry_type.value
    for s in data["sources"]:
        s["authority"] = Authority(s["authority"]).value
    for t in data["terms"]:
        t["status"] = TermStatus(t["status"]).value
        t["term_type"] = TermType(t["term_type"]).value
        for s in [t["source"]] + [x for c in t["contexts"] for x in (c["source"], c["quotes"])]:
            if s is not None:
                s["authority"] = Authority(s["authority"]).value
    return data


def entry_from_dict(data: dict[str, Any]) -> Entry:
    """The entry of a snapshot made by :func:`entry_to_dict` (history, pending changes).

    Keys a snapshot has but this model does not (a newer or older termbase)
    are ignored; fields it lacks take their defaults.
    """

    def pick(cls: Any, d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if k in cls.__dataclass_fields__}

    def source(d: dict[str, Any] | None) -> Source | None:
        return Source(**pick(Source, d)) if d else None

    terms = []
    for t in data.get("terms", []):
        contexts = [
            Context(
                **{
                    **pick(Context, c),
                    "source": source(c.get("source")),
                    "quotes": source(c.get("quotes")),
                }
            )
            for c in t.get("contexts", [])
        ]
        fields = {k: v for k, v in pick(Term, t).items() if k not in ("contexts", "source")}
        terms.append(Term(**fields, contexts=contexts, source=source(t.get("source"))))
    fields = {k: v for k, v in pick(Entry, data).items() if k not in ("terms", "sources")}
    return Entry(
        terms=terms,
        sources=[Source(**pick(Source, s)) for s in data.get("sources", [])],
        **fields,
    )


class Role(str, enum.Enum):
    """What a user may do, lowest first (the team server's roles)."""

    VIEWER = "viewer"
    TRANSLATOR = "translator"
    TERMINOLOGIST = "terminologist"
    ADMIN = "admin"

    @property
    def level(self) -> int:
        """Position in the order viewer < translator < terminologist < admin."""
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        """True when this role may do everything *other* may."""
        return self.level >= other.level


@dataclass(frozen=True)
class Actor:
    """Who acts on the termbase, and whether their decisions are reviews.

    A reviewer (terminologist or admin) changes approved content directly;
    anybody else's change to an approved entry is held as a
    :class:`PendingChange` until a reviewer accepts it.
    """

    name: str
    role: Role = Role.TERMINOLOGIST

    @property
    def can_review(self) -> bool:
        """True for terminologists and admins."""
        return self.role.at_least(Role.TERMINOLOGIST)

    @property
    def can_propose(self) -> bool:
        """True for everybody but viewers."""
        return self.role.at_least(Role.TRANSLATOR)


class ChangeState(str, enum.Enum):
    """Where a proposed change to an approved entry stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # its import batch was reverted


@dataclass
class PendingChange:
    """A proposed revision of an approved entry, waiting for a reviewer.

    ``proposed`` is the whole entry as proposed, in the history snapshot
    form (:func:`termbase.store.entry_to_dict`); ``base_version`` the
    entry version it was made from.
    """

    entry_id: int
    base_version: int
    proposed: dict[str, Any]
    proposed_by: str = ""
    proposed_at: str = ""
    comment: str = ""
    batch_id: int | None = None
    state: ChangeState = ChangeState.PENDING
    decided_by: str = ""
    decided_at: str = ""
    reason: str = ""
    id: int | None = None


@dataclass
class ImportBatch:
    """One import run: which file, who, when, and what it did."""

    origin: str
    actor: str
    at: str
    counts: dict[str, Any] = field(default_factory=dict)
    reverted_at: str = ""
    reverted_by: str = ""
    id: int | None = None


#: A date of use: a year, a month or a day.
DATE_OF_USE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def day_span(value: str) -> tuple[str, str]:
    """First and last day (``YYYY-MM-DD``) a year, month or day stands for.

    Raises:
        ValueError: *value* is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    """
    m = DATE_OF_USE.match(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    if day:
        return (value, value)
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return (f"{year}-{month}-01", f"{year}-{month}-{last:02d}")
    return (f"{year}-01-01", f"{year}-12-31")
