"""The FastAPI application: ``POST /v1/analyze``, ``GET /v1/health``,
``POST /v1/factcheck/search``, the web page at ``/`` and offline docs at ``/docs``.

Limits a public server needs, all in :class:`ServiceSettings`:

* a maximum request body (``413`` when Content-Length says so, and while
  reading a body sent without one or lying about it) and a time limit on
  receiving it (``408``, the connection closed; :mod:`.limits`);
* a bounded pool of warm worker processes plus a bounded queue (``503`` when
  full, or when no worker was free within ``queue_timeout_s``) and a time limit
  on each analysis, counted from its start on a warm worker (``504``), after
  which the worker running the request is killed and replaced (:mod:`.pool`);
* decoding, HTML extraction, URL fetches and analysis run in that pool
  (:mod:`.work`), never on the event loop, so ``/v1/health`` stays quick;
* optional bearer-token auth on the ``/v1/analyze`` and ``/v1/factcheck``
  endpoints (``401`` without the right token); ``/v1/health`` answers
  everyone but shows its details only to a holder of the token;
* no URL is ever fetched for a client unless the server was started with an
  allow-list of hosts, and even then never an address that resolves to a
  private, loopback, link-local or otherwise non-public IP (:mod:`.security`);
* ``X-Content-Type-Options: nosniff`` on every response; a strict
  Content-Security-Policy and no framing on the page (:mod:`.security`).

Status codes: 400 bad Content-Length, 401 bad/missing token, 403 URL not
allowed, 408 body too slow, 413 too large, 415 binary or unsupported upload, 422 malformed JSON,
empty or unusable input, 502 fetch failed, 503 busy or no model / fact-check
store, 504 analysis timed out; every error is ``{"detail": "<one line>"}``.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import NewsauditError
from ..load.fetch import FetchPolicy, check_url, host_allowed
from ..load.files import HTML_TYPES
from ..options import TOKEN_ENV, AnalyzeOptions
from ..types import Article
from ..version import __version__
from .limits import BodyLimitMiddleware, ServiceError, one_line
from .openapi import (
    ANALYZE_OPENAPI,
    FACTCHECK_OPENAPI,
    add_report_schema,
    error_responses,
    offline_redoc,
)
from .pool import ISOLATIONS, WorkPool
from .security import SecurityHeadersMiddleware, token_ok
from .work import (
    DEFAULT_ANALYSIS,
    AnalysisJob,
    error_response,
    run_analysis,
    run_factcheck_search,
)

STATIC_DIR = Path(__file__).parent / "static"

ANALYZE_JOB = "newsaudit.service.work:analyze_job"
FACTCHECK_JOB = "newsaudit.service.work:run_factcheck_search"
JSON_TYPES = ("", "application/json")
TEXT_TYPES = ("text/plain", "application/octet-stream")
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs; ``newsaudit serve`` builds one from its options."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Bearer token required on /v1/analyze and /v1/factcheck/*; None: no auth.
    token: str | None = None
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = 2_000_000
    #: Time limit of one analysis, counted from the moment a warm worker takes the request, in
    #: seconds; past it: 504 and the work is stopped.
    timeout_s: float = 30.0
    #: How long a request may wait for a free warm worker, in seconds; past it: 503 (it never starts).
    queue_timeout_s: float = 60.0
    #: How long a client may take to send its request body, in seconds; past it: 408 and the connection is closed.
    body_timeout_s: float = 20.0
    #: Analysis workers (each a process holding its own spaCy pipeline, ~400 MB).
    workers: int = 2
    #: Requests that may wait for a worker; beyond workers + queue: 503.
    queue: int = 64
    #: "process": workers are processes, killed on time-out; "thread": threads
    #: of the server process (tests; a timed-out job runs on).
    isolation: str = "process"
    #: A worker process that has grown past this after a job is replaced (MB); None: never.
    max_worker_rss_mb: float | None = 1500.0
    #: The analysis a worker runs, as an import path "module:function(article, options) -> Report".
    analysis_function: str = DEFAULT_ANALYSIS
    #: Hosts the server may fetch a client's ``url`` from ("example.org",
    #: "*.example.org"); empty: never fetch.
    allow_hosts: tuple[str, ...] = ()
    #: Largest fetched page, and the fetch time limit.
    max_fetch_bytes: int = 5_000_000
    fetch_timeout_s: float = 10.0
    #: Start the workers when the server starts, and warm each up (every model loaded, one small article
    #: analysed) before it takes requests; without it, workers start on the first request, cold.
    preload: bool = False
    analyze: AnalyzeOptions = field(default_factory=AnalyzeOptions)

    def __post_init__(self) -> None:
        if self.isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS} (got {self.isolation!r})")
        module, sep, name = self.analysis_function.partition(":")
        if not (module and sep and name):
            raise ValueError(f"analysis_function must be an import path 'module:function' (got {self.analysis_function!r})")

    @classmethod
    def from_env(cls, **overrides: Any) -> ServiceSettings:
        """Defaults, then $NEWSAUDIT_TOKEN (and the analysis env vars), then ``overrides``."""
        base = cls(token=os.environ.get(TOKEN_ENV) or None, analyze=AnalyzeOptions.from_env())
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})

    def fetch_policy(self) -> FetchPolicy:
        """The fetcher's guard: only allow-listed hosts at public addresses (none without --allow-host)."""
        return FetchPolicy(
            allow_hosts=self.allow_hosts, public_only=True, max_bytes=self.max_fetch_bytes, timeout_s=self.fetch_timeout_s
        )


