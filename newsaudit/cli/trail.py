"""``newsaudit trail``: a thin typer wrapper over :func:`newsaudit.corpus.trail.run_trail`
(``newsaudit eval trail`` is in :mod:`newsaudit.cli.eval`)."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="Claim trails: the same statement across a corpus of batch outputs.", rich_markup_mode=None)


@app.command("trail")
def trail_cli(
    inputs: Annotated[list[str], typer.Argument(help="One or more Parquet files written by `newsaudit batch`.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output TRAIL.parquet (one row per trail and article statement).")],
    html: Annotated[str | None, typer.Option("--html", help="Also write a self-contained HTML view of the trails here.")] = None,
    threshold: Annotated[float, typer.Option(help="Cosine similarity at which two statements are the same statement.")] = 0.8,
    cohesion: Annotated[float, typer.Option(
        help="Two groups join only when the average cosine between their statements reaches this (average "
             "linkage: less chaining); a negative value turns it off.")] = 0.8,
    engine: Annotated[str, typer.Option(help="Where statements are embedded: 'local' (this process) or 'dask'.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); none with --engine dask: a local cluster.")
    ] = None,
    workers: Annotated[int, typer.Option(
        help="Embedding threads in this process (each runs whole batches); with --engine dask and no --scheduler: "
             "local Dask workers.")] = 2,
    factcheck_db: Annotated[
        str | None, typer.Option("--factcheck-db", help="A fact-check store: match every statement against it (else the "
                                                         "claims' matches of batch --db are used).")
    ] = None,
    factcheck_threshold: Annotated[
        float | None,
        typer.Option(help="Statements with the same best fact-check match join from this cosine; a negative value turns it off."),
    ] = 0.4,
    factcheck_min_similarity: Annotated[float, typer.Option(
        help="With --factcheck-db: a statement's best match counts from this cosine.")] = 0.5,
    headline_threshold: Annotated[float, typer.Option(help="Cosine at which a headline states a statement.")] = 0.6,
    min_words: Annotated[int, typer.Option(help="Leave out statements with fewer words.")] = 5,
    min_outlets: Annotated[int, typer.Option(
        help="Keep only trails spanning at least this many outlets (2: no outlet's own boilerplate).")] = 1,
    ignore_sources: Annotated[bool, typer.Option(
        "--ignore-sources", help="Let the same words credited to different named sources join one trail.")] = False,
    prefilter: Annotated[
        bool, typer.Option("--prefilter/--no-prefilter",
                           help="Above --prefilter-above distinct texts, embed only statements that share enough words "
                                "with another article's (MinHash; saves most of the embedding).")
    ] = True,
    prefilter_above: Annotated[
        int, typer.Option(help="Use the prefilter only above this many distinct statement texts (0: always).")
    ] = 50_000,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse and update the embedding cache beside each input.")] = True,
    html_trails: Annotated[int, typer.Option(help="How many trails the HTML view shows.")] = 200,
    encoder: Annotated[str | None, typer.Option(help="Sentence encoder: minilm (default) or hashing-DIM (no model; tests).")] = None,
) -> None:
    """Group the statements of batch outputs into trails: who said it first, who relayed it, where the attribution got lost."""
    from ..corpus.trail import TrailOptions, run_trail

    result = run_trail(TrailOptions(
        inputs=tuple(inputs), out=out, html=html, threshold=threshold, cohesion=None if cohesion < 0 else cohesion,
        engine=engine, scheduler=scheduler, workers=workers, factcheck_db=factcheck_db,
        factcheck_min_similarity=factcheck_min_similarity,
        factcheck_threshold=None if factcheck_threshold is not None and factcheck_threshold < 0 else factcheck_threshold,
        headline_threshold=headline_threshold, min_words=min_words, min_outlets=min_outlets, use_sources=not ignore_sources, cache=cache,
        html_trails=html_trails, encoder=encoder, prefilter=prefilter,
        prefilter_above=prefilter_above,
    ))
    for warning in result.warnings:
        typer.echo(f"newsaudit: warning: {warning}", err=True)
    typer.echo(
        f"wrote {result.out}: {result.trails} trails ({result.trail_rows} rows, {result.losing_trails} lose their attribution, "
        f"{result.denied_trails} denied by some article) "
        f"from {result.articles} articles, {result.statements} statements ({result.distinct} distinct texts"
        + (f", {result.candidates} kept by the lexical prefilter" if result.candidates < result.distinct else "")
        + f"); skipped {result.errors} error rows; "
        f"embedded {result.embedded} texts ({result.cached} cached) in {result.seconds:.1f} s ("
        + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in result.timings.items()) + ")"
    )
    if html:
        typer.echo(f"wrote {html}")

