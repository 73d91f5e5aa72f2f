"""Training the attribution model with torch (imported here only, lazily).

:func:`fit` trains the cue classifier and the window role tagger on encoded
PolNeAR docs and returns an :class:`~.model.AttributionModel`;
:func:`train` is the one-call entry point behind
``newsaudit attribution train --data DIR --out MODEL_DIR`` (parse, encode, fit,
save).  Training is deterministic for a given seed (torch deterministic
algorithms, seeded shuffles, a fixed number of threads).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from .dataset import build_vocab, encode
from .decode import DecodeConfig
from .features import Vocab, WindowSpec
from .model import AttributionModel, ModelInfo
from .nets import cue_net, tag_net
from .polnear import Article

Log = Callable[[str], None]


@dataclass
class TrainConfig:
    """Hyper-parameters (the defaults are the shipped model's, chosen by cross-validation on train)."""

    policy: str = "all"
    hidden: int = 96
    hidden2: int = 64
    dropout: float = 0.2
    cue_epochs: int = 4
    tag_epochs: int = 3
    lr: float = 2e-3
    weight_decay: float = 1e-6
    cue_batch: int = 512
    #: rows per tagger batch are tag_batch * 100 window tokens
    tag_batch: int = 15
    seed: int = 13
    threads: int = 1
    max_lemmas: int = 5000
    #: share of non-verb cue candidates kept per cue epoch (weighted back up)
    cue_keep_other: float = 0.3
    #: share of window tokens outside the cue's sentence and outside gold spans kept per tagger epoch (weighted back up)
    tag_keep_far: float = 0.35
    #: hidden units per direction of a BiLSTM over each tagger window (0: none)
    tag_lstm: int = 32
    #: windows per tagger batch when tag_lstm > 0
    tag_window_batch: int = 32
    #: hidden units per direction of a BiLSTM over each sentence for the cue classifier (0: none)
    cue_lstm: int = 32
    #: sentences per cue batch when cue_lstm > 0
    cue_sent_batch: int = 32
    window: WindowSpec = field(default_factory=WindowSpec)
    decode: DecodeConfig = field(default_factory=lambda: DecodeConfig(cue_threshold=0.4))


def _quiet(_msg: str) -> None:
    return None


def _torch(config: TrainConfig):
    import torch

    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    torch.use_deterministic_algorithms(True)
    return torch


def train_cue(data: dict[str, numpy.ndarray], vocab: Vocab, config: TrainConfig, log: Log = _quiet) -> dict[str, numpy.ndarray]:
    """Fit the cue classifier (binary cross-entropy on soft cue targets)."""
    torch = _torch(config)
    net = cue_net(torch, vocab, config)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    rng = numpy.random.RandomState(config.seed)
    cand = data["candidate"]
    keep = cand & (data["is_verb"] | (data["cue_target"] > 0) | (rng.random_sample(len(cand)) < config.cue_keep_other))
    rows = numpy.flatnonzero(keep)
    row_w = numpy.where(data["is_verb"][rows] | (data["cue_target"][rows] > 0), 1.0, 1.0 / config.cue_keep_other).astype(numpy.float32)
    dense = torch.tensor(data["dense"][rows])
    bag = torch.tensor(data["bag"][rows])
    cats = torch.tensor(data["cue_cats"][rows])
    target = torch.tensor(data["cue_target"][rows])
    weights = torch.tensor(row_w)
    n = len(target)
    log(f"cue rows: {n} of {len(cand)} tokens")
    steps = config.cue_epochs * ((n + config.cue_batch - 1) // config.cue_batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    net.train()
    for epoch in range(config.cue_epochs):
        order = torch.tensor(rng.permutation(n))
        total = 0.0
        for i in range(0, n, config.cue_batch):
            idx = order[i : i + config.cue_batch]
            logit = net(dense[idx], bag[idx], cats[idx])
            w = weights[idx]
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logit, target[idx], reduction="none") * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
        log(f"cue epoch {epoch + 1}: loss {total / n:.4f}")
    net.eval()
    return net.export()


def train_cue_sentences(data: dict[str, numpy.ndarray], vocab: Vocab, config: TrainConfig, log: Log = _quiet) -> dict[str, numpy.ndarray]:
    """Fit the cue classifier with its sentence BiLSTM: binary cross-entropy on cue candidates of whole sentences."""
    torch = _torch(config)
    net = cue_net(torch, vocab, config)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    dense, bag, cats = torch.tensor(data["dense"]), torch.tensor(data["bag"]), torch.tensor(data["cue_cats"])
    target = torch.tensor(data["cue_target"])
    cand = data["candidate"]
    bounds = data["sent_bounds"]
    starts, lens = bounds[:-1], numpy.diff(bounds)
    rng = numpy.random.RandomState(config.seed)
    n = len(lens)
    steps = config.cue_epochs * ((n + config.cue_sent_batch - 1) // config.cue_sent_batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    net.train()
    for epoch in range(config.cue_epochs):
        order = rng.permutation(n)
        batches = []
        for i in range(0, n, config.cue_sent_batch * 20):
            chunk = order[i : i + config.cue_sent_batch * 20]
            chunk = chunk[numpy.argsort(lens[chunk], kind="stable")]
            batches += [chunk[j : j + config.cue_sent_batch] for j in range(0, len(chunk), config.cue_sent_batch)]
        rng.shuffle(batches)
        total, count = 0.0, 0
        for batch in batches:
            bl = lens[batch]
            pos = numpy.arange(int(bl.max()))
            mask = pos[None, :] < bl[:, None]
            idx = numpy.where(mask, starts[batch][:, None] + pos[None, :], 0)
            use = mask & cand[idx]
            if not use.any():
                continue
            ti = torch.tensor(idx)
            logit = net.sentences(dense[ti], bag[ti], cats[ti], torch.tensor(bl))
            w = torch.tensor(use, dtype=torch.float32)
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logit, target[ti], reduction="none") * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * int(use.sum())
            count += int(use.sum())
        log(f"cue epoch {epoch + 1}: loss {total / max(1, count):.4f}")
    net.eval()
    return net.export()


def train_tagger(data: dict[str, numpy.ndarray], vocab: Vocab, config: TrainConfig, log: Log = _quiet) -> dict[str, numpy.ndarray]:
    """Fit the window role tagger: per-token cross-entropy of the BIO tags, weighted per example."""
    torch = _torch(config)
    net = tag_net(torch, vocab, config)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    dense = torch.tensor(data["dense"])
    ex_len = data["ex_len"]
    n_rows = int(ex_len.sum())
    ex_of_row = numpy.repeat(numpy.arange(len(ex_len)), ex_len)
    row_tok = numpy.repeat(data["ex_start"], ex_len) + (numpy.arange(n_rows) - numpy.repeat(numpy.r_[0, numpy.cumsum(ex_len)[:-1]], ex_len))
    rng = numpy.random.RandomState(config.seed + 1)
    near = data["same_sent"] | (data["tags"] != 0)
    keep = numpy.flatnonzero(near | (rng.random_sample(n_rows) < config.tag_keep_far))
    row_w = data["ex_weight"][ex_of_row] * numpy.where(near, 1.0, 1.0 / config.tag_keep_far)
    log(f"tagger rows: {len(keep)} of {n_rows} window tokens")
    row_cats = torch.tensor(numpy.concatenate([data["tok_cats"][row_tok[keep]], data["pairs"][keep]], axis=1))
    row_tok_t = torch.tensor(row_tok[keep])
    row_cue = torch.tensor(data["ex_cue"][ex_of_row[keep]])
    cue_cats_all = torch.tensor(numpy.concatenate([data["tok_cats"], data["cue_lemma"][:, None]], axis=1))
    tags = torch.tensor(data["tags"][keep])
    weight = torch.tensor(row_w[keep].astype(numpy.float32))
    n_rows = len(keep)
    batch = config.tag_batch * 100
    steps = config.tag_epochs * ((n_rows + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    net.train()
    for epoch in range(config.tag_epochs):
        t0 = time.perf_counter()
        order = torch.tensor(rng.permutation(n_rows))
        total = 0.0
        for i in range(0, n_rows, batch):
            idx = order[i : i + batch]
            cue = row_cue[idx]
            logp = net.emissions(dense[row_tok_t[idx]], row_cats[idx], dense[cue], cue_cats_all[cue])
            nll = -logp.gather(1, tags[idx][:, None])[:, 0]
            w = weight[idx]
            loss = (nll * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
        log(f"tagger epoch {epoch + 1}: loss {total / n_rows:.4f} ({time.perf_counter() - t0:.0f}s)")
    net.eval()
    return net.export()


def train_tagger_windows(data: dict[str, numpy.ndarray], vocab: Vocab, config: TrainConfig, log: Log = _quiet) -> dict[str, numpy.ndarray]:
    """Fit the role tagger on whole windows (needed with the BiLSTM): per-token cross-entropy, weighted per example."""
    torch = _torch(config)
    net = tag_net(torch, vocab, config)
    opt = torch.optim.Adam(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    dense = torch.tensor(data["dense"])
    tok_cats = torch.tensor(data["tok_cats"])
    cue_cats_all = torch.tensor(numpy.concatenate([data["tok_cats"], data["cue_lemma"][:, None]], axis=1))
    ex_len, ex_start, ex_cue = data["ex_len"], data["ex_start"], data["ex_cue"]
    ex_off = numpy.r_[0, numpy.cumsum(ex_len)[:-1]]
    pairs, tags, weights = data["pairs"], data["tags"], data["ex_weight"]
    rng = numpy.random.RandomState(config.seed + 1)
    n = len(ex_len)
    per_batch = config.tag_window_batch
    steps = config.tag_epochs * ((n + per_batch - 1) // per_batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=steps)
    net.train()
    for epoch in range(config.tag_epochs):
        t0 = time.perf_counter()
        order = rng.permutation(n)
        batches = []
        for i in range(0, n, per_batch * 20):
            chunk = order[i : i + per_batch * 20]
            chunk = chunk[numpy.argsort(ex_len[chunk], kind="stable")]
            batches += [chunk[j : j + per_batch] for j in range(0, len(chunk), per_batch)]
        rng.shuffle(batches)
        total, count = 0.0, 0
        for batch in batches:
            lens = ex_len[batch]
            width = int(lens.max())
            pos = numpy.arange(width)
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
            loss = (nll * w).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach()) * int(mask.sum())
            count += int(mask.sum())
        log(f"tagger epoch {epoch + 1}: loss {total / max(1, count):.4f} ({time.perf_counter() - t0:.0f}s)")
    net.eval()
    return net.export()


def fit(
    nlp: Language, docs: Sequence[Doc], articles: Sequence[Article], config: TrainConfig | None = None, log: Log = _quiet
) -> AttributionModel:
    """Train a model on parsed ``docs`` of PolNeAR ``articles`` (same order)."""
    config = config or TrainConfig()
    t0 = time.perf_counter()
    vocab = build_vocab(nlp, docs, articles, config.window, max_lemmas=config.max_lemmas)
    data = encode(docs, articles, vocab, config.policy)
    log(
        f"encoded {len(articles)} articles: {len(data['cue_target'])} tokens, {len(data['ex_len'])} tagger examples"
        f" ({time.perf_counter() - t0:.0f}s)"
    )
    params = (train_cue_sentences if config.cue_lstm else train_cue)(data, vocab, config, log)
    params.update((train_tagger_windows if config.tag_lstm else train_tagger)(data, vocab, config, log))
    info = ModelInfo(
        train=_jsonable(asdict(config)), data={"articles": len(articles), "annotations": sum(len(a.annotations) for a in articles)}
    )
    return AttributionModel(vocab, params, config.decode, info)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def round_tensors(docs: Sequence[Doc]) -> None:
    """Round each ``doc.tensor`` to float16 and back, in place: the shipped model was trained on parses
    whose tok2vec tensors were stored as float16, so training on fresh parses does the same to reproduce it."""
    for doc in docs:
        if doc.tensor is not None and getattr(doc.tensor, "size", 0):
            doc.tensor = numpy.asarray(doc.tensor, dtype=numpy.float16).astype(numpy.float32)


def train(
    nlp: Language, data_dir: str | Path, out_dir: str | Path, config: TrainConfig | None = None, limit: int | None = None, log: Log = _quiet
) -> AttributionModel:
    """Parse PolNeAR ``data_dir`` (a train split; the first ``limit`` annotated articles) with ``nlp``
    (the analysis pipeline's parser: the spaCy model with ``newsaudit_paragraphs``), fit, and save the
    model to ``out_dir``.  The caller builds ``nlp`` (see :func:`newsaudit.eval.attribution.train_attribution`)."""
    from .polnear import load_split

    articles = load_split(data_dir, limit=limit)
    t0 = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    round_tensors(docs)
    log(f"parsed {len(docs)} articles ({time.perf_counter() - t0:.0f}s)")
    fitted = fit(nlp, docs, articles, config, log)
    fitted.info.data["source"] = str(Path(data_dir).name)
    fitted.save(out_dir)
    return fitted
