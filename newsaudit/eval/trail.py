"""Pairwise evaluation of trail grouping on CLEF 2020 CheckThat! Task 2 tweets.

There is no trail gold corpus, but the tweets of CLEF 2020 Task 2 are each
linked to the verified claim they make (``tweet-vclaim-pairs.qrels``).  Each
tweet becomes a one-paragraph article (the closing ``— Name (@handle) Month
D, YYYY`` of an embedded tweet becomes its outlet, ``@handle``, and its date),
``batch`` analyses them, ``trail`` groups their statements, and two tweets
*share a trail* when some statement of each is in the same trail.  Scored over
all pairs of tweets of the split: a pair is positive when both tweets make the
same verified claim.

A tweet is a *post* (one paragraph, no headline), so besides its attributed
contents and check-worthy claims it is also a statement as a whole.

With ``db`` (a fact-check store holding the CLEF verified claims, as
``newsaudit eval clef`` builds it) the trail matches every statement
against it, and statements with the same best match may join at a lower
similarity (``factcheck_threshold``).  Beware what that measures: the store is
the very collection the tweets were labelled against, so this setting mostly
measures fact-check retrieval.  Without it, grouping is by meaning alone.

The batch output of a split (and its embedding cache) is kept in ``work``, so
a re-run, or a threshold sweep, analyses and embeds nothing again.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import combinations
from pathlib import Path

from ..corpus.batch import run_batch
from ..corpus.options import BatchOptions
from ..corpus.trail.run import TrailOptions, run_trail
from ..corpus.trail.statements import embed_text
from ..errors import EvalError, NewsauditError
from ..options import AnalyzeOptions
from .scorer import Score


@dataclass(frozen=True)
class Tuned:
    """The train-tuned trail settings of one way of grouping (see :data:`TUNED`)."""

    threshold: float
    cohesion: float
    factcheck_threshold: float | None
    factcheck_min_similarity: float | None = None


#: Grouping settings tuned on CLEF 2020 Task 2 *train* (grid search; docs/evaluation.md, "Claim trails"):
#: by meaning alone, and with the fact-check store.
TUNED = {
    "meaning": Tuned(threshold=0.55, cohesion=0.45, factcheck_threshold=None),
    "factcheck": Tuned(threshold=0.9, cohesion=0.7, factcheck_threshold=0.4, factcheck_min_similarity=0.4),
}

_SIGNATURE = re.compile(r"\s*[—–-]\s*(?P<name>[^—–]*?)\s*\(@(?P<handle>\w+)\)\s*(?P<date>[A-Z][a-z]+ \d{1,2}, \d{4})\s*$")


@dataclass(frozen=True)
class TrailEvalOptions:
    #: The clef2020-task2 folder (train/ and dev/ with tweets.queries.tsv and tweet-vclaim-pairs.qrels).
    data: str
    split: str = "dev"
    #: None: the train-tuned value of :data:`TUNED` (so for the two below).
    threshold: float | None = None
    cohesion: float | None = None
    #: Fact-check store with the CLEF verified claims; None: meaning alone.
    db: str | None = None
    #: Used only with ``db``: the cosine from which statements sharing their best match join,
    factcheck_threshold: float | None = None
    #: and the cosine from which a statement's best match counts.
    factcheck_min_similarity: float | None = None
    #: Where the batch outputs, their caches and the trail files go.
    work: str = ".newsaudit/trail-eval"
    min_words: int = 5
    encoder: str | None = None
    workers: int = 1


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tweets: int
    gold_pairs: int
    predicted_pairs: int
    trails: int
    threshold: float
    cohesion: float | None
    factcheck_threshold: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class CosineCeiling:
    """The best pairwise F1 that one cosine threshold over whole tweets reaches, the threshold chosen on
    the scored split itself: a reference point for grouping by this encoder's similarity, not a result."""

    f1: float
    precision: float
    recall: float
    threshold: float
    gold_pairs: int
    tweets: int
    #: the median cosine of two tweets about the same verified claim
    median_gold: float

    def to_dict(self) -> dict[str, float | None]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def tweet_article(qid: str, text: str) -> dict[str, str]:
    """One tweet as a JSONL article: the embedded-tweet signature becomes outlet and date."""
    m = _SIGNATURE.search(text)
    record = {"id": qid, "text": text}
    if m and m.start() > 0:
        record["text"] = text[: m.start()].rstrip()
        record["outlet"] = "@" + m.group("handle")
        try:
            record["date"] = datetime.strptime(m.group("date"), "%B %d, %Y").date().isoformat()
        except ValueError:
            pass
    return record


