"""``newsaudit batch`` and ``newsaudit stats``: thin wrappers over
:func:`newsaudit.corpus.batch.run_batch` and :func:`newsaudit.corpus.stats.write_stats`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..options import DEFAULT_ARTICLE_TIMEOUT
from . import EXIT_ROWS_FAILED
from .options import (
    AnyLanguage,
    DateField,
    Db,
    IdField,
    Model,
    OutletField,
    Techniques,
    TechniquesPeak,
    TextField,
    TitleField,
    UrlField,
    analysis_options,
)

if TYPE_CHECKING:
    from ..corpus.batch import BatchResult
    from ..corpus.options import BatchOptions

app = typer.Typer(help="Batch analysis to Parquet, and the corpus view over its output.", rich_markup_mode=None)


@app.command("batch")
def batch_cli(
    input: Annotated[str, typer.Argument(help="A JSONL/CSV/TSV/Parquet dataset, or a folder of .txt/.html files.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output Parquet file (one row per input row).")],
    workers: Annotated[int, typer.Option(help="Worker processes (or local Dask workers); the model loads once per worker.")] = 1,
    engine: Annotated[str, typer.Option(help="'local' (processes here) or 'dask'.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); none with --engine dask: a local cluster.")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip rows already in OUT (or its .parts folder) and go on.")] = False,
    chunk_size: Annotated[int, typer.Option(help="Rows per task and per Parquet part.")] = 64,
    article_timeout: Annotated[
        float,
        typer.Option(help="Seconds one article may take (local engine); past it, its worker process is killed and "
                          "the article becomes an error row. 0: no limit."),
    ] = DEFAULT_ARTICLE_TIMEOUT,
    id_field: IdField = None,
    title_field: TitleField = None,
    text_field: TextField = None,
    date_field: DateField = None,
    url_field: UrlField = None,
    outlet_field: OutletField = None,
    model: Model = None,
    techniques: Techniques = False,
    techniques_peak: TechniquesPeak = None,
    db: Db = None,
    any_language: AnyLanguage = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar (rate, ETA) on stderr.")] = True,
) -> None:
    """Analyse every row of INPUT into one Parquet file: counts, headline verdict, the full JSON report, or the row's error.

    Exit 1 when the output holds error rows."""
    from ..corpus.batch import BatchOptions, run_batch
    from ..load import FieldMap

    opts = BatchOptions(
        input=input,
        out=out,
        fields=FieldMap.from_flags(id=id_field, title=title_field, text=text_field, date=date_field, url=url_field,
                                   outlet=outlet_field),
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        resume=resume,
        chunk_size=chunk_size,
        article_timeout=article_timeout or None,
        analyze=analysis_options(model=model, techniques=techniques, techniques_peak=techniques_peak, db=db,
                                 any_language=any_language),
    )
    result = _with_progress(opts) if progress else run_batch(opts)
    typer.echo(
        f"wrote {result.out}: {result.rows} rows ({result.new_rows} new, {result.skipped_rows} already done, "
        f"{result.errors} errors) in {result.seconds:.1f} s"
    )
    if result.output_errors:
        _list_failed_rows(result.out, result.output_errors, result.rows)
        raise typer.Exit(EXIT_ROWS_FAILED)


#: Failed rows that `batch` lists at the end (the rest are counted; all are in the output).
SHOWN_FAILED_ROWS = 20


def _list_failed_rows(out: str, errors: int, rows: int) -> None:
    """The rows of the output that failed, as ``analyze`` lists them: row, id and error."""
    from ..corpus.batch import failed_rows
    from ..corpus.reports import failure_lines

    lines = failure_lines(failed_rows(out, SHOWN_FAILED_ROWS), rows)
    lines[0] = f"{errors} of {rows} rows could not be analysed (their error rows are in {out}):"
    if errors > SHOWN_FAILED_ROWS:
        lines.append(f"  ... and {errors - SHOWN_FAILED_ROWS} more (status = 'error' in {out})")
    typer.echo("\n".join(lines))


def _with_progress(opts: BatchOptions) -> BatchResult:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from ..corpus.batch import run_batch

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("analysing", total=None, rate="")

        def update(done: int, total: int | None) -> None:
            elapsed = bar.tasks[task].elapsed or 0.0
            rate = f"{done / elapsed:.1f} art/s" if elapsed > 0 and done else ""
            bar.update(task, completed=done, total=total, rate=rate)

        return run_batch(opts, progress=update)


@app.command("stats")
def stats_cli(
    path: Annotated[str, typer.Argument(help="A Parquet file written by `newsaudit batch`.")],
    html: Annotated[str | None, typer.Option(
        "--html", help="Write a self-contained HTML page with plots here (instead of printing the text tables).")] = None,
    top: Annotated[int, typer.Option(help="How many of the most cited sources to list.")] = 20,
    json_out: Annotated[bool, typer.Option("--json", help="Print the tables as JSON instead of text.")] = False,
    trails: Annotated[str | None, typer.Option(
        "--trails", help="A TRAIL.parquet of `newsaudit trail`: add how often trails lose their attribution, and "
                         "which outlets drop it.")] = None,
) -> None:
    """Corpus view (DuckDB): signals and techniques per outlet and month, dropped attributions, most cited sources."""
    import json

    from ..corpus.stats import StatsOptions, write_stats

    stats, text = write_stats(StatsOptions(path=path, html=html, top=top, trails=trails))
    if json_out:
        typer.echo(json.dumps(stats, indent=2, default=str))
    elif not html:
        typer.echo(text)
    if html:
        typer.echo(f"wrote {html} ({stats['overview']['articles']} articles)")
