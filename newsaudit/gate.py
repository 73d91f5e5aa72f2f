"""The evaluation gate (``make eval-gate``, ``newsaudit eval gate``): every evaluation whose data is
present, each score compared with a floor pinned in a JSON file in the repository.  It sits above
``train`` and ``eval``: some checks score shipped models, others cross-validate a recipe.

The floors file (``eval-floors.json``) holds, per check, a SHA-256 of the corpus
files it reads and a floor per metric, and a ``lowered`` list::

    {"checks": {"polnear-dev": {"corpus_sha256": "...", "floors": {"content-overlap F1": 0.69}}},
     "lowered": [{"check": ..., "metric": ..., "from": ..., "to": ..., "date": ..., "reason": ...}]}

:func:`run_gate` fails a check when a score is below its floor, or when the
corpus hash differs from the pinned one (the floor then means nothing until it
is pinned again).  ``--pin`` writes the floors: each score minus
:data:`MARGIN`, rounded down.  A pin that would *lower* a floor is refused unless
``allow_lower`` gives a reason; the lowering is then recorded in ``lowered``,
and ``CHANGELOG.md`` must carry a line for it (``tests/test_eval_gate.py`` checks).

A check whose corpus is absent is skipped with a line saying so.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypedDict

from .errors import EvalError

#: How far under a pinned score its floor is set (scores of these runs are
#: deterministic; the margin absorbs float and library noise, not regressions).
MARGIN = 0.005


@dataclass(frozen=True)
class GateOptions:
    """Options of :func:`run_gate` (the ``newsaudit eval gate`` command)."""

    #: The corpora folder (``../shared/data``).
    data: str = "../shared/data"
    #: The floors file.
    floors: str = "eval-floors.json"
    #: Where reusable artefacts (the CLEF fact-check store) are kept between runs.
    cache_dir: str = "build/eval-gate"
    #: Only these checks (empty: all).
    only: tuple[str, ...] = ()
    #: Write the floors from this run instead of checking them.
    pin: bool = False
    #: With ``pin``: the reason for lowering a floor (None: lowering is refused).
    allow_lower: str | None = None
    #: Checks run at once, each in its own process (1: one after another in this process).
    jobs: int = 1


@dataclass
class CheckResult:
    name: str
    #: metric -> score ({} when skipped)
    scores: dict[str, float] = field(default_factory=dict)
    corpus_sha256: str | None = None
    seconds: float = 0.0
    skipped: str | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class GateResult:
    checks: list[CheckResult]
    pinned: bool = False

    @property
    def ok(self) -> bool:
        return not any(c.problems for c in self.checks)

    def lines(self) -> list[str]:
        """The report, one line per score (and per problem)."""
        out = []
        for c in self.checks:
            if c.skipped:
                out.append(f"{c.name}: skipped ({c.skipped})")
                continue
            scores = ", ".join(f"{k} {v:.4f}" for k, v in c.scores.items())
            out.append(f"{c.name}: {scores} ({c.seconds:.0f} s)")
            out += [f"  FAIL {p}" for p in c.problems]
        verdict = "pinned" if self.pinned else ("ok" if self.ok else "FAILED")
        out.append(f"evaluation gate: {verdict}")
        return out


# ------------------------------------------------------------------ checks


@dataclass(frozen=True)
class Check:
    name: str
    #: corpus files or folders, relative to the data folder (hashed)
    corpus: tuple[str, ...]
    #: ``run(data, cache)``: the scores
    run: Callable[[Path, Path], dict[str, float]]
    #: ``prepare(data, cache)``: an artefact in ``cache`` that other checks share too (built once,
    #: before checks run in parallel)
    prepare: Callable[[Path, Path], object] | None = None
    #: Rough seconds on a 2-core machine: with ``jobs`` > 1 the longest checks start first.
    cost: float = 0.0


#: The strict measures the polnear-dev check reads (beside the four span measures).
GATED_STRICT = ("partial", "jaccard", "source", "cue")


def _polnear_dev(data: Path, _cache: Path) -> dict[str, float]:
    from .eval.polnear import AttributionEvalOptions, evaluate

    result = evaluate(AttributionEvalOptions(directory=str(data / "polnear" / "dev"), baseline=False))
    scores = {f"{measure} F1": round(score.f1, 4) for measure, score in result.scores["newsaudit"].items()}
    strict = result.strict["newsaudit"]
    scores.update({f"strict {measure} F1": round(strict.prf(measure)[2], 4) for measure in GATED_STRICT})
    return scores


def _polnear_entities_dev(data: Path, _cache: Path) -> dict[str, float]:
    """The source-entity measures over the entity layer of PolNeAR dev (``newsaudit eval sources``)."""
    from .eval.sources import SourceEvalOptions, evaluate_sources

    result = evaluate_sources(SourceEvalOptions(polnear=str(data / "polnear" / "dev"),
                                                entities=str(data / "polnear-entities" / "dev")))
    return {name: round(value, 4) for name, value in result.counts.gated().items()}


def _clef_store(data: Path, cache: Path) -> Path:
    """The CLEF 2020 verified claims as a fact-check store, built once in ``cache`` (again when they change)."""
    from .factcheck.commands import ImportOptions, import_reviews
    from .factcheck.importers import ColumnMapping

    claims = data / "clef2020-task2" / "verified_claims.docs.tsv"
    stamp = cache / "clef.db.sha256"
    db = cache / "clef.db"
    digest = corpus_hash([claims])
    if not (db.exists() and stamp.exists() and stamp.read_text().strip() == digest):
        for stale in cache.glob("clef.db*"):
            if stale.is_dir():
                import shutil

                shutil.rmtree(stale)
            else:
                stale.unlink()
        cache.mkdir(parents=True, exist_ok=True)
        import_reviews(ImportOptions(file=str(claims), db=str(db), mapping=ColumnMapping(id=0, claim="vclaim", title="title")))
        stamp.write_text(digest + "\n")
    return db


def _clef_dev(data: Path, cache: Path) -> dict[str, float]:
    from .eval.retrieval import RetrievalEvalOptions, evaluate_retrieval

    root = data / "clef2020-task2"
    db = _clef_store(data, cache)
    scores = evaluate_retrieval(RetrievalEvalOptions(
        queries=str(root / "dev" / "tweets.queries.tsv"), qrels=str(root / "dev" / "tweet-vclaim-pairs.qrels"), db=str(db)))
    return {"MAP@5": round(scores.map_at_5, 4), "MRR": round(scores.mrr, 4)}


def _clef_trail_dev(data: Path, cache: Path) -> dict[str, float]:
    """Pairwise F1 of claim trails on CLEF 2020 dev tweets (``newsaudit eval trail``, settings tuned on
    train): by meaning alone, and with the fact-check store of the verified claims."""
    from .eval.trail import TrailEvalOptions, evaluate_trails

    opts = TrailEvalOptions(data=str(data / "clef2020-task2"), split="dev", work=str(cache / "trail"))
    meaning = evaluate_trails(opts)
    store = evaluate_trails(replace(opts, db=str(_clef_store(data, cache))))
    return {"pairwise F1 (meaning alone)": round(meaning.f1, 4), "pairwise F1 (with the store)": round(store.f1, 4)}


#: PTC articles of the smoke check (the shipped model was trained on all of PTC:
#: this checks that it loads and still finds what it learned, not how it generalises).
PTC_SMOKE_ARTICLES = 20


def _ptc_smoke(data: Path, _cache: Path) -> dict[str, float]:
    from .eval.ptc import load_corpus
    from .eval.semeval import si_scores
    from .models.techniques.detect import detect

    arts = load_corpus(data / "ptc", limit=PTC_SMOKE_ARTICLES)
    gold = {a.id: a.si for a in arts}
    pred = {a.id: [(t.start, t.end) for t in detect(a.text)] for a in arts}
    return {"SI F1 (in-sample smoke)": round(si_scores(gold, pred).f1, 4)}


def _fnc1_dev(data: Path, _cache: Path) -> dict[str, float]:
    from .eval.stance import StanceEvalOptions, evaluate_stance

    root = data / "fnc1"
    result = evaluate_stance(StanceEvalOptions(
        bodies=str(root / "train_bodies.csv"), stances=str(root / "train_stances.csv"), split="dev"))
    if result.report is None:
        raise EvalError(f"{root / 'train_stances.csv'} has no Stance column")
    return {"relative score": round(result.report.relative, 4), "macro-F1": round(result.report.macro_f1, 4)}


def _checkworthy_held_out(data: Path, _cache: Path) -> dict[str, float]:
    from .eval.checkworthy import CheckworthyEvalOptions
    from .train.checkworthy_cv import cross_validate_file

    result = cross_validate_file(CheckworthyEvalOptions(
        file=str(data / "checkworthy" / "clef2019-task1-train.csv"), mode="held-out"))
    if result.report is None:
        raise EvalError("the check-worthiness file has no labels")
    return {"MAP": round(result.report.map, 4), "R-precision": round(result.report.r_precision, 4)}


def _emergent_cv(data: Path, cache: Path) -> dict[str, float]:
    """Emergent train under claim-grouped 5-fold cross-validation: headline stance (the modality model fitted on
    the other claims) and pairwise F1 of the headlines grouped alone by the trail's code (settings chosen on the
    other folds); the headlines' embeddings are cached in ``cache``."""
    from .train.modality import cross_validate_file

    return cross_validate_file(data / "emergent" / "train.csv", cache / "emergent").result.scores()


