"""Lexical candidates: which statements could be in a trail at all, before any sentence embedding.

Embedding is the cost of a trail run (MiniLM runs at roughly 85 short
sentences per CPU-second on this machine), and most statements of a corpus are
said once.  Two versions of one statement nearly always share content words
(names, numbers, the rarer words), so a cheap lexical pass first keeps only the
texts that share enough of them with a text of *another* article; only those
are embedded and grouped.

The pass is MinHash locality-sensitive hashing (Broder 1997; Indyk & Motwani
1998) over each text's set of content words (no stop words) and their bigrams:
:data:`BANDS` bands of :data:`ROWS` min-hashes; texts that agree on all the
hashes of one band fall in one bucket, and a bucket holding texts of two
articles keeps them all.  It takes linear time (a second for PolNeAR's 25,000
texts).  A text carried by two articles, or whose claim shares its best
fact-check match with another article's statement, is always kept.  docs/trails.md
gives what it keeps on PolNeAR: about a third of the texts, and most of the
statement pairs that a run without it puts in trails.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STOP: frozenset[str] | None = None


def _stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        from ...factcheck.search import _stop_words as factcheck_stop_words

        _STOP = factcheck_stop_words()
    return _STOP


def _features(text: str, stop: frozenset[str]) -> list[int]:
    words = [w for w in _TOKEN.findall(text.lower()) if w not in stop and (len(w) > 1 or w.isdigit())]
    feats = words + [a + " " + b for a, b in pairwise(words)]
    return [zlib.crc32(f.encode("utf-8", "surrogatepass")) for f in dict.fromkeys(feats)]


#: MinHash LSH: BANDS bands of ROWS hashes each.  Two texts whose sets of content
#: words and bigrams have Jaccard similarity J share a band with probability
#: 1 - (1 - J**ROWS)**BANDS: 0.21 at J = 0.2, 0.56 at 0.3, 0.86 at 0.4, 0.98 at 0.5.
BANDS = 30
ROWS = 3
_PRIME = np.uint64((1 << 61) - 1)


def _feature_sets(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(flat feature hashes, offsets) of each text's distinct content words and bigrams."""
    stop = _stop_words()
    hashes = [_features(t, stop) for t in texts]
    lengths = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=len(hashes))
    flat = np.fromiter((x for h in hashes for x in h), dtype=np.uint64, count=int(lengths.sum()))
    return flat, lengths


def lsh_buckets(texts: Sequence[str], bands: int = BANDS, rows: int = ROWS, seed: int = 17) -> np.ndarray:
    """(bands, n) uint64 band keys: texts that share a key in some band are candidates."""
    flat, lengths = _feature_sets(texts)
    n = len(texts)
    keys = np.zeros((bands, n), dtype=np.uint64)
    has = lengths > 0
    if not has.any():
        return keys
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[has]
    rng = np.random.default_rng(seed)
    mults = rng.integers(1, 1 << 61, size=bands * rows, dtype=np.uint64) | np.uint64(1)
    adds = rng.integers(0, 1 << 61, size=bands * rows, dtype=np.uint64)
    for band in range(bands):
        key = np.zeros(int(has.sum()), dtype=np.uint64)
        for r in range(rows):
            i = band * rows + r
            mixed = (flat * mults[i] + adds[i]) % _PRIME  # wraps mod 2**64 first: a hash, not a permutation
            key = key * np.uint64(1000003) + np.minimum.reduceat(mixed, starts)
        keys[band, has] = key
        keys[band, ~has] = np.arange(int((~has).sum()), dtype=np.uint64) * np.uint64(2654435761) + np.uint64(band)
    return keys


def candidate_texts(texts: Sequence[str], articles: Sequence[Sequence[int]],
                    reviews: Sequence[Sequence[str]] = ()) -> np.ndarray:
    """A boolean mask over ``texts``: which may be in a trail (see the module docs).

    ``articles[i]`` lists the articles carrying text ``i``; ``reviews[i]`` the
    fact-check reviews its claims match best.
    """
    n = len(texts)
    keep = np.zeros(n, dtype=bool)
    first = np.full(n, -1, dtype=np.int64)
    for i, arts in enumerate(articles):
        distinct = set(arts)
        if len(distinct) > 1:
            keep[i] = True
        first[i] = min(distinct) if distinct else -1
    if reviews:
        seen: dict[str, set[int]] = {}
        for i, rs in enumerate(reviews):
            for r in rs:
                seen.setdefault(r, set()).update(articles[i])
        for i, rs in enumerate(reviews):
            if any(len(seen[r]) > 1 for r in rs):
                keep[i] = True
    if n < 2:
        return keep
    for band_keys in lsh_buckets(texts):
        order = np.argsort(band_keys, kind="stable")
        sorted_keys = band_keys[order]
        starts = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
        sizes = np.diff(np.concatenate([starts, [n]]))
        sorted_arts = first[order]
        lo = np.minimum.reduceat(sorted_arts, starts)
        hi = np.maximum.reduceat(sorted_arts, starts)
        shared = (sizes > 1) & (lo != hi)  # a bucket holding texts of two articles
        keep[order[np.repeat(shared, sizes)]] = True
    return keep
