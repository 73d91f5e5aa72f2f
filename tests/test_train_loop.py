"""The shared training loop: steps, weights, early stopping, batch orders, float16 rounding."""

from __future__ import annotations

import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from newsaudit.train.loop import (  # noqa: E402
    bucketed_batches,
    deterministic_torch,
    round_float16,
    run_epochs,
    similar_length_batches,
)


def _fit(epochs: int, patience: int | None = None, lr: float = 0.1) -> tuple[list, torch.nn.Linear]:
    deterministic_torch(3, 1)
    x = torch.linspace(-1, 1, 32)[:, None]
    y = 2 * x + 1
    net = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(net.parameters(), lr=lr)

    def loss_of(idx: list[int]) -> tuple[torch.Tensor, float]:
        return torch.nn.functional.mse_loss(net(x[idx]), y[idx]), float(len(idx))

    history = run_epochs(opt, epochs, lambda _e: [list(range(0, 16)), list(range(16, 32))], loss_of, patience=patience)
    return history, net


def test_train_loop_learns_and_logs_each_epoch():
    lines: list[str] = []
    deterministic_torch(3, 1)
    history, net = _fit(40)
    assert len(history) == 40
    assert history[-1].loss < history[0].loss / 10
    assert abs(float(net.weight.detach()) - 2) < 0.2
    assert abs(float(net.bias.detach()) - 1) < 0.2
    run_epochs(torch.optim.SGD(net.parameters(), lr=0.0), 2, lambda _e: [[0]], lambda _b: None, log=lines.append, name="x")
    assert lines == ["x epoch 1: loss 0.0000 (0 s)", "x epoch 2: loss 0.0000 (0 s)"]  # every batch skipped


def test_train_loop_is_deterministic_for_a_seed():
    a, net_a = _fit(5)
    b, net_b = _fit(5)
    assert [h.loss for h in a] == [h.loss for h in b]
    assert torch.equal(net_a.weight, net_b.weight)


def test_train_loop_early_stopping_ends_when_the_loss_stops_falling():
    history, _net = _fit(50, patience=2, lr=5.0)  # a step far too large: the loss grows
    assert len(history) < 50
    assert all(h.loss >= min(x.loss for x in history[: len(history) - 2]) for h in history[-2:])


@pytest.mark.parametrize(("lengths", "size"), [([5, 1, 9, 3, 3, 7, 2], 2), (list(range(50)), 8), ([4], 3)])
def test_train_loop_batches_partition_the_indices(lengths, size):
    for batches in (similar_length_batches(lengths, size, random.Random(1)),
                    [list(b) for b in bucketed_batches(np.array(lengths), size, np.random.RandomState(1))]):
        flat = sorted(i for b in batches for i in b)
        assert flat == list(range(len(lengths)))
        assert all(0 < len(b) <= size for b in batches)


def test_train_loop_similar_length_batches_keep_lengths_close():
    lengths = list(range(0, 400, 4))
    for b in similar_length_batches(lengths, 10, random.Random(0)):
        assert max(lengths[i] for i in b) - min(lengths[i] for i in b) <= 48


def test_train_loop_round_float16():
    x = np.array([0.1, 1 / 3, 1000.3], np.float32)
    r = round_float16(x)
    assert r.dtype == np.float32
    assert np.array_equal(r, x.astype(np.float16).astype(np.float32))
