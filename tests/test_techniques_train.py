"""A tiny training run on a handful of PTC articles (must stay well under a minute)."""

import time

import pytest

from newsaudit.techniques.model import load_model
from newsaudit.techniques.train import TrainOptions, cross_validate, prepare, train_model


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("members", [("conv",), ("conv", "lstm")])
def test_techniques_tiny_training_run(shared_data, tmp_path, members):
    ptc = shared_data / "ptc"
    if not (ptc / "train-articles").is_dir():
        pytest.skip(f"PTC corpus not available: {ptc} is absent")
    t0 = time.perf_counter()
    opts = TrainOptions(data=str(ptc), out=str(tmp_path / "model"), limit=6, epochs=1, n_layers=2, no_cache=True,
                        folds=2, thresholds=(0.4,), torch_threads=1, members=members)
    prep = prepare(opts)
    res = cross_validate(opts, prep)
    assert 0.0 <= res["si"]["f1"] <= 1.0 and 0.0 <= res["tc"]["f1"] <= 1.0
    assert res["tc"]["n_gold"] == sum(len(a.tc) for a in prep.arts)
    train_model(opts, prep)
    model = load_model(tmp_path / "model")
    assert model.cfg.n_layers == 2
    assert model.cfg.members == members
    text = prep.arts[0].text
    for f in model.predict(text):
        assert f.technique in model.cfg.techniques and 0 <= f.start < f.end <= len(text) and 0 <= f.score <= 1
        assert f.runner_up != f.technique and f.score == pytest.approx(f.span_prob * f.technique_prob)
    assert time.perf_counter() - t0 < 60


@pytest.mark.parametrize("text, expected", [("conv", ("conv",)), ("conv, conv,lstm", ("conv", "conv", "lstm"))])
def test_techniques_parse_members(text, expected):
    from newsaudit.techniques.train import parse_members

    assert parse_members(text) == expected


@pytest.mark.parametrize("text", ["", "gru", "conv,transformer", " , "])
def test_techniques_parse_members_rejects_unknown(text):
    from newsaudit.errors import InputError
    from newsaudit.techniques.train import parse_members

    with pytest.raises(InputError, match="--members"):
        parse_members(text)
