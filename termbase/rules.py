"""The entry rules: plain functions on :mod:`termbase.model` objects.

Every writer of entries (the facade, the import merge, candidate extraction)
applies the same rules through these functions, so each rule has one copy:

* :func:`validate` — an entry has a term, no empty or repeated term, and at
  most one preferred term per language;
* :func:`fill_pinyin` — simplified Chinese terms get toned pinyin;
* :func:`stamp_new` / :func:`touch` — who created or changed an entry, when,
  and its version;
* :func:`make_preferred` — making a rendering preferred demotes the language's
  previous preferred rendering to admitted.

No I/O and no SQL here; the time and the acting user are arguments.
"""

from __future__ import annotations

import datetime as _dt

from termbase.errors import InvalidValueError
from termbase.model import Entry, Term, TermStatus, is_chinese, is_traditional


def utcnow() -> str:
    """Current UTC time as ``YYYY-MM-DDThh:mm:ssZ`` (the default clock)."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def validate(entry: Entry) -> None:
    """Raise InvalidValueError when *entry* breaks a rule of the termbase."""
    if not entry.terms:
        raise InvalidValueError("an entry needs at least one term")
    seen: set[tuple[str, str]] = set()
    preferred: dict[str, str] = {}
    for term in entry.terms:
        if not term.text.strip():
            raise InvalidValueError("a term cannot be empty")
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


def make_preferred(entry: Entry, term: Term) -> None:
    """Make *term* (of *entry*, or about to join it) preferred, demoting the other one.

    A language has one preferred term: the one that held the place becomes
    admitted.
    """
    while (other := preferred_in(entry, term.lang, besides=term)) is not None:
        other.status = TermStatus.ADMITTED
    term.status = TermStatus.PREFERRED
