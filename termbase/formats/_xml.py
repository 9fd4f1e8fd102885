"""Safe, streaming XML parsing for every XML format (TBX, TMX, XLIFF).

Hostile files are refused before their content is used: a document type
declaration with entity declarations (billion laughs, external entities
pointing at local files), external DTDs and network access are never
loaded or expanded.  Parsing streams with lxml ``iterparse``; callers clear
elements they have consumed so memory stays flat.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from lxml import etree

from termbase.errors import FormatError, UnsafeFileError
from termbase.formats._io import check_readable_file


def local(tag: Any) -> str:
    """Local name of an element tag, without namespace (``{ns}term`` -> ``term``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def lang_of(element: Any) -> str:
    """``xml:lang`` of *element*, else the TMX 1.1 ``lang`` attribute, else ''."""
    return str(element.get(XML_LANG) or element.get("lang") or "")


def _refuse_dtd(docinfo: Any, path: str) -> None:
    dtd = docinfo.internalDTD
    if dtd is not None:
        entities = list(dtd.iterentities())
        if entities:
            names = ", ".join(e.name or "?" for e in entities[:5])
            raise UnsafeFileError(
                f"unsafe XML: the document type declares entities ({names}); entity "
                "declarations can expand to gigabytes or read local files, so the file "
                "is refused. Remove the <!DOCTYPE …> block and try again",
                path=path,
            )


def iterparse(
    path: str | os.PathLike[str], events: tuple[str, ...] = ("start", "end"), tag: Any = None
) -> Iterator[tuple[str, Any]]:
    """Yield ``(event, element)`` pairs from *path*, refusing hostile documents.

    Only the *events* asked for reach Python (with *tag*, only those
    elements): each event crossing into Python costs about a microsecond,
    a large share of reading a unit.  The document type is checked at the
    first event and, when there is one, every end event's subtree for entity
    references left unexpanded, before the caller sees the element.

    Raises FormatError (with line and column) for malformed XML and
    UnsafeFileError for entity declarations.
    """
    p = check_readable_file(path)
    if os.path.getsize(p) == 0:
        raise FormatError("the file is empty (0 bytes)", path=p)
    context = etree.iterparse(
        p,
        events=tuple(set(events) | {"end"}),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    checked = False
    has_doctype = True
    entity = etree.Entity
    try:
        for event, element in context:
            if not checked:
                docinfo = element.getroottree().docinfo
                _refuse_dtd(docinfo, p)
                # Without a document type an undefined entity is a parse error: only
                # a document that has one can hold entity references left unexpanded.
                has_doctype = bool(docinfo.doctype)
                checked = True
            if event == "end" and has_doctype:
                undefined = next(element.iter(entity), None)
                if undefined is not None:
                    raise undefined_entity(undefined, p)
            if event in events:
                yield event, element
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        msg = str(exc.msg if hasattr(exc, "msg") else exc)
        if "Entity" in msg and ("not defined" in msg or "loop" in msg or "amplification" in msg):
            raise UnsafeFileError(f"unsafe XML: {msg}", path=p, line=line, column=column) from exc
        raise FormatError(f"not well-formed XML: {msg}", path=p, line=line, column=column) from exc


def undefined_entity(node: Any, path: str) -> UnsafeFileError:
    """The error for an entity reference *node* that the parser left unexpanded."""
    return UnsafeFileError(
        f"unsafe XML: the entity reference {node.text} is not defined in the file "
        "(termbase never loads external DTDs); replace it with the text it stands for",
        path=path,
        line=node.sourceline,
    )


def clear(element: Any) -> None:
    """Free a consumed element and the siblings before it (constant memory)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def text_of(element: Any) -> str:
    """All text inside *element* (inline markup flattened, tails kept)."""
    return "".join(element.itertext())
