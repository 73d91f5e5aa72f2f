"""The shipped recipe: main part + TF-IDF part, standardised and summed; the shared TF-IDF LR; the folder."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from newsaudit.errors import ModelFileError
from newsaudit.models.checkworthy import CheckworthyModel
from newsaudit.models.checkworthy.features import dense_names
from newsaudit.models.checkworthy.tfidf import TfidfLR, ngrams
from newsaudit.models.numpy_net import NumpyNet, sigmoid
from newsaudit.models.vocab import build_vocab
from newsaudit.train.checkworthy import fit_pieces, fit_tfidf
from newsaudit.train.checkworthy_cv import tfidf_baseline_scores

TEXTS = ["We cut taxes by 40 percent in 2017.", "Thank you all.", "Unemployment fell to 3.7 percent.",
         "Good evening, good evening.", "Taxes rose by 2 percent last year.", "I think so."]
LABELS = [1, 0, 1, 0, 1, 0]
COMBO = {"main": [-1.0, 2.0], "tfidf": [0.5, 0.25], "calibration": [1.5, -2.0]}


def _doc():
    nlp = spacy.blank("en")
    words = ["Rain", "fell", ".", "A", "shark", "bit", "a", "surfer", "."]
    return Doc(nlp.vocab, words=words, pos=["NOUN", "VERB", "PUNCT", "DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"],
               sent_starts=[1, 0, 0, 1, 0, 0, 0, 0, 0], lemmas=[w.lower() for w in words], tags=["NN"] * len(words))


def _tfidf():
    """TF-IDF part by hand: "surfer" weighs 2, "rain" -1 (idf 1, intercept 0.5)."""
    return TfidfLR(["rain", "surfer", "bit"], np.ones(3), np.array([-1.0, 2.0, 0.0]), 0.5)


def _combo(tmp_path, combo=None):
    names = dense_names(False, False)
    vocab = build_vocab([{"shark": 1}, {"rain": 1}], bow_size=10, min_df=1)
    ws = np.zeros((vocab.bow_size, 1), np.float32)
    ws[vocab.bow_index["shark"]] = 3.0
    net = NumpyNet(np.zeros(len(names), np.float32), np.ones(len(names), np.float32), np.zeros((len(names), 1), np.float32),
                   [ws], ["terms"], np.array([-1.0], np.float32), [], np.zeros(1, np.float32))
    cfg = {"context": False, "t2v": False, "terms": "regex", "dense_names": names, "combo": combo or COMBO}
    CheckworthyModel(vocab, net, cfg, _tfidf()).save(tmp_path, ["test", "Licence: CC0-1.0"])
    return CheckworthyModel.load(tmp_path)


@pytest.mark.parametrize(("text", "expected"), [("It cost 42!", {"it": 1, "cost": 1, "42": 1, "it cost": 1, "cost 42": 1}),
                                                ("A big cat", {"big": 1, "cat": 1, "big cat": 1}),
                                                ("Go go GO", {"go": 3, "go go": 2})])
def test_checkworthy_combo_ngrams_as_sklearn(text, expected):
    assert dict(ngrams(text)) == expected


def test_checkworthy_combo_tfidf_numpy_matches_sklearn():
    """The numpy logits are scikit-learn's decision function (the baseline of the eval is this class)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    test = ["Taxes fell 3 percent.", "Thank you, good evening.", "Nothing known here."]
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    clf = LogisticRegression(C=1.0, solver="liblinear", max_iter=2000, random_state=0).fit(vec.fit_transform(TEXTS), LABELS)
    expected = clf.decision_function(vec.transform(test))
    assert np.allclose(tfidf_baseline_scores(TEXTS, LABELS, test), expected, atol=1e-12)
    assert np.allclose(fit_tfidf(TEXTS, LABELS).logits(test), expected, atol=1e-12)


