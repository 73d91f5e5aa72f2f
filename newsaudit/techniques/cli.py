"""``newsaudit techniques``: train, predict and evaluate the propaganda-techniques model."""

from __future__ import annotations

import json
from typing import Optional

import typer

from .api import PredictOptions, predict, write_output
from .train import TrainOptions, parse_extra_encoders, parse_members

app = typer.Typer(help="Propaganda techniques (SemEval-2020 Task 11): span identification and technique classification.",
                  no_args_is_help=True)

# Options shared by ``train`` and ``eval`` (one definition each; the defaults are TrainOptions').
_DATA = typer.Option(..., "--data", help="PTC corpus folder (train-articles/ and the label folders).")
_N_LAYERS = typer.Option(TrainOptions.n_layers, "--n-layers", help="Encoder layers kept (MiniLM has 6; fewer is faster).")
_EPOCHS = typer.Option(TrainOptions.epochs, "--epochs", help="Epochs of each span tagger.")
_THRESHOLD = typer.Option(TrainOptions.threshold, "--threshold", help="Span probability threshold (stored in the model; main SI score).")
_PEAK = typer.Option(TrainOptions.peak, "--peak", help="Keep a span only if one token reaches this probability (hysteresis).")
_SEED = typer.Option(TrainOptions.seed, "--seed", help="Random seed (span tagger i uses seed + i).")
_QUANTIZE = typer.Option(TrainOptions.quantize, "--quantize/--no-quantize",
                         help="int8 dynamic quantization of the encoder (faster; the heads learn on its outputs).")
_TC_C = typer.Option(TrainOptions.tc_c, "--tc-c", help="Inverse L2 strength of the technique classifier.")
_MEMBERS = typer.Option(",".join(TrainOptions.members), "--members",
                        help="Span taggers averaged, comma-separated: conv and/or lstm (each trained with its own seed).")
_FT_EPOCHS = typer.Option(TrainOptions.fine_tune_epochs, "--fine-tune-epochs",
                          help="Epochs of fine-tuning the encoder's layers with a span tagger on top (0: frozen encoder).")
_FT_LR = typer.Option(TrainOptions.fine_tune_lr, "--fine-tune-lr", help="Learning rate of the encoder's layers while fine-tuning.")
_EXTRA = typer.Option(",".join(f"{lr:g}:{ep}" for lr, ep in TrainOptions.extra_encoders) or "none", "--extra-encoders",
                      help="Further encoders fine-tuned from MiniLM, as LR:EPOCHS pairs, comma-separated (none: one encoder); "
                           "each gets its own span taggers and the span probability is their mean.")
_LIMIT = typer.Option(None, "--limit", help="Use only the first N articles.")
_CACHE_DIR = typer.Option(None, "--cache-dir", help="Encoder cache (default .newsaudit/cache/techniques).")


@app.command("train")
def train_cmd(
    data: str = _DATA,
    out: str = typer.Option(..., "--out", help="Model directory to write (config.json + safetensors heads)."),
    n_layers: int = _N_LAYERS,
    epochs: int = _EPOCHS,
    threshold: float = _THRESHOLD,
    peak: float = _PEAK,
    seed: int = _SEED,
    quantize: bool = _QUANTIZE,
    tc_c: float = _TC_C,
    members: str = _MEMBERS,
    fine_tune_epochs: int = _FT_EPOCHS,
    fine_tune_lr: float = _FT_LR,
    extra_encoders: str = _EXTRA,
    limit: Optional[int] = _LIMIT,
    cache_dir: Optional[str] = _CACHE_DIR,
) -> None:
    """Train the model on the PTC corpus and write it to --out (reproduces the shipped model)."""
    from .train import train_model

    opts = TrainOptions(data=data, out=out, n_layers=n_layers, epochs=epochs, threshold=threshold, peak=peak, seed=seed,
                        limit=limit, cache_dir=cache_dir, members=parse_members(members), quantize=quantize, tc_c=tc_c,
                        fine_tune_epochs=fine_tune_epochs, fine_tune_lr=fine_tune_lr,
                        extra_encoders=parse_extra_encoders(extra_encoders))
    model = train_model(opts)
    typer.echo(f"model written to {out} ({model.cfg.training['articles']} articles, {model.cfg.training['seconds']} s)")


@app.command("predict")
def predict_cmd(
    articles: str = typer.Argument(..., help="Folder of articleID.txt files."),
    format: str = typer.Option("semeval-si", "--format", help="semeval-si, semeval-tc (needs --spans) or jsonl."),
    spans: Optional[str] = typer.Option(None, "--spans", help="TC template: articleID<TAB>?<TAB>start<TAB>end lines."),
    model_dir: Optional[str] = typer.Option(None, "--model", help="Model directory (default: the shipped model)."),
    out: Optional[str] = typer.Option(None, "--out", help="Write here instead of standard output."),
    peak: Optional[float] = typer.Option(None, "--peak", help="Keep a detected span only if one token reaches this probability "
                                         "(default: the model's; higher: fewer, surer spans). Not used by semeval-tc."),
) -> None:
    """Predict technique spans (SI) or the technique of given spans (TC) for a folder of articles."""
    text = predict(PredictOptions(articles=articles, format=format, spans=spans, model_dir=model_dir, out=out, peak=peak))
    if out:
        write_output(text, out)
    else:
        typer.echo(text, nl=False)


