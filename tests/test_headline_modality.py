"""The headline check reads modality: a hedged or reported body does not "state it too", a body that reports a
denial by the accused disputes the headline, and concern weighs who backs the claim.  Five articles written after
cases a careful reader disagreed with (a celebrity rumour on one trade paper, an anonymous employee's hedge, a
security company's accusation denied by the state it accuses, a criminal complaint, a lone first-name witness
against the police); each verdict and concern is the one a fact-checker would give."""

from __future__ import annotations

import pytest

from newsaudit import Article, analyze
from newsaudit.components.headline_modality import negative, reports

BALE = Article(
    headline="Christian Bale to play Steve Jobs in Sorkin biopic",
    body="Christian Bale will reportedly play Steve Jobs in the biopic written by Aaron Sorkin. The actor is in final "
         "talks to take the role, according to Variety, which cited sources close to the production.\n\n"
         "Danny Boyle is set to direct the film for Universal Pictures. Representatives for Bale did not respond to a "
         "request for comment.")
WINTOUR = Article(
    headline="Anna Wintour to step down as Vogue editor",
    body="Anna Wintour may step down as editor of American Vogue at the end of the year, according to a Condé Nast "
         "employee who asked not to be named because the discussions were private.\n\nWintour, who has led the "
         "magazine since 1988, could take on a wider role at the company, the employee said. Condé Nast declined to "
         "comment.")
WATER = Article(
    headline="Chinese hackers breached Dutch water utility",
    body="Chinese state hackers broke into the computer systems of a Dutch water utility last month, the security "
         "company NetShield said on Tuesday.\n\nNetShield, which was hired by the utility to investigate the "
         "intrusion, said the attackers used tools it had seen in earlier Chinese operations. No water supplies were "
         "affected.\n\nChina's foreign ministry denied the accusation on Wednesday, calling it groundless and "
         "politically motivated.")
AMMUNITION = Article(
    headline="Texas man smuggled 20,000 rounds of ammunition to Mexican cartel",
    body="A Texas man smuggled more than 20,000 rounds of rifle ammunition across the border to a Mexican drug "
         "cartel, according to a federal criminal complaint unsealed on Monday.\n\nThe complaint says Daniel Ortiz, "
         "34, bought the ammunition at gun shows in Houston and hid it in the spare tire well of his pickup truck. "
         "Ortiz was arrested on Friday and is due in court next week. His lawyer could not be reached for comment.")
TRADE_PAPER = Article(
    headline="Christian Bale will play Steve Jobs in new biopic",
    body="Christian Bale is reportedly in final talks to play Steve Jobs in the upcoming biopic written by Aaron Sorkin, "
         "according to Variety.\n\nThe trade paper cited unnamed sources close to the production. Sony, which is "
         "developing the film, did not respond to a request for comment.")
WITNESS = Article(
    headline="Police shot unarmed teenager in the back as he ran away",
    body="A 17-year-old was shot in the back by a police officer as he ran away from a traffic stop on Saturday "
         "night, a witness said.\n\n\"He had his hands up and then he turned and ran, and they shot him,\" said the "
         "witness, who gave her name only as Keisha.\n\nA police spokesman denied that the teenager was unarmed, "
         "saying officers found a handgun near him. The officer has been placed on administrative leave while the "
         "shooting is investigated.")

CASES = [
    # a rumour the body only hedges ("reportedly"), resting on one trade paper
    (BALE, "headline-drops-hedge", "medium", ["'reportedly'", "one party backs the claim: Variety"]),
    # one trade paper's report, hedged in its own words: another outlet is all the article rests on
    (TRADE_PAPER, "headline-drops-attribution", "medium", ["one party backs the claim: Variety",
                                                           "relayed through Variety",
                                                           "the source itself only hedges it: 'reportedly'"]),
    # one anonymous employee's word, hedged ("may")
    (WINTOUR, "headline-drops-attribution", "medium", ["one party backs the claim", "(anonymous)"]),
    # one security company's accusation, denied by the accused state
    (WATER, "body-disputes", "high", ["one party backs the claim: NetShield",
                                      "the accused party denies it: China's foreign ministry"]),
    # a named official document: identified, but an accusation of a crime
    (AMMUNITION, "headline-drops-attribution", "medium", ["an accusation, not a routine fact: 'smuggle'",
                                                          "one party backs the claim: a federal criminal complaint"]),
    # a lone first-name witness against the police, who deny it
    (WITNESS, "body-disputes", "high", ["(first name only)", "the accused party denies it: A police spokesman"]),
]


@pytest.mark.parametrize(("article", "verdict", "concern", "reasons"), CASES,
                         ids=["bale", "trade-paper", "wintour", "water-utility", "ammunition-complaint", "eyewitness"])
