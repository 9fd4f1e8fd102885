"""XLIFF 1.2 and 2.0: bilingual files as translation-memory segments and term pairs.

The version is told by the root element's namespace, else its ``version``
attribute.  Reading streams units with the hardened parser of
:mod:`termbase.formats._xml` and clears each one after use.

XLIFF 1.2: languages from ``file/@source-language`` / ``@target-language``;
one segment per ``trans-unit`` (``source``/``target``/``note``; ``alt-trans``
is ignored).  Inline ``g``/``mrk`` are text; ``x bx ex ph bpt ept it`` are
codes and left out.  XLIFF 2.0: languages from ``xliff/@srcLang`` /
``@trgLang``; one segment per ``unit/segment``; ``pc``/``mrk`` text kept,
``ph sc ec sm em`` left out; unit notes become segment notes.

Segment text is trimmed at both ends, inner whitespace kept.  Units without
a target give ``target == ""`` (the caller decides).  ``Segment.props`` has
``id`` (trans-unit/unit id) and ``state`` (when the file gives one).

``write_segments`` writes XLIFF 1.2 (valid against the strict 1.2 schema,
the default) or 2.0; ``read`` turns the XLIFF 2 glossary module
(``gls:glossEntry``) or, without one, units with a target into term pairs.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from termbase.errors import FormatError
from termbase.fileio import shown_name
from termbase.formats import _xml
from termbase.formats._inline import inline_text
from termbase.formats._io import atomic_output
from termbase.model import (
    Entry,
    Segment,
    Term,
    TermStatus,
    is_chinese,
    is_english,
    lang_matches,
    normalise_lang,
)

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
NS_GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
#: Inline elements that stand for native code (1.2 and 2.0 names; no overlap in meaning).
CODES = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it", "ut", "sc", "ec", "sm", "em", "cp"})
#: ``target/@state`` values allowed by the XLIFF 1.2 strict schema.
STATES_12 = frozenset(
    {
        "final",
        "needs-adaptation",
        "needs-l10n",
        "needs-review-adaptation",
        "needs-review-l10n",
        "needs-review-translation",
        "needs-translation",
        "new",
        "signed-off",
        "translated",
    }
)
#: ``segment/@state`` values of XLIFF 2.0.
STATES_20 = frozenset({"initial", "translated", "reviewed", "final"})


def sniff(head: bytes) -> bool:
    """True when *head* looks like an XLIFF document (UTF-8 or UTF-16 with BOM)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) - len(head) % 2].decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return "<xliff" in text


# ------------------------------------------------------------ reading
def _text(el: Any, path: str) -> str:
    return inline_text(el, CODES, path).strip()


