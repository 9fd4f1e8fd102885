"""JSON forms of the facade's values, for the team server and its clients.

Contract: for every kind of value a facade method takes or returns there is
one codec here (:data:`CODECS`), a pair ``encode(value) -> JSON-ready`` and
``decode(JSON) -> value``, such that ``decode(encode(v))`` is a value the
front ends use exactly as they use ``v`` (same class for the model's
dataclasses; a :class:`Record` with the same attributes and ``to_dict`` /
``as_dict`` / ``as_json`` for report objects the front ends only read).
No I/O and no HTTP here; imported by the server and by the remote client.
"""

from __future__ import annotations

import enum
import functools
import importlib
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import Any

from termbase.model import Entry, entry_to_dict


def from_data(cls: Any, data: Any) -> Any:
    """An instance of the dataclass *cls* from its ``asdict`` form, nested dataclasses too.

    Field types come from the class's annotations: a dataclass, a list of
    them, or ``X | None``; everything else is taken as it is (the model's
    dataclasses turn enum values back into enums themselves).
    """
    if data is None:
        return None
    hints = _hints(cls)
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        kwargs[f.name] = _convert(hints.get(f.name), data[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None or hint is None:
        return value
    origin = typing.get_origin(hint)
    if origin in (list, tuple) and isinstance(value, list):
        args = typing.get_args(hint)
        if args and is_dataclass(args[0]):
            return [from_data(args[0], v) for v in value]
        return value
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            if is_dataclass(arg):
                return from_data(arg, value)
        return value
    if is_dataclass(hint) and isinstance(value, dict):
        return from_data(hint, value)
    return value


@functools.lru_cache(maxsize=64)
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(importlib.import_module(cls.__module__)))


def _class(path: str) -> type:
    module, name = path.split(":")
    cls: type = getattr(importlib.import_module(module), name)
    return cls


def entry_to(entry: Entry) -> dict[str, Any]:
    """The dict of an :class:`Entry` (enums as their values)."""
    return entry_to_dict(entry)


def entry_from(data: dict[str, Any]) -> Entry:
    """An :class:`Entry` from its dict."""
    entry: Entry = from_data(Entry, data)
    return entry


class Record:
    """A read-only view of a report's dict: attribute access, lists and dicts kept.

    The remote client returns these for reports that front ends only read
    (TM matches, check reports …); ``to_dict`` / ``as_dict`` / ``as_json``
    give back the dict the server sent, which is the local object's own.
    """

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def to_dict(self) -> dict[str, Any]:
        """The dict this record was made from."""
        return self._data

    as_dict = to_dict
    as_json = to_dict

    def __repr__(self) -> str:
        return f"Record({self._data!r})"


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def plain(value: Any) -> Any:
    """Any report object as JSON-ready data (its own dict method, else its fields)."""
    for method in ("to_dict", "as_dict"):
        if hasattr(value, method):
            return getattr(value, method)()
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


class UsedEntries:
    """The entries a recognition used, as the remote client receives them (``used()``)."""

    def __init__(self, entries: list[Entry]) -> None:
        self._entries = entries

    def used(self) -> list[Entry]:
        """Every entry the recognised terms belong to, by id."""
        return self._entries


@dataclass(frozen=True)
class Codec:
    """How one kind of value crosses the wire."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


#: Types that are already JSON values (an enum's type is a subclass, so not listed).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_data(value: Any) -> Any:
    """*value* as JSON-ready data: dataclasses as dicts of their fields, enums as values.

    The same shape as :func:`dataclasses.asdict`, without its deep copies and
    with plain fields copied in place (search-as-you-type answers are pages
    of whole entries, encoded on every keystroke).
    """
    kind: Any = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    names = _field_names(kind)
    if names is not None:
        fields_ = vars(value)
        return {
            name: v if type(v) in _PLAIN else to_data(v) for name in names for v in (fields_[name],)
        }
    if isinstance(value, (list, tuple, Iterator)):  # an iterator: a stream of entries
        return [v if type(v) in _PLAIN else to_data(v) for v in value]
    if isinstance(value, dict):
        return {k: v if type(v) in _PLAIN else to_data(v) for k, v in value.items()}
    return value


@functools.lru_cache(maxsize=256)
def _field_names(cls: Any) -> tuple[str, ...] | None:
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


def one(path: str) -> Codec:
    """The codec of the dataclass ``module:Class`` (its ``asdict`` form)."""
    return Codec(to_data, lambda d: from_data(_class(path), d))


def many(path: str) -> Codec:
    """The codec of a list of the dataclass ``module:Class``."""
    return Codec(to_data, lambda d: [from_data(_class(path), x) for x in d])


CODECS: dict[str, Codec] = {
    "json": Codec(_same, _same),
    "none": Codec(lambda _v: None, lambda _v: None),
    "entry": one("termbase.model:Entry"),
    "entries": many("termbase.model:Entry"),
    "term": one("termbase.model:Term"),
    "hits": many("termbase.search:SearchHit"),
    "history": many("termbase.model:HistoryRecord"),
    "import_report": one("termbase.merge:ImportReport"),
    "tm_matches": many("termbase.tm:TMMatch"),
    "tm_hits": many("termbase.tm:ConcordanceHit"),
    "tm_report": one("termbase.tm:TMImportReport"),
    "segments": many("termbase.model:Segment"),
    "source": one("termbase.model:Source"),
    "context": one("termbase.model:Context"),
    "pending_changes": many("termbase.model:PendingChange"),
    "import_batches": many("termbase.model:ImportBatch"),
    "review_items": many("termbase.api_moderation:ReviewItem"),
    "batch_result": one("termbase.api_moderation:BatchResult"),
    "check_report": one("termbase.qa:CheckReport"),
    "scores": one("termbase.score:Scores"),
    "candidates": many("termbase.extract:Candidate"),
    "build_info": one("termbase.recognize:BuildInfo"),
    "recognition": Codec(
        lambda v: {
            "found": [asdict(f) for f in v[0]],
            "entries": [entry_to(e) for e in v[1].used()],
        },
        lambda d: (
            [from_data(_class("termbase.qa:Found"), f) for f in d["found"]],
            UsedEntries([entry_from(e) for e in d["entries"]]),
        ),
    ),
    "record": Codec(plain, _wrap),
}
