"""Training the modality model on Emergent train, and its claim-grouped cross-validation.

:func:`fit_modality` fits the model (:mod:`newsaudit.models.modality`) on Emergent
rows: every row is (claim headline, article headline) with the article
headline's stance as the label (*for* asserted, *observing* reported, *against*
denied).  scikit-learn is imported inside the functions.

:func:`cross_validate` is what the evaluation gate and ``newsaudit train
modality --cv`` report: five folds with the claims split between them (every
headline of a claim in the same fold, so no claim is scored by a model that
saw it), the model fitted on four and scored on the fifth, and the headline
grouping settings chosen on the four folds (pairwise F1 over their headlines)
and scored on the fifth.  Nothing is tuned on the fold it is scored on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus.trail.texts import TextVectors, group_vectors, text_vectors
from ..errors import EvalError
from ..eval.emergent import (
    FROM_MODALITY,
    TO_MODALITY,
    EmergentEval,
    EmergentRow,
    file_sha256,
    finish,
    pair_score,
    read_emergent,
)
from ..models.blas import single_thread_blas
from ..models.modality import DENSE_NAMES, LABELS, ModalityModel, pair_features
from ..models.vocab import Vocab, build_vocab

#: The penalty of the logistic regression: scikit-learn's default C, not tuned.
C = 1.0
FOLDS = 5
#: Headline grouping settings tried on the training folds of each fold (threshold x cohesion).
GROUPING_GRID: tuple[tuple[float, float | None], ...] = tuple(
    (t, c) for t in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7) for c in (None, 0.4, 0.45, 0.5, 0.55, 0.6))
VOCAB_HEADER = [
    "Word 1-2-grams of Emergent train article headlines (Ferreira and Vlachos, NAACL 2016), with idf;",
    "written by newsaudit train modality. Research use, as the corpus.",
]


@dataclass(frozen=True)
class ModalityTrainOptions:
    #: Emergent train CSV.
    file: str
    #: Model folder to write (None: only cross-validate).
    out: str | None = None
    #: Run the claim-grouped cross-validation (and record it in the model's config).
    cv: bool = True
    #: Write ``articleId,stance,trail`` of the cross-validation here.
    pred: str | None = None
    #: Where the headlines' embedding cache is kept (a path; the cache sits beside it).
    cache: str | None = None
    encoder: str | None = None


def with_self_pairs(rows: Sequence[EmergentRow]) -> list[EmergentRow]:
    """``rows`` and, once per claim, the claim read against itself as asserted (*for*): the claims are written as
    assertions, and the headline check reads a headline against its bare claim, which for a headline without
    hedges is the headline itself."""
    claims: dict[str, EmergentRow] = {}
    for r in rows:
        claims.setdefault(r.claim_id, r)
    return [*rows, *(replace(r, article_id=f"{r.claim_id}:self", headline=r.claim, stance="for") for r in claims.values())]


def fit_modality(rows: Sequence[EmergentRow], c: float = C, self_pairs: bool = True) -> ModalityModel:
    """Fit the model on labelled rows (and each claim against itself, :func:`with_self_pairs`; deterministic:
    lbfgs from zero)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    claims = len({r.claim_id for r in rows})
    rows = with_self_pairs(rows) if self_pairs else list(rows)
    feats = [pair_features(r.claim, r.headline) for r in rows]
    vocab = build_vocab([f.grams for f in feats], bow_size=10**9, min_df=1)
    dense = np.stack([f.dense for f in feats])
    mean, scale = dense.mean(axis=0), dense.std(axis=0)
    scale[scale < 1e-9] = 1.0
    cols: list[int] = []
    vals: list[float] = []
    ptr = [0]
    for f in feats:
        idx, v = vocab.bow(vocab.tfidf(f.grams, known_only=True))
        cols += idx
        vals += v
        ptr.append(len(cols))
    grams = sparse.csr_matrix((vals, cols, ptr), shape=(len(feats), vocab.bow_size))
    x = sparse.hstack([grams, sparse.csr_matrix((dense - mean) / scale)]).tocsr()
    y = np.asarray([LABELS.index(TO_MODALITY[r.stance or ""]) for r in rows])
    clf = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    with single_thread_blas():  # small matrices: a second BLAS thread only waits for a core
        clf.fit(x, y)
    coef = np.zeros((len(LABELS), x.shape[1]))
    coef[clf.classes_] = clf.coef_
    intercept = np.full(len(LABELS), -1e9)
    intercept[clf.classes_] = clf.intercept_
    config = {"labels": list(LABELS), "dense_names": list(DENSE_NAMES), "recipe": {
        "model": "multinomial logistic regression (scikit-learn lbfgs, L2)", "C": c,
        "grams": "word 1-2-grams of the text, sublinear TF-IDF, L2-normalised, min_df 1",
        "dense": "cue counts, style and claim-overlap features (newsaudit/models/modality/features.py), standardised",
        "rows": len(rows), "claims": claims,
        "self_pairs": "each claim read against itself as asserted" if self_pairs else "none"}}
    return ModalityModel(_compact(vocab), coef, intercept, mean, scale, config)


def _compact(vocab: Vocab) -> Vocab:
    """The vocabulary with every term a column (build_vocab already indexes all of them)."""
    return Vocab(dict(vocab.idf), dict(vocab.bow_index), vocab.default_idf, vocab.n_docs)


