"""newsaudit: an offline, explainable toolkit that reads news articles like a fact-checker.

>>> from newsaudit import analyze, Article
>>> report = analyze(Article(headline="...", body="..."))

Importing newsaudit registers nothing with spaCy; components are declared when a
pipeline is built (or when spaCy looks up a ``newsaudit_*`` factory).  Nothing here
changes the importing process: the start-up policy that keeps torch out of a
plain analysis (:mod:`newsaudit.lazy`) is applied only by newsaudit's own process
entry points (the command line and its worker processes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .errors import FailedRow, NewsauditError
from .options import AnalyzeOptions
from .types import SCHEMA_VERSION, Article, Report
from .version import __version__

__all__ = ["SCHEMA_VERSION", "AnalyzeOptions", "Article", "NewsauditError", "Report", "__version__", "analyze", "analyze_many"]


def analyze(article: Article, options: AnalyzeOptions | None = None) -> Report:
    """Analyse one article (see :func:`newsaudit.pipeline.analyze`)."""
    from .pipeline import analyze as _analyze

    return _analyze(article, options)


def analyze_many(
    articles: Iterable[Article | FailedRow], options: AnalyzeOptions | None = None
) -> Iterator[Report | FailedRow | NewsauditError]:
    """One Report or error per article, in order (see :func:`newsaudit.pipeline.analyze_many`)."""
    from .pipeline import analyze_many as _analyze_many

    return _analyze_many(articles, options)
