"""``newsaudit factcheck``: import reviews, search them, rank query files, evaluate runs.

The database defaults to ``$NEWSAUDIT_DB``, else
``~/.local/share/newsaudit/factchecks.db``; every command takes ``--db PATH``.
"""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from .importers import ColumnMapping

app = typer.Typer(help="Fact-check memory: has this claim been checked before?", no_args_is_help=True)

DB_HELP = "Fact-check database (SQLite file). Default: $NEWSAUDIT_DB, else ~/.local/share/newsaudit/factchecks.db."


def _col(value: Optional[str]) -> Optional[str | int]:
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value


@app.command("import")
def import_cmd(
    file: str = typer.Argument(..., help="ClaimReview JSON/JSON-LD/JSONL, Fact Check Tools API JSON, or CSV/TSV."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    fmt: Optional[str] = typer.Option(None, "--format", help="json or csv (default: from the extension/content)."),
    id_col: Optional[str] = typer.Option(None, "--id-col", help="CSV: id column (name or 0-based index)."),
    claim_col: str = typer.Option("claim", "--claim-col", help="CSV: claim text column (name or 0-based index)."),
    title_col: Optional[str] = typer.Option(None, "--title-col", help="CSV: review title column."),
    verdict_col: Optional[str] = typer.Option(None, "--verdict-col", help="CSV: verdict/rating column."),
    url_col: Optional[str] = typer.Option(None, "--url-col", help="CSV: review URL column."),
    publisher_col: Optional[str] = typer.Option(None, "--publisher-col", help="CSV: publisher column."),
    date_col: Optional[str] = typer.Option(None, "--date-col", help="CSV: review date column."),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", help="CSV: field separator ('tab' or a character); default: tab for .tsv, else sniffed."),
    encoder: Optional[str] = typer.Option(None, "--encoder", help="minilm (default) or hashing-DIM (no model; tests and timing)."),
    no_embed: bool = typer.Option(False, "--no-embed", help="Skip embeddings (lexical search only)."),
    show_problems: int = typer.Option(10, "--show-problems", help="How many skipped records to list."),
) -> None:
    """Import fact-check reviews; re-importing adds nothing twice (key: review URL, else id)."""
    from .commands import ImportOptions, import_reviews

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


@app.command("search")
def search_cmd(
    text: str = typer.Argument(..., help="The claim to look up."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    top: int = typer.Option(5, "--top", help="How many reviews to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Find fact-check reviews of a claim (BM25 + embeddings, fused)."""
    from .commands import SearchOptions, search_reviews

    hits = search_reviews(SearchOptions(text=text, db=db, top=top))
    if as_json:
        rows = []
        for h in hits:
            row = h.to_match().to_dict()
            row.update(rank=h.rank, fused=round(h.score, 4), bm25=round(h.bm25, 3),
                       claim_cosine=round(h.claim_cosine, 4),
                       title_cosine=None if h.title_cosine is None else round(h.title_cosine, 4),
                       title=h.review.title)
            rows.append(row)
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no matching reviews")
    for h in hits:
        r = h.review
        verdict = r.verdict or "?"
        if r.normalised_verdict and r.normalised_verdict != (r.verdict or "").lower():
            verdict += f" ({r.normalised_verdict})"
        typer.echo(f"{h.rank}. [{verdict}] {r.claim}")
        typer.echo(f"   id={r.review_id} similarity={h.similarity:.3f} bm25={h.bm25:.2f} fused={h.score:.4f}"
                   f"{' publisher=' + r.publisher if r.publisher else ''}{' date=' + r.date if r.date else ''}")
        if r.url:
            typer.echo(f"   {r.url}")


@app.command("rank")
def rank_cmd(
    queries: str = typer.Option(..., "--queries", help="id<TAB>text per line (a header line is allowed)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    top: int = typer.Option(5, "--top", help="Reviews per query."),
    fmt: str = typer.Option("trec", "--format", help="trec (qid Q0 docid rank score newsaudit) or tsv."),
    out: Optional[str] = typer.Option(None, "--out", help="Write the run here instead of stdout."),
) -> None:
    """Rank the reviews for every query of a file; prints a TREC run."""
    from .clef import trec_lines
    from .commands import RankOptions, rank

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


@app.command("eval")
def eval_cmd(
    queries: str = typer.Option(..., "--queries", help="id<TAB>text queries file."),
    qrels: str = typer.Option(..., "--qrels", help="qrels file: qid 0 docid relevance."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Rank the queries and print MAP@1, MAP@3, MAP@5, MRR (CLEF 2020 Task 2 style)."""
    from .commands import EvalOptions, evaluate

    scores = evaluate(EvalOptions(queries=queries, qrels=qrels, db=db))
    data = scores.to_dict()
    if as_json:
        typer.echo(json.dumps(data))
    else:
        typer.echo("  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in data.items()))


@app.command("clef")
def clef_cmd(
    data: str = typer.Argument("../shared/data/clef2020-task2", help="The clef2020-task2 folder."),
    split: str = typer.Option("dev", "--split", help="dev or train."),
    db: str = typer.Option(".newsaudit/clef.db", "--db", help="Database to fill (once) and search."),
) -> None:
    """Import the CLEF 2020 Task 2 verified claims (if not yet) and evaluate a split."""
    from pathlib import Path

    from .commands import EvalOptions, ImportOptions, evaluate, import_reviews

    root = Path(data)
    result = import_reviews(ImportOptions(file=str(root / "verified_claims.docs.tsv"), db=db,
                                          mapping=ColumnMapping(id=0, claim="vclaim", title="title")))
    typer.echo(result.summary(), err=True)
    scores = evaluate(EvalOptions(queries=str(root / split / "tweets.queries.tsv"),
                                  qrels=str(root / split / "tweet-vclaim-pairs.qrels"), db=db))
    typer.echo("  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in scores.to_dict().items()))


@app.command("bench")
def bench_cmd(
    n: int = typer.Option(1_000_000, "--n", help="Synthetic reviews and vectors."),
    queries: int = typer.Option(1000, "--queries", help="Query vectors for latency and recall."),
    no_store: bool = typer.Option(False, "--no-store", help="Skip the SQLite import part."),
    no_ann: bool = typer.Option(False, "--no-ann", help="Skip the ANN part."),
) -> None:
    """Scale benchmark on synthetic data: import rate, index build, p50/p95 latency, recall@10."""
    from .bench import run_bench

    typer.echo(json.dumps(run_bench(n, queries=queries, store=not no_store, ann=not no_ann), indent=2))


def main() -> None:  # pragma: no cover - for `python -m newsaudit.factcheck.cli`
    from ..errors import NewsauditError

    try:
        app()
    except NewsauditError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(exc.exit_code) from None


if __name__ == "__main__":  # pragma: no cover
    main()
