"""Features of the attribution model, computed with numpy from a spaCy parse.

The same code builds the training arrays and serves inference, so the two can
never drift apart.

* :class:`AttributionVocab` maps tags, dependency labels, entity types and lemmas to
  indices (0 = none or unknown); it is stored with the model as JSON.
* :class:`DocFeatures` holds one doc's per-token arrays: categorical ids,
  a dense block (``doc.tensor``, the 96-d tok2vec output, plus flags), the
  ancestor matrix of the dependency tree, sentence, paragraph and quote ids.
* :func:`cue_inputs` gives the cue classifier's categorical inputs per token.
* :func:`window_inputs` gives, for one cue token, the window of tokens the
  role tagger labels and the categorical relation of each to the cue
  (signed distance, sentence and paragraph offsets, the tree path through the
  lowest common ancestor, the quotation relation).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy
from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    IS_STOP,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .quotes import token_paragraphs, token_quotes

TENSOR_WIDTH = 96
#: Parts of speech that can head a cue (with the words in :data:`CUE_WORDS`); other tokens never do.
CUE_POS = ("VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADP")
CUE_WORDS = (":", "—", "reportedly")
QUOTE_CHARS = set('“”«»‘’"„')
#: Flags appended to doc.tensor in the dense block (see :func:`_flags`).
FLAG_NAMES = (
    "punct",
    "space",
    "title",
    "upper",
    "num",
    "stop",
    "sent_start",
    "para_start",
    "in_quote",
    "quote_mark",
    "colon",
    "has_nsubj",
    "has_ccomp",
    "has_dobj",
    "newline",
    "no_tensor",
)
DENSE_WIDTH = TENSOR_WIDTH + len(FLAG_NAMES)
#: Absolute-distance bucket edges; negative distances get their own buckets.
DIST_EDGES = numpy.array([0, 1, 2, 3, 5, 8, 13, 21, 36, 61])
N_DIST = 2 * len(DIST_EDGES)
SENT_RANGE = (-3, 5)
PARA_RANGE = (-2, 3)
MAX_UP, MAX_DOWN = 5, 7
#: Tree relation of a window token to the cue.
REL_TYPES = ("self", "descendant", "ancestor", "lca", "other_sentence")
#: Quote relation: none, same quote as the cue, a quote ending before the cue or
#: starting after it (each by gap buckets), a quote containing the cue's window token only.
QUOTE_GAP_EDGES = numpy.array([0, 2, 4, 7, 13])
N_QREL = 2 + 2 * len(QUOTE_GAP_EDGES)


@dataclass(frozen=True)
class WindowSpec:
    """How far around a cue the role tagger looks (sentences, then a token cap)."""

    sents_before: int = 2
    sents_after: int = 4
    max_before: int = 80
    max_after: int = 200


def _lookup(keys: numpy.ndarray, table: tuple[numpy.ndarray, numpy.ndarray]) -> numpy.ndarray:
    """Map uint64 string hashes to vocabulary indices (0 when absent)."""
    sorted_keys, values = table
    if len(sorted_keys) == 0:
        return numpy.zeros(len(keys), dtype=numpy.int64)
    pos = numpy.searchsorted(sorted_keys, keys)
    pos = numpy.minimum(pos, len(sorted_keys) - 1)
    return numpy.where(sorted_keys[pos] == keys, values[pos], 0)


def _table(strings: tuple[str, ...]) -> tuple[numpy.ndarray, numpy.ndarray]:
    keys = numpy.array([get_string_id(s) for s in strings], dtype=numpy.uint64)
    order = numpy.argsort(keys)
    return keys[order], (order + 1).astype(numpy.int64)


@dataclass(frozen=True)
class AttributionVocab:
    """Index maps for categorical features; index 0 is 'none or unknown'."""

    tags: tuple[str, ...]
    deps: tuple[str, ...]
    ents: tuple[str, ...]
    lemmas: tuple[str, ...]
    cue_lemmas: tuple[str, ...]
    window: WindowSpec = field(default_factory=WindowSpec)

    def sizes(self) -> dict[str, int]:
        return {
            "tag": len(self.tags) + 1,
            "dep": len(self.deps) + 1,
            "ent": len(self.ents) + 1,
            "lemma": len(self.lemmas) + 1,
            "cue_lemma": len(self.cue_lemmas) + 1,
        }

    @cached_property
    def tables(self) -> dict[str, tuple[numpy.ndarray, numpy.ndarray]]:
        return {
            "tag": _table(self.tags),
            "dep": _table(self.deps),
            "ent": _table(self.ents),
            "lemma": _table(self.lemmas),
            "cue_lemma": _table(self.cue_lemmas),
        }

    def to_json(self) -> str:
        data: dict[str, object] = {k: list(getattr(self, k)) for k in ("tags", "deps", "ents", "lemmas", "cue_lemmas")}
        data["window"] = self.window.__dict__
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> AttributionVocab:
        data = json.loads(text)
        return cls(
            tags=tuple(data["tags"]),
            deps=tuple(data["deps"]),
            ents=tuple(data["ents"]),
            lemmas=tuple(data["lemmas"]),
            cue_lemmas=tuple(data["cue_lemmas"]),
            window=WindowSpec(**data.get("window", {})),
        )


class DocFeatures:
    """Per-token arrays of one parsed doc (see the module docstring)."""

    def __init__(self, doc: Doc, vocab: AttributionVocab) -> None:
        self.doc = doc
        self.vocab = vocab
        n = len(doc)
        self.n = n
        arr = doc.to_array(
            [
                TAG,
                DEP,
                ENT_TYPE,
                LEMMA,
                HEAD,
                IS_PUNCT,
                IS_SPACE,
                IS_TITLE,
                IS_UPPER,
                LIKE_NUM,
                IS_STOP,
                SENT_START,
                POS,
                LOWER,
                ORTH,
                SPACY,
                IDX,
            ]
        )
        hashes = arr[:, :4].astype(numpy.uint64)
        tables = vocab.tables
        self.tag = _lookup(hashes[:, 0], tables["tag"])
        self.dep = _lookup(hashes[:, 1], tables["dep"])
        self.ent = _lookup(hashes[:, 2], tables["ent"])
        self.lemma = _lookup(hashes[:, 3], tables["lemma"])
        self.cue_lemma = _lookup(hashes[:, 3], tables["cue_lemma"])
        idx = numpy.arange(n)
        self.head = idx + arr[:, 4].astype(numpy.int64)
        # Token texts and the doc text without creating Token objects (each costs microseconds).
        strings = doc.vocab.strings
        orth = arr[:, 14].astype(numpy.uint64).tolist()
        known = {h: strings[h] for h in set(orth)}
        #: token texts
        self.texts = [known[h] for h in orth]
        starts = arr[:, 16].astype(numpy.int64).tolist()
        #: token start offsets
        self.starts = starts
        spaces = arr[:, 15].tolist()
        text = "".join(t + " " if sp else t for t, sp in zip(self.texts, spaces, strict=False))
        #: the doc's text, built once
        self.text = text
        qid, qbounds = token_quotes(starts, text)
        self.quote = numpy.array(qid, dtype=numpy.int64) if n else numpy.zeros(0, dtype=numpy.int64)
        self.quote_bounds = numpy.array(qbounds, dtype=numpy.int64).reshape(-1, 2)
        self.para = numpy.array(token_paragraphs(starts, text), dtype=numpy.int64) if n else numpy.zeros(0, dtype=numpy.int64)
        sent_start = arr[:, 11].astype(numpy.int64) == 1
        if n:
            sent_start[0] = True
        self.sent = numpy.cumsum(sent_start) - 1
        self.sent_bounds = numpy.flatnonzero(numpy.r_[sent_start, True])
        self.anc = self._ancestors()
        pos_ids = numpy.array([strings[p] for p in CUE_POS], dtype=numpy.uint64)
        words = numpy.array([get_string_id(w) for w in CUE_WORDS], dtype=numpy.uint64)
        self.is_verb = arr[:, 12].astype(numpy.uint64) == numpy.uint64(strings["VERB"])
        #: tokens the cue classifier scores (the others never head a cue)
        self.candidate = numpy.isin(arr[:, 12].astype(numpy.uint64), pos_ids) | numpy.isin(arr[:, 13].astype(numpy.uint64), words)
        self.dense = self._dense(doc, arr, sent_start)

    def _ancestors(self) -> numpy.ndarray:
        """(n, depth) token indices: each token, its head, its head's head, ... (int32: a long text's
        matrix is the largest array of its features)."""
        head = self.head.astype(numpy.int32)
        cols = [numpy.arange(self.n, dtype=numpy.int32)]
        for _ in range(40):
            nxt = head[cols[-1]]
            if numpy.array_equal(nxt, cols[-1]):
                break
            cols.append(nxt)
        return numpy.stack(cols, axis=1) if self.n else numpy.zeros((0, 1), dtype=numpy.int32)

    def _dense(self, doc: Doc, arr: numpy.ndarray, sent_start: numpy.ndarray) -> numpy.ndarray:
        n = self.n
        out = numpy.zeros((n, DENSE_WIDTH), dtype=numpy.float32)
        tensor = doc.tensor
        has_tensor = tensor is not None and getattr(tensor, "shape", (0,))[0] == n and n and tensor.shape[1] == TENSOR_WIDTH
        if has_tensor:
            out[:, :TENSOR_WIDTH] = tensor
        flags = out[:, TENSOR_WIDTH:]
        flags[:, 0:5] = arr[:, [5, 6, 7, 8, 9]]
        flags[:, 5] = arr[:, 10]
        flags[:, 6] = sent_start
        if n:
            flags[:, 7] = numpy.r_[True, self.para[1:] != self.para[:-1]]
        flags[:, 8] = self.quote >= 0
        texts = self.texts
        flags[:, 9] = [bool(s) and (s[0] in QUOTE_CHARS or s.startswith("''")) for s in texts]
        flags[:, 10] = [s in (":", "—", "–") for s in texts]
        deps = doc.vocab.strings
        child_dep = arr[:, 1].astype(numpy.uint64)
        nonroot = self.head != numpy.arange(n)
        for col, label in ((11, "nsubj"), (12, "ccomp"), (13, "dobj")):
            mask = nonroot & (child_dep == numpy.uint64(deps[label]))
            flags[self.head[mask], col] = 1.0
        flags[:, 14] = ["\n" in s for s in texts]
        flags[:, 15] = 0.0 if has_tensor else 1.0
        return out

    # ------------------------------------------------------------------ windows

    def window(self, c: int) -> tuple[int, int]:
        """Token range [start, end) the role tagger labels for cue token ``c``."""
        spec = self.vocab.window
        s = int(self.sent[c])
        n_sents = len(self.sent_bounds) - 1
        lo = int(self.sent_bounds[max(0, s - spec.sents_before)])
        hi = int(self.sent_bounds[min(n_sents, s + spec.sents_after + 1)])
        return max(lo, c - spec.max_before), min(hi, c + spec.max_after + 1)


def _bucket(values: numpy.ndarray, edges: numpy.ndarray) -> numpy.ndarray:
    return numpy.searchsorted(edges, values, side="right") - 1


def dist_bucket(d: numpy.ndarray) -> numpy.ndarray:
    """Signed token distance -> 0..N_DIST-1 (0 is distance 0)."""
    b = _bucket(numpy.abs(d), DIST_EDGES)
    return numpy.where(d < 0, len(DIST_EDGES) + b, b)


#: Names of the categorical columns :func:`window_inputs` returns, in order.
PAIR_COLUMNS = ("dist", "sent", "para", "rel", "c_side", "t_side", "up", "down", "qrel")


def pair_sizes(vocab: AttributionVocab) -> dict[str, int]:
    n_dep = vocab.sizes()["dep"]
    return {
        "dist": N_DIST,
        "sent": SENT_RANGE[1] - SENT_RANGE[0] + 1,
        "para": PARA_RANGE[1] - PARA_RANGE[0] + 1,
        "rel": len(REL_TYPES),
        "c_side": n_dep,
        "t_side": n_dep,
        "up": MAX_UP + 2,
        "down": MAX_DOWN + 2,
        "qrel": N_QREL,
    }


def window_inputs(f: DocFeatures, c: int, start: int, end: int) -> numpy.ndarray:
    """Categorical relation of each token in [start, end) to cue token ``c``: (end-start, len(PAIR_COLUMNS)) int64."""
    return windows_inputs(f, [c], [(start, end)])


#: Rows whose tree paths :func:`windows_inputs` computes together.
PAIR_BLOCK = 8192


def windows_inputs(f: DocFeatures, cues: list[int], windows: list[tuple[int, int]]) -> numpy.ndarray:
    """:func:`window_inputs` of several cue tokens of one doc, their windows' rows one after the other,
    computed for all the rows at once."""
    lengths = numpy.array([e - s for s, e in windows], dtype=numpy.int64)
    w = numpy.concatenate([numpy.arange(s, e) for s, e in windows]) if windows else numpy.zeros(0, dtype=numpy.int64)
    c = numpy.repeat(numpy.asarray(cues, dtype=numpy.int64), lengths)  # the cue of each row
    out = numpy.zeros((len(w), len(PAIR_COLUMNS)), dtype=numpy.int64)
    out[:, 0] = dist_bucket(w - c)
    out[:, 1] = numpy.clip(f.sent[w] - f.sent[c], *SENT_RANGE) - SENT_RANGE[0]
    out[:, 2] = numpy.clip(f.para[w] - f.para[c], *PARA_RANGE) - PARA_RANGE[0]
    # Tree path through the lowest common ancestor (same sentence only).
    same = f.sent[w] == f.sent[c]
    k_max = f.anc.shape[1]
    rel = numpy.full(len(w), REL_TYPES.index("other_sentence"))
    c_side = numpy.zeros(len(w), dtype=numpy.int64)
    t_side = numpy.zeros(len(w), dtype=numpy.int64)
    up = numpy.full(len(w), MAX_UP + 1)
    down = numpy.full(len(w), MAX_DOWN + 1)
    for lo in range(0, int(same.sum()), PAIR_BLOCK):
        # rows of the same sentence as their cue, PAIR_BLOCK at a time (the (rows, K, K) test stays small)
        idx = numpy.flatnonzero(same)[lo : lo + PAIR_BLOCK]
        anc_w = f.anc[w[idx]]
        anc_c = f.anc[c[idx]]
        rows = numpy.arange(len(idx))
        # k: the lowest level of the token's ancestors that is also an ancestor of the cue
        hit = (anc_w[:, :, None] == anc_c[:, None, :]).any(axis=2)
        found = hit.any(axis=1)
        k = hit.argmax(axis=1)
        lca = anc_w[rows, k]
        # the lowest level at which the cue reaches the lca (0 when it does not)
        c_up = (anc_c == lca[:, None]).argmax(axis=1)
        below_t = anc_w[rows, numpy.maximum(k - 1, 0)]
        below_c = anc_c[rows, numpy.clip(c_up - 1, 0, k_max - 1)]
        r = numpy.where((k == 0) & (c_up == 0), 0, numpy.where(c_up == 0, 1, numpy.where(k == 0, 2, 3)))
        r = numpy.where(found, r, REL_TYPES.index("other_sentence"))
        rel[idx] = r
        t_side[idx] = numpy.where(found & (k > 0), f.dep[below_t], 0)
        c_side[idx] = numpy.where(found & (c_up > 0), f.dep[below_c], 0)
        up[idx] = numpy.where(found, numpy.minimum(c_up, MAX_UP), MAX_UP + 1)
        down[idx] = numpy.where(found, numpy.minimum(k, MAX_DOWN), MAX_DOWN + 1)
    out[:, 3], out[:, 4], out[:, 5], out[:, 6], out[:, 7] = rel, c_side, t_side, up, down
    # Quote relation.
    qw = f.quote[w]
    qc = f.quote[c]
    qrel = numpy.zeros(len(w), dtype=numpy.int64)
    inq = qw >= 0
    if inq.any():
        qb = f.quote_bounds[numpy.maximum(qw, 0)]
        before = inq & (qb[:, 1] <= c)
        after = inq & (qb[:, 0] > c)
        nb = len(QUOTE_GAP_EDGES)
        qrel = numpy.where(before, 2 + _bucket(numpy.maximum(c - qb[:, 1], 0), QUOTE_GAP_EDGES), qrel)
        qrel = numpy.where(after, 2 + nb + _bucket(numpy.maximum(qb[:, 0] - c, 0), QUOTE_GAP_EDGES), qrel)
        qrel = numpy.where(inq & (qw == qc), 1, qrel)
    out[:, 8] = qrel
    return out


#: Names of the cue classifier's categorical columns (see :func:`cue_inputs`).
CUE_COLUMNS = (
    "tag",
    "dep",
    "ent",
    "lemma",
    "head_tag",
    "head_dep",
    "prev_lemma",
    "next_lemma",
    "prev_tag",
    "next_tag",
    "subj_tag",
    "subj_ent",
    "subj_lemma",
    "comp_dep",
    "comp_lemma",
    "quote_ctx",
)
#: Dependency labels of the child whose lemma and label the cue classifier reads ("is clear", "said that").
COMP_DEPS = ("ccomp", "xcomp", "acomp", "attr", "dobj", "prep", "agent")
#: Quote context of a token: none, a quotation ends within QUOTE_NEAR tokens before it, one starts
#: within QUOTE_NEAR tokens after it, both, or the token is inside a quotation.
N_QUOTE_CTX = 5
QUOTE_NEAR = 4


def cue_column_sizes(vocab: AttributionVocab) -> dict[str, int]:
    s = vocab.sizes()
    return {
        "tag": s["tag"],
        "dep": s["dep"],
        "ent": s["ent"],
        "lemma": s["lemma"],
        "head_tag": s["tag"],
        "head_dep": s["dep"],
        "prev_lemma": s["lemma"],
        "next_lemma": s["lemma"],
        "prev_tag": s["tag"],
        "next_tag": s["tag"],
        "subj_tag": s["tag"],
        "subj_ent": s["ent"],
        "subj_lemma": s["lemma"],
        "comp_dep": s["dep"],
        "comp_lemma": s["lemma"],
        "quote_ctx": N_QUOTE_CTX,
    }


def _child_of(f: DocFeatures, labels: tuple[str, ...], first: bool) -> numpy.ndarray:
    """Per token, the index of a child with one of ``labels`` (the first or last such child), or -1."""
    wanted = numpy.array([f.vocab.deps.index(x) + 1 for x in labels if x in f.vocab.deps], dtype=numpy.int64)
    out = numpy.full(f.n, -1, dtype=numpy.int64)
    kids = numpy.flatnonzero(numpy.isin(f.dep, wanted) & (f.head != numpy.arange(f.n)))
    if first:
        kids = kids[::-1]
    out[f.head[kids]] = kids  # later writes win: reversed order keeps the first child
    return out


def _quote_context(f: DocFeatures, subj: numpy.ndarray) -> numpy.ndarray:
    """See :data:`N_QUOTE_CTX`; "before" is measured from the start of the token's subject when it has one
    (“...,” the ministry said)."""
    ctx = numpy.zeros(f.n, dtype=numpy.int64)
    if len(f.quote_bounds) == 0:
        return ctx
    idx = numpy.arange(f.n)
    left = idx.copy()
    for i in numpy.flatnonzero((subj >= 0) & (subj < idx)).tolist():
        left[i] = f.doc[int(subj[i])].left_edge.i
    ends = numpy.sort(f.quote_bounds[:, 1])  # exclusive token ends
    starts = numpy.sort(f.quote_bounds[:, 0])
    # a quote ends in (i - QUOTE_NEAR, i]: some end e with i - QUOTE_NEAR < e <= i
    before = numpy.searchsorted(ends, left, side="right") > numpy.searchsorted(ends, left - QUOTE_NEAR, side="right")
    after = numpy.searchsorted(starts, idx + QUOTE_NEAR, side="right") > numpy.searchsorted(starts, idx, side="right")
    ctx = numpy.where(before & after, 3, numpy.where(before, 1, numpy.where(after, 2, 0)))
    return numpy.where(f.quote >= 0, 4, ctx)


def cue_inputs(f: DocFeatures) -> numpy.ndarray:
    """(n, len(CUE_COLUMNS)) categorical inputs of every token for the cue classifier."""
    n = f.n
    out = numpy.zeros((n, len(CUE_COLUMNS)), dtype=numpy.int64)
    if not n:
        return out
    prev = numpy.maximum(numpy.arange(n) - 1, 0)
    nxt = numpy.minimum(numpy.arange(n) + 1, n - 1)
    out[:, 0], out[:, 1], out[:, 2], out[:, 3] = f.tag, f.dep, f.ent, f.lemma
    out[:, 4], out[:, 5] = f.tag[f.head], f.dep[f.head]
    out[:, 6], out[:, 7] = f.lemma[prev], f.lemma[nxt]
    out[:, 8], out[:, 9] = f.tag[prev], f.tag[nxt]
    out[0, 6] = out[0, 8] = 0
    out[-1, 7] = out[-1, 9] = 0
    subj = _child_of(f, ("nsubj", "nsubjpass"), first=True)
    has = subj >= 0
    out[:, 10] = numpy.where(has, f.tag[subj], 0)
    out[:, 11] = numpy.where(has, f.ent[subj], 0)
    out[:, 12] = numpy.where(has, f.lemma[subj], 0)
    comp = _child_of(f, COMP_DEPS, first=True)
    has = comp >= 0
    out[:, 13] = numpy.where(has, f.dep[comp], 0)
    out[:, 14] = numpy.where(has, f.lemma[comp], 0)
    out[:, 15] = _quote_context(f, subj)
    return out


def child_dep_bag(f: DocFeatures) -> numpy.ndarray:
    """(n, dep vocabulary size) counts of each token's children by dependency label (clipped at 1)."""
    bag = numpy.zeros((f.n, f.vocab.sizes()["dep"]), dtype=numpy.float32)
    nonroot = f.head != numpy.arange(f.n)
    bag[f.head[nonroot], f.dep[nonroot]] = 1.0
    return bag


#: Names of the role tagger's per-token categorical columns (see :func:`token_cats`).
TOKEN_COLUMNS = ("tag", "dep", "ent", "lemma")


def token_cats(f: DocFeatures) -> numpy.ndarray:
    return numpy.stack([f.tag, f.dep, f.ent, f.lemma], axis=1) if f.n else numpy.zeros((0, 4), dtype=numpy.int64)