@app.command("eval")
def eval_cmd(
    data: str = _DATA,
    folds: int = typer.Option(TrainOptions.folds, "--folds", help="Cross-validation folds (split by article)."),
    n_layers: int = _N_LAYERS,
    epochs: int = _EPOCHS,
    threshold: float = _THRESHOLD,
    peak: float = _PEAK,
    seed: int = _SEED,
    quantize: bool = _QUANTIZE,
    tc_c: float = _TC_C,
    members: str = _MEMBERS,
    fine_tune_epochs: int = _FT_EPOCHS,
    fine_tune_lr: float = _FT_LR,
    extra_encoders: str = _EXTRA,
    limit: Optional[int] = _LIMIT,
    cache_dir: Optional[str] = _CACHE_DIR,
    jobs: int = typer.Option(TrainOptions.jobs, "--jobs", help="Folds run at once, each in its own process."),
    as_json: bool = typer.Option(False, "--json", help="Print every score as JSON."),
    probs_out: Optional[str] = typer.Option(None, "--probs-out", help="Also write the held-out token probabilities "
                                            "(one row per span tagger) and token offsets to this .npz file."),
) -> None:
    """Cross-validate by article: SI F1 (official partial-overlap metric) and TC micro-F1."""
    from .train import cross_validate

    opts = TrainOptions(data=data, folds=folds, n_layers=n_layers, epochs=epochs, threshold=threshold, peak=peak, seed=seed,
                        limit=limit, cache_dir=cache_dir, members=parse_members(members), quantize=quantize, tc_c=tc_c,
                        fine_tune_epochs=fine_tune_epochs, fine_tune_lr=fine_tune_lr, jobs=jobs,
                        extra_encoders=parse_extra_encoders(extra_encoders),
                        probs_out=probs_out)
    res = cross_validate(opts)
    typer.echo(json.dumps(res, indent=2) if as_json else "\n".join(eval_lines(res)))


@app.command("eval-probs")
def eval_probs_cmd(
    files: list[str] = typer.Argument(..., help="Token-probability files written by 'techniques eval --probs-out'."),
    data: str = _DATA,
    thresholds: str = typer.Option("0.3,0.35", "--thresholds", help="Span thresholds to score, comma-separated."),
    peaks: str = typer.Option("0.5", "--peaks", help="Hysteresis peaks to score, comma-separated."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """SI F1 of saved held-out probabilities; several files are averaged (an ensemble of runs, no retraining)."""
    from ..errors import InputError
    from .train import score_token_probs

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
        typer.echo(f"SI  threshold/peak {key}: F1 {s['f1']:.4f}  P {s['precision']:.4f}  R {s['recall']:.4f}  ({s['n_pred']} spans)")


def eval_lines(res: dict) -> list[str]:
    """The human-readable form of a :func:`cross_validate` result."""
    si, tc = res["si"], res["tc"]
    by = res["si_by_threshold"]
    threshold = res["si_threshold"][0]
    peaks = [(key.split("/")[1], s) for key, s in by.items() if key.split("/")[0] == str(threshold)]
    lines = [
        f"articles {res['articles']}, {res['folds']}-fold CV by article, encoder layers {res['n_layers']}"
        f"{' (int8)' if res['quantize'] else ''}"
        f"{', fine-tuned %d epochs' % res['fine_tune_epochs'] if res.get('fine_tune_epochs') else ''}"
        f"{', extra encoders ' + ','.join(res['extra_encoders']) if res.get('extra_encoders') else ''}, span taggers {','.join(res['members'])}",
        f"SI  F1 {si['f1']:.4f}  P {si['precision']:.4f}  R {si['recall']:.4f}  (threshold {res['si_threshold']}; "
        f"best {res['si_best_threshold']}: F1 {by['/'.join(map(str, res['si_best_threshold']))]['f1']:.4f})",
        f"    by peak at threshold {threshold} (higher: fewer, surer spans): "
        + ", ".join(f"{p}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}" for p, s in peaks),
        f"TC  micro-F1 {tc['f1']:.4f}  ({tc['n_gold']} spans)",
    ]
    lines += [f"    {name:38s} F1 {s['f1']:.3f}  gold {s['n_gold']}  pred {s['n_pred']}" for name, s in res["tc_per_technique"].items()]
    return lines
