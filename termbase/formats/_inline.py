"""Text of XML elements with inline markup (TMX ``seg``, XLIFF ``source``/``target``).

Shared by the TMX and XLIFF readers: each passes the names of its own inline
elements whose content is native code rather than text.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from termbase.errors import UnsafeFileError
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
            raise UnsafeFileError(
                f"unsafe XML: the entity reference {child.text} is not defined in the file "
                "(termbase never loads external DTDs); replace it with the text it stands for",
                path=path,
                line=child.sourceline,
            )
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
