"""``newsaudit checkworthy ...``: a thin wrapper over :func:`newsaudit.eval.checkworthy.train_checkworthy_file`."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(name="checkworthy", help="Check-worthiness (CLEF 2019 CheckThat! Task 1): train the model.",
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("train")
def train_cli(
    file: Annotated[str, typer.Argument(help="CLEF 2019 CSV (line_number, speaker, text, label, file_name).")],
    out: Annotated[str, typer.Option("--out", help="Model folder to write (config.json, vocab.tsv, net.npz, net.json).")],
    held_out: Annotated[bool, typer.Option(
        "--held-out", help="Leave out the gate's four held-out debates (the shipped model trains on all 19).")] = False,
    model: Annotated[str | None, typer.Option(
        "--model", help="spaCy pipeline name or path (default: the installed English model).")] = None,
) -> None:
    """Train the check-worthiness model on a CLEF file and write it to --out (reproduces the shipped model)."""
    from ..eval.checkworthy import CheckworthyTrainOptions, train_checkworthy_file

    summary = train_checkworthy_file(CheckworthyTrainOptions(file=file, out=out, held_out=held_out, spacy_model=model))
    typer.echo(summary.as_text())
