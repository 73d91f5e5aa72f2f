"""Encoder outputs cached on disk (``.newsaudit/cache/techniques``, git-ignored),
so training and cross-validation encode each article once."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from ..models.techniques.encoder import Encoded, get_encoder


def default_cache_dir() -> Path:
    env = os.environ.get("NEWSAUDIT_CACHE")
    if env:
        return Path(env) / "techniques"
    return Path.cwd() / ".newsaudit" / "cache" / "techniques"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def encode_cached(text: str, layer: int, cache_dir: Path | None, all_layers: tuple[int, ...] = (),
                  quantize: bool = False) -> Encoded:
    """Token vectors of ``text`` from encoder layer ``layer``, via the cache.

    On a miss, the layers in ``all_layers`` (plus ``layer``) are computed in one
    pass and all stored.
    """
    if cache_dir is None:
        return get_encoder(layer, quantize).encode(text)
    key = _key(text)
    tag = "q" if quantize else ""
    path = cache_dir / f"{key}-L{layer}{tag}.npz"
    if path.is_file():
        try:
            with np.load(path) as z:
                return Encoded(z["offsets"], z["chunk"], z["vectors"].astype(np.float32), z["ids"])
        except (OSError, ValueError, KeyError):
            pass  # a broken cache file is recomputed
    layers = tuple(sorted(set(all_layers) | {layer}))
    enc, out = get_encoder(max(layers), quantize).encode_layers(text, layers)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for lay, vec in out.items():
        tmp = cache_dir / f"{key}-L{lay}{tag}.tmp.npz"
        np.savez(tmp, offsets=enc.offsets, chunk=enc.chunk, vectors=vec.astype(np.float16), ids=enc.ids)
        os.replace(tmp, cache_dir / f"{key}-L{lay}{tag}.npz")
    enc.vectors = out[layer]
    return enc
