"""newsaudit.models.checkworthy: the numpy scorer, its reasons, loading by config.json (tiny hand-made models)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from newsaudit.errors import ModelFileError
from newsaudit.models.checkworthy import MODEL_DIR, CheckworthyModel, load_checkworthy_model
from newsaudit.models.checkworthy.features import dense_names, sentence_terms
from newsaudit.models.checkworthy.model import reason_group, smooth
from newsaudit.models.numpy_net import NumpyNet
from newsaudit.models.vocab import build_vocab


def _doc():
    nlp = spacy.blank("en")
    words = ["Rain", "fell", ".", "A", "shark", "bit", "a", "surfer", "."]
    return Doc(nlp.vocab, words=words, pos=["NOUN", "VERB", "PUNCT", "DET", "NOUN", "VERB", "DET", "NOUN", "PUNCT"],
               sent_starts=[1, 0, 0, 1, 0, 0, 0, 0, 0], lemmas=[w.lower() for w in words], tags=["NN"] * len(words))


def _model(tmp_path, config=None):
    names = dense_names(False, False)
    vocab = build_vocab([{"shark": 1}, {"rain": 1}], bow_size=10, min_df=1)
    ws = np.zeros((vocab.bow_size, 1), np.float32)
    ws[vocab.bow_index["shark"]] = 3.0
    net = NumpyNet(np.zeros(len(names), np.float32), np.ones(len(names), np.float32), np.zeros((len(names), 1), np.float32),
                   [ws], ["terms"], np.array([-1.0], np.float32), [], np.zeros(1, np.float32))
    cfg = {"context": False, "t2v": False, "terms": "regex", "dense_names": names} | (config or {})
    CheckworthyModel(vocab, net, cfg).save(tmp_path, ["test", "Licence: CC0-1.0"])
    return CheckworthyModel.load(tmp_path)


def test_checkworthy_model_scores_and_reasons(tmp_path):
    model = _model(tmp_path)
    sents = list(_doc().sents)
    out = model.score_sentences(sents)
    assert out[1].score > out[0].score
    assert out[1].reasons[0].startswith('word "shark"')
    assert model.score(sents[1]).score == out[1].score
    assert out[1].counts is not None
    assert out[1].counts.n_tokens == 5
    assert model.probabilities(sents)[1] == pytest.approx(out[1].score, abs=1e-4)


def test_checkworthy_model_rejects_other_features(tmp_path):
    with pytest.raises(ModelFileError, match="other features"):
        _model(tmp_path, {"dense_names": ["x"]})


def test_checkworthy_model_follows_its_config(tmp_path):
    """A model that reads the tok2vec vector needs its 96 extra names: the config decides, not the code."""
    with pytest.raises(ModelFileError):
        _model(tmp_path, {"t2v": True})
    assert len(_model(tmp_path, {"terms": "lower"}).config["dense_names"]) == len(dense_names(False, False))


@pytest.mark.parametrize(("z", "beta", "expected"), [([0.0, 2.0, 0.0], 0.5, [1.0, 2.0, 1.0]), ([1.0], 0.5, [1.0])])
def test_checkworthy_model_smooth_by_hand(z, beta, expected):
    assert np.allclose(smooth(np.array(z), beta), expected)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("cb:numbers", "contains a number or quantity"), ("pos:VBD", "past-tense verbs"), ("ent:ORG", "names an organisation"),
     ("t2v:3", "wording of the sentence (tok2vec)")],
)
def test_checkworthy_model_reason_groups(name, expected):
    assert reason_group(name) == expected


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("regex", {"it", "cost", "42", "it cost", "cost 42"}), ("lower", {"it", "cost", "42", "it cost", "cost 42"})],
)
def test_checkworthy_model_sentence_terms(mode, expected):
    nlp = spacy.blank("en")
    assert set(sentence_terms(nlp("It cost 42!")[:], mode)) == expected


def test_checkworthy_model_shipped_folder_loads():
    model = load_checkworthy_model()
    assert load_checkworthy_model(str(MODEL_DIR)) is model
    assert model.config["terms"] == "regex"
    assert not model.t2v
    assert not model.context


def test_checkworthy_model_inference_imports_no_torch_or_sklearn():
    code = ("import sys\nfrom newsaudit.lazy import spacy_without_torch\nspacy_without_torch()\n"
            "import newsaudit.train.checkworthy, newsaudit.train.stance, newsaudit.eval.checkworthy\n"
            "import newsaudit.eval.stance\n"
            "from newsaudit.models.checkworthy import load_checkworthy_model\nfrom newsaudit.models.stance import load_stance_model\n"
            "cw = load_checkworthy_model(); load_stance_model()\n"
            "assert cw.pieces is not None and len(cw.pieces.logits(['Taxes rose 4 percent.'])) == 1\n"
            "assert cw.pieces.contributions('Taxes rose 4 percent.')\n"
            "print(','.join(m for m in ('torch', 'sklearn', 'scipy') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
