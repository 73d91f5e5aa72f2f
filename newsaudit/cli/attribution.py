"""``newsaudit attribution ...``: a thin wrapper over :func:`newsaudit.eval.attribution_train.train_attribution`."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="attribution", help="The learned attribution model (PolNeAR): train it.", no_args_is_help=True, rich_markup_mode=None
)


@app.command("train")
def train_cli(
    data: Annotated[str, typer.Option("--data", help="PolNeAR train split folder (text/ and attributions/).")],
    out: Annotated[str, typer.Option("--out", help="Model folder to write (config.json, vocab.json, weights.npz).")],
    limit: Annotated[
        int | None, typer.Option("--limit", help="Train on the first N annotated articles only (quick checks; the shipped model uses all).")
    ] = None,
    annotators: Annotated[
        str, typer.Option("--annotators", help="all (every annotator's relations, each weighted 1/k: the shipped model) or first.")
    ] = "all",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (the shipped model: 13).")] = 13,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy pipeline name or path (default: the installed English model).")
    ] = None,
) -> None:
    """Train the attribution model on PolNeAR and write it to --out (with the defaults on all of
    ../shared/data/polnear/train, reproduces the shipped model)."""
    from ..eval.attribution_train import AttributionTrainOptions, train_attribution

    options = AttributionTrainOptions(data=data, out=out, limit=limit, annotators=annotators, seed=seed, spacy_model=model)
    summary = train_attribution(options, log=lambda msg: typer.echo(msg, err=True))
    typer.echo(summary.as_text())
