"""Text of XML elements with inline markup (TMX ``seg``, XLIFF ``source``/``target``).

Shared by the TMX and XLIFF readers: each passes the names of its own inline
elements whose content is native code rather than text.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from termbase.formats import _xml


def inline_text(element: Any, codes: frozenset[str], path: str = "") -> str:
    """Text of a ``seg``/``source``/``target`` with inline *codes* dropped, other markup kept.

    Text inside ``sub`` elements nested in a code is kept.  Raises
    UnsafeFileError on an entity reference that the parser left unexpanded.
    """
    if len(element) == 0:
        return element.text or ""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag is etree.Entity:
            raise _xml.undefined_entity(child, path)
        if not isinstance(tag, str):
            parts.append(child.tail or "")
            continue
        if _xml.local(tag) in codes:
            for sub in child.iter("{*}sub"):
                parts.append(inline_text(sub, codes, path))
        else:
            parts.append(inline_text(child, codes, path))
        parts.append(child.tail or "")
    return "".join(parts)
