"""TBX: ISO 30042:2019 (TBX-Basic, TBX-Core, TBX-Min; DCA and DCT) and TBX 2008 (martif).

Reading streams ``conceptEntry`` / ``termEntry`` elements with the hardened
parser of :mod:`termbase.formats._xml` and clears each one after use, so a
million-term file reads in constant memory.  Both versions, both styles,
``tig`` and ``ntig/termGrp`` are understood.

Writing emits TBX v3 TBX-Basic in DCA style (``version="v3"``, the
default, valid against the LTAC core RNG and TBX-Basic Schematron) or TBX
2008 ``<martif>`` (``version="2008"``, the only TBX that OmegaT and
translate-toolkit/Weblate read).  Each concept entry is built as a string
(``termbase.formats._xmlout``: lxml's escaping, characters XML cannot carry
dropped) and streamed into a temporary file that is renamed at the end.

Fields TBX-Basic has no data category for are carried in ``<note>``
elements with a fixed prefix (``pinyin: …``, ``locator: …``,
``source-title: …``, ``review: …``, ``uuid: …``); a user's note line that
starts with such a prefix is written as ``note: <line>``.  docs/formats.md
lists the mapping.  A reader that does not know these conventions still
shows them as notes, so nothing is hidden from other tools.

Reading is lenient about dialect rules (data categories out of place or
outside a picklist are read; what has no field of ours is kept as a note
line) and strict about structure (not well-formed XML, a wrong root, an
empty ``<term>``, two ``<term>`` in one term section → FormatError with
the line).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import quoteattr

from termbase.errors import FormatError, InvalidValueError
from termbase.fileio import shown_name
from termbase.formats import _xml, _xmlout
from termbase.formats._io import atomic_output, count_marks
from termbase.lang import HAN
from termbase.model import (
    DATE_OF_USE,
    Authority,
    Context,
    Entry,
    EntryType,
    Review,
    Source,
    Term,
    TermStatus,
    TermType,
    is_chinese,
    is_english,
    is_traditional,
    new_uuid,
    normalise_lang,
)

TBX_NS = "urn:iso:std:iso:30042:ed-2"

STATUS_TO_TBX = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.DEPRECATED: "deprecatedTerm-admn-sts",
    TermStatus.SUPERSEDED: "supersededTerm-admn-sts",
}
_STATUS_FROM = {
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "deprecatedterm-admn-sts": TermStatus.DEPRECATED,
    "supersededterm-admn-sts": TermStatus.SUPERSEDED,
    "preferred": TermStatus.PREFERRED,
    "preferredterm": TermStatus.PREFERRED,
    "admitted": TermStatus.ADMITTED,
    "admittedterm": TermStatus.ADMITTED,
    "deprecated": TermStatus.DEPRECATED,
    "deprecatedterm": TermStatus.DEPRECATED,
    "forbidden": TermStatus.DEPRECATED,
    "notrecommended": TermStatus.DEPRECATED,
    "obsolete": TermStatus.DEPRECATED,
    "superseded": TermStatus.SUPERSEDED,
    "supersededterm": TermStatus.SUPERSEDED,
    "standardizedterm": TermStatus.PREFERRED,
    "regulatedterm": TermStatus.PREFERRED,
}
TYPE_TO_TBX = {
    TermType.FULL_FORM: "fullForm",
    TermType.ABBREVIATION: "abbreviation",
    TermType.ACRONYM: "acronym",
    TermType.SHORT_FORM: "shortForm",
    TermType.PHRASE: "phrase",
    TermType.VARIANT: "variant",
}
_TYPE_FROM = {v.lower(): k for k, v in TYPE_TO_TBX.items()}
_TYPE_FROM.update({"initialism": TermType.ACRONYM, "shortform": TermType.SHORT_FORM})
_POS = {"noun", "verb", "adjective", "adverb", "other"}

# Element names: v3 name -> 2008 name.
_V2008 = {
    "tbx": "martif",
    "tbxHeader": "martifHeader",
    "conceptEntry": "termEntry",
    "langSec": "langSet",
    "termSec": "tig",
}
_ENTRY_TAGS = {"conceptEntry", "termEntry"}
_LANG_TAGS = {"langSec", "langSet"}
_TERM_TAGS = {"termSec", "tig", "ntig"}

# Data categories that DCT style writes as elements of their own.
_DCT_TERMNOTE = {
    "administrativeStatus",
    "termType",
    "partOfSpeech",
    "usageStatus",
    "normativeAuthorization",
    "grammaticalGender",
    "geographicalUsage",
    "termLocation",
}
_DCT_DESCRIP = {"subjectField", "definition", "context"}
_DCT_ADMIN = {"source", "customerSubset", "projectSubset"}

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

_SOURCE_FIELDS = ("title", "author", "publisher", "date", "url", "note")
#: Notes of ours beside the source fields: a source's authority, a context's
#: quoted document (``quotes-title: …``), a rendering's dates of use, the entry type.
_QUOTE_FIELDS = (*_SOURCE_FIELDS, "authority")
_LATIN = re.compile(r"[A-Za-z]")
#: Characters XML 1.0 cannot carry (C0 controls but tab/newline/CR, U+FFFE/U+FFFF).


# ---------------------------------------------------------------- sniffing
def sniff(head: bytes) -> bool:
    """True when *head* looks like a TBX document (v3 or 2008, any BOM)."""
    for enc in ("utf-8", "utf-16"):
        try:
            text = head.decode(enc, errors="ignore")
        except LookupError:  # pragma: no cover
            continue
        if (
            "<martif" in text
            or ("<tbx" in text and "<tbxHeader" in text)
            or ("<tbx" in text and TBX_NS in text)
        ):
            return True
    return False


# ----------------------------------------------------------------- reading


_KINDS: dict[tuple[str, str], tuple[str, str]] = {}


def _kind(el: Any) -> tuple[str, str]:
    """(element kind, data category) for DCA (``descrip type=x``) and DCT (``basic:x``)."""
    tag = el.tag
    key = (tag if isinstance(tag, str) else "", el.get("type") or "")
    found = _KINDS.get(key)
    if found is None:
        found = _kind_of(*key)
        if len(_KINDS) < 4096:  # a hostile file cannot grow the cache without bound
            _KINDS[key] = found
    return found


def _named(el: Any, name: str) -> bool:
    """Is *el* a *name* element, in any namespace or none (``_xml.local(el.tag) == name``)."""
    tag = el.tag
    return tag == name or (isinstance(tag, str) and tag.endswith("}" + name))


def _kind_of(tag: str, dtype: str) -> tuple[str, str]:
    name = _xml.local(tag)
    namespace = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    if namespace and namespace != TBX_NS and name not in _ENTRY_TAGS | _LANG_TAGS | _TERM_TAGS:
        if name in _DCT_TERMNOTE:
            return "termNote", name
        if name in _DCT_DESCRIP:
            return "descrip", name
        if name in _DCT_ADMIN:
            return "admin", name
        if name in ("transactionType",):
            return "transac", name
        if name in ("responsibility",):
            return "transacNote", name
        return "other", name
    return name, dtype


#: A line break followed by indentation: pretty-printing, not content.
_LAYOUT = re.compile(r"[ \t]*\n[ \t]+")


def _text(el: Any) -> str:
    """Text of *el*, stripped, with pretty-printing line breaks folded to one space.

    A bare line break (no indentation after it) is content and kept.
    """
    text = _xml.text_of(el) if len(el) else (el.text or "")
    if "\n" in text:
        text = _LAYOUT.sub(" ", text)
    return text.strip()


def _flat(el: Any) -> str:
    """Text with whitespace runs folded (sentences pretty-printed over lines)."""
    return " ".join(_xml.text_of(el).split())


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.name = shown_name(path)
        self.seen: dict[str, int] = {}  # concept id -> the line it was first given on

    def fail(self, el: Any, message: str) -> FormatError:
        return FormatError(message, path=self.path, line=getattr(el, "sourceline", None))

    # notes with our reserved prefixes
    @staticmethod
    def split_note(text: str) -> tuple[str, str]:
        head, sep, rest = text.partition(": ")
        if sep and head in _RESERVED:
            return head, rest
        return "", text

    def source_from(self, admin_text: str, notes: list[str], prefix: str = "source-") -> Source:
        fields = {k: "" for k in _QUOTE_FIELDS}
        for n in notes:
            key, value = self.split_note(n)
            if key.startswith(prefix) and key[len(prefix) :] in fields:
                fields[key[len(prefix) :]] = value
        if not any(fields[k] for k in ("title", "author", "publisher", "date", "url")):
            fields["title"] = admin_text
        try:
            authority = Authority(fields["authority"] or Authority.OTHER.value)
        except ValueError:
            authority = Authority.OTHER
            fields["note"] = "\n".join(
                x for x in (fields["note"], f"authority: {fields['authority']}") if x
            )
        return Source(
            title=fields["title"],
            author=fields["author"],
            publisher=fields["publisher"],
            date=fields["date"],
            url=fields["url"],
            note=fields["note"],
            authority=authority,
        )

    def entry(self, el: Any) -> Entry:
        entry = Entry(uuid="")  # given below: from a note, the concept id, else a new one
        notes: list[str] = []
        extra: list[str] = []
        for child in el:
            kind, dtype = _kind(child)
            if kind in _LANG_TAGS:
                extra.extend(self.lang_section(child, entry))
            elif kind == "descrip" and dtype == "subjectField":
                entry.subject = _text(child)
            elif kind == "descrip" and dtype == "definition":
                self.concept_definition(child, entry, extra)
            elif kind == "descripGrp":
                self.concept_descrip_grp(child, entry, extra)
            elif kind == "admin" and dtype == "source":
                entry.sources.append(Source(title=_text(child)))
            elif kind == "adminGrp":
                src = self.admin_grp_source(child)
                if src is not None:
                    entry.sources.append(src)
            elif kind == "note":
                notes.append(_text(child))
            elif kind == "transacGrp":
                self.transaction(child, entry)
            elif kind in ("descrip", "admin", "ref", "xref", "other"):
                value = _text(child) or str(child.get("target") or "")
                extra.append(f"{dtype or kind}: {value}")
        for n in notes:
            key, value = self.split_note(n)
            if key == "uuid":
                entry.uuid = value
            elif key == "review":
                try:
                    entry.review = Review(value)
                except ValueError:
                    extra.append(n)
            elif key == "reviewer":
                entry.reviewer = value
            elif key == "reviewed-at":
                entry.reviewed_at = value
            elif key == "review-comment":
                entry.review_comment = value
            elif key == "entry-type" and value in _ENTRY_TYPES:
                entry.entry_type = _ENTRY_TYPES[value]
            elif key == "note":
                extra.append(value)
            else:
                extra.append(n)
        entry.note = "\n".join(x for x in [*extra] if x)
        if not entry.terms:
            raise self.fail(
                el, "a concept entry has no terms; every entry needs at least one <term>"
            )
        concept_id = str(el.get("id") or "")
        if concept_id:
            if concept_id in self.seen:
                raise self.fail(
                    el,
                    f"the concept id {concept_id!r} was already given to the concept on line "
                    f"{self.seen[concept_id]}: two concepts would become one. Give each "
                    "<conceptEntry> its own id",
                )
            self.seen[concept_id] = getattr(el, "sourceline", 0) or 0
        if not any(self.split_note(n)[0] == "uuid" for n in notes):
            if concept_id:
                own = concept_id[1:] if concept_id.startswith("e") else ""
                entry.uuid = own if _UUID.fullmatch(own) else f"tbx:{self.name}#{concept_id}"
            else:
                entry.uuid = new_uuid()
        return entry

    def concept_descrip_grp(self, grp: Any, entry: Entry, extra: list[str]) -> None:
        descrip = grp[0] if len(grp) else None
        if descrip is None:
            return
        dtype = _kind(descrip)[1]
        if dtype == "definition":
            self.concept_definition(descrip, entry, extra)
        elif dtype == "subjectField":
            entry.subject = _text(descrip)
        else:
            extra.append(f"{dtype}: {_text(descrip)}")
        notes = [_text(c) for c in grp if _kind(c)[0] == "note"]
        for c in grp:
            if _kind(c) == ("admin", "source"):
                entry.sources.append(self.source_from(_text(c), notes))

    @staticmethod
    def concept_definition(descrip: Any, entry: Entry, extra: list[str]) -> None:
        """A concept-level definition: Chinese by its xml:lang (or, without one, by its
        script) goes to definition_zh, anything else to definition; a second one to the note."""
        text = _text(descrip)
        lang = normalise_lang(_xml.lang_of(descrip))
        chinese = is_chinese(lang) if lang else bool(HAN.search(text)) and not _LATIN.search(text)
        if chinese and not entry.definition_zh:
            entry.definition_zh = text
        elif not chinese and not entry.definition and (not lang or is_english(lang)):
            entry.definition = text
        else:
            extra.append(f"[{lang}] definition: {text}" if lang else f"definition: {text}")

    def admin_grp_source(self, grp: Any) -> Source | None:
        admin = next((c for c in grp if _kind(c) == ("admin", "source")), None)
        if admin is None:
            return None
        notes = [_text(c) for c in grp if _kind(c)[0] == "note"]
        return self.source_from(_text(admin), notes)

    def transaction(self, grp: Any, entry: Entry) -> None:
        kind_text = date = who = ""
        for c in grp:
            kind = _kind(c)[0]
            if kind == "transac":
                kind_text = _text(c)
            elif kind == "date":
                date = _text(c)
            elif kind == "transacNote":
                who = _text(c)
        if kind_text in ("origination", "creation") and not (entry.created_at or entry.created_by):
            entry.created_at, entry.created_by = date, who
        elif kind_text == "modification":
            entry.updated_at, entry.updated_by = date, who

    def lang_section(self, el: Any, entry: Entry) -> list[str]:
        """Add the terms and definitions of one language section to *entry*.

        Returns what it holds that our model has no field for, as note lines
        (``[lang] category: value``).
        """
        extra: list[str] = []
        lang = normalise_lang(_xml.lang_of(el))
        if not lang:
            raise self.fail(
                el, 'a language section has no xml:lang; add xml:lang="zh-CN" (or the right tag)'
            )
        for child in el:
            kind, dtype = _kind(child)
            if kind in _TERM_TAGS:
                entry.terms.append(self.term(child, lang))
            elif kind in ("descrip", "descripGrp"):
                descrip = child if kind == "descrip" else (child[0] if len(child) else None)
                if descrip is None:
                    continue
                _k, d = _kind(descrip)
                if d != "definition":
                    extra.append(f"[{lang}] {d or 'descrip'}: {_text(descrip)}")
                elif is_chinese(lang) and not is_traditional(lang) and not entry.definition_zh:
                    entry.definition_zh = _text(descrip)
                elif is_english(lang) and not entry.definition:
                    entry.definition = _text(descrip)
                else:
                    extra.append(f"[{lang}] definition: {_text(descrip)}")
                if d == "definition" and kind == "descripGrp":
                    notes = [_text(c) for c in child if _kind(c)[0] == "note"]
                    for c in child:
                        if _kind(c) == ("admin", "source"):
                            entry.sources.append(self.source_from(_text(c), notes))
            elif kind == "admin" and dtype == "source":
                entry.sources.append(Source(title=_text(child)))
            elif kind == "adminGrp":
                src = self.admin_grp_source(child)
                if src is not None:
                    entry.sources.append(src)
            elif kind in ("note", "descrip", "admin", "ref", "xref", "other"):
                value = _text(child) or str(child.get("target") or "")
                label = "note" if kind == "note" else (dtype or kind)
                extra.append(f"[{lang}] {label}: {value}")
        return extra

    def term(self, el: Any, lang: str) -> Term:
        holder = el
        if _named(el, "ntig"):
            holder = next((c for c in el if _named(c, "termGrp")), el)
        children = list(holder)  # read once: each pass over an element makes new proxies
        term_els = [c for c in children if _named(c, "term")]
        if len(term_els) > 1:
            raise self.fail(
                term_els[1],
                f"a term section holds {len(term_els)} <term> elements; TBX allows one per "
                "term section: put each term in a <termSec> (TBX 2008: <tig>) of its own",
            )
        term_el = term_els[0] if term_els else None
        text = _text(term_el) if term_el is not None else ""
        if not text:
            raise self.fail(
                el, "a term section has no <term> text; remove the empty term or fill it in"
            )
        term = Term(text=" ".join(text.split()), lang=lang)
        status_seen = False
        notes: list[str] = []
        extra: list[str] = []
        if holder is not el:
            children += [c for c in el if c is not holder]
        for child in children:
            kind, dtype = _kind(child)
            if child is term_el or kind == "termGrp":
                continue
            if kind == "termNoteGrp" and len(child):
                child = child[0]
                kind, dtype = _kind(child)
            value = _text(child)
            if kind == "termNote":
                key = value.replace(" ", "").lower()
                if dtype in ("administrativeStatus", "normativeAuthorization", "usageStatus"):
                    if key in _STATUS_FROM and not status_seen:
                        term.status = _STATUS_FROM[key]
                        status_seen = True
                    elif key not in _STATUS_FROM:
                        extra.append(f"{dtype}: {value}")
                elif dtype == "termType":
                    if key in _TYPE_FROM:
                        term.term_type = _TYPE_FROM[key]
                    else:
                        extra.append(f"termType: {value}")
                elif dtype == "partOfSpeech":
                    term.pos = value
                else:
                    extra.append(f"{dtype}: {value}")
            elif kind == "descripGrp":
                self.context_grp(child, term, extra)
            elif kind == "descrip" and dtype == "context":
                term.contexts.append(Context(text=" ".join(value.split())))
            elif kind == "admin" and dtype == "source":
                term.source = Source(title=value)
            elif kind == "adminGrp":
                term.source = self.admin_grp_source(child) or term.source
            elif kind == "note":
                notes.append(value)
            elif kind in ("descrip", "admin", "ref", "xref", "other"):
                extra.append(f"{dtype or kind}: {value or child.get('target') or ''}")
        for n in notes:
            key, value = self.split_note(n)
            if key == "pinyin":
                term.pinyin = value
            elif key in ("used-from", "used-until") and DATE_OF_USE.match(value):
                setattr(term, key.replace("-", "_"), value)
            elif key == "partOfSpeech" and not term.pos:
                term.pos = value
            elif key == "note":
                extra.append(value)
            else:
                extra.append(n)
        term.note = "\n".join(extra)
        return term

    def context_grp(self, grp: Any, term: Term, extra: list[str]) -> None:
        descrip = grp[0] if len(grp) else None
        if descrip is None:
            return
        _k, dtype = _kind(descrip)
        if dtype != "context":
            extra.append(f"{dtype}: {_text(descrip)}")
            return
        notes = [_text(c) for c in grp if _kind(c)[0] == "note"]
        ctx = Context(text=_flat(descrip))
        for n in notes:
            key, value = self.split_note(n)
            if key == "locator":
                ctx.locator = value
        for c in grp:
            if _kind(c) == ("admin", "source"):
                ctx.source = self.source_from(_text(c), notes)
        if any(self.split_note(n)[0].startswith("quotes-") for n in notes):
            ctx.quotes = self.source_from("", notes, "quotes-")
        term.contexts.append(ctx)


_RESERVED = {
    "note",
    "partOfSpeech",
    "pinyin",
    "locator",
    "uuid",
    "review",
    "reviewer",
    "reviewed-at",
    "review-comment",
    "entry-type",
    "used-from",
    "used-until",
    *(f"source-{f}" for f in _QUOTE_FIELDS),
    *(f"quotes-{f}" for f in _QUOTE_FIELDS),
}
_ENTRY_TYPES = {t.value: t for t in EntryType}


def count_units(path: str | os.PathLike[str]) -> int:
    """About how many entries :func:`read` yields (concept elements of TBX 2008 and
    TBX v3), for a progress bar's total."""
    return count_marks(path, (b"<termEntry", b"<conceptEntry"))


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Stream the entries of a TBX file (v3 or 2008, DCA or DCT)."""
    p = os.fspath(path)
    _check_blank(p)
    _check_root(p)
    reader = _Reader(p)
    # Only entry elements reach Python (``{*}`` matches any or no namespace),
    # which keeps the per-element overhead of a million-term file in C.
    # (the parser refuses entity references left unexpanded in each entry first)
    for _event, el in _xml.iterparse(p, events=("end",), tag=_ENTRY_MATCH):
        entry = reader.entry(el)
        _xml.clear(el)
        yield entry


_ENTRY_MATCH = ["{*}" + name for name in sorted(_ENTRY_TAGS)]


def _check_blank(path: str) -> None:
    """Refuse a file holding nothing but a BOM and white space, with a plain message."""
    if os.path.isfile(path) and 0 < os.path.getsize(path) <= 4096:
        with open(path, "rb") as fh:
            data = fh.read()
        for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
            data = data.removeprefix(bom)
        if not data.replace(b"\x00", b"").strip():
            raise FormatError(
                "the file is empty (only white space); export the TBX again", path=path
            )


def _check_root(path: str) -> None:
    """Refuse a file whose root is not <tbx> or <martif> (after the safety checks)."""
    events = _xml.iterparse(path, events=("start",))
    try:
        for _event, root in events:
            name = _xml.local(root.tag)
            if name not in ("tbx", "martif"):
                raise FormatError(
                    f"not a TBX file: the root element is <{name}>; expected <tbx> (TBX v3) "
                    "or <martif> (TBX 2008)",
                    path=path,
                    line=root.sourceline,
                )
            return
    finally:
        events.close()  # type: ignore[attr-defined]


# ----------------------------------------------------------------- writing
def _rank(term: Term) -> int:
    return term.status.rank


class _Writer:
    """Writes one entry at a time as an XML string (un-namespaced: the root
    written by :func:`write` declares the TBX v3 default namespace).  The
    bytes are those lxml wrote when this built element trees; strings are
    several times faster for an export of a million entries."""

    def __init__(self, version: str) -> None:
        self.v3 = version != "2008"
        self.tags = {} if self.v3 else _V2008

    def tag(self, name: str) -> str:
        return self.tags.get(name, name)

    def group(self, name: str, children: list[str], attrs: str = "") -> str:
        tag = self.tags.get(name, name)
        if not children:
            return f"<{tag}{attrs}/>"
        return f"<{tag}{attrs}>{''.join(children)}</{tag}>"

    def leaf(self, name: str, text: str, attrs: str = "") -> str:
        # characters XML cannot carry are dropped once per entry (see entry())
        return _xmlout.leaf(self.tags.get(name, name), text, attrs)

    def user_note(self, out: list[str], line: str) -> None:
        """A line of a user's note; escaped when it would read back as one of ours."""
        escape = _Reader.split_note(line)[0] or line.startswith("note: ")
        self.note(out, f"note: {line}" if escape else line)

    def note(self, out: list[str], text: str) -> None:
        if text:
            out.append(self.leaf("note", text))

    def source_notes(self, out: list[str], source: Source, prefix: str = "source-") -> None:
        for f in _SOURCE_FIELDS:
            value = getattr(source, f)
            if value:
                self.note(out, f"{prefix}{f}: {value}")
        if source.authority is not Authority.OTHER:
            self.note(out, f"{prefix}authority: {source.authority.value}")

    def admin_grp(self, out: list[str], source: Source) -> None:
        grp = [self.leaf("admin", source.citation() or source.title or "?", ' type="source"')]
        self.source_notes(grp, source)
        out.append(self.group("adminGrp", grp))

    def entry(self, entry: Entry, number: int) -> str:
        own_id = _UUID.fullmatch(entry.uuid) is not None
        concept_id = f"e{entry.uuid}" if own_id else f"c{entry.id or number}"
        el: list[str] = []
        if entry.subject:
            el.append(self.leaf("descrip", entry.subject, ' type="subjectField"'))
        has_en = any(is_english(t.lang) for t in entry.terms)
        has_zh = any(is_chinese(t.lang) and not is_traditional(t.lang) for t in entry.terms)
        if entry.definition and not has_en:
            attrs = ' type="definition" xml:lang="en"'
            el.append(self.leaf("descrip", entry.definition, attrs))
        if entry.definition_zh and not has_zh:
            attrs = ' type="definition" xml:lang="zh-CN"'
            el.append(self.leaf("descrip", entry.definition_zh, attrs))
        for src in entry.sources:
            self.admin_grp(el, src)
        for line in entry.note.split("\n") if entry.note else []:
            self.user_note(el, line)
        if not own_id:
            self.note(el, f"uuid: {entry.uuid}")
        self.note(el, f"review: {entry.review.value}")
        if entry.reviewer:
            self.note(el, f"reviewer: {entry.reviewer}")
        if entry.reviewed_at:
            self.note(el, f"reviewed-at: {entry.reviewed_at}")
        if entry.review_comment:
            self.note(el, f"review-comment: {entry.review_comment}")
        if entry.entry_type is not EntryType.TERM:
            self.note(el, f"entry-type: {entry.entry_type.value}")
        for kind, date, who in (
            ("origination", entry.created_at, entry.created_by),
            ("modification", entry.updated_at, entry.updated_by),
        ):
            if date or who:
                grp = [self.leaf("transac", kind, ' type="transactionType"')]
                if date:
                    grp.append(self.leaf("date", date))
                if who:
                    grp.append(self.leaf("transacNote", who, ' type="responsibility"'))
                el.append(self.group("transacGrp", grp))
        langs: list[str] = []
        for t in entry.terms:
            if t.lang not in langs:
                langs.append(t.lang)
        done_en = done_zh = False
        for lang in langs:
            sec: list[str] = []
            if is_english(lang) and entry.definition and not done_en:
                sec.append(self.leaf("descrip", entry.definition, ' type="definition"'))
                done_en = True
            if (
                is_chinese(lang)
                and not is_traditional(lang)
                and entry.definition_zh
                and not done_zh
            ):
                sec.append(self.leaf("descrip", entry.definition_zh, ' type="definition"'))
                done_zh = True
            # Best status first: tools that take the first term of a language
            # (translate-toolkit, OmegaT) must never pick a deprecated one.
            for t in sorted((t for t in entry.terms if t.lang == lang), key=_rank):
                self.term(sec, t)
            el.append(self.group("langSec", sec, f' xml:lang="{_xmlout.attr(lang)}"'))
        xml = self.group("conceptEntry", el, f' id="{_xmlout.attr(concept_id)}"')
        return _xmlout.drop_illegal(xml)

    def term(self, out: list[str], t: Term) -> None:
        sec = [
            self.leaf("term", t.text),
            self.leaf("termNote", STATUS_TO_TBX[t.status], ' type="administrativeStatus"'),
            self.leaf("termNote", TYPE_TO_TBX[t.term_type], ' type="termType"'),
        ]
        if t.pos in _POS:
            sec.append(self.leaf("termNote", t.pos, ' type="partOfSpeech"'))
        for ctx in t.contexts:
            grp = [self.leaf("descrip", ctx.text, ' type="context"')]
            if ctx.source is not None:
                citation = ctx.source.citation() or ctx.source.title or "?"
                grp.append(self.leaf("admin", citation, ' type="source"'))
            if ctx.locator:
                self.note(grp, f"locator: {ctx.locator}")
            if ctx.source is not None:
                self.source_notes(grp, ctx.source)
            if ctx.quotes is not None:
                self.source_notes(grp, ctx.quotes, "quotes-")
            sec.append(self.group("descripGrp", grp))
        if t.source is not None:
            self.admin_grp(sec, t.source)
        if t.pinyin:
            self.note(sec, f"pinyin: {t.pinyin}")
        if t.used_from:
            self.note(sec, f"used-from: {t.used_from}")
        if t.used_until:
            self.note(sec, f"used-until: {t.used_until}")
        if t.pos and t.pos not in _POS:
            self.note(sec, f"partOfSpeech: {t.pos}")
        for line in t.note.split("\n") if t.note else []:
            self.user_note(sec, line)
        out.append(self.group("termSec", sec))


