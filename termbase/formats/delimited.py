"""CSV and TSV glossaries (read and write), OmegaT glossary TSV included.

Reading.  A file is decoded by BOM, then a ``# -*- coding: X -*-`` magic
comment on its first line (OmegaT), then strict UTF-8, then GB18030; the
``encoding`` option overrides.  The delimiter (tab, comma, semicolon) is
sniffed from the first lines unless ``delimiter`` is given.  Lines starting
with ``#`` are comments.  Two layouts:

* **header-mapped tables**: a first row whose cells name fields in English
  or Chinese (``zh``/``中文``/``术语``, ``en``/``英文``/``译文``, ``status``,
  ``note``/``备注``, ``citation``/``来源``, ``subject``/``领域``,
  ``definition``/``定义``, ``pinyin``, ``review``/``审核`` …, and language
  names such as ``English_word``).  Several terms in one cell are separated
  by ``|`` (Trados) or ``;``.  Unknown columns are kept in the entry note as
  ``Header: value``.  In a file we did not write, a row's ``note`` and
  ``citation`` belong to the row's (first) English rendering: merged into an
  existing concept, they stay with the rendering they came with.
* **headerless glossaries** (OmegaT): ``source<TAB>target<TAB>comment``;
  the column holding Chinese is the Chinese term, decided once per file
  from its first rows; cells are taken verbatim; the third and further
  cells go to the note.

The ``columns`` option (``"zh,en,note"`` or ``"1=zh,2=en"``) overrides both.
A row that has cells but no Chinese term, or that stops before its target
column, is a :class:`~termbase.errors.FormatError` naming file and line.

Writing.  ``dialect="csv"`` (default for ``.csv``) writes one row per
concept: the preferred rendering in ``en``, the other usable renderings in
``alternatives`` and the deprecated ones in ``deprecated``.  Any other
extension (or ``dialect="tsv"``) writes an OmegaT glossary: one
``source<TAB>target<TAB>comment`` line per preferred or admitted rendering,
never a deprecated one; the comment says ``proposed`` for an entry not yet
approved.  Cells that a spreadsheet would run as a formula
(leading ``=``, ``+``, ``-``, ``@``, tab or CR) are prefixed with ``'``; on
reading a file that this module wrote, the prefix is removed again.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from termbase.errors import FormatError
from termbase.fileio import shown_name
from termbase.formats._io import (
    atomic_output,
    check_readable_file,
    decode_error_line,
    detect_encoding,
    text_encoding,
)
from termbase.lang import has_han
from termbase.model import (
    EN,
    ZH,
    ZH_HANT,
    Entry,
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

#: Columns written by the CSV (and XLSX) writer, in order.
WRITE_COLUMNS = (
    "id",
    "zh",
    "pinyin",
    "zh-Hant",
    "en",
    "alternatives",
    "deprecated",
    "subject",
    "definition",
    "definition_zh",
    "note",
    "citation",
    "review",
)
#: First line of an OmegaT glossary as OmegaT writes it.
OMEGAT_HEAD = "# Glossary in tab-separated format -*- coding: utf-8 -*-"
#: Second line of our own TSV files: marks the apostrophe convention.
OWN_MARK = "# Exported by termbase: a leading ' before = + - @ was added against formula injection"

SEPARATORS = re.compile(r"\s*[|;\uff1b]\s*")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CODING = re.compile(r"-\*-\s*coding:\s*([-\w.]+)\s*-\*-")
_SNIFF_LINES = 50
_SKIP_HINT = " (or pass --skip-bad-lines to leave such rows out)"
_DIRECTION_ROWS = 200

# Field names: zh, zh-Hant, en, alternatives, deprecated, status, pinyin,
# subject, definition, definition_zh, note, citation, review, id, ignore,
# and "term:<lang>" for terms in other languages.
_NAMES: dict[str, str] = {}
for _field, _words in {
    "zh": "zh zh-cn zh-hans zh-sg chinese simplified source source-term term 中文 术语 源 源语 "
    "源语言 中文术语 简体 汉语 chinese-term chinese-word",
    "zh-Hant": "zh-hant zh-tw zh-hk zh-mo traditional traditional-chinese 繁体 繁體 繁体中文",
    "en": "en en-us en-gb english target target-term translation 英文 译文 目标 目标语 英语 "
    "英文术语 译名 english-term english-word rendering",
    "alternatives": "alternatives alternative synonyms synonym other-renderings 其他译法 备选 "
    "同义词",
    "deprecated": "deprecated forbidden avoid 弃用 禁用 不推荐",
    "status": "status 状态 usage",
    "pinyin": "pinyin 拼音",
    "subject": "subject domain field subject-field category 领域 学科 类别 分类 专业",
    "definition": "definition english-definition english-descr english-description "
    "description descr 定义 英文定义",
    "definition_zh": "definition-zh definition_zh chinese-definition chinese-descr 中文定义 释义",
    "note": "note notes comment comments remark remarks info 备注 注释 说明",
    "citation": "citation reference ref 来源 出处 引用",
    "review": "review approval approved review-status 审核 审核状态 审定",
    "id": "id uuid concept-id cid entry-id termid term-id",
    "ignore": "ignore skip - _ 忽略",
}.items():
    for _w in _words.split():
        _NAMES[_w] = _field

#: Language names in English headers (``French_word``) → language tag.
_LANGUAGES = {
    "chinese": ZH,
    "english": EN,
    "japanese": "ja",
    "korean": "ko",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "russian": "ru",
    "arabic": "ar",
}
_LANG_SUFFIX_TERM = {"", "word", "term", "terms", "words"}
_LANG_SUFFIX_DEF = {"descr", "description", "definition", "def"}
_LANG_SUFFIX_NOTE = {"note", "notes", "comment", "comments"}
_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")

STATUS_WORDS: dict[str, TermStatus] = {
    "preferred": TermStatus.PREFERRED,
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "首选": TermStatus.PREFERRED,
    "推荐": TermStatus.PREFERRED,
    "admitted": TermStatus.ADMITTED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "permitted": TermStatus.ADMITTED,
    "allowed": TermStatus.ADMITTED,
    "许可": TermStatus.ADMITTED,
    "允许": TermStatus.ADMITTED,
    "可用": TermStatus.ADMITTED,
    "deprecated": TermStatus.DEPRECATED,
    "deprecatedterm-admn-sts": TermStatus.DEPRECATED,
    "forbidden": TermStatus.DEPRECATED,
    "禁用": TermStatus.DEPRECATED,
    "弃用": TermStatus.DEPRECATED,
    "不推荐": TermStatus.DEPRECATED,
    "superseded": TermStatus.SUPERSEDED,
    "supersededterm-admn-sts": TermStatus.SUPERSEDED,
    "obsolete": TermStatus.SUPERSEDED,
    "过时": TermStatus.SUPERSEDED,
    "已废止": TermStatus.SUPERSEDED,
}
REVIEW_WORDS: dict[str, Review] = {
    "approved": Review.APPROVED,
    "true": Review.APPROVED,
    "yes": Review.APPROVED,
    "已审核": Review.APPROVED,
    "通过": Review.APPROVED,
    "已批准": Review.APPROVED,
    "审定": Review.APPROVED,
    "proposed": Review.PROPOSED,
    "draft": Review.PROPOSED,
    "false": Review.PROPOSED,
    "no": Review.PROPOSED,
    "": Review.PROPOSED,
    "待审": Review.PROPOSED,
    "草稿": Review.PROPOSED,
    "rejected": Review.REJECTED,
    "拒绝": Review.REJECTED,
    "驳回": Review.REJECTED,
}


# ------------------------------------------------------------ header mapping
def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]+", "-", name.strip().lower()).strip("-") or name.strip()


def field_for_header(name: str) -> str | None:
    """The field a column header names (``"中文"`` → ``"zh"``), or None if unknown.

    Terms in languages other than Chinese and English are ``"term:<tag>"``;
    their definitions and notes go to the note (``"note:<tag>"``).
    """
    key = _norm(name)
    if key in _NAMES:
        return _NAMES[key]
    if key.replace("-", "_") in _NAMES:
        return _NAMES[key.replace("-", "_")]
    lang, _, suffix = key.partition("-")
    if lang in _LANGUAGES:
        tag = _LANGUAGES[lang]
        if suffix in _LANG_SUFFIX_TERM:
            return "zh" if tag == ZH else "en" if tag == EN else f"term:{tag}"
        if suffix in _LANG_SUFFIX_DEF:
            return "definition_zh" if tag == ZH else "definition" if tag == EN else f"note:{tag}"
        if suffix in _LANG_SUFFIX_NOTE:
            return "note" if tag in (ZH, EN) else f"note:{tag}"
    if _TAG.match(key):
        if is_traditional(key):
            return "zh-Hant"
        if is_chinese(key):
            return "zh"
        if is_english(key):
            return "en"
        return f"term:{key}"
    return None


def map_header(cells: Sequence[str]) -> list[str | None]:
    """Fields of a header row (``"extra"`` for unknown names, kept in the note).

    ``source``/``target`` mean zh/en only when no explicit Chinese/English
    column exists (else ``source`` is a citation).
    """
    fields = [(field_for_header(c) or "extra") if c.strip() else None for c in cells]
    explicit = {_norm(c) for c in cells} - {"source", "target", "source-term", "target-term"}
    has_zh = any(field_for_header(c) == "zh" for c in cells if _norm(c) in explicit)
    has_en = any(field_for_header(c) == "en" for c in cells if _norm(c) in explicit)
    for i, cell in enumerate(cells):
        key = _norm(cell)
        if key in ("source", "source-term") and has_zh:
            fields[i] = "citation"
        elif key in ("target", "target-term") and has_en:
            fields[i] = "extra"
    return fields


def looks_like_header(cells: Sequence[str]) -> bool:
    """True when a first row names columns rather than holding a term pair."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2:
        return False
    fields = map_header(cells)
    known = [f for f, c in zip(fields, cells, strict=False) if f and f != "extra" and c.strip()]
    if len(known) * 2 < len(filled) or ("zh" not in known and "zh-Hant" not in known):
        return "en" in known and len(known) == len(filled)
    targets = [f for f in known if f in ("en", "alternatives") or f.startswith("term:")]
    return bool(targets) and known.count("zh") <= 1 and known.count("en") <= 1


