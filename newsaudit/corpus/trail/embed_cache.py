"""Statement embeddings, computed once and cached beside each batch output.

The cache of ``OUT.parquet`` is ``OUT.parquet.trail-embeddings.parquet``: one
row per embedded text, ``key`` (16-byte BLAKE2b of the encoder name and the
text) and ``vector`` (float16, L2-normalised).  It is content-addressed, so it
never goes stale: a re-run with another threshold, or after ``batch --resume``
added rows, embeds only texts not seen before.  The file is written to a
temporary name and renamed; a cache that cannot be read is ignored (and
rewritten), one that cannot be written is reported in the warnings.

Vectors always pass through float16, fresh or cached, so a run gives the same
trails whether its vectors came from the cache or from the encoder.

Engines: ``local`` embeds in this process (batches on ``workers`` threads);
``dask`` sends chunks of texts to the workers of a Dask cluster (a local one,
or ``scheduler``), where the encoder is loaded once per worker process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...errors import InputError, NewsauditError
from ..chunks import batched

CACHE_SUFFIX = ".trail-embeddings.parquet"
ENGINES = ("local", "dask")
#: Texts per encoder call (local) or per Dask task.
CHUNK = 512


def cache_path(batch_output: str | Path) -> Path:
    path = Path(batch_output)
    return path.with_name(path.name + CACHE_SUFFIX)


def text_key(encoder: str, text: str) -> bytes:
    return hashlib.blake2b(f"{encoder}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class EmbedStats:
    #: Texts looked up, found in a cache, and embedded now.
    texts: int = 0
    cached: int = 0
    embedded: int = 0
    warnings: list[str] = field(default_factory=list)


def _embed_chunk(texts: list[str], encoder: str | None, threads: int | None = None) -> np.ndarray:
    """Runs where the work is (this process or a Dask worker)."""
    from ...factcheck.embed import MiniLMEmbedder, get_embedder

    emb = get_embedder(encoder)
    vectors = emb.encode(texts, threads=threads) if isinstance(emb, MiniLMEmbedder) else emb.encode(texts)
    return vectors.astype(np.float16)


def _chunks(texts: Sequence[str], order: Sequence[int]) -> list[list[int]]:
    """Indices grouped CHUNK at a time, shortest texts first (less padding)."""
    return list(batched(order, CHUNK))


def _embed_local(texts: Sequence[str], encoder: str | None, workers: int = 1) -> np.ndarray:
    """In this process, batches of texts on ``workers`` threads (the encoder runs without the GIL)."""
    from ...factcheck.embed import get_embedder

    emb = get_embedder(encoder)
    out = np.zeros((len(texts), emb.dim), dtype=np.float16)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for idx in _chunks(texts, order):
        out[idx] = _embed_chunk([texts[i] for i in idx], encoder, max(1, workers))
    return out


def _embed_dask(texts: Sequence[str], encoder: str | None, workers: int, scheduler: str | None) -> np.ndarray:
    from ...factcheck.embed import get_embedder

    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a pinned dependency
        raise NewsauditError("the dask engine needs the 'distributed' package") from exc
    dim = get_embedder(encoder).dim
    out = np.zeros((len(texts), dim), dtype=np.float16)
    if not len(texts):
        return out
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise NewsauditError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from exc
    try:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        groups = _chunks(texts, order)
        futures = [client.submit(_embed_chunk, [texts[i] for i in idx], encoder, 1, pure=False) for idx in groups]
        for idx, fut in zip(groups, futures, strict=True):
            out[idx] = fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return out


def _read_cache(path: Path, encoder: str, dim: int) -> tuple[list[bytes], np.ndarray] | None:
    """(keys, float16 matrix) of a cache file, or None when absent, unreadable or for another encoder."""
    import pyarrow.parquet as pq

    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        if meta.get(b"encoder", b"").decode() != encoder or int(meta.get(b"dim", b"0")) != dim:
            return None
        keys = table.column("key").to_pylist()
        values = table.column("vector").combine_chunks().values.to_numpy(zero_copy_only=False)
        return keys, np.asarray(values, dtype=np.float16).reshape(len(keys), dim)
    except Exception:
        return None


def _write_cache(path: Path, encoder: str, keys: list[bytes], vectors: np.ndarray) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    dim = int(vectors.shape[1])
    flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float16).reshape(-1), type=pa.float16())
    table = pa.table({"key": pa.array(keys, type=pa.binary(16)),
                      "vector": pa.FixedSizeListArray.from_arrays(flat, dim)})
    table = table.replace_schema_metadata({"encoder": encoder, "dim": str(dim)})
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def embed_texts(texts: Sequence[str], owners: Sequence[Sequence[int]], inputs: Sequence[str | Path], *,
                encoder: str | None = None, engine: str = "local", workers: int = 2,
                scheduler: str | None = None, use_cache: bool = True) -> tuple[np.ndarray, EmbedStats]:
    """Vectors (float32, from float16) of the unique ``texts``.

    ``owners[i]`` lists the indices of ``texts`` that input ``inputs[i]`` needs:
    they are looked up in (and added to) that input's cache.  Texts found in no
    cache are embedded once, by ``engine``.
    """
    from ...factcheck.embed import get_embedder

    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    emb = get_embedder(encoder)
    name, dim = emb.name, emb.dim
    stats = EmbedStats(texts=len(texts))
    keys = [text_key(name, t) for t in texts]
    where = {k: i for i, k in enumerate(keys)}
    vectors = np.zeros((len(texts), dim), dtype=np.float16)
    found = np.zeros(len(texts), dtype=bool)
    caches = []
    for path in inputs:
        cached = _read_cache(cache_path(path), name, dim) if use_cache else None
        caches.append(cached)
        if cached is None:
            continue
        ckeys, cvecs = cached
        for j, key in enumerate(ckeys):
            i = where.get(key)
            if i is not None and not found[i]:
                vectors[i] = cvecs[j]
                found[i] = True
    missing = np.flatnonzero(~found)
    stats.cached = int(found.sum())
    stats.embedded = len(missing)
    if len(missing):
        todo = [texts[int(i)] for i in missing]
        if engine == "dask":
            fresh = _embed_dask(todo, encoder, workers, scheduler)
        else:
            fresh = _embed_local(todo, encoder, workers)
        vectors[missing] = fresh
    if use_cache:
        for path, need, cached in zip(inputs, owners, caches, strict=True):
            have = set(cached[0]) if cached is not None else set()
            new = sorted({i for i in need if keys[i] not in have})
            if not new and cached is not None:
                continue
            old_keys, old_vecs = cached if cached is not None else ([], np.zeros((0, dim), dtype=np.float16))
            try:
                _write_cache(cache_path(path), name, list(old_keys) + [keys[i] for i in new],
                             np.concatenate([old_vecs, vectors[new]]) if new else old_vecs)
            except OSError as exc:
                stats.warnings.append(f"cannot write the embedding cache {cache_path(path)}: {exc}")
    return vectors.astype(np.float32), stats