def claim_folds(rows: Sequence[EmergentRow], k: int = FOLDS) -> list[np.ndarray]:
    """``k`` folds of row indices with every claim in one fold: claims sorted by a hash of their id and
    dealt, largest first, to the fold with the fewest rows (the same folds on every machine)."""
    by_claim: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_claim.setdefault(r.claim_id, []).append(i)
    order = sorted(by_claim, key=lambda c: (-len(by_claim[c]), hashlib.sha256(c.encode()).hexdigest()))
    folds: list[list[int]] = [[] for _ in range(k)]
    for claim in order:
        min(folds, key=len).extend(by_claim[claim])
    return [np.asarray(sorted(f), dtype=np.int64) for f in folds]


@dataclass
class CrossValidation:
    result: EmergentEval
    #: per fold: rows, accuracy, pairwise F1, and the grouping settings chosen on the other folds
    folds: list[dict[str, Any]] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [f"  fold {n}: {f['rows']} headlines, stance accuracy {f['accuracy']:.4f}, pairwise F1 "
                 f"{f['pairwise_f1']:.4f} (grouping chosen on the other folds: threshold {f['threshold']}, cohesion "
                 f"{f['cohesion']})" for n, f in enumerate(self.folds, 1)]
        return "\n".join(lines)


def choose_grouping(tv: TextVectors, rows: Sequence[EmergentRow], folds: Sequence[np.ndarray]) -> tuple[float, float | None]:
    """The grid setting with the best mean pairwise F1 over ``folds``, each grouped alone (as a fold is
    grouped when it is scored, so that the setting fits sets of that size); the first of equals."""
    best, best_f1 = GROUPING_GRID[0], -1.0
    with single_thread_blas():
        for threshold, cohesion in GROUPING_GRID:
            f1 = float(np.mean([pair_score(group_vectors(tv, idx, threshold, cohesion),
                                           [rows[i].claim_id for i in idx]).f1 for idx in folds]))
            if f1 > best_f1:
                best, best_f1 = (threshold, cohesion), f1
    return best


def cross_validate(rows: Sequence[EmergentRow], tv: TextVectors, pred: str | None = None) -> CrossValidation:
    """Claim-grouped cross-validation of stance and grouping (see the module docs)."""
    if any(r.stance is None for r in rows):
        raise EvalError("cross-validation needs labelled rows (articleHeadlineStance)")
    stances = [""] * len(rows)
    trails = [0] * len(rows)
    folds = claim_folds(rows)
    report = []
    offset = 0
    for n, test in enumerate(folds):
        train = np.concatenate([f for m, f in enumerate(folds) if m != n])
        model = fit_modality([rows[i] for i in train])
        readings = model.read_many([(rows[i].claim, rows[i].headline) for i in test])
        threshold, cohesion = choose_grouping(tv, rows, [f for m, f in enumerate(folds) if m != n])
        groups = group_vectors(tv, test, threshold, cohesion)
        for i, r, g in zip(test.tolist(), readings, groups, strict=True):
            stances[i] = FROM_MODALITY[r.label]
            trails[i] = offset + g
        offset += max(groups) + 1
        gold = [rows[i].stance for i in test]
        report.append({"rows": len(test), "accuracy": float(np.mean([s == stances[i] for s, i in zip(gold, test.tolist(),
                                                                                                     strict=True)])),
                       "pairwise_f1": pair_score(groups, [rows[i].claim_id for i in test]).f1,
                       "threshold": threshold, "cohesion": cohesion})
    result = finish(rows, stances, trails, {"folds": FOLDS}, f"claim-grouped {FOLDS}-fold cross-validation", pred)
    return CrossValidation(result, report)


def cross_validate_file(file: str | Path, cache: str | Path | None = None, encoder: str | None = None,
                        pred: str | None = None) -> CrossValidation:
    """:func:`cross_validate` of an Emergent file, the headlines' embeddings cached beside ``cache``."""
    rows = read_emergent(file)
    if cache is not None:
        Path(cache).parent.mkdir(parents=True, exist_ok=True)
    return cross_validate(rows, text_vectors([r.headline for r in rows], encoder, cache), pred)


@dataclass(frozen=True)
class ModalityTrainSummary:
    file: str
    rows: int
    claims: int
    #: the cross-validation's predictions and scores (None without ``cv``)
    result: EmergentEval | None = None
    folds_text: str = ""
    out: str | None = None


def train_modality(opts: ModalityTrainOptions) -> ModalityTrainSummary:
    """Cross-validate (``opts.cv``) and fit on every row (``opts.out``); the summary of what was done."""
    rows = read_emergent(opts.file)
    result, folds_text = None, ""
    if opts.cv:
        cv = cross_validate_file(opts.file, opts.cache, opts.encoder, opts.pred)
        result, folds_text = cv.result, cv.as_text()
    if opts.out:
        model = fit_modality(rows)
        model.config["recipe"]["train_sha256"] = file_sha256(opts.file)
        tv = text_vectors([r.headline for r in rows], opts.encoder, opts.cache)
        threshold, cohesion = choose_grouping(tv, rows, claim_folds(rows))
        model.config["headline_grouping"] = {"threshold": threshold, "cohesion": cohesion, "knn": 10,
                                             "chosen": "mean pairwise F1 over the five claim folds of the training file, "
                                                        "each fold grouped alone"}
        if result is not None:
            model.config["cross_validation"] = result.scores()
        model.save(opts.out, VOCAB_HEADER)
    return ModalityTrainSummary(opts.file, len(rows), len({r.claim_id for r in rows}), result, folds_text, opts.out)
