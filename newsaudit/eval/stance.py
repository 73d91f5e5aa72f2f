"""``newsaudit eval stance``: the stance model on FNC-1 files.

:func:`evaluate_stance` predicts every row of a stances file (or of one side of
the dev split, ``split``), in input order, and scores it when the file has a
``Stance`` column: the FNC-1 report (:mod:`.fnc_score`) and the precision and
recall of the ``contradicted-in-body`` rule against gold ``disagree``.
Each distinct body and each distinct headline is parsed once (``nlp.pipe``,
:func:`stance_views`, which training shares) and its view reused for every pair
that names it.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BenchmarkFileError, OutputError
from ..models.stance import ContradictionRule, StanceResult, TextView, load_stance_model, view_of
from .fnc import Pair, read_bodies, read_pairs, select_split
from .fnc_score import FncReport, report

if TYPE_CHECKING:
    from spacy.language import Language

#: Batch sizes of the parse: bodies are long, headlines short.
BODY_BATCH, HEADLINE_BATCH = 32, 256
PRED_HEADER = ("Headline", "Body ID", "Stance")


@dataclass(frozen=True)
class StanceEvalOptions:
    """``newsaudit eval stance``: the files, the split, where predictions go, which models."""

    bodies: str
    stances: str
    pred: str | None = None
    #: ``all`` (every row: the file as given), ``dev`` or ``train`` (the dev split by Body ID)
    split: str = "all"
    #: a stance model folder (default: the shipped one)
    model_dir: str | None = None
    #: the spaCy pipeline (default: as ``analyze``)
    spacy_model: str | None = None
    #: also score the TF-IDF cosine baseline, its threshold tuned on the split's train side (``split="dev"`` only)
    baseline: bool = False


def stance_views(nlp: Language, bodies: dict[str, str], pairs: Sequence[Pair]) -> tuple[dict[str, TextView], dict[str, TextView]]:
    """(headline views, body views): every distinct text parsed once."""
    missing = sorted({p.body_id for p in pairs} - set(bodies))
    if missing:
        first = next(p for p in pairs if p.body_id == missing[0])
        raise BenchmarkFileError(f"{len(missing)} Body ID(s) of the stances file are not in the bodies file, "
                                 f"e.g. {missing[0]!r} (row {first.row})")
    used = sorted({p.body_id for p in pairs})
    heads = sorted({p.headline for p in pairs})
    bviews = {b: view_of(doc) for b, doc in zip(used, nlp.pipe([bodies[b] for b in used], batch_size=BODY_BATCH), strict=True)}
    hviews = {h: view_of(doc) for h, doc in zip(heads, nlp.pipe(heads, batch_size=HEADLINE_BATCH), strict=True)}
    return hviews, bviews


@dataclass(frozen=True)
class StanceEval:
    """The predictions (input order) and, with gold stances, the scores."""

    pairs: list[Pair]
    predictions: list[StanceResult]
    #: None when the stances file has no Stance column
    report: FncReport | None
    rule: ContradictionRule
    #: the contradiction rule against gold disagree (None without gold)
    rule_counts: dict[str, float] | None
    n_bodies: int
    n_headlines: int
    seconds: float
    pred: str | None = None
    #: the TF-IDF cosine baseline on the same pairs, and its threshold (``baseline``)
    baseline: tuple[FncReport, float] | None = None

    def as_text(self) -> str:
        lines = []
        if self.report is not None:
            lines.append(f"pairs: {len(self.pairs)} ({self.n_bodies} bodies, {self.n_headlines} headlines)")
            lines.append(self.report.as_text())
        if self.rule_counts is not None:
            c = self.rule_counts
            lines.append(f"contradicted-in-body ({self.rule.describe()}): precision {c['precision']:.4f} "
                         f"({c['correct']} of {c['fired']} fired), recall {c['recall']:.4f} "
                         f"(of {c['gold']} gold disagree)")
        if self.baseline is not None:
            rep, threshold = self.baseline
            lines.append(f"baseline (TF-IDF cosine >= {threshold:.3f} called discuss, else unrelated; threshold tuned on "
                         f"the train side): relative {rep.relative:.4f}, macro-F1 {rep.macro_f1:.4f}")
        if self.pred:
            lines.append(f"wrote {len(self.predictions)} predictions to {self.pred}")
        return "\n".join(lines)


def cosine_baseline(train: Sequence[tuple[TextView, TextView, str]], test: Sequence[tuple[TextView, TextView, str]]
                    ) -> tuple[FncReport, float]:
    """TF-IDF cosine of headline and body lemmas: ``discuss`` at or above a threshold, else ``unrelated``;
    idf from the training pairs' texts (one document per pair), the threshold (0 to 0.5, step 0.005) the
    best relative FNC-1 score on them."""
    from ..models.vocab import build_vocab

    vocab = build_vocab([b.lemmas for _h, b, _g in train] + [h.lemmas for h, _b, _g in train], 0)

    def cos(head: TextView, body: TextView) -> float:
        a, b = vocab.tfidf(head.lemmas), vocab.tfidf(body.lemmas)
        return sum(v * b.get(w, 0.0) for w, v in a.items())

    def predict(c: Sequence[float], t: float) -> list[str]:
        return ["discuss" if x >= t else "unrelated" for x in c]

    c_train = [cos(h, b) for h, b, _g in train]
    gold_train = [g for _h, _b, g in train]
    best = max((0.005 * i for i in range(100)), key=lambda t: report(gold_train, predict(c_train, t)).relative)
    return report([g for _h, _b, g in test], predict([cos(h, b) for h, b, _g in test], best)), best


def rule_counts(predictions: Sequence[StanceResult], gold: Sequence[str], rule: ContradictionRule) -> dict[str, float]:
    """How often ``rule`` fires, how often rightly (gold ``disagree``), and its precision and recall."""
    fired = [rule.fires(p) for p in predictions]
    is_gold = [g == "disagree" for g in gold]
    tp = sum(f and g for f, g in zip(fired, is_gold, strict=True))
    n_fired, n_gold = sum(fired), sum(is_gold)
    return {"fired": n_fired, "correct": tp, "gold": n_gold,
            "precision": tp / n_fired if n_fired else 0.0, "recall": tp / n_gold if n_gold else 0.0}


def write_predictions(path: str, pairs: Sequence[Pair], predictions: Sequence[StanceResult]) -> None:
    """``Headline,Body ID,Stance``: one row per pair, in input order."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(PRED_HEADER)
            writer.writerows((p.headline, p.body_id, r.label) for p, r in zip(pairs, predictions, strict=True))
    except OSError as exc:
        raise OutputError(f"--pred {path}: cannot write: {exc}") from exc


