"""Import of ClaimReview JSON-LD, Fact Check API JSON and CSV/TSV into the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudit.errors import FactCheckError
from newsaudit.factcheck.embed import HashingEmbedder
from newsaudit.factcheck.importers import ColumnMapping, normalise_verdict, read_reviews
from newsaudit.factcheck.store import FactCheckStore

DATA = Path(__file__).parent / "data" / "factcheck"
CLEF_MAP = ColumnMapping(id=0, claim="vclaim", title="title")


@pytest.fixture
def store(tmp_path):
    with FactCheckStore(tmp_path / "fc.db", create=True, embedder=HashingEmbedder()) as s:
        yield s


def test_factcheck_import_single_claimreview(store):
    result = store.import_file(DATA / "claimreview.json")
    assert (result.imported, result.skipped, result.duplicates) == (1, 0, 0)
    (review,) = list(store.iter_reviews())
    assert review.claim == "The White Helmets staged the chemical attack in Douma, Syria."
    assert review.verdict == "False"
    assert review.normalised_verdict == "false"
    assert review.publisher == "Example Fact Check"
    assert review.claimant == "RT"
    assert review.date == "2018-04-20"
    assert review.url == "https://factcheck.example.org/douma-staged"
    assert review.language == "en"
    assert review.title.startswith("Was the Douma")


def test_factcheck_import_graph_skips_non_reviews(store):
    result = store.import_file(DATA / "claimreview_graph.json")
    assert (result.imported, result.skipped) == (2, 1)
    assert "@graph index 1" in result.problems[0][0]
    verdicts = {r.claim: r.normalised_verdict for r in store.iter_reviews()}
    assert verdicts["5G mobile networks spread the coronavirus."] == "false"  # from ratingValue 1 of 1..5


def test_factcheck_import_jsonl_reports_bad_lines(store):
    result = store.import_file(DATA / "claimreviews.jsonl")
    assert (result.imported, result.skipped, result.duplicates) == (3, 2, 0)
    wheres = [w for w, _reason in result.problems]
    assert wheres == ["line 3", "line 4"]


def test_factcheck_import_factcheck_api(store):
    result = store.import_file(DATA / "factcheck_api.json")
    assert (result.imported, result.skipped) == (2, 1)
    reviews = list(store.iter_reviews())
    assert {r.publisher for r in reviews} == {"Example Fact Check", "Another Checker"}
    assert {r.normalised_verdict for r in reviews} == {"false", "misleading"}
    assert all(r.claimant == "Social media posts" for r in reviews)


def test_factcheck_import_csv_mapped_by_name(store):
    mapping = ColumnMapping(id="review_id", claim="claim", verdict="rating", url="link", publisher="site")
    result = store.import_file(DATA / "reviews.csv", mapping)
    assert (result.imported, result.skipped) == (3, 1)
    assert result.problems[0] == ("line 4", "no claim text")
    ids = [r.review_id for r in store.iter_reviews()]
    assert ids == ["r1", "r2", "r4"]


def test_factcheck_import_tsv_with_empty_id_header(store):
    result = store.import_file(DATA / "verified_claims.tsv", CLEF_MAP)
    assert result.imported == 5
    assert [r.review_id for r in store.iter_reviews()] == ["0", "1", "2", "3", "4"]
    assert store.count_vectors() == 5
    assert store.has_vectors()


def test_factcheck_import_empty_store_has_no_vectors(store):
    assert not store.has_vectors()


def test_factcheck_import_twice_adds_nothing(store):
    first = store.import_file(DATA / "verified_claims.tsv", CLEF_MAP)
    generation = store.generation
    second = store.import_file(DATA / "verified_claims.tsv", CLEF_MAP)
    assert (first.imported, second.imported, second.duplicates) == (5, 0, 5)
    assert store.count() == 5
    assert store.generation == generation
    again = store.import_file(DATA / "claimreviews.jsonl")
    again2 = store.import_file(DATA / "claimreviews.jsonl")
    assert (again.imported, again2.imported, again2.duplicates, again2.skipped) == (3, 0, 3, 2)


@pytest.mark.parametrize(
    ("name", "mapping", "message"),
    [
        ("empty.json", None, "empty"),
        ("not_claimreview.json", None, "no ClaimReview"),
        ("reviews.csv", ColumnMapping(claim="statement"), "'statement'"),
        ("verified_claims.tsv", ColumnMapping(claim=7), "out of range"),
        ("missing.json", None, "no such file"),
    ],
)
def test_factcheck_import_bad_files(store, name, mapping, message):
    with pytest.raises(FactCheckError, match=message):
        store.import_file(DATA / name, mapping)


def test_factcheck_import_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes((DATA / "not_a_db.db").read_bytes() * 200)
    with pytest.raises(FactCheckError, match="not a newsaudit fact-check database"):
        FactCheckStore(bad)


def test_factcheck_import_missing_database_for_search(tmp_path):
    with pytest.raises(FactCheckError, match="no fact-check database"):
        FactCheckStore(tmp_path / "nope.db")


def test_factcheck_import_encoder_mismatch(tmp_path):
    db = tmp_path / "fc.db"
    with FactCheckStore(db, create=True, embedder=HashingEmbedder(256)) as s:
        s.import_file(DATA / "verified_claims.tsv", CLEF_MAP)
    with pytest.raises(FactCheckError, match="embedded with"):
        FactCheckStore(db, embedder=HashingEmbedder(128))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("False", "false"),
        ("Pants on Fire!", "false"),
        ("Mostly True", "mostly-true"),
        ("Half True", "mixture"),
        ("Missing context", "misleading"),
        ("Labeled Satire", "satire"),
        ("Untrue", "false"),
        ("This is not true.", "false"),
        ("Largely inaccurate", "false"),
        ("Totally made-up rating word", None),
    ],
)
def test_factcheck_import_normalise_verdict(text, expected):
    assert normalise_verdict(text) == expected


def test_factcheck_import_numeric_rating():
    assert normalise_verdict(None, 5, 5, 1) == "true"
    assert normalise_verdict(None, 1, 5, 1) == "false"
    assert normalise_verdict(None, "x", 5, 1) is None


def test_factcheck_import_reader_is_lazy_about_rows():
    items = list(read_reviews(DATA / "reviews.csv", ColumnMapping(claim=1, id=0)))
    assert len(items) == 4


def test_factcheck_import_csv_multiline_quoted_field(store, tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('id,claim\na,"first line\nsecond line"\nb,plain claim\n')
    result = store.import_file(path, ColumnMapping(id="id", claim="claim"))
    assert result.imported == 2
    assert [r.claim for r in store.iter_reviews()] == ["first line\nsecond line", "plain claim"]