def write(
    entries: Iterable[Entry],
    path: str | os.PathLike[str],
    *,
    version: str = "v3",
    dialect: str = "TBX-Basic",
    style: str = "dca",
    source_language: str = "en",
    **options: Any,
) -> int:
    """Write *entries* as TBX v3 TBX-Basic DCA (default) or TBX 2008 (``version="2008"``).

    The registry maps both ``tbx`` and ``tbx2008`` to this module; a caller
    that looked the module up as ``tbx2008`` passes ``version="2008"``.
    Only the TBX-Basic dialect in DCA style is written (the reader takes
    every dialect and both styles).  Returns the number of entries written.
    Streams one entry at a time into a temporary file that is renamed at
    the end.

    Raises:
        InvalidValueError: for a version, dialect or style that is not written.
    """
    if version not in ("v3", "2008"):
        raise InvalidValueError(
            f"unknown TBX version {version!r}; use v3 (ISO 30042:2019) or 2008 (martif)"
        )
    if dialect != "TBX-Basic" or style != "dca":
        raise InvalidValueError(
            f"termbase writes TBX-Basic in DCA style only, not {dialect} {style!r}; "
            "TBX-Basic DCA is valid TBX-Core and readable by every TBX v3 tool"
        )
    writer = _Writer(version)
    lang = quoteattr(source_language)[1:-1]
    if version == "v3":
        head = (
            f'<tbx xmlns="{TBX_NS}" type="TBX-Basic" style="dca" xml:lang="{lang}">\n'
            "<tbxHeader><fileDesc><sourceDesc><p>Exported by termbase</p></sourceDesc>"
            "</fileDesc></tbxHeader>\n"
        )
        tail = "</tbx>\n"
    else:
        head = (
            f'<martif type="TBX" xml:lang="{lang}">\n'
            "<martifHeader><fileDesc><sourceDesc><p>Exported by termbase</p></sourceDesc>"
            "</fileDesc></martifHeader>\n"
        )
        tail = "</martif>\n"
    with atomic_output(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(head)
        fh.write("<text><body>\n")
        numbered = enumerate(entries, start=1)
        count = _xmlout.write_lines(fh, (writer.entry(e, n) for n, e in numbered), batch=500)
        fh.write("</body></text>\n")
        fh.write(tail)
    return count
