"""newsaudit.models.stance: views of a parse, pair features, the numpy model, its passages and
the contradiction rule (tiny hand-built Docs and models; the shipped model where it is the point)."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from newsaudit.errors import ModelFileError
from newsaudit.models.numpy_net import NumpyNet
from newsaudit.models.stance import MODEL_DIR, ContradictionRule, Passage, StanceModel, StanceResult, load_stance_model
from newsaudit.models.stance.features import DENSE_NAMES, pair_features
from newsaudit.models.stance.model import LABELS
from newsaudit.models.stance.textview import view_of
from newsaudit.models.vocab import build_vocab
from newsaudit.train.stance import choose_rule, rule_counts


def make_doc(words, pos, sent_starts, deps=None, heads=None, lemmas=None, ents=None):
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, pos=pos, deps=deps, heads=heads, sent_starts=sent_starts,
              lemmas=lemmas or [w.lower() for w in words], tags=["NN"] * len(words), ents=ents)
    doc.tensor = np.ones((len(words), 96), np.float32)
    return doc


HEAD = make_doc(["Shark", "bites", "surfer"], ["NOUN", "VERB", "NOUN"], [1, 0, 0])
BODY = make_doc(
    ["Rain", "fell", ".", "A", "shark", "bit", "a", "surfer", "."],
    ["NOUN", "VERB", "PUNCT", "DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"],
    [1, 0, 0, 1, 0, 0, 0, 0, 0],
)


@pytest.fixture
def body():
    """'Police did not confirm the hoax. Officials say 3 died.'"""
    words = ["Police", "did", "not", "confirm", "the", "hoax", ".", "Officials", "say", "3", "died", "."]
    pos = ["NOUN", "AUX", "PART", "VERB", "DET", "NOUN", "PUNCT", "NOUN", "VERB", "NUM", "VERB", "PUNCT"]
    deps = ["nsubj", "aux", "neg", "ROOT", "det", "dobj", "punct", "nsubj", "ROOT", "nsubj", "ccomp", "punct"]
    heads = [3, 3, 3, 3, 5, 3, 3, 8, 8, 10, 8, 8]
    starts = [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]
    lemmas = ["police", "do", "not", "confirm", "the", "hoax", ".", "official", "say", "3", "die", "."]
    ents = ["B-ORG", "O", "O", "O", "O", "O", "O", "O", "O", "B-CARDINAL", "O", "O"]
    return make_doc(words, pos, starts, deps, heads, lemmas, ents)


def stance_model(bias=(0.0, 0.0, 1.0, 0.0)) -> StanceModel:
    vocab = build_vocab([view_of(HEAD).lemmas, view_of(BODY).lemmas], bow_size=4, min_df=1)
    d, v = len(DENSE_NAMES), vocab.bow_size
    net = NumpyNet(np.zeros(d, np.float32), np.ones(d, np.float32), np.zeros((d, 4), np.float32),
                   [np.zeros((v, 4), np.float32)] * 2, ["head_bow", "body_bow"], np.array(bias, np.float32), [],
                   np.zeros(4, np.float32))
    return StanceModel(vocab, net, {"labels": list(LABELS), "dense_names": list(DENSE_NAMES), "blocks": ["head", "body"]})


def test_stance_model_textview_sentences_and_cues(body):
    v = view_of(body)
    assert [(s.start_char, s.end_char) for s in v.sentences] == [(0, 33), (34, 56)]
    first, second = v.sentences
    assert first.neg_heads == {"confirm"}
    assert first.cues["refute"] >= 2  # "not", "hoax"
    assert first.cues["affirm"] == 1  # "confirm"
    assert second.cues["hedge"] == 1  # "say"
    assert "3" in second.numbers
    assert "police" in first.ents
    assert v.lemmas["hoax"] == 1
    assert "the" not in v.lemmas


def test_stance_model_textview_span_offsets_are_doc_offsets(body):
    v = view_of(body[7:])
    assert [(s.start_char, s.end_char) for s in v.sentences] == [(34, 56)]


def test_stance_model_textview_without_tensor_reads_zero_vectors(body):
    body.tensor = np.zeros((0, 96), np.float32)
    v = view_of(body)
    assert not v.vec.any()
    assert not v.sentences[0].vec.any()


def test_stance_model_pair_features_shape_and_relevance(body):
    head = make_doc(["Police", "confirm", "hoax"], ["NOUN", "VERB", "NOUN"], [1, 0, 0], ["nsubj", "ROOT", "dobj"], [1, 1, 1])
    hv, bv = view_of(head), view_of(body)
    vocab = build_vocab([hv.lemmas, bv.lemmas], bow_size=10, min_df=1)
    dense, _hp, _bp, rel = pair_features(hv, bv, vocab)
    assert dense.shape == (len(DENSE_NAMES),)
    assert rel[0] > rel[1]  # the first sentence shares the headline's words
    assert dense[DENSE_NAMES.index("top_neg_on_h")] == 1.0  # "not" attaches to "confirm", a headline word
    assert dense[DENSE_NAMES.index("ov_raw")] == 1.0


def test_stance_model_roundtrip_and_passages(tmp_path):
    stance_model().save(tmp_path, ["test", "Licence: CC0-1.0"])
    model = StanceModel.load(tmp_path)
    res = model.predict(HEAD, BODY)
    assert res.label == "discuss"
    assert set(res.probs) == set(LABELS)
    assert sum(res.probs.values()) == pytest.approx(1.0, abs=1e-3)
    assert res.passages
    assert BODY.text[res.passages[0].start_char : res.passages[0].end_char] == "A shark bit a surfer ."


@pytest.mark.parametrize(("key", "value"), [("dense_names", ["x"]), ("labels", ["a", "b", "c", "d"])])
def test_stance_model_rejects_other_features_or_labels(tmp_path, key, value):
    m = stance_model()
    m.config[key] = value
    m.save(tmp_path, ["test"])
    with pytest.raises(ModelFileError):
        StanceModel.load(tmp_path)


def test_stance_model_missing_folder_raises(tmp_path):
    with pytest.raises(ModelFileError, match="config"):
        StanceModel.load(tmp_path / "absent")


def _result(label, p_disagree, refuting):
    rest = (1.0 - p_disagree) / 3
    probs = {lab: rest for lab in LABELS} | {"disagree": p_disagree}
    return StanceResult(label, probs, (Passage(0, 5, 0.5, refuting),))


@pytest.mark.parametrize(
    ("result", "rule", "expected"),
    [
        (_result("disagree", 0.9, True), ContradictionRule(0.7, True), True),
        (_result("disagree", 0.9, False), ContradictionRule(0.7, True), False),  # no refuting cue in a passage
        (_result("disagree", 0.9, False), ContradictionRule(0.7, False), True),
        (_result("disagree", 0.6, True), ContradictionRule(0.7, True), False),  # not sure enough
        (_result("agree", 0.3, True), ContradictionRule(0.2, True), False),  # not the label
    ],
)
def test_stance_model_contradiction_rule(result, rule, expected):
    assert rule.fires(result) is expected


def test_stance_model_rule_from_config_defaults_and_roundtrip():
    assert ContradictionRule.from_config({}) == ContradictionRule()
    rule = ContradictionRule(0.65, False)
    assert ContradictionRule.from_config({"contradiction": rule.to_config()}) == rule


def test_stance_model_rule_counts_and_choice_by_hand():
    #            agree disagree discuss unrelated
    probs = np.array([[0.1, 0.8, 0.1, 0.0],   # gold disagree, refuting
                      [0.1, 0.6, 0.3, 0.0],   # gold discuss, refuting
                      [0.1, 0.7, 0.2, 0.0],   # gold disagree, no cue
                      [0.7, 0.2, 0.1, 0.0]])  # gold agree
    refuting = np.array([True, True, False, True])
    gold = ["disagree", "discuss", "disagree", "agree"]
    counts = rule_counts(probs, refuting, gold, ContradictionRule(0.5, True))
    assert (counts["fired"], counts["correct"], counts["gold"]) == (2, 1, 2)
    assert counts["precision"] == 0.5
    assert counts["recall"] == 0.5
    rule, chosen = choose_rule(probs, refuting, gold)
    assert chosen["precision"] >= 0.6
    assert chosen["recall"] == 1.0
    assert rule == ContradictionRule(0.65, False)


def test_stance_model_shipped_folder_loads_with_its_rule():
    model = load_stance_model()
    assert load_stance_model(MODEL_DIR) is model  # once per process
    assert model.config["contradiction"]["min_disagree"] == model.rule.min_disagree
    assert 0.5 <= model.rule.min_disagree < 1.0


@pytest.mark.parametrize(
    "path",
    ["newsaudit/data/lexicons/stance_cues.tsv", "newsaudit/data/stance/model/vocab.tsv", "newsaudit/data/checkworthy/model/vocab.tsv"],
)
def test_stance_model_data_files_name_source_and_licence(path):
    from pathlib import Path

    from newsaudit.lexicons import LEXICON_DIR, header

    root = Path(__file__).resolve().parents[1]
    head = " ".join(header(root / path)).lower()
    assert "source" in head
    assert "licence" in head
    if "lexicons" in path:
        assert Path(path).name in (LEXICON_DIR / "README.md").read_text(encoding="utf-8")


def test_stance_model_cards_ship_beside_the_models():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "newsaudit" / "data"
    files = {"config.json", "vocab.tsv", "net.npz", "net.json"}
    for name, extra in (("stance", set()), ("checkworthy", {"tfidf.npz", "tfidf_vocab.tsv", "pieces.npz"})):
        card = (root / name / "MODEL_CARD.md").read_text(encoding="utf-8")
        assert "Research use" in card
        assert "Known weaknesses" in card
        assert "newsaudit eval" in card
        assert {p.name for p in (root / name / "model").iterdir()} == files | extra
