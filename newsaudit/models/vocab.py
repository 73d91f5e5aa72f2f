"""A lemma vocabulary with idf weights and bag-of-words indices, shipped as TSV.

File format (``vocab.tsv``): ``#`` header lines (source, licence), then
``lemma<TAB>idf<TAB>bow_index`` (``-1`` when the lemma is not a bag-of-words
feature).  Unseen lemmas get ``default_idf`` (the idf of a word seen once).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelFileError
from ..lexicons import header, read_table
from .folder import write_tsv


@dataclass(frozen=True)
class Vocab:
    """idf of every kept term, and the bag-of-words index of the most frequent ones."""

    idf: Mapping[str, float]
    bow_index: Mapping[str, int]
    default_idf: float
    n_docs: int

    @property
    def bow_size(self) -> int:
        return len(self.bow_index)

    def weight(self, lemma: str) -> float:
        return self.idf.get(lemma, self.default_idf)

    def tfidf(self, counts: Mapping[str, int], known_only: bool = False) -> dict[str, float]:
        """L2-normalised ``(1 + log tf) * idf`` weights; ``known_only``: of vocabulary terms only
        (as scikit-learn's TfidfVectorizer: unseen words do not shrink the others)."""
        idf = self.idf
        if known_only:
            log = math.log
            vec: dict[str, float] = {}
            for w, c in counts.items():
                if c > 0:
                    weight = idf.get(w)
                    if weight is not None:
                        vec[w] = (1.0 + log(c)) * weight
        else:
            vec = {w: (1.0 + math.log(c)) * self.weight(w) for w, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {w: v / norm for w, v in vec.items()} if norm > 0 else {}

    def bow(self, weights: Mapping[str, float]) -> tuple[list[int], list[float]]:
        """Indices and values of the weights that are bag-of-words features."""
        idx, vals = [], []
        for w, v in weights.items():
            j = self.bow_index.get(w)
            if j is not None:
                idx.append(j)
                vals.append(v)
        return idx, vals

    def save(self, path: str | Path, header: list[str]) -> None:
        rows = [[w, f"{self.idf[w]:.5f}", str(self.bow_index.get(w, -1))] for w in sorted(self.idf)]
        write_tsv(path, [*header, f"n_docs={self.n_docs} default_idf={self.default_idf:.5f}"], rows)

    @classmethod
    def load(cls, path: str | Path) -> Vocab:
        try:
            lines = header(path)
            rows = read_table(path)
        except OSError as exc:
            raise ModelFileError(f"cannot read vocabulary {path}: {exc}") from exc
        meta = dict(tok.split("=", 1) for line in lines for tok in line.split() if "=" in tok)
        if "default_idf" not in meta or "n_docs" not in meta:
            raise ModelFileError(f"{path}: header lacks 'n_docs=... default_idf=...'")
        idf: dict[str, float] = {}
        bow: dict[str, int] = {}
        try:
            for row in rows:
                idf[row[0]] = float(row[1])
                if int(row[2]) >= 0:
                    bow[row[0]] = int(row[2])
            return cls(idf, bow, float(meta["default_idf"]), int(meta["n_docs"]))
        except (IndexError, ValueError) as exc:
            raise ModelFileError(f"{path}: expected term<TAB>idf<TAB>bow_index rows ({exc})") from exc


def build_vocab(docs: Iterable[Mapping[str, int]], bow_size: int, min_df: int = 2) -> Vocab:
    """Smoothed idf ``log((1 + n) / (1 + df)) + 1`` over lemmas with ``df >= min_df``;
    the ``bow_size`` most frequent (by df, ties alphabetical) get bag-of-words indices."""
    df: Counter[str] = Counter()
    n = 0
    for counts in docs:
        n += 1
        df.update(w for w, c in counts.items() if c > 0)
    kept = {w: d for w, d in df.items() if d >= min_df}
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in kept.items()}
    top = sorted(kept, key=lambda w: (-kept[w], w))[:bow_size]
    return Vocab(idf, {w: i for i, w in enumerate(top)}, math.log((1 + n) / 2) + 1.0, n)
