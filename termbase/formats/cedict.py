"""CC-CEDICT (read only): one entry per headword and reading.

Line format (https://cc-cedict.org/wiki/format:syntax)::

    Traditional Simplified [pin1 yin1] /gloss 1/gloss 2/

Each line becomes an :class:`~termbase.model.Entry` with the simplified
headword (``zh-CN``, tone-marked pinyin converted from the tone numbers),
the traditional headword (``zh-Hant``, term type variant) where it differs,
and each gloss as an admitted English term.  Glosses that are not
renderings (classifiers ``CL:…``, "variant of …", "see …", "used in …")
go into the entry note, so nothing is lost.  ``#`` lines are comments;
``#! date=…`` dates the source.  Streaming: one line at a time.

A malformed line is a :class:`~termbase.errors.FormatError` with its line
number; ``skip_bad_lines=True`` skips such lines instead (the count is in
``read.skipped`` after the run, and the errors are appended to the list
passed as ``skipped=``, as for CSV).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from termbase.errors import FormatError
from termbase.formats._io import check_readable_file, count_marks, detect_encoding
from termbase.model import Entry, Review, Source, Term, TermStatus, TermType

LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_SYLLABLE = re.compile(r"^([A-Za-zü:]+?)([1-5])$")
_NOT_RENDERING = re.compile(
    r"^(CL:|variant of |old variant of |see |used in |abbr\. for |surname |also written |"
    r"also pr\. |Taiwan pr\. |erhua variant of )"
)
_TONE_MARKS = {"1": "\u0304", "2": "\u0301", "3": "\u030c", "4": "\u0300"}


def sniff(head: bytes) -> bool:
    """True for a CC-CEDICT file (its header or its line shape)."""
    text = head.decode("utf-8", errors="ignore")
    if "CC-CEDICT" in text[:400]:
        return True
    lines = [ln for ln in text.splitlines()[:20] if ln and not ln.startswith("#")]
    return bool(lines) and all(LINE.match(ln) for ln in lines[:-1] or lines)


def numbered_to_marked(syllable: str) -> str:
    """``zhong1`` → ``zhōng``; ``nu:3`` → ``nǚ``; ``lu:e4`` → ``lüè``; neutral tone unmarked."""
    m = _SYLLABLE.match(syllable)
    if m is None:
        return syllable.replace("u:", "ü")
    letters, tone = m.group(1).replace("u:", "ü").replace("v", "ü"), m.group(2)
    if tone not in _TONE_MARKS:
        return letters
    lower = letters.lower()
    # the rule: a or e takes the mark; in "ou" the o; otherwise the last vowel
    if "a" in lower:
        index = lower.index("a")
    elif "e" in lower:
        index = lower.index("e")
    elif "ou" in lower:
        index = lower.index("o")
    else:
        vowels = [i for i, c in enumerate(lower) if c in "aeiouü"]
        if not vowels:
            return letters
        index = vowels[-1]
    marked = letters[: index + 1] + _TONE_MARKS[tone] + letters[index + 1 :]
    return unicodedata.normalize("NFC", marked)


def convert_pinyin(numbered: str) -> str:
    """A whole CC-CEDICT reading to tone marks, syllables separated by spaces."""
    return " ".join(numbered_to_marked(s) for s in numbered.split())


def count_units(path: str | os.PathLike[str]) -> int:
    """About how many entries :func:`read` yields (lines), for a progress bar's total."""
    return count_marks(path, (b"\n",))


def read(
    path: str | os.PathLike[str], *, skip_bad_lines: bool = False, **options: Any
) -> Iterator[Entry]:
    """Stream the entries of a CC-CEDICT file."""
    p = check_readable_file(path)
    with open(p, "rb") as fh:
        head = fh.read(4096)
    if not head:
        raise FormatError("the file is empty (0 bytes)", path=p)
    encoding = detect_encoding(head)
    source = Source(
        title="CC-CEDICT",
        publisher="MDBG",
        url="https://cc-cedict.org/",
        note="Creative Commons Attribution-ShareAlike 4.0",
    )
    read.skipped = 0  # type: ignore[attr-defined]
    seen = 0
    try:
        with open(p, encoding=encoding, errors="strict") as fh:
            for number, raw in enumerate(fh, 1):
                line = raw.strip().lstrip("\ufeff")
                if not line:
                    continue
                if line.startswith("#"):
                    if line.startswith("#! date="):
                        source.date = line[8:18]
                    continue
                m = LINE.match(line)
                if m is None:
                    error = FormatError(
                        "not a CC-CEDICT line (expected 'Traditional Simplified [pin1 yin1] "
                        "/gloss/'); fix the line or pass --skip-bad-lines",
                        path=p,
                        line=number,
                    )
                    if not skip_bad_lines:
                        raise error
                    read.skipped += 1  # type: ignore[attr-defined]
                    if isinstance(options.get("skipped"), list):
                        options["skipped"].append(error)
                    continue
                seen += 1
                yield _entry(m, source, p, number)
    except UnicodeDecodeError as exc:
        raise FormatError(f"bytes not valid {encoding}; CC-CEDICT files are UTF-8", path=p) from exc
    if seen == 0 and not read.skipped:  # type: ignore[attr-defined]
        raise FormatError("no CC-CEDICT entries found; is this a CC-CEDICT file?", path=p)


def _entry(m: re.Match[str], source: Source, path: str, number: int) -> Entry:
    trad, simp, numbered, glosses = m.groups()
    pinyin = convert_pinyin(numbered)
    terms = [Term(simp, "zh-CN", TermStatus.PREFERRED, pinyin=pinyin)]
    if trad != simp:
        terms.append(Term(trad, "zh-Hant", TermStatus.PREFERRED, TermType.VARIANT))
    notes = [f"CC-CEDICT pinyin: {numbered}"]
    seen: set[str] = set()
    for gloss in glosses.split("/"):
        gloss = gloss.strip()
        if not gloss:
            continue
        if _NOT_RENDERING.match(gloss) or gloss in seen:
            notes.append(gloss)
            continue
        seen.add(gloss)
        terms.append(Term(gloss, "en", TermStatus.ADMITTED))
    entry = Entry(
        terms=terms,
        note="\n".join(notes),
        sources=[source],
        review=Review.PROPOSED,
        uuid=f"cedict:{trad}:{simp}:{numbered}",
    )
    return entry
