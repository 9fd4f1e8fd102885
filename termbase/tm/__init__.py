"""The translation memory: sentence pairs, fuzzy matches, concordance.

Three modules, one per stage of the work:

* :mod:`termbase.tm.keys` — what a text is compared as (keys, index keys,
  the word table) and how a match is scored;
* :mod:`termbase.tm.candidates` — stage one, candidates from the index with
  an upper bound of their score, and the index's upkeep;
* :mod:`termbase.tm.memory` — :class:`TranslationMemory` (imports, stage
  two rescoring, concordance, terms in a match) and its result types.

See ``docs/tm.md`` for the scoring model.
"""

from __future__ import annotations

from termbase.tm.keys import EN_MODE, FORMATTING_PENALTY, ZH_MODE, comparison_key, query_mode, score
from termbase.tm.memory import (
    ANNOUNCE_INDEXING,
    DEFAULT_MIN_SCORE,
    ConcordanceHit,
    TermInText,
    TMImportReport,
    TMMatch,
    TranslationMemory,
)

__all__ = [
    "ANNOUNCE_INDEXING",
    "DEFAULT_MIN_SCORE",
    "EN_MODE",
    "FORMATTING_PENALTY",
    "ZH_MODE",
    "ConcordanceHit",
    "TMImportReport",
    "TMMatch",
    "TermInText",
    "TranslationMemory",
    "comparison_key",
    "query_mode",
    "score",
]
