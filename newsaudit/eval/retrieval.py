"""Fact-check retrieval evaluation (CLEF 2020 CheckThat! Task 2): rank the
queries against a store and score the run: MAP@1/3/5, MRR, P@1, R@5."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import FactCheckError
from ..factcheck.clef import Run, read_qrels
from ..factcheck.commands import RankOptions, rank


@dataclass(frozen=True)
class RetrievalScores:
    """Ranking quality over ``queries`` queries (those with at least one relevant doc)."""

    map_at_1: float
    map_at_3: float
    map_at_5: float
    mrr: float
    precision_at_1: float
    recall_at_5: float
    queries: int

    def to_dict(self) -> dict[str, float | int]:
        return {"MAP@1": round(self.map_at_1, 4), "MAP@3": round(self.map_at_3, 4),
                "MAP@5": round(self.map_at_5, 4), "MRR": round(self.mrr, 4),
                "P@1": round(self.precision_at_1, 4), "R@5": round(self.recall_at_5, 4),
                "queries": self.queries}


def average_precision_at_k(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def score_run(run: Run, qrels: dict[str, set[str]]) -> RetrievalScores:
    """MAP@1/3/5, MRR, P@1 and R@5 of ``run`` against ``qrels`` (queries missing
    from the run count as zero)."""
    qids = [q for q, rel in qrels.items() if rel]
    if not qids:
        raise FactCheckError("the qrels hold no relevant documents")
    sums = {"m1": 0.0, "m3": 0.0, "m5": 0.0, "rr": 0.0, "p1": 0.0, "r5": 0.0}
    for qid in qids:
        ranked = [d for d, _s in run.get(qid, [])]
        rel = qrels[qid]
        sums["m1"] += average_precision_at_k(ranked, rel, 1)
        sums["m3"] += average_precision_at_k(ranked, rel, 3)
        sums["m5"] += average_precision_at_k(ranked, rel, 5)
        rr = next((1.0 / i for i, d in enumerate(ranked, 1) if d in rel), 0.0)
        sums["rr"] += rr
        sums["p1"] += 1.0 if ranked[:1] and ranked[0] in rel else 0.0
        sums["r5"] += len(rel & set(ranked[:5])) / len(rel)
    n = len(qids)
    return RetrievalScores(sums["m1"] / n, sums["m3"] / n, sums["m5"] / n, sums["rr"] / n, sums["p1"] / n, sums["r5"] / n, n)


@dataclass(frozen=True)
class RetrievalEvalOptions:
    queries: str
    qrels: str
    db: str | None = None
    #: Depth of the ranking that MRR is computed on (MAP uses 1, 3 and 5).
    depth: int = 10
    candidates: int = 100


def evaluate_retrieval(opts: RetrievalEvalOptions) -> RetrievalScores:
    """Rank the queries and score the run against the qrels."""
    qrels = read_qrels(opts.qrels)
    run = rank(RankOptions(queries=opts.queries, db=opts.db, top=max(5, opts.depth), candidates=opts.candidates))
    missing = set(qrels) - set(run)
    if len(missing) == len(qrels):
        raise FactCheckError("no query id of the qrels file appears in the queries file")
    return score_run(run, qrels)
