"""A small, reusable precision/recall/F1 scorer, one-to-one span matching, and the
strict span measures of attribution (partial credit, Jaccard>=0.5, exact, paired source
and cue; :func:`strict_score`).

Used by the PolNeAR attribution evaluation; any other evaluation that counts
true positives, false positives and false negatives can reuse :class:`Score`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Protocol, TypeVar

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


# --------------------------------------------------------------------------- strict span measures
#
# The strict attribution measures (used by newsaudit.eval.polnear), all
# micro-averaged over a corpus: counts and sums are added over articles before dividing.
#
# * Characters.  A span is a tuple of pieces ``(start, end)`` (end exclusive); a
#   discontinuous span is the union of its pieces.  Every piece is trimmed at both edges
#   of white space, quote marks and end punctuation (:data:`EDGE_CHARS`, repeatedly, so
#   ``“Yes.”`` becomes ``Yes``) before characters are compared.  A span that trims to
#   nothing has no characters.
# * Pairing.  Gold and predicted relations are paired one to one, greedily by the largest
#   number of shared content characters (:func:`match_one_to_one`); any shared character
#   may pair.  Every measure below except *exact* uses these pairs.
# * partial: P = Σ over pairs |p∩g|/|p| ÷ #predicted, R = Σ over pairs |p∩g|/|g| ÷ #gold.
# * jaccard: tp = pairs with |p∩g|/|p∪g| >= 0.5; P = tp/#predicted, R = tp/#gold.
# * exact: tp = predictions whose trimmed content characters equal those of a gold
#   relation, matched one to one on their own (the usual exact-match count).
# * source, cue: tp = pairs whose sources (cues) share a trimmed character, or are both
#   absent; P = tp/#predicted, R = tp/#gold.
# * overlap: tp = number of pairs.

Piece = tuple[int, int]
Pieces = tuple[Piece, ...]

#: Characters trimmed at the edges of every piece before comparison.
EDGE_CHARS = frozenset(" \t\r\n\u00a0\u2009\u202f" + "\"'“”‘’«»„‟‹›`´" + ".,;:!?…—–-")

STRICT_MEASURES = ("partial", "jaccard", "exact", "source", "cue", "overlap")


class Relation(Protocol):
    """What the strict measures read of a gold or predicted attribution (pieces; None when absent)."""

    @property
    def content(self) -> Pieces: ...
    @property
    def cue(self) -> Pieces | None: ...
    @property
    def source(self) -> Pieces | None: ...


def trim_piece(text: str, start: int, end: int) -> Piece:
    """``(start, end)`` without edge white space, quote marks and end punctuation (clipped to the text)."""
    start = min(max(0, start), len(text))
    end = max(start, min(len(text), end))
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS:
        end -= 1
    return start, end


def char_ranges(text: str, pieces: Iterable[Piece] | None) -> Pieces:
    """Sorted, disjoint character ranges of a span after trimming each piece; () when absent."""
    if not pieces:
        return ()
    trimmed = sorted(p for p in (trim_piece(text, s, e) for s, e in pieces) if p[1] > p[0])
    merged: list[list[int]] = []
    for s, e in trimmed:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return tuple((s, e) for s, e in merged)


def range_size(ranges: Pieces) -> int:
    return sum(e - s for s, e in ranges)


def intersection(a: Pieces, b: Pieces) -> int:
    """Number of characters two sorted disjoint range lists share."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True)
class StrictScore:
    """Counts and sums of the strict measures; add two with ``+``."""

    n_pred: int = 0
    n_gold: int = 0
    partial_p: float = 0.0
    partial_r: float = 0.0
    jaccard: int = 0
    exact: int = 0
    source: int = 0
    cue: int = 0
    overlap: int = 0

    def __add__(self, other: StrictScore) -> StrictScore:
        return StrictScore(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def prf(self, measure: str) -> tuple[float, float, float]:
        """(precision, recall, F1) of one of :data:`STRICT_MEASURES`."""
        if measure == "partial":
            num_p, num_r = self.partial_p, self.partial_r
        elif measure in STRICT_MEASURES:
            num_p = num_r = float(getattr(self, measure))
        else:
            raise ValueError(f"unknown measure {measure!r}")
        p = num_p / self.n_pred if self.n_pred else 0.0
        r = num_r / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def to_dict(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for m in STRICT_MEASURES:
            p, r, f = self.prf(m)
            out[m] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        out["counts"] = {"predicted": self.n_pred, "gold": self.n_gold}
        return out


def _role_match(text: str, a: Pieces | None, b: Pieces | None) -> bool:
    ra, rb = char_ranges(text, a), char_ranges(text, b)
    if not ra and not rb:
        return True
    return bool(ra and rb and intersection(ra, rb) > 0)


def strict_score(text: str, predicted: Sequence[Relation], gold: Sequence[Relation]) -> StrictScore:
    """The strict measures of one article (see the comment above :data:`EDGE_CHARS`)."""
    pred_r = [char_ranges(text, p.content) for p in predicted]
    gold_r = [char_ranges(text, g.content) for g in gold]
    partial_p = partial_r = 0.0
    jaccard = source = cue = 0
    pairs = match_one_to_one(pred_r, gold_r, lambda p, g: float(intersection(p, g)) if p and g else 0.0)
    for i, j in pairs:
        shared = intersection(pred_r[i], gold_r[j])
        sp, sg = range_size(pred_r[i]), range_size(gold_r[j])
        partial_p += shared / sp
        partial_r += shared / sg
        jaccard += shared / (sp + sg - shared) >= 0.5
        source += _role_match(text, predicted[i].source, gold[j].source)
        cue += _role_match(text, predicted[i].cue, gold[j].cue)
    exact = 0
    free = list(range(len(gold_r)))
    for p in pred_r:
        if not p:
            continue
        for k, j in enumerate(free):
            if gold_r[j] == p:
                exact += 1
                del free[k]
                break
    return StrictScore(len(predicted), len(gold), partial_p, partial_r, jaccard, exact, source, cue, len(pairs))
