"""Headline-body stance (the FNC-1 labels agree, disagree, discuss, unrelated), numpy inference.

>>> model = StanceModel.load(model_dir)                        # doctest: +SKIP
>>> model.predict(headline_span, body_span)                     # doctest: +SKIP
StanceResult(label='discuss', probs={...}, passages=(Passage(...), ...), refuting=False)

A model folder holds ``config.json`` (labels, feature names, settings, scores,
the contradiction rule), ``vocab.tsv`` (lemma, idf, bag-of-words index) and
``net.npz``/``net.json`` (a :class:`~newsaudit.models.numpy_net.NumpyNet`).
Features come from the spaCy parse only (:mod:`.textview`, :mod:`.features`).

The contradiction rule (:class:`ContradictionRule`, from ``config.json``'s
``"contradiction"``) decides when the body *disputes* the headline, the
headline check's ``contradicted-in-body`` verdict: the label is ``disagree``,
its probability is at least ``min_disagree``, and (``needs_evidence``) one of
the passages carries a refuting cue or a negation.  Its threshold is chosen on
the training cross-validation for precision (:func:`.train.choose_rule`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...errors import ModelFileError
from ...types import Stance
from ..folder import NET_NAME, VOCAB_FILE, read_config, write_config
from ..numpy_net import NumpyNet, softmax
from ..vocab import Vocab
from .features import DENSE_NAMES, pair_features
from .textview import TextView, view_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: The labels in the order of the network's outputs.
LABELS: tuple[str, ...] = tuple(s.value for s in Stance)
#: cue kinds that make a sentence a better passage for each label
PASSAGE_CUES = {"agree": ("affirm",), "disagree": ("refute",), "discuss": ("hedge",), "unrelated": ()}
#: how many passages a result names
N_PASSAGES = 2


@dataclass(frozen=True)
class Passage:
    """A body sentence that decided the label: character offsets into the Doc's text."""

    start_char: int
    end_char: int
    relevance: float
    #: the sentence carries a refuting cue or a negation
    refuting: bool = False


@dataclass(frozen=True)
class StanceResult:
    label: str
    probs: dict[str, float]
    passages: tuple[Passage, ...]

    @property
    def refuting(self) -> bool:
        """A passage carries a refuting cue or a negation."""
        return any(p.refuting for p in self.passages)


@dataclass(frozen=True)
class ContradictionRule:
    """When the body disputes the headline (see the module docstring)."""

    min_disagree: float = 0.5
    needs_evidence: bool = True

    def fires(self, result: StanceResult) -> bool:
        return (
            result.label == Stance.DISAGREE
            and result.probs.get(Stance.DISAGREE, 0.0) >= self.min_disagree
            and (result.refuting or not self.needs_evidence)
        )

    def describe(self) -> str:
        evidence = " and a refuting cue or negation in a passage" if self.needs_evidence else ""
        return f"label disagree with P(disagree) >= {self.min_disagree:g}{evidence}"

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ContradictionRule:
        raw = config.get("contradiction") or {}
        return cls(float(raw.get("min_disagree", cls.min_disagree)), bool(raw.get("needs_evidence", cls.needs_evidence)))

    def to_config(self) -> dict[str, float | bool]:
        return asdict(self)


@dataclass
class StanceModel:
    vocab: Vocab
    net: NumpyNet
    config: dict[str, Any]

    @property
    def rule(self) -> ContradictionRule:
        return ContradictionRule.from_config(self.config)

    @classmethod
    def load(cls, directory: str | Path) -> StanceModel:
        """Load a model folder written by :meth:`save`."""
        d = Path(directory)
        config = read_config(d)
        if tuple(config.get("dense_names", ())) != DENSE_NAMES:
            raise ModelFileError(f"{d}: the stance model was trained with other features than this code computes")
        if tuple(config.get("labels", LABELS)) != LABELS:
            raise ModelFileError(f"{d}: the stance model's labels {config.get('labels')} are not {list(LABELS)}")
        return cls(Vocab.load(d / VOCAB_FILE), NumpyNet.load(d, NET_NAME), config)

    def save(self, directory: str | Path, vocab_header: list[str]) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.net.save(d, NET_NAME)
        self.vocab.save(d / VOCAB_FILE, vocab_header)
        write_config(d, self.config)

    def predict(self, headline: Doc | Span, body: Doc | Span) -> StanceResult:
        """Stance of a parsed body (Doc or Span) towards a parsed headline."""
        return self.predict_views([(view_of(headline), view_of(body))])[0]

    def predict_views(self, pairs: Sequence[tuple[TextView, TextView]], n_passages: int = N_PASSAGES) -> list[StanceResult]:
        """Batch prediction over prebuilt views (build each body's view once and reuse it)."""
        if not pairs:
            return []
        dense, hb, bb, rels = [], [], [], []
        for head, body in pairs:
            f, hp, bp, rel = pair_features(head, body, self.vocab)
            dense.append(f)
            hb.append((hp.bow_idx, hp.bow_val))
            bb.append((bp.bow_idx, bp.bow_val))
            rels.append(rel)
        blocks = self.config.get("blocks", ["head", "body"])
        sparse = [b for name, b in (("head", hb), ("body", bb)) if name in blocks]
        probs = softmax(self.net.logits(np.stack(dense), sparse))
        out = []
        for (_head, body), p, rel in zip(pairs, probs, rels, strict=True):
            label = LABELS[int(np.argmax(p))]
            rounded = {lab: round(float(x), 4) for lab, x in zip(LABELS, p, strict=True)}
            out.append(StanceResult(label, rounded, passages(body, rel, label, n_passages)))
        return out


def passages(body: TextView, relevance: np.ndarray, label: str, n: int = N_PASSAGES) -> tuple[Passage, ...]:
    """The ``n`` most relevant sentences, those with the label's cue words first."""
    if not len(relevance) or (label == Stance.UNRELATED and float(relevance.max()) <= 0):
        return ()
    kinds = PASSAGE_CUES[label]
    scored = []
    for i, (s, r) in enumerate(zip(body.sentences, relevance, strict=False)):
        if r <= 0:
            continue
        cue = sum(s.cues.get(k, 0) for k in kinds) + (len(s.neg_heads) if label == Stance.DISAGREE else 0)
        scored.append((r * (1.0 + 0.5 * min(cue, 2)), i, float(r)))
    scored.sort(key=lambda t: (-t[0], t[1]))
    out = []
    for _s, i, r in scored[:n]:
        sent = body.sentences[i]
        out.append(Passage(sent.start_char, sent.end_char, round(r, 4), bool(sent.cues.get("refute", 0) or sent.neg_heads)))
    return tuple(out)