#: The most columns a spreadsheet can have (Excel's XFD): a ``--columns`` number above
#: it is a typo, and honouring it would build a row of that many cells.
MAX_COLUMNS = 16_384


def parse_columns(spec: str, width: int = 0) -> list[str | None]:
    """Fields from a ``columns`` option: ``"zh,en,note"`` or ``"1=zh,3=en"`` (1-based)."""
    parts = [p.strip() for p in spec.split(",")]
    if len(parts) > MAX_COLUMNS:
        raise FormatError(f"bad --columns: {len(parts)} columns; a sheet has at most {MAX_COLUMNS}")
    if any("=" in p for p in parts):
        pairs: dict[int, str] = {}
        for p in parts:
            number, _, name = p.partition("=")
            number = number.strip()
            digits = number.isascii() and number.isdigit()
            column = (int(number) if len(number) <= 6 else MAX_COLUMNS + 1) if digits else 0
            if column < 1:
                raise FormatError(
                    f"bad --columns {spec[:80]!r}: {p[:40]!r} is not NUMBER=FIELD "
                    "(e.g. '1=zh,2=en')"
                )
            if column > MAX_COLUMNS:
                raise FormatError(
                    f"bad --columns: column {number[:20]} is beyond the last column a sheet can "
                    f"have ({MAX_COLUMNS}); count the columns from 1 (e.g. '1=zh,2=en')"
                )
            pairs[column - 1] = name.strip()
        names: list[str] = ["ignore"] * max(max(pairs) + 1, width)
        for index, name in pairs.items():
            names[index] = name
    else:
        names = parts
    fields: list[str | None] = []
    for name in names:
        f = field_for_header(name) if name else "ignore"
        if f is None:
            raise FormatError(
                f"bad columns option {spec!r}: unknown column name {name!r}; use zh, zh-Hant, "
                "en, alternatives, deprecated, status, pinyin, subject, definition, note, "
                "citation, review, id, a language tag, or ignore"
            )
        fields.append(None if f == "ignore" else f)
    return fields


