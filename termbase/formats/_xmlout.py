"""XML written as strings, for the exporters' hot loops.

Building an lxml element per TU or term and serialising it costs more than
the rest of an export together; these helpers write the same bytes
(lxml's escaping: ``& < >`` and carriage returns in text, also ``"`` and
the white-space controls in attribute values) straight from strings.

Characters that XML 1.0 cannot carry (C0 controls other than tab, newline
and carriage return; U+FFFE, U+FFFF; lone surrogates) are found by
:func:`illegal`; each writer decides whether to drop them or refuse the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def illegal(text: str) -> str | None:
    """The first character of *text* that XML 1.0 cannot carry, or None."""
    m = _ILLEGAL.search(text)
    return m.group() if m else None


def drop_illegal(text: str) -> str:
    """*text* without the characters XML 1.0 cannot carry."""
    return _ILLEGAL.sub("", text)


def text(value: str) -> str:
    """*value* escaped as element content (as lxml writes it)."""
    if _TEXT_SPECIAL.search(value) is None:
        return value
    return _TEXT_SPECIAL.sub(_text_escape, value)


def attr(value: str) -> str:
    """*value* escaped for a double-quoted attribute (as lxml writes it)."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return _ATTR_SPECIAL.sub(_attr_escape, value)


def _text_escape(m: re.Match[str]) -> str:
    return _TEXT_ESCAPES[m.group()]


def _attr_escape(m: re.Match[str]) -> str:
    return _ATTR_ESCAPES[m.group()]


def leaf(tag: str, value: str, attrs: str = "") -> str:
    """``<tag attrs>value</tag>``; *attrs* is pre-rendered (`` type="x"``), *value* raw."""
    return f"<{tag}{attrs}>{text(value)}</{tag}>"


def write_lines(fh: IO[str], items: Iterable[str], batch: int = 1000) -> int:
    """Write each of *items* and a newline to *fh*, a thousand per write; returns how many."""
    count = 0
    pending: list[str] = []
    for item in items:
        pending.append(item)
        if len(pending) >= batch:
            count += len(pending)
            fh.write("\n".join(pending) + "\n")
            pending.clear()
    if pending:
        count += len(pending)
        fh.write("\n".join(pending) + "\n")
    return count
