"""Trails know "will" from "will not": each member asserts, reports or denies the trail's claim, a denial joins
the trail of the claim it denies as a denial (never a copy, never 'attribution lost'), and the trail says how
many outlets asserted, reported and denied it, in date order."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from newsaudit.corpus.trail.modality import affirms, member_modalities, representative, summary
from newsaudit.corpus.trail.statements import Statement
from newsaudit.models.modality import load_modality_model


def _stmt(text: str, carried_as: str = "unattributed", article: int = 0, hedged: bool = False) -> Statement:
    return Statement(article=article, kind="claim", ref="c1", text=text, start=0, end=len(text), carried_as=carried_as,
                     embed_text=text, hedged=hedged)


@pytest.mark.parametrize(
    ("text", "carried_as", "expected"),
    [
        ("Christian Bale will play Steve Jobs in the Sorkin biopic", "unattributed", True),
        ("Christian Bale will not play Steve Jobs in the Sorkin biopic", "unattributed", False),
        ("Christian Bale has withdrawn from the role of Steve Jobs", "unattributed", False),
        ("that Bale would play Jobs", "denied", False),
    ],
)
def test_trail_modality_affirms(text, carried_as, expected):
    assert affirms(_stmt(text, carried_as)) is expected


def test_trail_modality_representative_is_never_the_denial():
    members = [_stmt("Christian Bale will not play Steve Jobs"), _stmt("Christian Bale will play Steve Jobs", article=1)]
    vectors = np.asarray([[1.0, 0.0], [0.6, 0.8]])  # the denial is nearer the mean
    assert representative(members, vectors) == 1
    assert representative(members[:1], vectors[:1]) == 0  # a trail of denials alone still has a claim


def test_trail_modality_representative_states_the_claim_plainly():
    members = [_stmt("Comedian Marla Quinn will reportedly take over as host of Late Hour", "attributed"),
               _stmt("Marla Quinn named new host of Late Hour", article=1),
               _stmt("Marla Quinn will not host Late Hour", article=2)]
    vectors = np.asarray([[1.0, 0.0], [0.8, 0.6], [0.9, 0.1]])  # the hedged one is nearest the mean
    assert representative(members, vectors) == 1
    got = member_modalities(members, members[1], load_modality_model())
    assert got == ["reported", "asserted", "denied"]


@pytest.mark.parametrize(
    ("text", "carried_as", "hedged", "expected"),
    [
        ("Christian Bale will play Steve Jobs in Danny Boyle's film", "unattributed", False, "asserted"),
        ("Christian Bale will reportedly play Steve Jobs in Danny Boyle's film", "unattributed", False, "reported"),
        ("Christian Bale is in final talks to play Steve Jobs", "attributed", False, "reported"),
        ("Christian Bale to play Steve Jobs", "unattributed", True, "reported"),
        ("Christian Bale will not play Steve Jobs in Danny Boyle's film", "unattributed", False, "denied"),
        ("Christian Bale has withdrawn from the role of Steve Jobs", "unattributed", False, "denied"),
        ("that Christian Bale would play Steve Jobs", "denied", False, "denied"),
    ],
)
def test_trail_modality_member_modalities(text, carried_as, hedged, expected):
    claim = _stmt("Christian Bale will play Steve Jobs in Danny Boyle's film")
    got = member_modalities([_stmt(text, carried_as, hedged=hedged)], claim, load_modality_model())
    assert got == [expected]


def test_trail_modality_summary_counts_outlets_in_date_order():
    told = summary([0, 1, 1, 2, 3], ["Planet", "Film Weekly", "Film Weekly", "Screen Wire", None],
                   ["asserted", "reported", "denied", "denied", "reported"])
    assert told == {"trail_asserted": 1, "trail_reported": 2, "trail_denied": 2,
                    "trail_sequence": "asserted > reported+denied > denied > reported"}


ARTICLES = [
    {"id": "planet-1", "outlet": "Daily Planet", "date": "2026-04-01",
     "title": "Christian Bale to play Steve Jobs in Sorkin biopic",
     "text": "Christian Bale will play Steve Jobs in Universal's biopic of the Apple founder, written by Aaron Sorkin."
             "\n\nFilming starts in the spring in San Francisco, with Danny Boyle directing."},
    {"id": "weekly-2", "outlet": "Film Weekly", "date": "2026-04-02",
     "title": "Bale in final talks for Jobs role, Variety says",
     "text": "Christian Bale is in final talks to play Steve Jobs in Universal's biopic of the Apple founder, Variety "
             "reported on Tuesday.\n\nThe trade paper said the studio hoped to close the deal this week."},
    {"id": "wire-3", "outlet": "Screen Wire", "date": "2026-04-03",
     "title": "Christian Bale will not play Steve Jobs",
     "text": "Christian Bale will not play Steve Jobs in Universal's biopic of the Apple founder, a spokesman for the "
             "actor said on Friday.\n\nReports that Bale had signed on to the role were false, the spokesman said."},
    {"id": "markets-4", "outlet": "Market Desk", "date": "2026-04-02",
     "title": "Apple shares rise after iPhone sales beat forecasts",
     "text": "Apple shares rose 4 percent on Wednesday after iPhone sales beat analysts' forecasts for the quarter."
             "\n\nThe company said demand in China had recovered faster than expected."},
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
    tmp = tmp_path_factory.mktemp("modality")
    articles = tmp / "articles.jsonl"
    articles.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    run_batch(BatchOptions(input=str(articles), out=str(tmp / "out.parquet"), workers=1,
                           analyze=AnalyzeOptions(any_language=True)))
    run_trail(TrailOptions(inputs=(str(tmp / "out.parquet"),), out=str(tmp / "trail.parquet"), workers=1, cache=False))
    return pq.read_table(tmp / "trail.parquet").to_pylist()


@pytest.mark.slow
def test_trail_modality_asserted_reported_denied_end_to_end(trail_rows):
    """Batch (the real analysis) then trail (MiniLM): one trail; the planet asserts, the film weekly reports
    Variety's word, the wire denies; the markets story stays out."""
    assert {r["trail_id"] for r in trail_rows} == {1}
    by_article: dict[str, set[str]] = {}
    for r in trail_rows:
        by_article.setdefault(r["id"], set()).add(r["modality"])
    assert set(by_article) == {"planet-1", "weekly-2", "wire-3"}
    assert by_article["planet-1"] == {"asserted"}
    assert by_article["weekly-2"] == {"reported"}
    assert "denied" in by_article["wire-3"]
    assert {r["carried_as"] for r in trail_rows if r["id"] == "wire-3" and r["modality"] == "denied"} == {"denied"}
    assert not any(r["drops_attribution"] for r in trail_rows if r["modality"] == "denied")
    assert "not" not in trail_rows[0]["representative"]
    first = trail_rows[0]
    assert (first["trail_asserted"], first["trail_reported"], first["trail_denied"]) == (1, 1, 1)
    assert first["trail_sequence"].startswith("asserted > reported > ")
    assert first["trail_sequence"].endswith("denied")


@pytest.mark.parametrize(
    ("claim", "text", "expected"),
    [
        # one polarity: statements that both deny do not deny each other
        ("that she did not send classified emails from her server", "that she did not send classified emails from "
         "her server", "asserted"),
        # a negation elsewhere is no denial of the claim
        ("a temporary ban on Muslims entering the United States", "a temporary ban on Muslims who are not American "
         "citizens from entering the United States", "asserted"),
    ],
)
def test_trail_modality_negations_that_do_not_deny(claim, text, expected):
    assert member_modalities([_stmt(text)], _stmt(claim), load_modality_model()) == [expected]


def test_trail_modality_a_denying_cue_on_both_sides_is_no_denial():
    claim = _stmt("class-action status to female employees of the retailer", "denied")
    member = _stmt("class-action status to female employees of the retailer", "denied", article=1)
    assert member_modalities([member], claim, load_modality_model()) == ["reported"]
