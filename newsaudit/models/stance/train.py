"""Training the stance model (torch through :mod:`..torch_fit`, scipy; both imported inside functions).

:func:`train_stance` is the one deterministic entry point: it builds the
vocabulary from the training texts, computes the features, runs k-fold
cross-validation *by body* inside the training pairs (:func:`body_folds`) to
tune the output shifts (class-prior offsets that trade agree/disagree/discuss
against each other and against unrelated) and to choose the contradiction rule
(:func:`choose_rule`), then fits the final net on all training pairs.

The measure is the caller's (``score``: the FNC-1 report of
:mod:`newsaudit.eval.fnc_score`), so that this layer does not depend on the
evaluation one.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from ...types import Stance
from ..numpy_net import NumpyNet, softmax
from ..torch_fit import FitConfig, fit_net
from ..vocab import Vocab, build_vocab
from .features import DENSE_NAMES, pair_features
from .model import LABELS, ContradictionRule, StanceModel, passages
from .textview import TextView

#: Seed of the folds by body (the dev split of :mod:`newsaudit.eval.fnc` uses 2017; folds use 2018).
FOLD_SEED = 2018
#: The contradiction rule's thresholds tried on the cross-validation predictions.
RULE_GRID: tuple[float, ...] = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))
#: The precision the contradiction rule must reach on the cross-validation predictions.
RULE_MIN_PRECISION = 0.6


class StanceScores(Protocol):
    """What the caller's measure returns (an FNC-1 report)."""

    relative: float
    macro_f1: float
    f1: Mapping[str, float]


Score = Callable[[Sequence[str], Sequence[str]], StanceScores]


@dataclass(frozen=True)
class StanceTrainConfig:
    bow_size: int = 5000
    min_df: int = 2
    folds: int = 5
    fit: FitConfig = field(default_factory=FitConfig)
    #: tune the output shifts on the cross-validation predictions
    tune_shift: bool = True
    #: grid of shifts tried for each of agree, disagree, discuss (unrelated fixed at 0)
    shift_grid: tuple[float, ...] = (-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
    #: sparse blocks the net sees besides the dense features: "head", "body" (bags of words)
    blocks: tuple[str, ...] = ("head", "body")


@dataclass
class TrainingPair:
    head: TextView
    body: TextView
    body_id: str
    label: str


@dataclass
class StanceTrainResult:
    model: StanceModel
    #: the cross-validation scores (with the tuned shifts)
    cv: StanceScores
    #: out-of-fold probabilities (with the shifts) of every training pair
    oof_probs: np.ndarray
    #: the contradiction rule's precision and recall on the cross-validation predictions
    rule_cv: dict[str, float]


def body_order(body_ids: Iterable[str]) -> list[str]:
    """Distinct body ids sorted as integers (others last, by text): the order every split shuffles."""
    return sorted(set(body_ids), key=lambda b: (int(b) if b.isdigit() else 10**12, b))


def body_folds(body_ids: Iterable[str], k: int = 5, seed: int = FOLD_SEED) -> list[set[str]]:
    """``k`` disjoint sets of body ids (sorted, shuffled with ``random.Random(seed)``, dealt round) for CV by body."""
    ids = body_order(body_ids)
    random.Random(seed).shuffle(ids)
    return [set(ids[i::k]) for i in range(k)]


def _matrix(rows: Sequence[tuple[list[int], list[float]]], dim: int) -> Any:
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(i) for i, _v in rows])
    idx = np.fromiter(itertools.chain.from_iterable(i for i, _v in rows), np.int64, int(indptr[-1]))
    val = np.fromiter(itertools.chain.from_iterable(v for _i, v in rows), np.float32, int(indptr[-1]))
    return csr_matrix((val, idx, indptr), shape=(len(rows), dim))


@dataclass
class TrainingMatrix:
    """Featurised training pairs (reusable across fit configurations)."""

    vocab: Vocab
    X: np.ndarray
    sparse: list[Any]
    names: list[str]
    body_ids: list[str]
    gold: list[str]
    #: a refuting cue or negation in the passages a ``disagree`` label would name
    refuting: np.ndarray


def training_matrix(pairs: Sequence[TrainingPair], cfg: StanceTrainConfig) -> TrainingMatrix:
    """Vocabulary from the training texts, then every pair's features."""
    bodies: dict[str, TextView] = {}
    heads: dict[int, TextView] = {}
    for p in pairs:
        bodies.setdefault(p.body_id, p.body)
        heads.setdefault(id(p.head), p.head)
    vocab = build_vocab([v.lemmas for v in bodies.values()] + [v.lemmas for v in heads.values()], cfg.bow_size, cfg.min_df)
    for v in list(bodies.values()) + list(heads.values()):
        v.cache.pop("stance", None)
    dense, hb, bb, refuting = [], [], [], []
    for p in pairs:
        f, hp, bp, rel = pair_features(p.head, p.body, vocab)
        dense.append(f)
        hb.append((hp.bow_idx, hp.bow_val))
        bb.append((bp.bow_idx, bp.bow_val))
        refuting.append(any(x.refuting for x in passages(p.body, rel, Stance.DISAGREE)))
    sparse = [_matrix(hb, vocab.bow_size), _matrix(bb, vocab.bow_size)]
    return TrainingMatrix(vocab, np.stack(dense), sparse, ["head_bow", "body_bow"], [p.body_id for p in pairs],
                          [p.label for p in pairs], np.array(refuting))


