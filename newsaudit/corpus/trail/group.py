"""Grouping statements into trails.

Nodes are the distinct (embedded text, source key) pairs: statements with the
same words and the same (or no) named source are one node.  Candidate edges:

* **meaning**: the ``knn`` nearest texts of every text (exact cosine up to
  :data:`EXACT_LIMIT` distinct texts, else the hnswlib index of
  :func:`newsaudit.factcheck.index.build_hnsw`), kept when the cosine reaches
  ``threshold``;
* **fact-check**: statements whose claims have the same best fact-check match
  (``claims[].matches[0]``, present when the batch ran with ``--db``), kept
  when their cosine reaches ``factcheck_threshold`` (lower than ``threshold``:
  the shared review is evidence of its own).

Edges are taken strongest first (ties in a fixed order) and join their two
groups unless

* the groups name **incompatible sources**: a named source of one and a named
  source of the other whose names do not contain one another ("Defence
  Ministry" and "ministry" are compatible; "Defence Ministry" and "rebel
  commanders" are not).  So the same words credited to two different named
  sources make two trails, and a statement carried without a source joins the
  trail it is most similar to;
* or the groups state **different numbers** (not checked on a fact-check edge): the numbers written in one
  group's statements and in the other's must be the same, or those of one
  among those of the other ("723 delegates" and "700 delegates" are two
  statements, however close their meaning; "40,000 homes" and "40,000 homes on
  Friday, 3 May" are one).  A number written as a word is that number ("seven
  girls" and "7 girls" state the same one, "seven girls" and "8 girls" do not).

With ``cohesion`` set, two groups also join on a meaning edge only when the
average cosine between the statements of one and those of the other reaches it
(average linkage, read off the groups' vector sums: less chaining than a
centroid, which a few close pairs can drag along).

A group is a trail when its statements come from at least two articles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .statements import compatible_sources

#: Up to this many distinct texts, neighbours are found exactly (blocked matrix products).
EXACT_LIMIT = 20_000
#: Rows per block of the exact search.
BLOCK = 1024
#: A group keeps at most this many distinct source keys for the compatibility check.
MAX_KEYS = 32
#: A fact-check review shared by more nodes than this gives no edges (too generic).
MAX_ANCHOR_GROUP = 500
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: Number words read as their digits ("seven", "Ten"); not "one" (mostly a pronoun: "one of them") and not a
#: plural ("hundreds of people" states no number).  A word joined to another by a hyphen ("twenty-five",
#: "two-thirds") is left out: its number is not the word's own.
_SMALL = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
          "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
NUMBER_WORDS = {w: str(n) for n, w in enumerate(_SMALL, start=2)}
NUMBER_WORDS |= {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80",
                 "ninety": "90", "hundred": "100", "dozen": "12"}
_WORD_NUMBER = re.compile(r"(?<![\w-])(" + "|".join(NUMBER_WORDS) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class GroupOptions:
    threshold: float = 0.8
    knn: int = 10
    factcheck_threshold: float | None = 0.4
    cohesion: float | None = 0.8
    #: Let named sources keep groups apart (see the module docs).
    use_sources: bool = True


def neighbours(vectors: np.ndarray, k: int, min_sim: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, cosine) with i < j for each pair where j is among the ``k`` nearest of i
    (or i of j) and the cosine reaches ``min_sim``."""
    n = len(vectors)
    if n < 2 or k < 1:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    k = min(k + 1, n)  # + the text itself
    if n <= EXACT_LIMIT:
        rows, cols, sims = [], [], []
        for lo in range(0, n, BLOCK):
            block = vectors[lo:lo + BLOCK] @ vectors.T
            idx = np.argpartition(-block, k - 1, axis=1)[:, :k]
            val = np.take_along_axis(block, idx, axis=1)
            r = np.repeat(np.arange(lo, lo + len(block)), k)
            rows.append(r)
            cols.append(idx.reshape(-1))
            sims.append(val.reshape(-1))
        i, j, s = np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)
    else:
        from ...factcheck.index import build_hnsw

        index = build_hnsw(vectors, np.arange(n), ef_construction=100)
        index.set_ef(max(64, 2 * k))
        labels, dists = index.knn_query(vectors, k=k, num_threads=-1)
        i = np.repeat(np.arange(n), k)
        j = labels.reshape(-1).astype(np.int64)
        s = (1.0 - dists.reshape(-1)).astype(np.float32)
        del index
    keep = (i != j) & (s >= min_sim)
    i, j, s = i[keep], j[keep], s[keep]
    lo_, hi_ = np.minimum(i, j), np.maximum(i, j)
    pairs = np.unique(np.stack([lo_, hi_], axis=1), axis=0, return_index=True)
    order = pairs[1]
    return lo_[order], hi_[order], s[order].astype(np.float32)