CHECKS: tuple[Check, ...] = (
    Check("polnear-dev", ("polnear/dev",), _polnear_dev, cost=31),
    Check("polnear-entities-dev", ("polnear/dev", "polnear-entities/dev"), _polnear_entities_dev, cost=20),
    Check("clef2020-dev", ("clef2020-task2/verified_claims.docs.tsv", "clef2020-task2/dev"), _clef_dev,
          prepare=_clef_store, cost=87),
    Check("clef2020-trail-dev", ("clef2020-task2/verified_claims.docs.tsv", "clef2020-task2/dev"), _clef_trail_dev,
          prepare=_clef_store, cost=23),
    Check("fnc1-dev", ("fnc1/train_bodies.csv", "fnc1/train_stances.csv"), _fnc1_dev, cost=80),
    Check("checkworthy-held-out", ("checkworthy/clef2019-task1-train.csv",), _checkworthy_held_out, cost=82),
    Check("ptc-smoke", ("ptc",), _ptc_smoke, cost=12),
    Check("emergent-cv", ("emergent/train.csv",), _emergent_cv, cost=39),
)


def _timed_run(run: Callable[[Path, Path], dict[str, float]], data: Path, cache: Path) -> tuple[dict[str, float], float]:
    """One check's scores and seconds (in a worker process, ``run`` travels by its module and name)."""
    started = time.perf_counter()
    scores = run(data, cache)
    return scores, time.perf_counter() - started


