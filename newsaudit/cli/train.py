"""``newsaudit train ...``: thin wrappers over the training recipes of :mod:`newsaudit.train`."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(name="train", help="Train a model: modality (Emergent).", no_args_is_help=True, rich_markup_mode=None)


@app.command("modality")
def modality_cli(
    file: Annotated[str, typer.Argument(help="Emergent train CSV (articleId, claimId, claimHeadline, articleHeadline, "
                                             "articleHeadlineStance).")] = "../shared/data/emergent/train.csv",
    out: Annotated[str | None, typer.Option(
        "--out", help="Model folder to write (config.json, vocab.tsv, weights.npz); none: only cross-validate.")] = None,
    cv: Annotated[bool, typer.Option(
        "--cv/--no-cv", help="Run the claim-grouped 5-fold cross-validation (and record its scores in the model).")] = True,
    pred: Annotated[str | None, typer.Option(
        "--pred", help="Write the cross-validation's articleId,stance,trail here.")] = None,
    cache: Annotated[str, typer.Option(
        help="Where the headlines' embedding cache is kept (beside this path).")] = ".newsaudit/emergent",
) -> None:
    """Train the modality model (asserted / reported / denied) on Emergent train: the shipped model is
    `newsaudit train modality ../shared/data/emergent/train.csv --out newsaudit/data/modality/model`."""
    from pathlib import Path

    from ..eval.emergent import report_text
    from ..train.modality import ModalityTrainOptions, train_modality

    Path(cache).parent.mkdir(parents=True, exist_ok=True)
    summary = train_modality(ModalityTrainOptions(file=file, out=out, cv=cv, pred=pred, cache=cache))
    if "result" in summary:
        typer.echo(report_text(summary["result"], file))
        typer.echo(summary["cv_text"])
    if out:
        typer.echo(f"wrote the model to {out} ({summary['rows']} headlines, {summary['claims']} claims)")
