"""CLEF 2020 CheckThat! Task 2 from ../shared/data, lexical part only (no encoder: fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudit.eval.retrieval import score_run
from newsaudit.factcheck.clef import rank_queries, read_qrels, read_queries
from newsaudit.factcheck.importers import ColumnMapping
from newsaudit.factcheck.search import Searcher
from newsaudit.factcheck.store import FactCheckStore

CLEF = Path(__file__).resolve().parents[2] / "shared" / "data" / "clef2020-task2"

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def clef():
    if not (CLEF / "verified_claims.docs.tsv").is_file():
        pytest.skip(f"CLEF 2020 Task 2 data not found at {CLEF} (it lives in ../shared/data)")
    return CLEF


def test_factcheck_clef_import_and_bm25_dev(clef, tmp_path):
    with FactCheckStore(tmp_path / "clef.db", create=True) as store:
        result = store.import_file(clef / "verified_claims.docs.tsv", ColumnMapping(id=0, claim="vclaim", title="title"),
                                   embed=False)
        assert (result.imported, result.skipped) == (10375, 0)
        again = store.import_file(clef / "verified_claims.docs.tsv", ColumnMapping(id=0, claim="vclaim", title="title"),
                                  embed=False)
        assert (again.imported, again.duplicates) == (0, 10375)
        queries = read_queries(clef / "dev" / "tweets.queries.tsv")
        assert len(queries) == 197
        run = rank_queries(Searcher(store), queries, top=5)
    scores = score_run(run, read_qrels(clef / "dev" / "tweet-vclaim-pairs.qrels"))
    assert scores.queries == 197
    assert scores.map_at_5 > 0.78  # BM25 alone, ties to the earliest import: 0.81
