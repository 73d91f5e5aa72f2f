"""``newsaudit eval checkworthy`` and ``newsaudit checkworthy train``: the check-worthiness model on CLEF 2019 files.

Three evaluations (:attr:`CheckworthyEvalOptions.mode`):

* ``score``: the model as it is (the shipped one, or ``model_dir``) scores every
  row; with labels, the ranking measures of :mod:`.ranking` (MAP, R-precision,
  P@5, P@10, each the mean over debates).  On the training file this is
  in-sample.
* ``cv``: leave-one-debate-out cross-validation: for each debate, the shipped
  recipe (:func:`~newsaudit.models.checkworthy.train.train_combo`: the three parts,
  their standardisation and calibration) is trained on the others and scores it.
  The word-piece part reuses the shipped model's word-piece table: it is
  distilled from MiniLM alone, with no label, so no fold sees its held-out
  debate through it (``checkworthy train`` distils it afresh).
* ``held-out``: the gate's split: trained on all debates but the four of
  :data:`~.clef2019.GATE_HELDOUT`, scored on those four.

``baseline`` adds the word 1-2-gram TF-IDF logistic regression
(:func:`tfidf_baseline_scores`, the recipe's TF-IDF part alone) on the same folds.  Each debate is parsed once
(its sentences in line order) and featurised once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BenchmarkFileError, OutputError
from ..models.checkworthy import load_checkworthy_model
from .clef2019 import ClefRow, debates, gate_split, leave_one_out, read_clef
from .ranking import CwReport, paired_difference, report

MODES = ("score", "cv", "held-out")
PARSE_BATCH = 256
BASELINE_NAME = "baseline (word 1-2-gram TF-IDF + logistic regression)"
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
class CheckworthyEvalOptions:
    """``newsaudit eval checkworthy``: the file, the evaluation, where scores go, which models."""

    file: str
    pred: str | None = None
    #: ``score``, ``cv`` (leave one debate out) or ``held-out`` (the gate's four debates)
    mode: str = "score"
    #: also score the TF-IDF baseline (``cv`` and ``held-out`` only)
    baseline: bool = False
    #: a check-worthiness model folder (``score`` only; default: the shipped one)
    model_dir: str | None = None
    spacy_model: str | None = None


@dataclass(frozen=True)
class CheckworthyTrainOptions:
    """``newsaudit checkworthy train``: the CLEF file, the output folder, whether the gate's debates are held out."""

    file: str
    out: str
    held_out: bool = False
    spacy_model: str | None = None


Debates = dict[str, tuple[list[ClefRow], list[Any]]]


def parse_debates(nlp: Any, rows: Sequence[ClefRow]) -> Debates:
    """``name -> (rows in line order, one sentence span per row)``: each debate parsed once."""
    out = {}
    for name, rs in debates(rows).items():
        docs = nlp.pipe([r.text for r in rs], batch_size=PARSE_BATCH)
        out[name] = (rs, [d[:] for d in docs])
    return out


@dataclass(frozen=True)
class CwEval:
    """Scores of the evaluated rows (input order) and, with labels, the reports."""

    mode: str
    #: (file_name, line_number, score) of every evaluated row, in input order
    scores: list[tuple[str, int, float]]
    report: CwReport | None
    baseline: CwReport | None
    seconds: float
    pred: str | None = None

    def as_text(self) -> str:
        lines = []
        if self.report is not None:
            title = {"score": "newsaudit check-worthiness model", "cv": "leave-one-debate-out cross-validation",
                     "held-out": "held-out debates (trained on the others)"}[self.mode]
            lines += [f"{title}: {len(self.scores)} sentences", self.report.as_text()]
        if self.baseline is not None:
            lines += [f"{BASELINE_NAME}, same folds:", self.baseline.as_text()]
            if self.report is not None and len(self.report.per_debate_ap) > 1:
                lines.append("model against baseline: " + paired_difference(self.report, self.baseline).as_text())
        if self.pred:
            lines.append(f"wrote {len(self.scores)} scores to {self.pred}")
        return "\n".join(lines)


def tfidf_baseline_scores(train_texts: Sequence[str], train_labels: Sequence[int], test_texts: Sequence[str]) -> np.ndarray:
    """The baseline: word 1-2-gram TF-IDF (sublinear tf) + logistic regression (liblinear, C=1), the logits
    of ``test_texts`` (:class:`~newsaudit.models.checkworthy.tfidf.TfidfLR`, the shipped recipe's TF-IDF part)."""
    from ..models.checkworthy.tfidf import TfidfLR

    return TfidfLR.fit(train_texts, train_labels).logits(test_texts)


