"""``newsaudit serve``: a thin wrapper over :func:`newsaudit.service.server.serve`."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ..options import TOKEN_ENV
from .options import AnyLanguage, Db, Model, Techniques, TechniquesPeak, analysis_options

app = typer.Typer(help="The newsaudit web service and web page.", rich_markup_mode=None)


@app.command("serve")
def serve_cli(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(help=f"Require 'Authorization: Bearer TOKEN' on the API (default: ${TOKEN_ENV}; none: no auth)."),
    ] = None,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes (413 beyond it).")] = 2_000_000,
    timeout: Annotated[
        float,
        typer.Option(help="Time limit of one analysis in seconds, counted from the moment a warm worker takes the "
                     "request: beyond it, 504 and the worker running it is killed and replaced."),
    ] = 30.0,
    queue_timeout: Annotated[
        float,
        typer.Option(help="How long a request may wait for a free warm worker, in seconds (503 beyond it; it never "
                     "starts)."),
    ] = 60.0,
    body_timeout: Annotated[
        float,
        typer.Option(help="How long a client may take to send its request body, in seconds (408 and the connection "
                     "closed beyond it; 0: no limit)."),
    ] = 20.0,
    workers: Annotated[int, typer.Option(help="Analysis worker processes (each loads the model, ~400 MB).")] = 2,
    queue: Annotated[int, typer.Option(help="Requests that may wait for a worker (503 beyond it).")] = 64,
    max_worker_rss: Annotated[
        float, typer.Option(help="Replace a worker that has grown past this many MB after a request (0: never).")
    ] = 1500.0,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Host the server may fetch a client's 'url' from (repeatable; '*.example.org' for subdomains). "
            "Default: never fetch. Private and loopback addresses are refused anyway.",
        ),
    ] = None,
    db: Db = None,
    model: Model = None,
    techniques: Techniques = False,
    techniques_peak: TechniquesPeak = None,
    any_language: AnyLanguage = False,
) -> None:
    """Serve POST /v1/analyze, GET /v1/health, POST /v1/factcheck/search, the page at / and the docs at /docs.

    --db is also the store /v1/factcheck/search searches; with --any-language every request is analysed whatever its
    language (a request may also ask, with "any_language": true)."""
    from ..service.app import ServiceSettings
    from ..service.server import serve

    settings = ServiceSettings(
        host=host,
        port=port,
        token=token or os.environ.get(TOKEN_ENV) or None,
        max_body_bytes=max_body,
        timeout_s=timeout,
        queue_timeout_s=queue_timeout,
        body_timeout_s=body_timeout,
        workers=workers,
        queue=queue,
        max_worker_rss_mb=max_worker_rss or None,
        allow_hosts=tuple(allow_host or ()),
        preload=True,
        analyze=analysis_options(model=model, techniques=techniques, techniques_peak=techniques_peak, db=db,
                                 any_language=any_language),
    )
    serve(settings)
