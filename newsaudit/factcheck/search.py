"""Hybrid retrieval: BM25 (SQLite FTS5) + embeddings (hnswlib), fused.

For each query: the top ``candidates`` by BM25, by cosine to the claim
vectors and by cosine to the title vectors are pooled, with every review of the same
claim (equal up to case and punctuation); every pooled review gets its exact
cosines from the stored vectors, duplicates share their best values, and the
three rankings (BM25, claim cosine, title cosine) over the pool are fused by
weighted reciprocal rank fusion; ties go to the earliest-imported review.  A hit keeps
every number it was ranked by, so a match can say why it was found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import FactCheckError
from ..models.blas import single_thread_blas
from ..types import FactCheckMatch
from .index import VectorIndex
from .store import FactCheckStore, StoredReview

#: Reciprocal rank fusion: score = sum of weight / (RRF_K + rank) over the BM25,
#: claim-cosine and title-cosine rankings of the candidate pool.  Chosen by a
#: grid search on the CLEF 2020 Task 2 *train* split (MAP@5 0.915 there);
#: see docs/evaluation.md for the dev score.
RRF_K = 5
WEIGHTS = (1.25, 1.0, 0.5)

_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.I)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TAG = re.compile(r"[#@](\w+)")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def normalise_query(text: str) -> str:
    """Drop URLs, split ``#CamelCaseTags`` and ``@handles`` into words, squeeze spaces."""
    text = _URL.sub(" ", text)
    text = _TAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)).replace("_", " ") + " ", text)
    return re.sub(r"\s+", " ", text).strip()


_STOPWORDS_FILE = Path(__file__).with_name("data") / "stopwords.txt"


def _stop_words() -> frozenset[str]:
    lines = _STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


_STOP: frozenset[str] | None = None


def fts_query(text: str, max_terms: int = 64) -> str:
    """An FTS5 MATCH expression: the query's distinct non-stop words, OR-ed."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    terms: list[str] = []
    for tok in _TOKEN.findall(text.lower()):
        if len(tok) < 2 or tok in _STOP or tok in terms:
            continue
        terms.append(tok)
        if len(terms) >= max_terms:
            break
    return " OR ".join(f'"{t}"' for t in terms)


@dataclass(frozen=True)
class Hit:
    """One retrieved review and why: its fused score and the evidence behind it."""

    review: StoredReview
    score: float
    rank: int
    bm25: float
    bm25_rank: int | None
    claim_cosine: float
    title_cosine: float | None
    claim_rank: int | None
    title_rank: int | None

    @property
    def similarity(self) -> float:
        """The best cosine similarity between the query and the claim or title."""
        return max(self.claim_cosine, self.title_cosine if self.title_cosine is not None else -1.0)

    def to_match(self) -> FactCheckMatch:
        r = self.review
        return FactCheckMatch(review_id=r.review_id, claim=r.claim, score=round(self.similarity, 4),
                              verdict=r.verdict, normalised_verdict=r.normalised_verdict,
                              publisher=r.publisher, date=r.date, url=r.url)

    def to_dict(self) -> dict[str, object]:
        """The hit as JSON (``factcheck search --json`` and ``POST /v1/factcheck/search``): the
        match's fields (``score`` is the best cosine, 4 decimals), the review's ``title``, then
        ``rank``, ``fused_score`` (6 decimals), ``bm25``, ``claim_cosine`` and ``title_cosine``
        (4 decimals; ``title_cosine`` null when the review has no title vector)."""
        data: dict[str, object] = {**self.to_match().to_dict(), "title": self.review.title}
        data.update(
            rank=self.rank,
            fused_score=round(self.score, 6),
            bm25=round(self.bm25, 4),
            claim_cosine=round(self.claim_cosine, 4),
            title_cosine=None if self.title_cosine is None else round(self.title_cosine, 4),
        )
        return data


def hits_json(query: str, hits: Sequence[Hit]) -> dict[str, object]:
    """``{"query", "matches"}``: the one JSON shape of a search, for ``factcheck search --json`` and
    ``POST /v1/factcheck/search`` alike (each match is :meth:`Hit.to_dict`)."""
    return {"query": query, "matches": [h.to_dict() for h in hits]}


def verdict_words(review: StoredReview) -> str:
    """The review's verdict as a reader sees it: the publisher's words, then the normalised verdict
    when it differs; "no verdict" when the review gives none."""
    text = review.verdict or ""
    norm = review.normalised_verdict
    if not text:
        return f"no verdict ({norm})" if norm else "no verdict"
    return f"{text} ({norm})" if norm and norm != text.lower() else text


def _ranks(values: np.ndarray, rowids: np.ndarray) -> np.ndarray:
    """1-based ranks of ``values`` (best first; ties to the lower rowid)."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[np.lexsort((rowids, -values))] = np.arange(1, len(values) + 1)
    return ranks