def _run_checks(checks: list[Check], data: Path, cache: Path, jobs: int) -> dict[str, tuple[dict[str, float], float]]:
    """Scores and seconds of each check: one after another, or ``jobs`` at a time in worker processes."""
    if jobs <= 1 or len(checks) <= 1:
        return {c.name: _timed_run(c.run, data, cache) for c in checks}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    for prepare in dict.fromkeys(c.prepare for c in checks if c.prepare is not None):
        prepare(data, cache)
    longest_first = sorted(checks, key=lambda c: -c.cost)
    with ProcessPoolExecutor(max_workers=min(jobs, len(checks)), mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {c.name: pool.submit(_timed_run, c.run, data, cache) for c in longest_first}
        return {name: future.result() for name, future in futures.items()}


# ------------------------------------------------------------------ hashing and floors


def corpus_hash(paths: Iterable[Path]) -> str:
    """SHA-256 over the relative names and contents of every file under ``paths`` (sorted)."""
    h = hashlib.sha256()
    for root in sorted(Path(p) for p in paths):
        files = sorted(f for f in root.rglob("*") if f.is_file()) if root.is_dir() else [root]
        for f in files:
            rel = f.relative_to(root.parent).as_posix()
            h.update(rel.encode() + b"\0")
            with f.open("rb") as fh:
                for block in iter(functools.partial(fh.read, 1 << 20), b""):
                    h.update(block)
            h.update(b"\0")
    return h.hexdigest()


class PinnedCheck(TypedDict, total=False):
    """One check's entry in the floors file."""

    corpus_sha256: str | None
    floors: dict[str, float]


class Floors(TypedDict):
    """The floors file (see the module docstring)."""

    checks: dict[str, PinnedCheck]
    #: check, metric, from, to, date, reason
    lowered: list[dict[str, str | float | None]]


def read_floors(path: str | Path) -> Floors:
    p = Path(path)
    if not p.exists():
        return {"checks": {}, "lowered": []}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvalError(f"cannot read the floors file {p}: {exc}") from None
    data.setdefault("checks", {})
    data.setdefault("lowered", [])
    return data


def floor_of(score: float) -> float:
    """The floor pinned for ``score``: ``score - MARGIN``, rounded down to 3 decimals."""
    return math.floor((score - MARGIN) * 1000) / 1000


def _compare(result: CheckResult, pinned: PinnedCheck) -> None:
    if not pinned:
        result.problems.append("no floor pinned for this check (run with --pin)")
        return
    if pinned.get("corpus_sha256") != result.corpus_sha256:
        result.problems.append("the corpus changed since the floors were pinned (check the scores, then --pin)")
    for metric, floor in pinned.get("floors", {}).items():
        score = result.scores.get(metric)
        if score is None:
            result.problems.append(f"{metric}: no longer measured (floor {floor})")
        elif score < floor:
            result.problems.append(f"{metric}: {score:.4f} is below its floor {floor}")


def _pin(results: list[CheckResult], floors: Floors, allow_lower: str | None) -> Floors:
    lowered: list[dict[str, str | float | None]] = []
    for r in results:
        if r.skipped:
            continue
        old = floors["checks"].get(r.name, {}).get("floors", {})
        new = {metric: floor_of(score) for metric, score in r.scores.items()}
        for metric, value in new.items():
            if metric in old and value < old[metric]:
                lowered.append({"check": r.name, "metric": metric, "from": old[metric], "to": value})
        floors["checks"][r.name] = {"corpus_sha256": r.corpus_sha256, "floors": new}
    if lowered and not allow_lower:
        names = "; ".join(f"{x['check']} {x['metric']} {x['from']} -> {x['to']}" for x in lowered)
        raise EvalError(f"pinning would lower floors ({names}): pass --allow-lower REASON and add the line to CHANGELOG.md")
    today = _dt.date.today().isoformat()
    floors["lowered"] += [{**x, "date": today, "reason": allow_lower} for x in lowered]
    return floors


def run_gate(options: GateOptions) -> GateResult:
    """Run every check whose data is present; compare with (or, with ``pin``, write) the floors."""
    data = Path(options.data)
    if not data.is_dir():
        raise EvalError(f"corpora folder not found: {data}")
    if options.jobs < 1:
        raise EvalError(f"--jobs must be at least 1 (got {options.jobs})")
    unknown = set(options.only) - {c.name for c in CHECKS}
    if unknown:
        raise EvalError(f"unknown check(s) {', '.join(sorted(unknown))}; the checks are {', '.join(c.name for c in CHECKS)}")
    floors = read_floors(options.floors)
    cache = Path(options.cache_dir)
    chosen = [c for c in CHECKS if not options.only or c.name in options.only]
    missing = {c.name: [str(data / p) for p in c.corpus if not (data / p).exists()] for c in chosen}
    runs = _run_checks([c for c in chosen if not missing[c.name]], data, cache, options.jobs)
    results = []
    for check in chosen:
        if missing[check.name]:
            results.append(CheckResult(check.name, skipped=f"{', '.join(missing[check.name])} absent"))
            continue
        scores, seconds = runs[check.name]
        result = CheckResult(check.name, scores, corpus_hash(data / p for p in check.corpus), seconds=seconds)
        if not options.pin:
            _compare(result, floors["checks"].get(check.name, {}))
        results.append(result)
    if options.pin:
        floors = _pin(results, floors, options.allow_lower)
        Path(options.floors).write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return GateResult(results, pinned=options.pin)
