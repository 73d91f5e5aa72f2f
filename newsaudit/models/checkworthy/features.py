"""Check-worthiness features of one parsed sentence (numpy and pure Python).

Dense block (names in :func:`dense_names`):

* the ClaimBuster-style counts of :func:`.cues.features_from_span`
  (numbers, dates, entities, event verb, comparatives, causal cues,
  first-person opinion, opinion words, hedges, question, length), capped;
* the share of each Penn part-of-speech tag and the count of each entity label
  (ClaimBuster's strongest feature families);
* the mean of ``doc.tensor`` over the sentence (en_core_web_sm tok2vec, 96-d);
* optionally (``context=True``) the mean tok2vec vector of the previous and next
  sentences: context that exists in news as in debates (no speaker features).

Sparse block (:func:`sentence_terms`): word unigrams and bigrams, TF-IDF
weighted over the model's vocabulary; the model's ``config.json`` says which
words (``"terms"``: ``regex``, the tokens of scikit-learn's default tokenizer,
for the shipped model; ``lower`` or ``lemma``).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np

from .cues import Cues, Features, features_from_span, load_cues
from .tfidf import ngrams

if TYPE_CHECKING:
    from spacy.tokens import Span

POS_TAGS: tuple[str, ...] = (
    "CC",
    "CD",
    "DT",
    "EX",
    "FW",
    "IN",
    "JJ",
    "JJR",
    "JJS",
    "MD",
    "NN",
    "NNP",
    "NNPS",
    "NNS",
    "PDT",
    "POS",
    "PRP",
    "PRP$",
    "RB",
    "RBR",
    "RBS",
    "RP",
    "TO",
    "UH",
    "VB",
    "VBD",
    "VBG",
    "VBN",
    "VBP",
    "VBZ",
    "WDT",
    "WP",
    "WP$",
    "WRB",
)
ENT_LABELS: tuple[str, ...] = (
    "CARDINAL",
    "DATE",
    "EVENT",
    "FAC",
    "GPE",
    "LANGUAGE",
    "LAW",
    "LOC",
    "MONEY",
    "NORP",
    "ORDINAL",
    "ORG",
    "PERCENT",
    "PERSON",
    "PRODUCT",
    "QUANTITY",
    "TIME",
    "WORK_OF_ART",
)
CB_CAP = 3
VEC_DIM = 96


#: The names of the ClaimBuster-style counts, in order.
CB_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Features))


def dense_names(context: bool, t2v: bool = True) -> list[str]:
    """Names of the dense features, in order (``t2v``: with the sentence's tok2vec mean)."""
    names = [f"cb:{n}" for n in CB_NAMES] + ["log_len"]
    names += [f"pos:{t}" for t in POS_TAGS] + [f"ent:{e}" for e in ENT_LABELS]
    if t2v:
        names += [f"t2v:{i}" for i in range(VEC_DIM)]
    if context:
        names += [f"prev_t2v:{i}" for i in range(VEC_DIM)] + [f"next_t2v:{i}" for i in range(VEC_DIM)]
    return names


def sentence_vector(span: Span) -> np.ndarray:
    """Unit-length mean tok2vec vector of a span (zeros when the Doc has no tensor)."""
    t = span.doc.tensor
    if t is None or not t.size:
        return np.zeros(VEC_DIM, np.float32)
    v = np.asarray(t[span.start : span.end], np.float32).mean(axis=0)
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


TERM_MODES = ("lower", "lemma", "regex")


def sentence_terms(span: Span, mode: str = "lower") -> Counter[str]:
    """Unigrams and bigrams of the span's words (punctuation and spaces dropped):
    lower-cased forms (``mode="lower"``), lemmas with numbers as ``<num>`` (``"lemma"``), or
    the lower-cased text's runs of 2+ word characters, as scikit-learn's default tokenizer
    (``"regex"``: the baseline's tokens)."""
    if mode == "regex":
        return ngrams(span.text)
    seq = []
    for tok in span:
        if tok.is_punct or tok.is_space:
            continue
        if mode == "lemma":
            seq.append("<num>" if tok.like_num else tok.lemma_.lower())
        else:
            seq.append(tok.lower_)
    terms = Counter(seq)
    terms.update(f"{a} {b}" for a, b in itertools.pairwise(seq))
    return terms


def doc_entities(spans: Sequence[Span]) -> list[list[Span]]:
    """The entities inside each span, reading each Doc's entities once (``span.ents`` rescans them)."""
    out: list[list[Span]] = []
    cache: dict[int, tuple[list[Span], list[int]]] = {}
    for sp in spans:
        doc = sp.doc
        if id(doc) not in cache:
            ents = list(doc.ents)
            cache[id(doc)] = (ents, [e.start for e in ents])
        ents, starts = cache[id(doc)]
        lo, hi = bisect.bisect_left(starts, sp.start), bisect.bisect_left(starts, sp.end)
        out.append([e for e in ents[lo:hi] if e.end <= sp.end])
    return out


def base_features(
    span: Span, cues: Cues | None = None, ents: Sequence[Span] | None = None, vector: bool = True, counts: Features | None = None
) -> np.ndarray:
    """The sentence's own dense features (everything but context).

    ``ents``: the entities inside the span, when the caller has them (:func:`doc_entities`);
    ``vector=False`` leaves the tok2vec block at zeros (for models that do not use it);
    ``counts``: the span's :func:`features_from_span`, when the caller has them.
    """
    ent_list = list(span.ents) if ents is None else list(ents)
    cb = counts if counts is not None else features_from_span(span, cues or load_cues(), ent_list)
    vals = [float(min(int(getattr(cb, n)), CB_CAP)) for n in CB_NAMES]
    tags = Counter(tok.tag_ for tok in span if not tok.is_space)
    n = max(sum(tags.values()), 1)
    ents_c = Counter(e.label_ for e in ent_list)
    out = [*vals, math.log1p(cb.n_tokens)]
    out += [tags.get(t, 0) / n for t in POS_TAGS]
    out += [float(min(ents_c.get(e, 0), CB_CAP)) for e in ENT_LABELS]
    vec = sentence_vector(span) if vector else np.zeros(VEC_DIM, np.float32)
    return np.concatenate([np.asarray(out, np.float32), vec])


def with_context(base: Sequence[np.ndarray], context: bool, t2v: bool = True) -> np.ndarray:
    """Stack per-sentence features of one document in order, adding neighbours' vectors."""
    X = np.stack(base) if len(base) else np.zeros((0, len(dense_names(False))), np.float32)
    vecs = X[:, -VEC_DIM:]
    if not t2v:
        X = X[:, :-VEC_DIM]
    if not context:
        return X
    zero = np.zeros((1, VEC_DIM), np.float32)
    prev = np.concatenate([zero, vecs[:-1]]) if len(vecs) else vecs
    nxt = np.concatenate([vecs[1:], zero]) if len(vecs) else vecs
    return np.concatenate([X, prev, nxt], axis=1)
