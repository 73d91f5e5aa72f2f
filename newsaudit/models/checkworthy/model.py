"""Check-worthiness scorer trained on CLEF 2019 CheckThat! Task 1, numpy inference.

>>> model = CheckworthyModel.load(model_dir)                       # doctest: +SKIP
>>> model.score_sentences(list(doc.sents))                          # doctest: +SKIP
[CwScore(score=0.031, reasons=('word "percent" (+0.52)', ...)), ...]

Three linear models, their logits added after standardisation (equal weights):

* the main part: a logistic regression (exported to a :class:`NumpyNet` with no
  hidden layer) over the dense features of :mod:`.features` and TF-IDF word
  1-2-grams;
* the TF-IDF part (:class:`.tfidf.TfidfLR`, the CLEF baseline): word 1-2-gram
  TF-IDF logistic regression;
* the word-piece part (:class:`.pieces.PieceLR`): a logistic regression over
  the sentence's mean static all-MiniLM-L6-v2 word-piece vector (numpy only).

The score is ``z_main + z_tfidf + z_pieces``, each ``z = (logit - mean) / std`` with the
mean and std of that part's logits on its training sentences (in-sample), then
mapped to a probability by a logistic fit on the training sentences
(``config["combo"]["calibration"]``: ``sigmoid(a * score + b)``).  Every score
splits exactly into per-feature contributions, each scaled by its part's std:
the ``reasons`` are the largest positive ones (a word of several parts sums its
shares; a count relative to its absence, length relative to an average
training sentence).

A model folder holds ``config.json`` (which features: ``dense_names``, ``terms``,
``t2v``, ``context``, ``smoothing``; ``combo``: the standardisation pairs and
the calibration), ``vocab.tsv`` and ``net.npz``/``net.json`` (the main part),
``tfidf_vocab.tsv`` and ``tfidf.npz`` (the TF-IDF part), ``pieces.npz`` (the
word-piece part).  A folder without ``combo`` is the main part alone, and a
``combo`` without ``pieces`` the first two parts (earlier recipes).  Loading follows the
config, so a retrained folder replaces the shipped one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import ModelFileError
from ..folder import NET_NAME, VOCAB_FILE, read_config, write_config
from ..numpy_net import NumpyNet, sigmoid
from ..vocab import Vocab
from .cues import Features, features_from_span, load_cues
from .features import base_features, dense_names, doc_entities, sentence_terms, with_context
from .pieces import PieceLR
from .tfidf import TfidfLR

if TYPE_CHECKING:
    from spacy.tokens import Span

_CB_TEXT = {
    "cb:n_tokens": "sentence length",
    "log_len": "sentence length",
    "cb:numbers": "contains a number or quantity",
    "cb:dates": "contains a date or time",
    "cb:entities": "names people, organisations or places",
    "cb:event_verb": "reports an event (past or perfect content verb)",
    "cb:comparatives": "makes a comparison",
    "cb:causal": "asserts a cause or consequence",
    "cb:first_person_opinion": "first/second-person opinion",
    "cb:opinion_words": "opinion words",
    "cb:hedges": "hedged",
    "cb:question": "is a question",
}


_TAG_TEXT = {
    "CD": "numbers",
    "JJR": "comparatives",
    "JJS": "superlatives",
    "RBR": "comparatives",
    "RBS": "superlatives",
    "VBD": "past-tense verbs",
    "VBN": "past participles",
    "VBZ": "present-tense verbs",
    "VBP": "present-tense verbs",
    "NNS": "plural nouns",
    "NN": "nouns",
    "NNP": "proper names",
    "NNPS": "proper names",
    "MD": "modal verbs",
    "PRP": "personal pronouns",
    "PRP$": "possessive pronouns",
    "IN": "prepositions",
    "DT": "determiners",
    "RB": "adverbs",
    "JJ": "adjectives",
    "UH": "interjections",
    "WP": "wh-words",
    "WRB": "wh-words",
}
_ENT_TEXT = {
    "CARDINAL": "a number",
    "MONEY": "an amount of money",
    "PERCENT": "a percentage",
    "QUANTITY": "a quantity",
    "ORDINAL": "an ordinal",
    "DATE": "a date",
    "TIME": "a time",
    "PERSON": "a person",
    "ORG": "an organisation",
    "GPE": "a country or city",
    "NORP": "a nationality or group",
    "LOC": "a place",
    "FAC": "a building or site",
    "EVENT": "an event",
    "LAW": "a law",
    "PRODUCT": "a product",
    "WORK_OF_ART": "a work",
    "LANGUAGE": "a language",
}
#: dense features whose contribution is read against the average sentence (others: against absence)
_CENTRED = frozenset({"log_len", "cb:n_tokens"})


def reason_group(name: str) -> str:
    """The human label a dense feature's contribution is reported under."""
    if name in _CB_TEXT:
        return _CB_TEXT[name]
    if name.startswith("t2v:"):
        return "wording of the sentence (tok2vec)"
    if name.startswith(("prev_t2v:", "next_t2v:")):
        return "neighbouring sentences (tok2vec)"
    if name.startswith("pos:"):
        return _TAG_TEXT.get(name[4:], f"part of speech {name[4:]}")
    if name.startswith("ent:"):
        return f"names {_ENT_TEXT.get(name[4:], name[4:])}"
    return name