def _children(el: Any, *names: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {n: [] for n in names}
    for child in el:
        name = _xml.local(child.tag)
        if name in out:
            out[name].append(child)
    return out


class _Reader:
    """State of one streaming pass: version and the languages in force."""

    def __init__(self, path: str, source_lang: str | None, target_lang: str | None) -> None:
        self.path = path
        self.origin = shown_name(path)
        self.want_src = source_lang
        self.want_tgt = target_lang
        self.version = ""
        self.src = ""
        self.tgt = ""

    def root(self, el: Any) -> None:
        name = _xml.local(el.tag)
        if name != "xliff":
            raise FormatError(
                f"not an XLIFF file: the root element is <{name}>; check the file or pass --format",
                path=self.path,
                line=el.sourceline,
            )
        ns = el.tag[1:].split("}", 1)[0] if el.tag.startswith("{") else ""
        declared = str(el.get("version") or "")
        self.version = "2.0" if ns == NS20 or declared.startswith("2") else "1.2"
        if self.version == "2.0":
            self.file_langs(el.get("srcLang"), el.get("trgLang"), el.sourceline)

    def file_langs(self, src: str | None, tgt: str | None, line: int | None) -> None:
        if not src or not src.strip():
            attr = "srcLang" if self.version == "2.0" else "source-language"
            raise FormatError(
                f'the file does not say its source language; add {attr}="zh-CN" (or the right tag)',
                path=self.path,
                line=line,
            )
        self.src = normalise_lang(src)
        self.tgt = normalise_lang(tgt or "") or normalise_lang(self.want_tgt or "")

    def wanted(self) -> bool:
        if self.want_src and not lang_matches(self.src, self.want_src):
            return False
        return not (self.want_tgt and self.tgt and not lang_matches(self.tgt, self.want_tgt))

    def segment(
        self, source: Any, target: Any | None, props: dict[str, str], notes: list[str]
    ) -> Segment:
        return Segment(
            source=_text(source, self.path),
            target=_text(target, self.path) if target is not None else "",
            source_lang=self.src,
            target_lang=self.tgt,
            origin=self.origin,
            props=props,
            notes=notes,
        )

    def unit12(self, unit: Any) -> Iterator[Segment]:
        parts = _children(unit, "source", "target", "note")
        if not parts["source"]:
            return
        target = parts["target"][0] if parts["target"] else None
        props = {"id": str(unit.get("id") or "")}
        if target is not None and target.get("state"):
            props["state"] = str(target.get("state"))
        notes = [n for n in (_xml.text_of(x).strip() for x in parts["note"]) if n]
        yield self.segment(parts["source"][0], target, props, notes)

    def unit20(self, unit: Any) -> Iterator[Segment]:
        parts = _children(unit, "notes", "segment")
        notes: list[str] = []
        for block in parts["notes"]:
            notes.extend(t for t in (_xml.text_of(n).strip() for n in block) if t)
        for segment in parts["segment"]:
            pieces = _children(segment, "source", "target")
            if not pieces["source"]:
                continue
            props = {"id": str(unit.get("id") or "")}
            if segment.get("state"):
                props["state"] = str(segment.get("state"))
            if segment.get("id"):
                props["segment"] = str(segment.get("id"))
            target = pieces["target"][0] if pieces["target"] else None
            yield self.segment(pieces["source"][0], target, props, list(notes))


def _events(path: str, reader: _Reader) -> Iterator[tuple[str, Any]]:
    """(kind, element) for every unit (``unit12``/``unit20``) and ``glossEntry`` of *path*."""
    for event, el in _xml.iterparse(path, ("start", "end")):
        if not reader.version:
            reader.root(el)
            continue
        name = _xml.local(el.tag)
        if event == "start":
            if name == "file" and reader.version == "1.2":
                reader.file_langs(
                    el.get("source-language"), el.get("target-language"), el.sourceline
                )
            continue
        if name == "trans-unit" and reader.version == "1.2":
            yield "unit12", el
            _xml.clear(el)
        elif name == "unit" and reader.version == "2.0":
            yield "unit20", el
            _xml.clear(el)
        elif name == "glossEntry":
            yield "gloss", el
    if not reader.version:
        raise FormatError("no <xliff> element found; is this an XLIFF file?", path=path)


def read_segments(
    path: str | os.PathLike[str],
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    **options: Any,
) -> Iterator[Segment]:
    """Stream the segments of an XLIFF 1.2 or 2.0 file.

    Args:
        path: the XLIFF file.
        source_lang: keep only files whose source language matches (prefix match).
        target_lang: keep only files whose target language matches; also the target
            language of files that do not declare one.
        **options: ignored.

    Raises:
        FormatError: malformed XML, no source language, not an XLIFF file.
        UnsafeFileError: entity declarations or undefined entity references.
    """
    reader = _Reader(os.fspath(path), source_lang, target_lang)
    for kind, el in _events(reader.path, reader):
        if kind == "gloss" or not reader.wanted():
            continue
        yield from reader.unit12(el) if kind == "unit12" else reader.unit20(el)


def _gloss_entry(el: Any, reader: _Reader) -> Entry | None:
    parts = _children(el, "term", "translation", "definition")
    if not parts["term"]:
        return None
    term = Term(_text(parts["term"][0], reader.path), reader.src)
    terms = [term]
    for index, tr in enumerate(parts["translation"]):
        status = TermStatus.PREFERRED if index == 0 else TermStatus.ADMITTED
        text = _text(tr, reader.path)
        if text:
            terms.append(Term(text, reader.tgt or "und", status))
    entry = Entry(terms=terms)
    if parts["definition"]:
        definition = _text(parts["definition"][0], reader.path)
        if is_chinese(reader.src):
            entry.definition_zh = definition
        else:
            entry.definition = definition
    return entry


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Stream term pairs from an XLIFF file.

    XLIFF 2 files with the glossary module give one entry per ``gls:glossEntry``
    (the first translation preferred, others admitted); files without one give
    one entry per unit that has a target (source term + target term).
    """
    reader = _Reader(os.fspath(path), options.get("source_lang"), options.get("target_lang"))
    pairs: list[Entry] = []
    glossary = False
    for kind, el in _events(reader.path, reader):
        if kind == "gloss":
            entry = _gloss_entry(el, reader)
            if entry is not None:
                glossary = True
                yield entry
            continue
        if glossary or not reader.wanted():
            continue
        for seg in reader.unit12(el) if kind == "unit12" else reader.unit20(el):
            if seg.source and seg.target:
                pairs.append(_pair(seg))
        if len(pairs) > 1000:  # keep memory bounded: flush while no glossary seen
            yield from pairs
            pairs.clear()
    if not glossary:
        yield from pairs


def _pair(seg: Segment) -> Entry:
    first = Term(seg.source, seg.source_lang)
    second = Term(seg.target, seg.target_lang)
    if is_english(seg.source_lang) and is_chinese(seg.target_lang):
        first, second = second, first
    return Entry(terms=[first, second], note="\n".join(seg.notes))


# ------------------------------------------------------------ writing
def _check(text: str, what: str, path: str) -> str:
    try:
        etree.Element("x").text = text
    except ValueError as exc:
        raise FormatError(
            f"{what}: the text contains a control character that XML cannot carry; remove it",
            path=path,
        ) from exc
    return text


class _Writer12:
    """XLIFF 1.2: a new ``<file>`` whenever the language pair or origin changes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.ids: set[str] = set()

    def unit(self, seg: Segment, index: int) -> Any:
        wanted = seg.props.get("id", "")
        uid = wanted if wanted and wanted not in self.ids else f"u{index}"
        while uid in self.ids:
            uid = f"{uid}-{index}"
        self.ids.add(uid)
        unit = etree.Element("trans-unit", id=uid)
        etree.SubElement(unit, "source").text = _check(
            seg.source.strip(), f"segment {index}", self.path
        )
        if seg.target.strip():
            target = etree.SubElement(unit, "target")
            target.text = _check(seg.target.strip(), f"segment {index}", self.path)
            state = seg.props.get("state", "")
            if state in STATES_12 or state.startswith("x-"):
                target.set("state", state)
        for note in seg.notes:
            etree.SubElement(unit, "note").text = _check(note, f"segment {index} note", self.path)
        return unit

    def write(self, segments: Iterable[Segment]) -> int:
        count = 0
        with atomic_output(self.path, "wb") as fh, etree.xmlfile(fh, encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element(f"{{{NS12}}}xliff", {"version": "1.2"}, nsmap={None: NS12}):
                xf.write("\n")
                groups = itertools.groupby(segments, key=_file_key)
                first = next(groups, None)
                if first is None:
                    first = (("zh-CN", "en", "termbase"), iter(()))
                for (src, tgt, original), group in itertools.chain([first], groups):
                    attrs = {"original": original, "source-language": src}
                    attrs.update({"target-language": tgt} if tgt else {})
                    attrs["datatype"] = "plaintext"
                    with xf.element(f"{{{NS12}}}file", attrs):
                        xf.write("\n")
                        with xf.element(f"{{{NS12}}}body"):
                            xf.write("\n")
                            for seg in group:
                                count += 1
                                xf.write(self.unit(seg, count), "\n")
                        xf.write("\n")
                    xf.write("\n")
        return count


def _file_key(seg: Segment) -> tuple[str, str, str]:
    return (
        normalise_lang(seg.source_lang),
        normalise_lang(seg.target_lang),
        seg.origin or "termbase",
    )


def _write20(segments: Iterable[Segment], path: str) -> int:
    it = iter(segments)
    first = next(it, None)
    src = normalise_lang(first.source_lang) if first else "zh-CN"
    tgt = normalise_lang(first.target_lang) if first else "en"
    count = 0
    with atomic_output(path, "wb") as fh, etree.xmlfile(fh, encoding="utf-8") as xf:
        xf.write_declaration()
        root = {"version": "2.0", "srcLang": src, "trgLang": tgt}
        with xf.element(f"{{{NS20}}}xliff", root, nsmap={None: NS20}):
            xf.write("\n")
            with xf.element(f"{{{NS20}}}file", id="f1"):
                xf.write("\n")
                for seg in (first, *it) if first else ():
                    count += 1
                    key = (normalise_lang(seg.source_lang), normalise_lang(seg.target_lang))
                    if key != (src, tgt):
                        raise FormatError(
                            f"segment {count} is {key[0]}→{key[1]} but the file is "
                            f"{src}→{tgt}; XLIFF 2.0 holds one language pair: export each "
                            "pair to its own file",
                            path=path,
                        )
                    xf.write(_unit20(seg, count, path), "\n")
            xf.write("\n")
    return count


def _unit20(seg: Segment, index: int, path: str) -> Any:
    unit = etree.Element("unit", id=f"u{index}")
    if seg.notes:
        notes = etree.SubElement(unit, "notes")
        for note in seg.notes:
            etree.SubElement(notes, "note").text = _check(note, "note", path)
    segment = etree.SubElement(unit, "segment")
    state = seg.props.get("state", "")
    if state in STATES_20:
        segment.set("state", state)
    etree.SubElement(segment, "source").text = _check(seg.source.strip(), f"segment {index}", path)
    if seg.target.strip():
        etree.SubElement(segment, "target").text = _check(
            seg.target.strip(), f"segment {index}", path
        )
    return unit


def write_segments(
    segments: Iterable[Segment],
    path: str | os.PathLike[str],
    *,
    version: str = "1.2",
    **options: Any,
) -> int:
    """Write *segments* as XLIFF (``version`` ``"1.2"`` or ``"2.0"``); return the unit count.

    1.2 starts a new ``<file>`` whenever language pair or origin changes and
    keeps ``props["id"]`` as the trans-unit id when it is unique; 2.0 holds one
    language pair per document (FormatError otherwise).  Segments with an
    empty target get no ``<target>``.
    """
    p = os.fspath(path)
    if version == "1.2":
        return _Writer12(p).write(segments)
    if version == "2.0":
        return _write20(segments, p)
    raise FormatError(f"unknown XLIFF version {version!r}; use 1.2 or 2.0", path=p)
