"""SemEval-2020 Task 11 metrics.

SI (span identification), the task's partial-overlap measure: with S the
predicted and T the gold spans (over all articles),
``P = 1/|S| * sum_s sum_t |s∩t|/|s|`` and ``R = 1/|T| * sum_t sum_s |s∩t|/|t|``,
only spans of the same article intersect; gold spans of one article are merged
where they overlap (predictions too), F1 = 2PR/(P+R).

TC (technique classification): micro-F1 over (article, start, end, technique)
with multiplicity, so a span with two gold techniques needs two predictions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..text.spans import merge_spans


@dataclass(frozen=True)
class SpanScores:
    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "n_pred": self.n_pred, "n_gold": self.n_gold}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def si_scores(gold: Mapping[str, Iterable[tuple[int, int]]], pred: Mapping[str, Iterable[tuple[int, int]]]) -> SpanScores:
    """SI precision, recall, F1 (partial overlap) over all articles."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for aid in set(gold) | set(pred):
        g = merge_spans(gold.get(aid, ()))
        s = merge_spans(pred.get(aid, ()))
        n_gold += len(g)
        n_pred += len(s)
        for ps, pe in s:
            for gs, ge in g:
                inter = min(pe, ge) - max(ps, gs)
                if inter > 0:
                    p_sum += inter / (pe - ps)
                    r_sum += inter / (ge - gs)
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    return SpanScores(p, r, _f1(p, r), n_pred, n_gold)


def tc_scores(gold: Iterable[tuple[str, str, int, int]], pred: Iterable[tuple[str, str, int, int]]) -> SpanScores:
    """TC micro precision, recall, F1; rows are ``(article, technique, start, end)``."""
    g = Counter((a, t, int(s), int(e)) for a, t, s, e in gold)
    p = Counter((a, t, int(s), int(e)) for a, t, s, e in pred)
    hits = sum((g & p).values())
    n_gold, n_pred = sum(g.values()), sum(p.values())
    prec = hits / n_pred if n_pred else 0.0
    rec = hits / n_gold if n_gold else 0.0
    return SpanScores(prec, rec, _f1(prec, rec), n_pred, n_gold)


def per_technique(gold: Iterable[tuple[str, str, int, int]], pred: Iterable[tuple[str, str, int, int]]) -> dict[str, SpanScores]:
    """TC scores per gold/predicted technique."""
    gold, pred = list(gold), list(pred)
    by_g: dict[str, list] = defaultdict(list)
    by_p: dict[str, list] = defaultdict(list)
    for row in gold:
        by_g[row[1]].append(row)
    for row in pred:
        by_p[row[1]].append(row)
    return {t: tc_scores(by_g.get(t, []), by_p.get(t, [])) for t in sorted(set(by_g) | set(by_p))}