def smooth(z: np.ndarray, beta: float) -> np.ndarray:
    """Add ``beta`` times the mean logit of each sentence's neighbours (one before, one after)."""
    if beta == 0 or len(z) < 2:
        return z
    pad = np.concatenate([[z[1]], z, [z[-2]]])
    return z + beta * 0.5 * (pad[:-2] + pad[2:])


@dataclass(frozen=True)
class CwScore:
    """A sentence's check-worthiness (the model's probability) and its reasons."""

    score: float
    reasons: tuple[str, ...]
    #: the sentence's ClaimBuster-style counts (length, question, ...)
    counts: Features | None = None


@dataclass(frozen=True)
class _DenseGroups:
    """The dense features' reason labels, computed once per model (see :meth:`CheckworthyModel.contributions`)."""

    #: each dense feature's contribution when the sentence lacks every feature
    absent: np.ndarray
    #: the reason labels, in first-seen order, and each feature's index into them
    names: list[str]
    ids: np.ndarray
    #: the features read against the average sentence (length, tok2vec), not against absence
    always: np.ndarray


@dataclass
class CheckworthyModel:
    """The scorer; see the module docstring."""

    vocab: Vocab
    net: NumpyNet
    config: dict[str, Any]
    #: the TF-IDF part (None: the main part alone)
    tfidf: TfidfLR | None = None
    #: the word-piece part (None: without it)
    pieces: PieceLR | None = None
    _inv: dict[int, str] | None = None
    _groups: _DenseGroups | None = None

    @property
    def context(self) -> bool:
        return bool(self.config.get("context", False))

    @property
    def t2v(self) -> bool:
        return bool(self.config.get("t2v", True))

    @classmethod
    def load(cls, directory: str | Path) -> CheckworthyModel:
        d = Path(directory)
        config = read_config(d)
        vocab = Vocab.load(d / VOCAB_FILE)
        tfidf = TfidfLR.load(d) if "combo" in config else None
        pieces = PieceLR.load(d) if tfidf is not None and "pieces" in config["combo"] else None
        model = cls(vocab, NumpyNet.load(d, NET_NAME), config, tfidf, pieces)
        if config.get("dense_names") != dense_names(model.context, model.t2v):
            raise ModelFileError(f"{d}: the check-worthiness model was trained with other features than this code computes")
        if tfidf is not None:
            model._check_combo(d)
        return model

    def _check_combo(self, d: Path) -> None:
        combo = self.config["combo"]
        parts = self._parts()
        try:
            values = [float(v) for k in (*parts, "calibration") for v in combo[k]]
        except (TypeError, KeyError, ValueError) as exc:
            raise ModelFileError(f"{d}: config.json: bad 'combo' entry: {exc}") from exc
        stds = values[1 : 2 * len(parts) : 2]
        if len(values) != 2 * len(parts) + 2 or not all(np.isfinite(values)) or min(stds) <= 0:
            raise ModelFileError(f"{d}: config.json: 'combo' needs {', '.join(parts)} [mean, std > 0] and calibration [a, b]")

    def _parts(self) -> tuple[str, ...]:
        return ("main", "tfidf", "pieces") if self.pieces is not None else ("main", "tfidf")

    def save(self, directory: str | Path, vocab_header: list[str], tfidf_header: list[str] | None = None) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.net.save(d, NET_NAME)
        self.vocab.save(d / VOCAB_FILE, vocab_header)
        if self.tfidf is not None:
            self.tfidf.save(d, tfidf_header or vocab_header)
        if self.pieces is not None:
            self.pieces.save(d)
        write_config(d, self.config)

    def _z(self, part: str) -> tuple[float, float]:
        mean, std = self.config["combo"][part]
        return float(mean), float(std)

    def combine(self, main: np.ndarray, tfidf: np.ndarray | None, pieces: np.ndarray | None = None) -> np.ndarray:
        """The score: the sum of each part's ``z(logit)`` (the main logit alone without a TF-IDF part)."""
        if self.tfidf is None or tfidf is None:
            return main
        score = np.zeros(len(main))
        for part, logit in zip(self._parts(), (main, tfidf, pieces), strict=False):
            if logit is not None:
                mean, std = self._z(part)
                score = score + (logit - mean) / std
        return score

    def part_logits(self, texts: Sequence[str]) -> tuple[np.ndarray | None, np.ndarray | None]:
        """The TF-IDF and word-piece parts' logits of the texts (None for a part the model lacks)."""
        tf = self.tfidf.logits(texts) if self.tfidf is not None else None
        return tf, (self.pieces.logits(texts) if self.pieces is not None else None)

    def to_probability(self, score: np.ndarray) -> np.ndarray:
        """The score as a probability (the calibration fitted on the training sentences)."""
        if self.tfidf is None:
            return sigmoid(score)
        a, b = (float(v) for v in self.config["combo"]["calibration"])
        return sigmoid(a * score + b)

    def scores(self, spans: Sequence[Span], X: np.ndarray | None = None,
               rows: Sequence[tuple[list[int], list[float]]] | None = None) -> np.ndarray:
        """Uncalibrated scores (the combined standardised logits) of consecutive sentences of one document."""
        if X is None or rows is None:
            X, rows = self.inputs(spans)
        main = smooth(self.logits(X, rows), float(self.config.get("smoothing", 0.0)))
        return self.combine(main, *self.part_logits([s.text for s in spans]))

    def counts(self, spans: Sequence[Span]) -> list[Features]:
        """The ClaimBuster-style counts of each span (:func:`.cues.features_from_span`)."""
        cues = load_cues()
        return [features_from_span(s, cues, e) for s, e in zip(spans, doc_entities(spans), strict=True)]

    def inputs(
        self, spans: Sequence[Span], counts: Sequence[Features] | None = None
    ) -> tuple[np.ndarray, list[tuple[list[int], list[float]]]]:
        """Dense matrix and term rows of consecutive sentences of one document."""
        vector = self.t2v or self.context
        ents = doc_entities(spans)
        if counts is None:
            cues = load_cues()
            counts = [features_from_span(s, cues, e) for s, e in zip(spans, ents, strict=True)]
        X = with_context(
            [base_features(s, ents=e, vector=vector, counts=c) for s, e, c in zip(spans, ents, counts, strict=True)],
            self.context,
            self.t2v,
        )
        mode = self.config.get("terms", "lower")
        rows = [self.vocab.bow(self.vocab.tfidf(sentence_terms(s, mode), known_only=True)) for s in spans]
        return X, rows

    def logits(self, X: np.ndarray, rows: Sequence[tuple[list[int], list[float]]]) -> np.ndarray:
        return self.net.logits(X, [rows])[:, 0]

    def probabilities(self, spans: Sequence[Span]) -> np.ndarray:
        """Unrounded scores of consecutive sentences of one document (for rankings)."""
        if not spans:
            return np.zeros(0)
        return self.to_probability(self.scores(spans))

    def score_sentences(
        self, spans: Sequence[Span], n_reasons: int = 3, explain: Callable[[int, float, Features], bool] | None = None
    ) -> list[CwScore]:
        """Scores of consecutive sentences of one document (neighbours give the context), with reasons;
        ``explain(i, score, counts)``: whether sentence ``i`` needs its reasons (default: all do)."""
        if not spans:
            return []
        counts = self.counts(spans)
        X, rows = self.inputs(spans, counts)
        probs = self.to_probability(self.scores(spans, X, rows))
        out = []
        for i, (p, x, r, c) in enumerate(zip(probs, X, rows, counts, strict=True)):
            score = round(float(p), 4)
            need = explain is None or explain(i, score, c)
            reasons = self.reasons(x, r, n_reasons, spans[i].text) if need else ()
            out.append(CwScore(score, reasons, c))
        return out

    def score(self, span: Span) -> CwScore:
        """Score of one sentence; its neighbours in the Doc give the context."""
        doc = span.doc
        if self.context and doc.has_annotation("SENT_START"):
            sents = list(doc.sents)
            i = next((k for k, s in enumerate(sents) if s.start <= span.start < s.end), None)
            if i is not None:
                window = [s for s in sents[max(i - 1, 0) : i + 2]]
                window[window.index(sents[i])] = span
                return self.score_sentences(window)[window.index(span)]
        return self.score_sentences([span])[0]

    def reasons(self, x: np.ndarray, row: tuple[list[int], list[float]], n: int = 3, text: str | None = None) -> tuple[str, ...]:
        """The ``n`` largest positive contributions, as ``"label (+0.42)"``.

        A feature counts only when the sentence has it (a word present, a count above
        zero), measured against its absence; length is measured against the average
        training sentence.  tok2vec dimensions are summed into one reason.  With a
        TF-IDF part (and the sentence's ``text``), each part's contributions are
        divided by its std (as in the score) and a word's shares are added; the
        word-piece part's shares are measured against an average training sentence.
        """
        groups = self.contributions(x, row, text)
        top = sorted(((c, g) for g, c in groups.items() if c > 0.05), reverse=True)[:n]
        return tuple(f"{g} ({c:+.2f})" for c, g in top)

    def _dense_groups(self, x: np.ndarray) -> _DenseGroups:
        if self._groups is None:
            names = self.config["dense_names"]
            labels = [reason_group(n) for n in names]
            group_names = list(dict.fromkeys(labels))
            self._groups = _DenseGroups(
                absent=self.net.contributions(np.zeros_like(x), [([], [])])[0],
                names=group_names,
                ids=np.array([group_names.index(g) for g in labels]),
                always=np.array([n in _CENTRED or n.startswith(("t2v:", "prev_t2v:", "next_t2v:")) for n in names]),
            )
        return self._groups

    def contributions(self, x: np.ndarray, row: tuple[list[int], list[float]], text: str | None = None) -> dict[str, float]:
        """Each reason label with its share of the score (see :meth:`reasons`)."""
        dense_c, (word_c,) = self.net.contributions(x, [row])
        dense = self._dense_groups(x)
        keep = dense.always | (x != 0)
        delta = np.where(dense.always, dense_c, dense_c - dense.absent)
        sums = np.bincount(dense.ids[keep], weights=delta[keep], minlength=len(dense.names))
        groups: dict[str, float] = {g: float(v) for g, v in zip(dense.names, sums, strict=True) if v > 0.05}
        if self._inv is None:
            self._inv = {i: w for w, i in self.vocab.bow_index.items()}
        inv = self._inv
        for j, c in zip(row[0], word_c, strict=False):
            groups[f'word "{inv[j]}"'] = groups.get(f'word "{inv[j]}"', 0.0) + float(c)
        if self.tfidf is None or text is None:
            return groups
        out = {g: c / self._z("main")[1] for g, c in groups.items()}
        for name, part in (("tfidf", self.tfidf), ("pieces", self.pieces)):
            if part is not None:
                std = self._z(name)[1]
                for term, c in part.contributions(text).items():
                    out[f'word "{term}"'] = out.get(f'word "{term}"', 0.0) + c / std
        return out