def test_checkworthy_combo_tfidf_folder_round_trip_same_bytes(tmp_path):
    lr = fit_tfidf(TEXTS, LABELS)
    lr.save(tmp_path / "a", ["test", "Licence: CC0-1.0"])
    lr.save(tmp_path / "b", ["test", "Licence: CC0-1.0"])
    for name in ("tfidf.npz", "tfidf_vocab.tsv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    back = TfidfLR.load(tmp_path / "a")
    assert back.terms == lr.terms
    assert np.array_equal(back.logits(TEXTS), lr.logits(TEXTS))


def test_checkworthy_combo_standardised_sum_by_hand(tmp_path):
    model = _combo(tmp_path)
    sents = list(_doc().sents)
    main = np.array([-1.0, -1.0 + 3.0 * model.vocab.tfidf({"shark": 1}, known_only=True)["shark"]])
    # "Rain fell .": rain 1/1 -> -1 + 0.5; "A shark bit a surfer .": surfer, bit, idf 1 -> L2 1/sqrt(2)
    tf = np.array([-0.5, 2.0 / np.sqrt(2) + 0.5])
    expected = (main - -1.0) / 2.0 + (tf - 0.5) / 0.25
    X, rows = model.inputs(sents)
    assert np.allclose(model.logits(X, rows), main, atol=1e-5)
    assert np.allclose(model.scores(sents), expected, atol=1e-5)
    assert np.allclose(model.probabilities(sents), sigmoid(1.5 * expected - 2.0), atol=1e-5)
    assert [s.score for s in model.score_sentences(sents)] == [round(float(p), 4) for p in sigmoid(1.5 * expected - 2.0)]


def test_checkworthy_combo_reasons_from_both_parts(tmp_path):
    """A word of the main part and a word of the TF-IDF part both explain, each divided by its part's std."""
    model = _combo(tmp_path)
    sents = list(_doc().sents)
    X, rows = model.inputs(sents)
    contrib = model.contributions(X[1], rows[1], sents[1].text)
    shark = 3.0 * model.vocab.tfidf({"shark": 1}, known_only=True)["shark"] / 2.0
    assert contrib['word "shark"'] == pytest.approx(shark, abs=1e-5)
    assert contrib['word "surfer"'] == pytest.approx(2.0 / np.sqrt(2) / 0.25)
    reasons = model.score_sentences(sents)[1].reasons
    assert reasons[0].startswith('word "surfer" (+5.66)')
    assert any(r.startswith('word "shark"') for r in reasons)
    assert not any("rain" in r for r in model.score_sentences(sents)[0].reasons)  # negative: no reason


def test_checkworthy_combo_word_in_both_parts_sums(tmp_path):
    model = _combo(tmp_path)
    model.tfidf = TfidfLR(["shark"], np.ones(1), np.array([1.0]), 0.0)
    span = list(_doc().sents)[1]
    X, rows = model.inputs([span])
    main_only = 3.0 * model.vocab.tfidf({"shark": 1}, known_only=True)["shark"] / 2.0
    assert model.contributions(X[0], rows[0], span.text)['word "shark"'] == pytest.approx(main_only + 1.0 / 0.25, abs=1e-5)


def test_checkworthy_combo_folder_round_trip(tmp_path):
    model = _combo(tmp_path / "a")
    model.save(tmp_path / "b", ["test", "Licence: CC0-1.0"])
    back = CheckworthyModel.load(tmp_path / "b")
    sents = list(_doc().sents)
    assert back.config["combo"] == COMBO
    assert back.tfidf is not None
    assert back.tfidf.terms == ["rain", "surfer", "bit"]
    assert np.array_equal(back.scores(sents), model.scores(sents))
    for name in ("config.json", "vocab.tsv", "tfidf_vocab.tsv", "tfidf.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    "damage",
    ["no tfidf.npz", "no tfidf_vocab.tsv", "short vocab", "corrupt npz", "std 0", "no calibration", "bad mean"],
)
def test_checkworthy_combo_bad_folder_raises(tmp_path, damage):
    import json

    _combo(tmp_path)
    cfg = json.loads((tmp_path / "config.json").read_text(encoding="utf-8"))
    if damage == "no tfidf.npz":
        (tmp_path / "tfidf.npz").unlink()
    elif damage == "no tfidf_vocab.tsv":
        (tmp_path / "tfidf_vocab.tsv").unlink()
    elif damage == "short vocab":
        (tmp_path / "tfidf_vocab.tsv").write_text("# test\nrain\nsurfer\n", encoding="utf-8")
    elif damage == "corrupt npz":
        (tmp_path / "tfidf.npz").write_bytes(b"not a zip")
    elif damage == "std 0":
        cfg["combo"]["tfidf"] = [0.0, 0.0]
    elif damage == "no calibration":
        del cfg["combo"]["calibration"]
    elif damage == "bad mean":
        cfg["combo"]["main"] = ["x", 1.0]
    (tmp_path / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelFileError):
        CheckworthyModel.load(tmp_path)


def test_checkworthy_combo_training_standardises_in_sample():
    """train_combo: each part's z has mean 0 and std 1 over the training sentences; the eval's folds call it too."""
    from newsaudit.train.checkworthy import debate_data, predict_debate, train_combo

    nlp = spacy.blank("en")
    data = [debate_data(f"d{k}", [nlp(t)[:] for t in TEXTS[k::2]], LABELS[k::2], [1, 2, 3]) for k in (0, 1)]
    model = train_combo(data)
    combo = model.config["combo"]
    texts = [t for d in data for t in d.texts]
    z_tf = (model.tfidf.logits(texts) - combo["tfidf"][0]) / combo["tfidf"][1]
    assert z_tf.mean() == pytest.approx(0.0, abs=1e-9)
    assert z_tf.std() == pytest.approx(1.0)
    scores = np.concatenate([predict_debate(model, d) for d in data])
    assert scores.mean() == pytest.approx(0.0, abs=1e-5)
    assert set(combo) >= {"main", "tfidf", "calibration"}
    assert combo["calibration"][0] > 0


def _three_parts(tmp_path):
    """The two-part model by hand plus a word-piece part fitted on TEXTS (combo pieces: mean 0.2, std 0.5)."""
    from newsaudit.models.checkworthy.pieces import PieceTable

    pieces = ["[UNK]", "rain", "fell", ".", "a", "shark", "bit", "surfer", "taxes", "percent", "thank", "you"]
    table = PieceTable.from_float(pieces, np.random.default_rng(3).normal(size=(len(pieces), 5)))
    model = _combo(tmp_path / "two")
    model.config = {**model.config, "combo": {**COMBO, "pieces": [0.2, 0.5]}}
    model.pieces = fit_pieces(table, TEXTS, LABELS)
    model.save(tmp_path / "three", ["test", "Licence: CC0-1.0"])
    return model, CheckworthyModel.load(tmp_path / "three")


def test_checkworthy_combo_three_parts_by_hand(tmp_path):
    two, three = _three_parts(tmp_path)
    sents = list(_doc().sents)
    texts = [s.text for s in sents]
    assert three.pieces is not None
    expected = _combo(tmp_path / "plain").scores(sents) + (three.pieces.logits(texts) - 0.2) / 0.5
    assert np.allclose(three.scores(sents), expected, atol=1e-6)
    assert np.array_equal(three.scores(sents), two.scores(sents))


def test_checkworthy_combo_reasons_from_the_word_piece_part(tmp_path):
    """A word's word-piece share, divided by that part's std, is added to its other shares."""
    _two, model = _three_parts(tmp_path)
    span = list(_doc().sents)[1]
    X, rows = model.inputs([span])
    with_pieces = model.contributions(X[0], rows[0], span.text)
    model_two = _combo(tmp_path / "plain")
    without = model_two.contributions(X[0], rows[0], span.text)
    assert model.pieces is not None
    shares = model.pieces.contributions(span.text)
    for word, share in shares.items():
        assert with_pieces[f'word "{word}"'] == pytest.approx(without.get(f'word "{word}"', 0.0) + share / 0.5)


def test_checkworthy_combo_missing_word_piece_file_raises(tmp_path):
    _three_parts(tmp_path)
    (tmp_path / "three" / "pieces.npz").unlink()
    with pytest.raises(ModelFileError):
        CheckworthyModel.load(tmp_path / "three")


def test_checkworthy_combo_training_with_a_table_adds_the_part():
    from newsaudit.models.checkworthy.pieces import PieceTable
    from newsaudit.train.checkworthy import debate_data, predict_debate, train_combo

    nlp = spacy.blank("en")
    data = [debate_data(f"d{k}", [nlp(t)[:] for t in TEXTS[k::2]], LABELS[k::2], [1, 2, 3]) for k in (0, 1)]
    pieces = ["[UNK]", "we", "cut", "taxes", "percent", "thank", "you", "good", "evening", "."]
    table = PieceTable.from_float(pieces, np.random.default_rng(5).normal(size=(len(pieces), 4)))
    model = train_combo(data, table=table)
    texts = [t for d in data for t in d.texts]
    assert model.pieces is not None
    assert "pieces" in model.config["combo"]
    assert "word-piece" in model.config["recipe"]
    z = (model.pieces.logits(texts) - model.config["combo"]["pieces"][0]) / model.config["combo"]["pieces"][1]
    assert z.mean() == pytest.approx(0.0, abs=1e-9)
    assert z.std() == pytest.approx(1.0)
    assert np.concatenate([predict_debate(model, d) for d in data]).mean() == pytest.approx(0.0, abs=1e-5)
