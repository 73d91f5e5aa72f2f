"""Service errors, and the request-body limits: its size and the time it may take to arrive.

:class:`ServiceError` is an HTTP error that does not need FastAPI: the
analysis workers (:mod:`newsaudit.service.work`) raise it, the application
turns it into ``{"detail": "<one line>"}`` with its status.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any


class ServiceError(Exception):
    """An HTTP error response: status, a one-line detail, extra headers."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail, headers)
        self.status = status
        self.detail = one_line(detail)
        self.headers = headers or None

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"


def one_line(message: str, limit: int = 1000) -> str:
    """``message`` as one line of valid Unicode (lone surrogates replaced), at most ``limit`` characters."""
    text = " ".join(str(message).split())
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate cannot be sent as UTF-8
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.detail = f"request body too large: the limit is {limit} bytes"


class BodyTimeout(Exception):
    def __init__(self, limit: float) -> None:
        super().__init__(limit)
        self.detail = f"request body not received within {limit:g} s"


class BodyLimitMiddleware:
    """Refuse bodies over ``max_bytes`` (``413``): from Content-Length, then while reading; and
    bodies that take longer than ``timeout_s`` to arrive, counted from the first read (``408``,
    and the connection is closed), so a client sending a byte a second cannot hold a connection."""

    def __init__(self, app: Any, max_bytes: int, timeout_s: float | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_large = int(length) > self.max_bytes
            except ValueError:
                await send_json(send, 400, "invalid Content-Length header")
                return
            if too_large:
                await send_json(send, 413, BodyTooLarge(self.max_bytes).detail)
                return
        body = _LimitedBody(receive, self.max_bytes, self.timeout_s)
        started = False

        async def tracking_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, body.receive, tracking_send)
        except BodyTooLarge as exc:
            if not started:
                await send_json(send, 413, exc.detail)
        except BodyTimeout as exc:
            if not started:
                await send_json(send, 408, exc.detail, {"Connection": "close"})


class _LimitedBody:
    """An ASGI ``receive`` that counts the body's bytes and its time (from the first read to its last part)."""

    def __init__(self, receive: Any, max_bytes: int, timeout_s: float | None) -> None:
        self._receive = receive
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s
        self.received = 0
        self.deadline: float | None = None
        self.done = False

    async def receive(self) -> dict:
        if self.timeout_s and not self.done:  # after the body: waiting for a disconnect is not limited
            self.deadline = self.deadline or time.monotonic() + self.timeout_s
            try:
                message = await asyncio.wait_for(self._receive(), max(0.0, self.deadline - time.monotonic()))
            except TimeoutError:
                raise BodyTimeout(self.timeout_s) from None
        else:
            message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.done = not message.get("more_body", False)
            if self.received > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
        return message


async def send_json(send: Any, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    """Send ``{"detail": message}`` as a whole response from ASGI middleware."""
    body = json.dumps({"detail": one_line(message)}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
