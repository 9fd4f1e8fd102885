"""The entry rules: plain functions on :mod:`termbase.model` objects.

Every writer of entries (the facade, the import merge, candidate extraction)
applies the same rules through these functions, so each rule has one copy:

* :func:`validate` — an entry has a term, no empty or repeated term, and at
  most one preferred term per language; a term is at most
  :data:`MAX_TERM_CHARS` characters, holds no control character and is not
  made only of invisible characters; a concept has at most
  :data:`MAX_TERMS_PER_ENTRY` terms; no text holds undecodable bytes
  (:func:`check_text`);
* :func:`fill_pinyin` — simplified Chinese terms get toned pinyin;
* :func:`stamp_new` / :func:`touch` — who created or changed an entry, when,
  and its version;
* :func:`make_preferred` — making a rendering preferred demotes the language's
  previous preferred rendering to admitted, and says so for the history;
* :func:`require` — what the acting user's role allows;
* :func:`check_approvable` — approving needs a usable Chinese term and a usable
  English rendering;
* :func:`check_keeps_usable` — the last usable term of a language is not
  deprecated (nor deleted from an approved entry);
* :func:`same_content` — a change that changes nothing writes nothing;
* :func:`diff` — a change described for the review queue and the history;
* :func:`absorb` — joining a second concept into a first (``merge``);
* :func:`check_query` / :func:`check_limit` — every search (terms, TM matches,
  concordance) needs something to search for and a limit of at least one.
* :func:`check_citations` — approving needs a source for each preferred
  rendering, and a rationale when it is less authoritative than another
  rendering in use.

No I/O and no SQL here; the time and the acting user are arguments.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
import unicodedata
from typing import Any

from termbase.errors import ForbiddenError, InvalidValueError
from termbase.model import (
    Actor,
    Entry,
    Role,
    Source,
    Term,
    TermStatus,
    day_span,
    is_chinese,
    is_english,
    is_traditional,
)


def utcnow() -> str:
    """Current UTC time as ``YYYY-MM-DDThh:mm:ssZ`` (the default clock)."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


#: The longest term (in characters) the termbase keeps.  A term is a name for a
#: concept, not a sentence: the longest in the seed glossary, a speech title, has 219;
#: CC-CEDICT's longest gloss 175.  Longer text is refused at the door (search keys,
#: pinyin and the recogniser all grow with a term's length); sentences belong in the
#: translation memory.
MAX_TERM_CHARS = 500

#: The most terms (renderings in every language) one concept may hold.  Real
#: concepts have a handful; the history keeps a snapshot of the entry per change,
#: so a concept of 100,000 renderings made every approval slow and 36 MB larger.
MAX_TERMS_PER_ENTRY = 200

