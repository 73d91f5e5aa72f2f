"""The attribution model's batched inference gives what one doc at a time gives: the packed BiLSTM against a
plain per-sequence LSTM, ``predict_many`` against ``predict``, and the component's ``pipe`` against its call."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest

from newsaudit.models.attribution import load_model
from newsaudit.models.attribution.nn import bilstm, sigmoid
from newsaudit.pipeline import base_pipe_names

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "The mayor said the bridge would reopen in May. “We are ready,” she told reporters.\n\nTraffic was light.",
    "According to the police, two men were arrested. The company declined to comment.\n\nShares fell.",
    "",
    "Tass reports: The ministry claimed that the convoy had been attacked, officials said on Monday.",
    (ROOT / "examples" / "article.txt").read_text(encoding="utf-8"),
]


def _lstm(x: numpy.ndarray, wih, whh, b) -> numpy.ndarray:
    """One direction of an LSTM over one sequence, step by step (torch's gate order i, f, g, o)."""
    hsz = whh.shape[0]
    h = numpy.zeros(hsz, dtype=numpy.float32)
    c = numpy.zeros(hsz, dtype=numpy.float32)
    out = []
    for row in x:
        g = row @ wih + b + h @ whh
        s = sigmoid(g)
        c = s[hsz : 2 * hsz] * c + s[:hsz] * numpy.tanh(g[2 * hsz : 3 * hsz])
        h = s[3 * hsz :] * numpy.tanh(c)
        out.append(h)
    return numpy.array(out)


@pytest.mark.parametrize("row_chunk", [65536, 5])
@pytest.mark.parametrize("lengths", [[1], [3, 1, 4], [2, 7, 7, 1, 5], [40] + [1] * 9])
def test_models_attribution_bilstm_packed_matches_one_sequence_at_a_time(lengths, row_chunk, monkeypatch):
    monkeypatch.setattr("newsaudit.models.attribution.nn.ROW_CHUNK", row_chunk)
    rng = numpy.random.default_rng(len(lengths))
    d, hsz = 6, 4
    shapes = {"wih": (d, 4 * hsz), "whh": (hsz, 4 * hsz), "b": (4 * hsz,)}
    params = {f"p.{name}_{way}": rng.normal(size=shape).astype(numpy.float32) for name, shape in shapes.items() for way in "fr"}
    lens = numpy.array(lengths)
    x = rng.normal(size=(int(lens.sum()), d)).astype(numpy.float32)
    owner = numpy.repeat(numpy.arange(len(lens)), lens)
    pos = numpy.arange(len(x)) - numpy.repeat(numpy.r_[0, numpy.cumsum(lens)[:-1]], lens)
    got = bilstm(params, "p.", x, owner, pos, lens)
    want = []
    for k in range(len(lens)):
        seq = x[owner == k]
        fwd = _lstm(seq, params["p.wih_f"], params["p.whh_f"], params["p.b_f"])
        bwd = _lstm(seq[::-1], params["p.wih_r"], params["p.whh_r"], params["p.b_r"])[::-1]
        want.append(numpy.concatenate([fwd, bwd], axis=1))
    numpy.testing.assert_allclose(got, numpy.concatenate(want), rtol=1e-5, atol=1e-6)


def test_models_attribution_predict_many_same_as_predict(audit_nlp):
    base = base_pipe_names(audit_nlp)
    with audit_nlp.select_pipes(enable=base):
        docs = list(audit_nlp.pipe(TEXTS))
    model = load_model("default")
    assert model.predict_many(docs) == [model.predict(doc) for doc in docs]
    assert model.predict_many([]) == []


def test_models_attribution_component_pipe_same_as_call(audit_nlp):
    one_by_one = [audit_nlp(text)._.attributions for text in TEXTS]
    batched = [doc._.attributions for doc in audit_nlp.pipe(TEXTS, batch_size=4)]
    assert batched == one_by_one
    assert any(one_by_one)


def test_models_attribution_windows_inputs_same_as_one_window_at_a_time(audit_nlp):
    from newsaudit.models.attribution.features import DocFeatures, window_inputs, windows_inputs

    base = base_pipe_names(audit_nlp)
    with audit_nlp.select_pipes(enable=base):
        doc = audit_nlp(TEXTS[-1])
    f = DocFeatures(doc, load_model("default").vocab)
    cues = list(range(0, f.n, 2))
    windows = [f.window(c) for c in cues]
    want = numpy.concatenate([window_inputs(f, c, s, e) for c, (s, e) in zip(cues, windows, strict=True)])
    numpy.testing.assert_array_equal(windows_inputs(f, cues, windows), want)


def test_models_attribution_long_doc_cue_pass_in_sentence_chunks(audit_nlp, monkeypatch):
    # a doc longer than ROW_CHUNK tokens goes through the cue classifier whole sentences at a time
    from newsaudit.models.attribution import model as model_module
    from newsaudit.models.attribution.features import DocFeatures

    base = base_pipe_names(audit_nlp)
    with audit_nlp.select_pipes(enable=base):
        doc = audit_nlp("\n\n".join(TEXTS * 3))
    model = load_model()
    f = DocFeatures(doc, model.vocab)
    whole = model.cue_probabilities_many([f])[0]
    monkeypatch.setattr(model_module, "ROW_CHUNK", 40)
    assert f.n > 40
    # the same numbers up to float rounding: BLAS may sum a product of another shape in another order on some CPUs
    numpy.testing.assert_allclose(model.cue_probabilities_many([f])[0], whole, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(model.cue_probabilities_many([f, f])[1], whole, rtol=1e-5, atol=1e-6)
