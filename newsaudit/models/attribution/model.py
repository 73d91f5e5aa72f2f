"""The attribution model: load, save, and ``predict(doc)``.

A model folder holds three files, none of them pickled:

* ``weights.npz``: the networks' arrays (float16 on disk, float32 in memory),
  read with ``allow_pickle=False``;
* ``vocab.json``: the categorical vocabularies and the window size;
* ``config.json``: decoding settings (cue threshold, ...), the training
  configuration and the training data's provenance.

Inference is numpy over spaCy's parse; torch and scikit-learn are never
imported here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy
from spacy.tokens import Doc

from ...errors import ModelFileError
from ...text.spans import IntervalIndex
from ..blas import single_thread_blas
from ..folder import CONFIG_FILE, read_config, savez_compressed
from .decode import DecodeConfig, assemble
from .features import (
    CUE_COLUMNS,
    PAIR_COLUMNS,
    TOKEN_COLUMNS,
    AttributionVocab,
    DocFeatures,
    child_dep_bag,
    cue_inputs,
    token_cats,
    windows_inputs,
)
from .nn import (
    ROW_CHUNK,
    bilstm,
    cue_hidden,
    cue_output,
    cue_part,
    tag_hidden,
    tag_output,
    token_part,
    viterbi_batch,
)
from .types import AttributionCandidate

WEIGHTS, VOCAB, CONFIG = "weights.npz", "vocab.json", CONFIG_FILE
#: log P("O") above which a window token lies outside the stretch the decoder searches (P >= 0.98).
ACTIVE_O = float(numpy.log(0.98))
#: Cue windows tagged together (a normal article has a few dozen; a 5 MB text tens of thousands).
WINDOW_CHUNK = 256
FORMAT_VERSION = 1


@dataclass
class ModelInfo:
    """What ``config.json`` records besides the decoding settings."""

    format_version: int = FORMAT_VERSION
    #: the training settings (JSON)
    train: dict[str, Any] = field(default_factory=dict)
    #: the training data: its folder name, articles, annotations
    data: dict[str, int | str] = field(default_factory=dict)


#: The nested-cue threshold of :meth:`AttributionModel.predict` (the decoding threshold is 0.4): chosen
#: on the seed article and the precision cases, not on PolNeAR dev (whose score it barely moves).
NESTED_CUE_THRESHOLD = 0.15


def nested_cues(analysis: Analysis, found: list[AttributionCandidate], low: float, high: float) -> list[int]:
    """Token indices of verbs with a nominal subject, cue probability in [low, high), inside a found content."""
    doc = analysis.features.doc
    # one bisection per verb, not a scan of every content (a 5 MB text has thousands)
    contents = IntervalIndex([c.content for c in found], key=lambda c: c)
    out = []
    for k in numpy.flatnonzero((analysis.probs >= low) & (analysis.probs < high)).tolist():
        tok = doc[k]
        if tok.pos_ != "VERB" or not any(ch.dep_ == "nsubj" and ch.pos_ in ("NOUN", "PROPN") for ch in tok.children):
            continue
        if contents.covers(tok.idx):
            out.append(k)
    return out


@dataclass
class Analysis:
    """What :meth:`AttributionModel.analyse` computed for one doc."""

    features: DocFeatures
    probs: numpy.ndarray
    cues: list[int]
    tagged: list[tuple[int, numpy.ndarray]]


class AttributionModel:
    """Cue classifier + window role tagger (see :mod:`.nn`) with its vocabularies."""

    def __init__(
        self, vocab: AttributionVocab, params: dict[str, numpy.ndarray], decode: DecodeConfig | None = None, info: ModelInfo | None = None
    ) -> None:
        self.vocab = vocab
        self.params = {k: numpy.asarray(v, dtype=numpy.float32) for k, v in params.items()}
        self.decode = decode or DecodeConfig()
        self.info = info or ModelInfo()
        self._check()

    def _check(self) -> None:
        need = [
            "cue.dense",
            "cue.bag",
            "cue.b1",
            "cue.w2",
            "cue.b2",
            "cue.w3",
            "cue.b3",
            "tag.tok_dense",
            "tag.cue_dense",
            "tag.cue_lemma",
            "tag.b1",
            "tag.w2",
            "tag.b2",
            "tag.w3",
            "tag.b3",
            "tag.trans",
            "tag.start",
            "tag.end",
        ]
        need += [f"cue.tab.{c}" for c in CUE_COLUMNS] + [f"tag.tok.{c}" for c in TOKEN_COLUMNS]
        need += [f"tag.cue.{c}" for c in TOKEN_COLUMNS] + [f"tag.pair.{c}" for c in PAIR_COLUMNS]
        need += [f"{net}.lstm.{w}_{d}" for net in ("cue", "tag") for w in ("wih", "whh", "b") for d in ("f", "r")]
        missing = [k for k in need if k not in self.params]
        if missing:
            raise ModelFileError(f"model weights lack {', '.join(missing[:5])}")

    # ------------------------------------------------------------------ files

    def save(self, directory: str | Path) -> None:
        """Write the model folder (see the module docstring)."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        savez_compressed(out / WEIGHTS, {k: v.astype(numpy.float16) for k, v in sorted(self.params.items())})
        (out / VOCAB).write_text(self.vocab.to_json(), encoding="utf-8")
        config = {"decode": asdict(self.decode), **asdict(self.info)}
        (out / CONFIG).write_text(json.dumps(config, indent=1, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> AttributionModel:
        """Read a model folder written by :meth:`save`."""
        root = Path(directory)
        try:
            with numpy.load(root / WEIGHTS, allow_pickle=False) as arrays:
                params = {k: arrays[k].astype(numpy.float32) for k in arrays.files}
            vocab = AttributionVocab.from_json((root / VOCAB).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelFileError(f"cannot read attribution model at {root}: {exc}") from exc
        config = read_config(root)
        if config.get("format_version") != FORMAT_VERSION:
            raise ModelFileError(f"{root}: model format {config.get('format_version')!r}, expected {FORMAT_VERSION}")
        decode = DecodeConfig(**config.get("decode", {}))
        info = ModelInfo(format_version=FORMAT_VERSION, train=config.get("train", {}), data=config.get("data", {}))
        return cls(vocab, params, decode, info)

    # ------------------------------------------------------------------ inference

    def cue_probabilities(self, f: DocFeatures) -> numpy.ndarray:
        """P(cue head) per token; 0 for tokens that are not cue candidates (:attr:`DocFeatures.candidate`)."""
        return self.cue_probabilities_many([f])[0]

    def cue_probabilities_many(self, feats: list[DocFeatures]) -> list[numpy.ndarray]:
        """:meth:`cue_probabilities` of several docs; the sentences of all of them go through the BiLSTM
        together (each sentence's result is independent of the others)."""
        if len(feats) == 1 and feats[0].n > ROW_CHUNK:
            return [self._cue_probabilities_long(feats[0])]
        if any(f.n > ROW_CHUNK for f in feats):
            return [p for f in feats for p in self.cue_probabilities_many([f])]
        # the whole of every sentence goes through the BiLSTM, then candidates are read off
        hidden = [cue_hidden(self.params, CUE_COLUMNS, f.dense, child_dep_bag(f), cue_inputs(f)) for f in feats]
        lengths = numpy.concatenate([numpy.diff(f.sent_bounds) for f in feats])
        rows = numpy.concatenate(hidden)
        starts = numpy.r_[0, numpy.cumsum(lengths)[:-1]]
        owner = numpy.repeat(numpy.arange(len(lengths)), lengths)
        pos = numpy.arange(len(rows)) - numpy.repeat(starts, lengths)
        states = bilstm(self.params, "cue.lstm.", rows, owner, pos, lengths)
        probs = cue_output(self.params, numpy.concatenate([rows, states], axis=1))
        bounds = numpy.cumsum([f.n for f in feats])[:-1]
        return [numpy.where(f.candidate, p, 0.0).astype(numpy.float32) for f, p in zip(feats, numpy.split(probs, bounds), strict=True)]

    def _cue_probabilities_long(self, f: DocFeatures) -> numpy.ndarray:
        """:meth:`cue_probabilities` of a long doc, whole sentences about :data:`.nn.ROW_CHUNK` tokens at a
        time: the hidden rows, LSTM states and their join of a 5 MB text never exist all at once."""
        probs = numpy.zeros(f.n, dtype=numpy.float32)
        bag, cats, bounds = child_dep_bag(f), cue_inputs(f), f.sent_bounds
        first = 0
        while first < len(bounds) - 1:
            last = max(first + 1, int(numpy.searchsorted(bounds, bounds[first] + ROW_CHUNK, side="right")) - 1)
            lo, hi = int(bounds[first]), int(bounds[last])
            lengths = numpy.diff(bounds[first : last + 1])
            rows = cue_hidden(self.params, CUE_COLUMNS, f.dense[lo:hi], bag[lo:hi], cats[lo:hi])
            owner = numpy.repeat(numpy.arange(len(lengths)), lengths)
            pos = numpy.arange(hi - lo) - numpy.repeat(bounds[first:last] - lo, lengths)
            states = bilstm(self.params, "cue.lstm.", rows, owner, pos, lengths)
            probs[lo:hi] = cue_output(self.params, numpy.concatenate([rows, states], axis=1))
            first = last
        return numpy.where(f.candidate, probs, 0.0).astype(numpy.float32)

    def tag_windows_many(self, items: list[tuple[DocFeatures, int]]) -> list[tuple[int, numpy.ndarray]]:
        """(window start, tags) for each (doc, cue token), in order; the windows, of one doc or of several,
        go through the network together, at most :data:`WINDOW_CHUNK` at a time (each window's result is
        independent of the others), so memory stays bounded on a very long document."""
        out: list[tuple[int, numpy.ndarray]] = []
        for k in range(0, len(items), WINDOW_CHUNK):
            out += self._tag_chunk(items[k : k + WINDOW_CHUNK])
        return out

    def _doc_rows(self, f: DocFeatures, cues: list[int], windows: list[tuple[int, int]]) -> numpy.ndarray:
        """The tagger's first layer for the window rows of one doc's cues."""
        cats = token_cats(f)
        idx = numpy.array(cues, dtype=numpy.int64)
        cue = cue_part(self.params, TOKEN_COLUMNS, f.dense[idx], cats[idx], f.cue_lemma[idx])
        lengths = numpy.array([e - s for s, e in windows], dtype=numpy.int64)
        rows = numpy.concatenate([numpy.arange(s, e) for s, e in windows])
        owner = numpy.repeat(numpy.arange(len(cues)), lengths)
        # the token half once per distinct token, then gathered per window row
        used = numpy.unique(rows)
        tok = numpy.zeros((f.n, cue.shape[1]), dtype=numpy.float32)
        tok[used] = token_part(self.params, TOKEN_COLUMNS, f.dense[used], cats[used])
        pairs = windows_inputs(f, cues, windows)
        return tag_hidden(self.params, PAIR_COLUMNS, tok[rows], cue[owner], pairs)

    def _tag_chunk(self, items: list[tuple[DocFeatures, int]]) -> list[tuple[int, numpy.ndarray]]:
        if not items:
            return []
        windows = [f.window(c) for f, c in items]
        parts = []
        k = 0
        while k < len(items):  # the items of one doc are consecutive
            f = items[k][0]
            j = k
            while j < len(items) and items[j][0] is f:
                j += 1
            parts.append(self._doc_rows(f, [c for _, c in items[k:j]], windows[k:j]))
            k = j
        n_win = len(items)
        lengths = numpy.array([e - s for s, e in windows], dtype=numpy.int64)
        owner = numpy.repeat(numpy.arange(n_win), lengths)
        offsets = numpy.r_[0, numpy.cumsum(lengths)[:-1]]
        pos = numpy.arange(int(lengths.sum())) - numpy.repeat(offsets, lengths)
        hidden = numpy.concatenate(parts)
        states = bilstm(self.params, "tag.lstm.", hidden, owner, pos, lengths)
        flat = tag_output(self.params, numpy.concatenate([hidden, states], axis=1))
        # Viterbi runs only over the stretch of each window where some role is not unlikely: outside it
        # every token is "O" with probability >= ACTIVE_O, and the decoder would choose "O" there anyway.
        active = flat[:, 0] < ACTIVE_O
        last = numpy.full(n_win, -1, dtype=numpy.int64)
        hit = numpy.flatnonzero(active)
        numpy.maximum.at(last, owner[hit], pos[hit])
        first_pos = numpy.where(active, pos, numpy.iinfo(numpy.int64).max)
        mins = numpy.full(n_win, numpy.iinfo(numpy.int64).max, dtype=numpy.int64)
        numpy.minimum.at(mins, owner, first_pos)
        first = numpy.where(last >= 0, mins, 0)
        span = numpy.where(last >= 0, last - first + 1, 0)
        out = []
        if span.max() > 0:
            emis = numpy.zeros((n_win, int(span.max()), flat.shape[1]), dtype=numpy.float32)
            inside = (pos >= first[owner]) & (pos <= last[owner])
            emis[owner[inside], pos[inside] - first[owner[inside]]] = flat[inside]
            tags = viterbi_batch(emis, span, self.params["tag.trans"], self.params["tag.start"], self.params["tag.end"])
        for k, (s, e) in enumerate(windows):
            full = numpy.zeros(e - s, dtype=numpy.int64)
            if span[k]:
                full[first[k] : first[k] + span[k]] = tags[k, : span[k]]
            out.append((s, full))
        return out

    def analyse(self, doc: Doc, threshold: float | None = None) -> Analysis:
        """Cue probabilities and tagged windows of every cue at or above ``threshold`` (default: the model's)."""
        return self.analyse_many([doc], threshold)[0]

    def analyse_many(self, docs: list[Doc], threshold: float | None = None) -> list[Analysis]:
        """:meth:`analyse` of several docs, their sentences and cue windows through the networks together."""
        feats = [DocFeatures(doc, self.vocab) for doc in docs]
        th = self.decode.cue_threshold if threshold is None else threshold
        probs = self.cue_probabilities_many(feats)
        cues = [numpy.flatnonzero(p >= th).tolist() for p in probs]
        tagged = self.tag_windows_many([(f, c) for f, cs in zip(feats, cues, strict=True) for c in cs])
        out = []
        at = 0
        for f, p, cs in zip(feats, probs, cues, strict=True):
            out.append(Analysis(f, p, cs, tagged[at : at + len(cs)]))
            at += len(cs)
        return out

    def decode_analysis(self, analysis: Analysis, decode: DecodeConfig | None = None) -> list[AttributionCandidate]:
        """Candidates from an :meth:`analyse` result under ``decode`` (default: the model's settings)."""
        decode = decode or self.decode
        keep = [k for k, c in enumerate(analysis.cues) if analysis.probs[c] >= decode.cue_threshold]
        cues = [analysis.cues[k] for k in keep]
        tagged = [analysis.tagged[k] for k in keep]
        return assemble(analysis.features.doc, analysis.features, cues, analysis.probs, tagged, decode)

    def predict(self, doc: Doc, nested_threshold: float | None = NESTED_CUE_THRESHOLD) -> list[AttributionCandidate]:
        """Attributions of a parsed doc (``doc.tensor`` set by the pipeline's tok2vec), in text order.

        ``nested_threshold``: a second, lower cue threshold for a verb with its own subject inside
        another attribution's content (``Tass reports: The ministry claimed that ...``), where the cue
        classifier is least sure and a relay chain needs the inner speaker (None: one threshold)."""
        return self.predict_many([doc], nested_threshold)[0]

    def predict_many(self, docs: list[Doc], nested_threshold: float | None = NESTED_CUE_THRESHOLD) -> list[list[AttributionCandidate]]:
        """:meth:`predict` of each doc; the docs go through the networks together (the same results, faster
        than one at a time: the BiLSTMs' time steps are shared by every sentence and window of the batch)."""
        out: list[list[AttributionCandidate]] = [[] for _ in docs]
        live = [k for k, doc in enumerate(docs) if len(doc)]
        if not live:
            return out
        with single_thread_blas():
            analyses = self.analyse_many([docs[k] for k in live])
            found = [self.decode_analysis(a) for a in analyses]
            extra = [
                nested_cues(a, f, nested_threshold, self.decode.cue_threshold) if nested_threshold is not None and f else []
                for a, f in zip(analyses, found, strict=True)
            ]
            tagged = self.tag_windows_many([(a.features, c) for a, cs in zip(analyses, extra, strict=True) for c in cs])
        at = 0
        for k, a, f, cs in zip(live, analyses, found, extra, strict=True):
            out[k] = f
            if not cs:
                continue
            inner = assemble(docs[k], a.features, cs, a.probs, tagged[at : at + len(cs)], self.decode)
            at += len(cs)
            taken = {c.cue for c in f}
            out[k] = sorted([*f, *(c for c in inner if c.cue not in taken)], key=lambda c: c.content)
        return out
