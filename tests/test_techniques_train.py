"""A tiny training run on a handful of PTC articles (must stay well under a minute)."""

import time

import numpy as np
import pytest

from newsaudit.techniques.model import load_model
from newsaudit.eval.techniques import cross_validate
from newsaudit.techniques.train import TrainOptions, prepare, train_model


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.parametrize("members, fine_tune_epochs, extra", [(("conv",), 0, ()), (("conv", "lstm"), 0, ()), (("conv", "conv"), 1, ()),
                                                            (("conv",), 1, ((1e-3, 1),))])
def test_techniques_tiny_training_run(shared_data, tmp_path, members, fine_tune_epochs, extra):
    ptc = shared_data / "ptc"
    if not (ptc / "train-articles").is_dir():
        pytest.skip(f"PTC corpus not available: {ptc} is absent")
    t0 = time.perf_counter()
    opts = TrainOptions(data=str(ptc), out=str(tmp_path / "model"), limit=6, epochs=1, n_layers=2, no_cache=True,
                        folds=2, thresholds=(0.4,), torch_threads=1, members=members, fine_tune_epochs=fine_tune_epochs,
                        extra_encoders=extra, probs_out=str(tmp_path / "probs.npz"))
    prep = prepare(opts)
    res = cross_validate(opts, prep)
    # every held-out article's token probabilities, one row per span tagger of every encoder
    saved = np.load(tmp_path / "probs.npz")
    n_taggers = len(members) * (1 + len(extra))
    for a in prep.arts:
        rows, offsets = saved[f"{a.id}/members"], saved[f"{a.id}/offsets"]
        assert rows.shape == (n_taggers, len(offsets)) == (n_taggers, len(saved[f"{a.id}/chunk"]))
        assert ((rows >= 0) & (rows <= 1)).all()
    assert 0.0 <= res["si"]["f1"] <= 1.0 and 0.0 <= res["tc"]["f1"] <= 1.0
    assert res["tc"]["n_gold"] == sum(len(a.tc) for a in prep.arts)
    trained = train_model(opts, prep)
    model = load_model(tmp_path / "model")
    assert model.cfg.n_layers == 2
    assert model.cfg.members == members
    assert model.cfg.fine_tuned == (fine_tune_epochs > 0) == (tmp_path / "model" / "encoder.safetensors").is_file()
    assert model.cfg.extra_encoders == len(extra) == len(model.extra) == len(list((tmp_path / "model").glob("encoder-*.safetensors")))
    text = prep.arts[0].text
    # the saved model (float16 encoder layers) predicts what the trained one did
    assert [(f.start, f.end, round(f.score, 4)) for f in model.predict(text)] == [(f.start, f.end, round(f.score, 4)) for f in trained.predict(text)]
    for f in model.predict(text):
        assert f.technique in model.cfg.techniques and 0 <= f.start < f.end <= len(text) and 0 <= f.score <= 1
        assert f.runner_up != f.technique and f.score == pytest.approx(f.span_prob * f.technique_prob)
    assert time.perf_counter() - t0 < 60


@pytest.mark.parametrize("parser, text, expected", [
    ("parse_members", "conv", ("conv",)), ("parse_members", "conv, conv,lstm", ("conv", "conv", "lstm")),
    ("parse_extra_encoders", "2e-4:5", ((2e-4, 5),)), ("parse_extra_encoders", "1e-4:3, 3e-4:4", ((1e-4, 3), (3e-4, 4))),
    ("parse_extra_encoders", "none", ()), ("parse_extra_encoders", "", ()),
])
def test_techniques_parse_option_lists(parser, text, expected):
    from newsaudit.techniques import train

    assert getattr(train, parser)(text) == expected


@pytest.mark.parametrize("parser, text, message", [
    *[("parse_members", t, "--members") for t in ["", "gru", "conv,transformer", " , "]],
    *[("parse_extra_encoders", t, "--extra-encoders takes LR:EPOCHS") for t in ["2e-4", "x:5", "2e-4:five", "2e-4:5,"]],
])
def test_techniques_parse_option_lists_reject_bad_values(parser, text, message):
    from newsaudit.errors import InputError
    from newsaudit.techniques import train

    with pytest.raises(InputError, match=message):
        getattr(train, parser)(text)


@pytest.mark.parametrize("field, value", [("fine_tune_epochs", -1), ("fine_tune_lr", 0.0), ("jobs", 0),
                                          ("extra_encoders", ((0.0, 2),)), ("extra_encoders", ((1e-4, 0),))])
def test_techniques_train_options_reject_bad_values(field, value):
    from newsaudit.errors import InputError

    with pytest.raises(InputError, match="--" + field.replace("_", "-")):
        TrainOptions(data="x", **{field: value})


def test_techniques_train_options_extra_encoders_need_fine_tuning():
    from newsaudit.errors import InputError

    with pytest.raises(InputError, match="--extra-encoders are fine-tuned encoders: they need --fine-tune-epochs above 0"):
        TrainOptions(data="x", fine_tune_epochs=0, extra_encoders=((2e-4, 5),))
    assert TrainOptions(data="x", fine_tune_epochs=0).extra_encoders == ()
