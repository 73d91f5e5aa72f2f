"""``newsaudit techniques ...``: thin wrappers over :mod:`newsaudit.techniques.train` and
:func:`newsaudit.techniques.api.predict`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from ..techniques.api import PredictOptions, predict, write_output
from ..techniques.train import TrainOptions, parse_extra_encoders, parse_members

app = typer.Typer(name="techniques", help="Propaganda techniques (SemEval-2020 Task 11): train, predict, eval.",
                  no_args_is_help=True, rich_markup_mode=None)

# Options shared by ``train`` and ``eval`` (one definition each; the defaults are TrainOptions').
Data = Annotated[str, typer.Option("--data", help="PTC corpus folder (train-articles/ and the label folders).")]
NLayers = Annotated[int, typer.Option("--n-layers", help="Encoder layers kept (MiniLM has 6; fewer is faster).")]
Epochs = Annotated[int, typer.Option("--epochs", help="Epochs of each span tagger.")]
Threshold = Annotated[float, typer.Option(
    "--threshold", help="Span probability threshold (stored in the model; main SI score).")]
Peak = Annotated[float, typer.Option("--peak", help="Keep a span only if one token reaches this probability (hysteresis).")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed (span tagger i uses seed + i).")]
Quantize = Annotated[bool, typer.Option(
    "--quantize/--no-quantize", help="int8 dynamic quantization of the encoder (faster; the heads learn on its outputs).")]
TcC = Annotated[float, typer.Option("--tc-c", help="Inverse L2 strength of the technique classifier.")]
Members = Annotated[str, typer.Option(
    "--members", help="Span taggers averaged, comma-separated: conv and/or lstm (each trained with its own seed).")]
FineTuneEpochs = Annotated[int, typer.Option(
    "--fine-tune-epochs", help="Epochs of fine-tuning the encoder's layers with a span tagger on top (0: frozen encoder).")]
FineTuneLr = Annotated[float, typer.Option("--fine-tune-lr", help="Learning rate of the encoder's layers while fine-tuning.")]
ExtraEncoders = Annotated[str, typer.Option(
    "--extra-encoders", help="Further encoders fine-tuned from MiniLM, as LR:EPOCHS pairs, comma-separated (none: one "
                             "encoder); each gets its own span taggers and the span probability is their mean.")]
Limit = Annotated[int | None, typer.Option("--limit", help="Use only the first N articles.")]
CacheDir = Annotated[str | None, typer.Option("--cache-dir", help="Encoder cache (default .newsaudit/cache/techniques).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print every score as JSON.")]

_MEMBERS = ",".join(TrainOptions.members)
_EXTRA = ",".join(f"{lr:g}:{ep}" for lr, ep in TrainOptions.extra_encoders) or "none"


@app.command("train")
def train_cli(
    data: Data,
    out: Annotated[str, typer.Option("--out", help="Model directory to write (config.json + safetensors heads).")],
    n_layers: NLayers = TrainOptions.n_layers,
    epochs: Epochs = TrainOptions.epochs,
    threshold: Threshold = TrainOptions.threshold,
    peak: Peak = TrainOptions.peak,
    seed: Seed = TrainOptions.seed,
    quantize: Quantize = TrainOptions.quantize,
    tc_c: TcC = TrainOptions.tc_c,
    members: Members = _MEMBERS,
    fine_tune_epochs: FineTuneEpochs = TrainOptions.fine_tune_epochs,
    fine_tune_lr: FineTuneLr = TrainOptions.fine_tune_lr,
    extra_encoders: ExtraEncoders = _EXTRA,
    limit: Limit = None,
    cache_dir: CacheDir = None,
) -> None:
    """Train the model on the PTC corpus and write it to --out (reproduces the shipped model)."""
    from ..techniques.train import train_model

    opts = TrainOptions(data=data, out=out, n_layers=n_layers, epochs=epochs, threshold=threshold, peak=peak, seed=seed,
                        limit=limit, cache_dir=cache_dir, members=parse_members(members), quantize=quantize, tc_c=tc_c,
                        fine_tune_epochs=fine_tune_epochs, fine_tune_lr=fine_tune_lr,
                        extra_encoders=parse_extra_encoders(extra_encoders))
    model = train_model(opts)
    typer.echo(f"model written to {out} ({model.cfg.training['articles']} articles, {model.cfg.training['seconds']} s)")


@app.command("predict")
def predict_cli(
    articles: Annotated[str, typer.Argument(help="Folder of articleID.txt files.")],
    format: Annotated[str, typer.Option("--format", help="semeval-si, semeval-tc (needs --spans) or jsonl.")] = "semeval-si",
    spans: Annotated[str | None, typer.Option(
        "--spans", help="TC template: articleID<TAB>?<TAB>start<TAB>end lines.")] = None,
    model_dir: Annotated[str | None, typer.Option("--model", help="Model directory (default: the shipped model).")] = None,
    out: Annotated[str | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    peak: Annotated[float | None, typer.Option(
        "--peak", help="Keep a detected span only if one token reaches this probability (default: the model's; "
                       "higher: fewer, surer spans). Not used by semeval-tc.")] = None,
) -> None:
    """Predict technique spans (SI) or the technique of given spans (TC) for a folder of articles."""
    text = predict(PredictOptions(articles=articles, format=format, spans=spans, model_dir=model_dir, out=out, peak=peak))
    if out:
        write_output(text, out)
    else:
        typer.echo(text, nl=False)


@app.command("eval")
def eval_cli(
    data: Data,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds (split by article).")] = TrainOptions.folds,
    n_layers: NLayers = TrainOptions.n_layers,
    epochs: Epochs = TrainOptions.epochs,
    threshold: Threshold = TrainOptions.threshold,
    peak: Peak = TrainOptions.peak,
    seed: Seed = TrainOptions.seed,
    quantize: Quantize = TrainOptions.quantize,
    tc_c: TcC = TrainOptions.tc_c,
    members: Members = _MEMBERS,
    fine_tune_epochs: FineTuneEpochs = TrainOptions.fine_tune_epochs,
    fine_tune_lr: FineTuneLr = TrainOptions.fine_tune_lr,
    extra_encoders: ExtraEncoders = _EXTRA,
    limit: Limit = None,
    cache_dir: CacheDir = None,
    jobs: Annotated[int, typer.Option("--jobs", help="Folds run at once, each in its own process.")] = TrainOptions.jobs,
    as_json: AsJson = False,
    probs_out: Annotated[str | None, typer.Option(
        "--probs-out", help="Also write the held-out token probabilities (one row per span tagger) and token offsets "
                            "to this .npz file.")] = None,
) -> None:
    """Cross-validate by article: SI F1 (official partial-overlap metric) and TC micro-F1."""
    from ..eval.techniques import cross_validate

    opts = TrainOptions(data=data, folds=folds, n_layers=n_layers, epochs=epochs, threshold=threshold, peak=peak, seed=seed,
                        limit=limit, cache_dir=cache_dir, members=parse_members(members), quantize=quantize, tc_c=tc_c,
                        fine_tune_epochs=fine_tune_epochs, fine_tune_lr=fine_tune_lr, jobs=jobs,
                        extra_encoders=parse_extra_encoders(extra_encoders),
                        probs_out=probs_out)
    res = cross_validate(opts)
    typer.echo(json.dumps(res, indent=2) if as_json else "\n".join(eval_lines(res)))


@app.command("eval-probs")
def eval_probs_cli(
    files: Annotated[list[str], typer.Argument(help="Token-probability files written by 'techniques eval --probs-out'.")],
    data: Data,
    thresholds: Annotated[str, typer.Option("--thresholds", help="Span thresholds to score, comma-separated.")] = "0.3,0.35",
    peaks: Annotated[str, typer.Option("--peaks", help="Hysteresis peaks to score, comma-separated.")] = "0.5",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """SI F1 of saved held-out probabilities; several files are averaged (an ensemble of runs, no retraining)."""
    from ..errors import InputError
    from ..eval.techniques import score_token_probs

    try:
        grid = tuple(float(x) for x in thresholds.split(",")), tuple(float(x) for x in peaks.split(","))
    except ValueError:
        raise InputError(f"--thresholds and --peaks take comma-separated numbers (got {thresholds!r}, {peaks!r})") from None
    res = score_token_probs(files, data, *grid)
    if as_json:
        typer.echo(json.dumps(res, indent=2))
        return
    typer.echo(f"articles {res['articles']}, {res['taggers']} span taggers averaged from {len(files)} file(s)")
    for key, s in res["si_by_threshold"].items():
        typer.echo(f"SI  threshold/peak {key}: F1 {s['f1']:.4f}  P {s['precision']:.4f}  R {s['recall']:.4f}  "
                   f"({s['n_pred']} spans)")


def eval_lines(res: dict) -> list[str]:
    """The human-readable form of a :func:`cross_validate` result."""
    si, tc = res["si"], res["tc"]
    by = res["si_by_threshold"]
    threshold = res["si_threshold"][0]
    peaks = [(key.split("/")[1], s) for key, s in by.items() if key.split("/")[0] == str(threshold)]
    lines = [
        f"articles {res['articles']}, {res['folds']}-fold CV by article, encoder layers {res['n_layers']}"
        f"{' (int8)' if res['quantize'] else ''}"
        f"{', fine-tuned {} epochs'.format(res['fine_tune_epochs']) if res.get('fine_tune_epochs') else ''}"
        f"{', extra encoders ' + ','.join(res['extra_encoders']) if res.get('extra_encoders') else ''}"
        f", span taggers {','.join(res['members'])}",
        f"SI  F1 {si['f1']:.4f}  P {si['precision']:.4f}  R {si['recall']:.4f}  (threshold {res['si_threshold']}; "
        f"best {res['si_best_threshold']}: F1 {by['/'.join(map(str, res['si_best_threshold']))]['f1']:.4f})",
        f"    by peak at threshold {threshold} (higher: fewer, surer spans): "
        + ", ".join(f"{p}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}" for p, s in peaks),
        f"TC  micro-F1 {tc['f1']:.4f}  ({tc['n_gold']} spans)",
    ]
    lines += [f"    {name:38s} F1 {s['f1']:.3f}  gold {s['n_gold']}  pred {s['n_pred']}" for name, s in res["tc_per_technique"].items()]
    return lines
