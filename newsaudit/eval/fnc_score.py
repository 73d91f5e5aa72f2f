"""FNC-1 scoring: the official weighted score, relative to the best possible, and F1.

The official rule (Fake News Challenge stage 1, ``scorer.py`` of the challenge):
for each pair, +0.25 when gold and prediction agree on *related* vs *unrelated*;
on a related gold pair, +0.75 more when the predicted label is the gold one
(agree/disagree/discuss).  So a related pair is worth 1.0 and an unrelated pair
0.25; the relative score divides by the score of a perfect prediction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import EvalError
from ..models.stance.model import LABELS

RELATED: frozenset[str] = frozenset({"agree", "disagree", "discuss"})


@dataclass(frozen=True)
class FncReport:
    """Everything ``newsaudit eval stance`` prints about the labels."""

    score: float
    max_score: float
    relative: float
    macro_f1: float
    f1: dict[str, float]
    #: confusion[i][j]: pairs of gold LABELS[i] predicted LABELS[j]
    confusion: tuple[tuple[int, ...], ...]
    n: int

    def as_text(self) -> str:
        """The plain-text report: score line, F1 lines, confusion matrix."""
        lines = [
            f"FNC-1 score: {self.score:.2f} of {self.max_score:.2f} = {self.relative:.4f} relative",
            f"macro-F1: {self.macro_f1:.4f}",
            "per-class F1: " + "  ".join(f"{lab} {self.f1[lab]:.4f}" for lab in LABELS),
            "confusion (rows gold, columns predicted):",
            f"{'':>10}" + "".join(f"{lab:>11}" for lab in LABELS),
        ]
        for lab, row in zip(LABELS, self.confusion, strict=False):
            lines.append(f"{lab:>10}" + "".join(f"{c:>11}" for c in row))
        return "\n".join(lines)


def _check(gold: Sequence[str], pred: Sequence[str]) -> None:
    if len(gold) != len(pred):
        raise EvalError(f"{len(gold)} gold labels but {len(pred)} predictions")
    for lab in (*gold, *pred):
        if lab not in LABELS:
            raise EvalError(f"unknown stance label {lab!r}; expected one of {', '.join(LABELS)}")


def pair_score(gold: str, pred: str) -> float:
    """The official score of one pair."""
    score = 0.0
    if (gold in RELATED) == (pred in RELATED):
        score += 0.25
    if gold in RELATED and gold == pred:
        score += 0.75
    return score


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float]:
    """(score, best possible score) over aligned gold and predicted labels."""
    _check(gold, pred)
    score = sum(pair_score(g, p) for g, p in zip(gold, pred, strict=False))
    best = sum(pair_score(g, g) for g in gold)
    return score, best


def confusion_matrix(gold: Sequence[str], pred: Sequence[str]) -> tuple[tuple[int, ...], ...]:
    """Counts with gold labels as rows and predictions as columns, in LABELS order."""
    _check(gold, pred)
    idx = {lab: i for i, lab in enumerate(LABELS)}
    m = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, pred, strict=False):
        m[idx[g]][idx[p]] += 1
    return tuple(tuple(r) for r in m)


def f1_scores(confusion: Sequence[Sequence[int]]) -> dict[str, float]:
    """Per-class F1 from a confusion matrix (0.0 for a class never gold nor predicted)."""
    out: dict[str, float] = {}
    for i, lab in enumerate(LABELS):
        tp = confusion[i][i]
        gold_n = sum(confusion[i])
        pred_n = sum(row[i] for row in confusion)
        out[lab] = 2 * tp / (gold_n + pred_n) if gold_n + pred_n else 0.0
    return out


def report(gold: Sequence[str], pred: Sequence[str]) -> FncReport:
    """The full FNC-1 report of a prediction."""
    score, best = fnc_score(gold, pred)
    conf = confusion_matrix(gold, pred)
    f1 = f1_scores(conf)
    return FncReport(
        score=score,
        max_score=best,
        relative=score / best if best else 0.0,
        macro_f1=sum(f1.values()) / len(LABELS),
        f1=f1,
        confusion=conf,
        n=len(gold),
    )
