"""The one torch training loop every recipe runs, and what they share around it.

* :func:`deterministic_torch`: seeding and determinism (a fixed seed, a fixed
  number of threads, deterministic algorithms), so that one seed gives one
  model, bit for bit, on one machine.
* :func:`run_epochs`: epochs of mini-batches (zero the gradients, backward,
  optional gradient clipping, optimiser step, optional scheduler step), the
  mean loss of each epoch logged, and early stopping when a ``patience`` is
  given.
* :func:`similar_length_batches` and :func:`bucketed_batches`: batches of
  sequences of similar length, the two orders the recipes were trained with.
* :func:`round_float16`: arrays rounded to float16 and back, where a recipe
  trains on what is stored as float16.

torch is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    import torch

Log = Callable[[str], None]
Batch = TypeVar("Batch")


def quiet(_msg: str) -> None:
    """A log that drops every line."""
    return None


def deterministic_torch(seed: int, threads: int) -> None:
    """Seed torch with ``seed``, run it on ``threads`` threads, with deterministic algorithms."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


@dataclass(frozen=True)
class EpochLoss:
    """The mean training loss of one epoch (weighted as each batch's ``loss_of`` says)."""

    epoch: int
    loss: float
    seconds: float


def run_epochs(
    optimizer: torch.optim.Optimizer,
    epochs: int,
    batches: Callable[[int], Iterable[Batch]],
    loss_of: Callable[[Batch], tuple[torch.Tensor, float] | None],
    *,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    clip: tuple[Sequence[torch.Tensor], float] | None = None,
    log: Log = quiet,
    name: str = "",
    patience: int | None = None,
) -> list[EpochLoss]:
    """Train for ``epochs`` epochs; the mean loss of each.

    ``batches(epoch)`` gives the epoch's batches (it also sets the modules'
    train mode and draws the epoch's order, so that every random draw happens
    where the recipe makes it); ``loss_of(batch)`` gives the batch's loss and
    its weight in the epoch's mean, or None to skip the batch.  Each step:
    zero the gradients, backward, clip (``clip``: the parameters and the
    maximum norm), step the optimiser, step the ``scheduler`` when given.
    ``patience``: stop when the epoch's mean loss has not fallen for that many
    epochs (None: run every epoch).  ``log`` gets one line per epoch,
    ``"{name} epoch N: loss X.XXXX (S s)"``.
    """
    import time

    import torch

    history: list[EpochLoss] = []
    best, stale = float("inf"), 0
    for epoch in range(epochs):
        t0 = time.perf_counter()
        total, count = 0.0, 0.0
        for batch in batches(epoch):
            step = loss_of(batch)
            if step is None:
                continue
            loss, weight = step
            optimizer.zero_grad()
            loss.backward()
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(clip[0], clip[1])
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total += float(loss.detach()) * weight
            count += weight
        done = EpochLoss(epoch + 1, total / max(count, 1e-12) if count else 0.0, time.perf_counter() - t0)
        history.append(done)
        log(f"{name + ' ' if name else ''}epoch {done.epoch}: loss {done.loss:.4f} ({done.seconds:.0f} s)")
        if patience is not None:
            if done.loss < best - 1e-9:
                best, stale = done.loss, 0
            else:
                stale += 1
                if stale >= patience:
                    break
    return history


def similar_length_batches(lengths: Sequence[int], size: int, rng: random.Random) -> list[list[int]]:
    """Indices in batches of ``size`` sequences of similar length: sorted by length plus up to 8
    of noise, cut, and the batches shuffled (the span taggers' and the fine-tuning's order)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i] + rng.random() * 8)
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def bucketed_batches(lengths: np.ndarray, size: int, rng: np.random.RandomState) -> list[np.ndarray]:
    """Indices in batches of ``size``: a random permutation, cut into buckets of 20 batches each sorted
    by length (stable), cut, and the batches shuffled (the attribution networks' order)."""
    order = rng.permutation(len(lengths))
    batches: list[np.ndarray] = []
    for i in range(0, len(lengths), size * 20):
        chunk = order[i : i + size * 20]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[j : j + size] for j in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def round_float16(array: np.ndarray) -> np.ndarray:
    """``array`` rounded to float16 and back to float32."""
    return np.asarray(array, dtype=np.float16).astype(np.float32)
