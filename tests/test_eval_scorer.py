"""Tests of the reusable scorer and the PolNeAR reading/scoring (no model needed)."""

from __future__ import annotations

import pytest

from newsaudit.errors import EvalError
from newsaudit.eval.polnear import GoldAttribution, PredAttribution, baseline_predict, load_split, read_ann, score_article
from newsaudit.eval.scorer import Score, match_one_to_one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (tp, fp, fn) -> (precision, recall, f1), computed by hand
        ((3, 1, 2), (0.75, 0.6, 2 * 0.75 * 0.6 / 1.35)),
        ((0, 0, 0), (0.0, 0.0, 0.0)),
        ((0, 4, 0), (0.0, 0.0, 0.0)),
        ((5, 0, 0), (1.0, 1.0, 1.0)),
        ((1, 1, 1), (0.5, 0.5, 0.5)),
    ],
)
def test_eval_score_measures(text, expected):
    score = Score(*text)
    assert score.precision == pytest.approx(expected[0])
    assert score.recall == pytest.approx(expected[1])
    assert score.f1 == pytest.approx(expected[2])


def test_eval_score_add_and_from_counts():
    assert Score(1, 2, 3) + Score(4, 5, 6) == Score(5, 7, 9)
    assert Score.from_counts(matched=2, predicted=5, gold=3) == Score(2, 3, 1)
    assert Score(1, 1, 0).to_dict()["f1"] == pytest.approx(0.6667, abs=1e-4)


def test_eval_match_one_to_one_greedy_by_weight():
    pred = [(0, 10), (5, 20)]
    gold = [(0, 12), (8, 9)]

    def overlap(p, g):
        return max(0, min(p[1], g[1]) - max(p[0], g[0]))

    # (0,10)-(0,12)=10, (5,20)-(0,12)=7, (0,10)-(8,9)=1, (5,20)-(8,9)=1
    assert match_one_to_one(pred, gold, overlap) == [(0, 0), (1, 1)]
    assert match_one_to_one(pred, [], overlap) == []


ANN = """T1\tSource 0 3\tBob
T2\tCue 4 8\tsaid
T3\tContent 9 20\tit was fine
T4\tAttribution 4 8\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 22 30\tclaimed
T6\tContent 31 35;40 45\tx y
T7\tAttribution-no-source 22 30\tclaimed
E2\tAttribution-no-source:T7 Cue:T5 Content:T6
#1\tAnnotatorNotes T1\ta note
"""


def test_eval_read_ann(tmp_path):
    path = tmp_path / "a_x1.ann"
    path.write_text(ANN, encoding="utf-8")
    gold = read_ann(path)
    assert gold == (
        GoldAttribution(content=((9, 20),), cue=((4, 8),), source=((0, 3),)),
        GoldAttribution(content=((31, 35), (40, 45)), cue=((22, 30),), source=None),
    )


def test_eval_load_split_first_annotator(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "art_one.txt").write_text("Bob said it was fine." + " " * 40, encoding="utf-8")
    (tmp_path / "attributions" / "art_one_bbbb.ann").write_text("", encoding="utf-8")
    (tmp_path / "attributions" / "art_one_aaaa.ann").write_text(ANN, encoding="utf-8")
    [article] = load_split(tmp_path)
    assert article.name == "art_one"
    assert article.annotator == "aaaa"
    assert len(article.gold) == 2


def test_eval_load_split_missing(tmp_path):
    with pytest.raises(EvalError):
        load_split(tmp_path / "nope")


def test_eval_score_article_by_hand():
    text = "x" * 60
    gold = [
        GoldAttribution(content=((9, 20),), cue=((4, 8),), source=((0, 3),)),
        GoldAttribution(content=((31, 35), (40, 45)), cue=((22, 30),), source=None),
    ]
    pred = [
        PredAttribution(content=(9, 20), cue=(4, 8), source=(0, 2)),  # exact; cue + source right
        PredAttribution(content=(33, 45), cue=(50, 52), source=(46, 48)),  # overlap only; cue wrong
        PredAttribution(content=(55, 58)),  # matches nothing
    ]
    scores = score_article(text, pred, gold)
    assert scores["content-exact"] == Score(1, 2, 1)
    assert scores["content-overlap"] == Score(2, 1, 0)
    assert scores["source"] == Score(1, 1, 0)  # 2 predicted sources, 1 gold source
    assert scores["cue"] == Score(1, 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win the war,” he said.", ["“We will win the war,”"]),
        ('He said "we will win the war" today.', ['"we will win the war"']),
        ("She called it “a farce” yesterday.", []),  # too short
        ("“We will win the war,” he shouted.", []),  # no say-verb
    ],
)
def test_eval_baseline(text, expected):
    assert [text[p.content[0] : p.content[1]] for p in baseline_predict(text)] == expected


def test_eval_count_cues_and_write(tmp_path):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from newsaudit.eval.polnear import PolnearArticle
    from newsaudit.train.lexicons import count_cues, write_cue_lexicon

    words = ["Bob", "said", "it", "rained", "and", "Ann", "said", "no"]
    doc = Doc(Vocab(), words=words, pos=["PROPN", "VERB", "PRON", "VERB", "CCONJ", "PROPN", "VERB", "INTJ"],
              lemmas=["Bob", "say", "it", "rain", "and", "Ann", "say", "no"])
    text = doc.text
    cue = (text.index("said"), text.index("said") + 4)
    article = PolnearArticle("a", text, (GoldAttribution(content=((9, 18),), cue=(cue,)),))
    cue_count, total = count_cues([article], [doc])
    assert cue_count == {"say": 1}
    assert total == {"say": 2, "rain": 1}
    out = tmp_path / "cues.tsv"
    assert write_cue_lexicon(out, cue_count, total, "test-model", min_count=1) == 1
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines == ["lemma\tcue_count\ttotal\tratio", "say\t1\t2\t0.500"]