#: Characters that show nothing: a term made only of these (and spaces) is refused.
_INVISIBLE = {"Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def _shown(text: str, limit: int = 40) -> str:
    """*text* cut for a message; repr() makes control and invisible characters visible."""
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


#: Lone surrogates and control characters (Unicode category Cc: U+0000–001F and
#: U+007F–009F), with and without tab and line breaks: what :func:`check_text`
#: refuses, found by one search (an import checks a dozen texts per entry).
_REFUSED_MULTILINE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_REFUSED_SINGLE_LINE = re.compile(r"[\ud800-\udfff\x00-\x1f\x7f-\x9f]")


def check_text(text: str, what: str, *, multiline: bool = True) -> None:
    """Raise InvalidValueError when *text* cannot be stored as it is.

    Undecodable bytes (lone surrogates: a file name or an argument that was not
    UTF-8) are refused everywhere; control characters other than tab and line
    breaks too (with *multiline* False, those as well).
    """
    if not (_REFUSED_MULTILINE if multiline else _REFUSED_SINGLE_LINE).search(text):
        return
    for i, c in enumerate(text):
        code = ord(c)
        if 0xD800 <= code <= 0xDFFF:
            raise InvalidValueError(
                f"the {what} {_shown(text)} holds bytes that are not UTF-8 (at character "
                f"{i + 1}); set the terminal or the file to UTF-8 and type it again"
            )
        if unicodedata.category(c) == "Cc" and (not multiline or c not in "\t\n\r"):
            raise InvalidValueError(
                f"the {what} {_shown(text)} holds the control character U+{code:04X} at "
                f"character {i + 1}; remove it (it is invisible and breaks TBX, TMX and XLSX)"
            )


def check_term_text(text: str) -> None:
    """Raise InvalidValueError unless *text* can be a term (see :func:`validate`)."""
    if len(text) > MAX_TERM_CHARS:
        raise InvalidValueError(
            f"the term {_shown(text)} is {len(text):,} characters long; a term has at most "
            f"{MAX_TERM_CHARS} (it names a concept, it is not a sentence): shorten it, or put "
            "sentences into the translation memory (termbase tm import)"
        )
    check_text(text, "term", multiline=False)
    if all(unicodedata.category(c) in _INVISIBLE for c in text):
        raise InvalidValueError(
            f"the term {_shown(text)} is empty or only invisible characters (spaces, "
            "zero-width characters); give the term's text"
        )


def validate(entry: Entry) -> None:
    """Raise InvalidValueError when *entry* breaks a rule of the termbase."""
    if not entry.terms:
        raise InvalidValueError("an entry needs at least one term")
    if len(entry.terms) > MAX_TERMS_PER_ENTRY:
        raise InvalidValueError(
            f"the concept {entry.zh or entry.terms[0].text!r} would have {len(entry.terms):,} "
            f"terms; a concept has at most {MAX_TERMS_PER_ENTRY}. Are these really one "
            "concept? Split them, or import sentences into the translation memory"
        )
    seen: set[tuple[str, str]] = set()
    preferred: dict[str, str] = {}
    for name in ("subject", "definition", "definition_zh", "note", "review_comment"):
        check_text(getattr(entry, name), name.replace("_", " "))
    for term in entry.terms:
        if not term.text.strip():
            raise InvalidValueError("a term cannot be empty")
        check_term_text(term.text)
        check_text(term.note, "note")
        check_text(term.lang, "language tag", multiline=False)
        for context in term.contexts:
            check_text(context.text, "context")
        key = (term.lang.lower(), term.text)
        if key in seen:
            raise InvalidValueError(f"the term {term.text!r} ({term.lang}) is listed twice")
        seen.add(key)
        if term.status is TermStatus.PREFERRED:
            lang = term.lang.lower()
            if lang in preferred:
                raise InvalidValueError(
                    f"two preferred terms in {term.lang}: {preferred[lang]!r} and "
                    f"{term.text!r}; make one of them admitted"
                )
            preferred[lang] = term.text
        _check_dates(term)
        for source in term.cited:
            _check_official(source)
    for source in entry.sources:
        _check_official(source)


def _check_dates(term: Term) -> None:
    try:
        first = day_span(term.used_from)[0] if term.used_from else ""
        last = day_span(term.used_until)[1] if term.used_until else ""
    except ValueError as exc:
        raise InvalidValueError(f"the dates of {term.text!r}: {exc}") from None
    if first and last and first > last:
        raise InvalidValueError(
            f"{term.text!r} is in use from {term.used_from} until {term.used_until}: "
            "the first date is after the last"
        )


def _check_official(source: Source) -> None:
    """An official claim is a source with a URL and a date, never free text."""
    if source.authority.official and not (source.url and source.date):
        raise InvalidValueError(
            f"the source {source.title!r} is rated {source.authority.value}: "
            "an official source needs its URL and its date"
        )


def fill_pinyin(entry: Entry) -> None:
    """Give every simplified Chinese term without pinyin its toned pinyin."""
    for term in entry.terms:
        if is_chinese(term.lang) and not term.pinyin and not is_traditional(term.lang):
            from termbase.lang.zh import has_han, pinyin_toned

            if has_han(term.text):
                term.pinyin = pinyin_toned(term.text)


def stamp_new(entry: Entry, now: str, actor: str, *, keep_updated: bool = False) -> None:
    """Creation stamps of a new entry (kept when the entry brings its own), version 1.

    With *keep_updated*, an ``updated_at``/``updated_by`` the entry already
    carries (an imported file's) is kept too.
    """
    entry.created_at = entry.created_at or now
    entry.created_by = entry.created_by or actor
    entry.updated_at = (entry.updated_at if keep_updated else "") or now
    entry.updated_by = (entry.updated_by if keep_updated else "") or actor
    entry.version = 1


def touch(entry: Entry, now: str, actor: str) -> None:
    """Mark *entry* changed by *actor* at *now*: a new version."""
    entry.updated_at = now
    entry.updated_by = actor
    entry.version += 1


def preferred_in(entry: Entry, lang: str, *, besides: Term | None = None) -> Term | None:
    """The preferred term of *entry* in *lang* (other than *besides*), if any."""
    lang = lang.lower()
    return next(
        (
            t
            for t in entry.terms
            if t is not besides and t.lang.lower() == lang and t.status is TermStatus.PREFERRED
        ),
        None,
    )


def make_preferred(entry: Entry, term: Term) -> list[str]:
    """Make *term* (of *entry*, or about to join it) preferred, demoting the other one.

    A language has one preferred term: the one that held the place becomes
    admitted.  Returns what changed, one line per term, for the history.
    """
    lines = []
    if term.status is not TermStatus.PREFERRED:
        lines.append(f"{term.text!r} ({term.lang}): {term.status.value} → preferred")
    while (other := preferred_in(entry, term.lang, besides=term)) is not None:
        other.status = TermStatus.ADMITTED
        lines.append(f"{other.text!r} ({other.lang}): preferred → admitted")
    term.status = TermStatus.PREFERRED
    return lines


def require(actor: Actor, needed: Role, what: str) -> None:
    """Raise ForbiddenError unless *actor*'s role is at least *needed*."""
    if not actor.role.at_least(needed):
        raise ForbiddenError(
            f"{what} needs the {needed.value} role (you are {actor.role.value})",
            needed=needed.value,
            role=actor.role.value,
        )


#: Statuses a translator may use a term with.
USABLE = (TermStatus.PREFERRED, TermStatus.ADMITTED)

#: Entry fields a person edits (the rest is bookkeeping: ids, versions, who and when).
EDITABLE_FIELDS = ("subject", "definition", "definition_zh", "note", "entry_type")

#: Term fields compared and shown in a diff (contexts and source separately).
TERM_FIELDS = (
    "text",
    "lang",
    "status",
    "term_type",
    "pos",
    "note",
    "pinyin",
    "used_from",
    "used_until",
)


def family(lang: str) -> str:
    """The language a term counts for: ``zh`` (simplified), ``zh-Hant``, ``en`` or the tag."""
    if is_chinese(lang):
        return "zh-Hant" if is_traditional(lang) else "zh"
    if is_english(lang):
        return "en"
    return lang.lower()


def usable(term: Term) -> bool:
    """True for a preferred or admitted term."""
    return term.status in USABLE


def check_approvable(entry: Entry) -> None:
    """Raise InvalidValueError unless *entry* has a usable Chinese and English term."""
    ref = f"entry #{entry.id}" if entry.id is not None else "the entry"
    for lang, name in (("zh", "Chinese term"), ("en", "English rendering")):
        if not any(usable(t) and family(t.lang) == lang for t in entry.terms):
            raise InvalidValueError(
                f"{ref} cannot be approved: it has no preferred or admitted {name}; "
                f"add one first (termbase add-term {entry.id or 'ID'} TEXT --lang {lang})"
            )


def check_keeps_usable(entry: Entry, term: Term, new_status: TermStatus | None) -> None:
    """Refuse to make *term* unusable (or remove it, *new_status* None) when it is the last.

    The last usable term of a language stays usable: deprecate it only after
    adding its replacement.
    """
    if not usable(term) or (new_status is not None and new_status in USABLE):
        return
    lang = family(term.lang)
    others = [t for t in entry.terms if t is not term and usable(t) and family(t.lang) == lang]
    if not others and lang in ("zh", "en"):
        what = "deprecate" if new_status is not None else "delete"
        raise InvalidValueError(
            f"cannot {what} {term.text!r}: it is the last usable {lang} term of entry "
            f"#{entry.id}; add its replacement first (termbase add-term {entry.id} TEXT "
            f"--lang {lang})"
        )


def set_status(entry: Entry, target: Term, status: TermStatus) -> list[str]:
    """Give *target* *status* under the rules above; returns the history lines (none: no-op)."""
    if status is target.status:
        return []
    check_keeps_usable(entry, target, status)
    if status is TermStatus.PREFERRED:
        return make_preferred(entry, target)
    line = f"{target.text!r} ({target.lang}): {target.status.value} → {status.value}"
    target.status = status
    return [line]


def _term_view(term: Term) -> dict[str, Any]:
    view: dict[str, Any] = {f: getattr(term, f) for f in TERM_FIELDS}
    view["status"] = term.status.value
    view["term_type"] = term.term_type.value
    view["contexts"] = [
        (c.text, c.text_zh, c.locator, _source_key(c.source), _source_key(c.quotes))
        for c in term.contexts
    ]
    view["source"] = _source_key(term.source)
    return view


def _source_key(source: Any) -> tuple[str, ...] | None:
    return None if source is None else (*source.key(), source.note, source.authority.value)


def content(entry: Entry) -> dict[str, Any]:
    """What a reviewer decides about: the fields, terms and sources (no bookkeeping)."""
    return {
        **{f: getattr(entry, f) for f in EDITABLE_FIELDS},
        "review": entry.review.value,
        "terms": [_term_view(t) for t in entry.terms],
        "sources": [_source_key(s) for s in entry.sources],
    }


def same_content(a: Entry, b: Entry) -> bool:
    """True when *a* and *b* differ in bookkeeping only (a change that changes nothing)."""
    return content(a) == content(b)


def _label(term: Term) -> str:
    return f"{term.lang} {term.text!r}"


def diff(before: Entry, after: Entry) -> list[str]:
    """Lines describing how *after* differs from *before* (``+`` added, ``-`` removed, ``~``)."""
    lines = []
    for f in EDITABLE_FIELDS:
        old, new = getattr(before, f), getattr(after, f)
        if old != new:
            lines.append(f"~ {f}: {old!r} → {new!r}")
    if before.review is not after.review:
        lines.append(f"~ review: {before.review.value} → {after.review.value}")
    old_by_id = {t.id: t for t in before.terms if t.id is not None}
    matched: set[int] = set()
    for term in after.terms:
        old = old_by_id.get(term.id) if term.id is not None else None
        if old is None:
            old = next(
                (
                    t
                    for t in before.terms
                    if id(t) not in matched
                    and t.lang.lower() == term.lang.lower()
                    and t.text == term.text
                ),
                None,
            )
        if old is None:
            extra = f" — note: {term.note}" if term.note else ""
            if term.source is not None:
                extra += f" — source: {term.source.citation() or term.source.title}"
            lines.append(f"+ {_label(term)} ({term.status.value}){extra}")
            for ctx in term.contexts:
                lines.append(f"+   context: {ctx.text}")
            continue
        matched.add(id(old))
        was, now = _term_view(old), _term_view(term)
        for f in TERM_FIELDS:
            if was[f] != now[f]:
                lines.append(f"~ {_label(old)} {f}: {was[f]!r} → {now[f]!r}")
        old_ctx = {c[0] for c in was["contexts"]}
        new_ctx = {c[0] for c in now["contexts"]}
        lines.extend(f"+ {_label(term)} context: {c}" for c in sorted(new_ctx - old_ctx))
        lines.extend(f"- {_label(term)} context: {c}" for c in sorted(old_ctx - new_ctx))
        if was["source"] != now["source"]:
            lines.append(f"~ {_label(term)} source: {term.source.title if term.source else '—'}")
    for term in before.terms:
        if id(term) not in matched and not any(
            (t.id is not None and t.id == term.id)
            or (t.lang.lower() == term.lang.lower() and t.text == term.text)
            for t in after.terms
        ):
            lines.append(f"- {_label(term)} ({term.status.value})")
    old_src = {s.key() for s in before.sources}
    lines.extend(f"+ source: {s.title}" for s in after.sources if s.key() not in old_src)
    new_src = {s.key() for s in after.sources}
    lines.extend(f"- source: {s.title}" for s in before.sources if s.key() not in new_src)
    return lines


def absorb(keep: Entry, other: Entry) -> list[str]:
    """Join concept *other* into *keep* in place; returns what changed, for the history.

    Terms of *other* keep their ids (they move); a term both entries have is
    kept once, with the contexts of both.  A second preferred term of a
    language becomes admitted.  Empty fields of *keep* take *other*'s values;
    two different non-empty notes are both kept.
    """
    lines = []
    for f in EDITABLE_FIELDS:
        mine, theirs = getattr(keep, f), getattr(other, f)
        if theirs and not mine:
            setattr(keep, f, theirs)
        elif theirs and theirs != mine and f in ("note", "definition", "definition_zh"):
            setattr(keep, f, f"{mine}\n{theirs}")
    for term in other.terms:
        same = next(
            (t for t in keep.terms if t.lang.lower() == term.lang.lower() and t.text == term.text),
            None,
        )
        if same is None:
            moved = copy.deepcopy(term)
            if moved.status is TermStatus.PREFERRED and any(
                t.status is TermStatus.PREFERRED and t.lang.lower() == moved.lang.lower()
                for t in keep.terms
            ):
                moved.status = TermStatus.ADMITTED
                lines.append(f"{moved.text!r} ({moved.lang}): preferred → admitted (merged)")
            keep.terms.append(moved)
            lines.append(f"+ {_label(moved)} from #{other.id}")
            continue
        seen = {c.text for c in same.contexts}
        for ctx in term.contexts:
            if ctx.text not in seen:
                same.contexts.append(copy.deepcopy(ctx))
                seen.add(ctx.text)
        for f in ("note", "pos", "pinyin"):
            if not getattr(same, f) and getattr(term, f):
                setattr(same, f, getattr(term, f))
        if same.source is None and term.source is not None:
            same.source = copy.deepcopy(term.source)
    known = {s.key() for s in keep.sources}
    for src in other.sources:
        if src.key() not in known:
            keep.sources.append(copy.deepcopy(src))
            known.add(src.key())
    return lines


def check_query(query: str) -> None:
    """InvalidValueError for a query with nothing to search for (empty, spaces,
    invisible characters): the one rule of every search."""
    from termbase.lang import INVISIBLE

    if not INVISIBLE.sub("", query).strip():
        raise InvalidValueError("give a word or phrase to search for; the query is empty")


def check_limit(limit: int) -> None:
    """InvalidValueError for a result limit below one."""
    if limit < 1:
        raise InvalidValueError(f"--limit must be at least 1 (got {limit})")


def check_citations(entry: Entry, rationale: str = "") -> None:
    """Raise InvalidValueError saying what is missing when :func:`approval_problems` finds any."""
    problems = approval_problems(entry, rationale)
    if problems:
        ref = f"entry #{entry.id}" if entry.id is not None else "the entry"
        raise InvalidValueError(f"{ref} cannot be approved: " + "; ".join(problems))


def approval_problems(entry: Entry, rationale: str = "") -> list[str]:
    """What keeps *entry* from being approved (empty when nothing does).

    Each preferred rendering (every non-Chinese preferred term) must cite at
    least one source: its own, or a context sentence.  When another rendering
    in use in that language cites a stronger source, approving the weaker
    preferred rendering needs a *rationale*.
    """
    problems = []
    for term in entry.terms:
        if term.status is not TermStatus.PREFERRED or is_chinese(term.lang):
            continue
        best = term.strongest_source
        if best is None:
            problems.append(
                f"the preferred rendering {term.text!r} cites no source: add a context "
                "sentence or a source (title, publisher, URL, date)"
            )
            continue
        rivals = [
            t
            for t in entry.terms
            if t is not term
            and t.lang.lower() == term.lang.lower()
            and t.status in USABLE
            and t.strongest_source is not None
        ]
        stronger = [
            t
            for t in rivals
            if t.strongest_source.authority.rank < best.authority.rank  # type: ignore[union-attr]
        ]
        if stronger and not rationale.strip():
            rival = min(stronger, key=lambda t: t.strongest_source.authority.rank)  # type: ignore[union-attr]
            src = rival.strongest_source
            assert src is not None
            problems.append(
                f"the preferred rendering {term.text!r} rests on {best.authority.value} "
                f"({best.title}), but {rival.text!r} is used by a stronger source, "
                f"{src.authority.value} ({src.title}): give a rationale (--comment) "
                "for preferring it"
            )
    return problems
