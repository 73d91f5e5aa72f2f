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

import contextlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy
from spacy.tokens import Doc

from ...errors import ModelFileError
from ..folder import CONFIG_FILE, read_config
from .decode import DecodeConfig, assemble
from .features import CUE_COLUMNS, PAIR_COLUMNS, TOKEN_COLUMNS, DocFeatures, Vocab, child_dep_bag, cue_inputs, token_cats, window_inputs
from .nn import bilstm, cue_hidden, cue_output, cue_part, cue_scores, tag_emissions, tag_hidden, tag_output, token_part, viterbi_batch
from .types import AttributionCandidate

WEIGHTS, VOCAB, CONFIG = "weights.npz", "vocab.json", CONFIG_FILE
#: log P("O") above which a window token lies outside the stretch the decoder searches (P >= 0.98).
ACTIVE_O = float(numpy.log(0.98))
#: Cue windows tagged together (a normal article has a few dozen; a 5 MB text tens of thousands).
WINDOW_CHUNK = 256
FORMAT_VERSION = 1


_blas_controller: Any = None


@contextlib.contextmanager
def single_thread_blas() -> Iterator[None]:
    """Run numpy's BLAS on one thread inside the block (threadpoolctl, when installed; else nothing).

    The model's matrices are small: a second BLAS thread saves nothing and, on a loaded
    machine, costs several times the work waiting for a core (measured: the model's matrix
    products took ~10x longer with OpenBLAS's default two threads under load)."""
    global _blas_controller
    try:
        if _blas_controller is None:
            from threadpoolctl import ThreadpoolController

            _blas_controller = ThreadpoolController()
        limiter = _blas_controller.limit(limits=1, user_api="blas")
    except ImportError:
        limiter = contextlib.nullcontext()
    with limiter:
        yield


@dataclass
class ModelInfo:
    """What ``config.json`` records besides the decoding settings."""

    format_version: int = FORMAT_VERSION
    train: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


#: The nested-cue threshold of :meth:`AttributionModel.predict` (the decoding threshold is 0.4): chosen
#: on the seed article and the precision cases, not on PolNeAR dev (whose score it barely moves).
NESTED_CUE_THRESHOLD = 0.15


