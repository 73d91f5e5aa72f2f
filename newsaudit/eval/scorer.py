"""A small, reusable precision/recall/F1 scorer and one-to-one span matching.

Used by the PolNeAR attribution evaluation; any other evaluation that counts
true positives, false positives and false negatives can reuse :class:`Score`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

P = TypeVar("P")
G = TypeVar("G")


@dataclass(frozen=True)
class Score:
    """Counts of one evaluation and the measures derived from them.

    ``precision`` is 0 when nothing was predicted, ``recall`` is 0 when there is
    no gold item, and ``f1`` is 0 when both are 0 (no division by zero).
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @classmethod
    def from_counts(cls, matched: int, predicted: int, gold: int) -> Score:
        """A score from one-to-one matches: tp = matched, fp = predicted - matched, fn = gold - matched."""
        return cls(matched, predicted - matched, gold - matched)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def match_one_to_one(
    predicted: Sequence[P], gold: Sequence[G], weight: Callable[[P, G], float]
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: pairs ``(i_pred, i_gold)`` with ``weight > 0``,
    heaviest first (ties: earlier prediction, then earlier gold); each item is used once."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            w = weight(p, g)
            if w > 0:
                candidates.append((-w, i, j))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _w, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    pairs.sort()
    return pairs
