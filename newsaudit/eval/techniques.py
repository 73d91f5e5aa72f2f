"""The propaganda-techniques model's held-out token probabilities, scored (``newsaudit eval techniques-probs``):
SI F1 of one or several cross-validation runs' saved probabilities, decoded like a model's spans."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from ..errors import EvalError
from ..models.techniques.encoder import Encoded
from ..models.techniques.model import ModelConfig, decode_spans
from .ptc import load_corpus
from .semeval import si_scores


def score_token_probs(
    paths: list[str], data: str, thresholds: tuple[float, ...] = (0.3, 0.35), peaks: tuple[float, ...] = (0.5,)
) -> dict[str, Any]:
    """SI scores of the held-out probabilities saved by ``eval --probs-out``: per
    article, the mean of every span tagger's row in every file that holds it (an
    ensemble of the runs, with no retraining; one run may be split over several
    files, but every article needs the same number of rows), decoded like a model's
    spans, over the articles in the files."""
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
        few = min(ids, key=counts.__getitem__)
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