class AnalyzeRequest(BaseModel):
    """JSON body of ``POST /v1/analyze``: ``body`` (with ``headline``), or ``html``, or just ``url``."""

    model_config = ConfigDict(extra="forbid")

    headline: str = ""
    body: str | None = Field(default=None, description="Article body text")
    html: str | None = Field(default=None, description="A whole HTML page, instead of headline/body")
    date: str | None = None
    url: str | None = Field(
        default=None,
        description="Where the article is from; fetched only when no body/html is given and the host is allow-listed",
    )
    outlet: str | None = None
    id: str | None = None
    any_language: bool = Field(default=False, description="Analyse the text even if it is not detected as English")


class FactCheckRequest(BaseModel):
    """JSON body of ``POST /v1/factcheck/search``: ``query`` (or its alias ``text``), and ``top``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["query"]}, {"required": ["text"]}]},
    )

    query: str | None = Field(default=None, min_length=1, description="A claim to look up")
    text: str | None = Field(default=None, min_length=1, description="Same as 'query' (give one of them)",
                             json_schema_extra={"deprecated": True})
    top: int = Field(default=5, ge=1, le=50)

    @model_validator(mode="after")
    def _one_claim(self) -> FactCheckRequest:
        if (self.query is None) == (self.text is None):
            raise ValueError("give exactly one of 'query' and 'text'")
        return self

    @property
    def claim(self) -> str:
        return self.query if self.query is not None else str(self.text)


class ErrorDetail(BaseModel):
    detail: str


class Health(BaseModel):
    """Liveness for everyone; load for everyone when no token is configured; the rest for the token's holder."""

    status: str
    version: str | None = None
    model_loaded: bool | None = None
    workers: int | None = None
    in_progress: int | None = None
    capacity: int | None = None
    auth: bool | None = None
    fetch_allowed_hosts: list[str] | None = None
    factcheck: bool | None = None


class FactCheckHit(BaseModel):
    """One review found for the query: :meth:`newsaudit.factcheck.search.Hit.to_dict`."""

    review_id: str
    claim: str
    score: float = Field(description="Best cosine similarity of the query to the review's claim or title (4 decimals)")
    verdict: str | None = None
    normalised_verdict: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    title: str | None = None
    rank: int = Field(description="1 for the best hit")
    fused_score: float = Field(description="Weighted reciprocal rank fusion of the three rankings (6 decimals)")
    bm25: float = Field(description="BM25 score of the query against claim and title (4 decimals)")
    claim_cosine: float = Field(description="Cosine similarity to the claim (4 decimals)")
    title_cosine: float | None = Field(default=None, description="Cosine similarity to the title; null without a title")


class FactCheckResponse(BaseModel):
    query: str
    matches: list[FactCheckHit]


# ------------------------------------------------------------------ input


def _content_type(header: str) -> tuple[str, str | None]:
    """(media type, charset or None) of a Content-Type header."""
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return media.strip().lower(), charset


