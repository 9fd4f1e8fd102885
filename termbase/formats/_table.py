"""Tables of terms, shared by the CSV/TSV and XLSX formats.

Header mapping (English and Chinese column names, language names), the
``columns`` option, the row → :class:`~termbase.model.Entry` mapping with
its errors, the entry → row mapping of the writers, and formula
neutralising (a leading ``'`` before ``=``, ``+``, ``-``, ``@``, tab or CR,
removed again on reading our own files).  The file formats around the rows
live in :mod:`termbase.formats.delimited` and :mod:`termbase.formats.xlsx`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from termbase.errors import FormatError
from termbase.model import (
    EN,
    ZH,
    ZH_HANT,
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
)

_ENTRY_TYPES = {t.value: t for t in EntryType}

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
    "type",
)

SEPARATORS = re.compile(r"\s*[|;\uff1b]\s*")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SKIP_HINT = " (or pass --skip-bad-lines to leave such rows out)"

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
    "type": "type entry-type entry_type concept-type 类型 词条类型",
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
            note="\n".join(notes + _unknown_type(first("type"))),
            review=parse_review(first("review"), where) if "review" in by else Review.PROPOSED,
            sources=sources,
        )
        if first("type") in _ENTRY_TYPES:
            entry.entry_type = _ENTRY_TYPES[first("type")]
        if first("id"):
            entry.uuid = first("id")
        return entry


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


def _unknown_type(value: str) -> list[str]:
    """A type cell that names no entry type is kept as a note line, not lost."""
    return [f"type: {value}"] if value and value not in _ENTRY_TYPES else []


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
        "type": entry.entry_type.value,
        "definition": entry.definition,
        "definition_zh": entry.definition_zh,
        "note": entry.note,
        "citation": " | ".join(s.citation() or s.title for s in entry.sources),
        "review": entry.review.value,
    }