class _Groups:
    """Union-find over nodes, each root keeping its source keys and vector sum."""

    def __init__(self, n: int, keys: Sequence[str | None], numbers: Sequence[frozenset[str]],
                 vectors: np.ndarray | None) -> None:
        self.parent = np.arange(n)
        self.keys: list[set[str]] = [{k} if k else set() for k in keys]
        self.numbers: list[frozenset[str]] = list(numbers)
        self.sums = None if vectors is None else vectors.astype(np.float64).copy()
        self.sizes = np.ones(n)

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return int(root)

    def try_union(self, a: int, b: int, use_sources: bool, cohesion: float | None, factcheck: bool = False) -> bool:
        """Join the groups of ``a`` and ``b`` unless forbidden (see the module docs); an
        edge of a shared fact-check review skips the number and cohesion checks."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        ka, kb = self.keys[ra], self.keys[rb]
        if use_sources and ka and kb and not all(compatible_sources(x, y) for x in ka for y in kb):
            return False
        na, nb = self.numbers[ra], self.numbers[rb]
        if not factcheck and not (na <= nb or nb <= na):
            return False
        if not factcheck and cohesion is not None and self.sums is not None:
            if float(self.sums[ra] @ self.sums[rb]) / (self.sizes[ra] * self.sizes[rb]) < cohesion:
                return False
        self.parent[rb] = ra
        if len(ka) < MAX_KEYS:
            ka |= set(list(kb)[: MAX_KEYS - len(ka)])
        self.keys[rb] = set()
        self.numbers[ra] = na | nb
        if self.sums is not None:
            self.sums[ra] += self.sums[rb]
            self.sizes[ra] += self.sizes[rb]
        return True


def numbers_in(text: str) -> frozenset[str]:
    """The numbers written in ``text`` ("40,000" and "40000" alike; "3.5"; "seven" as "7", :data:`NUMBER_WORDS`)."""
    digits = {m.replace(",", "") for m in _NUMBER.findall(text)}
    return frozenset(digits | {NUMBER_WORDS[m.lower()] for m in _WORD_NUMBER.findall(text)})


_Edges = tuple[np.ndarray, np.ndarray, np.ndarray]


def _same_text_edges(nodes_of_text: dict[int, list[int]]) -> list[_Edges]:
    """The same text under several source keys: cosine 1."""
    same_a, same_b = [], []
    for nodes in nodes_of_text.values():
        for x in range(len(nodes)):
            for y in range(x + 1, len(nodes)):
                same_a.append(nodes[x])
                same_b.append(nodes[y])
    if not same_a:
        return []
    return [(np.asarray(same_a), np.asarray(same_b), np.ones(len(same_a), dtype=np.float32))]


def _meaning_edges(vectors: np.ndarray, nodes_of_text: dict[int, list[int]], opts: GroupOptions) -> list[_Edges]:
    """Text neighbours by meaning, expanded to their nodes."""
    ti, tj, ts = neighbours(vectors, opts.knn, opts.threshold)
    single = np.full(len(vectors), -1, dtype=np.int64)  # the node of a text that has exactly one
    for t, nodes in nodes_of_text.items():
        if len(nodes) == 1:
            single[t] = nodes[0]
    simple = (single[ti] >= 0) & (single[tj] >= 0)
    out: list[_Edges] = [(single[ti[simple]], single[tj[simple]], ts[simple])]
    ea, eb, es = [], [], []
    for i, j, s in zip(ti[~simple].tolist(), tj[~simple].tolist(), ts[~simple].tolist(), strict=True):
        for x in nodes_of_text[i]:
            for y in nodes_of_text[j]:
                ea.append(x)
                eb.append(y)
                es.append(s)
    if ea:
        out.append((np.asarray(ea, dtype=np.int64), np.asarray(eb, dtype=np.int64), np.asarray(es, dtype=np.float32)))
    return out


def _factcheck_edges(vectors: np.ndarray, node_text: np.ndarray, node_anchors: Sequence[set[str]],
                     threshold: float) -> list[_Edges]:
    """Nodes sharing a fact-check review, at least ``threshold`` alike."""
    by_review: dict[str, list[int]] = defaultdict(list)
    for node, reviews in enumerate(node_anchors):
        for r in reviews:
            by_review[r].append(node)
    out: list[_Edges] = []
    for nodes in by_review.values():
        if len(nodes) < 2 or len(nodes) > MAX_ANCHOR_GROUP:
            continue
        idx = np.asarray(nodes)
        sims = vectors[np.asarray(node_text)[idx]] @ vectors[np.asarray(node_text)[idx]].T
        x, y = np.nonzero(np.triu(sims >= threshold, k=1))
        out.append((idx[x], idx[y], sims[x, y].astype(np.float32)))
    return out


def group_nodes(vectors: np.ndarray, node_text: np.ndarray, node_keys: Sequence[str | None],
                node_anchors: Sequence[set[str]], opts: GroupOptions,
                node_numbers: Sequence[frozenset[str]] | None = None) -> np.ndarray:
    """The group (root node) of every node.

    ``vectors`` are the distinct texts' unit vectors; node ``n`` has text
    ``node_text[n]``, source key ``node_keys[n]``, fact-check reviews
    ``node_anchors[n]`` and numbers ``node_numbers[n]`` (:func:`numbers_in`).
    """
    n_nodes = len(node_text)
    nodes_of_text: dict[int, list[int]] = defaultdict(list)
    for node, t in enumerate(node_text):
        nodes_of_text[int(t)].append(node)
    plain = _same_text_edges(nodes_of_text) + _meaning_edges(vectors, nodes_of_text, opts)
    anchored = ([] if opts.factcheck_threshold is None
                else _factcheck_edges(vectors, node_text, node_anchors, opts.factcheck_threshold))
    edges = plain + anchored
    n_meaning = sum(len(e[0]) for e in plain)
    a = np.concatenate([e[0] for e in edges]) if edges else np.zeros(0, dtype=np.int64)
    b = np.concatenate([e[1] for e in edges]) if edges else np.zeros(0, dtype=np.int64)
    s = np.concatenate([e[2] for e in edges]) if edges else np.zeros(0, dtype=np.float32)
    order = np.lexsort((b, a, -np.round(s, 5)))  # strongest first, then a fixed order
    node_vectors = vectors[np.asarray(node_text, dtype=np.int64)] if opts.cohesion is not None else None
    numbers = node_numbers if node_numbers is not None else [frozenset()] * n_nodes
    groups = _Groups(n_nodes, node_keys, numbers, node_vectors)
    for e in order.tolist():
        groups.try_union(int(a[e]), int(b[e]), opts.use_sources, opts.cohesion, factcheck=e >= n_meaning)
    return np.asarray([groups.find(x) for x in range(n_nodes)])
