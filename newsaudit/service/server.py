"""Run the service with uvicorn (``newsaudit serve``'s library function)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import ServiceSettings

__all__ = ["serve"]


def serve(settings: ServiceSettings) -> None:
    """Run the service until interrupted (plain-Python entry point of ``newsaudit serve``)."""
    import uvicorn

    from .app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        # uvicorn's own guard against idle connections; the body's size and time limits are ours.
        timeout_keep_alive=5,
        server_header=False,  # no "server: uvicorn"
        limit_concurrency=max(64, 4 * (settings.workers + settings.queue)),
    )
