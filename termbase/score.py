"""Translation scoring: sacrebleu metrics plus terminology metrics.

Contract: :func:`score` takes hypothesis and reference lines (and
optionally the source lines) and returns :class:`Scores`:

* BLEU, chrF and TER from sacrebleu, always with ``tokenize="zh"`` for
  BLEU and ``asian_support=True`` for TER when the references are Chinese
  (the default ``13a`` tokenizer scores Chinese near zero), with their
  sacrebleu signatures.
* With sources: the terminology metrics of the WMT terminology shared
  tasks, for source terms found by the recogniser (entries not rejected,
  with an approved rendering in the target language):

  - term success rate, exact: occurrences whose hypothesis contains an
    approved rendering verbatim (folded; English on word boundaries);
  - term success rate, lemma: the same by Snowball stems ("ensuring"
    satisfies "ensure");
  - term consistency: over terms occurring in two or more segments,
    Σ max_r n(t, r) / Σ n(t), where n(t, r) counts the occurrences of term
    t whose hypothesis uses rendering r (occurrences using no approved
    rendering count in the denominator only).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from termbase.errors import InvalidValueError
from termbase.lang import fold, fold_zh, has_han

if TYPE_CHECKING:
    from termbase.recognize import Recognizer
    from termbase.store import Store


@dataclass
class TermStats:
    """Counts behind the terminology metrics."""

    occurrences: int = 0
    exact: int = 0
    lemma: int = 0
    consistent: int = 0  # Σ max_r n(t, r) over terms seen in >= 2 segments
    repeated: int = 0  # Σ n(t) over the same terms

    @property
    def exact_rate(self) -> float | None:
        """Term success rate, exact match (None without terms)."""
        return self.exact / self.occurrences if self.occurrences else None

    @property
    def lemma_rate(self) -> float | None:
        """Term success rate, lemma match."""
        return self.lemma / self.occurrences if self.occurrences else None

    @property
    def consistency(self) -> float | None:
        """Term consistency (None when no term repeats)."""
        return self.consistent / self.repeated if self.repeated else None


@dataclass
class Scores:
    """Result of :func:`score`."""

    bleu: float
    chrf: float
    ter: float
    signatures: dict[str, str]
    lines: int
    chinese: bool
    terms: TermStats | None = None
    per_term: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data: dict[str, Any] = {
            "lines": self.lines,
            "bleu": round(self.bleu, 2),
            "chrf": round(self.chrf, 2),
            "ter": round(self.ter, 2),
            "signatures": self.signatures,
        }
        if self.terms is not None:
            t = self.terms
            data["terminology"] = {
                "occurrences": t.occurrences,
                "success_exact": _round(t.exact_rate),
                "success_lemma": _round(t.lemma_rate),
                "consistency": _round(t.consistency),
                "terms": self.per_term,
            }
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def sacrebleu_scores(
    hyp: Sequence[str], ref: Sequence[str]
) -> tuple[dict[str, float], dict[str, str], bool]:
    """BLEU, chrF and TER, their signatures, and whether the target is Chinese."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    chinese = any(has_han(r) for r in ref)
    metrics = {
        "bleu": BLEU(tokenize="zh" if chinese else "13a"),
        "chrf": CHRF(),
        "ter": TER(normalized=chinese, asian_support=chinese),
    }
    values = {}
    signatures = {}
    for name, metric in metrics.items():
        values[name] = float(metric.corpus_score(list(hyp), [list(ref)]).score)
        signatures[name] = str(metric.get_signature())
    return values, signatures, chinese


def exact_contains(hyp: str, rendering: str) -> bool:
    """*rendering* verbatim in *hyp* (folded; Latin text on word boundaries)."""
    if has_han(rendering):
        return fold_zh(rendering) in fold_zh(hyp)
    pattern = r"(?<!\w)" + re.escape(fold(rendering)) + r"(?!\w)"
    return re.search(pattern, fold(hyp)) is not None


def term_stats(
    store: Store, rec: Recognizer, hyp: Sequence[str], src: Sequence[str], target_lang: str
) -> tuple[TermStats, list[dict[str, Any]]]:
    """Terminology metrics of *hyp* for the source terms of *src*."""
    from termbase.qa import EntryCache, TargetText, _best_entry, matches_by_unit, targets_of

    cache = EntryCache(store)
    stats = TermStats()
    used: dict[int, Counter[str | None]] = defaultdict(Counter)
    names: dict[int, str] = {}
    matches = matches_by_unit(rec, cache, list(src[: len(hyp)]))
    for k, h in enumerate(hyp[: len(src)]):
        target = TargetText(h, target_lang)
        for m in matches.get(k, ()):
            entry = _best_entry(cache, m.entry_ids)
            usable, _avoid = targets_of(entry, target_lang)
            if not usable:
                continue
            eid = entry.id or 0
            names[eid] = m.text
            stats.occurrences += 1
            stats.exact += any(exact_contains(h, u) for u in usable)
            hit = target.first(usable)
            stats.lemma += hit is not None
            used[eid][hit] += 1
    per_term: list[dict[str, Any]] = []
    for eid, counts in used.items():
        n = sum(counts.values())
        best = max((c for r, c in counts.items() if r is not None), default=0)
        if n >= 2:
            stats.repeated += n
            stats.consistent += best
        per_term.append(
            {
                "term": names[eid],
                "entry_id": eid,
                "occurrences": n,
                "renderings": {r or "": c for r, c in counts.items()},
            }
        )
    per_term.sort(key=lambda d: (-d["occurrences"], d["term"]))
    return stats, per_term


def score(
    hyp: Sequence[str],
    ref: Sequence[str],
    src: Sequence[str] | None = None,
    *,
    store: Store | None = None,
    recognizer: Callable[[], Recognizer] | None = None,
) -> Scores:
    """Score *hyp* against *ref* (and, given *src*, a store and its recognizer, its terminology)."""
    for name, other in (("reference", ref), ("source", src)):
        if other is not None and len(other) != len(hyp):
            raise InvalidValueError(
                f"the hypothesis has {len(hyp)} lines but the {name} has {len(other)}; "
                "the files must be line-aligned"
            )
    values, signatures, chinese = sacrebleu_scores(hyp, ref)
    result = Scores(values["bleu"], values["chrf"], values["ter"], signatures, len(hyp), chinese)
    if src is not None and store is not None and recognizer is not None:
        target = "zh-CN" if chinese else "en"
        result.terms, result.per_term = term_stats(store, recognizer(), hyp, src, target)
    return result
