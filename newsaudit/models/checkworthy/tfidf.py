"""The word 1-2-gram TF-IDF logistic regression: the CLEF baseline and half of the shipped recipe.

>>> lr = fit_tfidf(["Taxes rose 5 percent.", "Thank you."], [1, 0])   # doctest: +SKIP  (newsaudit.train.checkworthy)
>>> lr.logits(["Taxes rose."])                                          # doctest: +SKIP

:func:`newsaudit.train.checkworthy.fit_tfidf` uses scikit-learn (imported inside: ``TfidfVectorizer`` with
sublinear tf, ``min_df=1``; ``LogisticRegression`` liblinear, ``C=1``,
``random_state=0``); :meth:`TfidfLR.logits` and :meth:`TfidfLR.contributions`
recompute the same features with numpy and ``re`` only (lower-cased
``\\b\\w\\w+\\b`` tokens, their 1- and 2-grams, ``1 + log tf`` times the idf,
L2-normalised over the n-grams the vocabulary knows), so the shipped folder
needs no scikit-learn.  A folder holds ``tfidf_vocab.tsv`` (one n-gram a line,
in column order) and ``tfidf.npz`` (``idf``, ``coef``, ``intercept``).
"""

from __future__ import annotations

import itertools
import math
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...errors import ModelFileError
from ..folder import write_npz, write_tsv

TOKEN = re.compile(r"(?u)\b\w\w+\b")
VOCAB_NAME, ARRAYS_NAME = "tfidf_vocab.tsv", "tfidf.npz"
#: texts whose rows :meth:`TfidfLR.row` keeps (a few documents' sentences)
ROW_CACHE = 1024
#: the fit's settings (recorded in the model's config.json)
SETTINGS = {"ngram_range": [1, 2], "sublinear_tf": True, "min_df": 1, "token_pattern": TOKEN.pattern,
            "lowercase": True, "norm": "l2", "C": 1.0, "solver": "liblinear", "random_state": 0}


def ngrams(text: str) -> Counter[str]:
    """Counts of the lower-cased word 1- and 2-grams of ``text``, as scikit-learn's word analyzer cuts them."""
    toks = TOKEN.findall(text.lower())
    return Counter(toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)])


@dataclass
class TfidfLR:
    """Vocabulary (n-gram -> column), idf and logistic-regression weights of the TF-IDF model."""

    terms: list[str]
    idf: np.ndarray
    coef: np.ndarray
    intercept: float
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    #: the rows of the latest texts (:meth:`logits` then :meth:`contributions` read the same sentences)
    _rows: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (len(self.terms) == len(self.idf) == len(self.coef)):
            raise ModelFileError(f"TF-IDF model: {len(self.terms)} n-grams, {len(self.idf)} idf values, {len(self.coef)} weights")
        self._index = {t: i for i, t in enumerate(self.terms)}

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Columns and (L2-normalised) TF-IDF values of the n-grams of ``text`` the vocabulary knows
        (the arrays of a recent text are shared: read them, never write to them)."""
        kept = self._rows.get(text)
        if kept is not None:
            return kept
        idx, vals = [], []
        for g, c in ngrams(text).items():
            j = self._index.get(g)
            if j is not None:
                idx.append(j)
                vals.append((1.0 + math.log(c)) * self.idf[j])
        v = np.asarray(vals, np.float64)
        norm = float(np.sqrt((v * v).sum()))
        out = np.asarray(idx, np.int64), (v / norm if norm > 0 else v)
        if len(self._rows) >= ROW_CACHE:
            self._rows.clear()
        self._rows[text] = out
        return out

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """The decision function (log-odds) of each text."""
        out = np.empty(len(texts))
        for k, t in enumerate(texts):
            idx, vals = self.row(t)
            out[k] = float(vals @ self.coef[idx]) + self.intercept
        return out

    def contributions(self, text: str) -> dict[str, float]:
        """Each known n-gram of ``text`` with its share of the logit (weight times tf-idf value)."""
        idx, vals = self.row(text)
        return {self.terms[j]: float(v * self.coef[j]) for j, v in zip(idx, vals, strict=True)}

    def save(self, directory: str | Path, header: list[str]) -> None:
        """``tfidf_vocab.tsv`` and ``tfidf.npz``, byte for byte the same for the same model."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        write_tsv(d / VOCAB_NAME, header, [[t] for t in self.terms])
        arrays = {"idf": self.idf, "coef": self.coef, "intercept": np.asarray([self.intercept], np.float64)}
        write_npz(d / ARRAYS_NAME, {k: np.asarray(v, np.float64) for k, v in arrays.items()})

    @classmethod
    def load(cls, directory: str | Path) -> TfidfLR:
        d = Path(directory)
        try:
            lines = (d / VOCAB_NAME).read_text(encoding="utf-8").split("\n")
            with np.load(d / ARRAYS_NAME, allow_pickle=False) as z:
                idf, coef, intercept = z["idf"], z["coef"], z["intercept"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise ModelFileError(f"cannot load the TF-IDF model from {d}: {exc}") from exc
        terms = [line for line in lines if line and not line.startswith("#")]
        if idf.ndim != 1 or coef.ndim != 1 or intercept.shape != (1,):
            raise ModelFileError(f"{d / ARRAYS_NAME}: unexpected array shapes")
        return cls(terms, idf, coef, float(intercept[0]))
