"""Training and cross-validation of the techniques model on the PTC corpus."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import EvalError, InputError
from ..eval.ptc import PtcArticle, load_corpus
from ..models.techniques import TECHNIQUES
from ..models.techniques.encoder import Encoder
from ..models.techniques.features import ArticleFeatures
from ..models.techniques.model import (
    MEMBER_KINDS,
    ModelConfig,
    TcHead,
    TechniquesModel,
    make_member,
    make_si_net,
    padding_mask,
    template_duplicates,
)
from ..text.spans import merge_spans
from .encode_cache import default_cache_dir, encode_cached
from .loop import run_epochs, similar_length_batches
from .techniques_finetune import fine_tune

if TYPE_CHECKING:
    import torch

    #: each chunk's token inputs and labels
    Sequences = list[tuple[torch.Tensor, torch.Tensor]]

#: Extra encoder layers cached on a cache miss (one pass can serve experiments on several).
CACHE_LAYERS: tuple[int, ...] = ()


@dataclass(frozen=True)
class TechniquesTrainOptions:
    data: str
    out: str | None = None
    #: encoder layers kept: 5-fold CV with int8 and three conv taggers gave SI 0.4277 /
    #: TC 0.6295 with 3 layers against 0.4286 / 0.6272 with 4, and 3 is faster
    n_layers: int = 3
    #: int8 dynamic quantization of the encoder (heads trained on its outputs): about
    #: 1.3x faster than float32 for a 0.4-point lower SI F1 in 5-fold CV; on for the
    #: shipped model, which keeps analyze-with-techniques under 2x a bare parse.
    quantize: bool = True
    epochs: int = 5
    seed: int = 13
    #: Use only the first N articles (tests, quick runs).
    limit: int | None = None
    #: Encoder-output cache; None: .newsaudit/cache/techniques under the working dir.
    cache_dir: str | None = None
    no_cache: bool = False
    #: inverse L2 strength of the TC classifier; 5-fold CV on the int8 features:
    #: 0.05 -> TC 0.593, 0.01 -> 0.622, 0.005 -> 0.627, 0.002 -> 0.627, 0.001 -> 0.618
    tc_c: float = 0.002
    threshold: float = 0.3
    folds: int = 5
    #: Thresholds tried by cross-validation (reported, best one noted).
    thresholds: tuple[float, ...] = (0.25, 0.3, 0.35, 0.4, 0.45)
    #: Hysteresis peaks tried with each threshold (0: none).
    peaks: tuple[float, ...] = (0.0, 0.5, 0.6, 0.7)
    peak: float = 0.5
    #: Width of the tagger's projection and convolutions.
    proj: int = 128
    width: int = 64
    #: span taggers averaged, one per entry ("conv"), member i with seed + i.
    #: Three convolutional taggers: 5-fold CV SI F1 0.432 against 0.4225 for one.
    members: tuple[str, ...] = ("conv", "conv", "conv")
    torch_threads: int = 1
    #: epochs of fine-tuning the encoder's layers with a span tagger on top (0: the
    #: encoder stays frozen). See :mod:`newsaudit.techniques.finetune`. 3 for the
    #: shipped model: 5-fold CV SI F1 0.4385 / TC 0.6179 against 0.4277 / 0.6295 frozen.
    fine_tune_epochs: int = 3
    #: learning rate of the encoder's layers while fine-tuning
    fine_tune_lr: float = 1e-4
    #: cross-validation folds run at once, each in its own process (one torch thread each)
    jobs: int = 1
    #: write every held-out article's token probabilities (one row per span tagger) and
    #: token offsets to this .npz file, to study decoding without retraining
    probs_out: str | None = None

    def __post_init__(self) -> None:
        if self.fine_tune_epochs < 0:
            raise InputError(f"--fine-tune-epochs must be 0 or more (got {self.fine_tune_epochs})")
        if not self.fine_tune_lr > 0:
            raise InputError(f"--fine-tune-lr must be above 0 (got {self.fine_tune_lr})")
        if self.jobs < 1:
            raise InputError(f"--jobs must be at least 1 (got {self.jobs})")


def parse_members(text: str) -> tuple[str, ...]:
    """``"conv,conv,lstm"`` -> ("conv", "conv", "lstm"); unknown kinds are an InputError."""
    members = tuple(part.strip() for part in text.split(",") if part.strip())
    bad = [m for m in members if m not in MEMBER_KINDS]
    if not members or bad:
        raise InputError(f"--members must list span taggers from {', '.join(MEMBER_KINDS)} (got {text!r})")
    return members


@dataclass
class Prepared:
    arts: list[PtcArticle]
    feats: list[ArticleFeatures]
    seconds: float = 0.0


def prepare(opts: TechniquesTrainOptions) -> Prepared:
    """Load the corpus and encode every article (through the cache)."""
    t0 = time.perf_counter()
    arts = load_corpus(opts.data, limit=opts.limit)
    if not arts:
        raise EvalError(f"no articles in {opts.data}")
    cache = None if opts.no_cache else (Path(opts.cache_dir) if opts.cache_dir else default_cache_dir())
    feats = []
    for a in arts:
        enc = encode_cached(a.text, opts.n_layers, cache, CACHE_LAYERS if cache else (), quantize=opts.quantize)
        feats.append(ArticleFeatures(a.text, enc))
    return Prepared(arts, feats, time.perf_counter() - t0)


def token_labels(feats: ArticleFeatures, spans: list[tuple[int, int]]) -> np.ndarray:
    """1 for tokens whose middle char lies inside a gold span."""
    enc = feats.enc
    if len(enc) == 0:
        return np.zeros(0, np.float32)
    cov = np.zeros(len(feats.text) + 1, np.int32)
    for s, e in merge_spans(spans):
        cov[s] += 1
        cov[e] -= 1
    inside = np.cumsum(cov) > 0
    mid = (enc.offsets[:, 0] + enc.offsets[:, 1] - 1) // 2
    return inside[np.clip(mid, 0, len(feats.text) - 1)].astype(np.float32)


def train_si(feats: list[ArticleFeatures], arts: list[PtcArticle], cfg: ModelConfig, opts: TechniquesTrainOptions,
             first: torch.nn.Module | None = None) -> torch.nn.Module:
    """The span tagger: one member per entry of ``cfg.members``, member i trained
    with seed ``opts.seed + i``; several members are averaged. ``first``: an
    already trained first member (the tagger fine-tuned with the encoder)."""
    import torch

    seqs: Sequences = []
    for f, a in zip(feats, arts, strict=False):
        if len(f.enc) == 0:
            continue
        x = f.token_matrix()
        y = token_labels(f, a.si)
        bounds = np.flatnonzero(np.diff(f.enc.chunk)) + 1
        for idx in np.split(np.arange(len(x)), bounds):
            seqs.append((torch.from_numpy(x[idx]), torch.from_numpy(y[idx])))
    members = [first] if first is not None else []
    members += [train_member(seqs, cfg, kind, opts.seed + i, opts.epochs) for i, kind in enumerate(cfg.members) if i >= len(members)]
    return make_si_net(cfg, members=members).eval()


def positive_weight(labels: Sequence[np.ndarray] | Sequence[torch.Tensor]) -> float:
    """BCE weight of the span tokens: sqrt(negatives / positives), the ratio capped at 3."""
    n_pos = sum(float(y.sum()) for y in labels)
    n_all = sum(len(y) for y in labels)
    return min(3.0, (n_all - n_pos) / max(n_pos, 1.0)) ** 0.5


def train_member(seqs: Sequences, cfg: ModelConfig, kind: str, seed: int, epochs: int) -> torch.nn.Module:
    """BCE (pos_weight = sqrt(neg/pos), capped), AdamW, batches of similar length (the shared loop)."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    net = make_member(cfg, kind)
    optim = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-2)
    pos_weight = torch.tensor(positive_weight([y for _, y in seqs]))
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=pos_weight)
    lengths = [len(x) for x, _y in seqs]

    def batches(_epoch: int) -> list[list[int]]:
        net.train()
        return similar_length_batches(lengths, 128, rng)

    def loss_of(b: list[int]) -> tuple[torch.Tensor, float]:
        xs = [seqs[i][0] for i in b]
        ys = [seqs[i][1] for i in b]
        lens = torch.tensor([len(x) for x in xs])
        x = torch.nn.utils.rnn.pad_sequence(xs, batch_first=True)
        y = torch.nn.utils.rnn.pad_sequence(ys, batch_first=True)
        mask = padding_mask(x, lens).squeeze(-1)
        return (loss_fn(net(x, lens), y) * mask).sum() / mask.sum(), float(len(b))

    run_epochs(optim, epochs, batches, loss_of, clip=(list(net.parameters()), 1.0))
    net.eval()
    return net


