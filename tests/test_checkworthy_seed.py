"""Check-worthiness on news: the seed article's ministry allegations rank above its background sentences.

The sentences (labelled by hand, by substring) are the research's lists.  What holds, and is tested: the
allegations' mean rank is better than the background's and their mean score higher, and most
(allegation, background) pairs are ordered right (82%).  Not every pair is: the factual background
sentence "None of the patients ... showed any symptoms" ranks 1st (strict xfail: the top sentence was an
allegation with the main part alone), the AFP/Independent one 3rd; allegations rank 2nd, 4th and 5th,
"The planned provocation ... is also to justify an FSA offensive" 8th.
"""

from __future__ import annotations

import pytest

from newsaudit.components.claims import sentence_units
from newsaudit.load import load_file
from newsaudit.models.checkworthy import load_checkworthy_model

#: sentences that carry the Defense Ministry's allegations (substring keys)
ALLEGATIONS = (
    "Our intelligence confirmed by three independent Syrian sources",
    "The military alleged the FSA militants",
    "the rebels brought canisters filled with chlorine",
    "is also to justify an FSA offensive",
    "have placed \u201chermetically sealed containers",
)
#: background: earlier events, other outlets' reports, framing
BACKGROUND = (
    "The set-up could then be distributed",
    "The Defense Ministry earlier warned",
    "News of an alleged chemical attack in the Syrian town of Douma",
    "a reporter from German public broadcaster ZDF",
    "AFP and British tabloid the Independent",
    "a boy from the Douma",
    "members of the controversial White Helmets",
    "None of the patients",
    "Moscow has consistently raised concerns",
    "Russia believes that such attacks",
)


@pytest.fixture(scope="module")
def ranked(seed_path, audit_nlp):
    """(kind, score, rank) of every body sentence of the seed, as the claims component cuts and scores them."""
    doc = audit_nlp(load_file(seed_path).text)
    units = [span for span, is_headline in sentence_units(doc) if not is_headline]
    scores = [s.score for s in load_checkworthy_model().score_sentences(units)]
    order = sorted(range(len(units)), key=lambda i: -scores[i])
    kinds = ["allegation" if any(k in u.text for k in ALLEGATIONS) else "background" if any(k in u.text for k in BACKGROUND)
             else "other" for u in units]
    return [(kinds[i], scores[i], order.index(i) + 1) for i in range(len(units))]


def test_checkworthy_seed_every_listed_sentence_found(ranked):
    kinds = [k for k, _s, _r in ranked]
    assert kinds.count("allegation") == len(ALLEGATIONS)
    assert kinds.count("background") == len(BACKGROUND)


@pytest.mark.xfail(reason="the factual background sentence 'None of the patients ... showed any symptoms' ranks 1st, "
                   "an allegation 2nd", strict=True)
def test_checkworthy_seed_top_sentence_is_an_allegation(ranked):
    assert next(k for k, _s, r in ranked if r == 1) == "allegation"


def test_checkworthy_seed_allegations_rank_above_background_on_average(ranked):
    def mean(kind, i):
        values = [row[i] for row in ranked if row[0] == kind]
        return sum(values) / len(values)

    assert mean("allegation", 2) < mean("background", 2)  # mean rank: 5.2 against 10.4 of 16
    assert mean("allegation", 1) > mean("background", 1)  # mean score


def test_checkworthy_seed_most_pairs_ordered(ranked):
    alleg = [s for k, s, _r in ranked if k == "allegation"]
    backg = [s for k, s, _r in ranked if k == "background"]
    share = sum(a > b for a in alleg for b in backg) / (len(alleg) * len(backg))
    assert share >= 0.6  # 0.82: 41 of the 50 pairs


@pytest.mark.xfail(reason="two factual background sentences outrank some allegations (82% of pairs ordered right)", strict=True)
def test_checkworthy_seed_every_pair_ordered(ranked):
    alleg = [s for k, s, _r in ranked if k == "allegation"]
    backg = [s for k, s, _r in ranked if k == "background"]
    assert min(alleg) > max(backg)
