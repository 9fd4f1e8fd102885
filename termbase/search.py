"""Search: what a translator types → ranked entries.

First version: exact, prefix and substring matches on the folded text of
every term (``term_keys`` kind ``norm``).  Ranking: exact > prefix >
substring; preferred > admitted > deprecated; approved before proposed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from termbase.lang import fold
from termbase.model import Entry, Term, TermStatus

MATCH_RANK = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3}
REVIEW_RANK = {"approved": 0, "proposed": 1, "rejected": 2}


@dataclass
class SearchHit:
    """One entry found by a query, with the term that matched and how."""

    entry: Entry
    term: Term
    match: str  # exact | prefix | substring | fuzzy
    score: float = 0.0
    preferred_for_deprecated: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON form printed by ``termbase search --json``."""
        e = self.entry
        return {
            "id": e.id,
            "uuid": e.uuid,
            "zh": e.zh,
            "pinyin": e.pinyin,
            "en": e.en,
            "review": e.review.value,
            "subject": e.subject,
            "match": self.match,
            "matched_term": self.term.text,
            "matched_status": self.term.status.value,
            "use_instead": self.preferred_for_deprecated,
            "terms": [
                {
                    "lang": t.lang,
                    "text": t.text,
                    "status": t.status.value,
                    "type": t.term_type.value,
                    "pinyin": t.pinyin,
                }
                for t in e.terms
            ],
        }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    store: Any,
    query: str,
    *,
    limit: int = 20,
    status: str | None = None,
    review: str | None = None,
    subject: str | None = None,
    lang: str | None = None,
    source: str | None = None,
) -> list[SearchHit]:
    """Ranked hits for *query* (see module docstring)."""
    q = fold(query)
    if not q:
        return []
    where = ["k.kind = 'norm'", "k.key LIKE ? ESCAPE '\\'"]
    params: list[Any] = [f"%{_escape_like(q)}%"]
    if status:
        where.append("t.status = ?")
        params.append(status)
    if review:
        where.append("e.review = ?")
        params.append(review)
    if subject:
        where.append("e.subject = ?")
        params.append(subject)
    if lang:
        where.append("t.lang LIKE ?")
        params.append(lang + "%")
    sql = (
        "SELECT k.entry_id, k.term_id, k.key, t.status, e.review FROM term_keys k "
        "JOIN terms t ON t.id = k.term_id JOIN entries e ON e.id = k.entry_id "
        f"WHERE {' AND '.join(where)}"
    )
    best: dict[int, tuple[tuple[int, int, int, int], int, str]] = {}
    for entry_id, term_id, key, t_status, e_review in store.conn.execute(sql, params):
        match = "exact" if key == q else "prefix" if key.startswith(q) else "substring"
        rank = (MATCH_RANK[match], TermStatus(t_status).rank, REVIEW_RANK[e_review], len(key))
        if entry_id not in best or rank < best[entry_id][0]:
            best[entry_id] = (rank, term_id, match)
    ordered = sorted(best.items(), key=lambda kv: (kv[1][0], kv[0]))[:limit]
    entries = {e.id: e for e in store.get_entries([eid for eid, _ in ordered])}
    hits = []
    for entry_id, (rank, term_id, match) in ordered:
        entry = entries[entry_id]
        term = next(t for t in entry.terms if t.id == term_id)
        hit = SearchHit(entry=entry, term=term, match=match, score=-float(sum(rank[:3])))
        if term.status in (TermStatus.DEPRECATED, TermStatus.SUPERSEDED):
            hit.preferred_for_deprecated = [
                t.text
                for t in entry.terms
                if t.lang == term.lang and t.status is TermStatus.PREFERRED
            ]
        hits.append(hit)
    return hits
