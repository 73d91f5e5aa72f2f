"""Sentence-encoder throughput (``make bench`` calls :func:`lines`; alone: ``python -m benchmarks.encoder``).

The texts are the sentences of the PolNeAR dev articles when ``../shared/data``
(or ``$NEWSAUDIT_DATA``) is present, else those of the bundled example and
test articles repeated; the first ``n`` (default 1,000).  Each runtime of
:mod:`newsaudit.models.minilm` (ONNX Runtime, numpy) encodes them, after a
warm-up, in this process; a row gives texts per second of wall time and per
CPU-second of this process (on a shared machine the second says more), and
the load time.  With ``--reference`` (``make bench`` passes it when
sentence-transformers is installed) the torch encoder the project used before,
sentence-transformers on 2 threads, encodes the same texts in the same run,
last, so that torch's import does not weigh on the others.

    python -m benchmarks.encoder [--n 1000] [--reference]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])")


def bench_texts(n: int = 1000) -> tuple[list[str], str]:
    """Up to ``n`` sentences, and where they came from."""
    dev = Path(os.environ.get("NEWSAUDIT_DATA") or ROOT.parent / "shared" / "data") / "polnear" / "dev" / "text"
    files = sorted(dev.glob("*.txt")) if dev.is_dir() else []
    origin = f"sentences of the PolNeAR dev articles ({dev})"
    if not files:
        files = [ROOT / "examples" / "article.txt", *sorted((ROOT / "tests" / "data").rglob("*.txt"))]
        origin = "sentences of the bundled example and test articles, repeated"
    texts: list[str] = []
    while len(texts) < n:
        before = len(texts)
        for path in files:
            for para in path.read_text(encoding="utf-8", errors="replace").split("\n"):
                texts += [s.strip() for s in _SENT.split(para) if len(s.split()) >= 3]
        if len(texts) == before:
            break
    return texts[:n], origin


def _timed(encode: Callable[[Sequence[str]], np.ndarray], texts: list[str]) -> tuple[float, float]:
    encode(texts[:32])  # warm-up
    w0, c0 = time.perf_counter(), time.process_time()
    encode(texts)
    return time.perf_counter() - w0, time.process_time() - c0


def rows(n: int = 1000, reference: bool = False) -> list[str]:
    from newsaudit.models import minilm

    texts, origin = bench_texts(n)
    out = [f"encoder texts: {len(texts)} {origin}, {sum(len(t.split()) for t in texts) / max(len(texts), 1):.1f} words each"]
    for runtime in minilm.RUNTIMES:
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            enc = minilm.load(runtime)
        load_s = time.perf_counter() - t0
        if runtime == "onnx" and enc.runtime != "onnxruntime":
            out.append("encoder onnx: skipped (the exported model is missing: make install builds it)")
            continue
        wall, cpu = _timed(enc.encode, texts)
        out.append(f"encoder {enc.runtime} ({enc.threads} threads): {len(texts) / wall:.1f} texts/s, "
                   f"{len(texts) / cpu:.1f} texts per CPU-second, load {load_s:.2f} s")
    if reference:
        out.append(_reference(texts))
    return out


def _reference(texts: list[str]) -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        t0 = time.perf_counter()
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        from newsaudit.models.minilm.bert import model_dir

        hf_logging.disable_progress_bar()
        torch.set_num_threads(2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = SentenceTransformer(str(model_dir()), device="cpu")
    except Exception as exc:  # not installed: the row says so
        return f"encoder sentence-transformers: skipped ({type(exc).__name__}: {exc})"
    load_s = time.perf_counter() - t0

    def encode(batch: Sequence[str]) -> np.ndarray:
        return model.encode(list(batch), batch_size=64, normalize_embeddings=True, show_progress_bar=False)

    wall, cpu = _timed(encode, texts)
    return (f"encoder sentence-transformers (torch, 2 threads; before): {len(texts) / wall:.1f} texts/s, "
            f"{len(texts) / cpu:.1f} texts per CPU-second, load {load_s:.2f} s (imports included)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.encoder", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="texts to encode (default 1000)")
    parser.add_argument("--reference", action="store_true", help="also time sentence-transformers (torch)")
    args = parser.parse_args(argv)
    for line in rows(args.n, args.reference):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
