"""The FastAPI application: ``POST /v1/analyze``, ``GET /v1/health``,
``POST /v1/factcheck/search``, and the web page at ``/``.

Limits a public server needs, all in :class:`ServiceSettings`:

* a maximum request body (``413`` when Content-Length says so, and while
  reading a body sent without one or lying about it);
* a bounded pool of analysis threads plus a bounded queue (``503`` when full)
  and a per-request time limit (``504``);
* optional bearer-token auth on the ``/v1/analyze`` and ``/v1/factcheck``
  endpoints (``401`` without the right token; the page and health are open);
* no URL is ever fetched for a client unless the server was started with an
  allow-list of hosts, and even then never an address that resolves to a
  private, loopback, link-local or otherwise non-public IP.

Status codes: 401 bad/missing token, 403 URL not allowed, 413 too large,
415 binary or unsupported upload, 422 malformed JSON, empty or unusable input
(``{"detail": "<one-line message>"}``), 502 fetch failed, 503 busy or no model
/ fact-check store, 504 analysis timed out.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import __version__
from ..errors import BinaryInputError, FactCheckError, ModelError, NewsauditError
from ..load import load_html, load_text, looks_like_html
from ..options import AnalyzeOptions
from ..types import Article, Report

STATIC_DIR = Path(__file__).parent / "static"

#: Environment variable holding the bearer token when --token is not given.
TOKEN_ENV = "NEWSAUDIT_TOKEN"


@dataclass(frozen=True)
class ServiceSettings:
    """How the service runs; ``newsaudit serve`` builds one from its options."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Bearer token required on /v1/analyze and /v1/factcheck/*; None: no auth.
    token: str | None = None
    #: Largest request body accepted, in bytes.
    max_body_bytes: int = 2_000_000
    #: Per-request limit for an analysis (queueing included), in seconds.
    timeout_s: float = 30.0
    #: Analysis threads.
    workers: int = 2
    #: Requests that may wait for a thread; beyond workers + queue: 503.
    queue: int = 64
    #: Hosts the server may fetch a client's ``url`` from ("example.org",
    #: "*.example.org"); empty: never fetch.
    allow_hosts: tuple[str, ...] = ()
    #: Largest fetched page, and the fetch time limit.
    max_fetch_bytes: int = 5_000_000
    fetch_timeout_s: float = 10.0
    #: Load the spaCy pipeline when the server starts (not on the first request).
    preload: bool = False
    analyze: AnalyzeOptions = field(default_factory=AnalyzeOptions)

    @classmethod
    def from_env(cls, **overrides: Any) -> "ServiceSettings":
        """Defaults, then $NEWSAUDIT_TOKEN (and the analysis env vars), then ``overrides``."""
        base = cls(token=os.environ.get(TOKEN_ENV) or None, analyze=AnalyzeOptions.from_env())
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})


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


class FactCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, description="A claim to look up")
    top: int = Field(default=5, ge=1, le=50)


# ------------------------------------------------------------------ errors


def _error(status: int, message: str, **headers: str) -> HTTPException:
    return HTTPException(status_code=status, detail=message, headers=headers or None)


def _status_for(exc: NewsauditError) -> int:
    if isinstance(exc, BinaryInputError):
        return 415
    if isinstance(exc, ModelError):
        return 503
    if isinstance(exc, FactCheckError):
        return 422
    return 422


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: the limit is {limit} bytes")


class BodyLimitMiddleware:
    """Refuse bodies over ``max_bytes``: from Content-Length, then while reading."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_large = int(length) > self.max_bytes
            except ValueError:
                await _send_json(send, 400, "invalid Content-Length header")
                return
            if too_large:
                await _send_json(send, 413, BodyTooLarge(self.max_bytes).detail)
                return
        received = 0
        started = False

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            if not started:
                await _send_json(send, 413, exc.detail)


async def _send_json(send: Any, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


# ------------------------------------------------------------------ work


def run_analysis(article: Article, options: AnalyzeOptions) -> Report:
    """What a request's thread runs (a module function, so tests can replace it)."""
    from ..pipeline import analyze

    return analyze(article, options)


def run_factcheck_search(db: str, query: str, top: int) -> list[dict[str, Any]]:
    from ..factcheck.search import search

    hits = search(db, query, top)
    out = []
    for hit in hits:
        item = hit.to_match().to_dict()
        item.update(
            rank=hit.rank,
            fused_score=round(hit.score, 6),
            bm25=round(hit.bm25, 4),
            claim_cosine=round(hit.claim_cosine, 4),
            title_cosine=None if hit.title_cosine is None else round(hit.title_cosine, 4),
        )
        out.append(item)
    return out


