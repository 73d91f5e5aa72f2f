"""``newsaudit train ...``: one command per trained model, thin wrappers over :mod:`newsaudit.train`.

Each command reproduces its shipped model folder with the defaults (the model
cards say how); the lexicon builders rebuild the PolNeAR-derived tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..train.techniques import TechniquesTrainOptions, parse_members
from .options import (
    CacheDir,
    Epochs,
    FineTuneEpochs,
    FineTuneLr,
    Limit,
    Members,
    NLayers,
    Peak,
    PtcData,
    Quantize,
    Seed,
    TcC,
    Threshold,
)

app = typer.Typer(name="train", help="Train the models (attribution, stance, check-worthiness, techniques, modality) "
                                     "and rebuild the lexicons learned from PolNeAR.", no_args_is_help=True,
                  rich_markup_mode=None)

SpacyModel = Annotated[str | None, typer.Option(
    "--model", help="spaCy pipeline name or path (default: the installed English model).")]
TrainDir = Annotated[Path, typer.Argument(help="The PolNeAR train split folder.")]


def _log(msg: str) -> None:
    typer.echo(msg, err=True)


@app.command("attribution")
def attribution_cli(
    data: Annotated[str, typer.Option("--data", help="PolNeAR train split folder (text/ and attributions/).")],
    out: Annotated[str, typer.Option("--out", help="Model folder to write (config.json, vocab.json, weights.npz).")],
    limit: Annotated[int | None, typer.Option(
        "--limit", help="Train on the first N annotated articles only (quick checks; the shipped model uses all).")] = None,
    annotators: Annotated[str, typer.Option(
        "--annotators", help="all (every annotator's relations, each weighted 1/k: the shipped model) or first.")] = "all",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (the shipped model: 13).")] = 13,
    model: SpacyModel = None,
) -> None:
    """Train the attribution model on PolNeAR and write it to --out (with the defaults on all of
    ../shared/data/polnear/train, reproduces the shipped model)."""
    from ..train.attribution import AttributionTrainOptions, train_attribution

    options = AttributionTrainOptions(data=data, out=out, limit=limit, annotators=annotators, seed=seed, spacy_model=model)
    typer.echo(train_attribution(options, log=_log).as_text())


@app.command("stance")
def stance_cli(
    bodies: Annotated[str, typer.Option("--bodies", help="FNC-1 bodies CSV (Body ID, articleBody).")],
    stances: Annotated[str, typer.Option("--stances", help="FNC-1 stances CSV (Headline, Body ID, Stance).")],
    out: Annotated[str, typer.Option("--out", help="Model folder to write (config.json, vocab.tsv, net.npz, net.json).")],
    split: Annotated[str, typer.Option(
        "--split", help="train (the default: the dev split's bodies held out, as the shipped model) or all.")] = "train",
    model: SpacyModel = None,
) -> None:
    """Train the stance model on FNC-1 files and write it to --out (reproduces the shipped model)."""
    from ..train.stance import StanceTrainOptions, train_stance_files

    typer.echo(train_stance_files(StanceTrainOptions(bodies=bodies, stances=stances, out=out, split=split,
                                                     spacy_model=model)).as_text())


@app.command("checkworthy")
def checkworthy_cli(
    file: Annotated[str, typer.Argument(help="CLEF 2019 CSV (line_number, speaker, text, label, file_name).")],
    out: Annotated[str, typer.Option("--out", help="Model folder to write (config.json, vocab.tsv, net.npz, net.json).")],
    held_out: Annotated[bool, typer.Option(
        "--held-out", help="Leave out the gate's four held-out debates (the shipped model trains on all 19).")] = False,
    table_from: Annotated[str | None, typer.Option(
        "--table-from", metavar="DIR",
        help="Reuse the word-piece table of this model folder instead of distilling MiniLM again (same table, "
             "no torch, about 40 s less).")] = None,
    model: SpacyModel = None,
) -> None:
    """Train the check-worthiness model on a CLEF file and write it to --out (reproduces the shipped model)."""
    from ..train.checkworthy_cv import CheckworthyTrainOptions, train_checkworthy_file

    typer.echo(train_checkworthy_file(CheckworthyTrainOptions(file=file, out=out, held_out=held_out,
                                                              spacy_model=model, table_from=table_from)).as_text())


MEMBERS = ",".join(TechniquesTrainOptions.members)


@app.command("techniques")
def techniques_cli(
    data: PtcData,
    out: Annotated[str, typer.Option("--out", help="Model directory to write (config.json + safetensors heads).")],
    n_layers: NLayers = TechniquesTrainOptions.n_layers,
    epochs: Epochs = TechniquesTrainOptions.epochs,
    threshold: Threshold = TechniquesTrainOptions.threshold,
    peak: Peak = TechniquesTrainOptions.peak,
    seed: Seed = TechniquesTrainOptions.seed,
    quantize: Quantize = TechniquesTrainOptions.quantize,
    tc_c: TcC = TechniquesTrainOptions.tc_c,
    members: Members = MEMBERS,
    fine_tune_epochs: FineTuneEpochs = TechniquesTrainOptions.fine_tune_epochs,
    fine_tune_lr: FineTuneLr = TechniquesTrainOptions.fine_tune_lr,
    limit: Limit = None,
    cache_dir: CacheDir = None,
) -> None:
    """Train the propaganda-techniques model on the PTC corpus and write it to --out (reproduces the shipped model)."""
    from ..train.techniques import train_model

    opts = TechniquesTrainOptions(data=data, out=out, n_layers=n_layers, epochs=epochs, threshold=threshold, peak=peak,
                                  seed=seed, limit=limit, cache_dir=cache_dir, members=parse_members(members),
                                  quantize=quantize, tc_c=tc_c, fine_tune_epochs=fine_tune_epochs, fine_tune_lr=fine_tune_lr)
    model = train_model(opts)
    typer.echo(f"wrote {out} ({model.cfg.training['articles']} articles, {model.cfg.training['seconds']} s)")


@app.command("cues")
def cues_cli(
    train_dir: TrainDir,
    out: Annotated[Path, typer.Option(
        "--out", help="Where to write the learned cue table.")] = Path("newsaudit/data/lexicons/cue_learned_polnear.tsv"),
    limit: Limit = None,
    min_count: Annotated[int, typer.Option("--min-count", help="Keep lemmas marked as a cue at least this often.")] = 3,
    model: SpacyModel = None,
) -> None:
    """Rebuild the learned cue lexicon from PolNeAR train (verb lemma counts inside gold cues)."""
    from ..train.lexicons import build_cue_lexicon

    n = build_cue_lexicon(train_dir, out, model=model, limit=limit, min_count=min_count)
    typer.echo(f"wrote {n} lemmas to {out}")


@app.command("first-names")
def first_names_cli(
    out: Annotated[Path, typer.Option(
        "--out", help="Where to write the list.")] = Path("newsaudit/data/lexicons/first_names.tsv"),
    min_count: Annotated[int, typer.Option("--min-count", help="Keep names borne at least this often in the sources.")] = 100,
) -> None:
    """Rebuild the first-name gender list from the installed nomquamgender package (the `names` extra)."""
    from ..errors import EvalError
    from ..train.first_names import write_first_names

    try:
        n = write_first_names(out, min_count=min_count)
    except FileNotFoundError as exc:
        raise EvalError(str(exc)) from None
    typer.echo(f"wrote {n} names to {out}")


@app.command("rules")
def rules_cli(
    train_dir: TrainDir,
    out: Annotated[Path, typer.Option(
        "--out", help="Where to write the rule table.")] = Path("newsaudit/data/lexicons/attribution_rules_polnear.tsv"),
    limit: Limit = None,
    min_ratio: Annotated[float, typer.Option(
        "--min-ratio", help="Learned cue lemmas kept while measuring (cue ratio at least this).")] = 0.2,
    model: SpacyModel = None,
) -> None:
    """Rebuild the (cue lemma, rule) precision table used to filter weak rules (needs the cue lexicon first)."""
    from ..train.lexicons import build_rule_filter

    n = build_rule_filter(train_dir, out, model=model, limit=limit, min_ratio=min_ratio)
    typer.echo(f"wrote {n} (lemma, rule) rows to {out}")


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
    """Train the modality model (asserted / reported / denied) on Emergent train and write it to --out; the shipped
    model is `newsaudit train modality ../shared/data/emergent/train.csv --out newsaudit/data/modality/model`."""
    from ..eval.emergent import report_text
    from ..train.modality import ModalityTrainOptions, train_modality

    summary = train_modality(ModalityTrainOptions(file=file, out=out, cv=cv, pred=pred, cache=cache))
    if summary.result is not None:
        typer.echo(report_text(summary.result, file))
        typer.echo(summary.folds_text)
    if out:
        typer.echo(f"wrote the model to {out} ({summary.rows} headlines, {summary.claims} claims)")