def folds_for(mode: str, names: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    if mode == "cv":
        return leave_one_out(names)
    return [gate_split(names)]


def _report(parsed: Debates, scores: dict[str, np.ndarray]) -> CwReport:
    names = [n for n in scores for _ in scores[n]]
    labels = [int(r.label or 0) for n in scores for r in parsed[n][0]]
    return report(names, labels, np.concatenate(list(scores.values())).tolist())


def cross_validate(parsed: Debates, mode: str, baseline: bool) -> tuple[dict[str, np.ndarray], CwReport, CwReport | None]:
    """Out-of-fold probabilities of each held-out debate, their report, and the baseline's (``mode``: cv or held-out).

    Each fold trains the shipped recipe (:func:`train_combo`) on its training debates; the baseline is
    that fold's TF-IDF part alone (the same fit as :func:`tfidf_baseline_scores`)."""
    from ..models.checkworthy.train import CwTrainConfig, debate_data, predict_debate, train_combo

    data = {n: debate_data(n, spans, [int(r.label or 0) for r in rs], [r.line_number for r in rs]) for n, (rs, spans) in parsed.items()}
    shipped = load_checkworthy_model().pieces
    table = shipped.table if shipped is not None else None
    scores: dict[str, np.ndarray] = {}
    base: dict[str, np.ndarray] = {}
    for train, test in folds_for(mode, list(parsed)):
        model = train_combo([data[n] for n in train], CwTrainConfig(), table)
        for n in test:
            scores[n] = model.to_probability(predict_debate(model, data[n]))
            if baseline and model.tfidf is not None:
                base[n] = model.tfidf.logits(data[n].texts)
    return scores, _report(parsed, scores), (_report(parsed, base) if baseline else None)


def write_scores(path: str, scores: Sequence[tuple[str, int, float]]) -> None:
    """``file_name<TAB>line_number<TAB>score`` per row, no header."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(f"{name}\t{line}\t{score:.6f}\n" for name, line, score in scores)
    except OSError as exc:
        raise OutputError(f"--pred {path}: cannot write: {exc}") from exc


def evaluate_checkworthy(options: CheckworthyEvalOptions, nlp: Any = None) -> CwEval:
    """Score (and evaluate, with labels) the rows of a CLEF file; see the module docstring."""
    from ..nlp import load_spacy

    if options.mode not in MODES:
        raise BenchmarkFileError(f"unknown evaluation {options.mode!r}; expected one of {', '.join(MODES)}")
    if options.baseline and options.mode == "score":
        raise BenchmarkFileError("--baseline needs --cv or --held-out (the baseline is trained on the folds)")
    t0 = time.perf_counter()
    rows = read_clef(options.file)
    labelled = all(r.label is not None for r in rows)
    if options.mode != "score" and not labelled:
        raise BenchmarkFileError(f"{options.file}: --{options.mode} needs a label (0/1) on every row")
    if not labelled and not options.pred:
        raise BenchmarkFileError(f"{options.file} has no labels: nothing to score (give --pred OUT.tsv to write the scores)")
    model = load_checkworthy_model(options.model_dir) if options.mode == "score" else None
    parsed = parse_debates(nlp or load_spacy(options.spacy_model), rows)
    rep = base = None
    if model is not None:
        scores = {n: model.probabilities(spans) for n, (_rs, spans) in parsed.items()}
        if labelled:
            rep = _report(parsed, scores)
    else:
        scores, rep, base = cross_validate(parsed, options.mode, options.baseline)
    by_key = {(n, r.line_number): float(s) for n in scores for r, s in zip(parsed[n][0], scores[n], strict=True)}
    out = [(r.file_name, r.line_number, by_key[(r.file_name, r.line_number)]) for r in rows if (r.file_name, r.line_number) in by_key]
    if options.pred:
        write_scores(options.pred, out)
    return CwEval(options.mode, out, rep, base, time.perf_counter() - t0, options.pred)


@dataclass(frozen=True)
class CwTrainSummary:
    out: str
    debates: list[str]
    n_sentences: int
    seconds: dict[str, float]

    def as_text(self) -> str:
        times = ", ".join(f"{k} {v:.0f} s" for k, v in self.seconds.items())
        return (f"trained on {self.n_sentences} sentences of {len(self.debates)} debates; wrote {self.out}\n"
                f"time: {times}")


def train_checkworthy_file(options: CheckworthyTrainOptions, nlp: Any = None) -> CwTrainSummary:
    """Train the shipped recipe on the CLEF file (without the gate's debates when ``held_out``) and save it;
    the word-piece table is distilled from MiniLM first (torch, about 40 s)."""
    from ..models.checkworthy.pieces import distil_table
    from ..models.checkworthy.train import CwTrainConfig, debate_data, train_combo
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
    table = distil_table()
    t3 = time.perf_counter()
    model = train_combo(data, CwTrainConfig(), table)
    held = ", gate debates held out" if options.held_out else ""
    model.save(options.out, [line.format(held_out=held) for line in VOCAB_HEADER],
               [line.format(held_out=held) for line in TFIDF_HEADER])
    return CwTrainSummary(options.out, names, sum(len(d.labels) for d in data),
                          {"parse": t1 - t0, "word-piece table": t3 - t2, "training": time.perf_counter() - t1 - (t3 - t2)})
