"""Training the stance model on FNC-1 (``newsaudit train stance``): torch through :mod:`.net`, and
scipy, both imported inside functions.

:func:`train_stance` is the one deterministic recipe: it builds the vocabulary
from the training texts, computes the features, runs k-fold cross-validation
*by body* inside the training pairs (:func:`~newsaudit.eval.fnc.body_folds`) to
tune the output shifts (class-prior offsets that trade agree/disagree/discuss
against each other and against unrelated) on the FNC-1 score
(:mod:`newsaudit.eval.fnc_score`) and to choose the contradiction rule
(:func:`choose_rule`), then fits the final net on all training pairs.
:func:`train_stance_files` is the entry point behind the command.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..errors import BenchmarkFileError
from ..eval.fnc import body_folds, read_bodies, read_pairs, select_split
from ..eval.fnc_score import FncReport, report
from ..eval.stance import stance_views
from ..models.numpy_net import NumpyNet, softmax
from ..models.stance.features import DENSE_NAMES, pair_features
from ..models.stance.model import LABELS, ContradictionRule, StanceModel, passages
from ..models.stance.textview import TextView
from ..models.vocab import Vocab, build_vocab
from ..types import Stance
from .net import NetTrainConfig, fit_net

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from spacy.language import Language

#: The contradiction rule's thresholds tried on the cross-validation predictions.
RULE_GRID: tuple[float, ...] = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))
#: The precision the contradiction rule must reach on the cross-validation predictions.
RULE_MIN_PRECISION = 0.6


@dataclass(frozen=True)
class StanceTrainConfig:
    bow_size: int = 5000
    min_df: int = 2
    folds: int = 5
    fit: NetTrainConfig = field(default_factory=NetTrainConfig)
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
    cv: FncReport
    #: out-of-fold probabilities (with the shifts) of every training pair
    oof_probs: np.ndarray
    #: the contradiction rule's precision and recall on the cross-validation predictions
    rule_cv: dict[str, float]


def _matrix(rows: Sequence[tuple[list[int], list[float]]], dim: int) -> csr_matrix:
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
    sparse: list[csr_matrix]
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


def _batch_logits(net: NumpyNet, X: np.ndarray, sparse: Sequence[csr_matrix]) -> np.ndarray:
    rows = [[(m.indices[m.indptr[i] : m.indptr[i + 1]], m.data[m.indptr[i] : m.indptr[i + 1]]) for i in range(X.shape[0])]
            for m in sparse]
    return net.logits(X, rows)


def tune_shift(logits: np.ndarray, gold: Sequence[str], grid: Sequence[float]) -> np.ndarray:
    """Best additive logit shifts for (agree, disagree, discuss), unrelated fixed at 0:
    the most relative FNC-1 score plus macro-F1."""
    best, best_val = np.zeros(len(LABELS), np.float32), -1.0
    for a, d, c in itertools.product(grid, grid, grid):
        shift = np.array([a, d, c, 0.0], np.float32)
        r = report(gold, [LABELS[k] for k in np.argmax(logits + shift, axis=1)])
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
    pairs: Sequence[TrainingPair], cfg: StanceTrainConfig | None = None, matrix: TrainingMatrix | None = None
) -> StanceTrainResult:
    """Train on ``pairs`` (training bodies only); CV by body inside them, scored by the FNC-1 report.

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
    shift = tune_shift(oof, gold, cfg.shift_grid) if cfg.tune_shift else np.zeros(len(LABELS), np.float32)
    rep = report(gold, [LABELS[k] for k in np.argmax(oof + shift, axis=1)])
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


VOCAB_HEADER = [
    "vocab.tsv -- lemma, idf, bag-of-words index of the newsaudit stance model",
    "Source: computed from the FNC-1 training bodies and headlines{held_out};",
    "  Fake News Challenge stage 1, derived from Emergent (Ferreira and Vlachos 2016).",
    "Licence: research use, as the FNC-1 data.",
]


@dataclass(frozen=True)
class StanceTrainOptions:
    """``newsaudit train stance``: the FNC-1 files, the output folder, which bodies train."""

    bodies: str
    stances: str
    out: str
    #: ``train`` (the shipped model: dev bodies held out) or ``all``
    split: str = "train"
    spacy_model: str | None = None


@dataclass(frozen=True)
class StanceTrainSummary:
    out: str
    n_pairs: int
    n_bodies: int
    cv: FncReport
    rule: ContradictionRule
    rule_cv: dict[str, float]
    seconds: dict[str, float] = field(default_factory=dict)

    def as_text(self) -> str:
        c = self.rule_cv
        times = ", ".join(f"{k} {v:.0f} s" for k, v in self.seconds.items())
        return "\n".join([
            f"trained on {self.n_pairs} pairs over {self.n_bodies} bodies; wrote {self.out}",
            f"cross-validation by body (5 folds, with the tuned shifts): relative {self.cv.relative:.4f}, "
            f"macro-F1 {self.cv.macro_f1:.4f}",
            f"contradicted-in-body rule chosen on it: {self.rule.describe()} "
            f"(precision {c['precision']:.4f}, recall {c['recall']:.4f})",
            f"time: {times}",
        ])


def train_stance_files(options: StanceTrainOptions, nlp: Language | None = None) -> StanceTrainSummary:
    """Train on the FNC-1 files (the training bodies of the dev split by default) and save the folder."""
    from ..nlp import load_spacy

    t0 = time.perf_counter()
    bodies = read_bodies(options.bodies)
    pairs = select_split(read_pairs(options.stances), bodies, options.split)
    if not pairs or pairs[0].stance is None:
        raise BenchmarkFileError(f"{options.stances} has no Stance column (or no rows): nothing to train on")
    hviews, bviews = stance_views(nlp or load_spacy(options.spacy_model), bodies, pairs)
    t1 = time.perf_counter()
    tps = [TrainingPair(hviews[p.headline], bviews[p.body_id], p.body_id, p.stance or "") for p in pairs]
    result = train_stance(tps, StanceTrainConfig())
    held_out = " (dev bodies excluded)" if options.split == "train" else ""
    result.model.save(options.out, [line.format(held_out=held_out) for line in VOCAB_HEADER])
    t2 = time.perf_counter()
    return StanceTrainSummary(options.out, len(pairs), len(bviews), result.cv, result.model.rule, result.rule_cv,
                              {"parse": t1 - t0, "training": t2 - t1})
