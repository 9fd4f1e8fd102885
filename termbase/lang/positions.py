"""Folding that keeps positions: one character out for each character in.

Recognition finds terms in the folded text and reports spans of the text
as written, so its folding (:func:`termbase.lang.fold_zh` applied character
by character: traditional to simplified, full width to half width, case)
must keep every character where it was.  :func:`zh_view` also marks Latin
letters by their place in a run, so that a Chinese-side term with Latin ends
matches only where the text's Latin word ends too.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from termbase.lang import fold_zh


@functools.lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Single-character folds of :func:`fold_zh` over the Basic Multilingual Plane."""
    table: dict[int, str] = {}
    for code in range(0x21, 0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        ch = chr(code)
        folded = fold_zh(ch)
        if len(folded) == 1 and folded != ch:
            table[code] = folded
    return table


#: Where a Latin letter or digit goes in the view of the Chinese automaton:
#: the character plus one of these, by its place in a run of Latin
#: characters (begin, middle, end; a run of one stays as it is).  Terms
#: get the same treatment, so a Chinese-side term with Latin ends ("B超",
#: "卡拉OK", "DNA") only matches where the text's Latin word ends too: not
#: "DNA" inside "ADNAX", not "卡拉OK" in "卡拉OKAY".  The codes lie in the
#: Private Use Area; text there is read as U+FFFF, which no term holds.
_FORM_BEGIN, _FORM_MIDDLE, _FORM_END = 0xE000, 0xE080, 0xE100
FORMS_RESERVED = (0xE000, 0xE180)


@functools.lru_cache(maxsize=1)
def _fold_arrays() -> tuple[Any, Any, re.Pattern[str], Any]:
    """:func:`fold_table` as UTF-16 code-unit lookup arrays.

    Returns the 65,536-entry fold array (identity where nothing folds), a
    mask of the few hundred rare characters whose simplified form lies
    outside the Basic Multilingual Plane (they cannot fold in place as
    one code unit), a pattern matching those characters, and the mask of
    ASCII letters and digits.
    """
    import numpy as np

    lut = np.arange(0x10000, dtype=np.uint16)
    astral = np.zeros(0x10000, dtype=bool)
    for code, folded in fold_table().items():
        if ord(folded) < 0x10000:
            lut[code] = ord(folded)
        else:
            astral[code] = True
    chars = "".join(re.escape(chr(code)) for code in np.flatnonzero(astral))
    latin = np.zeros(0x10000, dtype=bool)
    for ch in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        latin[ord(ch)] = True
    return lut, astral, re.compile(f"[{chars}]"), latin


def fold_keep_length(text: str) -> str:
    """:func:`fold_zh` applied character by character: same length as *text*.

    The text goes through a lookup array as UTF-16 code units (numpy):
    about ten times faster than a regular expression or ``str.translate``,
    which call back into Python for every folded character.  Surrogates
    map to themselves, so astral characters pass through whole; the rare
    characters that fold to an astral one are replaced afterwards.
    """
    return _fold(text, forms=False)


def zh_view(text: str) -> str:
    """What the Chinese automaton reads: *text* folded, Latin letters marked
    by their place in a word (see ``_FORM_BEGIN``); same length as *text*."""
    return _fold(text, forms=True)


def _fold(text: str, forms: bool) -> str:
    import numpy as np

    lut, astral, pattern, latin = _fold_arrays()
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    folded = lut[units]
    if forms:
        folded = _latin_forms(folded, latin)
    out = folded.tobytes().decode("utf-16-le", "surrogatepass")
    if len(out) != len(text):
        # lone surrogates in *text* that happen to form a pair once encoded
        out = text.translate(fold_table())
        return latin_forms(out) if forms else out
    if astral[units].any():
        table = fold_table()
        out = pattern.sub(lambda m: table[ord(m.group())], out)
    return out


def _latin_forms(units: Any, latin: Any) -> Any:
    import numpy as np

    low, high = FORMS_RESERVED
    units = np.where((units >= low) & (units < high), 0xFFFF, units).astype(np.uint16)
    lat = latin[units]
    if not lat.any():
        return units
    before = np.zeros_like(lat)
    before[1:] = lat[:-1]
    after = np.zeros_like(lat)
    after[:-1] = lat[1:]
    units[lat & ~before & after] += _FORM_BEGIN
    units[lat & before & after] += _FORM_MIDDLE
    units[lat & before & ~after] += _FORM_END
    return units


def latin_forms(text: str) -> str:
    """:func:`zh_view`'s marking of Latin runs, for folded text (terms, short strings)."""
    out = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        code = ord(ch)
        if FORMS_RESERVED[0] <= code < FORMS_RESERVED[1]:
            out.append("\uffff")
        elif code < 0x80 and ch.isalnum():
            before = i > 0 and text[i - 1].isascii() and text[i - 1].isalnum()
            after = i < last and text[i + 1].isascii() and text[i + 1].isalnum()
            if before and after:
                code += _FORM_MIDDLE
            elif before:
                code += _FORM_END
            elif after:
                code += _FORM_BEGIN
            out.append(chr(code))
        else:
            out.append(ch)
    return "".join(out)


HAS_LATIN_OR_FORMS = re.compile(r"[0-9A-Za-z\ue000-\ue17f]")