def _split_files(opts: TrailEvalOptions) -> tuple[Path, Path]:
    root = Path(opts.data) / opts.split
    queries, qrels = root / "tweets.queries.tsv", root / "tweet-vclaim-pairs.qrels"
    for path in (queries, qrels):
        if not path.is_file():
            raise EvalError(f"{path}: not found (expected the CLEF 2020 Task 2 folder with {opts.split}/)")
    return queries, qrels


def read_split(opts: TrailEvalOptions) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """The split's (tweet id, text) pairs and tweet -> verified claims."""
    from ..factcheck.clef import read_qrels, read_queries

    queries_file, qrels_file = _split_files(opts)
    try:
        return read_queries(queries_file), read_qrels(qrels_file)
    except NewsauditError as exc:
        raise EvalError(str(exc)) from exc


def analysis_stamp() -> str:
    """A digest of the installed newsaudit package (code, models, lexicons): a batch output kept in
    ``work`` is reused only while the analysis that wrote it is unchanged."""
    import hashlib

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def prepare_batch(opts: TrailEvalOptions) -> tuple[Path, dict[str, set[str]], list[str]]:
    """Run ``batch`` over the split's tweets once (kept in ``opts.work``); return
    (batch output, tweet -> verified claims, tweet ids)."""
    queries, qrels = read_split(opts)
    work = Path(opts.work)
    work.mkdir(parents=True, exist_ok=True)
    tag = f"clef-{opts.split}"
    articles = work / f"{tag}.jsonl"
    out = work / f"{tag}.parquet"
    lines = "".join(json.dumps(tweet_article(q, t), ensure_ascii=False) + "\n" for q, t in queries)
    stamp, made_by = work / f"{tag}.stamp", analysis_stamp()
    fresh = not articles.is_file() or articles.read_text(encoding="utf-8") != lines
    if fresh:
        articles.write_text(lines, encoding="utf-8")
    if fresh or not out.is_file() or not stamp.is_file() or stamp.read_text(encoding="utf-8") != made_by:
        # ``newsaudit batch ARTICLES --out OUT --any-language`` (tweets are short and often not English)
        run_batch(BatchOptions(input=str(articles), out=str(out), workers=opts.workers,
                               analyze=AnalyzeOptions(any_language=True)))
        stamp.write_text(made_by, encoding="utf-8")
    return out, qrels, [q for q, _t in queries]


