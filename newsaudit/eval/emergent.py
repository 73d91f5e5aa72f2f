"""Emergent (Ferreira and Vlachos, NAACL 2016): headline modality and claim trails.

Each row of an Emergent CSV (``articleId, claimId, claimHeadline,
articleHeadline, articleHeadlineStance``) is a news headline about a rumoured
claim, labelled *for* (it asserts the claim), *observing* (it reports it
without asserting it) or *against* (it denies it).  Two things are scored:

* **stance**: the article headline's modality toward the claim headline, by
  the modality model (:mod:`newsaudit.models.modality`): accuracy, macro-F1
  and the confusion matrix;
* **trails**: the article headlines grouped alone, by the code of
  ``newsaudit trail``, without ``claimId``: pairwise precision, recall and F1
  against ``claimId`` (a pair of headlines is positive when they carry the same
  claim).

The grouping is :func:`newsaudit.corpus.trail.texts.group_texts`.
Cross-validation (a model fitted on the other claims) is
:mod:`newsaudit.train.modality`.  Nothing here reads FNC-1 or any other copy of
these headlines.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalError
from .scorer import Score

COLUMNS = ("articleId", "claimId", "claimHeadline", "articleHeadline")
STANCE_COLUMN = "articleHeadlineStance"
#: Emergent's stances, and the modality each one is.
STANCES: tuple[str, ...] = ("for", "observing", "against")
TO_MODALITY = {"for": "asserted", "observing": "reported", "against": "denied"}
FROM_MODALITY = {m: s for s, m in TO_MODALITY.items()}
#: Grouping settings for headlines when the model's config has none (``headline_grouping``: chosen by
#: ``newsaudit train modality`` on its training file, docs/modality.md).
HEADLINE_GROUPING: dict[str, Any] = {"threshold": 0.4, "cohesion": 0.45, "knn": 10}


@dataclass(frozen=True)
class EmergentRow:
    article_id: str
    claim_id: str
    claim: str
    headline: str
    #: for | observing | against; None in a file without labels
    stance: str | None


def read_emergent(path: str | Path) -> list[EmergentRow]:
    """The rows of an Emergent CSV (its header names the columns; ``articleHeadlineStance`` may be absent)."""
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise EvalError(f"{p}: not an Emergent file (no column {', '.join(missing)})")
            labelled = STANCE_COLUMN in (reader.fieldnames or ())
            rows = []
            for n, r in enumerate(reader, 2):
                stance = (r.get(STANCE_COLUMN) or "").strip() if labelled else None
                if stance is not None and stance not in STANCES:
                    raise EvalError(f"{p}, line {n}: stance {stance!r} is none of {', '.join(STANCES)}")
                rows.append(EmergentRow(r["articleId"], r["claimId"], r["claimHeadline"], r["articleHeadline"], stance))
    except OSError as exc:
        raise EvalError(f"cannot read {p}: {exc}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise EvalError(f"{p}: not a readable CSV ({exc})") from exc
    if not rows:
        raise EvalError(f"{p}: no rows")
    return rows


# ------------------------------------------------------------------ scorers


@dataclass(frozen=True)
class StanceReport:
    accuracy: float
    macro_f1: float
    f1: dict[str, float]
    #: rows gold, columns predicted, in STANCES order
    confusion: tuple[tuple[int, ...], ...]
    n: int


def stance_report(gold: Sequence[str], pred: Sequence[str]) -> StanceReport:
    """Accuracy, per-class and macro F1, and the confusion matrix of aligned stance labels."""
    if len(gold) != len(pred) or not gold:
        raise EvalError(f"{len(gold)} gold and {len(pred)} predicted stances")
    idx = {s: i for i, s in enumerate(STANCES)}
    conf = [[0] * len(STANCES) for _ in STANCES]
    for g, p in zip(gold, pred, strict=True):
        conf[idx[g]][idx[p]] += 1
    f1 = {}
    for i, s in enumerate(STANCES):
        denom = sum(conf[i]) + sum(row[i] for row in conf)
        f1[s] = 2 * conf[i][i] / denom if denom else 0.0
    correct = sum(conf[i][i] for i in range(len(STANCES)))
    return StanceReport(correct / len(gold), sum(f1.values()) / len(f1), f1, tuple(tuple(r) for r in conf), len(gold))


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_score(groups: Sequence[Hashable], gold: Sequence[Hashable]) -> Score:
    """(tp, fp, fn) over all pairs of items: predicted when they share a group, gold when they share a claim."""
    if len(groups) != len(gold):
        raise EvalError(f"{len(groups)} groups for {len(gold)} items")
    both = sum(_pairs(c) for c in Counter(zip(groups, gold, strict=True)).values())
    predicted = sum(_pairs(c) for c in Counter(groups).values())
    positive = sum(_pairs(c) for c in Counter(gold).values())
    return Score(both, predicted - both, positive - both)


# ------------------------------------------------------------------ evaluation


@dataclass(frozen=True)
class EmergentEvalOptions:
    file: str
    #: Write ``articleId,stance,trail`` here.
    pred: str | None = None
    #: A modality model folder (None: the shipped one).
    model: str | None = None
    #: Headline grouping settings (None: :data:`HEADLINE_GROUPING`).
    threshold: float | None = None
    cohesion: float | None = None
    encoder: str | None = None
    #: The embedding cache of the headlines is kept beside this path (None: no cache).
    cache: str | None = None


@dataclass(frozen=True)
class EmergentEval:
    rows: int
    claims: int
    stances: list[str]
    trails: list[int]
    #: None for a file without labels
    stance: StanceReport | None
    grouping: Score
    settings: dict[str, Any]
    #: how the predictions were made ("shipped model", "claim-grouped 5-fold cross-validation")
    mode: str

    def scores(self) -> dict[str, float]:
        out = {"pairwise F1": round(self.grouping.f1, 4)}
        if self.stance is not None:
            out = {"stance accuracy": round(self.stance.accuracy, 4), "stance macro-F1": round(self.stance.macro_f1, 4),
                   **out}
        return out


def file_sha256(path: str | Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def trained_on(path: str | Path, model: str | None = None) -> bool:
    """Whether the file is the training data of the model (its config records the training file's SHA-256)."""
    from ..models.modality import load_modality_model

    recorded = load_modality_model(model).config.get("recipe", {}).get("train_sha256")
    return bool(recorded) and recorded == file_sha256(path)


def evaluate_emergent(opts: EmergentEvalOptions) -> EmergentEval:
    """Stances by the modality model, trails by the trail's grouping; scored when the file has labels."""
    from ..corpus.trail.texts import group_texts
    from ..models.modality import load_modality_model

    rows = read_emergent(opts.file)
    model = load_modality_model(opts.model)
    readings = model.read_many([(r.claim, r.headline) for r in rows])
    stances = [FROM_MODALITY[m.label] for m in readings]
    chosen = {k: v for k, v in (model.config.get("headline_grouping") or {}).items() if k in HEADLINE_GROUPING}
    settings = {**HEADLINE_GROUPING, **chosen,
                **{k: v for k, v in (("threshold", opts.threshold), ("cohesion", opts.cohesion)) if v is not None}}
    if settings["cohesion"] is not None and settings["cohesion"] < 0:
        settings["cohesion"] = None
    if opts.cache is not None:
        Path(opts.cache).parent.mkdir(parents=True, exist_ok=True)
    trails = group_texts([r.headline for r in rows], encoder=opts.encoder, cache=opts.cache, **settings)
    return finish(rows, stances, trails, settings, "shipped model", opts.pred)


def finish(rows: Sequence[EmergentRow], stances: list[str], trails: list[int], settings: dict[str, Any], mode: str,
           pred: str | None) -> EmergentEval:
    """Score (and write) predictions made for ``rows``."""
    if pred:
        write_predictions(pred, rows, stances, trails)
    gold = [r.stance for r in rows]
    report = stance_report([g for g in gold if g is not None], stances) if all(g is not None for g in gold) else None
    return EmergentEval(len(rows), len({r.claim_id for r in rows}), stances, trails, report,
                        pair_score(trails, [r.claim_id for r in rows]), settings, mode)


def write_predictions(path: str | Path, rows: Sequence[EmergentRow], stances: Sequence[str], trails: Sequence[int]) -> None:
    """``articleId,stance,trail``, one line per row, in the file's order."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["articleId", "stance", "trail"])
        for r, s, t in zip(rows, stances, trails, strict=True):
            w.writerow([r.article_id, s, t])


def report_text(result: EmergentEval, file: str) -> str:
    """The scores as ``newsaudit eval emergent`` prints them."""
    lines = [f"Emergent {file}: {result.rows} headlines, {result.claims} claims ({result.mode})"]
    s = result.stance
    if s is not None:
        lines.append(f"stance: accuracy {s.accuracy:.4f}, macro-F1 {s.macro_f1:.4f} "
                     f"(F1 {', '.join(f'{k} {v:.4f}' for k, v in s.f1.items())})")
        lines.append("confusion (rows gold, columns predicted): " + " ".join(f"{x:>9}" for x in STANCES))
        for name, row in zip(STANCES, s.confusion, strict=True):
            lines.append(f"  {name:>9} " + " ".join(f"{x:>9d}" for x in row))
    else:
        lines.append("stance: the file has no labels (predictions only)")
    g = result.grouping
    shown = ", ".join(f"{k} {v}" for k, v in result.settings.items())
    lines.append(f"trails (headlines alone, {shown}): {len(set(result.trails))} trails; pairwise P {g.precision:.4f}, "
                 f"R {g.recall:.4f}, F1 {g.f1:.4f} (tp {g.tp}, fp {g.fp}, fn {g.fn})")
    return "\n".join(lines)
