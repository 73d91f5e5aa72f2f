"""Scale benchmark of the fact-check store.

Embedding a million texts with MiniLM on a CPU is out of reach, so the
benchmark has two synthetic parts, and says so in its result:

* **store**: ``n`` generated reviews (random words from a fixed vocabulary)
  imported into a fresh SQLite+FTS5 store without embeddings -> import rate,
  and BM25 query latency;
* **ann**: ``n`` random clustered unit vectors of dimension 384 (the MiniLM
  size) -> hnswlib build time, single-query latency p50/p95, and recall@10
  of the approximate index against exact (brute-force) search on
  ``queries`` held-out query vectors.

:func:`run_bench` returns a plain dict; ``newsaudit factcheck bench`` prints it.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from newsaudit.factcheck.importers import ReviewRecord
from newsaudit.factcheck.index import build_hnsw

_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "da", "fi", "gu", "he", "ja", "qu")
_VERDICTS = ("False", "Mostly False", "Mixture", "Mostly True", "True", "Unproven", "Misleading")


def _vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    """``size`` made-up words of 2-4 syllables, in random order."""
    words = ["".join(p) for k in (2, 3, 4) for p in itertools.product(_SYLLABLES, repeat=k)]
    order = rng.permutation(len(words))[:size]
    return [words[i] for i in order]


def synthetic_records(n: int, seed: int = 0, words_per_claim: int = 14) -> Iterator[tuple[str, ReviewRecord]]:
    """``n`` generated reviews (text is meaningless).  Word ranks are log-uniform
    over 100..50,000 of a made-up vocabulary, like content words once stop words
    are gone: the commonest word is in about 2% of the reviews."""
    rng = np.random.default_rng(seed)
    vocab = _vocabulary(50_000, rng)
    lo, hi = np.log(100), np.log(len(vocab))
    chunk = 50_000
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        ids = np.exp(rng.uniform(lo, hi, size=(m, words_per_claim))).astype(np.int64).tolist()
        verdicts = rng.integers(0, len(_VERDICTS), m).tolist()
        for j in range(m):
            i = start + j
            url = f"https://bench.example.org/review/{i}"
            yield f"row {i}", ReviewRecord(claim=" ".join([vocab[w] for w in ids[j]]), review_id=str(i),
                                           key="url:" + url, url=url, verdict=_VERDICTS[verdicts[j]],
                                           publisher="Bench Checker", date="2020-01-01")


def clustered_vectors(n: int, dim: int = 384, clusters: int = 2000, latent: int = 32, noise: float = 0.5,
                      seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(data, cluster centres): unit vectors shaped like sentence embeddings --
    clusters in a ``latent``-dimensional space, mapped to ``dim`` dimensions by
    a random linear map, plus a little isotropic noise."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, latent)).astype(np.float32)
    proj = rng.standard_normal((latent, dim)).astype(np.float32) / np.sqrt(latent)
    data = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for s in range(0, n, step):
        m = min(step, n - s)
        z = centres[rng.integers(0, clusters, m)] + noise * rng.standard_normal((m, latent), dtype=np.float32)
        block = z @ proj + 0.05 * rng.standard_normal((m, dim), dtype=np.float32)
        data[s:s + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return data, centres @ proj


def exact_top_k(data: np.ndarray, queries: np.ndarray, k: int, block: int = 50) -> np.ndarray:
    """Brute-force top-k labels by inner product (cosine on unit vectors)."""
    out = np.empty((len(queries), k), dtype=np.int64)
    for s in range(0, len(queries), block):
        sims = queries[s:s + block] @ data.T
        part = np.argpartition(-sims, k, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1)
        out[s:s + block] = np.take_along_axis(part, order, axis=1)
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    arr = np.array(samples) * 1000.0
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


def run_bench(n: int = 1_000_000, *, queries: int = 1000, dim: int = 384, k: int = 10, m: int = 12,
              ef_construction: int = 60, ef_search: tuple[int, ...] = (64, 128, 256, 512, 1024), threads: int = -1,
              workdir: str | Path | None = None, store: bool = True, ann: bool = True,
              seed: int = 0) -> dict[str, Any]:
    """Build a store of ``n`` synthetic reviews and an ANN index of ``n`` synthetic
    vectors; return timings, rates, latencies (ms) and recall@k."""
    from newsaudit.factcheck.search import fts_query
    from newsaudit.factcheck.store import FactCheckStore

    result: dict[str, Any] = {
        "n": n, "queries": queries,
        "note": ("synthetic data: generated review text for the SQLite/FTS5 import and BM25 timing; random "
                 f"clustered unit vectors (dim {dim}) for the ANN timing and recall, since embedding "
                 f"{n:,} texts with MiniLM on CPU is out of reach"),
    }
    if store:
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            db = Path(tmp) / "bench.db"
            with FactCheckStore(db, create=True) as st:
                st.conn.execute("PRAGMA synchronous=OFF")
                t0 = time.perf_counter()
                res = st.add_records(synthetic_records(n, seed), embed=False, batch_size=5000)
                secs = time.perf_counter() - t0
                result["store_import_s"] = round(secs, 2)
                result["store_import_rows_per_s"] = round(res.imported / secs) if secs else None
                result["store_rows"] = st.count()
                result["store_db_mb"] = round(os.path.getsize(db) / 1e6, 1)
                sample = [r.claim for _w, r in synthetic_records(min(n, 200), seed + 7)]
                lat = []
                for text in sample:
                    words = text.split()[: 8]
                    t1 = time.perf_counter()
                    st.bm25(fts_query(" ".join(words)), 100)
                    lat.append(time.perf_counter() - t1)
                p50, p95 = _percentiles(lat)
                result["bm25_p50_ms"], result["bm25_p95_ms"] = round(p50, 2), round(p95, 2)
    if ann:
        t0 = time.perf_counter()
        both, _centres = clustered_vectors(n + queries, dim, seed=seed)
        data, q = both[:n], both[n:]  # held-out queries, drawn like the data
        del both
        result["vectors_generate_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        index = build_hnsw(data, np.arange(n), m=m, ef_construction=ef_construction, threads=threads)
        result["ann_build_s"] = round(time.perf_counter() - t0, 2)
        result["ann_params"] = {"M": m, "ef_construction": ef_construction, "k": k, "threads": threads}
        t0 = time.perf_counter()
        exact = exact_top_k(data, q, k)
        result["exact_search_s"] = round(time.perf_counter() - t0, 2)
        sweep = []
        for ef in ef_search:
            index.set_ef(max(ef, k))
            lat = []
            approx = np.empty((queries, k), dtype=np.int64)
            for i in range(queries):
                t1 = time.perf_counter()
                labels, _d = index.knn_query(q[i:i + 1], k=k, num_threads=1)
                lat.append(time.perf_counter() - t1)
                approx[i] = labels[0]
            p50, p95 = _percentiles(lat)
            recall = float(np.mean([len(set(a) & set(e)) / k for a, e in zip(approx, exact, strict=False)]))
            sweep.append({"ef_search": ef, f"recall_at_{k}": round(recall, 4),
                          "p50_ms": round(p50, 3), "p95_ms": round(p95, 3)})
        result["ann_sweep"] = sweep
        # headline: the smallest ef_search that reaches recall 0.95, else the best
        ok = [row for row in sweep if row[f"recall_at_{k}"] >= 0.95]
        best = ok[0] if ok else max(sweep, key=lambda row: row[f"recall_at_{k}"])
        result["ann_ef_search"] = best["ef_search"]
        result[f"ann_recall_at_{k}"] = best[f"recall_at_{k}"]
        result["ann_query_p50_ms"], result["ann_query_p95_ms"] = best["p50_ms"], best["p95_ms"]
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.factcheck [--n N] [--queries Q] [--no-store] [--no-ann]``: print the result as JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m benchmarks.factcheck", description=main.__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="synthetic reviews and vectors")
    parser.add_argument("--queries", type=int, default=1000, help="query vectors for latency and recall")
    parser.add_argument("--no-store", action="store_true", help="skip the SQLite import part")
    parser.add_argument("--no-ann", action="store_true", help="skip the ANN part")
    args = parser.parse_args(argv)
    result = run_bench(args.n, queries=args.queries, store=not args.no_store, ann=not args.no_ann)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
