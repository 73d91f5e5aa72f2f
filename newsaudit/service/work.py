"""What an analysis worker runs: a request's input -> article -> report.

Decoding bytes, extracting an HTML page (trafilatura), fetching an
allow-listed URL and the analysis itself all happen here, inside the worker
pool (:mod:`newsaudit.service.pool`) and under the request's time limit, never
on the server's event loop.  Nothing here imports FastAPI, so a worker
process stays light.

Every job is named by an import path (``"module:function"``) so that a worker
process can find it; :func:`execute` runs one and turns every error into
``("error", status, detail, headers)``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..errors import (
    BinaryInputError,
    EmptyInputError,
    FetchError,
    FetchRefusedError,
    LanguageError,
    ModelError,
    NewsauditError,
)
from ..options import AnalyzeOptions
from ..types import Article, Report
from .limits import ServiceError, one_line

#: The analysis a worker runs unless ServiceSettings.analysis_function names another.
DEFAULT_ANALYSIS = "newsaudit.service.work:run_analysis"


def run_analysis(article: Article, options: AnalyzeOptions) -> Report:
    """The default analysis: :func:`newsaudit.pipeline.analyze`."""
    from ..pipeline import analyze

    return analyze(article, options)


def preload(options: AnalyzeOptions, analysis: str = DEFAULT_ANALYSIS) -> None:
    """Load every model a request can use: run the analysis named ``analysis`` on one small article
    (:data:`newsaudit.pipeline.WARM_UP_ARTICLE`; the default analysis is then
    :func:`newsaudit.pipeline.warm_up`), and open the fact-check store, its index and the sentence
    encoder when a store is configured.  A worker calls it before it says it is ready."""
    from pathlib import Path

    from ..pipeline import WARM_UP_ARTICLE

    db = options.factcheck_db if options.factcheck_db and Path(options.factcheck_db).is_file() else None
    resolve(analysis)(WARM_UP_ARTICLE, replace(options, any_language=True, factcheck_db=db))
    if db:
        from ..factcheck.match import warm

        warm(db)


def run_factcheck_search(db: str, query: str, top: int) -> dict[str, Any]:
    """``{"query", "matches"}`` for ``query``; the store stays open in the worker between requests."""
    from ..factcheck.match import search_cached
    from ..factcheck.search import hits_json

    return hits_json(query, search_cached(db, query, top))


@dataclass(frozen=True)
class AnalysisJob:
    """One request's input as the event loop received it (picklable).

    Exactly one of ``article`` (JSON headline/body), ``html`` (JSON ``html``),
    ``data`` (a raw body or an uploaded file) and ``fetch`` (an allow-listed
    URL, with ``policy``) is set.
    """

    article: Article | None = None
    html: str | None = None
    data: bytes | None = None
    #: For ``data``: its media type (no parameters), declared charset and file name.
    content_type: str = ""
    charset: str | None = None
    filename: str | None = None
    fetch: str | None = None
    policy: Any = None  # newsaudit.load.fetch.FetchPolicy
    #: The page's URL, the article id, and date/outlet that override the page's.
    url: str | None = None
    id: str | None = None
    date: str | None = None
    outlet: str | None = None


def article_from_job(job: AnalysisJob) -> Article:
    """The article of ``job``: decoded, extracted or fetched as needed."""
    from ..load import load_html

    if job.article is not None:
        article = job.article
    elif job.html is not None:
        article = load_html(job.html, url=job.url, id=job.id)
    elif job.data is not None:
        article = _article_from_bytes(job)
    elif job.fetch is not None:
        from ..load.fetch import fetch_url

        article = replace(fetch_url(job.fetch, policy=job.policy), id=job.id)
    else:
        raise ServiceError(422, "invalid request: give 'body' (and 'headline'), or 'html', or an allow-listed 'url'")
    if job.date:
        article = replace(article, date=job.date)
    if job.outlet:
        article = replace(article, outlet=job.outlet)
    if not article.text.strip():
        raise ServiceError(422, "empty body: no article text found")
    return article


def _article_from_bytes(job: AnalysisJob) -> Article:
    """A raw body or file, through the one bytes-to-Article router (its type, name or content; its charset)."""
    from ..load import load_bytes

    assert job.data is not None
    return load_bytes(job.data, job.filename or "request body", id=job.id, media_type=job.content_type,
                      filename=job.filename, charset=job.charset, url=job.url)


def analyze_job(job: AnalysisJob, options: AnalyzeOptions, analysis: str = DEFAULT_ANALYSIS) -> dict[str, Any]:
    """The JSON report for ``job``: load the article, then run the function named by ``analysis``."""
    article = article_from_job(job)
    report = resolve(analysis)(article, options)
    return report.to_dict()


# ------------------------------------------------------------------ running a job


def resolve(path: str) -> Callable[..., Any]:
    """The function named ``"package.module:function"``."""
    module, sep, name = path.partition(":")
    if not sep or not module or not name:
        raise ValueError(f"not an import path of a function ('module:function'): {path!r}")
    return getattr(importlib.import_module(module), name)


def language_message(message: str) -> str:
    """The non-English refusal, told to an API client: the request field, not the CLI flag."""
    message = re.sub(r"\s*\([^()]*--any-language[^()]*\)", "", message).replace("--any-language", '"any_language": true')
    return message.rstrip(" .;") + '; send "any_language": true in the request to analyse it anyway'


def status_for(exc: NewsauditError) -> int:
    if isinstance(exc, FetchRefusedError):
        return 403
    if isinstance(exc, FetchError):
        return 502
    if isinstance(exc, BinaryInputError):
        return 415
    if isinstance(exc, ModelError):
        return 503
    return 422


def error_response(exc: BaseException) -> tuple[int, str, dict[str, str] | None]:
    """(status, one-line detail, headers) for an exception a job raised."""
    if isinstance(exc, ServiceError):
        return exc.status, exc.detail, exc.headers
    if isinstance(exc, LanguageError):
        return 422, one_line(language_message(str(exc))), None
    if isinstance(exc, BinaryInputError):
        return 415, one_line(f"binary upload: {exc}"), None
    if isinstance(exc, EmptyInputError):
        return 422, one_line(f"empty body: {exc}"), None
    if isinstance(exc, NewsauditError):
        return status_for(exc), one_line(str(exc)), None
    if isinstance(exc, MemoryError):
        return 503, "the analysis ran out of memory", None
    return 500, one_line(f"internal error: {type(exc).__name__}: {exc}"), None


def execute(target: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Run the function named ``target`` on ``args``: ``("ok", result)`` or ``("error", status, detail, headers)``."""
    try:
        return ("ok", resolve(target)(*args))
    except Exception as exc:  # every error goes back to the request as a status and a line
        return ("error", *error_response(exc))
