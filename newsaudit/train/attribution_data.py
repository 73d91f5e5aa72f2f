"""Turning PolNeAR gold relations into training arrays (numpy only).

* **Cue targets.**  Per token, the share of the article's annotator views
  (weighted as :func:`.polnear.iter_training_views` says) that make the
  token the *head* of a cue: the cue token whose syntactic head lies outside
  the cue (a verb preferred), so "according to" -> "according", "told
  reporters" -> "told".
* **Tagger examples.**  One per gold relation with a cue: the cue head, the
  window around it (:meth:`DocFeatures.window`), the pair features and the BIO
  tags of content and source tokens (a token in both is tagged source).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc

from ..models.attribution.features import AttributionVocab, DocFeatures, WindowSpec, child_dep_bag, cue_inputs, token_cats, window_inputs
from ..models.attribution.nn import TAGS
from ..models.attribution.polnear import AnnotatedArticle, iter_training_views
from ..models.attribution.types import Pieces, Relation

B_C, I_C, B_S, I_S = (TAGS.index(t) for t in ("B-C", "I-C", "B-S", "I-S"))


def token_bounds(doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    starts = numpy.array([t.idx for t in doc], dtype=numpy.int64)
    ends = starts + numpy.array([len(t.text) for t in doc], dtype=numpy.int64)
    space = numpy.array([t.is_space for t in doc], dtype=bool)
    return starts, ends, space


def tokens_of(bounds: tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray], pieces: Pieces | None) -> numpy.ndarray:
    """Indices of the non-space tokens overlapping any piece."""
    starts, ends, space = bounds
    mask = numpy.zeros(len(starts), dtype=bool)
    for s, e in pieces or ():
        mask |= (starts < e) & (ends > s)
    return numpy.flatnonzero(mask & ~space)


def cue_head(doc: Doc, toks: numpy.ndarray) -> int | None:
    """The head token of a cue's tokens (see the module docstring); None when empty."""
    if len(toks) == 0:
        return None
    inside = set(toks.tolist())
    heads = [i for i in toks.tolist() if doc[i].head.i == i or doc[i].head.i not in inside]
    if not heads:
        heads = toks.tolist()
    verbs = [i for i in heads if doc[i].pos_ in ("VERB", "AUX")]
    return (verbs or heads)[0]


def build_vocab(
    nlp: Language,
    docs: Sequence[Doc],
    articles: Sequence[AnnotatedArticle],
    window: WindowSpec | None = None,
    max_lemmas: int = 5000,
    min_lemma: int = 3,
    min_cue: int = 2,
) -> AttributionVocab:
    """Label lists from the pipeline; lemmas and cue lemmas counted on the given training docs."""
    lemma_count: Counter[str] = Counter()
    cue_count: Counter[str] = Counter()
    for doc, article in zip(docs, articles, strict=True):
        lemma_count.update(t.lemma_ for t in doc if not t.is_space)
        bounds = token_bounds(doc)
        for _annotator, relations in article.annotations:
            for rel in relations:
                head = cue_head(doc, tokens_of(bounds, rel.cue))
                if head is not None:
                    cue_count[doc[head].lemma_] += 1
    lemmas = tuple(sorted(w for w, _ in lemma_count.most_common(max_lemmas) if lemma_count[w] >= min_lemma))
    cue_lemmas = tuple(sorted(w for w, n in cue_count.items() if n >= min_cue))

    def labels(name: str) -> tuple[str, ...]:
        pipe = nlp.get_pipe(name) if name in nlp.pipe_names else None
        return tuple(pipe.labels) if isinstance(pipe, Pipe) else ()

    return AttributionVocab(labels("tagger"), labels("parser"), labels("ner"), lemmas, cue_lemmas, window or WindowSpec())


