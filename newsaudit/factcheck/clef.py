"""Ranking runs and their scores: TREC run lines, qrels, MAP@k and MRR.

Queries: ``id<TAB>text`` per line (a header line is allowed: a first line
whose id column is empty or ``id``/``qid``).  Qrels: ``qid 0 docid relevance``
(tabs or spaces), as in CLEF 2020 CheckThat! Task 2.  MAP@k follows the CLEF
2020 scorer: average precision over the top k, divided by the number of
relevant documents of the query.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import FactCheckError
from .search import Searcher

RUN_TAG = "newsaudit"


def read_queries(path: str | Path) -> list[tuple[str, str]]:
    """(qid, text) pairs from an ``id<TAB>text`` file."""
    path = Path(path)
    if not path.is_file():
        raise FactCheckError(f"{path}: no such queries file")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if not text.strip():
        raise FactCheckError(f"{path}: the queries file is empty")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    out: list[tuple[str, str]] = []
    for n, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter="\t"), 1):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < 2:
            raise FactCheckError(f"{path}: line {n} is not 'id<TAB>text'")
        qid, qtext = row[0].strip(), "\t".join(row[1:]).strip()
        if n == 1 and (qid == "" or qid.lower() in ("id", "qid", "query_id", "tweet_id")):
            continue  # header
        if not qid:
            raise FactCheckError(f"{path}: line {n} has an empty id")
        out.append((qid, qtext))
    if not out:
        raise FactCheckError(f"{path}: no queries")
    return out


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """qid -> relevant docids (relevance > 0)."""
    path = Path(path)
    if not path.is_file():
        raise FactCheckError(f"{path}: no such qrels file")
    qrels: dict[str, set[str]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise FactCheckError(f"{path}: line {n} is not 'qid 0 docid relevance'")
        qid, _iter, docid, rel = parts
        try:
            relevant = float(rel) > 0
        except ValueError:
            raise FactCheckError(f"{path}: line {n}: relevance {rel!r} is not a number") from None
        qrels.setdefault(qid, set())
        if relevant:
            qrels[qid].add(docid)
    if not qrels:
        raise FactCheckError(f"{path}: the qrels file is empty")
    return qrels


Run = dict[str, list[tuple[str, float]]]


def rank_queries(searcher: Searcher, queries: Sequence[tuple[str, str]], top: int = 5,
                 batch: int = 64) -> Run:
    """qid -> [(docid, score)] best first; docid is the review id (the import's id column)."""
    run: Run = {}
    for i in range(0, len(queries), batch):
        chunk = queries[i:i + batch]
        results = searcher.search_many([t for _q, t in chunk], top)
        for (qid, _t), hits in zip(chunk, results, strict=False):
            run[qid] = [(h.review.review_id, h.score) for h in hits]
    return run


def trec_lines(run: Run) -> Iterable[str]:
    """``qid Q0 docid rank score newsaudit`` lines."""
    for qid, docs in run.items():
        for rank, (docid, score) in enumerate(docs, 1):
            yield f"{qid}\tQ0\t{docid}\t{rank}\t{score:.6f}\t{RUN_TAG}"
