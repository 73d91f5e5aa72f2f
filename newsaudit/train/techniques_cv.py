"""Cross-validation of the propaganda-techniques recipe by article (``newsaudit eval techniques``):
SI F1 (SemEval's partial-overlap measure) and TC micro-F1 of models trained on the other folds."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EvalError
from ..eval.semeval import per_technique, si_scores, tc_scores
from ..models.folder import savez_compressed
from ..models.techniques.detect import predict_tc
from ..models.techniques.model import decode_spans
from .techniques import Prepared, TechniquesTrainOptions, fit, prepare


def folds_of(n: int, k: int) -> list[list[int]]:
    return [[i for i in range(n) if i % k == f] for f in range(k)]


def _grid(opts: TechniquesTrainOptions) -> list[tuple[float, float]]:
    return [(t, pk) for t in opts.thresholds for pk in opts.peaks if pk == 0 or pk > t]


#: a technique span: (article id, technique, start, end)
TcRow = tuple[str, str, int, int]


@dataclass(frozen=True)
class FoldResult:
    """What :func:`run_fold` gives of the held-out articles."""

    #: (threshold, peak) -> article id -> predicted spans
    si: dict[tuple[float, float], dict[str, list[tuple[int, int]]]]
    gold_tc: list[TcRow]
    pred_tc: list[TcRow]
    #: article id -> its "members", "offsets" and "chunk" arrays (with ``probs_out``)
    token_probs: dict[str, dict[str, np.ndarray]]


def run_fold(prep: Prepared, opts: TechniquesTrainOptions, test: list[int]) -> FoldResult:
    """Train on every article not in ``test``; SI spans (per threshold/peak of the
    grid) and TC labels of the ``test`` articles."""
    held_out = set(test)
    model = fit(prep, opts, [i for i in range(len(prep.arts)) if i not in held_out])
    pred_si: dict[tuple[float, float], dict[str, list[tuple[int, int]]]] = {g: {} for g in _grid(opts)}
    gold_tc: list[TcRow] = []
    pred_tc: list[TcRow] = []
    token_probs: dict[str, dict[str, np.ndarray]] = {}
    for i in test:
        a, f = prep.arts[i], prep.feats[i]
        f = model.reencode(f) if len(f.enc) else f
        rows = model.member_probabilities(f)
        probs = rows.mean(0)
        if opts.probs_out:
            token_probs[a.id] = {"members": rows, "offsets": f.enc.offsets, "chunk": f.enc.chunk}
        for t, pk in pred_si:
            cfg = replace(model.cfg, threshold=t, peak=pk)
            pred_si[(t, pk)][a.id] = [(s, e) for s, e, _p in decode_spans(a.text, f.enc, probs, cfg)] if len(f.enc) else []
        spans = [(s, e) for _t, s, e in a.tc]
        gold_tc += [(a.id, t, s, e) for t, s, e in a.tc]
        pred_tc += predict_tc(model, f, a.id, spans)
    return FoldResult(si=pred_si, gold_tc=gold_tc, pred_tc=pred_tc, token_probs=token_probs)


def _fold_in_worker(opts: TechniquesTrainOptions, fold: int) -> FoldResult:
    """One fold in a worker process: the corpus is read (and its encoder outputs
    taken from the cache) again there rather than sent over."""
    prep = prepare(opts)
    return run_fold(prep, opts, folds_of(len(prep.arts), opts.folds)[fold])


def cross_validate(opts: TechniquesTrainOptions, prep: Prepared | None = None) -> dict[str, Any]:
    """k-fold CV by article: SI F1 (per threshold) and TC micro-F1, as JSON. With
    ``opts.jobs`` > 1 the folds run in that many worker processes."""
    prep = prep or prepare(opts)
    if opts.folds < 2 or opts.folds > len(prep.arts):
        raise EvalError(f"--folds must be between 2 and the number of articles ({len(prep.arts)})")
    t0 = time.perf_counter()
    folds = folds_of(len(prep.arts), opts.folds)
    if opts.jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(opts.jobs, len(folds)), mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_fold_in_worker, [opts] * len(folds), range(len(folds))))
    else:
        results = [run_fold(prep, opts, test) for test in folds]
    gold_si = {a.id: a.si for a in prep.arts}
    grid = _grid(opts)
    pred_si = {g: {aid: spans for r in results for aid, spans in r.si[g].items()} for g in grid}
    gold_tc = [row for r in results for row in r.gold_tc]
    pred_tc = [row for r in results for row in r.pred_tc]
    si = {g: si_scores(gold_si, pred_si[g]) for g in grid}
    if opts.probs_out:
        save_token_probs(opts.probs_out, [r.token_probs for r in results])
    best = max(si, key=lambda g: si[g].f1)
    chosen = (opts.threshold, opts.peak)
    return {
        "articles": len(prep.arts),
        "folds": opts.folds,
        "n_layers": opts.n_layers,
        "quantize": opts.quantize,
        "members": list(opts.members),
        "fine_tune_epochs": opts.fine_tune_epochs,
        "si": si[chosen].to_dict() if chosen in si else si[best].to_dict(),
        "si_threshold": list(chosen if chosen in si else best),
        "si_by_threshold": {f"{t}/{pk}": s.to_dict() for (t, pk), s in si.items()},
        "si_best_threshold": list(best),
        "tc": tc_scores(gold_tc, pred_tc).to_dict(),
        "tc_per_technique": {k: v.to_dict() for k, v in per_technique(gold_tc, pred_tc).items()},
        "encode_seconds": round(prep.seconds, 1),
        "cv_seconds": round(time.perf_counter() - t0, 1),
    }


def save_token_probs(path: str, parts: list[dict[str, dict[str, np.ndarray]]]) -> None:
    """One .npz: ``<article>/members`` (taggers x tokens), ``<article>/offsets``, ``<article>/chunk``."""
    arrays = {f"{aid}/{key}": value for part in parts for aid, entry in part.items() for key, value in entry.items()}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    savez_compressed(path, arrays)


def cv_lines(res: dict[str, Any]) -> list[str]:
    """The human-readable form of a :func:`cross_validate` result."""
    si, tc = res["si"], res["tc"]
    by = res["si_by_threshold"]
    threshold = res["si_threshold"][0]
    peaks = [(key.split("/")[1], s) for key, s in by.items() if key.split("/")[0] == str(threshold)]
    lines = [
        f"articles {res['articles']}, {res['folds']}-fold CV by article, encoder layers {res['n_layers']}"
        f"{' (int8)' if res['quantize'] else ''}"
        f"{', fine-tuned {} epochs'.format(res['fine_tune_epochs']) if res.get('fine_tune_epochs') else ''}"
        f", span taggers {','.join(res['members'])}",
        f"SI  F1 {si['f1']:.4f}  P {si['precision']:.4f}  R {si['recall']:.4f}  (threshold {res['si_threshold']}; "
        f"best {res['si_best_threshold']}: F1 {by['/'.join(map(str, res['si_best_threshold']))]['f1']:.4f})",
        f"    by peak at threshold {threshold} (higher: fewer, surer spans): "
        + ", ".join(f"{p}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}" for p, s in peaks),
        f"TC  micro-F1 {tc['f1']:.4f}  ({tc['n_gold']} spans)",
    ]
    lines += [f"    {name:38s} F1 {s['f1']:.3f}  gold {s['n_gold']}  pred {s['n_pred']}" for name, s in res["tc_per_technique"].items()]
    return lines
