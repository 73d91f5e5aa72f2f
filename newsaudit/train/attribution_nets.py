"""The torch networks behind :mod:`newsaudit.models.attribution.nn` (training only; torch is imported inside the functions).

Each network exports its weights under the names :mod:`.nn` reads:
a summed embedding table is split back into one table per categorical column,
and linear weights are transposed to ``input @ W``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

import numpy

from ..models.attribution.features import (
    CUE_COLUMNS,
    DENSE_WIDTH,
    PAIR_COLUMNS,
    TOKEN_COLUMNS,
    AttributionVocab,
    cue_column_sizes,
    pair_sizes,
)
from ..models.attribution.nn import TAGS

if TYPE_CHECKING:
    from torch import Tensor, nn


class NetSizes(Protocol):
    """The sizes the networks are built with (:class:`~.attribution.AttributionTrainConfig` gives them)."""

    @property
    def hidden(self) -> int: ...

    @property
    def hidden2(self) -> int: ...

    @property
    def dropout(self) -> float: ...

    @property
    def cue_lstm(self) -> int: ...

    @property
    def tag_lstm(self) -> int: ...


class _Net(Protocol):
    """What training reads of a network: its parameters, its mode, its weights as :mod:`.nn` reads them."""

    def parameters(self, recurse: bool = True) -> Iterator[nn.Parameter]: ...

    def train(self, mode: bool = True) -> nn.Module: ...

    def eval(self) -> nn.Module: ...

    def export(self) -> dict[str, numpy.ndarray]: ...


class CueNet(_Net, Protocol):
    """The cue classifier (:func:`cue_net`)."""

    def sentences(self, dense: Tensor, bag: Tensor, cats: Tensor, lengths: Tensor) -> Tensor: ...


class TagNet(_Net, Protocol):
    """The window role tagger (:func:`tag_net`)."""

    def windows(self, tok_dense: Tensor, row_cats: Tensor, cue_dense: Tensor, cue_cats: Tensor, lengths: Tensor) -> Tensor: ...


def _offsets(sizes: list[int]) -> numpy.ndarray:
    return numpy.r_[0, numpy.cumsum(sizes)[:-1]].astype(numpy.int64)


def _bag(n: int, h: int) -> nn.Embedding:
    """One embedding table for many categorical columns (ids offset per column), summed per row.

    (nn.Embedding and a sum: on CPU its backward pass is faster than nn.EmbeddingBag's.)"""
    import torch

    class SummedEmbedding(torch.nn.Embedding):
        def forward(self, ids: Tensor) -> Tensor:
            return super().forward(ids).sum(dim=-2)

    bag = SummedEmbedding(n, h)
    torch.nn.init.normal_(bag.weight, std=0.02)
    return bag


def _split(table: numpy.ndarray, names: tuple[str, ...], sizes: list[int], prefix: str) -> dict[str, numpy.ndarray]:
    offs = _offsets(sizes)
    return {f"{prefix}{c}": table[o : o + n] for c, o, n in zip(names, offs.tolist(), sizes, strict=False)}


def _lstm_arrays(lstm: nn.LSTM, prefix: str) -> dict[str, numpy.ndarray]:
    """A torch bidirectional LSTM's weights as :func:`.nn.bilstm` reads them."""
    arrays = {}
    for suffix, name in (("", "f"), ("_reverse", "r")):
        arrays[f"{prefix}wih_{name}"] = getattr(lstm, f"weight_ih_l0{suffix}").detach().numpy().T.copy()
        arrays[f"{prefix}whh_{name}"] = getattr(lstm, f"weight_hh_l0{suffix}").detach().numpy().T.copy()
        bias = getattr(lstm, f"bias_ih_l0{suffix}") + getattr(lstm, f"bias_hh_l0{suffix}")
        arrays[f"{prefix}b_{name}"] = bias.detach().numpy().copy()
    return arrays


def cue_net(vocab: AttributionVocab, config: NetSizes) -> CueNet:
    """The cue classifier: token inputs, a BiLSTM over each sentence, a two-layer perceptron."""
    import torch
    from torch import nn

    col = cue_column_sizes(vocab)
    sizes = [col[c] for c in CUE_COLUMNS]
    offsets = torch.tensor(_offsets(sizes))
    n_dep = vocab.sizes()["dep"]

    class CueNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            h = config.hidden
            self.dense = nn.Linear(DENSE_WIDTH, h)
            self.bag = nn.Linear(n_dep, h, bias=False)
            self.tabs = _bag(sum(sizes), h)
            self.lstm = nn.LSTM(h, config.cue_lstm, batch_first=True, bidirectional=True)
            self.w2 = nn.Linear(h + 2 * config.cue_lstm, config.hidden2)
            self.w3 = nn.Linear(config.hidden2, 1)
            self.drop = nn.Dropout(config.dropout)

        def sentences(self, dense: Tensor, bag: Tensor, cats: Tensor, lengths: Tensor) -> Tensor:
            """Cue logits for padded sentences: dense (B, T, D), bag (B, T, deps), cats (B, T, C), lengths (B,)."""
            h = self.drop(torch.relu(self.dense(dense) + self.bag(bag) + self.tabs(cats + offsets)))
            packed = nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=h.shape[1])
            h = torch.cat([h, self.drop(out)], dim=-1)
            h = self.drop(torch.relu(self.w2(h)))
            return self.w3(h)[..., 0]

        def export(self) -> dict[str, numpy.ndarray]:
            out = {
                "cue.dense": self.dense.weight.T,
                "cue.b1": self.dense.bias,
                "cue.bag": self.bag.weight.T,
                "cue.w2": self.w2.weight.T,
                "cue.b2": self.w2.bias,
                "cue.w3": self.w3.weight.T,
                "cue.b3": self.w3.bias,
            }
            arrays = {k: v.detach().numpy().copy() for k, v in out.items()}
            arrays.update(_split(self.tabs.weight.detach().numpy().copy(), CUE_COLUMNS, sizes, "cue.tab."))
            arrays.update(_lstm_arrays(self.lstm, "cue.lstm."))
            return arrays

    return CueNet()


