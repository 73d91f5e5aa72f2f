"""Cross-validation of the check-worthiness recipe on CLEF 2019 debates (``newsaudit eval checkworthy
--cv`` and ``--held-out``, the gate's check) and training the shipped folder (``newsaudit train
checkworthy``)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import BenchmarkFileError
from ..eval.checkworthy import (
    CheckworthyEvalOptions,
    CwEval,
    Debates,
    evaluate_checkworthy,
    finish,
    parse_debates,
    read_labelled,
    report_of,
)
from ..eval.clef2019 import gate_split, leave_one_out, read_clef
from ..eval.ranking import CwReport
from ..models.checkworthy import load_checkworthy_model
from ..models.checkworthy.pieces import PieceLR
from .checkworthy import CheckworthyTrainConfig, debate_data, distil_table, fit_tfidf, predict_debate, train_combo

if TYPE_CHECKING:
    from spacy.language import Language

VOCAB_HEADER = [
    "vocab.tsv -- word 1-2-grams, idf, index of the newsaudit check-worthiness model",
    "Source: computed from CLEF 2019 CheckThat! Task 1 training debates (Atanasova et al. 2019){held_out}.",
    "Licence: research use, as the CLEF data.",
]
TFIDF_HEADER = [
    "tfidf_vocab.tsv -- the word 1-2-grams of the TF-IDF part of the newsaudit check-worthiness model, "
    "one a line in column order (idf and weights: tfidf.npz)",
    *VOCAB_HEADER[1:],
]


@dataclass(frozen=True)
class CheckworthyTrainOptions:
    """``newsaudit train checkworthy``: the CLEF file, the output folder, whether the gate's debates are held out."""

    file: str
    out: str
    held_out: bool = False
    spacy_model: str | None = None
    #: a model folder whose word-piece table to reuse instead of distilling MiniLM again (the table depends on
    #: MiniLM alone, so a retrain on other sentences gives the same model either way)
    table_from: str | None = None


def tfidf_baseline_scores(train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str]) -> np.ndarray:
    """The baseline: word 1-2-gram TF-IDF (sublinear tf) + logistic regression (liblinear, C=1), the logits
    of ``test_texts`` (:func:`.checkworthy.fit_tfidf`, the shipped recipe's TF-IDF part)."""
    return fit_tfidf(train_texts, train_labels).logits(test_texts)


def folds_for(mode: str, names: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    if mode == "cv":
        return leave_one_out(names)
    return [gate_split(names)]


def cross_validate(parsed: Debates, mode: str, baseline: bool) -> tuple[dict[str, np.ndarray], CwReport, CwReport | None]:
    """Out-of-fold probabilities of each held-out debate, their report, and the baseline's (``mode``: cv or held-out).

    Each fold trains the shipped recipe (:func:`train_combo`) on its training debates; the baseline is
    that fold's TF-IDF part alone (the same fit as :func:`tfidf_baseline_scores`)."""
    data = {n: debate_data(n, spans, [int(r.label or 0) for r in rs], [r.line_number for r in rs]) for n, (rs, spans) in parsed.items()}
    shipped = load_checkworthy_model().pieces
    table = shipped.table if shipped is not None else None
    scores: dict[str, np.ndarray] = {}
    base: dict[str, np.ndarray] = {}
    for train, test in folds_for(mode, list(parsed)):
        model = train_combo([data[n] for n in train], CheckworthyTrainConfig(), table)
        for n in test:
            scores[n] = model.to_probability(predict_debate(model, data[n]))
            if baseline and model.tfidf is not None:
                base[n] = model.tfidf.logits(data[n].texts)
    return scores, report_of(parsed, scores), (report_of(parsed, base) if baseline else None)


def cross_validate_file(options: CheckworthyEvalOptions, nlp: Language | None = None) -> CwEval:
    """``newsaudit eval checkworthy --cv`` or ``--held-out``: the recipe trained on the other debates
    scores each held-out one (see :mod:`newsaudit.eval.checkworthy`)."""
    from ..nlp import load_spacy

    if options.mode == "score":
        return evaluate_checkworthy(options, nlp)
    t0 = time.perf_counter()
    rows = read_labelled(options)
    parsed = parse_debates(nlp or load_spacy(options.spacy_model), rows)
    scores, rep, base = cross_validate(parsed, options.mode, options.baseline)
    return finish(options.mode, parsed, rows, scores, rep, base, t0, options.pred)


@dataclass(frozen=True)
class CheckworthyTrainSummary:
    out: str
    debates: list[str]
    n_sentences: int
    seconds: dict[str, float]

    def as_text(self) -> str:
        times = ", ".join(f"{k} {v:.0f} s" for k, v in self.seconds.items())
        return (f"trained on {self.n_sentences} sentences of {len(self.debates)} debates; wrote {self.out}\n"
                f"time: {times}")


def train_checkworthy_file(options: CheckworthyTrainOptions, nlp: Language | None = None) -> CheckworthyTrainSummary:
    """Train the shipped recipe on the CLEF file (without the gate's debates when ``held_out``) and save it;
    the word-piece table is distilled from MiniLM first (torch, about 40 s), or read from ``table_from``."""
    from ..nlp import load_spacy

    t0 = time.perf_counter()
    rows = read_clef(options.file)
    if any(r.label is None for r in rows):
        raise BenchmarkFileError(f"{options.file}: training needs a label (0/1) on every row")
    parsed = parse_debates(nlp or load_spacy(options.spacy_model), rows)
    names = gate_split(list(parsed))[0] if options.held_out else list(parsed)
    t1 = time.perf_counter()
    data = [debate_data(n, parsed[n][1], [int(r.label or 0) for r in parsed[n][0]], [r.line_number for r in parsed[n][0]])
            for n in names]
    t2 = time.perf_counter()
    table = distil_table() if options.table_from is None else PieceLR.load(options.table_from).table
    t3 = time.perf_counter()
    model = train_combo(data, CheckworthyTrainConfig(), table)
    held = ", gate debates held out" if options.held_out else ""
    model.save(options.out, [line.format(held_out=held) for line in VOCAB_HEADER],
               [line.format(held_out=held) for line in TFIDF_HEADER])
    return CheckworthyTrainSummary(options.out, names, sum(len(d.labels) for d in data),
                          {"parse": t1 - t0, "word-piece table": t3 - t2, "training": time.perf_counter() - t1 - (t3 - t2)})
