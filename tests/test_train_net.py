"""newsaudit.models.torch_fit: a network trained with torch, exported to numpy, deterministic."""

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from newsaudit.models.numpy_net import softmax

torch = pytest.importorskip("torch")

# E402: newsaudit.train.net imports torch, so it follows the importorskip above (skipped without torch, not an error)
from newsaudit.train.net import NetTrainConfig as FitConfig  # noqa: E402
from newsaudit.train.net import fit_net  # noqa: E402


def _data():
    rng = np.random.default_rng(1)
    n = 300
    y = rng.integers(0, 3, n)
    dense = rng.normal(size=(n, 2)).astype(np.float32)
    dense[:, 0] += (y == 1) * 2.0
    idx = np.stack([y, 3 + rng.integers(0, 3, n)], axis=1)  # word y marks the class
    sp = csr_matrix((np.ones(2 * n, np.float32), idx.ravel(), np.arange(0, 2 * n + 1, 2)), shape=(n, 6))
    return dense, sp, y


def test_train_net_numpy_export_learns_and_is_deterministic():
    dense, sp, y = _data()
    cfg = FitConfig(hidden=(8,), epochs=30, lr=0.01, batch=32, threads=1)
    net = fit_net(dense, [sp], ["w"], y, 3, cfg)
    rows = [(sp.indices[sp.indptr[i] : sp.indptr[i + 1]], sp.data[sp.indptr[i] : sp.indptr[i + 1]]) for i in range(len(y))]
    pred = softmax(net.logits(dense, [rows])).argmax(1)
    assert (pred == y).mean() > 0.95
    again = fit_net(dense, [sp], ["w"], y, 3, cfg)
    assert np.array_equal(net.w_sparse[0], again.w_sparse[0])
