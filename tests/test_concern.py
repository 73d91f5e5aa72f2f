"""headline_check.concern: which dropped attributions matter to a reader."""

from __future__ import annotations

import pytest

from newsaudit import Article, analyze
from newsaudit.components.concern import parties_in_text
from newsaudit.load import load_file

CASES = [
    # routine wire copy, a police source: low
    (
        "Fire kills three in downtown apartment block",
        "Three people died when a fire swept through an apartment block in downtown Springfield on Tuesday "
        "night, police said.\n\nFire crews arrived within minutes, police spokesman Jonas Keller told reporters.",
        "low",
    ),
    # a company speaking of itself: medium
    (
        "Orbitron chip is the safest on the market",
        "Orbitron said on Monday that its new chip was the safest on the market.\n\nThe company said "
        "independent tests would follow.",
        "medium",
    ),
    # a government speaking of its adversary, routine wording: medium
    (
        "Iran is arming Houthi militants",
        "The Pentagon said on Tuesday that Iran was arming Houthi militants in Yemen.",
        "medium",
    ),
    # anonymous sources, a routine fact: medium
    (
        "Minister to resign over scandal",
        "The minister will resign next week, three people close to him said.",
        "medium",
    ),
    # an accusation on anonymous word: high
    (
        "Rebels plotted attack on convoy",
        "Two people familiar with the matter said the rebels had plotted an attack on the convoy.",
        "high",
    ),
    # the headline keeps its attribution: low
    (
        "Iran is arming Houthi militants, Pentagon says",
        "The Pentagon said Iran was arming Houthi militants.",
        "low",
    ),
]


@pytest.mark.parametrize(("headline", "body", "expected"), CASES)
def test_concern_levels(headline: str, body: str, expected: str) -> None:
    check = analyze(Article(headline=headline, body=body)).headline_check
    assert check is not None
    assert check.concern == expected, check.concern_reasons
    assert check.concern_reasons


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a described party is said to be described, not anonymous
        ("The fire that destroyed the factory on Sunday was started deliberately, its owner said on Monday.",
         "one party backs the claim: its owner (described, not named)"),
        ("The fire that destroyed the factory on Sunday was started deliberately, two people familiar with the "
         "investigation said.", "one party backs the claim: two people familiar with the investigation (anonymous)"),
        # the text says the party would not be named
        ("One worker, who did not want her name printed, said the fire was started deliberately.",
         "one party backs the claim: One worker (anonymous)"),
    ],
)
def test_concern_unidentified_party_says_how(body: str, expected: str) -> None:
    check = analyze(Article(headline="Factory fire was arson", body=body)).headline_check
    assert check is not None
    assert expected in check.concern_reasons, check.concern_reasons


def test_concern_seed_article_is_high(seed_path) -> None:
    check = analyze(load_file(seed_path)).headline_check
    assert check is not None
    assert check.verdict == "headline-drops-attribution"
    assert check.concern == "high"
    reasons = " ".join(check.concern_reasons)
    assert "accusation" in reasons
    assert "interested party" in reasons


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Russian Defense Ministry", {"russia"}),
        ("Moscow and the Kremlin", {"russia"}),
        ("U.S. Special Forces helping jihadists in Syria", {"us", "syria"}),
        ("the White House's statement", {"us"}),
        ("police in Springfield", set()),
    ],
)
def test_concern_parties_in_text(text: str, expected: set[str]) -> None:
    assert parties_in_text(text) == expected
