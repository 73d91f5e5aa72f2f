"""``newsaudit factcheck ...``: thin wrappers over :mod:`newsaudit.factcheck.commands`.

The database defaults to ``$NEWSAUDIT_DB``, else
``~/.local/share/newsaudit/factchecks.db``; every command takes ``--db PATH``.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, overload

import typer

from . import EXIT_ROWS_FAILED

app = typer.Typer(name="factcheck", help="Fact-check memory: import ClaimReview/CSV, search, rank.", no_args_is_help=True,
                  rich_markup_mode=None)

StoreDb = Annotated[str | None, typer.Option("--db", help=(
    "Fact-check database (SQLite file). Default: $NEWSAUDIT_DB, else ~/.local/share/newsaudit/factchecks.db."))]
Queries = Annotated[str, typer.Option("--queries", help="id<TAB>text per line (a header line is allowed).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@overload
def _col(value: str) -> str | int: ...
@overload
def _col(value: None) -> None: ...
@overload
def _col(value: str | None) -> str | int | None: ...
def _col(value: str | None) -> str | int | None:
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value


@app.command("import")
def import_cli(
    file: Annotated[str, typer.Argument(help="ClaimReview JSON/JSON-LD/JSONL, Fact Check Tools API JSON, or CSV/TSV.")],
    db: StoreDb = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="json or csv (default: from the extension/content).")] = None,
    id_col: Annotated[str | None, typer.Option("--id-col", help="CSV: id column (name or 0-based index).")] = None,
    claim_col: Annotated[str, typer.Option("--claim-col", help="CSV: claim text column (name or 0-based index).")] = "claim",
    title_col: Annotated[str | None, typer.Option("--title-col", help="CSV: review title column.")] = None,
    verdict_col: Annotated[str | None, typer.Option("--verdict-col", help="CSV: verdict/rating column.")] = None,
    url_col: Annotated[str | None, typer.Option("--url-col", help="CSV: review URL column.")] = None,
    publisher_col: Annotated[str | None, typer.Option("--publisher-col", help="CSV: publisher column.")] = None,
    date_col: Annotated[str | None, typer.Option("--date-col", help="CSV: review date column.")] = None,
    delimiter: Annotated[str | None, typer.Option(
        "--delimiter", help="CSV: field separator ('tab' or a character); default: tab for .tsv, else sniffed.")] = None,
    encoder: Annotated[str | None, typer.Option(
        "--encoder", help="minilm (default) or hashing-DIM (no model; tests and timing).")] = None,
    no_embed: Annotated[bool, typer.Option("--no-embed", help="Skip embeddings (lexical search only).")] = False,
    show_problems: Annotated[int, typer.Option("--show-problems", help="How many skipped records to list.")] = 10,
) -> None:
    """Import fact-check reviews; re-importing adds nothing twice (key: review URL, else id).

    Exit 1 when malformed records were skipped (each is listed)."""
    from ..factcheck.commands import ImportOptions, import_reviews
    from ..factcheck.importers import ColumnMapping

    delim = "\t" if delimiter in ("tab", "\\t") else delimiter
    mapping = ColumnMapping(claim=_col(claim_col), id=_col(id_col), title=_col(title_col), verdict=_col(verdict_col),
                            url=_col(url_col), publisher=_col(publisher_col), date=_col(date_col), delimiter=delim)
    result = import_reviews(ImportOptions(file=file, db=db, format=fmt, mapping=mapping, encoder=encoder,
                                          embed=not no_embed))
    for where, reason in result.problems[:show_problems]:
        typer.echo(f"skipped {where}: {reason}", err=True)
    if len(result.problems) > show_problems:
        typer.echo(f"... and {len(result.problems) - show_problems} more skipped", err=True)
    typer.echo(f"{result.summary()} ({result.seconds:.1f} s)")
    if result.problems:
        raise typer.Exit(EXIT_ROWS_FAILED)


@app.command("search")
def search_cli(
    text: Annotated[str, typer.Argument(help="The claim to look up.")],
    db: StoreDb = None,
    top: Annotated[int, typer.Option("--top", help="How many reviews to show.")] = 5,
    as_json: AsJson = False,
) -> None:
    """Find fact-check reviews of a claim (BM25 + embeddings, fused).

    --json prints {"query", "matches"}: the body of POST /v1/factcheck/search."""
    from ..factcheck.commands import SearchOptions, search_reviews
    from ..factcheck.search import hits_json, verdict_words

    hits = search_reviews(SearchOptions(text=text, db=db, top=top))
    if as_json:
        typer.echo(json.dumps(hits_json(text, hits), ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no matching reviews")
    for h in hits:
        r = h.review
        typer.echo(f"{h.rank}. [{verdict_words(r)}] {r.claim}")
        typer.echo(f"   id={r.review_id} similarity={h.similarity:.3f} bm25={h.bm25:.2f} fused={h.score:.4f}"
                   f"{' publisher=' + r.publisher if r.publisher else ''}{' date=' + r.date if r.date else ''}")
        if r.url:
            typer.echo(f"   {r.url}")


@app.command("rank")
def rank_cli(
    queries: Queries,
    db: StoreDb = None,
    top: Annotated[int, typer.Option("--top", help="Reviews per query.")] = 5,
    fmt: Annotated[str, typer.Option("--format", help="trec (qid Q0 docid rank score newsaudit) or tsv.")] = "trec",
    out: Annotated[str | None, typer.Option("--out", help="Write the run here instead of stdout.")] = None,
) -> None:
    """Rank the reviews for every query of a file; prints a TREC run."""
    from ..factcheck.clef import trec_lines
    from ..factcheck.commands import RankOptions, rank

    if fmt not in ("trec", "tsv"):
        raise typer.BadParameter("--format must be trec or tsv")
    run = rank(RankOptions(queries=queries, db=db, top=top))
    if fmt == "trec":
        lines = list(trec_lines(run))
    else:
        lines = [f"{qid}\t{docid}\t{score:.6f}" for qid, docs in run.items() for docid, score in docs]
    text = "\n".join(lines) + ("\n" if lines else "")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
