"""Security headers and the bearer token.

The guard on fetching a client's URL is :class:`newsaudit.load.fetch.FetchPolicy`
(``public_only``, an allow-list): the one fetcher, run inside the analysis workers.
"""

from __future__ import annotations

import hmac
from typing import Any

from .limits import send_json

# ------------------------------------------------------------------ headers

#: The page (``/``) loads its script, style sheet and data from this server
#: only, runs no inline script, and may not be framed (it has a token field).
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: The API documentation pages (Swagger UI and ReDoc run an inline start-up
#: script) may not be framed either, and load images from this server only.
DOCS_CSP = "frame-ancestors 'none'; img-src 'self' data:"
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
