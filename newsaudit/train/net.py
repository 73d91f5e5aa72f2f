"""Training a :class:`~newsaudit.models.numpy_net.NumpyNet` with torch, through the shared loop
(:mod:`.loop`): the stance model's net.

Deterministic for a given seed and thread count: fixed torch seed, numpy
shuffling, ``torch.use_deterministic_algorithms``.  Sparse blocks are scipy CSR
matrices read one mini-batch at a time.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..models.numpy_net import NumpyNet
from .loop import deterministic_torch, run_epochs

if TYPE_CHECKING:
    import torch
    from scipy.sparse import csr_matrix


@dataclass(frozen=True)
class NetTrainConfig:
    hidden: tuple[int, ...] = (128,)
    epochs: int = 12
    lr: float = 1e-3
    weight_decay: float = 1e-4
    #: L2 on the sparse first-layer weights only (they dominate the parameter count)
    sparse_l2: float = 0.0
    dropout: float = 0.3
    input_dropout: float = 0.0
    batch: int = 256
    seed: int = 2017
    threads: int = 1
    #: per-class loss weights (softmax) or positive-class weight (binary); empty = none
    class_weight: tuple[float, ...] = field(default_factory=tuple)


def _gather(
    indptr: torch.Tensor, indices: torch.Tensor, data: torch.Tensor, rows: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Flat indices, bag offsets and values of the CSR ``rows`` (EmbeddingBag input)."""
    import torch

    starts, ends = indptr[rows], indptr[rows + 1]
    lens = ends - starts
    offsets = torch.cat([torch.zeros(1, dtype=torch.int64), torch.cumsum(lens, 0)[:-1]])
    total = int(lens.sum())
    pos = torch.arange(total, dtype=torch.int64) - torch.repeat_interleave(offsets, lens) + torch.repeat_interleave(starts, lens)
    return indices[pos], offsets, data[pos]


def fit_net(
    dense: np.ndarray, sparse: Sequence[csr_matrix], sparse_names: Sequence[str], y: np.ndarray, n_out: int, cfg: NetTrainConfig
) -> NumpyNet:
    """Fit a net; ``n_out == 1`` means a binary model (logistic output), else softmax."""
    import torch
    from torch import nn

    deterministic_torch(cfg.seed, cfg.threads)
    rng = np.random.default_rng(cfg.seed)
    dense = np.asarray(dense, np.float32)
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0)
    scale[scale < 1e-6] = 1.0
    xd = torch.from_numpy((dense - mean) / scale)
    dims = [m.shape[1] for m in sparse]
    first = cfg.hidden[0] if cfg.hidden else n_out
    lin_d = nn.Linear(dense.shape[1], first)
    bags = [nn.EmbeddingBag(d, first, mode="sum") for d in dims]
    lin_s = nn.ModuleList(bags)
    for m in bags:
        nn.init.normal_(m.weight, std=0.01)
    csr = [
        (
            torch.from_numpy(m.indptr.astype(np.int64)),
            torch.from_numpy(m.indices.astype(np.int64)),
            torch.from_numpy(m.data.astype(np.float32)),
        )
        for m in sparse
    ]
    rest: list[nn.Module] = []
    sizes = [*list(cfg.hidden), n_out]
    for a, b in itertools.pairwise(sizes):
        rest += [nn.ReLU(), nn.Dropout(cfg.dropout), nn.Linear(a, b)]
    tail = nn.Sequential(*rest)
    params = list(lin_d.parameters()) + list(lin_s.parameters()) + list(tail.parameters())
    opt = torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if n_out == 1:
        pw = torch.tensor([cfg.class_weight[0]]) if cfg.class_weight else None
        loss_fn: nn.Module = nn.BCEWithLogitsLoss(pos_weight=pw)
        yt = torch.from_numpy(np.asarray(y, np.float32))
    else:
        cw = torch.tensor(cfg.class_weight, dtype=torch.float32) if cfg.class_weight else None
        loss_fn = nn.CrossEntropyLoss(weight=cw)
        yt = torch.from_numpy(np.asarray(y, np.int64))
    in_drop = nn.Dropout(cfg.input_dropout)
    n = len(y)

    def batches(_epoch: int) -> list[np.ndarray]:
        order = rng.permutation(n)
        lin_d.train(), tail.train(), in_drop.train()
        return [order[s : s + cfg.batch] for s in range(0, n, cfg.batch)]

    def loss_of(bi: np.ndarray) -> tuple[torch.Tensor, float]:
        z = lin_d(xd[bi])
        for (indptr, indices, data), lin in zip(csr, bags, strict=False):
            idx, off, val = _gather(indptr, indices, data, torch.from_numpy(bi))
            z = z + lin(idx, off, per_sample_weights=in_drop(val))
        out = tail(z)
        loss = loss_fn(out.squeeze(1), yt[bi]) if n_out == 1 else loss_fn(out, yt[bi])
        if cfg.sparse_l2:
            loss = loss + cfg.sparse_l2 * sum((lin.weight**2).sum() for lin in bags)
        return loss, float(len(bi))

    run_epochs(opt, cfg.epochs, batches, loss_of)
    layers = [m for m in tail if isinstance(m, nn.Linear)]
    with torch.no_grad():
        return NumpyNet(
            mean=mean.astype(np.float32),
            scale=scale.astype(np.float32),
            w_dense=lin_d.weight.T.numpy().copy(),
            w_sparse=[lin.weight.numpy().copy() for lin in bags],
            sparse_names=list(sparse_names),
            b0=lin_d.bias.numpy().copy(),
            layers=[(m.weight.T.numpy().copy(), m.bias.numpy().copy()) for m in layers],
            out_shift=np.zeros(n_out, np.float32),
        )
