"""headline_check.stance and the verdict body-disputes: computed by the headline component from
the same Doc, high concern, in the schema, read back, rendered."""

from __future__ import annotations

import dataclasses
import json

import pytest

from newsaudit.components.concern import assess_concern
from newsaudit.components.headline import check_headline
from newsaudit.extensions import register_extensions
from newsaudit.models.stance import ContradictionRule, Passage, StanceResult, load_stance_model
from newsaudit.models.stance.model import LABELS
from newsaudit.render import render
from newsaudit.render.json import report_from_dict, validate_report
from newsaudit.render.sample import sample_report
from newsaudit.types import HeadlineStance, Span

HEADLINE = "Rebels plan chemical attack in Idlib"
BODY = "“Rebels plan a chemical attack in Idlib,” the ministry said on Monday. Local officials denied it was true."


class FixedStance:
    """A stance model that always gives ``label`` with ``p`` and names the body sentence holding ``passage``."""

    def __init__(self, label: str, p: float, passage: str, rule: ContradictionRule = ContradictionRule(0.7, True)):
        self.label, self.p, self.passage, self.rule = label, p, passage, rule
        self.seen: list[tuple[str, str]] = []

    def predict(self, head, body):
        self.seen.append((head.text, body.text))
        start = head.doc.text.index(self.passage)
        rest = (1.0 - self.p) / 3
        probs = {lab: (self.p if lab == self.label else rest) for lab in LABELS}
        return StanceResult(self.label, probs, (Passage(start, start + len(self.passage), 0.9, True),))


def _doc(nlp, headline=HEADLINE, body=BODY):
    register_extensions()
    doc = nlp(f"{headline}\n\n{body}")
    doc._.attributions = ()
    doc._.sources = ()
    return doc


@pytest.mark.parametrize(
    ("label", "p", "expected"),
    [
        ("disagree", 0.9, "body-disputes"),
        ("disagree", 0.5, "body-asserts-too"),  # below the rule's threshold: the attribution rules decide
        ("agree", 0.9, "body-asserts-too"),
    ],
)
def test_stance_verdict_rule_decides(bare_nlp, label, p, expected):
    model = FixedStance(label, p, "Local officials denied it was true.")
    check = check_headline(_doc(bare_nlp), stance_model=model)
    assert check is not None
    assert check.verdict == expected, check.reason
    assert check.stance is not None
    assert check.stance.label == label
    assert model.seen == [(HEADLINE, BODY)]  # headline span vs body span of the same Doc
    if expected == "body-disputes":
        assert check.concern == "high"
        assert "disputes the headline" in check.reason
        assert "body-asserts-too" in check.reason
        assert any("disputes the headline" in r for r in check.concern_reasons)


def test_stance_verdict_passages_are_article_offsets(bare_nlp):
    doc = _doc(bare_nlp)
    check = check_headline(doc, stance_model=FixedStance("disagree", 0.9, "Local officials denied it was true."))
    (passage,) = check.stance.passages
    assert doc.text[passage.start : passage.end] == passage.text == "Local officials denied it was true."


def test_stance_verdict_without_model_or_body(bare_nlp):
    assert check_headline(_doc(bare_nlp)).stance is None
    check = check_headline(_doc(bare_nlp, body=""), stance_model=FixedStance("disagree", 0.9, "x"))
    assert check is None or check.stance is None


def test_stance_verdict_shipped_model_on_a_real_parse(bare_nlp):
    check = check_headline(_doc(bare_nlp), stance_model=load_stance_model())
    stance = check.stance
    assert stance.label in LABELS
    assert set(stance.probs) == set(LABELS)
    assert sum(stance.probs.values()) == pytest.approx(1.0, abs=1e-3)
    text = f"{HEADLINE}\n\n{BODY}"
    assert stance.passages
    assert all(text[p.start : p.end] == p.text and p.start > len(HEADLINE) for p in stance.passages)


def test_stance_verdict_concern_is_high_with_a_reason(bare_nlp):
    stance = HeadlineStance("disagree", {"agree": 0.05, "disagree": 0.85, "discuss": 0.05, "unrelated": 0.05})
    level, reasons = assess_concern(_doc(bare_nlp), "body-disputes", Span(0, 5, "Rebel"), (), {}, {}, stance)
    assert level == "high"
    assert "0.85" in reasons[0]


def _with_stance(verdict="body-disputes"):
    report = sample_report()
    return dataclasses.replace(report, headline_check=dataclasses.replace(report.headline_check, verdict=verdict))


def test_stance_verdict_json_roundtrip_and_older_reports():
    data = _with_stance().to_dict()
    stance = data["headline_check"]["stance"]
    assert set(stance) == {"label", "probs", "passages"}
    assert set(stance["probs"]) == set(LABELS)
    assert validate_report(data) == []
    assert report_from_dict(data).to_dict() == data
    del data["headline_check"]["stance"]  # a 1.2 report written before the key
    assert validate_report(data) == []
    assert report_from_dict(data).headline_check.stance is None


def test_stance_verdict_passage_offsets_are_validated():
    data = sample_report().to_dict()
    data["headline_check"]["stance"]["passages"][0]["start"] += 1
    assert any("stance.passages[0]" in p for p in validate_report(data))


def test_stance_verdict_renderers_show_stance_and_passages():
    report = _with_stance()
    passage = report.headline_check.stance.passages[0].text
    text = render(report, "text")
    assert "BODY DISPUTES" in text
    assert "Stance: DISCUSS" in text
    assert "decided by:" in text
    page = render(report, "html")
    assert 'data-stance="discuss"' in page
    assert "na-stance-passage" in page
    assert "na-verdict-body-disputes" in page
    assert passage[:40] in page.replace("&#x27;", "'")
    assert json.loads(render(report, "json"))["headline_check"]["stance"]["label"] == "discuss"


def test_stance_verdict_web_page_shows_stance():
    from pathlib import Path

    js = (Path(__file__).resolve().parents[1] / "newsaudit" / "service" / "static" / "app.js").read_text(encoding="utf-8")
    assert "hc.stance" in js
    assert "passages" in js


DEBUNK = (
    "Apple to buy Tesla for 75 billion dollars",
    "Reports that Apple will buy Tesla are false. Apple denied the rumour on Monday and said it has no plans to buy "
    "the carmaker. The claim first appeared on a satirical website and is a hoax, the company said.",
)


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        (*DEBUNK, "body-disputes"),
        ("Fire kills three in downtown apartment block",
         "Three people died when a fire swept through an apartment block in downtown Springfield on Tuesday night, "
         "police said.", "headline-drops-attribution"),
    ],
)
def test_stance_verdict_shipped_model_in_analyze(headline, body, expected):
    from newsaudit import Article, analyze

    check = analyze(Article(headline=headline, body=body, language="en")).headline_check
    assert check.verdict == expected, (check.reason, check.stance)
    if expected == "body-disputes":
        assert check.stance.label == "disagree"
        assert check.concern == "high"
        assert check.stance.passages[0].text == "Reports that Apple will buy Tesla are false."
    else:
        assert check.stance.label != "disagree"
