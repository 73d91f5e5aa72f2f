"""``newsaudit eval checkworthy``: the check-worthiness model on CLEF 2019 files.

Three evaluations (:attr:`CheckworthyEvalOptions.mode`):

* ``score``: the model as it is (the shipped one, or ``model_dir``) scores every
  row; with labels, the ranking measures of :mod:`.ranking` (MAP, R-precision,
  P@5, P@10, each the mean over debates).  On the training file this is
  in-sample.
* ``cv``: leave-one-debate-out cross-validation: for each debate, the shipped
  recipe (:func:`~newsaudit.train.checkworthy.train_combo`: the three parts,
  their standardisation and calibration) is trained on the others and scores it.
  The word-piece part reuses the shipped model's word-piece table: it is
  distilled from MiniLM alone, with no label, so no fold sees its held-out
  debate through it (``train checkworthy`` distils it afresh).
* ``held-out``: the gate's split: trained on all debates but the four of
  :data:`~.clef2019.GATE_HELDOUT`, scored on those four.

``baseline`` adds the word 1-2-gram TF-IDF logistic regression
(:func:`~newsaudit.train.checkworthy_cv.tfidf_baseline_scores`, the recipe's TF-IDF part alone) on the
same folds.  ``score`` is here; ``cv`` and ``held-out`` train, so they are
:func:`newsaudit.train.checkworthy_cv.cross_validate_file`.  Each debate is
parsed once (its sentences in line order) and featurised once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import BenchmarkFileError, OutputError
from ..models.checkworthy import load_checkworthy_model
from .clef2019 import ClefRow, debates, read_clef
from .ranking import CwReport, paired_difference, report

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

MODES = ("score", "cv", "held-out")
PARSE_BATCH = 256
BASELINE_NAME = "baseline (word 1-2-gram TF-IDF + logistic regression)"


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


Debates = dict[str, tuple[list[ClefRow], list["Span"]]]


def parse_debates(nlp: Language, rows: Sequence[ClefRow]) -> Debates:
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


def report_of(parsed: Debates, scores: dict[str, np.ndarray]) -> CwReport:
    names = [n for n in scores for _ in scores[n]]
    labels = [int(r.label or 0) for n in scores for r in parsed[n][0]]
    return report(names, labels, np.concatenate(list(scores.values())).tolist())


def write_scores(path: str, scores: Sequence[tuple[str, int, float]]) -> None:
    """``file_name<TAB>line_number<TAB>score`` per row, no header."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(f"{name}\t{line}\t{score:.6f}\n" for name, line, score in scores)
    except OSError as exc:
        raise OutputError(f"--pred {path}: cannot write: {exc}") from exc


def finish(mode: str, parsed: Debates, rows: Sequence[ClefRow], scores: dict[str, np.ndarray], rep: CwReport | None,
           base: CwReport | None, started: float, pred: str | None) -> CwEval:
    """The evaluation of ``scores`` (one array per debate, in line order), in the input order of ``rows``;
    the scores written to ``pred`` when given."""
    by_key = {(n, r.line_number): float(s) for n in scores for r, s in zip(parsed[n][0], scores[n], strict=True)}
    out = [(r.file_name, r.line_number, by_key[(r.file_name, r.line_number)]) for r in rows if (r.file_name, r.line_number) in by_key]
    if pred:
        write_scores(pred, out)
    return CwEval(mode, out, rep, base, time.perf_counter() - started, pred)


def read_labelled(options: CheckworthyEvalOptions) -> list[ClefRow]:
    """The rows of ``options.file``, checked against what the evaluation needs."""
    if options.mode not in MODES:
        raise BenchmarkFileError(f"unknown evaluation {options.mode!r}; expected one of {', '.join(MODES)}")
    if options.baseline and options.mode == "score":
        raise BenchmarkFileError("--baseline needs --cv or --held-out (the baseline is trained on the folds)")
    rows = read_clef(options.file)
    labelled = all(r.label is not None for r in rows)
    if options.mode != "score" and not labelled:
        raise BenchmarkFileError(f"{options.file}: --{options.mode} needs a label (0/1) on every row")
    if not labelled and not options.pred:
        raise BenchmarkFileError(f"{options.file} has no labels: nothing to score (give --pred OUT.tsv to write the scores)")
    return rows


def evaluate_checkworthy(options: CheckworthyEvalOptions, nlp: Language | None = None) -> CwEval:
    """Score the rows of a CLEF file with a trained model (the shipped one, or ``model_dir``), and evaluate
    them when labelled; the cross-validations (``cv``, ``held-out``), which train, are
    :func:`newsaudit.train.checkworthy_cv.cross_validate_file`."""
    from ..nlp import load_spacy

    if options.mode != "score":
        raise BenchmarkFileError(f"--{options.mode} trains models: run it through newsaudit.train.checkworthy_cv")
    t0 = time.perf_counter()
    rows = read_labelled(options)
    model = load_checkworthy_model(options.model_dir)
    parsed = parse_debates(nlp or load_spacy(options.spacy_model), rows)
    scores = {n: model.probabilities(spans) for n, (_rs, spans) in parsed.items()}
    rep = report_of(parsed, scores) if all(r.label is not None for r in rows) else None
    return finish(options.mode, parsed, rows, scores, rep, None, t0, options.pred)
