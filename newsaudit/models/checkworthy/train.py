"""Training the check-worthiness model (scikit-learn and scipy, imported inside the functions).

Sentences are featurised once (:func:`debate_data`); every fit then works on
arrays.  :func:`train_checkworthy` is the one deterministic entry point
(liblinear, ``random_state=0``); :func:`predict_debate` scores a featurised
debate.  Cross-validation and the TF-IDF baseline are evaluations: they live in
:mod:`newsaudit.eval.checkworthy`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..numpy_net import NumpyNet
from ..vocab import build_vocab
from .features import TERM_MODES, base_features, dense_names, doc_entities, sentence_terms, with_context
from .model import CheckworthyModel, smooth
from .pieces import PENALTY, SOURCE, PieceLR, PieceTable
from .tfidf import SETTINGS, TfidfLR


@dataclass(frozen=True)
class CwTrainConfig:
    """Training settings; the defaults are the shipped model (variant V8 of RESULTS.md)."""

    #: the previous and next sentences' tok2vec means as features
    context: bool = False
    #: the sentence's mean tok2vec vector as 96 dense features
    t2v: bool = False
    words: bool = True
    #: term features: "regex" (the baseline's tokens), "lower" (lower-cased words) or "lemma"
    terms: str = "regex"
    dense: bool = True
    min_df: int = 2
    C: float = 0.05
    balanced: bool = False
    max_iter: int = 2000
    #: the TF-IDF block is multiplied by this before the fit (and the weights after), so the
    #: words see a weaker L2 penalty (word_scale**2 * C) than the standardised dense features
    word_scale: float = 4.5
    #: weight each debate's sentences so every debate counts equally in the loss
    debate_weight: bool = False
    #: hidden layer sizes: () = logistic regression (liblinear); else a ReLU net (torch)
    hidden: tuple[int, ...] = ()
    epochs: int = 8
    #: neighbour smoothing of logits at inference (see ``checkworthy_model.smooth``)
    smoothing: float = 0.0


@dataclass
class DebateData:
    name: str
    base: np.ndarray
    #: term counts per sentence, for each mode of ``TERM_MODES``
    terms: dict[str, list[Counter[str]]]
    labels: np.ndarray
    lines: list[int]
    #: the sentences' text (the TF-IDF part's input)
    texts: list[str]


def debate_data(name: str, spans: Sequence[Any], labels: Sequence[int], lines: Sequence[int]) -> DebateData:
    """Featurise one debate's sentences (consecutive, in order) once."""
    return DebateData(
        name,
        np.stack([base_features(s, ents=e) for s, e in zip(spans, doc_entities(spans), strict=True)]),
        {m: [sentence_terms(s, m) for s in spans] for m in TERM_MODES},
        np.asarray(labels, np.int64),
        list(lines),
        [s.text for s in spans],
    )


def _design(data: Sequence[DebateData], model: CheckworthyModel) -> tuple[np.ndarray, list[tuple[list[int], list[float]]]]:
    X = np.concatenate([with_context(list(d.base), model.context, model.t2v) for d in data])
    mode = model.config.get("terms", "lower")
    rows = [model.vocab.bow(model.vocab.tfidf(t, known_only=True)) for d in data for t in d.terms[mode]]
    return X, rows


