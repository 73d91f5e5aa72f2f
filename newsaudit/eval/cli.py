"""``newsaudit eval ...`` commands (mounted by the top-level CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .polnear import MEASURES, EvalOptions, EvalResult, build_cue_lexicon, evaluate

app = typer.Typer(help="Evaluate newsaudit against annotated corpora.", no_args_is_help=True)


def render_table(result: EvalResult) -> "object":
    from rich.table import Table

    table = Table(title=f"PolNeAR attribution: {result.articles} articles, {result.gold} gold attributions")
    table.add_column("system")
    table.add_column("measure")
    for col in ("P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="right")
    for system, scores in result.scores.items():
        for measure in MEASURES:
            s = scores[measure]
            table.add_row(
                system, measure, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn)
            )
    return table


@app.command("attribution")
def attribution_command(
    directory: Path = typer.Argument(..., help="A PolNeAR split folder with text/ and attributions/ (e.g. ../shared/data/polnear/dev)."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Write predictions here as JSONL (one line per article)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Evaluate only the first N articles (sorted by name)."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Also score the plain quote+say-verb baseline."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name or path (default: the installed English model)."),
    json_out: bool = typer.Option(False, "--json", help="Print the scores as JSON instead of a table."),
) -> None:
    """Score attribution extraction (content exact/overlap, source, cue: P/R/F1) on a PolNeAR split."""
    from rich.console import Console

    result = evaluate(
        EvalOptions(directory=str(directory), pred=str(pred) if pred else None, limit=limit, baseline=baseline, model=model)
    )
    console = Console()
    if json_out:
        import json

        console.print_json(json.dumps(result.to_dict()))
    else:
        console.print(render_table(result))


@app.command("build-cues")
def build_cues_command(
    train_dir: Path = typer.Argument(..., help="The PolNeAR train split folder."),
    out: Path = typer.Option(Path("newsaudit/data/lexicons/cue_learned_polnear.tsv"), "--out", help="Where to write the learned cue table."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N articles."),
    min_count: int = typer.Option(3, "--min-count", help="Keep lemmas marked as a cue at least this often."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name or path."),
) -> None:
    """Rebuild the learned cue lexicon from PolNeAR train (verb lemma counts inside gold cues)."""
    from rich.console import Console

    n = build_cue_lexicon(train_dir, out, model=model, limit=limit, min_count=min_count)
    Console().print(f"wrote {n} lemmas to {out}")


@app.command("build-rules")
def build_rules_command(
    train_dir: Path = typer.Argument(..., help="The PolNeAR train split folder."),
    out: Path = typer.Option(Path("newsaudit/data/lexicons/attribution_rules_polnear.tsv"), "--out", help="Where to write the rule table."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use only the first N articles."),
    min_ratio: float = typer.Option(0.2, "--min-ratio", help="Learned cue lemmas kept while measuring (cue ratio at least this)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline name or path."),
) -> None:
    """Rebuild the (cue lemma, rule) precision table used to filter weak rules (needs the cue lexicon first)."""
    from rich.console import Console

    from .polnear import build_rule_filter

    n = build_rule_filter(train_dir, out, model=model, limit=limit, min_ratio=min_ratio)
    Console().print(f"wrote {n} (lemma, rule) rows to {out}")