def nested_cues(analysis: Analysis, found: list[AttributionCandidate], low: float, high: float) -> list[int]:
    """Token indices of verbs with a nominal subject, cue probability in [low, high), inside a found content."""
    doc = analysis.features.doc
    contents = [c.content for c in found]
    out = []
    for k in numpy.flatnonzero((analysis.probs >= low) & (analysis.probs < high)).tolist():
        tok = doc[k]
        if tok.pos_ != "VERB" or not any(ch.dep_ == "nsubj" and ch.pos_ in ("NOUN", "PROPN") for ch in tok.children):
            continue
        if any(s <= tok.idx < e for s, e in contents):
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
        self, vocab: Vocab, params: dict[str, numpy.ndarray], decode: DecodeConfig | None = None, info: ModelInfo | None = None
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
        missing = [k for k in need if k not in self.params]
        if missing:
            raise ModelFileError(f"model weights lack {', '.join(missing[:5])}")

    # ------------------------------------------------------------------ files

    def save(self, directory: str | Path) -> None:
        """Write the model folder (see the module docstring)."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        numpy.savez_compressed(out / WEIGHTS, **{k: v.astype(numpy.float16) for k, v in sorted(self.params.items())})
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
            vocab = Vocab.from_json((root / VOCAB).read_text(encoding="utf-8"))
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
        probs = numpy.zeros(f.n, dtype=numpy.float32)
        if "cue.lstm.wih_f" in self.params:
            # the whole of every sentence goes through the BiLSTM, then candidates are read off
            hidden = cue_hidden(self.params, CUE_COLUMNS, f.dense, child_dep_bag(f), cue_inputs(f))
            starts = f.sent_bounds[:-1]
            lengths = numpy.diff(f.sent_bounds)
            owner = numpy.repeat(numpy.arange(len(lengths)), lengths)
            pos = numpy.arange(f.n) - numpy.repeat(starts, lengths)
            states = bilstm(self.params, "cue.lstm.", hidden, owner, pos, lengths)
            probs = cue_output(self.params, numpy.concatenate([hidden, states], axis=1))
            return numpy.where(f.candidate, probs, 0.0).astype(numpy.float32)
        idx = numpy.flatnonzero(f.candidate)
        if len(idx):
            probs[idx] = cue_scores(self.params, CUE_COLUMNS, f.dense[idx], child_dep_bag(f)[idx], cue_inputs(f)[idx])
        return probs

    def tag_windows(self, f: DocFeatures, cues: list[int]) -> list[tuple[int, numpy.ndarray]]:
        """(window start, tags) for each cue token; the windows go through the network together, at most
        :data:`WINDOW_CHUNK` at a time (each window's result is independent of the others), so memory stays
        bounded on a very long document."""
        out: list[tuple[int, numpy.ndarray]] = []
        for k in range(0, len(cues), WINDOW_CHUNK):
            out += self._tag_chunk(f, cues[k : k + WINDOW_CHUNK])
        return out

    def _tag_chunk(self, f: DocFeatures, cues: list[int]) -> list[tuple[int, numpy.ndarray]]:
        if not cues:
            return []
        cats = token_cats(f)
        idx = numpy.array(cues, dtype=numpy.int64)
        cue = cue_part(self.params, TOKEN_COLUMNS, f.dense[idx], cats[idx], f.cue_lemma[idx])
        windows = [f.window(c) for c in cues]
        lengths = numpy.array([e - s for s, e in windows], dtype=numpy.int64)
        rows = numpy.concatenate([numpy.arange(s, e) for s, e in windows])
        owner = numpy.repeat(numpy.arange(len(cues)), lengths)
        # the token half once per distinct token, then gathered per window row
        used = numpy.unique(rows)
        tok = numpy.zeros((f.n, cue.shape[1]), dtype=numpy.float32)
        tok[used] = token_part(self.params, TOKEN_COLUMNS, f.dense[used], cats[used])
        pairs = numpy.concatenate([window_inputs(f, c, s, e) for c, (s, e) in zip(cues, windows, strict=True)])
        offsets = numpy.r_[0, numpy.cumsum(lengths)[:-1]]
        pos = numpy.arange(len(rows)) - numpy.repeat(offsets, lengths)
        if "tag.lstm.wih_f" in self.params:
            hidden = tag_hidden(self.params, PAIR_COLUMNS, tok[rows], cue[owner], pairs)
            states = bilstm(self.params, "tag.lstm.", hidden, owner, pos, lengths)
            flat = tag_output(self.params, numpy.concatenate([hidden, states], axis=1))
        else:
            flat = tag_emissions(self.params, PAIR_COLUMNS, tok[rows], cue[owner], pairs)
        # Viterbi runs only over the stretch of each window where some role is not unlikely: outside it
        # every token is "O" with probability >= ACTIVE_O, and the decoder would choose "O" there anyway.
        active = flat[:, 0] < ACTIVE_O
        first = numpy.full(len(cues), -1, dtype=numpy.int64)
        last = numpy.full(len(cues), -1, dtype=numpy.int64)
        hit = numpy.flatnonzero(active)
        numpy.maximum.at(last, owner[hit], pos[hit])
        first_pos = numpy.where(active, pos, numpy.iinfo(numpy.int64).max)
        mins = numpy.full(len(cues), numpy.iinfo(numpy.int64).max, dtype=numpy.int64)
        numpy.minimum.at(mins, owner, first_pos)
        first = numpy.where(last >= 0, mins, 0)
        span = numpy.where(last >= 0, last - first + 1, 0)
        out = []
        if span.max() > 0:
            emis = numpy.zeros((len(cues), int(span.max()), flat.shape[1]), dtype=numpy.float32)
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
        f = DocFeatures(doc, self.vocab)
        probs = self.cue_probabilities(f)
        th = self.decode.cue_threshold if threshold is None else threshold
        cues = numpy.flatnonzero(probs >= th).tolist()
        return Analysis(f, probs, cues, self.tag_windows(f, cues))

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
        if len(doc) == 0:
            return []
        with single_thread_blas():
            analysis = self.analyse(doc)
            found = self.decode_analysis(analysis)
            if nested_threshold is None or not found:
                return found
            extra = nested_cues(analysis, found, nested_threshold, self.decode.cue_threshold)
            if not extra:
                return found
            tagged = self.tag_windows(analysis.features, extra)
            inner = assemble(doc, analysis.features, extra, analysis.probs, tagged, self.decode)
            taken = {f.cue for f in found}
            return sorted([*found, *(c for c in inner if c.cue not in taken)], key=lambda c: c.content)
