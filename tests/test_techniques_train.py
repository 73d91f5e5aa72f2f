"""A tiny training run on a handful of PTC articles (must stay well under a minute)."""

import time

import numpy as np
import pytest

from newsaudit.models.techniques.model import load_model
from newsaudit.train.techniques import TechniquesTrainOptions, prepare, train_model
from newsaudit.train.techniques_cv import cross_validate


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize(("members", "fine_tune_epochs"), [(("conv",), 0), (("conv", "conv"), 1)])
def test_techniques_tiny_training_run(shared_data, tmp_path, members, fine_tune_epochs):
    ptc = shared_data / "ptc"
    if not (ptc / "train-articles").is_dir():
        pytest.skip(f"PTC corpus not available: {ptc} is absent")
    t0 = time.perf_counter()
    opts = TechniquesTrainOptions(data=str(ptc), out=str(tmp_path / "model"), limit=6, epochs=1, n_layers=2, no_cache=True,
                                  folds=2, thresholds=(0.4,), torch_threads=1, members=members,
                                  fine_tune_epochs=fine_tune_epochs, probs_out=str(tmp_path / "probs.npz"))
    prep = prepare(opts)
    res = cross_validate(opts, prep)
    # every held-out article's token probabilities, one row per span tagger
    saved = np.load(tmp_path / "probs.npz")
    n_taggers = len(members)
    for a in prep.arts:
        rows, offsets = saved[f"{a.id}/members"], saved[f"{a.id}/offsets"]
        assert rows.shape == (n_taggers, len(offsets)) == (n_taggers, len(saved[f"{a.id}/chunk"]))
        assert ((rows >= 0) & (rows <= 1)).all()
    assert 0.0 <= res["si"]["f1"] <= 1.0
    assert 0.0 <= res["tc"]["f1"] <= 1.0
    assert res["tc"]["n_gold"] == sum(len(a.tc) for a in prep.arts)
    trained = train_model(opts, prep)
    model = load_model(tmp_path / "model")
    assert model.cfg.n_layers == 2
    assert model.cfg.members == members
    assert model.cfg.fine_tuned == (fine_tune_epochs > 0) == (tmp_path / "model" / "encoder.safetensors").is_file()
    text = prep.arts[0].text
    # the saved model (float16 encoder layers) predicts what the trained one did
    saved = [(f.start, f.end, round(f.score, 4)) for f in model.predict(text)]
    assert saved == [(f.start, f.end, round(f.score, 4)) for f in trained.predict(text)]
    for f in model.predict(text):
        assert f.technique in model.cfg.techniques
        assert 0 <= f.start < f.end <= len(text)
        assert 0 <= f.score <= 1
        assert f.runner_up != f.technique
        assert f.score == pytest.approx(f.span_prob * f.technique_prob)
    assert time.perf_counter() - t0 < 60


@pytest.mark.parametrize(("text", "expected"), [("conv", ("conv",)), ("conv, conv,conv", ("conv", "conv", "conv"))])
def test_techniques_parse_members(text, expected):
    from newsaudit.train.techniques import parse_members

    assert parse_members(text) == expected


@pytest.mark.parametrize("text", ["", "gru", "conv,transformer", " , ", "conv,lstm"])
def test_techniques_parse_members_rejects_bad_values(text):
    from newsaudit.errors import InputError
    from newsaudit.train.techniques import parse_members

    with pytest.raises(InputError, match="--members"):
        parse_members(text)


@pytest.mark.parametrize(("field", "value"), [("fine_tune_epochs", -1), ("fine_tune_lr", 0.0), ("jobs", 0)])
def test_techniques_train_options_reject_bad_values(field, value):
    from newsaudit.errors import InputError

    with pytest.raises(InputError, match="--" + field.replace("_", "-")):
        TechniquesTrainOptions(data="x", **{field: value})
