"""newsaudit.models.numpy_net: the network both models ship as, evaluated in numpy (hand-computed cases)."""

import numpy as np
import pytest

from newsaudit.errors import ModelFileError
from newsaudit.models.numpy_net import NumpyNet, sigmoid, softmax


def _net(hidden: bool) -> NumpyNet:
    rng = np.random.default_rng(0)
    first = 4 if hidden else 3
    return NumpyNet(
        mean=np.array([1.0, 2.0], np.float32),
        scale=np.array([2.0, 1.0], np.float32),
        w_dense=rng.normal(size=(2, first)).astype(np.float32),
        w_sparse=[rng.normal(size=(5, first)).astype(np.float32)],
        sparse_names=["bow"],
        b0=rng.normal(size=first).astype(np.float32),
        layers=[(rng.normal(size=(4, 3)).astype(np.float32), np.zeros(3, np.float32))] if hidden else [],
        out_shift=np.array([0.5, 0.0, 0.0], np.float32),
    )


def test_models_numpy_net_linear_logits_by_hand():
    net = _net(False)
    dense = np.array([[3.0, 2.0]], np.float32)
    z = net.logits(dense, [[([1, 4], [0.5, 2.0])]])
    x = np.array([1.0, 0.0])
    expected = x @ net.w_dense + net.b0 + 0.5 * net.w_sparse[0][1] + 2.0 * net.w_sparse[0][4] + net.out_shift
    assert np.allclose(z[0], expected, atol=1e-5)


def test_models_numpy_net_contributions_sum_to_logit():
    net = _net(False)
    dense, row = np.array([3.0, 5.0], np.float32), ([0, 2], [1.0, 0.3])
    dc, (sc,) = net.contributions(dense, [row], out=1)
    z = net.logits(dense[None], [[row]])[0, 1]
    assert z == pytest.approx(dc.sum() + sc.sum() + net.b0[1] + net.out_shift[1], abs=1e-5)


@pytest.mark.parametrize("hidden", [False, True])
def test_models_numpy_net_save_load_roundtrip(tmp_path, hidden):
    net = _net(hidden)
    net.save(tmp_path, "m")
    back = NumpyNet.load(tmp_path, "m")
    dense = np.array([[0.0, 1.0], [2.0, 3.0]], np.float32)
    rows = [([0], [1.0]), ([], [])]
    assert np.allclose(net.logits(dense, [rows]), back.logits(dense, [rows]), atol=1e-6)


def test_models_numpy_net_load_missing_raises(tmp_path):
    with pytest.raises(ModelFileError):
        NumpyNet.load(tmp_path, "absent")


def test_models_numpy_net_softmax_and_sigmoid():
    assert np.allclose(softmax(np.array([[0.0, 0.0]])), [[0.5, 0.5]])
    assert sigmoid(np.array([0.0]))[0] == 0.5


def test_models_numpy_net_hidden_contributions_sum_to_logit_minus_bias_path():
    net = _net(True)
    dense, row = np.array([3.0, 5.0], np.float32), ([0, 2], [1.0, 0.3])
    dc, (sc,) = net.contributions(dense, [row], out=2)
    z1 = net.first_layer(dense[None], [[row]])[0]
    mask = (z1 > 0).astype(np.float32)
    bias_path = (net.b0 * mask) @ net.layers[0][0][:, 2] + net.layers[0][1][2] + net.out_shift[2]
    z = net.logits(dense[None], [[row]])[0, 2]
    assert z == pytest.approx(dc.sum() + sc.sum() + bias_path, abs=1e-4)