def tag_net(vocab: AttributionVocab, config: NetSizes) -> TagNet:
    """The window role tagger: token, cue and relation inputs, a BiLSTM over each window, a two-layer perceptron."""
    import torch
    from torch import nn

    vs = vocab.sizes()
    psizes = pair_sizes(vocab)
    tok_sizes = [vs[c] for c in TOKEN_COLUMNS]
    pair_list = [psizes[c] for c in PAIR_COLUMNS]
    row_sizes = tok_sizes + pair_list
    row_offsets = torch.tensor(_offsets(row_sizes))
    cue_sizes = [*tok_sizes, vs["cue_lemma"]]
    cue_offsets = torch.tensor(_offsets(cue_sizes))
    n_tags = len(TAGS)

    class TagNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            h = config.hidden
            self.tok_dense = nn.Linear(DENSE_WIDTH, h)
            self.cue_dense = nn.Linear(DENSE_WIDTH, h, bias=False)
            self.rows = _bag(sum(row_sizes), h)
            self.cues = _bag(sum(cue_sizes), h)
            self.lstm = nn.LSTM(h, config.tag_lstm, batch_first=True, bidirectional=True)
            self.w2 = nn.Linear(h + 2 * config.tag_lstm, config.hidden2)
            self.w3 = nn.Linear(config.hidden2, n_tags)
            self.drop = nn.Dropout(config.dropout)

        def windows(self, tok_dense: Tensor, row_cats: Tensor, cue_dense: Tensor, cue_cats: Tensor, lengths: Tensor) -> Tensor:
            """Log-probabilities of the tags for padded windows: tok_dense (B, T, D), row_cats (B, T, 13),
            cue_dense (B, D), cue_cats (B, 5), lengths (B,)."""
            h = self.tok_dense(tok_dense) + self.rows(row_cats + row_offsets)
            c = self.cue_dense(cue_dense) + self.cues(cue_cats + cue_offsets)
            h = self.drop(torch.relu(h + c[:, None, :]))
            packed = nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=h.shape[1])
            h = torch.cat([h, self.drop(out)], dim=-1)
            h = self.drop(torch.relu(self.w2(h)))
            return torch.log_softmax(self.w3(h), dim=-1)

        def export(self) -> dict[str, numpy.ndarray]:
            out = {
                "tag.tok_dense": self.tok_dense.weight.T,
                "tag.b1": self.tok_dense.bias,
                "tag.cue_dense": self.cue_dense.weight.T,
                "tag.w2": self.w2.weight.T,
                "tag.b2": self.w2.bias,
                "tag.w3": self.w3.weight.T,
                "tag.b3": self.w3.bias,
            }
            arrays = {k: v.detach().numpy().copy() for k, v in out.items()}
            rows = self.rows.weight.detach().numpy().copy()
            arrays.update(_split(rows, TOKEN_COLUMNS + PAIR_COLUMNS, row_sizes, "tag.tmp."))
            for c in TOKEN_COLUMNS:
                arrays[f"tag.tok.{c}"] = arrays.pop(f"tag.tmp.{c}")
            for c in PAIR_COLUMNS:
                arrays[f"tag.pair.{c}"] = arrays.pop(f"tag.tmp.{c}")
            cues = _split(self.cues.weight.detach().numpy().copy(), (*TOKEN_COLUMNS, "cue_lemma"), cue_sizes, "tag.cue.")
            arrays["tag.cue_lemma"] = cues.pop("tag.cue.cue_lemma")
            arrays.update(cues)
            arrays.update(_lstm_arrays(self.lstm, "tag.lstm."))
            # decoding uses hard BIO constraints only (the tagger is trained per token)
            arrays["tag.trans"] = numpy.zeros((n_tags, n_tags), dtype=numpy.float32)
            arrays["tag.start"] = numpy.zeros(n_tags, dtype=numpy.float32)
            arrays["tag.end"] = numpy.zeros(n_tags, dtype=numpy.float32)
            return arrays

    return TagNet()