def test_headline_modality_cases(article, verdict, concern, reasons):
    check = analyze(article).headline_check
    assert check is not None
    assert check.verdict == verdict, check.reason
    assert check.concern == concern, check.concern_reasons
    said = " | ".join(check.concern_reasons)
    for reason in reasons:
        assert reason in said, said
    assert "speaking of itself" not in said
    assert check.headline_modality is not None
    assert check.headline_modality.label == "asserted"


def test_headline_modality_words_point_at_the_text():
    report = analyze(BALE)
    check = report.headline_check
    assert check is not None
    text = report.article.text
    hedged = [m for m in check.matches if m.attribution_id is None]
    assert hedged
    assert hedged[0].modality is not None
    assert hedged[0].modality.label == "reported"
    for m in check.matches:
        for cue in (m.modality.cues if m.modality else ()):
            assert text[cue.start:cue.end] == cue.text
    assert [c.text for c in hedged[0].modality.cues] == ["reportedly"]


def test_headline_modality_denial_points_at_its_source():
    report = analyze(WATER)
    check = report.headline_check
    assert check is not None
    assert [d.source for d in check.denials] == ["China's foreign ministry"]
    d = check.denials[0]
    assert report.article.text[d.span.start:d.span.end] == d.span.text
    assert "denied" in d.span.text


@pytest.mark.parametrize(
    ("headline", "cue"),
    [
        ("Chinese hackers breached Dutch water utility, security firm says", "says"),
        ("Security firm says Chinese hackers breached Dutch water utility", "says"),
    ],
)
def test_headline_modality_attributing_headline_is_reported(headline, cue):
    """A headline that attributes its claim is reported, though the model alone leans to asserted."""
    report = analyze(Article(headline=headline, body="NetShield said the attackers stayed in the network for months."))
    check = report.headline_check
    assert check is not None
    assert check.verdict == "headline-attributes"
    assert check.headline_modality is not None
    assert check.headline_modality.label == "reported"
    assert [c.text for c in check.headline_modality.cues] == [cue]
    assert all(report.article.text[c.start:c.end] == c.text for c in check.headline_modality.cues)


@pytest.mark.parametrize(
    ("headline", "body", "verdict"),
    [
        # the headline hedges or asks its claim itself
        ("Christian Bale could play Steve Jobs", "Christian Bale will play Steve Jobs in the Sorkin biopic.",
         "headline-hedges"),
        ("Is Christian Bale going to play Steve Jobs?", "Christian Bale will play Steve Jobs in the Sorkin biopic.",
         "headline-hedges"),
        # the body says it in its own voice
        ("Christian Bale to play Steve Jobs", "Christian Bale will play Steve Jobs in the Sorkin biopic. Filming "
         "starts in May in San Francisco.", "body-asserts-too"),
        # a negation in the source's own clause is no denial of what the source says
        ("Council approved the bus lanes without a public hearing",
         "One shop owner, who did not want her name printed, said the council had approved the bus lanes without a "
         "public hearing.", "headline-drops-attribution"),
        ("Council approved the bus lanes without a public hearing",
         "One shop owner said the council had not approved the bus lanes without a public hearing.", "body-disputes"),
        # a verb of speech in the headline attributes its claim
        ("Witnesses describe fireball at chemical plant",
         "\"I saw a fireball rise above the roof,\" said Tomas Reyes, who was driving past the plant.",
         "headline-attributes"),
        # a denial of something else (the polls) under a headline about the man is no dispute of it
        ("The long road of Senator Paul Hendry",
         "Senator Paul Hendry was a dairy farmer before he was a politician. Hendry's campaign manager, Luke Brandt, "
         "dismissed the polls.", "body-asserts-too"),
    ],
)
def test_headline_modality_verdicts(headline, body, verdict):
    check = analyze(Article(headline=headline, body=body)).headline_check
    assert check is not None
    assert check.verdict == verdict, check.reason


def test_headline_modality_negative_headline_is_not_disputed_by_agreeing_denials():
    """"Bale will not play Jobs" over a body that calls the reports false: the body agrees, it disputes nothing."""
    check = analyze(Article(headline="Christian Bale will not play Steve Jobs",
                            body="Christian Bale will not play Steve Jobs in the Sorkin biopic. Reports that he had "
                                 "signed on were false, his spokesman said.")).headline_check
    assert check is not None
    assert check.verdict != "body-disputes"
    assert check.denials == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("says", True), ("according to", True), ("denied", True), ("shot", False), ("told", True), ("killed", False)],
)
def test_headline_modality_cue_reports(text, expected):
    assert reports(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Bale will not play Jobs", True), ("China denies hacking", True), ("Bale to play Jobs", False)],
)
def test_headline_modality_negative_headline(text, expected):
    assert negative(text) is expected