def train_checkworthy(data: Sequence[DebateData], cfg: CwTrainConfig | None = None) -> CheckworthyModel:
    """Fit the linear model on the given debates."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    cfg = cfg or CwTrainConfig()
    vocab = build_vocab([t for d in data for t in d.terms[cfg.terms]], bow_size=10**9, min_df=cfg.min_df)
    names = dense_names(cfg.context, cfg.t2v)
    shell = CheckworthyModel(vocab, None, {"context": cfg.context, "t2v": cfg.t2v, "terms": cfg.terms, "dense_names": names})  # type: ignore[arg-type]
    X, rows = _design(data, shell)
    y = np.concatenate([d.labels for d in data])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    Xs = (X - mean) / scale
    if not cfg.dense:
        Xs = np.zeros_like(Xs)
    indptr = np.cumsum([0] + [len(i) for i, _ in rows])
    W = csr_matrix(
        (np.concatenate([np.asarray(v, np.float32) for _, v in rows]), np.concatenate([np.asarray(i, np.int64) for i, _ in rows]), indptr),
        shape=(len(rows), vocab.bow_size),
    )
    if not cfg.words:
        W = W * 0.0
    if cfg.hidden:
        return _train_mlp(X, W, y, vocab, names, data, cfg)
    A = hstack([csr_matrix(Xs), W * cfg.word_scale]).tocsr()
    clf = LogisticRegression(
        C=cfg.C, class_weight="balanced" if cfg.balanced else None, max_iter=cfg.max_iter, solver="liblinear", random_state=0
    )
    weights = None
    if cfg.debate_weight:
        weights = np.concatenate([np.full(len(d.labels), len(y) / (len(data) * len(d.labels))) for d in data])
    clf.fit(A, y, sample_weight=weights)
    coef = clf.coef_[0].astype(np.float32)
    d = X.shape[1]
    net = NumpyNet(
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        w_dense=coef[:d, None].copy() if cfg.dense else np.zeros((d, 1), np.float32),
        w_sparse=[coef[d:, None] * cfg.word_scale if cfg.words else np.zeros((vocab.bow_size, 1), np.float32)],
        sparse_names=["terms"],
        b0=clf.intercept_.astype(np.float32),
        layers=[],
        out_shift=np.zeros(1, np.float32),
    )
    config = {
        "smoothing": cfg.smoothing,
        "context": cfg.context,
        "t2v": cfg.t2v,
        "terms": cfg.terms,
        "dense_names": names,
        "train": {**asdict(cfg), "debates": [x.name for x in data], "n_sentences": len(y)},
    }
    return CheckworthyModel(vocab, net, config)


def _train_mlp(
    X: np.ndarray, W: Any, y: np.ndarray, vocab: Any, names: list[str], data: Sequence[DebateData], cfg: CwTrainConfig
) -> CheckworthyModel:
    from ..torch_fit import FitConfig, fit_net

    fit = FitConfig(hidden=cfg.hidden, epochs=cfg.epochs, lr=1e-3, weight_decay=1e-4, dropout=0.3, batch=128, input_dropout=0.1)
    net = fit_net(X, [W], ["terms"], y, 1, fit)
    config = {
        "smoothing": cfg.smoothing,
        "context": cfg.context,
        "t2v": cfg.t2v,
        "terms": cfg.terms,
        "dense_names": names,
        "train": {**asdict(cfg), "debates": [x.name for x in data], "n_sentences": len(y)},
    }
    return CheckworthyModel(vocab, net, config)


def predict_debate(model: CheckworthyModel, d: DebateData) -> np.ndarray:
    """Scores (uncalibrated: the combined standardised logits) of one featurised debate."""
    X, rows = _design([d], model)
    main = smooth(model.logits(X, rows), float(model.config.get("smoothing", 0.0)))
    return model.combine(main, *model.part_logits(d.texts))


def _mean_std(z: np.ndarray) -> list[float]:
    """Mean and std of a part's logits (std 1 when they are all equal: nothing to scale)."""
    std = float(z.std())
    return [float(z.mean()), std if std > 1e-9 else 1.0]


def train_combo(data: Sequence[DebateData], cfg: CwTrainConfig | None = None, table: PieceTable | None = None) -> CheckworthyModel:
    """The shipped recipe: the main part (:func:`train_checkworthy`), the TF-IDF part
    (:class:`.tfidf.TfidfLR`) and, given the word-piece ``table``, the word-piece part
    (:class:`.pieces.PieceLR`), fitted on the same debates; each part's logits standardised by
    their mean and std on those training sentences (in-sample), summed with equal weights, and
    a logistic calibration of the sum fitted on the same sentences."""
    from sklearn.linear_model import LogisticRegression

    main = train_checkworthy(data, cfg)
    y = np.concatenate([d.labels for d in data])
    texts = [t for d in data for t in d.texts]
    tfidf = TfidfLR.fit(texts, y)
    pieces = PieceLR.fit(table, texts, y) if table is not None else None
    z_main = np.concatenate([predict_debate(main, d) for d in data])
    z_tfidf = tfidf.logits(texts)
    combo: dict[str, Any] = {"main": _mean_std(z_main), "tfidf": _mean_std(z_tfidf)}
    z_pieces = None
    if pieces is not None:
        z_pieces = pieces.logits(texts)
        combo["pieces"] = _mean_std(z_pieces)
    combo |= {"calibration": [1.0, 0.0], "standardised_on": "in-sample logits of the training sentences"}
    model = CheckworthyModel(main.vocab, main.net, {**main.config, "combo": combo}, tfidf, pieces)
    s = model.combine(z_main, z_tfidf, z_pieces)
    cal = LogisticRegression(C=1.0, solver="liblinear", random_state=0).fit(s[:, None], y)
    combo["calibration"] = [float(cal.coef_[0, 0]), float(cal.intercept_[0])]
    parts = "z(main logit) + z(TF-IDF LR logit)" + (" + z(word-piece LR logit)" if pieces is not None else "")
    model.config["recipe"] = (f"{parts}, equal weights; z = (logit - mean) / std "
                              "over the training sentences; probability = sigmoid(a * score + b)")
    model.config["tfidf"] = SETTINGS
    if pieces is not None:
        model.config["pieces"] = {"table": SOURCE, "penalty": PENALTY, "solver": "lbfgs",
                                  "input": "unit mean word-piece vector, standardised per dimension"}
    return model