def score_pairs(groups: dict[str, set[int]], gold: dict[str, set[str]], tweets: list[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) over all pairs of ``tweets``: predicted when they share a group,
    gold when they share a verified claim."""
    by_group: dict[int, set[str]] = defaultdict(set)
    for tweet, gs in groups.items():
        for g in gs:
            by_group[g].add(tweet)
    predicted: set[tuple[str, str]] = set()
    for members in by_group.values():
        predicted.update(combinations(sorted(members), 2))
    positive = gold_pairs(gold, tweets)
    tp = len(predicted & positive)
    return tp, len(predicted) - tp, len(positive) - tp


def gold_pairs(gold: dict[str, set[str]], tweets: list[str]) -> set[tuple[str, str]]:
    """The (sorted) pairs of ``tweets`` that share a verified claim."""
    by_claim: dict[str, set[str]] = defaultdict(set)
    known = set(tweets)
    for tweet, claims in gold.items():
        if tweet in known:
            for c in claims:
                by_claim[c].add(tweet)
    positive: set[tuple[str, str]] = set()
    for members in by_claim.values():
        positive.update(combinations(sorted(members), 2))
    return positive


def evaluate_trails(opts: TrailEvalOptions) -> PairScores:
    """Batch (once), trail, and pairwise precision/recall/F1 (see the module docs)."""
    import pyarrow.parquet as pq

    batch, gold, tweets = prepare_batch(opts)
    tuned = TUNED["factcheck" if opts.db else "meaning"]
    threshold = tuned.threshold if opts.threshold is None else opts.threshold
    cohesion = tuned.cohesion if opts.cohesion is None else opts.cohesion
    fc = None
    if opts.db:
        fc = tuned.factcheck_threshold if opts.factcheck_threshold is None else opts.factcheck_threshold
    min_similarity = opts.factcheck_min_similarity
    if min_similarity is None:
        min_similarity = float(tuned.factcheck_min_similarity or 0.5)
    out = Path(opts.work) / f"{batch.stem}.trail.parquet"
    trails = run_trail(TrailOptions(inputs=(str(batch),), out=str(out), threshold=threshold, cohesion=cohesion,
                                    factcheck_threshold=fc, factcheck_db=opts.db, min_words=opts.min_words,
                                    encoder=opts.encoder, factcheck_min_similarity=min_similarity)).trails
    groups: dict[str, set[int]] = defaultdict(set)
    for row in pq.read_table(out, columns=["trail_id", "id"]).to_pylist():
        groups[row["id"]].add(row["trail_id"])
    tp, fp, fn = score_pairs(groups, gold, tweets)
    score = Score(tp, fp, fn)
    return PairScores(precision=score.precision, recall=score.recall, f1=score.f1, tp=tp, fp=fp, fn=fn,
                      tweets=len(tweets), gold_pairs=tp + fn, predicted_pairs=tp + fp, trails=trails, threshold=threshold,
                      cohesion=cohesion,
                      factcheck_threshold=fc)


def cosine_ceiling(opts: TrailEvalOptions) -> CosineCeiling:
    """Embed every tweet of the split whole (without its signature, in the trail's embedded form) and
    find the threshold whose "cosine >= t" pairs score the best pairwise F1 against the qrels."""
    import numpy as np

    from ..factcheck.embed import get_embedder

    queries, gold = read_split(opts)
    ids = [q for q, _t in queries]
    vectors = get_embedder(opts.encoder).encode([embed_text(_SIGNATURE.sub("", t)) for _q, t in queries])
    upper = np.triu_indices(len(ids), 1)
    cos = (vectors @ vectors.T)[upper]
    pairs = gold_pairs(gold, ids)
    positive = np.array([(min(ids[a], ids[b]), max(ids[a], ids[b])) in pairs for a, b in zip(*upper, strict=True)], dtype=bool)
    n_gold = int(positive.sum())
    if n_gold == 0:
        raise EvalError(f"{opts.data}/{opts.split}: no two tweets share a verified claim")
    order = np.argsort(-cos, kind="stable")
    tp = np.cumsum(positive[order])
    k = np.arange(1, len(order) + 1)
    f1 = 2 * tp / (k + n_gold)
    best = int(np.argmax(f1))
    return CosineCeiling(f1=float(f1[best]), precision=float(tp[best] / k[best]), recall=float(tp[best] / n_gold),
                         threshold=float(cos[order[best]]), gold_pairs=n_gold, tweets=len(ids),
                         median_gold=float(np.median(cos[positive])))


def ceiling_text(c: CosineCeiling, split: str) -> str:
    return (f"CLEF 2020 Task 2 {split}: {c.tweets} tweets, {c.gold_pairs} gold pairs (whole tweets, one cosine threshold "
            f"chosen on {split} itself: a reference point for the encoder, not a result)\n"
            f"best F1 {c.f1:.3f} (P {c.precision:.3f}, R {c.recall:.3f}) at cosine >= {c.threshold:.3f}; "
            f"median cosine of a gold pair {c.median_gold:.3f}")


def sweep(opts: TrailEvalOptions, thresholds: list[float],
          factcheck_thresholds: list[float | None] | None = None) -> list[PairScores]:
    """Scores for every (threshold, factcheck threshold); the batch and the embeddings are reused."""
    out = []
    for fc in factcheck_thresholds or [opts.factcheck_threshold]:
        for t in thresholds:
            out.append(evaluate_trails(replace(opts, threshold=t, factcheck_threshold=fc)))
    return out


def scores_text(scores: list[PairScores], split: str, with_db: bool) -> str:
    """The scores as the text table ``newsaudit eval trail`` prints."""
    mode = "meaning + fact-check matches" if with_db else "meaning alone"
    lines = [f"CLEF 2020 Task 2 {split}: {scores[0].tweets} tweets, {scores[0].gold_pairs} gold pairs ({mode})",
             "threshold  cohesion  factcheck      P      R     F1    tp    fp    fn  trails"]
    for s in scores:
        fc = "-" if s.factcheck_threshold is None else f"{s.factcheck_threshold:.2f}"
        co = "-" if s.cohesion is None else f"{s.cohesion:.2f}"
        lines.append(f"{s.threshold:9.2f}  {co:>8}  {fc:>9}  {s.precision:.3f}  {s.recall:.3f}  {s.f1:.3f}  "
                     f"{s.tp:4d}  {s.fp:4d}  {s.fn:4d}  {s.trails:6d}")
    return "\n".join(lines)
