"""Fine-tuning the encoder for span identification.

MiniLM's kept layers are trained together with one convolutional span tagger on
top (its embeddings stay frozen). Afterwards the fine-tuned layers replace
MiniLM's own in the model's encoder (int8 on load, like the frozen one), and the
other span taggers and the technique classifier learn on its outputs.

5-fold CV on PTC (``newsaudit eval techniques``, the shipped recipe: quantization-aware,
int8, three taggers): SI F1 0.4385 against 0.4277 for the frozen three-tagger model
(see the model card).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import numpy as np

from ..models.techniques.encoder import build_bert
from ..models.techniques.features import ArticleFeatures
from ..models.techniques.model import ModelConfig, make_member, padding_mask
from .loop import run_epochs, similar_length_batches

if TYPE_CHECKING:
    import torch
    from transformers import BertModel

#: Sequences (chunks) per optimisation step while fine-tuning.
BATCH = 32
#: Linear warm-up steps of the learning rate, then linear decay to 0.
WARMUP_STEPS = 100
#: Learning rate of the span tagger trained with the encoder (the encoder's is an option).
HEAD_LR = 2e-3


def layer_state(bert: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The kept layers' weights, rounded to float16 as they are saved, so that the
    heads trained next see exactly the encoder a saved model will load."""
    return {k: v.detach().to("cpu").half().float().contiguous() for k, v in bert.state_dict().items() if k.startswith("encoder.layer.")}


def _int8_linear_forward(self: torch.nn.Linear, x: torch.Tensor) -> torch.Tensor:
    """A Linear layer computing as torch's dynamic int8 quantization will at
    prediction time (fbgemm: weights int8 per output channel, symmetric; inputs
    7-bit unsigned per tensor over their min/max range), with straight-through
    gradients: quantization-aware fine-tuning."""
    import torch

    w = self.weight
    w_scale = (w.detach().abs().amax(dim=1) / 127.5).clamp(min=1e-8)
    w_q = torch.fake_quantize_per_channel_affine(w, w_scale, torch.zeros_like(w_scale, dtype=torch.int32), 0, -128, 127)
    lo = x.detach().min().clamp(max=0.0)
    hi = x.detach().max().clamp(min=0.0)
    scale = ((hi - lo) / 127.0).clamp(min=1e-8)
    zero = torch.clamp(torch.round(-lo / scale), 0, 127).to(torch.int32)
    x_q = torch.fake_quantize_per_tensor_affine(x, scale.reshape(1), zero.reshape(1), 0, 127)
    return torch.nn.functional.linear(x_q, w_q, self.bias)


def simulate_int8(bert: BertModel) -> None:
    """Make the encoder layers' Linear modules compute as after int8 quantization."""
    import types

    import torch

    for module in bert.encoder.modules():
        if isinstance(module, torch.nn.Linear):
            module.forward = types.MethodType(_int8_linear_forward, module)  # type: ignore[method-assign]  # on purpose


def _sequences(feats: list[ArticleFeatures], labels: list[np.ndarray]) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    import torch

    out = []
    for f, y in zip(feats, labels, strict=False):
        if len(f.enc) == 0:
            continue
        bounds = np.flatnonzero(np.diff(f.enc.chunk)) + 1
        for idx in np.split(np.arange(len(y)), bounds):
            out.append((torch.from_numpy(f.enc.ids[idx].astype(np.int64)), torch.from_numpy(f.tok_feats[idx]), torch.from_numpy(y[idx])))
    return out


def fine_tune(feats: list[ArticleFeatures], labels: list[np.ndarray], cfg: ModelConfig, epochs: int, lr: float, seed: int,
              pos_weight: float, quantize: bool = False) -> tuple[dict[str, torch.Tensor], torch.nn.Module]:
    """Train MiniLM's first ``cfg.n_layers`` layers and a conv span tagger on
    token labels; return (the layers' weights, the tagger in eval mode).

    AdamW (``lr`` for the encoder, :data:`HEAD_LR` for the tagger, weight decay
    0.01), :data:`WARMUP_STEPS` warm-up steps then linear decay, batches of
    :data:`BATCH` chunks of similar length, BCE with ``pos_weight``. ``quantize``:
    the encoder will run in int8, so train it as it will compute (:func:`simulate_int8`);
    without this, int8 after float32 fine-tuning lost most of the gain (fold 0: SI
    0.436 in float32, 0.419 in int8)."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    rng = random.Random(seed)
    bert = build_bert(cfg.n_layers)
    for param in bert.embeddings.parameters():
        param.requires_grad_(False)
    if quantize:
        simulate_int8(bert)
    head = make_member(cfg, "conv")
    seqs = _sequences(feats, labels)
    optim = torch.optim.AdamW([{"params": [p for p in bert.encoder.parameters()], "lr": lr},
                               {"params": head.parameters(), "lr": HEAD_LR}], weight_decay=1e-2)
    steps = max(1, epochs * ((len(seqs) + BATCH - 1) // BATCH))
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: min(1.0, (s + 1) / WARMUP_STEPS) * max(0.0, 1 - s / steps))
    loss_fn = nn.BCEWithLogitsLoss(reduction="none", pos_weight=torch.tensor(pos_weight))
    cls_id, sep_id = 101, 102  # MiniLM's [CLS] and [SEP]
    lengths = [len(item[0]) for item in seqs]

    def batches(_epoch: int) -> list[list[int]]:
        bert.train()
        bert.embeddings.eval()  # frozen, and without dropout
        head.train()
        return similar_length_batches(lengths, BATCH, rng)

    def loss_of(b: list[int]) -> tuple[torch.Tensor, float]:
        items = [seqs[i] for i in b]
        lens = torch.tensor([len(item[0]) for item in items])
        width = int(lens.max())
        ids = torch.zeros((len(items), width + 2), dtype=torch.long)
        mask = torch.zeros((len(items), width + 2), dtype=torch.long)
        for row, item in enumerate(items):
            n = len(item[0])
            ids[row, 0], ids[row, 1 : n + 1], ids[row, n + 1] = cls_id, item[0], sep_id
            mask[row, : n + 2] = 1
        hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state[:, 1 : width + 1]
        x = torch.cat([hidden, nn.utils.rnn.pad_sequence([item[1] for item in items], batch_first=True)], -1)
        y = nn.utils.rnn.pad_sequence([item[2] for item in items], batch_first=True)
        keep = padding_mask(y, lens).squeeze(-1)
        return (loss_fn(head(x, lens), y) * keep).sum() / keep.sum(), float(len(b))

    run_epochs(optim, epochs, batches, loss_of, scheduler=sched,
               clip=([p for g in optim.param_groups for p in g["params"]], 1.0))
    bert.eval()
    head.eval()
    return layer_state(bert), head

