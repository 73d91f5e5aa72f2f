"""Training the attribution model on PolNeAR (``newsaudit train attribution``), with torch imported
inside the functions.

:func:`fit` trains the cue classifier and the window role tagger (each with its
BiLSTM, :mod:`.attribution_nets`) on encoded PolNeAR docs through the shared
loop (:mod:`.loop`) and returns an :class:`~newsaudit.models.attribution.model.AttributionModel`;
:func:`train_attribution` is the entry point behind the command: it parses the
split exactly as ``analyze`` does (:func:`newsaudit.pipeline.parse_pipeline`),
fits and saves.  With the defaults on the whole of PolNeAR train it reproduces
the shipped model (``newsaudit/data/attribution/model``): same seed, one torch
thread, deterministic algorithms.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import BenchmarkFileError
from ..models.attribution.decode import DecodeConfig
from ..models.attribution.features import AttributionVocab, WindowSpec
from ..models.attribution.model import AttributionModel, ModelInfo
from ..models.attribution.polnear import AnnotatedArticle
from .attribution_data import build_vocab, encode
from .attribution_nets import cue_net, tag_net
from .loop import Log, bucketed_batches, deterministic_torch, quiet, round_float16, run_epochs


@dataclass
class AttributionTrainConfig:
    """Hyper-parameters (the defaults are the shipped model's, chosen by cross-validation on train)."""

    policy: str = "all"
    hidden: int = 96
    hidden2: int = 64
    dropout: float = 0.2
    cue_epochs: int = 4
    tag_epochs: int = 3
    lr: float = 2e-3
    weight_decay: float = 1e-6
    seed: int = 13
    threads: int = 1
    max_lemmas: int = 5000
    #: hidden units per direction of the BiLSTM over each tagger window
    tag_lstm: int = 32
    #: windows per tagger batch
    tag_window_batch: int = 32
    #: hidden units per direction of the cue classifier's BiLSTM over each sentence
    cue_lstm: int = 32
    #: sentences per cue batch
    cue_sent_batch: int = 32
    window: WindowSpec = field(default_factory=WindowSpec)
    decode: DecodeConfig = field(default_factory=lambda: DecodeConfig(cue_threshold=0.4))


def train_cue(
    data: dict[str, numpy.ndarray], vocab: AttributionVocab, config: AttributionTrainConfig, log: Log = quiet
) -> dict[str, numpy.ndarray]:
    """Fit the cue classifier with its sentence BiLSTM: binary cross-entropy on the cue candidates of whole sentences."""
    import torch

    deterministic_torch(config.seed, config.threads)
    net = cue_net(vocab, config)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    dense, bag, cats = torch.tensor(data["dense"]), torch.tensor(data["bag"]), torch.tensor(data["cue_cats"])
    target = torch.tensor(data["cue_target"])
    cand = data["candidate"]
    bounds = data["sent_bounds"]
    starts, lens = bounds[:-1], numpy.diff(bounds)
    rng = numpy.random.RandomState(config.seed)
    steps = config.cue_epochs * ((len(lens) + config.cue_sent_batch - 1) // config.cue_sent_batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)

    def loss_of(batch: numpy.ndarray) -> tuple[torch.Tensor, float] | None:
        bl = lens[batch]
        pos = numpy.arange(int(bl.max()))
        mask = pos[None, :] < bl[:, None]
        idx = numpy.where(mask, starts[batch][:, None] + pos[None, :], 0)
        use = mask & cand[idx]
        if not use.any():
            return None
        ti = torch.tensor(idx)
        logit = net.sentences(dense[ti], bag[ti], cats[ti], torch.tensor(bl))
        w = torch.tensor(use, dtype=torch.float32)
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(logit, target[ti], reduction="none") * w).sum() / w.sum()
        return loss, float(use.sum())

    net.train()
    run_epochs(opt, config.cue_epochs, lambda _e: bucketed_batches(lens, config.cue_sent_batch, rng), loss_of,
               scheduler=sched, log=log, name="cue")
    net.eval()
    return net.export()


def train_tagger(
    data: dict[str, numpy.ndarray], vocab: AttributionVocab, config: AttributionTrainConfig, log: Log = quiet
) -> dict[str, numpy.ndarray]:
    """Fit the role tagger on whole windows with its BiLSTM: per-token cross-entropy, weighted per example."""
    import torch

    deterministic_torch(config.seed, config.threads)
    net = tag_net(vocab, config)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    dense = torch.tensor(data["dense"])
    tok_cats = torch.tensor(data["tok_cats"])
    cue_cats_all = torch.tensor(numpy.concatenate([data["tok_cats"], data["cue_lemma"][:, None]], axis=1))
    ex_len, ex_start, ex_cue = data["ex_len"], data["ex_start"], data["ex_cue"]
    ex_off = numpy.r_[0, numpy.cumsum(ex_len)[:-1]]
    pairs, tags, weights = data["pairs"], data["tags"], data["ex_weight"]
    rng = numpy.random.RandomState(config.seed + 1)
    steps = config.tag_epochs * ((len(ex_len) + config.tag_window_batch - 1) // config.tag_window_batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)

    def loss_of(batch: numpy.ndarray) -> tuple[torch.Tensor, float]:
        lens = ex_len[batch]
        pos = numpy.arange(int(lens.max()))
        mask = pos[None, :] < lens[:, None]
        tok_idx = numpy.where(mask, ex_start[batch][:, None] + pos[None, :], 0)
        flat = numpy.where(mask, ex_off[batch][:, None] + pos[None, :], 0)
        ti = torch.tensor(tok_idx)
        rows = torch.cat([tok_cats[ti], torch.tensor(numpy.where(mask[..., None], pairs[flat], 0))], dim=-1)
        cue = torch.tensor(ex_cue[batch])
        logp = net.windows(dense[ti], rows, dense[cue], cue_cats_all[cue], torch.tensor(lens))
        gold = torch.tensor(numpy.where(mask, tags[flat], 0))
        nll = -logp.gather(2, gold[..., None])[..., 0]
        w = torch.tensor(weights[batch])[:, None] * torch.tensor(mask, dtype=torch.float32)
        return (nll * w).sum() / w.sum(), float(mask.sum())

    net.train()
    run_epochs(opt, config.tag_epochs, lambda _e: bucketed_batches(ex_len, config.tag_window_batch, rng), loss_of,
               scheduler=sched, log=log, name="tagger")
    net.eval()
    return net.export()


def fit(
    nlp: Language, docs: Sequence[Doc], articles: Sequence[AnnotatedArticle], config: AttributionTrainConfig | None = None, log: Log = quiet
) -> AttributionModel:
    """Train a model on parsed ``docs`` of PolNeAR ``articles`` (same order)."""
    config = config or AttributionTrainConfig()
    t0 = time.perf_counter()
    vocab = build_vocab(nlp, docs, articles, config.window, max_lemmas=config.max_lemmas)
    data = encode(docs, articles, vocab, config.policy)
    log(
        f"encoded {len(articles)} articles: {len(data['cue_target'])} tokens, {len(data['ex_len'])} tagger examples"
        f" ({time.perf_counter() - t0:.0f}s)"
    )
    params = train_cue(data, vocab, config, log)
    params.update(train_tagger(data, vocab, config, log))
    info = ModelInfo(
        train=asdict(config), data={"articles": len(articles), "annotations": sum(len(a.annotations) for a in articles)}
    )
    return AttributionModel(vocab, params, config.decode, info)


def round_tensors(docs: Sequence[Doc]) -> None:
    """Round each ``doc.tensor`` to float16 and back, in place: the shipped model was trained on parses
    whose tok2vec tensors were stored as float16, so training on fresh parses does the same to reproduce it."""
    for doc in docs:
        if doc.tensor is not None and doc.tensor.size:
            doc.tensor = round_float16(doc.tensor)


def train(
    nlp: Language, data_dir: str | Path, out_dir: str | Path, config: AttributionTrainConfig | None = None,
    limit: int | None = None, log: Log = quiet,
) -> AttributionModel:
    """Parse PolNeAR ``data_dir`` (a train split; the first ``limit`` annotated articles) with ``nlp``
    (the analysis pipeline's parser: the spaCy model with ``newsaudit_paragraphs``), fit, and save the
    model to ``out_dir``."""
    from ..models.attribution.polnear import load_split

    articles = load_split(data_dir, limit=limit)
    t0 = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    round_tensors(docs)
    log(f"parsed {len(docs)} articles ({time.perf_counter() - t0:.0f}s)")
    fitted = fit(nlp, docs, articles, config, log)
    fitted.info.data["source"] = str(Path(data_dir).name)
    fitted.save(out_dir)
    return fitted


@dataclass(frozen=True)
class AttributionTrainOptions:
    """``newsaudit train attribution``: the PolNeAR split, the output folder, and what may vary."""

    data: str
    out: str
    #: train on the first N annotated articles only (sorted by name): quick checks, reproduction tests
    limit: int | None = None
    #: "all": every annotator's relations, each view weighted 1/k; "first": the scoring annotator only
    annotators: str = "all"
    seed: int = 13
    spacy_model: str | None = None


@dataclass(frozen=True)
class AttributionTrainSummary:
    out: str
    articles: int
    annotations: int
    seconds: float
    log: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        return f"trained on {self.articles} articles ({self.annotations} annotations) in {self.seconds:.0f} s; wrote {self.out}"


def train_attribution(options: AttributionTrainOptions, nlp: Language | None = None, log: Log | None = None) -> AttributionTrainSummary:
    """Train the attribution model on a PolNeAR split and save the folder to ``options.out``.

    A folder that is not a PolNeAR split, or holds no annotated article, raises
    :class:`~newsaudit.errors.BenchmarkFileError` (exit 2) before anything is parsed."""
    from ..models.attribution.polnear import load_split
    from ..pipeline import parse_pipeline

    if options.annotators not in ("all", "first"):
        raise BenchmarkFileError(f"--annotators {options.annotators!r}: give 'all' or 'first'")
    if options.limit is not None and options.limit < 1:
        raise BenchmarkFileError(f"--limit {options.limit}: give a positive number of articles")
    load_split(options.data, limit=1)  # a bad folder fails here, before the parser loads
    lines: list[str] = []

    def note(msg: str) -> None:
        lines.append(msg)
        if log is not None:
            log(msg)

    t0 = time.perf_counter()
    config = AttributionTrainConfig(seed=options.seed, policy=options.annotators)
    fitted = train(nlp or parse_pipeline(options.spacy_model), options.data, options.out, config, limit=options.limit, log=note)
    return AttributionTrainSummary(
        out=str(Path(options.out)),
        articles=int(fitted.info.data.get("articles", 0)),
        annotations=int(fitted.info.data.get("annotations", 0)),
        seconds=time.perf_counter() - t0,
        log=lines,
    )
