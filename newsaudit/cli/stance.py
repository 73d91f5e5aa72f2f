"""``newsaudit stance ...``: a thin wrapper over :func:`newsaudit.eval.stance.train_stance_files`."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(name="stance", help="Headline-body stance (FNC-1): train the model.", no_args_is_help=True,
                  rich_markup_mode=None)


@app.command("train")
def train_cli(
    bodies: Annotated[str, typer.Option("--bodies", help="FNC-1 bodies CSV (Body ID, articleBody).")],
    stances: Annotated[str, typer.Option("--stances", help="FNC-1 stances CSV (Headline, Body ID, Stance).")],
    out: Annotated[str, typer.Option("--out", help="Model folder to write (config.json, vocab.tsv, net.npz, net.json).")],
    split: Annotated[str, typer.Option(
        "--split", help="train (the default: the dev split's bodies held out, as the shipped model) or all.")] = "train",
    model: Annotated[str | None, typer.Option(
        "--model", help="spaCy pipeline name or path (default: the installed English model).")] = None,
) -> None:
    """Train the stance model on FNC-1 files and write it to --out (reproduces the shipped model)."""
    from ..eval.stance import StanceTrainOptions, train_stance_files

    summary = train_stance_files(StanceTrainOptions(bodies=bodies, stances=stances, out=out, split=split, spacy_model=model))
    typer.echo(summary.as_text())