def _shared_best(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``values`` with every review of a claim (same ``groups`` code; -1: none) given the best value
    of any review of that claim in the pool."""
    grouped = groups >= 0
    if not grouped.any():
        return values
    best = np.full(int(groups.max()) + 1, -np.inf)
    np.maximum.at(best, groups[grouped], values[grouped])
    out = values.copy()
    out[grouped] = best[groups[grouped]]
    return out


@dataclass(frozen=True)
class _Ranked:
    """One query's pool, ranked: the top rows and every number a hit reports."""

    best: list[int]
    fused: dict[int, float]
    #: each signal's own values (BM25, claim cosine, title cosine), for the rows it has
    own: tuple[dict[int, float], dict[int, float], dict[int, float]]
    #: each row's rank in each signal's own values
    ranks: tuple[dict[int, int], dict[int, int], dict[int, int]]


def _rank_pool(pool: set[int], own: tuple[dict[int, float], dict[int, float], dict[int, float]],
               canon: dict[int, str], top: int) -> _Ranked:
    """Fuse the BM25, claim-cosine and title-cosine rankings of ``pool`` (``own``: each signal's
    values, for the rows it has); reviews of one claim (``canon``) share their best values."""
    rowids = np.fromiter(sorted(pool), dtype=np.int64, count=len(pool))
    codes: dict[str, int] = {}
    groups = np.fromiter((codes.setdefault(canon[r], len(codes)) if r in canon else -1 for r in rowids.tolist()),
                         dtype=np.int64, count=len(rowids))
    fused = np.zeros(len(rowids))
    own_ranks = []
    for weight, values in zip(WEIGHTS, own, strict=True):
        column = np.fromiter((values.get(r, 0.0) for r in rowids.tolist()), dtype=np.float64, count=len(rowids))
        fused += weight / (RRF_K + _ranks(_shared_best(column, groups), rowids))
        have = np.fromiter(values, dtype=np.int64, count=len(values))
        have_values = np.fromiter(values.values(), dtype=np.float64, count=len(values))
        own_ranks.append(dict(zip(have.tolist(), _ranks(have_values, have).tolist(), strict=True)))
    fused_values = [round(v, 12) for v in fused.tolist()]
    order = np.lexsort((rowids, -np.asarray(fused_values)))[:top]
    best = rowids[order].tolist()
    return _Ranked(best=best, fused={r: fused_values[i] for r, i in zip(best, order.tolist(), strict=True)},
                   own=own, ranks=(own_ranks[0], own_ranks[1], own_ranks[2]))


class Searcher:
    """Searches one store; the ANN index is loaded (or rebuilt if stale) on first use."""

    def __init__(self, store: FactCheckStore, *, candidates: int = 100, semantic: bool = True,
                 lexical: bool = True) -> None:
        self.store = store
        self.candidates = candidates
        self._semantic = semantic
        self.lexical = lexical
        self._index: VectorIndex | None = None
        self._generation = -1

    @property
    def semantic(self) -> bool:
        """Whether embeddings are used: asked for, and the store holds vectors."""
        return self._semantic and self.store.has_vectors()

    @property
    def index(self) -> VectorIndex:
        """The ANN index, reloaded (and rebuilt if stale) when the store changed."""
        generation = self.store.generation
        if self._index is None or generation != self._generation:
            self._index = VectorIndex(self.store).load()
            self._generation = generation
        return self._index

    def search(self, text: str, top: int = 10) -> list[Hit]:
        return self.search_many([text], top)[0]

    def search_many(self, texts: Sequence[str], top: int = 10) -> list[list[Hit]]:
        """Top ``top`` hits for each text (queries are embedded in one batch)."""
        if top < 1:
            raise FactCheckError(f"--top must be at least 1, not {top}")
        queries = []
        for text in texts:
            if not text or not text.strip():
                raise FactCheckError("the query is empty (only whitespace)")
            queries.append(normalise_query(text) or text.strip())
        qvecs = None
        claim_knn: list[list[tuple[int, float]]] = [[] for _ in queries]
        title_knn: list[list[tuple[int, float]]] = [[] for _ in queries]
        if self.semantic:
            qvecs = self.store.embedder.encode(queries)
            claim_knn = self.index.query(qvecs, self.candidates, "claim")
            title_knn = self.index.query(qvecs, self.candidates, "title")
        lexical = [dict(self.store.bm25(fts_query(q), self.candidates)) if self.lexical else {} for q in queries]
        pools = [set(lex) | {r for r, _ in ck} | {r for r, _ in tk}
                 for lex, ck, tk in zip(lexical, claim_knn, title_knn, strict=True)]
        # Reviews of the same claim (equal up to case and punctuation) are pooled and scored
        # together; the earliest imported ranks first.  One statement for every query's pool.
        canon = self.store.duplicates(set().union(*pools))
        members: dict[str, list[int]] = {}
        for rowid, key in canon.items():
            members.setdefault(key, []).append(rowid)
        for pool in pools:
            pool.update(*(members[canon[r]] for r in list(pool) if r in canon))
        claim_cos: list[dict[int, float]] = [{} for _ in queries]
        title_cos: list[dict[int, float]] = [{} for _ in queries]
        if qvecs is not None:
            ids, claim, title, has_title = self.store.vectors(set().union(*pools))
            if ids:
                row = {r: i for i, r in enumerate(ids)}
                with_title = has_title.tolist()
                with single_thread_blas():  # small products: a second BLAS thread only waits for a core
                    claim_all, title_all = (claim @ qvecs.T).T.tolist(), (title @ qvecs.T).T.tolist()
                for q, pool in enumerate(pools):
                    rows = [(r, row[r]) for r in pool if r in row]
                    claim_cos[q] = {r: claim_all[q][i] for r, i in rows}
                    title_cos[q] = {r: title_all[q][i] for r, i in rows if with_title[i]}
        ranked = [_rank_pool(pool, (lexical[q], claim_cos[q], title_cos[q]), canon, top) if pool else None
                  for q, pool in enumerate(pools)]
        reviews = self.store.get({r for one in ranked if one is not None for r in one.best})
        return [[] if one is None else _hits(one, reviews) for one in ranked]


def _hits(ranked: _Ranked, reviews: dict[int, StoredReview]) -> list[Hit]:
    lexical, claim_cos, title_cos = ranked.own
    lex_rank, c_rank, t_rank = ranked.ranks
    return [Hit(review=reviews[r], score=ranked.fused[r], rank=i + 1, bm25=lexical.get(r, 0.0),
                bm25_rank=lex_rank.get(r), claim_cosine=claim_cos.get(r, 0.0),
                title_cosine=title_cos.get(r), claim_rank=c_rank.get(r), title_rank=t_rank.get(r))
            for i, r in enumerate(ranked.best) if r in reviews]


def search(db: str, text: str, top: int = 10) -> list[Hit]:
    """Convenience: open ``db`` and search it once."""
    with FactCheckStore(db) as store:
        return Searcher(store).search(text, top)
