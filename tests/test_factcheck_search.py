"""Hybrid search, the ANN index's staleness, ranking runs and their scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudit.errors import FactCheckError
from newsaudit.eval.retrieval import average_precision_at_k, score_run
from newsaudit.factcheck.clef import rank_queries, read_qrels, read_queries, trec_lines
from newsaudit.factcheck.embed import HashingEmbedder
from newsaudit.factcheck.importers import ColumnMapping
from newsaudit.factcheck.index import VectorIndex
from newsaudit.factcheck.search import Searcher, fts_query, normalise_query
from newsaudit.factcheck.store import FactCheckStore

DATA = Path(__file__).parent / "data" / "factcheck"
CLEF_MAP = ColumnMapping(id=0, claim="vclaim", title="title")


@pytest.fixture
def store(tmp_path):
    with FactCheckStore(tmp_path / "fc.db", create=True, embedder=HashingEmbedder()) as s:
        s.import_file(DATA / "verified_claims.tsv", CLEF_MAP)
        yield s


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Douma attack staged https://t.co/abc", "Douma attack staged"),
        ("#WhiteHelmets lied pic.twitter.com/xyz", "White Helmets lied"),
        ("thanks @BradTrostCPC", "thanks Brad Trost CPC"),
        ("  spaces   squeezed ", "spaces squeezed"),
    ],
)
def test_factcheck_search_normalise_query(text, expected):
    assert normalise_query(text) == expected


def test_factcheck_search_fts_query_drops_stop_words_and_quotes():
    assert fts_query('The "shark" AND the highway OR') == '"shark" OR "highway"'
    assert fts_query("the of and") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("White Helmets staged the Douma chemical attack", "0"),
        ("shark swimming on a Houston highway after Harvey", "2"),
        ("can you see the great wall from space", "3"),
        ("coca cola removes rust", "4"),
    ],
)
def test_factcheck_search_finds_the_review(store, text, expected):
    hits = Searcher(store).search(text, top=3)
    assert hits[0].review.review_id == expected
    assert hits[0].rank == 1
    assert hits[0].similarity > 0


def test_factcheck_search_hit_explains_itself(store):
    hit = Searcher(store).search("White Helmets staged Douma", top=1)[0]
    assert hit.bm25 > 0
    assert hit.bm25_rank == 1
    match = hit.to_match()
    assert match.review_id == "0"
    assert match.claim.startswith("The White Helmets")


def test_factcheck_search_hit_to_dict_is_the_one_json_shape(store, tmp_path):
    """One shape for a hit: the CLI's --json rows and the service's matches (its OpenAPI model) alike."""
    import json

    from typer.testing import CliRunner

    from newsaudit.cli.factcheck import app

    hit = Searcher(store).search("White Helmets staged Douma", top=1)[0]
    data = hit.to_dict()
    assert list(data) == ["review_id", "claim", "score", "verdict", "normalised_verdict", "publisher", "date", "url",
                          "title", "rank", "fused_score", "bm25", "claim_cosine", "title_cosine"]
    assert data["score"] == hit.to_match().score
    assert data["fused_score"] == round(hit.score, 6)
    assert json.loads(json.dumps(data)) == data
    db = tmp_path / "cli.db"
    with FactCheckStore(db, create=True, embedder=HashingEmbedder()) as other:
        other.import_file(DATA / "verified_claims.tsv", CLEF_MAP)
    result = CliRunner().invoke(app, ["search", "White Helmets staged Douma", "--db", str(db), "--top", "1", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert list(body) == ["query", "matches"]
    assert body["query"] == "White Helmets staged Douma"
    assert list(body["matches"][0]) == list(data)
    try:
        from newsaudit.service.app import FactCheckHit, FactCheckResponse
    except ImportError:  # the service's dependencies are optional
        return
    assert list(FactCheckHit.model_fields) == list(data)
    assert list(FactCheckResponse.model_fields) == list(body)  # --json is the service's response body


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_factcheck_search_rejects_blank_query(store, text):
    with pytest.raises(FactCheckError, match="empty"):
        Searcher(store).search(text)


def test_factcheck_search_top_must_be_positive(store):
    with pytest.raises(FactCheckError, match="--top"):
        Searcher(store).search("shark", top=0)


def test_factcheck_search_index_rebuilds_when_stale(store):
    searcher = Searcher(store)
    searcher.search("shark", top=1)
    index = VectorIndex(store)
    assert not index.is_stale()
    store.import_file(DATA / "claimreview.json")
    assert index.is_stale()
    hits = searcher.search("Douma chemical attack White Helmets", top=10)
    assert {h.review.review_id for h in hits} >= {"0", "https://factcheck.example.org/douma-staged"}
    assert not VectorIndex(store).is_stale()


def test_factcheck_search_index_survives_corrupt_file(store):
    index = VectorIndex(store).load()
    (index.dir / "claim.bin").write_bytes(b"garbage")
    (index.dir / "state.json").write_text("{not json")
    reloaded = VectorIndex(store).load()
    assert reloaded.rebuilt
    assert reloaded.query(HashingEmbedder().encode(["shark Houston"]), 1)[0][0][0] == 3  # rowid of id "2"


def test_factcheck_search_lexical_only_store(tmp_path):
    with FactCheckStore(tmp_path / "lex.db", create=True) as s:
        s.import_file(DATA / "verified_claims.tsv", CLEF_MAP, embed=False)
        hits = Searcher(s).search("microchips in vaccines", top=2)
    assert hits[0].review.review_id == "1"


def test_factcheck_search_rank_and_score(store):
    queries = read_queries(DATA / "queries.tsv")
    assert [q for q, _ in queries] == ["q1", "q2", "q3"]
    run = rank_queries(Searcher(store), queries, top=5)
    lines = list(trec_lines(run))
    assert lines[0].split("\t")[:4] == ["q1", "Q0", "0", "1"]
    assert lines[0].endswith("\tnewsaudit")
    scores = score_run(run, read_qrels(DATA / "qrels.txt"))
    assert scores.queries == 3
    assert scores.map_at_5 == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("ranked", "relevant", "k", "expected"),
    [
        (["a", "b", "c"], {"a"}, 5, 1.0),
        (["b", "a", "c"], {"a"}, 5, 0.5),
        (["b", "a", "c"], {"a"}, 1, 0.0),
        (["a", "x", "b"], {"a", "b"}, 5, (1 + 2 / 3) / 2),
        ([], {"a"}, 5, 0.0),
    ],
)
def test_factcheck_search_average_precision(ranked, relevant, k, expected):
    assert average_precision_at_k(ranked, relevant, k) == pytest.approx(expected)


def test_factcheck_search_scores_missing_query_as_zero():
    scores = score_run({"q1": [("a", 1.0)]}, {"q1": {"a"}, "q2": {"b"}})
    assert scores.map_at_5 == pytest.approx(0.5)
    assert scores.mrr == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "empty"), ("id\ttext\n", "no queries"), ("q1 no tab here\n", "not 'id<TAB>text'")],
)
def test_factcheck_search_bad_queries_file(tmp_path, content, message):
    path = tmp_path / "q.tsv"
    path.write_text(content)
    with pytest.raises(FactCheckError, match=message):
        read_queries(path)


def test_factcheck_search_duplicates_rank_together_earliest_first(tmp_path):
    path = tmp_path / "dups.tsv"
    path.write_text(
        "\tvclaim\ttitle\n"
        "10\tTrump said \"my crimes can't be investigated\".\tDid Trump say it?\n"
        "11\tA shark swam on a Houston highway.\tShark?\n"
        "12\tTrump said 'My crimes can't be investigated.'\tDid Trump say it?\n"
    )
    with FactCheckStore(tmp_path / "d.db", create=True, embedder=HashingEmbedder()) as s:
        s.import_file(path, CLEF_MAP)
        hits = Searcher(s).search("trump my crimes can't be investigated", top=3)
    assert [h.review.review_id for h in hits[:2]] == ["10", "12"]
    assert hits[0].claim_cosine == pytest.approx(hits[1].claim_cosine)


def test_factcheck_search_store_without_a_column_is_refused(tmp_path):
    """A store whose reviews lack a column of the store's schema is refused with one clear error, never
    upgraded in place."""
    import sqlite3

    db = tmp_path / "partial.db"
    with FactCheckStore(db, create=True, embedder=HashingEmbedder()) as s:
        s.import_file(DATA / "verified_claims.tsv", CLEF_MAP)
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX reviews_canon")
    conn.execute("ALTER TABLE reviews DROP COLUMN canon")
    conn.commit()
    conn.close()
    with pytest.raises(FactCheckError, match="lacks the columns canon"):
        FactCheckStore(db)


@pytest.mark.parametrize(
    ("verdict", "normalised", "expected"),
    [
        (None, None, "no verdict"),
        ("", None, "no verdict"),
        (None, "false", "no verdict (false)"),
        ("False", "false", "False"),
        ("Pants on Fire!", "false", "Pants on Fire! (false)"),
        ("Mostly accurate", None, "Mostly accurate"),
    ],
)
def test_factcheck_search_verdict_in_words(verdict, normalised, expected):
    from newsaudit.factcheck.search import verdict_words
    from newsaudit.factcheck.store import StoredReview

    review = StoredReview(1, "r1", "A claim.", None, verdict, normalised, None, None, None, None, None, {})
    assert verdict_words(review) == expected


def test_factcheck_search_text_output_says_no_verdict(store):
    from typer.testing import CliRunner

    from newsaudit.cli.factcheck import app

    result = CliRunner().invoke(app, ["search", "White Helmets staged Douma", "--db", str(store.path), "--top", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1. [no verdict] The White Helmets")
    assert "[?]" not in result.output


def test_factcheck_search_store_vectors_mark_reviews_without_a_title(tmp_path):
    """The pooled vectors come back as matrices in one read; a review with no title has a zero title row
    and is marked, so that it gets no title cosine."""
    path = tmp_path / "titles.tsv"
    path.write_text("\tvclaim\ttitle\n1\tA shark swam on a Houston highway.\tShark?\n2\tThe moon is made of cheese.\t\n")
    with FactCheckStore(tmp_path / "t.db", create=True, embedder=HashingEmbedder()) as s:
        s.import_file(path, CLEF_MAP)
        ids, claim, title, has_title = s.vectors([1, 2, 99])
        hits = Searcher(s).search("the moon is made of cheese", top=2)
    assert sorted(zip(ids, has_title.tolist(), strict=True)) == [(1, True), (2, False)]
    assert claim.shape == title.shape
    assert not title[ids.index(2)].any()
    assert {h.review.review_id: h.title_cosine is None for h in hits} == {"1": False, "2": True}