@dataclass
class Encoded:
    """Training arrays over many docs (token arrays concatenated; examples index into them)."""

    dense: list[numpy.ndarray] = field(default_factory=list)
    bag: list[numpy.ndarray] = field(default_factory=list)
    cue_cats: list[numpy.ndarray] = field(default_factory=list)
    tok_cats: list[numpy.ndarray] = field(default_factory=list)
    cue_lemma: list[numpy.ndarray] = field(default_factory=list)
    cue_target: list[numpy.ndarray] = field(default_factory=list)
    candidate: list[numpy.ndarray] = field(default_factory=list)
    is_verb: list[numpy.ndarray] = field(default_factory=list)
    same_sent: list[numpy.ndarray] = field(default_factory=list)
    sent_starts: list[numpy.ndarray] = field(default_factory=list)
    doc_weight: list[float] = field(default_factory=list)
    #: per example: global cue index, global window start, window length, weight
    ex_cue: list[int] = field(default_factory=list)
    ex_start: list[int] = field(default_factory=list)
    ex_len: list[int] = field(default_factory=list)
    ex_weight: list[float] = field(default_factory=list)
    ex_pairs: list[numpy.ndarray] = field(default_factory=list)
    ex_tags: list[numpy.ndarray] = field(default_factory=list)
    offset: int = 0

    def finish(self) -> dict[str, numpy.ndarray]:
        """Concatenate into flat arrays (pairs and tags are flattened with ``ex_len``)."""
        return {
            "dense": numpy.concatenate(self.dense).astype(numpy.float32),
            "bag": numpy.concatenate(self.bag).astype(numpy.float32),
            "cue_cats": numpy.concatenate(self.cue_cats),
            "tok_cats": numpy.concatenate(self.tok_cats),
            "cue_lemma": numpy.concatenate(self.cue_lemma),
            "cue_target": numpy.concatenate(self.cue_target).astype(numpy.float32),
            "candidate": numpy.concatenate(self.candidate),
            "is_verb": numpy.concatenate(self.is_verb),
            "same_sent": numpy.concatenate(self.same_sent) if self.same_sent else numpy.zeros(0, dtype=bool),
            "sent_bounds": numpy.r_[numpy.concatenate(self.sent_starts), self.offset].astype(numpy.int64),
            "ex_cue": numpy.array(self.ex_cue, dtype=numpy.int64),
            "ex_start": numpy.array(self.ex_start, dtype=numpy.int64),
            "ex_len": numpy.array(self.ex_len, dtype=numpy.int64),
            "ex_weight": numpy.array(self.ex_weight, dtype=numpy.float32),
            "pairs": numpy.concatenate(self.ex_pairs) if self.ex_pairs else numpy.zeros((0, 9), dtype=numpy.int64),
            "tags": numpy.concatenate(self.ex_tags) if self.ex_tags else numpy.zeros(0, dtype=numpy.int64),
        }


def relation_tags(bounds: tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray], rel: Relation, start: int, end: int) -> numpy.ndarray:
    """BIO tags of window [start, end) for one gold relation."""
    role = numpy.zeros(end - start, dtype=numpy.int64)  # 0 none, 1 content, 2 source
    for kind, pieces in ((1, rel.content), (2, rel.source)):
        toks = tokens_of(bounds, pieces)
        toks = toks[(toks >= start) & (toks < end)]
        role[toks - start] = kind
    tags = numpy.zeros(end - start, dtype=numpy.int64)
    prev = 0
    for i, r in enumerate(role.tolist()):
        if r == 1:
            tags[i] = I_C if prev == 1 else B_C
        elif r == 2:
            tags[i] = I_S if prev == 2 else B_S
        prev = r
    return tags


def encode(
    docs: Sequence[Doc], articles: Sequence[AnnotatedArticle], vocab: AttributionVocab, policy: str = "all"
) -> dict[str, numpy.ndarray]:
    """Training arrays for the cue classifier and the role tagger (see the module docstring)."""
    enc = Encoded()
    views: dict[str, list[tuple[tuple[Relation, ...], float]]] = {}
    for article, relations, weight in iter_training_views(list(articles), policy):
        views.setdefault(article.name, []).append((relations, weight))
    for doc, article in zip(docs, articles, strict=True):
        f = DocFeatures(doc, vocab)
        bounds = token_bounds(doc)
        target = numpy.zeros(f.n, dtype=numpy.float32)
        for relations, weight in views[article.name]:
            heads_here: set[int] = set()
            for rel in relations:
                c = cue_head(doc, tokens_of(bounds, rel.cue))
                if c is None:
                    continue
                heads_here.add(c)
                start, end = f.window(c)
                enc.ex_cue.append(enc.offset + c)
                enc.ex_start.append(enc.offset + start)
                enc.ex_len.append(end - start)
                enc.ex_weight.append(weight)
                enc.ex_pairs.append(window_inputs(f, c, start, end))
                enc.ex_tags.append(relation_tags(bounds, rel, start, end))
                enc.same_sent.append(f.sent[start:end] == f.sent[c])
            for c in heads_here:
                target[c] += weight
        enc.dense.append(f.dense)
        enc.bag.append(child_dep_bag(f))
        enc.cue_cats.append(cue_inputs(f))
        enc.tok_cats.append(token_cats(f))
        enc.cue_lemma.append(f.cue_lemma)
        enc.cue_target.append(numpy.minimum(target, 1.0))
        enc.candidate.append(f.candidate)
        enc.sent_starts.append(f.sent_bounds[:-1] + enc.offset)
        enc.is_verb.append(f.is_verb)
        enc.offset += f.n
    return enc.finish()
