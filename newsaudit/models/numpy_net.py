"""A small feed-forward network evaluated in numpy: the shipped form of both models.

Input = one dense block (standardised with stored mean/scale) plus any number
of sparse blocks (index/value lists, e.g. bag-of-words), each with its own
first-layer weights.  Hidden layers use ReLU; the output is logits.  With no
hidden layer it is a linear (logistic-regression) model, whose per-input
contributions :meth:`NumpyNet.contributions` returns for explanations.

Saved as ``NAME.npz`` (plain float32 arrays, loaded with ``allow_pickle=False``) and
``NAME.json`` (shapes and block names).  No pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelFileError
from .folder import savez_compressed

SparseRow = tuple[Sequence[int], Sequence[float]]


@dataclass
class NumpyNet:
    """The network's arrays; see the module docstring."""

    mean: np.ndarray
    scale: np.ndarray
    w_dense: np.ndarray
    w_sparse: list[np.ndarray]
    sparse_names: list[str]
    b0: np.ndarray
    #: further (weight, bias) layers after the first; ReLU between layers
    layers: list[tuple[np.ndarray, np.ndarray]]
    #: added to the output logits (class-prior shifts tuned on cross-validation)
    out_shift: np.ndarray

    @property
    def n_out(self) -> int:
        return (self.layers[-1][0].shape[1]) if self.layers else self.w_dense.shape[1]

    def first_layer(self, dense: np.ndarray, sparse: Sequence[Sequence[SparseRow]]) -> np.ndarray:
        """Pre-activation of the first layer for a batch: dense (n, d), sparse[block][row]."""
        x = (np.asarray(dense, np.float32) - self.mean) / self.scale
        z = x @ self.w_dense + self.b0
        for block, w in zip(sparse, self.w_sparse, strict=False):
            for r, (idx, val) in enumerate(block):
                if len(idx):
                    z[r] += np.asarray(val, np.float32) @ w[np.asarray(idx, np.int64)]
        return z

    def logits(self, dense: np.ndarray, sparse: Sequence[Sequence[SparseRow]]) -> np.ndarray:
        """Output logits (n, n_out) including ``out_shift``."""
        z = self.first_layer(dense, sparse)
        for w, b in self.layers:
            z = np.maximum(z, 0.0) @ w + b
        return z + self.out_shift

    def contributions(self, dense_row: np.ndarray, sparse_row: Sequence[SparseRow], out: int = 0) -> tuple[np.ndarray, list[np.ndarray]]:
        """Per-input contributions to logit ``out`` (standardised input times its effective weight).

        Exact for a linear net.  With one ReLU hidden layer the net is linear once the
        active units are fixed, so each input's effective weight is its first-layer row
        times the output weights of the units active for this row (gradient x input);
        the contributions then sum to the logit minus the bias path.
        """
        if len(self.layers) > 1:
            raise ModelFileError("contributions are defined for nets with at most one hidden layer")
        x = (np.asarray(dense_row, np.float32) - self.mean) / self.scale
        if self.layers:
            z = self.first_layer(dense_row[None, :], [[r] for r in sparse_row])[0]
            g = (z > 0).astype(np.float32) * self.layers[0][0][:, out]
            dense_c = x * (self.w_dense @ g)
            sparse_c = [
                np.asarray(val, np.float32) * (w[np.asarray(idx, np.int64)] @ g)
                for (idx, val), w in zip(sparse_row, self.w_sparse, strict=False)
            ]
            return dense_c, sparse_c
        dense_c = x * self.w_dense[:, out]
        sparse_c = [
            np.asarray(val, np.float32) * w[np.asarray(idx, np.int64), out]
            for (idx, val), w in zip(sparse_row, self.w_sparse, strict=False)
        ]
        return dense_c, sparse_c

    def save(self, directory: str | Path, name: str) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays = {"mean": self.mean, "scale": self.scale, "w_dense": self.w_dense, "b0": self.b0, "out_shift": self.out_shift}
        for i, w in enumerate(self.w_sparse):
            arrays[f"w_sparse_{i}"] = w
        for i, (w, b) in enumerate(self.layers):
            arrays[f"w_{i + 1}"], arrays[f"b_{i + 1}"] = w, b
        savez_compressed(d / f"{name}.npz", {k: np.asarray(v, np.float32) for k, v in arrays.items()})
        meta = {
            "sparse_names": self.sparse_names,
            "n_layers": len(self.layers),
            "shapes": {k: list(np.shape(v)) for k, v in arrays.items()},
        }
        (d / f"{name}.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path, name: str) -> NumpyNet:
        d = Path(directory)
        try:
            meta = json.loads((d / f"{name}.json").read_text(encoding="utf-8"))
            with np.load(d / f"{name}.npz", allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"cannot load network {name!r} from {d}: {exc}") from exc
        try:
            for k, shape in meta["shapes"].items():
                if list(arrays[k].shape) != shape:
                    raise ModelFileError(f"{name}: array {k} has shape {arrays[k].shape}, expected {shape}")
            net = cls(
                mean=arrays["mean"],
                scale=arrays["scale"],
                w_dense=arrays["w_dense"],
                w_sparse=[arrays[f"w_sparse_{i}"] for i in range(len(meta["sparse_names"]))],
                sparse_names=list(meta["sparse_names"]),
                b0=arrays["b0"],
                layers=[(arrays[f"w_{i + 1}"], arrays[f"b_{i + 1}"]) for i in range(meta["n_layers"])],
                out_shift=arrays["out_shift"],
            )
        except KeyError as exc:
            raise ModelFileError(f"{name}: missing entry {exc}") from exc
        return net


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))
