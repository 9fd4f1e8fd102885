"""PO (gettext) through polib: a glossary carrier and a bilingual file.

Writing, one PO unit per concept that has a Chinese term:

* ``msgctxt`` — the entry uuid, so homographs survive ((msgctxt, msgid)
  is unique, as msgfmt requires);
* ``msgid`` — the preferred Chinese term; ``msgstr`` — the preferred
  English rendering (empty when the concept has only deprecated ones:
  a deprecated rendering is never a msgstr);
* ``#.`` extracted comments, one ``key: value`` per line — ``pinyin``,
  ``status`` (of the msgstr, when not preferred), ``admitted``,
  ``deprecated: X — use Y``, ``superseded: X — use Y``, ``zh admitted``,
  ``zh-Hant``, ``subject``, ``definition``, ``definition-zh``, ``source``
  (a citation), ``review: rejected``;
* ``#`` translator comment — the entry note;
* ``#, fuzzy`` — the entry is not approved.

The header says ``Language: en`` (msgstr is English; gettext's locale
spelling), ``X-Source-Language: zh_CN``, UTF-8 and ``Plural-Forms:
nplurals=2; plural=(n != 1);`` (English plural rule; no unit uses plurals),
without a BOM.  The output passes ``msgfmt --check``.  polib builds the
whole catalogue in memory, so an export is held in memory and written in
one piece through a temporary file.

Reading takes any PO: the file is decoded by its declared charset (a
UTF-8 BOM is dropped; UTF-16 is refused with advice), then the direction
is decided once per file: the ``Language`` header (``zh*`` means msgstr is
Chinese), else which side holds Chinese in most units.  A file with no
Chinese on either side is refused.  Plural units give ``msgstr[0]``;
obsolete (``#~``) and untranslated units without our comments are
skipped; ``fuzzy`` means proposed, otherwise approved.  In files this
module wrote (``X-Generator: termbase``) msgctxt is the uuid and the
comments above are parsed back; in other files msgctxt is kept in the
note as ``msgctxt: …``.  ``read_segments`` gives msgid → msgstr pairs.
"""

from __future__ import annotations

import codecs
import datetime
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from termbase.errors import FormatError
from termbase.fileio import shown_name
from termbase.formats._io import atomic_output, check_readable_file
from termbase.lang import has_han
from termbase.model import (
    EN,
    ZH,
    ZH_HANT,
    Entry,
    EntryType,
    Review,
    Segment,
    Source,
    Term,
    TermStatus,
    TermType,
    is_chinese,
    is_english,
    is_traditional,
)

GENERATOR = "termbase"

_CHARSET = re.compile(rb"charset\s*=\s*([A-Za-z0-9_.:-]+)")
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
_USE = " — use "
_BARE_COMMENT = re.compile(r"^#(?=[^\s.:,|~])", re.MULTILINE)

_ENTRY_TYPES = {t.value: t for t in EntryType}


def sniff(head: bytes) -> bool:
    """True for a PO file (a msgid line near the start)."""
    text = head.decode("utf-8", errors="ignore")
    return "\nmsgid " in text or text.startswith("msgid ")


