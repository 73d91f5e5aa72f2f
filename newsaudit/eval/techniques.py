"""Cross-validated evaluation of the propaganda-techniques model (``newsaudit techniques eval``
and ``eval-probs``): SI F1 (SemEval's partial-overlap measure) and TC micro-F1, by article."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..errors import EvalError
from ..techniques.model import ModelConfig, decode_spans
from ..techniques.semeval import load_corpus
from ..techniques.train import Prepared, TrainOptions, fit, predict_tc, prepare
from .semeval import per_technique, si_scores, tc_scores


def folds_of(n: int, k: int) -> list[list[int]]:
    return [[i for i in range(n) if i % k == f] for f in range(k)]


def _grid(opts: TrainOptions) -> list[tuple[float, float]]:
    return [(t, pk) for t in opts.thresholds for pk in opts.peaks if pk == 0 or pk > t]


def run_fold(prep: Prepared, opts: TrainOptions, test: list[int]) -> dict:
    """Train on every article not in ``test``; SI spans (per threshold/peak of the
    grid) and TC labels of the ``test`` articles."""
    held_out = set(test)
    model = fit(prep, opts, [i for i in range(len(prep.arts)) if i not in held_out])
    pred_si: dict[tuple[float, float], dict[str, list]] = {g: {} for g in _grid(opts)}
    gold_tc, pred_tc = [], []
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
    return {"si": pred_si, "gold_tc": gold_tc, "pred_tc": pred_tc, "token_probs": token_probs}


def _fold_in_worker(opts: TrainOptions, fold: int) -> dict:
    """One fold in a worker process: the corpus is read (and its encoder outputs
    taken from the cache) again there rather than sent over."""
    prep = prepare(opts)
    return run_fold(prep, opts, folds_of(len(prep.arts), opts.folds)[fold])


def cross_validate(opts: TrainOptions, prep: Prepared | None = None) -> dict:
    """k-fold CV by article: SI F1 (per threshold) and TC micro-F1. With
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
    pred_si = {g: {aid: spans for r in results for aid, spans in r["si"][g].items()} for g in grid}
    gold_tc = [row for r in results for row in r["gold_tc"]]
    pred_tc = [row for r in results for row in r["pred_tc"]]
    si = {g: si_scores(gold_si, pred_si[g]) for g in grid}
    if opts.probs_out:
        save_token_probs(opts.probs_out, [r["token_probs"] for r in results])
    best = max(si, key=lambda g: si[g].f1)
    chosen = (opts.threshold, opts.peak)
    return {
        "articles": len(prep.arts),
        "folds": opts.folds,
        "n_layers": opts.n_layers,
        "quantize": opts.quantize,
        "members": list(opts.members),
        "fine_tune_epochs": opts.fine_tune_epochs,
        "extra_encoders": [f"{lr:g}:{epochs}" for lr, epochs in opts.extra_encoders],
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
    np.savez_compressed(path, **arrays)


def score_token_probs(paths: list[str], data: str, thresholds: tuple[float, ...] = (0.3, 0.35), peaks: tuple[float, ...] = (0.5,)) -> dict:
    """SI scores of the held-out probabilities saved by ``eval --probs-out``: per
    article, the mean of every span tagger's row in every file that holds it (an
    ensemble of the runs, with no retraining; one run may be split over several
    files, but every article needs the same number of rows), decoded like a model's
    spans, over the articles in the files."""
    from ..techniques.encoder import Encoded

    arts = {a.id: a for a in load_corpus(data)}
    runs = []
    for path in paths:
        try:
            with np.load(path) as z:
                runs.append({key: z[key] for key in z.files})
        except (OSError, ValueError) as exc:
            raise EvalError(f"cannot read token probabilities {path}: {exc}") from None
    rows: dict[str, list[np.ndarray]] = defaultdict(list)
    tokens: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for path, run in zip(paths, runs, strict=False):
        for aid in sorted({key.split("/")[0] for key in run}):
            if aid not in arts:
                raise EvalError(f"{path}: article {aid} is not in {data}")
            offsets, chunk = run[f"{aid}/offsets"], run[f"{aid}/chunk"]
            if aid in tokens and not np.array_equal(offsets, tokens[aid][0]):
                raise EvalError(f"{path}: article {aid} has other tokens than in an earlier file (another tokenizer?)")
            tokens[aid] = (offsets, chunk)
            rows[aid].append(run[f"{aid}/members"])
    ids = sorted(rows)
    counts = {aid: sum(len(r) for r in rows[aid]) for aid in ids}
    if len(set(counts.values())) > 1:
        few = min(ids, key=counts.get)
        raise EvalError(f"article {few} has {counts[few]} tagger rows in these files, others {max(counts.values())}: "
                        "give every run's probabilities for every article (a run may be split over several files)")
    probs = {aid: np.concatenate(rows[aid]).mean(0) for aid in ids}
    gold = {aid: arts[aid].si for aid in ids}
    scores = {}
    encs = {aid: Encoded(tokens[aid][0], tokens[aid][1], np.zeros((len(probs[aid]), 0), np.float32), np.zeros(len(probs[aid]), np.int32))
            for aid in ids}  # decoding reads only the offsets and chunks
    for t in thresholds:
        for pk in peaks:
            cfg = ModelConfig(threshold=t, peak=pk)
            pred = {aid: [(s, e) for s, e, _p in decode_spans(arts[aid].text, encs[aid], probs[aid], cfg)] if len(probs[aid]) else []
                    for aid in ids}
            scores[f"{t}/{pk}"] = si_scores(gold, pred).to_dict()
    return {"articles": len(ids), "files": list(paths), "taggers": counts[ids[0]] if ids else 0,
            "si_by_threshold": scores}
