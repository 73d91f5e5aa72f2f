"""A relayed allegation through the whole pipeline, as a user runs it: ``batch`` (the real analysis) then
``trail`` (the shipped MiniLM encoder).  Written while reading trails as a fact-checker: the
wire story attributes, the relay credits Rt.com with the ministry's words, the blog's headline states it
as fact, and an unrelated story stays out."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

ARTICLES = [
    {"id": "wire-1", "outlet": "Wire Service", "date": "2026-03-01",
     "title": "Ministry says rebels plan chemical attack in Idlib",
     "text": "The Defence Ministry said on Sunday that rebel groups were preparing a chemical attack in Idlib "
             "province to blame on government forces.\n\n\"We have reliable information that the militants have "
             "brought chlorine into the area,\" ministry spokesman Igor Petrov told reporters.\n\nThe ministry did "
             "not provide evidence for the claim. Rebel commanders denied it."},
    {"id": "relay-2", "outlet": "Daily Relay", "date": "2026-03-02",
     "title": "RT: rebels preparing chemical provocation",
     "text": "Rt.com reports: rebel groups were preparing a chemical attack in Idlib province to blame on government "
             "forces, the Defence Ministry said.\n\nAccording to the ministry, the militants have brought chlorine "
             "into the area. Western governments have not commented."},
    {"id": "blog-3", "outlet": "Truth Blog", "date": "2026-03-03",
     "title": "Rebels are preparing a chemical attack in Idlib to blame on the government",
     "text": "Rebel groups are preparing a chemical attack in Idlib province to blame on government forces.\n\nThe "
             "militants have brought chlorine into the area, and the West is silent. This is how every false flag "
             "begins."},
    {"id": "other-4", "outlet": "Wire Service", "date": "2026-03-02", "title": "Grain prices rise",
     "text": "Grain prices rose for a third week, traders said on Monday, as dry weather hit the southern harvest."
             "\n\nThe Defence Ministry said on Monday that it would hold exercises near the border next month."},
]


@pytest.fixture(scope="module")
def trail_rows(tmp_path_factory):
    from newsaudit.corpus.batch import run_batch
    from newsaudit.corpus.options import BatchOptions
    from newsaudit.corpus.trail import TrailOptions, run_trail
    from newsaudit.errors import ModelError
    from newsaudit.factcheck.embed import get_embedder
    from newsaudit.options import AnalyzeOptions

    try:
        get_embedder().encode(["warm up"])
    except ModelError as exc:
        pytest.skip(f"the MiniLM encoder is not installed: {exc}")
    tmp = tmp_path_factory.mktemp("e2e")
    articles = tmp / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    run_batch(BatchOptions(input=str(articles), out=str(tmp / "out.parquet"), workers=1,
                           analyze=AnalyzeOptions(any_language=True)))
    run_trail(TrailOptions(inputs=(str(tmp / "out.parquet"),), out=str(tmp / "trail.parquet"), workers=1, cache=False))
    return pq.read_table(tmp / "trail.parquet").to_pylist()


def test_trail_end_to_end_relayed_allegation(trail_rows):
    assert {r["trail_id"] for r in trail_rows} == {1}
    by_article = {}
    for r in trail_rows:
        by_article.setdefault(r["id"], []).append(r)
    assert set(by_article) == {"wire-1", "relay-2", "blog-3"}  # the grain story stays out
    wire, relay, (blog,) = by_article["wire-1"], by_article["relay-2"], by_article["blog-3"]
    assert all((r["carried_as"], r["attributed_to"], r["drops_attribution"]) == ("attributed", "The Defence Ministry", False)
               for r in wire)
    # "Rt.com reports: X, the Defence Ministry said": the ministry's words, relayed by Rt.com; "RT:" heads it
    assert [(r["carried_as"], r["attributed_to"], r["relayed_via"]) for r in relay] == [
        ("relayed", "the Defence Ministry", "Rt.com")]
    assert relay[0]["headline_verdict"] == "headline-attributes"
    assert not relay[0]["drops_attribution"]
    assert relay[0]["statement"].startswith("rebel groups were preparing")  # not "reports: ..."
    # the blog states it as fact in its headline: the row that drops the attribution
    assert (blog["kind"], blog["carried_as"], blog["start"], blog["drops_attribution"]) == ("headline", "unattributed", 0, True)
    assert {r["origin_source"] for r in trail_rows} == {"The Defence Ministry"}