# ------------------------------------------------------------------ loading
def _decode(p: str, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data[:2].count(0):
        raise FormatError(
            "UTF-16 PO files are not valid gettext (msgfmt refuses them); convert to UTF-8, "
            "e.g. msgconv --to-code=UTF-8, or iconv -f UTF-16 -t UTF-8",
            path=p,
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    declared = _CHARSET.search(data[:8192])
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    if encoding.upper() == "CHARSET":  # the POT template placeholder
        encoding = "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FormatError(
            f"unknown charset {encoding!r} in the Content-Type header; fix the header",
            path=p,
        ) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(
            f"bytes not valid {encoding} (the charset the header declares); fix the "
            "Content-Type charset or convert the file with msgconv",
            path=p,
            line=line,
        ) from exc


#: What may begin a line of a PO file: keywords, strings, comments (and blank lines).
_PO_LINE = re.compile(rb"\s*(?:$|#|\"|msgid|msgstr|msgctxt|msgid_plural)")


def _check_head(p: str, head: bytes) -> None:
    """Refuse a file whose first line is not PO, before reading the rest.

    polib needs the whole text in memory; without this, a gigabyte of
    something else named ``.po`` was read whole before its first line failed.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head[:2].count(0):
        return  # _decode explains UTF-16
    lines = head.removeprefix(codecs.BOM_UTF8).split(b"\n")
    for number, line in enumerate(lines[:-1] if len(lines) > 1 else lines, 1):
        if not line.strip():
            continue
        if not _PO_LINE.match(line):
            raise FormatError(
                "not a PO file: the line starts with neither msgid, msgstr, msgctxt, a "
                "quoted string nor a comment",
                path=p,
                line=number,
            )
        return  # the first line that says something is PO-like: polib judges the rest


def _load(path: str | os.PathLike[str]) -> Any:
    import polib

    p = check_readable_file(path)
    with open(p, "rb") as fh:
        _check_head(p, fh.read(65536))
        fh.seek(0)
        data = fh.read()
    if not data:
        raise FormatError("the file is empty (0 bytes)", path=p)
    # gettext reads "#text" as a translator comment; polib calls it a syntax error
    text = _BARE_COMMENT.sub("# ", _decode(p, data))
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        message = str(exc).replace(" in po file " + text, "")
        found = _POLIB_LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        reason = "syntax error" if "Syntax error" in str(exc) else message[:200]
        lines = text.splitlines()
        if line is not None and 0 < line <= len(lines):
            reason += f" at {lines[line - 1].strip()[:60]!r}"
        raise FormatError(
            f"not a valid PO file ({reason}); check the file with msgfmt --check",
            path=p,
            line=line,
        ) from exc


def _target(unit: Any) -> str:
    if unit.msgstr:
        return str(unit.msgstr)
    if unit.msgstr_plural:
        return str(unit.msgstr_plural.get(0, unit.msgstr_plural.get("0", "")))
    return ""


def _units(catalogue: Any) -> Iterator[Any]:
    for unit in catalogue:
        if not unit.obsolete and unit.msgid:
            yield unit


def _swap(catalogue: Any, p: str) -> bool:
    """True when msgstr holds the Chinese side; FormatError when neither does."""
    lang = catalogue.metadata.get("Language", "").strip()
    if lang and is_chinese(lang):
        return True
    if lang and is_english(lang):
        return False
    zh_id = zh_str = 0
    for unit in _units(catalogue):
        zh_id += has_han(unit.msgid)
        zh_str += has_han(_target(unit))
    if zh_id == zh_str == 0:
        said = f" (Language: {lang})" if lang else ""
        raise FormatError(
            f"no Chinese in msgid or msgstr{said}; termbase imports Chinese–English PO "
            "glossaries (a PO of another language pair can go into the translation memory)",
            path=p,
        )
    return zh_str > zh_id


# ------------------------------------------------------------------ reading
def read_segments(path: str | os.PathLike[str], **options: Any) -> Iterator[Segment]:
    """msgid → msgstr pairs as TM segments (untranslated units skipped).

    The target language is the ``Language`` header (``zh_CN`` → ``zh-CN``);
    the source language is ``X-Source-Language``, else Chinese when the
    msgid holds Han characters, else English.
    """
    p = check_readable_file(path)
    catalogue = _load(p)
    target_lang = catalogue.metadata.get("Language", "").strip().replace("_", "-")
    source_lang = catalogue.metadata.get("X-Source-Language", "").strip().replace("_", "-")
    origin = shown_name(p)
    for unit in _units(catalogue):
        target = _target(unit)
        if not target:
            continue
        s_lang = source_lang or (ZH if has_han(unit.msgid) else EN)
        t_lang = target_lang or (ZH if has_han(target) else EN if s_lang == ZH else "und")
        props = {"msgctxt": unit.msgctxt} if unit.msgctxt else {}
        if "fuzzy" in unit.flags:
            props["state"] = "fuzzy"
        notes = [n for n in (unit.comment, unit.tcomment) if n]
        yield Segment(unit.msgid, target, s_lang, t_lang, origin=origin, props=props, notes=notes)


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Glossary entries from a PO file (see the module docstring)."""
    p = check_readable_file(path)
    catalogue = _load(p)
    swap = _swap(catalogue, p)
    own = catalogue.metadata.get("X-Generator", "").startswith(GENERATOR)
    for unit in _units(catalogue):
        zh, en = (_target(unit), unit.msgid) if swap else (unit.msgid, _target(unit))
        entry = _entry(unit, zh.strip(), en.strip(), own)
        if entry is not None:
            yield entry


def _entry(unit: Any, zh: str, en: str, own: bool) -> Entry | None:
    if not zh:
        return None
    entry = Entry(
        terms=[Term(zh, ZH, TermStatus.PREFERRED)],
        review=Review.PROPOSED if "fuzzy" in unit.flags else Review.APPROVED,
    )
    if en:
        entry.terms.append(Term(en, EN, TermStatus.PREFERRED))
    extra = _comments(entry, unit.comment or "", en) if own else [unit.comment or ""]
    if len(entry.terms) == 1:
        return None  # untranslated, and no rendering in our comments
    if own and unit.msgctxt:
        entry.uuid = unit.msgctxt
    elif unit.msgctxt:
        extra.append(f"msgctxt: {unit.msgctxt}")
    entry.note = "\n".join(x for x in [unit.tcomment or "", *extra] if x).strip()
    return entry


def _comments(entry: Entry, comment: str, en: str) -> list[str]:
    """Parse our ``#.`` lines into *entry*; return the lines that are not ours."""
    extra: list[str] = []
    for line in comment.splitlines():
        key, sep, value = line.partition(": ")
        value = value.strip()
        if not sep or not value:
            extra.append(line)
        elif key == "pinyin":
            entry.terms[0].pinyin = value
        elif key == "subject":
            entry.subject = value
        elif key == "entry-type" and value in _ENTRY_TYPES:
            entry.entry_type = _ENTRY_TYPES[value]
        elif key == "definition":
            entry.definition = value
        elif key == "definition-zh":
            entry.definition_zh = value
        elif key == "source":
            entry.sources.append(Source(title=value))
        elif key == "review" and value in ("rejected", "proposed", "approved"):
            entry.review = Review(value)
        elif key == "status" and en and value in ("admitted", "preferred"):
            entry.terms[1].status = TermStatus(value)
        elif key in ("admitted", "deprecated", "superseded"):
            entry.terms.append(Term(value.split(_USE)[0], EN, TermStatus(key)))
        elif key in ("zh admitted", "zh deprecated", "zh superseded"):
            entry.terms.append(Term(value, ZH, TermStatus(key[3:])))
        elif key == "zh-Hant":
            entry.terms.append(Term(value, ZH_HANT, TermStatus.PREFERRED, TermType.VARIANT))
        else:
            extra.append(line)
    return extra


# ------------------------------------------------------------------ writing
def _one_line(text: str) -> str:
    return " ".join(text.split())


def comments_of(entry: Entry, msgstr: str) -> list[str]:
    """Our ``#.`` lines for *entry* whose msgstr is *msgstr*."""
    zh = entry.zh_terms
    lines: list[str] = []
    if zh[0].pinyin:
        lines.append(f"pinyin: {_one_line(zh[0].pinyin)}")
    usable = [t for t in entry.en_terms if t.status in (TermStatus.PREFERRED, TermStatus.ADMITTED)]
    if usable and usable[0].status is not TermStatus.PREFERRED:
        lines.append(f"status: {usable[0].status.value}")
    for term in entry.en_terms:
        if usable and term is usable[0]:
            continue
        text = _one_line(term.text)
        if term.status in (TermStatus.PREFERRED, TermStatus.ADMITTED):
            lines.append(f"admitted: {text}")
        else:
            use = f"{_USE}{msgstr}" if msgstr else ""
            lines.append(f"{term.status.value}: {text}{use}")
    for term in zh[1:]:
        status = "admitted" if term.status is TermStatus.PREFERRED else term.status.value
        lines.append(f"zh {status}: {_one_line(term.text)}")
    for term in entry.terms:
        if is_traditional(term.lang):
            lines.append(f"zh-Hant: {_one_line(term.text)}")
    if entry.subject:
        lines.append(f"subject: {_one_line(entry.subject)}")
    if entry.entry_type is not EntryType.TERM:
        lines.append(f"entry-type: {entry.entry_type.value}")
    if entry.definition:
        lines.append(f"definition: {_one_line(entry.definition)}")
    if entry.definition_zh:
        lines.append(f"definition-zh: {_one_line(entry.definition_zh)}")
    for src in entry.sources:
        lines.append(f"source: {_one_line(src.citation() or src.title)}")
    if entry.review is Review.REJECTED:
        lines.append("review: rejected")
    return lines


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def header(options: dict[str, Any]) -> dict[str, str]:
    """The PO header fields we write."""
    return {
        "Project-Id-Version": str(options.get("project", "termbase glossary")),
        "PO-Revision-Date": str(options.get("date") or _now()),
        "Last-Translator": str(options.get("user", "termbase")),
        "Language-Team": "Chinese-English terminology",
        "Language": "en",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Source-Language": "zh_CN",
        "X-Generator": GENERATOR,
    }


def write(entries: Iterable[Entry], path: str | os.PathLike[str], **options: Any) -> int:
    """Write concepts as a PO glossary; returns the number of units written.

    Options: ``date`` (PO-Revision-Date), ``user`` (Last-Translator),
    ``project`` (Project-Id-Version).  Entries without a Chinese term are
    left out (a msgid cannot be empty).
    """
    import polib

    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = header(options)
    seen: set[tuple[str, str]] = set()
    count = 0
    for entry in entries:
        if not entry.zh_terms:
            continue
        msgid = entry.zh_terms[0].text
        key = (entry.uuid, msgid)
        if key in seen:
            continue
        seen.add(key)
        msgstr = entry.en
        unit = polib.POEntry(
            msgctxt=entry.uuid,
            msgid=msgid,
            msgstr=msgstr,
            comment="\n".join(comments_of(entry, msgstr)),
            tcomment=entry.note,
            flags=[] if entry.review is Review.APPROVED else ["fuzzy"],
        )
        catalogue.append(unit)
        count += 1
    text = str(catalogue)
    with atomic_output(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return count
