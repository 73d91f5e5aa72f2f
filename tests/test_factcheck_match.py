"""attach_matches (called by the pipeline) and the `factcheck` CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsaudit.cli.eval import app as eval_app
from newsaudit.cli.factcheck import app
from newsaudit.factcheck.match import attach_matches
from newsaudit.options import AnalyzeOptions
from newsaudit.types import Article, Claim, FactCheckMatch, Report, Span

DATA = Path(__file__).parent / "data" / "factcheck"
runner = CliRunner()


def _import(db: Path, *args: str, status: int = 0) -> str:
    """Import into ``db``; exit status 0, or 1 when malformed records were skipped."""
    result = runner.invoke(app, ["import", *args, "--db", str(db), "--encoder", "hashing-256"])
    assert result.exit_code == status, result.output
    return result.output


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "fc.db"
    _import(path, str(DATA / "verified_claims.tsv"), "--id-col", "0", "--claim-col", "vclaim", "--title-col", "title")
    _import(path, str(DATA / "claimreview.json"))
    return path


def _report(*sentences: str) -> Report:
    body = " ".join(sentences)
    claims, start = [], 0
    for i, s in enumerate(sentences):
        claims.append(Claim(id=f"c{i}", span=Span.of(body, start, start + len(s)), score=0.5, voice="article"))
        start += len(s) + 1
    return Report(article=Article(body=body), claims=tuple(claims))


def test_factcheck_match_attaches_top_matches(db):
    report = _report("The White Helmets staged the chemical attack in Douma.", "Xyzzy plugh qwerty.")
    out = attach_matches(report, AnalyzeOptions(factcheck_db=str(db), factcheck_top=2))
    first, second = out.claims
    assert 1 <= len(first.matches) <= 2
    top = first.matches[0]
    assert isinstance(top, FactCheckMatch)
    assert top.claim.startswith("The White Helmets staged")
    assert top.score >= 0.5
    assert second.matches == ()  # nothing similar enough
    assert report.claims[0].matches == ()  # the input report is untouched
    data = out.to_dict()["claims"][0]["matches"][0]
    assert set(data) == {"review_id", "claim", "score", "verdict", "normalised_verdict", "publisher", "date", "url"}


def test_factcheck_match_no_db_is_a_no_op():
    report = _report("Anything at all.")
    assert attach_matches(report, AnalyzeOptions()) is report


def test_factcheck_match_sees_new_imports(db):
    options = AnalyzeOptions(factcheck_db=str(db), factcheck_top=3)
    report = _report("Eating carrots improves your night vision.")
    assert attach_matches(report, options).claims[0].matches == ()
    _import(db, str(DATA / "reviews.csv"), "--id-col", "review_id", "--verdict-col", "rating", "--url-col", "link",
            status=1)  # reviews.csv has a row without claim text
    match = attach_matches(report, options).claims[0].matches[0]
    assert (match.review_id, match.verdict, match.normalised_verdict) == ("r1", "Mixture", "mixture")


def test_factcheck_match_cli_import_counts(tmp_path):
    path = tmp_path / "x.db"
    out = _import(path, str(DATA / "claimreviews.jsonl"), status=1)  # exit 1: records were skipped
    assert "imported 3, skipped 2, duplicates 0" in out
    assert "skipped line 4: invalid JSON" in out
    out = _import(path, str(DATA / "claimreviews.jsonl"), status=1)
    assert "imported 0, skipped 2, duplicates 3" in out


def test_factcheck_match_cli_search(db):
    result = runner.invoke(app, ["search", "shark on a Houston highway", "--db", str(db), "--top", "2", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["matches"]
    assert rows[0]["review_id"] == "2"
    assert len(rows) == 2


def test_factcheck_match_cli_rank_trec(db):
    result = runner.invoke(app, ["rank", "--db", str(db), "--queries", str(DATA / "queries.tsv"), "--top", "5",
                                 "--format", "trec"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    fields = lines[0].split("\t")
    assert fields[0] == "q1"
    assert fields[1] == "Q0"
    assert fields[3] == "1"
    assert fields[5] == "newsaudit"
    assert len(lines) <= 15


def test_factcheck_match_cli_eval(db):
    result = runner.invoke(eval_app, ["factcheck", "--db", str(db), "--queries", str(DATA / "queries.tsv"),
                                 "--qrels", str(DATA / "qrels.txt"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["MAP@5"] == 1.0
    assert scores["queries"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "   "], "empty"),
        (["import", str(DATA / "reviews.csv"), "--claim-col", "statement"], "statement"),
        (["import", str(DATA / "not_claimreview.json")], "no ClaimReview"),
    ],
)
def test_factcheck_match_cli_errors(db, args, message):
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code != 0
    assert message in str(result.exception)


@pytest.mark.slow
def test_factcheck_match_real_encoder(tmp_path):
    """The real all-MiniLM-L6-v2 encoder on five claims (a few seconds)."""
    from newsaudit.factcheck.embed import get_embedder
    from newsaudit.factcheck.importers import ColumnMapping
    from newsaudit.factcheck.search import Searcher
    from newsaudit.factcheck.store import FactCheckStore

    with FactCheckStore(tmp_path / "real.db", create=True, embedder=get_embedder("minilm")) as store:
        store.import_file(DATA / "verified_claims.tsv", ColumnMapping(id=0, claim="vclaim", title="title"))
        assert store.get_meta("encoder") == "all-MiniLM-L6-v2"
        assert store.get_meta("dim") == "384"
        hits = Searcher(store).search("a fish was seen swimming on a flooded freeway in Texas", top=3)
    assert hits[0].review.review_id == "2"
    assert hits[0].similarity > 0.4


def test_factcheck_match_cli_bad_file_creates_no_database(tmp_path):
    db = tmp_path / "never.db"
    result = runner.invoke(app, ["import", str(DATA / "empty.json"), "--db", str(db)])
    assert result.exit_code != 0
    assert "empty" in str(result.exception)
    assert not db.exists()