class WorkPool:
    """A bounded thread pool with a bounded queue and a per-call time limit."""

    def __init__(self, workers: int, queue: int, timeout_s: float) -> None:
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self.timeout_s = timeout_s
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._inflight = 0

    @property
    def inflight(self) -> int:
        return self._inflight

    def executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="newsaudit")
            return self._executor

    def _release(self, _future: Any) -> None:
        with self._lock:
            self._inflight -= 1

    async def run(self, fn: Any, *args: Any) -> Any:
        with self._lock:
            if self._inflight >= self.capacity:
                raise _error(503, "server busy: too many requests in progress, retry later", **{"Retry-After": "1"})
            self._inflight += 1
        try:
            future = self.executor().submit(fn, *args)
        except RuntimeError as exc:  # executor shut down
            self._release(None)
            raise _error(503, "server is shutting down") from exc
        future.add_done_callback(self._release)  # a timed-out thread still holds its slot
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout_s)
        except (TimeoutError, asyncio.TimeoutError) as exc:
            raise _error(504, f"analysis took longer than {self.timeout_s:g} s and was abandoned") from exc

    def shutdown(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None


# ------------------------------------------------------------------ URLs


def host_allowed(host: str, allow_hosts: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    for pattern in allow_hosts:
        pattern = pattern.lower().rstrip(".")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]):
                return True
        elif host == pattern:
            return True
    return False


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global and not address.is_multicast


