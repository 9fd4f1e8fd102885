"""PO (gettext) through polib: a glossary carrier and a bilingual file.

As a glossary, one PO entry per concept:

* ``msgctxt`` — the entry's uuid, so that homographs survive
  ((msgctxt, msgid) is unique, as msgfmt requires);
* ``msgid`` — the preferred Chinese term; ``msgstr`` — the preferred
  English rendering (empty when the concept has none);
* ``#.`` extracted comments — ``pinyin:``, ``subject:``, ``definition:``,
  ``admitted:``, ``deprecated: X — use Y``, ``source:`` lines (read back);
* ``#`` translator comment — the entry note;
* ``#, fuzzy`` — the entry is not approved.

The header says ``Language: en`` (msgstr is English), UTF-8, and
``Plural-Forms: nplurals=2; plural=(n != 1);``; no BOM.  The output passes
``msgfmt --check``.  polib builds the whole catalogue in memory: exports
are written in one piece through a temporary file.

Reading takes any PO: msgid/msgstr as source/target (swapped when msgid is
Latin and msgstr Chinese), plural entries by ``msgstr[0]``, obsolete
entries skipped, and our own comments parsed back.  ``read_segments``
gives TM segments.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from termbase.errors import FormatError
from termbase.formats._io import atomic_output, check_readable_file
from termbase.lang import has_han
from termbase.model import EN, ZH, Entry, Review, Segment, Source, Term, TermStatus

NAME = "po"
EXTENSIONS = (".po", ".pot")
DESCRIPTION = "gettext PO (msgid Chinese term, msgstr preferred English)"


def sniff(head: bytes) -> bool:
    """True for a PO file (a msgid line near the start)."""
    text = head.decode("utf-8", errors="ignore")
    return "\nmsgid " in text or text.startswith("msgid ")


def _load(path: str | os.PathLike[str]) -> Any:
    import polib

    p = check_readable_file(path)
    with open(p, "rb") as fh:
        head = fh.read(4)
    if not head:
        raise FormatError("the file is empty (0 bytes)", path=p)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError("UTF-16 PO files are not valid gettext; convert the file to UTF-8 "
                          "(msgconv --to-code=UTF-8)", path=p)
    with open(p, "rb") as fh:
        start = fh.read(8192)
    declared = re.search(rb"charset=([A-Za-z0-9_.:-]+)", start)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        try:
            return polib.pofile(p, wrapwidth=0, encoding=encoding)
        except UnicodeDecodeError:
            if declared:
                raise
            # no charset declared and not UTF-8: gettext's old default was Latin-1
            return polib.pofile(p, wrapwidth=0, encoding="cp1252")
    except LookupError as exc:
        raise FormatError(f"unknown charset {encoding!r} in the header; fix Content-Type",
                          path=p) from exc
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        message = str(exc)
        line = None
        if "line " in message:
            try:
                line = int(message.rsplit("line ", 1)[1].split()[0].strip(":)"))
            except ValueError:
                line = None
        raise FormatError(f"not a valid PO file: {message}", path=p, line=line) from exc


def _pairs(path: str | os.PathLike[str]) -> Iterator[tuple[Any, str, str]]:
    catalogue = _load(path)
    for unit in catalogue:
        if unit.obsolete or not unit.msgid:
            continue
        target = unit.msgstr or (unit.msgstr_plural.get(0, "") if unit.msgstr_plural else "")
        yield unit, unit.msgid, target


def read_segments(path: str | os.PathLike[str], **options: Any) -> Iterator[Segment]:
    """msgid → msgstr pairs as TM segments (untranslated units included, target empty)."""
    origin = os.path.basename(os.fspath(path))
    for unit, source, target in _pairs(path):
        s_lang, t_lang = (ZH, EN) if has_han(source) or not has_han(target) else (EN, ZH)
        props = {"msgctxt": unit.msgctxt} if unit.msgctxt else {}
        if "fuzzy" in unit.flags:
            props["state"] = "fuzzy"
        yield Segment(source=source, target=target, source_lang=s_lang, target_lang=t_lang,
                      origin=origin, props=props,
                      notes=[n for n in (unit.comment, unit.tcomment) if n])


_KEYS = ("pinyin", "subject", "definition", "admitted", "deprecated", "source", "superseded")


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Glossary entries: msgid the Chinese term, msgstr the English rendering."""
    for unit, source, target in _pairs(path):
        zh, en = source, target
        if not has_han(zh) and has_han(en):
            zh, en = en, zh
        if not zh:
            continue
        entry = Entry(terms=[Term(zh, ZH, TermStatus.PREFERRED)],
                      review=Review.PROPOSED if "fuzzy" in unit.flags else Review.APPROVED)
        if en:
            entry.terms.append(Term(en, EN, TermStatus.PREFERRED))
        extra: list[str] = []
        for line in (unit.comment or "").splitlines():
            key, sep, value = line.partition(": ")
            if not sep or key not in _KEYS:
                extra.append(line)
            elif key == "pinyin":
                entry.terms[0].pinyin = value
            elif key == "subject":
                entry.subject = value
            elif key == "definition":
                entry.definition = value
            elif key == "source":
                entry.sources.append(Source(title=value))
            elif key in ("admitted", "deprecated", "superseded"):
                text = value.split(" — use ")[0]
                if text and all(t.text != text for t in entry.terms):
                    entry.terms.append(Term(text, EN, TermStatus(key)))
        entry.note = "\n".join([*extra, unit.tcomment] if unit.tcomment else extra).strip()
        if unit.msgctxt and len(unit.msgctxt) == 36:
            entry.uuid = unit.msgctxt
        yield entry


def write(entries: Iterable[Entry], path: str | os.PathLike[str], **options: Any) -> int:
    """Write concepts as a PO glossary (see the module docstring)."""
    import polib

    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "termbase glossary",
        "PO-Revision-Date": options.get("date", "2026-01-01 00:00+0000"),
        "Last-Translator": options.get("user", "termbase"),
        "Language-Team": "Chinese-English terminology",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "en",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Generator": "termbase",
    }
    count = 0
    for entry in entries:
        count += 1
        zh = entry.zh_terms
        if not zh:
            continue
        preferred = entry.en
        comments = []
        if zh[0].pinyin:
            comments.append(f"pinyin: {zh[0].pinyin}")
        if entry.subject:
            comments.append(f"subject: {entry.subject}")
        if entry.definition:
            comments.append(f"definition: {' '.join(entry.definition.split())}")
        for term in entry.en_terms:
            if term.text == preferred:
                continue
            text = " ".join(term.text.split())
            if term.status is TermStatus.ADMITTED:
                comments.append(f"admitted: {text}")
            elif term.status in (TermStatus.DEPRECATED, TermStatus.SUPERSEDED):
                use = f" — use {preferred}" if preferred else ""
                comments.append(f"{term.status.value}: {text}{use}")
        for src in entry.sources:
            comments.append(f"source: {src.citation()}")
        unit = polib.POEntry(
            msgctxt=entry.uuid, msgid=zh[0].text, msgstr=preferred,
            comment="\n".join(comments),
            tcomment=entry.note,
            flags=[] if entry.review is Review.APPROVED else ["fuzzy"],
        )
        catalogue.append(unit)
    with atomic_output(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(catalogue.__unicode__())
    return count
