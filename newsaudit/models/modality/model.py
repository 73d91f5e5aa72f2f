"""The modality model: does a text assert a claim, report it, or deny it?  numpy inference.

>>> model = ModalityModel.load(model_dir)                                    # doctest: +SKIP
>>> model.read("Christian Bale will play Steve Jobs",
...            "Christian Bale reportedly in talks to play Steve Jobs")       # doctest: +SKIP
ModalityReading(label='reported', probs={...}, cues=(Span(start=15, end=25, text='reportedly'), ...))

A multinomial logistic regression over two blocks (:mod:`.features`): the
text's word 1-2-grams, sublinear TF-IDF over the training vocabulary and
L2-normalised, and the dense cue, style and claim-overlap features, each
standardised by its training mean and standard deviation.  Training
(:mod:`newsaudit.train.modality`) fits it with scikit-learn; here it is a dot
product.

A model folder holds ``config.json`` (labels, dense feature names, recipe and
cross-validated scores), ``vocab.tsv`` (n-gram, idf, column) and
``weights.npz`` (``coef`` labels x (n-grams + dense), ``intercept``, ``mean``,
``scale``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ModelFileError
from ...types import Modality, ModalityReading, Span
from ..folder import VOCAB_FILE, read_config, write_config, write_npz
from ..numpy_net import softmax
from ..vocab import Vocab
from .cues import DENYING_KINDS, REPORTING_KINDS, Cue, bare_claim, find_cues, words
from .features import DENSE_NAMES, PairFeatures, pair_features

#: The labels in the order of the model's outputs.
LABELS: tuple[str, ...] = tuple(m.value for m in Modality)
WEIGHTS_FILE = "weights.npz"
#: The cue kinds that explain each label.
_WHY = {Modality.REPORTED: REPORTING_KINDS, Modality.DENIED: DENYING_KINDS, Modality.ASSERTED: frozenset({"affirm"})}


@dataclass
class ModalityModel:
    vocab: Vocab
    coef: np.ndarray
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    config: dict[str, Any]

    @classmethod
    def load(cls, directory: str | Path) -> ModalityModel:
        d = Path(directory)
        config = read_config(d)
        if tuple(config.get("dense_names", ())) != DENSE_NAMES:
            raise ModelFileError(f"{d}: the modality model was trained with other features than this code computes")
        if tuple(config.get("labels", ())) != LABELS:
            raise ModelFileError(f"{d}: the modality model's labels {config.get('labels')} are not {list(LABELS)}")
        try:
            with np.load(d / WEIGHTS_FILE, allow_pickle=False) as z:
                arrays = {k: np.asarray(z[k], np.float64) for k in ("coef", "intercept", "mean", "scale")}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise ModelFileError(f"cannot load the modality weights from {d / WEIGHTS_FILE}: {exc}") from exc
        vocab = Vocab.load(d / VOCAB_FILE)
        width = vocab.bow_size + len(DENSE_NAMES)
        if arrays["coef"].shape != (len(LABELS), width) or arrays["intercept"].shape != (len(LABELS),):
            raise ModelFileError(f"{d}: weights of shape {arrays['coef'].shape}, expected {(len(LABELS), width)}")
        return cls(vocab, arrays["coef"], arrays["intercept"], arrays["mean"], arrays["scale"], config)

    def save(self, directory: str | Path, vocab_header: list[str]) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.vocab.save(d / VOCAB_FILE, vocab_header)
        write_npz(d / WEIGHTS_FILE, {"coef": self.coef, "intercept": self.intercept, "mean": self.mean,
                                     "scale": self.scale})
        write_config(d, self.config)

    def probabilities(self, feats: Sequence[PairFeatures]) -> np.ndarray:
        """(n, labels) probabilities of prepared pairs."""
        if not feats:
            return np.zeros((0, len(LABELS)))
        n_grams = self.vocab.bow_size
        dense = (np.stack([f.dense for f in feats]) - self.mean) / self.scale
        logits = dense @ self.coef[:, n_grams:].T + self.intercept
        for row, f in enumerate(feats):
            idx, vals = self.vocab.bow(self.vocab.tfidf(f.grams, known_only=True))
            if idx:
                logits[row] += self.coef[:, idx] @ np.asarray(vals)
        return softmax(logits)

    def read_many(self, pairs: Sequence[tuple[str, str]], offsets: Sequence[int] | None = None) -> list[ModalityReading]:
        """How each ``text`` carries its ``claim`` (pairs of (claim, text)); cue offsets are shifted by
        ``offsets`` (where each text starts in the article)."""
        feats = [pair_features(claim, text) for claim, text in pairs]
        probs = self.probabilities(feats)
        out = []
        for k, ((_claim, text), f, p) in enumerate(zip(pairs, feats, probs, strict=True)):
            label = LABELS[int(np.argmax(p))]
            shift = offsets[k] if offsets is not None else 0
            out.append(ModalityReading(label, {lab: round(float(x), 4) for lab, x in zip(LABELS, p, strict=True)},
                                       why(text, f.cues, label, shift)))
        return out

    def read(self, claim: str, text: str, offset: int = 0) -> ModalityReading:
        """How ``text`` carries ``claim`` (see :meth:`read_many`)."""
        return self.read_many([(claim, text)], [offset])[0]

    def read_own(self, text: str, offset: int = 0) -> ModalityReading:
        """How ``text`` carries its own claim: read against itself without its hedges, attribution cues and
        question marks (:func:`.cues.bare_claim`), as an Emergent headline is read against its claim.  A text
        does not deny its own claim ("Bale will not play Jobs" asserts that he will not): the reading is
        asserted or reported, whichever is more probable."""
        reading = self.read(bare_claim(text), text, offset)
        if reading.label != Modality.DENIED:
            return reading
        label = max((Modality.ASSERTED.value, Modality.REPORTED.value), key=lambda lab: reading.probs.get(lab, 0.0))
        cues = why(text, find_cues(words(text)), label, offset)
        return ModalityReading(label, reading.probs, cues)


def as_reported(reading: ModalityReading, text: str, offset: int = 0) -> ModalityReading:
    """The reading of a text that attributes its own claim ("..., security firm says"): reported, whatever the model
    read (its probabilities are kept), explained by the text's reporting cues."""
    if reading.label == Modality.REPORTED:
        return reading
    return ModalityReading(Modality.REPORTED.value, reading.probs, why(text, find_cues(words(text)), Modality.REPORTED, offset))


def why(text: str, cues: Sequence[Cue], label: str, offset: int = 0) -> tuple[Span, ...]:
    """The words that explain ``label``: the cues of its kinds, and a question mark for a reported question."""
    kinds = _WHY.get(Modality(label), frozenset())
    spans = [Span(c.start + offset, c.end + offset, text[c.start : c.end]) for c in cues if c.kind in kinds]
    if label == Modality.REPORTED and text.rstrip().endswith("?"):
        end = len(text.rstrip())
        spans.append(Span(end - 1 + offset, end + offset, "?"))
    return tuple(spans)