def _check_unicode(value: Any, where: str = "body") -> None:
    """422 when a string (or key) of parsed JSON holds a lone surrogate: it is not text and cannot be sent back."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ServiceError(
                422,
                f"invalid request: {where} holds a lone surrogate (U+{ord(value[exc.start]):04X} at character "
                f"{exc.start}); send valid Unicode",
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_unicode(key, f"{where}: a field name")
            _check_unicode(item, f"{where}.{key}" if where != "body" else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_unicode(item, f"{where}[{i}]")


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        parts.append(f"{where}: {err.get('msg')}")
    return "invalid request: " + "; ".join(parts)


def _load_json(data: bytes, charset: str | None) -> Any:
    """Parsed JSON of a request body; 422 when empty, malformed or not valid Unicode, 415 when binary."""
    from ..load import decode_bytes
    from ..load.files import HEADER_CHARSET

    if not data.strip():
        raise ServiceError(422, "empty body: send JSON {\"headline\": ..., \"body\": ...} or an HTML document")
    try:
        text, _ = decode_bytes(data, "request body", encoding=charset, declared_by=HEADER_CHARSET)
        value = json.loads(text)
    except NewsauditError as exc:
        raise ServiceError(*error_response(exc)) from None
    except json.JSONDecodeError as exc:
        raise ServiceError(422, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise ServiceError(422, "malformed JSON: nested too deeply") from None
    _check_unicode(value)
    return value


def _validated(model: type[BaseModel], value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise ServiceError(422, _validation_message(exc)) from None


def job_from_fields(data: Any, settings: ServiceSettings) -> tuple[AnalysisJob, bool]:
    """The job for a JSON object (or form fields), and whether it asks for any language."""
    if not isinstance(data, dict):
        raise ServiceError(422, "invalid request: the JSON body must be an object like {\"headline\": ..., \"body\": ...}")
    req = _validated(AnalyzeRequest, data)
    url, id_, date, outlet = req.url or None, req.id or None, req.date or None, req.outlet or None
    if req.body is not None:
        if not req.body.strip():
            raise ServiceError(422, "empty body: the 'body' field holds no text")
        article = Article(body=req.body.strip(), headline=req.headline.strip(), url=url, id=id_, date=date, outlet=outlet)
        return AnalysisJob(article=article), req.any_language
    if req.html is not None:
        return AnalysisJob(html=req.html, url=url, id=id_, date=date, outlet=outlet), req.any_language
    if req.url:
        try:
            check_url(req.url, settings.fetch_policy())  # 403/422 now, before it waits for a worker
        except NewsauditError as exc:
            raise ServiceError(*error_response(exc)) from None
        return AnalysisJob(fetch=req.url, policy=settings.fetch_policy(), url=url, id=id_, date=date,
                           outlet=outlet), req.any_language
    raise ServiceError(422, "invalid request: give 'body' (and 'headline'), or 'html', or an allow-listed 'url'")


def _flag(value: str | None, name: str) -> bool:
    if value is None or value.strip().lower() in ("", "0", "false", "no", "off"):
        return False
    if value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    raise ServiceError(422, f"invalid request: {name} must be true or false (got {value!r})")


async def job_from_request(request: Request, settings: ServiceSettings) -> tuple[AnalysisJob, bool]:
    """The job for a request to /v1/analyze (no decoding or extraction here: that is the worker's)."""
    ctype, charset = _content_type(request.headers.get("content-type", ""))
    url = request.query_params.get("url") or None
    any_language = _flag(request.query_params.get("any_language"), "any_language")
    if ctype in FORM_TYPES:
        job, flag = await _job_from_form(request, settings)
        return job, flag or any_language
    data = await request.body()
    is_json = ctype in JSON_TYPES or ctype.endswith("+json")
    if ctype == "" and data.lstrip()[:1] not in (b"{", b"["):
        is_json = False  # no type: JSON only when it looks like it
    if is_json:
        job, flag = job_from_fields(_load_json(data, charset), settings)
        return job, flag or any_language
    if ctype not in ("", *HTML_TYPES, *TEXT_TYPES):
        raise ServiceError(415, f"unsupported content type {ctype!r}: send application/json, text/html or text/plain")
    if not data.strip():
        raise ServiceError(422, "empty body: send JSON {\"headline\": ..., \"body\": ...} or an HTML document")
    return AnalysisJob(data=data, content_type=ctype, charset=charset, url=url), any_language


async def _job_from_form(request: Request, settings: ServiceSettings) -> tuple[AnalysisJob, bool]:
    form = await request.form()
    upload = form.get("file")
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    any_language = _flag(fields.pop("any_language", None), "any_language")
    if upload is not None and hasattr(upload, "read"):
        data = await upload.read()
        if not data.strip():
            raise ServiceError(422, "empty body: the uploaded file is empty")
        ctype, charset = _content_type(getattr(upload, "content_type", None) or "")
        name = getattr(upload, "filename", "") or "uploaded file"
        return AnalysisJob(data=data, content_type=ctype, charset=charset, filename=name,
                           url=fields.get("url") or None), any_language
    fields.pop("file", None)
    _check_unicode(fields)
    job, flag = job_from_fields(fields, settings)
    return job, flag or any_language


# ------------------------------------------------------------------ app


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The web service; run it with uvicorn, or test it with ``TestClient(create_app(...))``."""
    settings = settings or ServiceSettings()
    pool = WorkPool(
        settings.workers,
        settings.queue,
        settings.timeout_s,
        isolation=settings.isolation,
        preload_options=settings.analyze if settings.preload else None,
        max_worker_rss_mb=settings.max_worker_rss_mb,
        queue_timeout_s=settings.queue_timeout_s,
        preload_analysis=settings.analysis_function,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.preload:
            import asyncio

            await asyncio.get_running_loop().run_in_executor(None, pool.start)
        yield
        pool.shutdown()

    app = FastAPIOffline(
        title="newsaudit",
        version=__version__,
        description="Explainable news auditing: attributions, sources, relay chains, headline check, "
        "framing signals, propaganda techniques and fact-check matching, with character offsets.",
        lifespan=lifespan,
        favicon_url="/static-offline-docs/favicon.png",
        redoc_url=None,  # offline_redoc below: the bundled ReDoc would fetch its logo from a CDN
        swagger_ui_parameters={"validatorUrl": None},  # no badge from validator.swagger.io
    )
    offline_redoc(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, timeout_s=settings.body_timeout_s)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: the 413 above gets the headers too
    app.state.settings = settings
    app.state.pool = pool

    @app.exception_handler(ServiceError)
    async def service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=exc.headers)

    def require_token(request: Request) -> None:
        if not token_ok(request.headers.get("authorization", ""), settings.token):
            raise ServiceError(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})

    @app.get("/v1/health", summary="Liveness (and load, for the token's holder)", response_model=Health,
             response_model_exclude_none=True)
    async def health(request: Request) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "ok"}
        holder = bool(settings.token) and token_ok(request.headers.get("authorization", ""), settings.token)
        if settings.token and not holder:
            return body  # liveness only: nothing about this server to a stranger
        body.update(version=__version__, model_loaded=pool.model_loaded, workers=pool.workers,
                    in_progress=pool.inflight, capacity=pool.capacity)
        if holder:
            body.update(auth=True, fetch_allowed_hosts=list(settings.allow_hosts),
                        factcheck=bool(settings.analyze.factcheck_db))
        return body

    @app.post(
        "/v1/analyze",
        summary="Analyse one article; returns the JSON report of `newsaudit analyze`",
        dependencies=[Depends(require_token)],
        openapi_extra=ANALYZE_OPENAPI,
        responses=error_responses(ErrorDetail, 400, 401, 403, 408, 413, 415, 422, 502, 503, 504, report=True),
    )
    async def analyze_endpoint(request: Request) -> JSONResponse:
        job, any_language = await job_from_request(request, settings)
        options = replace(settings.analyze, any_language=True) if any_language else settings.analyze
        report = await pool.run(ANALYZE_JOB, job, options, settings.analysis_function)
        pool.model_loaded = True
        return JSONResponse(report)

    @app.post(
        "/v1/factcheck/search",
        summary="Search the fact-check store for reviews of a claim",
        dependencies=[Depends(require_token)],
        openapi_extra=FACTCHECK_OPENAPI,
        response_model=FactCheckResponse,
        responses=error_responses(ErrorDetail, 400, 401, 408, 413, 415, 422, 503, 504),
    )
    async def factcheck_search(request: Request) -> JSONResponse:
        _ctype, charset = _content_type(request.headers.get("content-type", ""))
        req = _validated(FactCheckRequest, _load_json(await request.body(), charset))
        db = settings.analyze.factcheck_db
        if not db:
            raise ServiceError(503, "no fact-check store configured (start the server with --db PATH)")
        if not Path(db).exists():
            raise ServiceError(503, f"fact-check store not found: {db}")
        return JSONResponse(await pool.run(FACTCHECK_JOB, db, req.claim, req.top))

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    add_report_schema(app, (AnalyzeRequest, FactCheckRequest))
    return app


__all__ = [
    "AnalyzeRequest",
    "BodyLimitMiddleware",
    "FactCheckHit",
    "FactCheckRequest",
    "ServiceError",
    "ServiceSettings",
    "create_app",
    "host_allowed",
    "one_line",
    "run_analysis",
    "run_factcheck_search",
]
