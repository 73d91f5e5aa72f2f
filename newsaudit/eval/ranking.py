"""Ranking measures of check-worthiness (CLEF 2019 CheckThat! Task 1): MAP, R-precision, P@k.

Each debate's sentences are ranked by score, highest first (ties keep input
order: the sort is stable).  Per debate: average precision (the precision at
the rank of each check-worthy sentence, averaged over all check-worthy ones, as
the lab's scorer does; 0.0 for a debate without one), R-precision (precision in
the first R, R = number of check-worthy sentences), P@k.  The official measure is
MAP: the mean of the per-debate average precisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import EvalError


def ranked_labels(labels: Sequence[int], scores: Sequence[float]) -> list[int]:
    """Labels in rank order (score descending, ties in input order)."""
    if len(labels) != len(scores):
        raise EvalError(f"{len(labels)} labels but {len(scores)} scores")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [int(labels[i]) for i in order]


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Average precision of one ranking (0.0 when there is no positive)."""
    ranked = ranked_labels(labels, scores)
    hits, total = 0, 0.0
    for rank, lab in enumerate(ranked, 1):
        if lab not in (0, 1):
            raise EvalError(f"label {lab!r} is not 0 or 1")
        if lab:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def precision_at(labels: Sequence[int], scores: Sequence[float], k: int) -> float:
    """Share of positives in the first k (divided by k even when fewer sentences exist)."""
    if k <= 0:
        return 0.0
    return sum(ranked_labels(labels, scores)[:k]) / k


def r_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Precision in the first R, R the number of positives (0.0 when none)."""
    r = sum(int(x) for x in labels)
    return precision_at(labels, scores, r) if r else 0.0


@dataclass(frozen=True)
class CwReport:
    """The four measures, each the mean over debates, and the per-debate AP."""

    map: float
    r_precision: float
    p_at_5: float
    p_at_10: float
    per_debate_ap: dict[str, float]

    def as_text(self) -> str:
        """Plain-text report as ``newsaudit eval checkworthy`` prints it."""
        return (
            f"MAP: {self.map:.4f}\nR-precision: {self.r_precision:.4f}\n"
            f"P@5: {self.p_at_5:.4f}\nP@10: {self.p_at_10:.4f}\ndebates: {len(self.per_debate_ap)}"
        )


def report(debates: Sequence[str], labels: Sequence[int], scores: Sequence[float]) -> CwReport:
    """Per-debate measures averaged over debates (each debate counts once)."""
    if not (len(debates) == len(labels) == len(scores)):
        raise EvalError(f"{len(debates)} debate names, {len(labels)} labels, {len(scores)} scores")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(debates):
        groups[d].append(i)
    if not groups:
        raise EvalError("no rows to score")
    aps, rps, p5, p10 = {}, [], [], []
    for d, idx in groups.items():
        lab = [int(labels[i]) for i in idx]
        sc = [float(scores[i]) for i in idx]
        aps[d] = average_precision(lab, sc)
        rps.append(r_precision(lab, sc))
        p5.append(precision_at(lab, sc, 5))
        p10.append(precision_at(lab, sc, 10))
    n = len(groups)
    return CwReport(sum(aps.values()) / n, sum(rps) / n, sum(p5) / n, sum(p10) / n, aps)


#: above this many debates the sign-flip test samples patterns (seeded) instead of enumerating them all
EXACT_FLIPS = 20
SAMPLED_FLIPS = 200_000


@dataclass(frozen=True)
class PairedDifference:
    """Per-debate AP of a system against a reference on the same debates (same folds)."""

    mean_diff: float
    wins: int
    losses: int
    debates: int
    #: two-sided sign-flip (paired permutation) test of the mean difference over debates
    p_value: float

    def as_text(self) -> str:
        return (f"MAP difference {self.mean_diff:+.4f}; better on {self.wins} of {self.debates} debates, "
                f"worse on {self.losses}; two-sided sign-flip test over debates: p = {self.p_value:.3f}")


def paired_difference(system: CwReport, reference: CwReport) -> PairedDifference:
    """Per-debate AP differences (``system - reference``), with an exact sign-flip test up to
    :data:`EXACT_FLIPS` debates (every sign pattern), else :data:`SAMPLED_FLIPS` seeded patterns."""
    import numpy as np

    names = sorted(system.per_debate_ap)
    if names != sorted(reference.per_debate_ap):
        raise EvalError("the two reports cover different debates")
    d = np.array([system.per_debate_ap[n] - reference.per_debate_ap[n] for n in names])
    observed = abs(d.mean())
    if len(d) <= EXACT_FLIPS:
        patterns = ((np.arange(2 ** len(d))[:, None] >> np.arange(len(d))) & 1) * 2 - 1
    else:
        patterns = np.random.default_rng(0).choice([-1, 1], size=(SAMPLED_FLIPS, len(d)))
    means = np.abs(patterns @ d) / len(d)
    p = float((means >= observed - 1e-12).mean())
    return PairedDifference(float(d.mean()), int((d > 0).sum()), int((d < 0).sum()), len(d), p)
