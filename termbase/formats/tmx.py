"""TMX 1.4b (and TMX 1.1 ``lang=``): translation-memory segments and term pairs.

Reading streams ``<tu>`` elements with the hardened parser of
:mod:`termbase.formats._xml` and clears each one after use, so a file with
a million units reads in constant memory.  Any encoding lxml understands
(UTF-8, UTF-8 with BOM, UTF-16LE/BE with BOM, declared encodings) is read.
Language tags are normalised to BCP 47 with a hyphen (``EN-US`` → ``en-US``,
``zh_CN`` → ``zh-CN``); a per-TU ``srclang`` overrides the header and
``*all*`` means "any language".

Segment text: inline *codes* (``bpt ept ph it ut``) are native markup and
are dropped; ``hi`` and ``sub`` are translatable text and kept.  Leading
and trailing whitespace is trimmed, inner whitespace kept.  A TU whose
source or target is empty after that (or that lacks one of the two
languages) gives no segment.

Writing follows FORMATS.md §0 (TMX checklist 1–7): ``<tmx version="1.4">``,
all seven required header attributes, ``srclang`` always set, ``xml:lang`` on
every ``<tuv>``, trimmed ``<seg>`` text without ``<hi>``, ``note``/``prop``
before the ``tuv``s, dates as ``YYYYMMDDThhmmssZ``, UTF-8 without BOM, and
never ``<prop type="file|id|prev|next|path">`` (such props are written as
``x-id`` … so OmegaT still auto-inserts the unit).

Entries (glossaries) are written as one TU per Chinese term whose target is
the entry's preferred English rendering (else its first admitted one): a
CAT tool's exact match must offer exactly that rendering, and several TUs
with the same source are ambiguous (OmegaT's ``tm/auto`` lets the *last*
one win).  Every other rendering goes into a ``<note>`` ``admitted: X`` /
``deprecated: X`` / ``superseded: X``, so deprecated renderings are never a
translation.  Entry fields travel as ``x-`` props
(``x-entry`` uuid groups the TUs of one entry when read back, ``x-status``,
``x-zh-status``, ``x-review``, ``x-reviewer``, ``x-reviewed-at``,
``x-review-comment``, ``x-entry-type``, ``x-subject``, ``x-definition``, ``x-definition-zh``,
``x-source``, ``x-pinyin``).
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from termbase._version import __version__
from termbase.errors import FormatError
from termbase.fileio import shown_name
from termbase.formats import _xml, _xmlout
from termbase.formats._inline import inline_text
from termbase.formats._io import atomic_output, count_marks
from termbase.model import (
    ZH,
    Entry,
    EntryType,
    Review,
    Segment,
    Source,
    Term,
    TermStatus,
    is_chinese,
    is_english,
    lang_matches,
    new_uuid,
    normalise_lang,
)

XML_LANG = _xml.XML_LANG
#: Inline elements whose content is native code, not text.
CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
#: Prop types OmegaT treats as alternative-translation keys (FORMATS.md §0.6).
RESERVED_PROPS = frozenset({"file", "id", "prev", "next", "path"})
_USABLE = (TermStatus.PREFERRED, TermStatus.ADMITTED)
_STATUS_NAMES = frozenset(s.value for s in TermStatus)
_BASIC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")

_ENTRY_TYPES = {t.value: t for t in EntryType}


# ------------------------------------------------------------ helpers
@functools.lru_cache(maxsize=1024)
def _same_language(tag: str, srclang: str) -> bool:
    """Does *tag* belong to the header/TU *srclang* (exact, else same primary subtag)."""
    return lang_matches(tag, srclang) or tag.split("-")[0] == srclang.lower().split("-")[0]


@functools.lru_cache(maxsize=4096)
def from_tmx_date(value: str) -> str:
    """``20260101T000000Z`` → ``2026-01-01T00:00:00Z``; other values are returned unchanged."""
    if not value:
        return ""
    m = _BASIC_DATE.match(value.strip())
    if not m:
        return value.strip()
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def to_tmx_date(value: str) -> str:
    """ISO 8601 (any offset, or a bare date) → ``YYYYMMDDThhmmssZ`` in UTC; '' if unparseable."""
    text = value.strip()
    if not text:
        return ""
    if _BASIC_DATE.match(text):
        return text
    try:
        when = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(_dt.timezone.utc)
    return when.strftime("%Y%m%dT%H%M%SZ")


# ------------------------------------------------------------ sniffing
def sniff(head: bytes) -> bool:
    """True when *head* (the first bytes of a file) looks like TMX, in UTF-8 or UTF-16."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) - len(head) % 2].decode("utf-16", errors="ignore")
    elif head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        enc = "utf-16-le" if head[1] == 0 else "utf-16-be"
        text = head[: len(head) - len(head) % 2].decode(enc, errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return "<tmx" in text and ("<header" in text or "version=" in text)


# ------------------------------------------------------------ reading
#: What a unit without props or notes holds of them (shared, never mutated).
_NONE: tuple[Any, ...] = ()
#: The attributes of an element that has none this reader uses.
_NO_ATTRS: dict[str, str] = {}
#: The TU and TUV attributes a segment reads (``tuid``, ``srclang`` … it does not).
_DATED = frozenset({"usagecount", "creationid", "creationdate", "changedate"})
#: The TU attributes an entry reads.
_ENTRY_DATED = frozenset({"creationid", "creationdate", "changedate", "changeid"})


@dataclass(slots=True)
class _Tuv:
    lang: str
    text: str
    attrs: dict[str, str]  # without the language (it is ``lang``)
    props: list[tuple[str, str]] | tuple[()] = _NONE
    notes: list[str] | tuple[()] = _NONE


@dataclass(slots=True)
class _Tu:
    srclang: str  # normalised; '' when unknown or *all*
    attrs: dict[str, str]
    props: list[tuple[str, str]] | tuple[()]
    notes: list[str] | tuple[()]
    tuvs: list[_Tuv]
    line: int | None


@functools.lru_cache(maxsize=256)
def _srclang(value: str | None) -> str:
    if not value or value.strip() in ("*all*", "*"):
        return ""
    return normalise_lang(value)


def _name(tag: Any) -> str:
    """Local name of a tag; TMX is not namespaced, so the plain string is the fast path."""
    if isinstance(tag, str) and not tag.startswith("{"):
        return tag
    return _xml.local(tag)


def _tuv(el: Any, path: str) -> _Tuv | None:
    attrib = el.attrib
    lang = attrib.get(XML_LANG) or attrib.get("lang")
    if not lang or not lang.strip():
        raise FormatError(
            '<tuv> without a language: add xml:lang (e.g. xml:lang="zh-CN") to it',
            path=path,
            line=el.sourceline,
        )
    seg = None
    props: list[tuple[str, str]] | tuple[()] = _NONE
    notes: list[str] | tuple[()] = _NONE
    for child in el:
        name = child.tag
        if name == "seg":
            seg = child
            continue
        if name != "prop" and name != "note":
            name = _name(name)
        if name == "seg":
            seg = child
        elif name == "prop":
            props = props or []
            props.append((child.get("type") or "", (child.text or "").strip()))
        elif name == "note":
            notes = notes or []
            notes.append((child.text or "").strip())
    if seg is None:
        return None
    text = (seg.text or "") if len(seg) == 0 else inline_text(seg, CODES, path)
    # the language is the one attribute of most tuvs, and no field reads it from attrs
    attrs = dict(attrib) if len(attrib) > 1 else _NO_ATTRS
    return _Tuv(normalise_lang(lang), text.strip(), attrs, props, notes)


def _iter_tus(path: str | os.PathLike[str]) -> Iterator[_Tu]:
    """Every ``<tu>`` of the TMX at *path*, parsed into plain records.

    Only the end of a ``<tu>`` (and of the header and the root) reaches
    Python; the root is checked at the first of them.
    """
    p = os.fspath(path)
    header_src = ""
    seen_root = False
    for _event, el in _xml.iterparse(p, ("end",), tag=("{*}tmx", "{*}header", "{*}tu")):
        if not seen_root:
            if _name(el.getroottree().getroot().tag) != "tmx":
                break
            seen_root = True
        name = el.tag
        if name != "tu":
            name = _name(name)
            if name == "header":
                header_src = _srclang(el.get("srclang"))
            if name != "tu":
                continue
        props: list[tuple[str, str]] | tuple[()] = _NONE
        notes: list[str] | tuple[()] = _NONE
        tuvs: list[_Tuv] = []
        for child in el:
            kind = child.tag
            if kind != "tuv":
                kind = _name(kind)
            if kind == "tuv":
                tuv = _tuv(child, p)
                if tuv is not None:
                    tuvs.append(tuv)
            elif kind == "prop":
                props = props or []
                props.append((child.get("type") or "", (child.text or "").strip()))
            elif kind == "note":
                notes = notes or []
                notes.append((child.text or "").strip())
        attrib = el.attrib
        src = _srclang(attrib.get("srclang")) if attrib.get("srclang") else header_src
        attrs = dict(attrib) if len(attrib) else _NO_ATTRS
        yield _Tu(src, attrs, props, notes, tuvs, el.sourceline)
        _xml.clear(el)
    if not seen_root:
        raise FormatError(
            "not a TMX file: the root element is not <tmx>; check the file or pass --format",
            path=p,
        )


def _pick(tu: _Tu, source_lang: str | None, target_lang: str | None) -> tuple[_Tuv, _Tuv] | None:
    """The (source, target) tuvs of *tu* for the requested pair, or None."""
    tuvs = tu.tuvs
    if len(tuvs) < 2:
        return None
    src: _Tuv | None = None
    if source_lang:
        src = next((t for t in tuvs if lang_matches(t.lang, source_lang)), None)
    elif tu.srclang:
        src = next((t for t in tuvs if lang_matches(t.lang, tu.srclang)), None)
        if src is None:
            src = next((t for t in tuvs if _same_language(t.lang, tu.srclang)), tuvs[0])
    elif target_lang:
        src = next((t for t in tuvs if not lang_matches(t.lang, target_lang)), None)
    else:
        src = tuvs[0]
    if src is None:
        return None
    if target_lang:
        tgt = next((t for t in tuvs if t is not src and lang_matches(t.lang, target_lang)), None)
    else:
        tgt = next((t for t in tuvs if t is not src and t.lang != src.lang), None)
    if tgt is None:
        return None
    return src, tgt


def _attr(name: str, *sources: dict[str, str]) -> str:
    for attrs in sources:
        value = attrs.get(name)
        if value:
            return value
    return ""


def _segment(tu: _Tu, src: _Tuv, tgt: _Tuv, origin: str) -> Segment:
    props: dict[str, str] = {}
    project = ""
    if tu.props or src.props or tgt.props:
        for kind, value in (*tu.props, *src.props, *tgt.props):
            props.setdefault(kind, value)
        project = props.pop("x-project", "")
        origin = props.pop("x-origin", "") or origin
    creator = created_at = changed_at = ""
    count = 1
    if src.attrs or tgt.attrs or not _DATED.isdisjoint(tu.attrs):
        usage = _attr("usagecount", tu.attrs)
        count = int(usage) if usage.isdigit() and int(usage) > 0 else 1
        creator = _attr("creationid", tu.attrs, tgt.attrs, src.attrs)
        created_at = from_tmx_date(_attr("creationdate", tu.attrs, tgt.attrs, src.attrs))
        changed_at = from_tmx_date(_attr("changedate", tu.attrs, tgt.attrs, src.attrs))
    notes: list[str] = []
    if tu.notes or src.notes or tgt.notes:
        notes = [n for n in (*tu.notes, *src.notes, *tgt.notes) if n]
    return Segment(
        source=src.text,
        target=tgt.text,
        source_lang=src.lang,
        target_lang=tgt.lang,
        origin=origin,
        project=project,
        creator=creator,
        created_at=created_at,
        changed_at=changed_at,
        props=props,
        notes=notes,
        count=count,
    )


def read_segments(
    path: str | os.PathLike[str],
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    **options: Any,
) -> Iterator[Segment]:
    """Stream the translation units of a TMX file as segments.

    Args:
        path: the TMX file.
        source_lang: language of the source side (prefix match: ``zh`` matches
            ``zh-CN``); default the TU's ``srclang``, else the header's.
        target_lang: language of the target side; default the first other language.
        **options: ignored (uniform reader signature).

    Raises:
        FormatError: malformed XML, a ``<tuv>`` without language, not a TMX file.
        UnsafeFileError: entity declarations or undefined entity references.
    """
    origin = shown_name(path)
    for tu in _iter_tus(path):
        pair = _pick(tu, source_lang, target_lang)
        if pair is None:
            continue
        src, tgt = pair
        if src.text and tgt.text:
            yield _segment(tu, src, tgt, origin)


@functools.lru_cache(maxsize=256)
def _status(value: str) -> TermStatus:
    try:
        return TermStatus(value.strip().lower())
    except ValueError:
        return TermStatus.ADMITTED


_REVIEWS = frozenset(r.value for r in Review)


def _entry_from_tu(tu: _Tu, src: _Tuv, tgt: _Tuv) -> tuple[str, Entry]:
    props = dict(tu.props) if tu.props else _NO_ATTRS
    zh_tuv, en_tuv = (src, tgt) if is_chinese(src.lang) or is_english(tgt.lang) else (tgt, src)
    zh = Term(zh_tuv.text, zh_tuv.lang, _status(props.get("x-zh-status", "")))
    zh.pinyin = props.get("x-pinyin", "") if is_chinese(zh.lang) else ""
    en = Term(en_tuv.text, en_tuv.lang, _status(props.get("x-status", "")))
    entry = Entry(
        terms=[zh, en],
        subject=props.get("x-subject", ""),
        entry_type=_ENTRY_TYPES.get(props.get("x-entry-type", ""), EntryType.TERM),
        definition=props.get("x-definition", ""),
        definition_zh=props.get("x-definition-zh", ""),
        reviewer=props.get("x-reviewer", ""),
        reviewed_at=props.get("x-reviewed-at", ""),
        review_comment=props.get("x-review-comment", ""),
        uuid=props.get("x-entry") or new_uuid(),
    )
    attrs = tu.attrs
    if not _ENTRY_DATED.isdisjoint(attrs):
        entry.created_at = from_tmx_date(attrs.get("creationdate") or "")
        entry.created_by = attrs.get("creationid") or ""
        entry.updated_at = from_tmx_date(attrs.get("changedate") or "")
        entry.updated_by = attrs.get("changeid") or ""
    review = props.get("x-review", "").strip().lower()
    if review in _REVIEWS:
        entry.review = Review(review)
    if props.get("x-source"):
        entry.sources.append(Source(title=props["x-source"]))
    notes: list[str] = []
    for note in tu.notes:
        head, _, rest = note.partition(": ")
        if head in _STATUS_NAMES and rest:
            entry.terms.append(Term(rest, en.lang, TermStatus(head)))
        elif note:
            notes.append(note)
    entry.note = "\n".join(notes)
    return props.get("x-entry", ""), entry


def _merge(into: Entry, extra: Entry) -> None:
    """Add the terms of *extra* (another TU of the same entry) that *into* lacks."""
    have = {(t.lang, t.text) for t in into.terms}
    for term in extra.terms:
        if (term.lang, term.text) not in have:
            into.terms.append(term)
            have.add((term.lang, term.text))


def count_units(path: str | os.PathLike[str]) -> int:
    """About how many entries :func:`read` yields (its ``<tu>`` elements; TUs of one
    entry count once each), for a progress bar's total."""
    return count_marks(path, (b"<tu ", b"<tu>", b"<tu\n"))


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Stream term pairs: each TU becomes an Entry with a Chinese and an English term.

    TUs written by :func:`write` that share an ``x-entry`` prop (consecutive)
    are merged back into one entry.  Options as :func:`read_segments`.
    """
    source_lang = options.get("source_lang")
    target_lang = options.get("target_lang")
    pending: Entry | None = None
    pending_key = ""
    for tu in _iter_tus(path):
        pair = _pick(tu, source_lang, target_lang)
        if pair is None or not pair[0].text or not pair[1].text:
            continue
        key, entry = _entry_from_tu(tu, *pair)
        if pending is not None and key and key == pending_key:
            _merge(pending, entry)
            continue
        if pending is not None:
            yield pending
        pending, pending_key = entry, key
    if pending is not None:
        yield pending


# ------------------------------------------------------------ writing
def _check_text(text: str, what: str, path: str) -> str:
    bad = _xmlout.illegal(text)
    if bad is not None:
        raise FormatError(
            f"{what}: the text contains a character U+{ord(bad):04X} that XML cannot carry; "
            "remove it",
            path=path,
        )
    return text


def _leaf(tag: str, text: str, what: str, path: str, attrs: str = "") -> str:
    return _xmlout.leaf(tag, _check_text(text, what, path), attrs)


def _header(srclang: str, creationtool: str, segtype: str, adminlang: str) -> str:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    attrs = (
        ("creationtool", creationtool),
        ("creationtoolversion", __version__),
        ("segtype", segtype),
        ("o-tmf", "termbase"),
        ("adminlang", adminlang),
        ("srclang", srclang),
        ("datatype", "plaintext"),
        ("creationdate", now),
    )
    return "<header" + "".join(f' {k}="{_xmlout.attr(v)}"' for k, v in attrs) + "/>"


def _prop_type(kind: str) -> str:
    return f"x-{kind}" if kind.lower() in RESERVED_PROPS or not kind else kind


@functools.lru_cache(maxsize=4096)
def _tmx_date(value: str) -> str:
    return to_tmx_date(value)


@functools.lru_cache(maxsize=256)
def _lang(tag: str) -> str:
    return normalise_lang(tag)


def _tu_attrs(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{_xmlout.attr(value)}"' for name, value in pairs if value)


def _tuv_xml(lang: str, text: str, what: str, path: str) -> str:
    return _tuv_markup(lang, _check_text(text, what, path))


def _tuv_markup(lang: str, text: str) -> str:
    """A ``<tuv>`` of already checked *text*."""
    return f'<tuv xml:lang="{_xmlout.attr(lang)}">{_xmlout.leaf("seg", text)}</tuv>'


def _tu_element(seg: Segment, header_src: str, index: int, path: str) -> str:
    src_lang = _lang(seg.source_lang)
    tgt_lang = _lang(seg.target_lang)
    if not src_lang or not tgt_lang:
        raise FormatError(
            f"segment {index}: a language tag is empty; set both languages", path=path
        )
    attrs = _tu_attrs(
        (
            ("srclang", src_lang if src_lang != header_src else ""),
            ("creationdate", _tmx_date(seg.created_at)),
            ("creationid", seg.creator),
            ("changedate", _tmx_date(seg.changed_at)),
            ("usagecount", str(seg.count) if seg.count > 1 else ""),
        )
    )
    parts = [f"<tu{attrs}>"]
    for note in seg.notes:
        parts.append(_leaf("note", note, f"segment {index} note", path))
    props = dict(seg.props)
    if seg.project:
        props["x-project"] = seg.project
    if seg.origin:
        props["x-origin"] = seg.origin
    for kind, value in props.items():
        type_ = f' type="{_xmlout.attr(_prop_type(kind))}"'
        parts.append(_leaf("prop", value, f"segment {index} prop", path, type_))
    parts.append(_tuv_xml(src_lang, seg.source.strip(), f"segment {index}", path))
    parts.append(_tuv_xml(tgt_lang, seg.target.strip(), f"segment {index}", path))
    parts.append("</tu>")
    return "".join(parts)


def _write_tus(tus: Iterable[str], path: str | os.PathLike[str], header: str) -> int:
    """Write TUs (serialised) as a TMX 1.4 document; returns how many."""
    with atomic_output(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"<?xml version='1.0' encoding='utf-8'?>\n<tmx version=\"1.4\">\n{header}\n")
        fh.write("<body>\n")
        count = _xmlout.write_lines(fh, tus)
        fh.write("</body>\n</tmx>")
    return count


def write_segments(
    segments: Iterable[Segment],
    path: str | os.PathLike[str],
    *,
    srclang: str | None = None,
    creationtool: str = "termbase",
    segtype: str = "sentence",
    adminlang: str = "en",
    **options: Any,
) -> int:
    """Write *segments* as TMX 1.4 (UTF-8, no BOM); return the number of TUs written.

    Segments whose source or target is empty (after trimming) are skipped:
    a TU without a translation is of no use to a CAT tool.

    Args:
        segments: the pairs to write (streamed).
        path: output file, replaced atomically.
        srclang: header source language; default the first segment's source language.
        creationtool: header ``creationtool``.
        segtype: header ``segtype`` (``sentence``, ``paragraph``, ``phrase``, ``block``).
        adminlang: language of notes and props.
        **options: ignored.
    """
    p = os.fspath(path)
    it = iter(segments)
    first = next(it, None)
    header_src = normalise_lang(srclang or (first.source_lang if first else ZH)) or ZH

    def tus() -> Iterator[str]:
        if first is None:
            return
        for index, seg in enumerate(itertools.chain([first], it), start=1):
            if seg.source.strip() and seg.target.strip():
                yield _tu_element(seg, header_src, index, p)

    return _write_tus(tus(), p, _header(header_src, creationtool, segtype, adminlang))


def _entry_props(entry: Entry, zh: Term, en: Term) -> list[tuple[str, str]]:
    props = [
        ("x-entry", entry.uuid),
        ("x-status", en.status.value),
        ("x-zh-status", zh.status.value),
        ("x-review", entry.review.value),
    ]
    optional = (
        ("x-subject", entry.subject),
        ("x-entry-type", "" if entry.entry_type is EntryType.TERM else entry.entry_type.value),
        ("x-definition", entry.definition),
        ("x-definition-zh", entry.definition_zh),
        ("x-reviewer", entry.reviewer),
        ("x-reviewed-at", entry.reviewed_at),
        ("x-review-comment", entry.review_comment),
        ("x-source", entry.sources[0].citation() if entry.sources else ""),
        ("x-pinyin", zh.pinyin),
    )
    props.extend((k, v) for k, v in optional if v)
    return props


def _entry_tus(entry: Entry, index: int, path: str) -> list[str]:
    """One TU per Chinese term, with the entry's best usable English rendering as target.

    Every other English rendering goes into a note ``<status>: <text>``.
    """
    zh_terms = [t for t in entry.zh_terms if t.text.strip()]
    en_terms = [t for t in entry.en_terms if t.text.strip()]
    usable = [t for t in en_terms if t.status in _USABLE]
    if not zh_terms or not usable:
        return []
    best = usable[0]
    notes = [f"{t.status.value}: {t.text.strip()}" for t in en_terms if t is not best]
    if entry.note:
        notes.insert(0, entry.note)
    attrs = _tu_attrs(
        (
            ("creationdate", _tmx_date(entry.created_at)),
            ("creationid", entry.created_by),
            ("changedate", _tmx_date(entry.updated_at)),
            ("changeid", entry.updated_by),
        )
    )
    esc = _xmlout.text
    head = "".join([f"<note>{esc(note)}</note>" for note in notes])
    target = _tuv_xml(_lang(best.lang), best.text.strip(), f"entry {index} term", path)
    out = []
    for zh in zh_terms:
        props = _entry_props(entry, zh, best)  # their types are our own x- names
        text = zh.text.strip()
        # one look for characters XML cannot carry per TU; the slow path names the field
        if _xmlout.illegal("\n".join([*notes, *(v for _, v in props), text])) is not None:
            _explain_illegal(notes, props, text, index, path)
        body = "".join([f'<prop type="{kind}">{esc(value)}</prop>' for kind, value in props])
        source = _tuv_markup(_lang(zh.lang), text)
        out.append(f"<tu{attrs}>{head}{body}{source}{target}</tu>")
    return out


def _explain_illegal(
    notes: list[str], props: list[tuple[str, str]], text: str, index: int, path: str
) -> None:
    for note in notes:
        _check_text(note, f"entry {index} note", path)
    for kind, value in props:
        _check_text(value, f"entry {index} {kind}", path)
    _check_text(text, f"entry {index} term", path)


def write(
    entries: Iterable[Entry],
    path: str | os.PathLike[str],
    *,
    creationtool: str = "termbase",
    **options: Any,
) -> int:
    """Write *entries* as TMX term pairs (zh-CN source); return the number of entries written.

    One TU per simplified-Chinese term, target = the preferred English rendering
    (else the first admitted one); the other renderings are notes
    ``<status>: <text>``.  Entries without a Chinese term or without a usable
    English rendering are skipped (not counted); traditional variants are not
    written.
    """
    p = os.fspath(path)
    written = 0

    def tus() -> Iterator[str]:
        nonlocal written
        for index, entry in enumerate(entries, start=1):
            elements = _entry_tus(entry, index, p)
            if elements:
                written += 1
                yield from elements

    _write_tus(tus(), p, _header(ZH, creationtool, "phrase", "en"))
    return written


__all__ = [
    "from_tmx_date",
    "inline_text",
    "lang_matches",
    "normalise_lang",
    "read",
    "read_segments",
    "sniff",
    "to_tmx_date",
    "write",
    "write_segments",
]