def _batch_logits(net: NumpyNet, X: np.ndarray, sparse: Sequence[Any]) -> np.ndarray:
    rows = [[(m.indices[m.indptr[i] : m.indptr[i + 1]], m.data[m.indptr[i] : m.indptr[i + 1]]) for i in range(X.shape[0])]
            for m in sparse]
    return net.logits(X, rows)


def tune_shift(logits: np.ndarray, gold: Sequence[str], grid: Sequence[float], score: Score) -> np.ndarray:
    """Best additive logit shifts for (agree, disagree, discuss), unrelated fixed at 0:
    the most relative FNC-1 score plus macro-F1."""
    best, best_val = np.zeros(len(LABELS), np.float32), -1.0
    for a, d, c in itertools.product(grid, grid, grid):
        shift = np.array([a, d, c, 0.0], np.float32)
        r = score(gold, [LABELS[k] for k in np.argmax(logits + shift, axis=1)])
        val = r.relative + r.macro_f1
        if val > best_val + 1e-9:
            best, best_val = shift, val
    return best


def rule_counts(probs: np.ndarray, refuting: np.ndarray, gold: Sequence[str], rule: ContradictionRule) -> dict[str, float]:
    """Precision and recall (against gold ``disagree``) of ``rule`` over predicted probabilities."""
    k = LABELS.index(Stance.DISAGREE)
    rounded = np.round(probs, 4)
    fired = (rounded.argmax(axis=1) == k) & (rounded[:, k] >= rule.min_disagree)
    if rule.needs_evidence:
        fired &= refuting
    is_gold = np.array([g == Stance.DISAGREE for g in gold])
    tp, n_fired, n_gold = int((fired & is_gold).sum()), int(fired.sum()), int(is_gold.sum())
    return {"fired": n_fired, "correct": tp, "gold": n_gold,
            "precision": tp / n_fired if n_fired else 0.0, "recall": tp / n_gold if n_gold else 0.0}


def choose_rule(probs: np.ndarray, refuting: np.ndarray, gold: Sequence[str]) -> tuple[ContradictionRule, dict[str, float]]:
    """The contradiction rule with the most recall whose precision reaches :data:`RULE_MIN_PRECISION`
    on the cross-validation predictions (evidence required or not, thresholds :data:`RULE_GRID`);
    when none does, the most precise one (ties: more recall)."""
    tried = []
    for needs in (True, False):
        for t in RULE_GRID:
            rule = ContradictionRule(t, needs)
            tried.append((rule, rule_counts(probs, refuting, gold, rule)))
    ok = [(r, c) for r, c in tried if c["precision"] >= RULE_MIN_PRECISION and c["correct"] > 0]
    if ok:
        return max(ok, key=lambda rc: (rc[1]["recall"], rc[1]["precision"]))
    return max(tried, key=lambda rc: (rc[1]["precision"], rc[1]["recall"]))


def train_stance(
    pairs: Sequence[TrainingPair], score: Score, cfg: StanceTrainConfig | None = None, matrix: TrainingMatrix | None = None
) -> StanceTrainResult:
    """Train on ``pairs`` (training bodies only); CV by body inside them; ``score`` is the FNC-1 report.

    ``matrix``: features already computed by :func:`training_matrix` with the same
    vocabulary settings (to try several fit settings without featurising again).
    """
    cfg = cfg or StanceTrainConfig()
    m = matrix or training_matrix(pairs, cfg)
    X, gold = m.X, m.gold
    keep = [i for i, n in enumerate(m.names) if n.split("_")[0] in cfg.blocks]
    sparse, names = [m.sparse[i] for i in keep], [m.names[i] for i in keep]
    bodies = sorted(set(m.body_ids))
    y = np.array([LABELS.index(g) for g in gold])
    oof = np.zeros((len(gold), len(LABELS)), np.float32)
    for fold in body_folds(bodies, cfg.folds):
        te = np.array([b in fold for b in m.body_ids])
        tr_idx, te_idx = np.nonzero(~te)[0], np.nonzero(te)[0]
        net = fit_net(X[tr_idx], [s[tr_idx] for s in sparse], names, y[tr_idx], len(LABELS), cfg.fit)
        oof[te_idx] = _batch_logits(net, X[te_idx], [s[te_idx] for s in sparse])
    shift = tune_shift(oof, gold, cfg.shift_grid, score) if cfg.tune_shift else np.zeros(len(LABELS), np.float32)
    rep = score(gold, [LABELS[k] for k in np.argmax(oof + shift, axis=1)])
    probs = softmax(oof + shift)
    rule, rule_cv = choose_rule(probs, m.refuting, gold)
    net = fit_net(X, sparse, names, y, len(LABELS), cfg.fit)
    net.out_shift = shift
    config = {
        "labels": list(LABELS),
        "dense_names": list(DENSE_NAMES),
        "blocks": list(cfg.blocks),
        "train": {**asdict(cfg), "n_pairs": len(gold), "n_bodies": len(bodies)},
        "cv": {"relative": rep.relative, "macro_f1": rep.macro_f1, "f1": dict(rep.f1)},
        "out_shift": [float(s) for s in shift],
        "contradiction": {**rule.to_config(), "cv": rule_cv},
    }
    return StanceTrainResult(StanceModel(m.vocab, net, config), rep, probs, rule_cv)