# ------------------------------------------------------------- cell helpers
def _quoted_formula(cell: str) -> bool:
    """A formula start, after any number of leading ``'``."""
    return cell.lstrip("'").startswith(_FORMULA_START)


def neutralise(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would read as a formula.

    A cell that already starts with ``'`` before a formula character gets
    one more, so that :func:`unneutralise` gives back exactly what was
    written (``'@`` stays ``'@``, not ``@``).
    """
    return "'" + cell if _quoted_formula(cell) else cell


def unneutralise(cell: str) -> str:
    """Undo :func:`neutralise` (only for files this module wrote)."""
    if cell.startswith("'") and _quoted_formula(cell):
        return cell[1:]
    return cell


def split_terms(cell: str) -> list[str]:
    """Terms of one cell, split on ``|``, ``;`` and ``；``; empty parts dropped."""
    return [p for p in SEPARATORS.split(cell.strip()) if p]


def parse_status(word: str, where: tuple[str, int]) -> TermStatus:
    """A status word (English or Chinese) → TermStatus; FormatError for unknown words."""
    key = _norm(word)
    if not key:
        return TermStatus.PREFERRED
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    raise FormatError(
        f"unknown status {word!r}; use preferred, admitted, deprecated or superseded "
        "(首选, 许可, 禁用, 过时)",
        path=where[0],
        line=where[1],
    )


def parse_review(word: str, where: tuple[str, int]) -> Review:
    """A review word → Review; FormatError for unknown words."""
    key = _norm(word).replace("-", "")
    if key in REVIEW_WORDS:
        return REVIEW_WORDS[key]
    raise FormatError(
        f"unknown review state {word!r}; use approved, proposed or rejected",
        path=where[0],
        line=where[1],
    )


# -------------------------------------------------------------- rows → entry
@dataclass
class RowMapper:
    """Turns rows of cells into entries, given the field of each column."""

    fields: list[str | None]
    path: str
    headers: list[str] = field(default_factory=list)
    split: bool = True  # split cells on | and ;
    own: bool = False  # a file we wrote: strip formula guards

    def __post_init__(self) -> None:
        names = [f for f in self.fields if f]
        if "zh" not in names and "zh-Hant" not in names:
            found = ", ".join(repr(h) for h in self.headers if h) or "none"
            raise FormatError(
                f"no Chinese column (columns found: {found}); name one zh/中文 in the header "
                "or pass --columns (e.g. --columns zh,en,note)",
                path=self.path,
            )
        self.zh_index = min(i for i, f in enumerate(self.fields) if f in ("zh", "zh-Hant"))
        targets = [
            i
            for i, f in enumerate(self.fields)
            if f in ("en", "alternatives", "deprecated") or (f or "").startswith("term:")
        ]
        self.target_index = min(targets) if targets else None

    def terms_of(self, cell: str) -> list[str]:
        return split_terms(cell) if self.split else ([cell.strip()] if cell.strip() else [])

    def entry(self, cells: Sequence[str], line: int) -> Entry | None:
        """The entry of one row (None for an empty row)."""
        values = [unneutralise(c) if self.own else c for c in cells]
        values = [v.strip() if isinstance(v, str) else "" for v in values]
        if not any(values):
            return None
        where = (self.path, line)
        if len(values) <= self.zh_index or not values[self.zh_index]:
            what = "ends before" if len(values) <= self.zh_index else "has no Chinese term in"
            raise FormatError(
                f"row {what} column {self.zh_index + 1} (Chinese); fill it in or delete the "
                f"row{_SKIP_HINT}, or pass --columns to say which column holds Chinese",
                path=self.path,
                line=line,
            )
        if self.target_index is not None and len(values) <= self.target_index:
            hint = ""
            if len(values) == 1 and re.search(r"\S\s{2,}\S", values[0]):
                hint = " (the columns seem separated by spaces; use tabs)"
            raise FormatError(
                f"row ends before its translation in column {self.target_index + 1}{hint}; "
                f"add the missing cells or delete the row{_SKIP_HINT}",
                path=self.path,
                line=line,
            )
        by_field: dict[str, list[tuple[str, str]]] = {}
        for index, value in enumerate(values):
            f = self.fields[index] if index < len(self.fields) else "extra"
            if f is None or not value:
                continue
            header = self.headers[index] if index < len(self.headers) else ""
            by_field.setdefault(f, []).append((header, value))
        return self._build(by_field, where)

    def _build(self, by: dict[str, list[tuple[str, str]]], where: tuple[str, int]) -> Entry:
        def first(name: str) -> str:
            return by[name][0][1] if name in by else ""

        status = parse_status(first("status"), where)
        pinyin = first("pinyin")
        terms: list[Term] = []
        for n, text in enumerate(t for _, v in by.get("zh", []) for t in self.terms_of(v)):
            terms.append(Term(text, ZH, TermStatus.PREFERRED if n == 0 else TermStatus.ADMITTED))
        if terms and pinyin:
            terms[0].pinyin = pinyin
        for n, text in enumerate(t for _, v in by.get("zh-Hant", []) for t in self.terms_of(v)):
            st = TermStatus.PREFERRED if n == 0 else TermStatus.ADMITTED
            terms.append(Term(text, ZH_HANT, st, TermType.VARIANT))
        for n, text in enumerate(t for _, v in by.get("en", []) for t in self.terms_of(v)):
            terms.append(Term(text, EN, status if n == 0 else TermStatus.ADMITTED))
        for _, v in by.get("alternatives", []):
            terms.extend(Term(t, EN, TermStatus.ADMITTED) for t in self.terms_of(v))
        for _, v in by.get("deprecated", []):
            terms.extend(Term(t, EN, TermStatus.DEPRECATED) for t in self.terms_of(v))
        notes = [v for _, v in by.get("note", [])]
        for name, pairs in by.items():
            if name.startswith("term:"):
                for n, (_, v) in enumerate(pairs):
                    st = TermStatus.PREFERRED if n == 0 else TermStatus.ADMITTED
                    terms.extend(Term(t, name[5:], st) for t in self.terms_of(v))
            elif name.startswith("note:") or name == "extra":
                notes.extend(f"{h}: {v}" if h else v for h, v in pairs)
        sources = [Source(v) for _, v in by.get("citation", [])]
        rendering = next((t for t in terms if t.lang == EN), None)
        if rendering is not None and not self.own:
            # a row of someone's glossary is one rendering: its note and its source
            # belong to that rendering, not to the concept it may be merged into
            own_notes = [v for _, v in by.get("note", [])]
            rendering.note = "\n".join(own_notes)
            notes = notes[len(own_notes) :]
            if sources:
                rendering.source, sources = sources[0], sources[1:]
        entry = Entry(
            terms=terms,
            subject=first("subject"),
            definition=first("definition"),
            definition_zh=first("definition_zh"),
            note="\n".join(notes),
            review=parse_review(first("review"), where) if "review" in by else Review.PROPOSED,
            sources=sources,
        )
        if first("id"):
            entry.uuid = first("id")
        return entry


# ------------------------------------------------------------------ reading
def _encoding(p: str, head: bytes, option: str | None) -> str:
    if option:
        return text_encoding(option, p)
    enc = detect_encoding(head)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or enc.startswith("utf-16"):
        return enc
    first = head.split(b"\n", 1)[0].decode("latin-1")
    m = _CODING.search(first)
    if m and first.lstrip("\ufeff\xef\xbb\xbf").startswith("#"):
        declared = text_encoding(m.group(1), p, where="the coding comment on line 1")
        return declared if enc != "utf-8-sig" else enc
    return enc


def _sniff_delimiter(lines: list[str], path: str) -> str:
    data = [ln for ln in lines if ln.strip() and not ln.startswith("#")][:_SNIFF_LINES]
    if not data:
        return "\t"
    best, best_score = "\t" if not path.lower().endswith(".csv") else ",", 0
    for delim in ("\t", ",", ";"):
        score = sum(1 for ln in data if delim in ln)
        if score > best_score:
            best, best_score = delim, score
    return best


class _Lines:
    """Decoded lines of a file with their numbers; comment lines dropped."""

    def __init__(self, p: str, fh: IO[str], quoted: bool) -> None:
        self.p = p
        self.fh = fh
        self.quoted = quoted  # CSV quoting: a '#' line inside a quoted cell is text
        self.number = 0
        self.comments: list[str] = []

    def __iter__(self) -> Iterator[str]:
        inside = False
        try:
            for line in self.fh:
                self.number += 1
                if self.number == 1:
                    line = line.lstrip("\ufeff")
                if line.startswith("#") and not inside:
                    if len(self.comments) < 5:
                        self.comments.append(line.rstrip("\r\n"))
                    yield ""  # keep csv's line numbers honest
                    continue
                if self.quoted and line.count('"') % 2:
                    inside = not inside
                yield line
        except UnicodeDecodeError as exc:
            encoding = getattr(self.fh, "encoding", None) or exc.encoding
            number = decode_error_line(self.p, encoding) or self.number + 1
            raise FormatError(
                f"bytes not valid {exc.encoding}; save the file as UTF-8 or pass --encoding",
                path=self.p,
                line=number,
            ) from exc


def _rows(p: str, options: dict[str, Any]) -> tuple[Iterator[tuple[int, list[str]]], _Lines]:
    with open(p, "rb") as fh:
        head = fh.read(65536)
    enc = _encoding(p, head, options.get("encoding"))
    try:
        sample = head.decode(enc, errors="replace").splitlines()
    except LookupError:
        sample = []
    delimiter = options.get("delimiter") or _sniff_delimiter(sample[:-1] or sample, p)
    fh_text = open(p, encoding=enc, newline="")  # noqa: SIM115 - closed by the generator
    lines = _Lines(p, fh_text, quoted=delimiter != "\t")
    reader = csv.reader(iter(lines), delimiter=delimiter, quotechar='"', strict=False)
    if delimiter == "\t":
        reader = csv.reader(iter(lines), delimiter="\t", quoting=csv.QUOTE_NONE)

    def generate() -> Iterator[tuple[int, list[str]]]:
        with fh_text:
            try:
                for row in reader:
                    if row and any(c.strip() for c in row):
                        yield lines.number, [c.rstrip("\r\n") for c in row]
            except csv.Error as exc:
                raise FormatError(f"bad CSV: {exc}", path=p, line=lines.number) from exc

    return generate(), lines


def _direction(rows: list[tuple[int, list[str]]], path: str) -> list[str | None]:
    """Fields for a headerless file: which of the first two columns is Chinese."""
    first = sum(1 for _, r in rows if has_han(r[0]) and not (len(r) > 1 and has_han(r[1])))
    second = sum(1 for _, r in rows if len(r) > 1 and has_han(r[1]) and not has_han(r[0]))
    both = sum(1 for _, r in rows if len(r) > 1 and has_han(r[0]) and has_han(r[1]))
    if first == second == 0 and not both:
        raise FormatError(
            "no Chinese text in the first two columns; termbase imports Chinese–English "
            "glossaries. If a column holds Chinese, pass --columns (e.g. --columns en,zh,note)",
            path=path,
        )
    if second > first:
        return ["en", "zh", "note"]
    return ["zh", "en", "note"]


def read(path: str | os.PathLike[str], **options: Any) -> Iterator[Entry]:
    """Stream the entries of a CSV/TSV glossary.

    Options: ``columns`` (``"zh,en,note"`` / ``"1=zh,2=en"``), ``encoding``,
    ``delimiter``, ``header`` (True/False: force or refuse a header row),
    ``skip_bad_lines`` (skip rows lacking their Chinese term or translation;
    their errors go to the list passed as ``skipped``).
    """
    p = check_readable_file(path)
    if os.path.getsize(p) == 0:
        raise FormatError("the file is empty (0 bytes)", path=p)
    rows, lines = _rows(p, options)
    mapper, pending = _mapper(p, rows, lines, options)
    entries = entries_of(mapper, itertools.chain(pending, rows), options)
    if mapper.own and not mapper.split:
        entries = _regroup(entries)
    yield from entries


def _regroup(entries: Iterable[Entry]) -> Iterator[Entry]:
    """Our own OmegaT TSV: consecutive lines of one Chinese term are one concept;
    a comment starting ``proposed`` marks an entry not yet approved (the others
    are approved), ``admitted`` an admitted rendering, ``avoid: …``
    lists deprecated ones (dropped: they are in no target cell)."""
    current: Entry | None = None
    for entry in entries:
        parts = [x for x in entry.note.split("; ") if x] if entry.note else []
        status = TermStatus.PREFERRED
        entry.review = Review.APPROVED
        if parts and parts[0] == "proposed":
            entry.review, parts = Review.PROPOSED, parts[1:]
        if parts and parts[0] == "admitted":
            status, parts = TermStatus.ADMITTED, parts[1:]
        parts = [x for x in parts if not x.startswith("avoid: ")]
        en = [t for t in entry.terms if not is_chinese(t.lang)]
        for t in en:
            t.status, t.note = status, "; ".join(parts)
        entry.note = ""
        if current is not None and current.zh == entry.zh:
            current.terms.extend(en)
            continue
        if current is not None:
            yield current
        current = entry
    if current is not None:
        yield current


def entries_of(
    mapper: RowMapper, rows: Iterable[tuple[int, Sequence[str]]], options: dict[str, Any]
) -> Iterator[Entry]:
    """Entries of numbered rows; with ``skip_bad_lines`` bad rows are skipped and
    their errors appended to the ``skipped`` list option (when given)."""
    skip = bool(options.get("skip_bad_lines"))
    skipped = options.get("skipped")
    for number, cells in rows:
        try:
            entry = mapper.entry(cells, number)
        except FormatError as exc:
            if not skip or exc.line is None:
                raise
            if isinstance(skipped, list):
                skipped.append(exc)
            continue
        if entry is not None:
            yield entry


def _mapper(
    p: str,
    rows: Iterator[tuple[int, list[str]]],
    lines: _Lines,
    options: dict[str, Any],
) -> tuple[RowMapper, list[tuple[int, list[str]]]]:
    first = next(rows, None)
    if first is None:
        raise FormatError("no rows: the file holds only comments or blank lines", path=p)
    header_opt = options.get("header")
    is_header = looks_like_header(first[1]) if header_opt is None else bool(header_opt)
    own = OWN_MARK in lines.comments or tuple(first[1]) == WRITE_COLUMNS
    spec = options.get("columns")
    if spec:
        fields = parse_columns(str(spec), len(first[1]))
        headers = first[1] if is_header else []
        pending = [] if is_header else [first]
        return RowMapper(fields, p, headers, split=is_header, own=own), pending
    if is_header:
        return RowMapper(map_header(first[1]), p, list(first[1]), own=own), []
    pending = [first, *itertools.islice(rows, _DIRECTION_ROWS)]
    fields = _direction(pending, p)
    return RowMapper(fields, p, [], split=False, own=own), pending


def read_segments(path: str | os.PathLike[str], **options: Any) -> Iterator[Segment]:
    """Sentence pairs of a two-column TSV/CSV translation memory.

    The first column is the source, the second the target; languages are
    zh-CN/en by which column holds Chinese (``source_lang``/``target_lang``
    options override).  A header row such as ``zh,en`` is skipped.
    """
    p = check_readable_file(path)
    if os.path.getsize(p) == 0:
        raise FormatError("the file is empty (0 bytes)", path=p)
    rows, _ = _rows(p, options)
    first = next(rows, None)
    if first is None:
        raise FormatError("no rows: the file holds only comments or blank lines", path=p)
    pending = [first] if not looks_like_header(first[1]) else []
    pending.extend(itertools.islice(rows, _DIRECTION_ROWS))
    if "source_lang" in options or "target_lang" in options:
        langs = (options.get("source_lang", ZH), options.get("target_lang", EN))
    else:
        langs = (ZH, EN) if _direction(pending, p)[0] == "zh" else (EN, ZH)
    origin = shown_name(p)
    for number, cells in itertools.chain(pending, rows):
        if len(cells) < 2 or not cells[0].strip() or not cells[1].strip():
            raise FormatError(
                "a translation-memory row needs a source and a target cell",
                path=p,
                line=number,
            )
        yield Segment(cells[0].strip(), cells[1].strip(), langs[0], langs[1], origin=origin)


def sniff(head: bytes) -> bool:
    """True for an OmegaT glossary (its first-line comment)."""
    return head.lstrip(codecs.BOM_UTF8).startswith(b"# Glossary in tab-separated format")


# ------------------------------------------------------------------ writing
def entry_row(entry: Entry) -> dict[str, str]:
    """One row of the CSV/XLSX table for *entry* (values not yet neutralised)."""
    zh = entry.zh_terms
    hant = [t for t in entry.terms if is_traditional(t.lang)]
    en = entry.en_terms
    usable = [t for t in en if t.status in (TermStatus.PREFERRED, TermStatus.ADMITTED)]
    unusable = [t for t in en if t not in usable]
    return {
        "id": entry.uuid,
        "zh": " | ".join(t.text for t in zh),
        "pinyin": zh[0].pinyin if zh else "",
        "zh-Hant": " | ".join(t.text for t in hant),
        "en": usable[0].text if usable else "",
        "alternatives": " | ".join(t.text for t in usable[1:]),
        "deprecated": " | ".join(t.text for t in unusable),
        "subject": entry.subject,
        "definition": entry.definition,
        "definition_zh": entry.definition_zh,
        "note": entry.note,
        "citation": " | ".join(s.citation() or s.title for s in entry.sources),
        "review": entry.review.value,
    }


def _dialect(path: str, option: str | None) -> str:
    if option:
        if option not in ("csv", "tsv", "omegat"):
            raise FormatError(f"unknown dialect {option!r}; use csv or tsv", path=path)
        return "csv" if option == "csv" else "tsv"
    return "csv" if path.lower().endswith(".csv") else "tsv"


def write(entries: Iterable[Entry], path: str | os.PathLike[str], **options: Any) -> int:
    """Write *entries* as a CSV table or an OmegaT glossary; returns the entry count.

    ``dialect="csv"`` or ``"tsv"`` chooses; by default ``.csv`` files get
    the table and every other name the OmegaT TSV.  CSV files are UTF-8
    with a BOM (so Excel shows Chinese) and CRLF line ends (RFC 4180).
    """
    p = os.fspath(path)
    if _dialect(p, options.get("dialect")) == "csv":
        return _write_csv(entries, p)
    return _write_tsv(entries, p)


def _write_csv(entries: Iterable[Entry], p: str) -> int:
    count = 0
    with atomic_output(p, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(WRITE_COLUMNS)
        for entry in entries:
            row = entry_row(entry)
            out.writerow([neutralise(row[c]) for c in WRITE_COLUMNS])
            count += 1
    return count


def _tsv_cell(text: str) -> str:
    return neutralise(re.sub(r"[\t\r\n]+", " ", text).strip())


def tsv_lines(entry: Entry) -> list[tuple[str, str, str]]:
    """(source, target, comment) lines of *entry* for an OmegaT glossary."""
    zh = entry.zh
    if not zh:
        return []
    en = entry.en_terms
    deprecated = [t.text for t in en if t.status.rank >= TermStatus.DEPRECATED.rank]
    out = []
    for t in en:
        if t.status not in (TermStatus.PREFERRED, TermStatus.ADMITTED):
            continue
        parts = [] if t.status is TermStatus.PREFERRED else ["admitted"]
        if entry.review is Review.PROPOSED:
            parts.insert(0, "proposed")  # not yet approved: OmegaT shows the comment
        if t.note:
            parts.append(t.note)
        if deprecated and t.status is TermStatus.PREFERRED:
            parts.append("avoid: " + ", ".join(deprecated))
        out.append((zh, t.text, "; ".join(parts)))
    return out


def _write_tsv(entries: Iterable[Entry], p: str) -> int:
    count = 0
    with atomic_output(p, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(OMEGAT_HEAD + "\n" + OWN_MARK + "\n")
        for entry in entries:
            lines = tsv_lines(entry)
            for src, tgt, comment in lines:
                cells = [_tsv_cell(src), _tsv_cell(tgt)]
                if comment:
                    cells.append(_tsv_cell(comment))
                fh.write("\t".join(cells) + "\n")
            count += 1 if lines else 0
    return count
