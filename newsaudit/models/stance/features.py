"""Headline-body pair features for the stance model (numpy and pure Python).

:func:`pair_features` returns the dense feature vector (names in
``DENSE_NAMES``), the headline and body bag-of-words (sparse index/value
lists over the model's vocabulary) and one relevance score per body sentence,
used to pick the passages that decided the label.
"""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from typing import TypeVar

import numpy as np

from ..vocab import Vocab
from .textview import VEC_DIM, Prepared, TextView

T = TypeVar("T")

TOP_K = 3
BM25_K1, BM25_B, BM25_AVGDL = 1.2, 0.75, 200.0

DENSE_NAMES: tuple[str, ...] = (
    "h_len",
    "b_len",
    "b_sents",
    "cos_doc",
    "cos_max_sent",
    "cos_top3",
    "cos_lead",
    "ov_idf",
    "ov_raw",
    "ov_best_sent",
    "bigram_frac",
    "ent_frac",
    "num_frac",
    "h_missing_idf",
    "vec_cos_doc",
    "vec_cos_max",
    "vec_cos_top3",
    "bm25",
    "best_pos",
    "first_match_pos",
    "h_refute",
    "h_hedge",
    "h_affirm",
    "h_neg",
    "h_question",
    "b_refute",
    "b_hedge",
    "b_affirm",
    "b_neg",
    "top_refute",
    "top_hedge",
    "top_affirm",
    "top_neg",
    "top_neg_on_h",
    "relw_refute",
    "relw_hedge",
    "relw_affirm",
    "relw_neg",
    "lead_refute",
    "lead_hedge",
    "b_question",
)


def prepare(view: TextView, vocab: Vocab, key: str = "stance") -> Prepared:
    """Prepared data of a view for ``vocab`` (computed once, then cached)."""
    cached = view.cache.get(key)
    if cached is not None:
        return cached
    tfidf = vocab.tfidf(view.lemmas)
    sent_tfidf = [vocab.tfidf(s.lemmas) for s in view.sentences]
    vecs = np.stack([s.vec for s in view.sentences]) if view.sentences else np.zeros((0, VEC_DIM), np.float32)
    idx, val = vocab.bow(tfidf)
    prep = Prepared(tfidf, sent_tfidf, vecs, idx, val)
    view.cache[key] = prep
    return prep


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def _frac(part: AbstractSet[T], whole: AbstractSet[T]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def pair_features(head: TextView, body: TextView, vocab: Vocab) -> tuple[np.ndarray, Prepared, Prepared, np.ndarray]:
    """(dense features, headline prepared, body prepared, per-sentence relevance)."""
    hp, bp = prepare(head, vocab), prepare(body, vocab)
    n_s = len(body.sentences)
    hlem = set(head.lemmas)
    h_idf = {w: vocab.weight(w) for w in hlem}
    h_idf_sum = sum(h_idf.values()) or 1.0

    sent_cos = np.array([_cos(hp.tfidf, st) for st in bp.sent_tfidf], dtype=np.float64) if n_s else np.zeros(0)
    vec_cos = bp.sent_vecs @ head.vec if n_s else np.zeros(0)
    sent_ov = np.array([sum(h_idf[w] for w in hlem if w in s.lemmas) / h_idf_sum for s in body.sentences]) if n_s else np.zeros(0)
    relevance = sent_cos + 0.5 * sent_ov + 0.1 * np.maximum(vec_cos, 0.0)
    order = np.argsort(-relevance, kind="stable")[:TOP_K] if n_s else np.zeros(0, int)
    top = [body.sentences[i] for i in order]

    present = {w for w in hlem if w in body.lemmas}
    ov_idf = sum(h_idf[w] for w in present) / h_idf_sum
    missing_idf = max((h_idf[w] for w in hlem - present), default=0.0)
    bm25 = 0.0
    dl = body.n_tokens or 1
    for w in hlem:
        c = body.lemmas.get(w, 0)
        if c:
            bm25 += h_idf[w] * c * (BM25_K1 + 1) / (c + BM25_K1 * (1 - BM25_B + BM25_B * dl / BM25_AVGDL))
    bm25 /= h_idf_sum

    matched = np.nonzero(sent_ov >= 0.3)[0] if n_s else np.zeros(0, int)
    pos_den = max(n_s - 1, 1)
    rel_w = np.maximum(relevance, 0.0)
    rel_w = rel_w / rel_w.sum() if rel_w.sum() > 0 else rel_w

    def relw(kind: str) -> float:
        return float(sum(w * s.cues.get(kind, 0) for w, s in zip(rel_w, body.sentences, strict=False)))

    nsafe = max(n_s, 1)
    lead = body.sentences[:2]
    f = [
        math.log1p(sum(head.lemmas.values())),
        math.log1p(body.n_tokens),
        math.log1p(n_s),
        _cos(hp.tfidf, bp.tfidf),
        float(sent_cos.max()) if n_s else 0.0,
        float(np.sort(sent_cos)[-TOP_K:].mean()) if n_s else 0.0,
        float(sent_cos[:2].max()) if n_s else 0.0,
        ov_idf,
        len(present) / len(hlem) if hlem else 0.0,
        float(sent_ov.max()) if n_s else 0.0,
        _frac(head.bigrams, body.bigrams),
        _frac(head.ents, body.ents),
        _frac(head.numbers, body.numbers),
        missing_idf,
        float(head.vec @ body.vec),
        float(vec_cos.max()) if n_s else 0.0,
        float(np.sort(vec_cos)[-TOP_K:].mean()) if n_s else 0.0,
        bm25,
        float(order[0]) / pos_den if n_s else 1.0,
        float(matched[0]) / pos_den if len(matched) else 1.0,
        float(head.cue_total("refute")),
        float(head.cue_total("hedge")),
        float(head.cue_total("affirm")),
        float(head.neg),
        float(any(s.question for s in head.sentences)),
        body.cue_total("refute") / nsafe,
        body.cue_total("hedge") / nsafe,
        body.cue_total("affirm") / nsafe,
        body.neg / nsafe,
        float(sum(s.cues["refute"] for s in top)),
        float(sum(s.cues["hedge"] for s in top)),
        float(sum(s.cues["affirm"] for s in top)),
        float(sum(len(s.neg_heads) for s in top)),
        float(sum(len(s.neg_heads & hlem) for s in top)),
        relw("refute"),
        relw("hedge"),
        relw("affirm"),
        float(sum(w * len(s.neg_heads) for w, s in zip(rel_w, body.sentences, strict=False))),
        float(sum(s.cues["refute"] for s in lead)),
        float(sum(s.cues["hedge"] for s in lead)),
        sum(s.question for s in body.sentences) / nsafe,
    ]
    return np.asarray(f, dtype=np.float32), hp, bp, relevance
