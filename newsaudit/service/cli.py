"""``newsaudit serve``: run the web service and page with uvicorn."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..options import TECHNIQUES_PEAK_HELP

if TYPE_CHECKING:
    from .app import ServiceSettings

#: Same as newsaudit.service.app.TOKEN_ENV (not imported: --help stays fast).
TOKEN_ENV = "NEWSAUDIT_TOKEN"

app = typer.Typer(help="The newsaudit web service and web page.", no_args_is_help=False)


def serve(settings: "ServiceSettings") -> None:
    """Run the service until interrupted (plain-Python entry point of ``newsaudit serve``)."""
    import uvicorn

    from .app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        # uvicorn's own guard against slow clients; the body limit is ours.
        timeout_keep_alive=5,
        limit_concurrency=max(64, 4 * (settings.workers + settings.queue)),
    )


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[
        Optional[str],
        typer.Option(help=f"Require 'Authorization: Bearer TOKEN' on the API (default: ${TOKEN_ENV}; none: no auth)."),
    ] = None,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes (413 beyond it).")] = 2_000_000,
    timeout: Annotated[
        float,
        typer.Option(help="Per-request time limit in seconds, queueing included: beyond it, 504 and the worker "
                     "running the request is killed and replaced."),
    ] = 30.0,
    workers: Annotated[int, typer.Option(help="Analysis worker processes (each loads the model, ~400 MB).")] = 2,
    queue: Annotated[int, typer.Option(help="Requests that may wait for a worker (503 beyond it).")] = 64,
    max_worker_rss: Annotated[
        float, typer.Option(help="Replace a worker that has grown past this many MB after a request (0: never).")
    ] = 1500.0,
    allow_host: Annotated[
        Optional[list[str]],
        typer.Option(
            "--allow-host",
            help="Host the server may fetch a client's 'url' from (repeatable; '*.example.org' for subdomains). "
            "Default: never fetch. Private and loopback addresses are refused anyway.",
        ),
    ] = None,
    db: Annotated[Optional[str], typer.Option(help="Fact-check store for matching and /v1/factcheck/search.")] = None,
    model: Annotated[Optional[str], typer.Option(help="spaCy pipeline name or path.")] = None,
    techniques: Annotated[bool, typer.Option(help="Also run the propaganda-techniques model.")] = False,
    techniques_peak: Annotated[Optional[float], typer.Option(help=TECHNIQUES_PEAK_HELP)] = None,
    any_language: Annotated[
        bool,
        typer.Option("--any-language", help="Analyse text not detected as English (a request may also ask, "
                     "with \"any_language\": true)."),
    ] = False,
) -> None:
    """Serve POST /v1/analyze, GET /v1/health, POST /v1/factcheck/search, the page at / and the docs at /docs."""
    from ..options import AnalyzeOptions
    from .app import ServiceSettings

    settings = ServiceSettings(
        host=host,
        port=port,
        token=token or os.environ.get(TOKEN_ENV) or None,
        max_body_bytes=max_body,
        timeout_s=timeout,
        workers=workers,
        queue=queue,
        max_worker_rss_mb=max_worker_rss or None,
        allow_hosts=tuple(allow_host or ()),
        preload=True,
        analyze=AnalyzeOptions.from_env(model=model, techniques=techniques, techniques_peak=techniques_peak,
                                        factcheck_db=db, any_language=any_language or None),
    )
    serve(settings)


if __name__ == "__main__":  # pragma: no cover
    app()
