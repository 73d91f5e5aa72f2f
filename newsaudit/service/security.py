"""Security headers, the bearer token, and the guard on fetching a client's URL.

Nothing here imports FastAPI: :func:`fetch_url` runs inside the analysis
workers (:mod:`newsaudit.service.pool`).
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from .limits import ServiceError, send_json

# ------------------------------------------------------------------ headers

#: The page (``/``) loads its script, style sheet and data from this server
#: only, runs no inline script, and may not be framed (it has a token field).
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: The API documentation pages (Swagger UI and ReDoc run an inline start-up
#: script) may not be framed either.
DOCS_CSP = "frame-ancestors 'none'"
PAGE_PATHS = ("/", "/index.html")
DOCS_PATHS = ("/docs", "/redoc")


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response to ``path`` carries."""
    headers = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
    if path in PAGE_PATHS:
        headers += [(b"content-security-policy", PAGE_CSP.encode()), (b"x-frame-options", b"DENY")]
    elif path in DOCS_PATHS:
        headers += [(b"content-security-policy", DOCS_CSP.encode()), (b"x-frame-options", b"DENY")]
    return headers


class SecurityHeadersMiddleware:
    """Add :func:`security_headers` to every response, errors and static files included.

    It is the outermost middleware the application adds, so responses of the
    body limit (413) get them too; an exception that escapes the application
    becomes a 500 ``{"detail": ...}`` with the same headers (and is re-raised
    for the server's log).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("path", ""))
        started = False

        async def send_with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name.lower() for name, _ in message.get("headers", [])}
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if not started:
                await send_json(send_with_headers, 500, "internal server error")
            raise


# ------------------------------------------------------------------ token


def token_ok(authorization: str, token: str | None) -> bool:
    """True when no token is configured, or ``authorization`` is ``Bearer <token>``."""
    if not token:
        return True
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


# ------------------------------------------------------------------ URLs


@dataclass(frozen=True)
class FetchPolicy:
    """What the server may fetch for a client (the fields of ServiceSettings with these names)."""

    allow_hosts: tuple[str, ...] = ()
    max_fetch_bytes: int = 5_000_000
    fetch_timeout_s: float = 10.0


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
        raise ServiceError(502, f"cannot resolve {host!r}: {exc}") from exc
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not _is_public(address):
            raise ServiceError(403, f"refusing to fetch {host!r}: it resolves to a non-public address ({address})")
        addresses.append(address)
    if not addresses:
        raise ServiceError(502, f"cannot resolve {host!r}")
    return str(addresses[0])


def check_url(url: str, policy: Any) -> tuple[SplitResult, str, int]:
    """(parts, host, port) of an http(s) URL whose host is allow-listed; 403 or 422 otherwise (no DNS yet)."""
    if not policy.allow_hosts:
        raise ServiceError(403, "this server does not fetch URLs (start it with --allow-host HOST); send the body or the HTML")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a bad IPv6 literal, a port out of range
        raise ServiceError(422, f"not a valid URL: {url!r} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServiceError(422, f"not an http(s) URL: {url!r}")
    if parts.username or parts.password:
        raise ServiceError(422, "URLs with credentials are not fetched")
    if not host_allowed(parts.hostname, policy.allow_hosts):
        raise ServiceError(403, f"host {parts.hostname!r} is not on this server's allow-list")
    return parts, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def fetch_url(url: str, policy: Any) -> str:
    """Fetch an allow-listed, public URL (following at most 3 redirects, each checked).

    ``policy`` is a :class:`FetchPolicy` (or the ServiceSettings). The
    connection goes to the address that was checked (the Host header and TLS
    SNI keep the name), so a second DNS answer cannot point it elsewhere.
    """
    import httpx

    from .. import __version__

    for _hop in range(4):
        parts, host, port = check_url(url, policy)
        ip = _public_address(host, port)
        netloc = (f"[{ip}]" if ":" in ip else ip) + (f":{parts.port}" if parts.port else "")
        pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        headers = {"User-Agent": f"newsaudit/{__version__}", "Host": parts.netloc}
        try:
            with httpx.Client(timeout=policy.fetch_timeout_s, follow_redirects=False, trust_env=False) as client:
                with client.stream("GET", pinned, headers=headers, extensions={"sni_hostname": host}) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        url = urljoin(url, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise ServiceError(502, f"fetching {url} failed: HTTP {resp.status_code}")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > policy.max_fetch_bytes:
                            raise ServiceError(502, f"fetched page is larger than {policy.max_fetch_bytes} bytes")
                        chunks.append(chunk)
                    return b"".join(chunks).decode(resp.encoding or "utf-8", errors="replace")
        except httpx.HTTPError as exc:
            raise ServiceError(502, f"fetching {url} failed: {type(exc).__name__}: {exc}") from exc
    raise ServiceError(502, "too many redirects")