def evaluate_stance(options: StanceEvalOptions, nlp: Language | None = None) -> StanceEval:
    """Predict every selected row and score it when gold stances are present (see the module docstring)."""
    from ..nlp import load_spacy

    t0 = time.perf_counter()
    bodies = read_bodies(options.bodies)
    every = read_pairs(options.stances)
    pairs = select_split(every, bodies, options.split)
    if not pairs:
        where = "" if options.split == "all" else f" of the {options.split} split (by the bodies file's Body IDs)"
        raise BenchmarkFileError(f"{options.stances}: no rows{where}")
    labelled = pairs[0].stance is not None
    if not labelled and not options.pred:
        raise BenchmarkFileError(f"{options.stances} has no Stance column: nothing to score "
                                 "(give --pred OUT.csv to write the predictions)")
    if options.baseline and (options.split != "dev" or not labelled):
        raise BenchmarkFileError("--baseline needs --split dev and a Stance column (it is tuned on the train side)")
    train = select_split(every, bodies, "train") if options.baseline else []
    model = load_stance_model(options.model_dir)
    hviews, bviews = stance_views(nlp or load_spacy(options.spacy_model), bodies, [*pairs, *train])
    preds = model.predict_views([(hviews[p.headline], bviews[p.body_id]) for p in pairs])
    rep = counts = base = None
    if labelled:
        gold = [p.stance or "" for p in pairs]
        rep = report(gold, [r.label for r in preds])
        counts = rule_counts(preds, gold, model.rule)
    if options.baseline:
        base = cosine_baseline([(hviews[p.headline], bviews[p.body_id], p.stance or "") for p in train],
                               [(hviews[p.headline], bviews[p.body_id], p.stance or "") for p in pairs])
    if options.pred:
        write_predictions(options.pred, pairs, preds)
    n_bodies, n_heads = len({p.body_id for p in pairs}), len({p.headline for p in pairs})
    return StanceEval(pairs, preds, rep, model.rule, counts, n_bodies, n_heads, time.perf_counter() - t0, options.pred, base)