def _public_address(host: str, port: int) -> str:
    """The address to connect to for ``host``; 403 unless every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise _error(502, f"cannot resolve {host!r}: {exc}") from exc
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not _is_public(address):
            raise _error(403, f"refusing to fetch {host!r}: it resolves to a non-public address ({address})")
        addresses.append(address)
    if not addresses:
        raise _error(502, f"cannot resolve {host!r}")
    return str(addresses[0])


def fetch_url(url: str, settings: ServiceSettings) -> str:
    """Fetch an allow-listed, public URL (following at most 3 redirects, each checked).

    The connection goes to the address that was checked (the Host header and
    TLS SNI keep the name), so a second DNS answer cannot point it elsewhere.
    """
    import httpx

    if not settings.allow_hosts:
        raise _error(403, "this server does not fetch URLs (start it with --allow-host HOST); send the body or the HTML")
    for _hop in range(4):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _error(422, f"not an http(s) URL: {url!r}")
        if parts.username or parts.password:
            raise _error(422, "URLs with credentials are not fetched")
        host = parts.hostname
        if not host_allowed(host, settings.allow_hosts):
            raise _error(403, f"host {host!r} is not on this server's allow-list")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = _public_address(host, port)
        netloc = (f"[{ip}]" if ":" in ip else ip) + (f":{parts.port}" if parts.port else "")
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        headers = {"User-Agent": f"newsaudit/{__version__}", "Host": parts.netloc}
        try:
            with httpx.Client(timeout=settings.fetch_timeout_s, follow_redirects=False, trust_env=False) as client:
                with client.stream("GET", pinned, headers=headers, extensions={"sni_hostname": host}) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        url = urljoin(url, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise _error(502, f"fetching {url} failed: HTTP {resp.status_code}")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > settings.max_fetch_bytes:
                            raise _error(502, f"fetched page is larger than {settings.max_fetch_bytes} bytes")
                        chunks.append(chunk)
                    return b"".join(chunks).decode(resp.encoding or "utf-8", errors="replace")
        except httpx.HTTPError as exc:
            raise _error(502, f"fetching {url} failed: {type(exc).__name__}: {exc}") from exc
    raise _error(502, "too many redirects")


# ------------------------------------------------------------------ input


def _decode(data: bytes) -> str:
    if not data.strip():
        raise _error(422, "empty body: send JSON {\"headline\": ..., \"body\": ...} or an HTML document")
    if b"\x00" in data[:65536]:
        raise _error(415, "binary upload: send UTF-8 text, JSON or an HTML document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(415, f"binary upload: the body is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        parts.append(f"{where}: {err.get('msg')}")
    return "invalid request: " + "; ".join(parts)


def article_from_json(text: str, settings: ServiceSettings) -> Article:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(422, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    if not isinstance(data, dict):
        raise _error(422, "invalid request: the JSON body must be an object like {\"headline\": ..., \"body\": ...}")
    try:
        req = AnalyzeRequest.model_validate(data)
    except ValidationError as exc:
        raise _error(422, _validation_message(exc)) from exc
    meta = {k: v for k, v in {"date": req.date, "outlet": req.outlet, "id": req.id, "url": req.url}.items() if v}
    if req.body is not None:
        if not req.body.strip():
            raise _error(422, "empty body: the 'body' field holds no text")
        return Article(body=req.body.strip(), headline=req.headline.strip(), **meta)
    if req.html is not None:
        article = load_html(req.html, url=req.url, id=req.id)
    elif req.url:
        article = load_html(fetch_url(req.url, settings), url=req.url, id=req.id)
    else:
        raise _error(422, "invalid request: give 'body' (and 'headline'), or 'html', or an allow-listed 'url'")
    return replace(article, **{k: v for k, v in meta.items() if k in ("date", "outlet")})


async def article_from_request(request: Request, settings: ServiceSettings) -> Article:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data = await request.body()
    url = request.query_params.get("url") or None
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await _article_from_form(request, settings)
    text = _decode(data)  # 422 if empty, 415 if binary
    if ctype in ("", "application/json") or ctype.endswith("+json"):
        if ctype or text.lstrip().startswith(("{", "[")):
            return article_from_json(text, settings)
    if ctype in ("text/html", "application/xhtml+xml") or looks_like_html(text):
        return load_html(text, url=url)
    if ctype in ("", "text/plain", "application/octet-stream"):
        return load_text(text)
    raise _error(415, f"unsupported content type {ctype!r}: send application/json, text/html or text/plain")


async def _article_from_form(request: Request, settings: ServiceSettings) -> Article:
    form = await request.form()
    upload = form.get("file")
    if upload is not None and hasattr(upload, "read"):
        data = await upload.read()
        text = _decode(data)
        name = (getattr(upload, "filename", "") or "").lower()
        if name.endswith((".html", ".htm", ".xhtml")) or looks_like_html(text):
            return load_html(text, url=str(form.get("url") or "") or None)
        return load_text(text)
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    return article_from_json(json.dumps(fields), settings)


# ------------------------------------------------------------------ app


_ANALYZE_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AnalyzeRequest.model_json_schema()},
            "text/html": {"schema": {"type": "string", "description": "A whole HTML page"}},
            "text/plain": {"schema": {"type": "string", "description": "Article text (first line: headline)"}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
            },
        },
    }
}

_FACTCHECK_OPENAPI = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": FactCheckRequest.model_json_schema()}}}
}


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The web service; run it with uvicorn, or test it with ``TestClient(create_app(...))``."""
    settings = settings or ServiceSettings()
    pool = WorkPool(settings.workers, settings.queue, settings.timeout_s)
    state: dict[str, Any] = {"model_loaded": False}

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if settings.preload:
            from ..pipeline import build_pipeline

            await asyncio.get_running_loop().run_in_executor(pool.executor(), build_pipeline, settings.analyze)
            state["model_loaded"] = True
        yield
        pool.shutdown()

    app = FastAPI(
        title="newsaudit",
        version=__version__,
        description="Explainable news auditing: attributions, sources, relay chains, headline check, "
        "framing signals, propaganda techniques and fact-check matching, with character offsets.",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.state.settings = settings
    app.state.pool = pool

    def require_token(request: Request) -> None:
        if not settings.token:
            return
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
            raise _error(401, "missing or wrong bearer token", **{"WWW-Authenticate": "Bearer"})

    @app.get("/v1/health", summary="Liveness and load")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "model_loaded": state["model_loaded"],
            "workers": pool.workers,
            "in_progress": pool.inflight,
            "capacity": pool.capacity,
            "auth": bool(settings.token),
            "fetch_allowed_hosts": list(settings.allow_hosts),
            "factcheck": bool(settings.analyze.factcheck_db),
        }

    @app.post(
        "/v1/analyze",
        summary="Analyse one article; returns the JSON report of `newsaudit analyze`",
        dependencies=[Depends(require_token)],
        openapi_extra=_ANALYZE_OPENAPI,
    )
    async def analyze_endpoint(request: Request) -> JSONResponse:
        try:
            article = await article_from_request(request, settings)
        except NewsauditError as exc:
            raise _error(_status_for(exc), str(exc)) from exc
        if not article.text.strip():
            raise _error(422, "empty body: no article text found")
        try:
            report = await pool.run(run_analysis, article, settings.analyze)
        except NewsauditError as exc:
            raise _error(_status_for(exc), str(exc)) from exc
        state["model_loaded"] = True
        return JSONResponse(report.to_dict())

    @app.post(
        "/v1/factcheck/search",
        summary="Search the fact-check store for reviews of a claim",
        dependencies=[Depends(require_token)],
        openapi_extra=_FACTCHECK_OPENAPI,
    )
    async def factcheck_search(request: Request) -> JSONResponse:
        text = _decode(await request.body())
        try:
            req = FactCheckRequest.model_validate(json.loads(text))
        except json.JSONDecodeError as exc:
            raise _error(422, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
        except ValidationError as exc:
            raise _error(422, _validation_message(exc)) from exc
        db = settings.analyze.factcheck_db
        if not db:
            raise _error(503, "no fact-check store configured (start the server with --db PATH)")
        if not Path(db).exists():
            raise _error(503, f"fact-check store not found: {db}")
        try:
            hits = await pool.run(run_factcheck_search, db, req.query, req.top)
        except NewsauditError as exc:
            raise _error(_status_for(exc), str(exc)) from exc
        return JSONResponse({"query": req.query, "matches": hits})

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


__all__ = [
    "AnalyzeRequest",
    "BodyLimitMiddleware",
    "ServiceSettings",
    "create_app",
    "fetch_url",
    "host_allowed",
    "run_analysis",
]