def tc_rows(feats: list[ArticleFeatures], arts: list[PtcArticle]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for f, a in zip(feats, arts, strict=False):
        spans = [(s, e) for _t, s, e in a.tc]
        for t, s, e in a.tc:
            xs.append(f.span_vector(s, e, template_duplicates(a.text, spans, s, e)))
            ys.append(TECHNIQUES.index(t))
    if not xs:
        raise EvalError("no technique labels to train on")
    return np.stack(xs), np.asarray(ys)


def train_tc(x: np.ndarray, y: np.ndarray, opts: TechniquesTrainOptions) -> TcHead:
    """Multinomial logistic regression (L2, full-batch L-BFGS) on standardised features."""
    import torch

    torch.manual_seed(opts.seed)
    mean = x.mean(0)
    scale = x.std(0) + 1e-3
    xs = torch.from_numpy(((x - mean) / scale).astype(np.float32))
    ys = torch.from_numpy(y.astype(np.int64))
    k = len(TECHNIQUES)
    w = torch.zeros((k, x.shape[1]), requires_grad=True)
    b = torch.zeros(k, requires_grad=True)
    lam = 1.0 / (opts.tc_c * len(y))
    optim = torch.optim.LBFGS([w, b], lr=1.0, max_iter=100, history_size=10, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optim.zero_grad()
        loss = torch.nn.functional.cross_entropy(xs @ w.T + b, ys) + 0.5 * lam * (w * w).sum()
        loss.backward()
        return loss

    optim.step(closure)
    coef = w.detach().numpy().astype(np.float32)
    intercept = b.detach().numpy().astype(np.float32)
    absent = np.setdiff1d(np.arange(k), np.unique(y))
    intercept[absent] = -30.0  # classes never seen in training are never chosen
    return TcHead(coef, intercept, mean.astype(np.float32), scale.astype(np.float32))


def fit(prep: Prepared, opts: TechniquesTrainOptions, idx: list[int] | None = None) -> TechniquesModel:
    import torch

    torch.set_num_threads(opts.torch_threads)
    idx = list(range(len(prep.arts))) if idx is None else idx
    arts = [prep.arts[i] for i in idx]
    feats = [prep.feats[i] for i in idx]
    cfg = ModelConfig(n_layers=opts.n_layers, quantize=opts.quantize, threshold=opts.threshold, peak=opts.peak, proj=opts.proj,
                      width=opts.width,
                      members=tuple(opts.members), fine_tuned=opts.fine_tune_epochs > 0)
    encoder = None
    if opts.fine_tune_epochs > 0:
        labels = [token_labels(f, a.si) for f, a in zip(feats, arts, strict=False)]
        state, tuned = fine_tune(feats, labels, cfg, opts.fine_tune_epochs, opts.fine_tune_lr, opts.seed, positive_weight(labels),
                                 quantize=opts.quantize)
        encoder = Encoder(opts.n_layers, quantize=opts.quantize, layer_state=state)
        feats = [f.with_vectors(encoder.encode(f.text).vectors) for f in feats]  # the technique classifier reads them too
        net = train_si(feats, arts, cfg, opts, first=tuned)
    else:
        net = train_si(feats, arts, cfg, opts)
    x, y = tc_rows(feats, arts)
    tc = train_tc(x, y, opts)
    return TechniquesModel(cfg, net, tc, encoder)


def train_model(opts: TechniquesTrainOptions, prep: Prepared | None = None) -> TechniquesModel:
    """Train on the whole corpus and save to ``opts.out`` (when given)."""
    prep = prep or prepare(opts)
    t0 = time.perf_counter()
    model = fit(prep, opts)
    model.cfg.training = {
        "data": "PTC (SemEval-2020 Task 11) train-articles",
        "articles": len(prep.arts),
        "epochs": opts.epochs,
        "seed": opts.seed,
        "members": list(opts.members),
        "fine_tune_epochs": opts.fine_tune_epochs,
        "fine_tune_lr": opts.fine_tune_lr,
        "tc_c": opts.tc_c,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if opts.out:
        model.save(opts.out)
    return model


