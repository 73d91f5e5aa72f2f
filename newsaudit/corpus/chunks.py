"""Analysing a chunk of input rows: one result (a Report or the article's error) per item, in order.

Used by ``newsaudit analyze`` on a dataset (:mod:`newsaudit.corpus.reports`) and,
inside every batch worker, by :func:`iter_chunk_rows` (:mod:`newsaudit.corpus.engines`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from ..errors import FailedRow
from ..options import AnalyzeOptions
from ..types import Article, Report
from .rows import checked, error_row, report_row

T = TypeVar("T")

__all__ = ["Item", "analyze_each", "iter_chunk_rows", "process_chunk"]

#: An input item sent to a worker: (row, Article) or (row, the loader's FailedRow).
Item = tuple[int, Article | FailedRow]


def analyze_each(items: Iterable[Any], options: AnalyzeOptions) -> Iterator[Any]:
    """One result per item, in order: a Report, or the exception that stopped
    that article; items that are not Articles (a loader's error) come back as they are.

    Articles are analysed together with :func:`newsaudit.pipeline.analyze_many`;
    should that raise (a bug, or text that breaks the parser), the articles not
    yet done are redone one at a time, so a failure stays with its own article.
    A pipeline that cannot be built at all (no spaCy model) raises at once.
    """
    items = list(items)
    articles = [item for item in items if isinstance(item, Article)]
    if not articles:
        yield from items
        return
    from ..pipeline import build_pipeline

    build_pipeline(options)  # ModelError here stops the run, once, instead of failing every row
    results = _analyze_articles(articles, options)
    for item in items:
        yield next(results) if isinstance(item, Article) else item


def _analyze_articles(articles: list[Article], options: AnalyzeOptions) -> Iterator[Any]:
    from ..pipeline import analyze, analyze_many

    done = 0
    try:
        for result in analyze_many(articles, options):
            done += 1
            yield result
    except Exception:
        for article in articles[done:]:
            try:
                yield analyze(article, options)
            except Exception as exc:
                yield exc


def iter_chunk_rows(items: list[Item], options: AnalyzeOptions) -> Iterator[dict[str, Any]]:
    """Analyse one chunk; yield exactly one storable output row per item, in order, as each is done.

    Runs inside a worker (a local process or a Dask worker): the pipeline is
    built once per process (:func:`newsaudit.pipeline.build_pipeline` caches it).
    An unexpected exception in one article, or a result that cannot be
    serialised or stored, gives that row an error row; the others go on.
    """
    for (row, item), result in zip(items, analyze_each([item for _, item in items], options), strict=True):
        language = item.language if isinstance(item, Article) else None
        try:
            if isinstance(result, Report):
                out = report_row(row, result)
            else:
                out = error_row(FailedRow.of(result, row=row, item=item), language)
        except Exception as exc:
            reason = f"internal error: the result cannot be serialised ({type(exc).__name__}: {exc})"
            out = error_row(FailedRow.of(reason, row=row, item=item), language)
        yield checked(out)


def process_chunk(items: list[Item], options: AnalyzeOptions) -> list[dict[str, Any]]:
    """Analyse one chunk; exactly one output row per item, in order (see :func:`iter_chunk_rows`)."""
    return list(iter_chunk_rows(items, options))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), lazily."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
