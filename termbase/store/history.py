"""History records stored as changes: JSON patches between entry snapshots.

A history record means two whole snapshots of an entry (before and after
the change), as :class:`termbase.model.HistoryRecord` carries them.  Stored
whole, a concept of 200 renderings took ~97 KB per approval; stored as the
change, a few hundred bytes.  The store keeps, for each record (schema 9,
``history.delta = 1``), ``after`` as a patch on ``before`` and ``before`` as
a patch on the ``after`` of the entry's previous record (``base_id``), with
a whole ``before`` every :data:`CHAIN` records so that reading any record
applies a bounded number of patches.  Records written before schema 9 keep
their whole snapshots (``delta = 0``).

A patch is a JSON object of one of three forms:

* ``{"=": value}``: the value itself (replaces whatever was there);
* ``{"{": {key: patch, …}, "-": [key, …]}``: an object, with the patches of
  the keys that changed or were added, and the keys removed;
* ``{"[": [op, …]}``: a list, rebuilt from ops: ``[start, count]`` copies
  ``count`` items of the old list from ``start``, ``{"+": [item, …]}``
  inserts items.  Editing one rendering of 200 stores that rendering.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

#: A record's ``before`` is stored whole again after this many records patched
#: on one another (reading one record then applies at most twice as many patches).
CHAIN = 32


def diff(old: Any, new: Any) -> dict[str, Any]:
    """The patch that turns *old* into *new* (both JSON values)."""
    if isinstance(old, dict) and isinstance(new, dict):
        changed = {k: diff(old.get(k), v) for k, v in new.items() if k not in old or old[k] != v}
        removed = [k for k in old if k not in new]
        return {"{": changed, "-": removed} if removed else {"{": changed}
    if isinstance(old, list) and isinstance(new, list) and old and new:
        return {"[": _list_ops(old, new)}
    return {"=": new}


def _list_ops(old: list[Any], new: list[Any]) -> list[Any]:
    def key(item: Any) -> str:
        return json.dumps(item, sort_keys=True, ensure_ascii=False)

    matcher = difflib.SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], False)
    ops: list[Any] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append([i1, i2 - i1])
        elif j2 > j1:  # replace or insert; a deletion is what is not copied
            ops.append({"+": new[j1:j2]})
    return ops


def apply(old: Any, patch: dict[str, Any]) -> Any:
    """*old* changed by *patch* (from :func:`diff`); *old* itself is not changed."""
    if "=" in patch:
        return patch["="]
    if "{" in patch:
        base = old if isinstance(old, dict) else {}
        out = {k: v for k, v in base.items() if k not in patch.get("-", ())}
        for k, sub in patch["{"].items():
            out[k] = apply(base.get(k), sub)
        return out
    out_list: list[Any] = []
    base_list = old if isinstance(old, list) else []
    for op in patch["["]:
        if isinstance(op, dict):
            out_list.extend(op["+"])
        else:
            out_list.extend(base_list[op[0] : op[0] + op[1]])
    return out_list


def rebuild(before: Any, after: Any, base: Any, *, patched: bool) -> tuple[Any, Any]:
    """The whole ``(before, after)`` of a record stored as the change: *after* is
    a patch on *before*, and *before*, when *patched*, a patch on *base*."""
    if patched and before is not None:
        before = apply(base, before)
    return before, (apply(before, after) if after is not None else None)
