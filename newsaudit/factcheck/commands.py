"""Plain-Python entry points of the ``newsaudit factcheck`` commands, each
taking one options dataclass.  The CLI (:mod:`newsaudit.cli.factcheck`) only
formats their results."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactCheckError
from . import default_db_path
from .clef import Run, rank_queries, read_queries
from .embed import get_embedder
from .importers import ColumnMapping, read_reviews
from .search import Hit, Searcher
from .store import FactCheckStore, ImportResult


def resolve_db(db: str | Path | None) -> Path:
    return Path(db).expanduser() if db else default_db_path()


@dataclass(frozen=True)
class ImportOptions:
    file: str
    db: str | None = None
    #: "json" or "csv"; None: from the extension/content.
    format: str | None = None
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    #: "minilm" (default) or "hashing-DIM"; None: the store's encoder, else minilm.
    encoder: str | None = None
    #: Compute embeddings (off: lexical search only).
    embed: bool = True


def import_reviews(opts: ImportOptions) -> ImportResult:
    """Import ``opts.file`` into the store (created if missing); duplicates are skipped."""
    db = resolve_db(opts.db)
    embedder = get_embedder(opts.encoder) if opts.encoder else None
    items = read_reviews(opts.file, opts.mapping, opts.format)
    first = next(iter(items), None)  # file-level errors surface before a database is created
    if first is None:
        raise FactCheckError(f"{opts.file}: no records")
    with FactCheckStore(db, create=True, embedder=embedder) as store:
        return store.add_records(itertools.chain([first], items), embed=opts.embed)


@dataclass(frozen=True)
class SearchOptions:
    text: str
    db: str | None = None
    top: int = 5
    candidates: int = 100


def search_reviews(opts: SearchOptions) -> list[Hit]:
    """The top reviews for one text."""
    if not opts.text or not opts.text.strip():
        raise FactCheckError("the query is empty (only whitespace)")
    with FactCheckStore(resolve_db(opts.db)) as store:
        return Searcher(store, candidates=opts.candidates).search(opts.text, opts.top)


@dataclass(frozen=True)
class RankOptions:
    queries: str
    db: str | None = None
    top: int = 5
    candidates: int = 100


def rank(opts: RankOptions) -> Run:
    """qid -> [(docid, score)] for every query of an ``id<TAB>text`` file."""
    queries = read_queries(opts.queries)
    with FactCheckStore(resolve_db(opts.db)) as store:
        return rank_queries(Searcher(store, candidates=opts.candidates), queries, opts.top)
