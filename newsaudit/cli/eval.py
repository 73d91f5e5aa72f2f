"""``newsaudit eval ...``: every evaluation, thin wrappers over :mod:`newsaudit.eval` (and, for the
cross-validations, which train, :mod:`newsaudit.train`); the gate is :mod:`newsaudit.gate`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..gate import GateOptions
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

if TYPE_CHECKING:
    from ..eval.polnear import EvalResult

app = typer.Typer(name="eval", help="Evaluate every model on its public benchmark, and run the evaluation gate.",
                  no_args_is_help=True,
                  rich_markup_mode=None)

SpacyModel = Annotated[str | None, typer.Option(
    "--model", help="spaCy pipeline name or path (default: the installed English model).")]



def render_table(result: EvalResult) -> object:
    """The scores as a rich table (one row per system and measure)."""
    from rich.table import Table

    from ..eval.polnear import MEASURES, STRICT_SHOWN

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
    for system, strict in result.strict.items():  # partial credit has no tp/fp/fn counts
        for measure in STRICT_SHOWN:
            p, r, f = strict.prf(measure)
            table.add_row(system, f"strict {measure}", f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", "", "", "")
    return table


@app.command("attribution")
def attribution_cli(
    directory: Annotated[Path, typer.Argument(
        help="A PolNeAR split folder with text/ and attributions/ (e.g. ../shared/data/polnear/dev).")],
    pred: Annotated[Path | None, typer.Option(
        "--pred", help="Write predictions here as JSONL (one line per article).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Evaluate only the first N articles (sorted by name).")] = None,
    baseline: Annotated[bool, typer.Option(
        "--baseline/--no-baseline", help="Also score the plain quote+say-verb baseline.")] = True,
    model: Annotated[str | None, typer.Option(
        "--model", help="spaCy pipeline name or path (default: the installed English model).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON instead of a table.")] = False,
) -> None:
    """Score attribution extraction (content exact/overlap, source, cue, and the strict measures
    partial/jaccard/exact/source/cue: P/R/F1) on a PolNeAR split."""
    from rich.console import Console

    from ..eval.polnear import AttributionEvalOptions, evaluate

    result = evaluate(
        AttributionEvalOptions(directory=str(directory), pred=str(pred) if pred else None, limit=limit, baseline=baseline, model=model)
    )
    console = Console()
    if json_out:
        import json

        console.print_json(json.dumps(result.to_dict()))
    else:
        console.print(render_table(result))


@app.command("sources")
def sources_cli(
    polnear: Annotated[Path, typer.Option(
        "--polnear", help="The PolNeAR split folder the entity layer is made over (e.g. ../shared/data/polnear/dev).")],
    entities: Annotated[Path, typer.Option(
        "--entities", help="The entity layer folder: pick.json and one NAME.json per article "
                           "(e.g. ../shared/data/polnear-entities/dev).")],
    limit: Annotated[int | None, typer.Option("--limit", help="Evaluate only the first N articles (sorted by name).")] = None,
    model: SpacyModel = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score source entities against an entity layer over PolNeAR: mention recall, B3 of the source partition,
    pronoun accuracy, role and identity accuracy, reported sources per gold entity."""
    from ..eval.sources import SourceEvalOptions, evaluate_sources

    result = evaluate_sources(SourceEvalOptions(polnear=str(polnear), entities=str(entities), limit=limit, model=model))
    typer.echo(json.dumps(result.to_dict(), indent=2) if json_out else result.as_text())


@app.command("gate")
def gate_cli(
    data: Annotated[str, typer.Option("--data", help="The corpora folder.")] = "../shared/data",
    floors: Annotated[str, typer.Option("--floors", help="The floors file pinned in the repository.")] = "eval-floors.json",
    cache_dir: Annotated[str, typer.Option("--cache-dir", help="Reusable artefacts between runs (the CLEF store).")]
    = "build/eval-gate",
    only: Annotated[list[str] | None, typer.Option("--only", help="Run only this check (repeatable).")] = None,
    pin: Annotated[bool, typer.Option("--pin", help="Write the floors from this run (score minus 0.005).")] = False,
    allow_lower: Annotated[str | None, typer.Option(
        "--allow-lower", help="With --pin: the reason for lowering a floor (else a lower floor is refused).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", help="Checks run at once, each in its own process.")] = GateOptions.jobs,
) -> None:
    """Run every evaluation whose data is present and compare each score with its pinned floor.

    Exit 1 when a score is below its floor or a corpus changed since pinning."""
    from ..gate import run_gate
    from . import EXIT_ROWS_FAILED

    result = run_gate(GateOptions(data=data, floors=floors, cache_dir=cache_dir, only=tuple(only or ()), pin=pin,
                                  allow_lower=allow_lower, jobs=jobs))
    for line in result.lines():
        typer.echo(line)
    if not result.ok and not result.pinned:
        raise typer.Exit(EXIT_ROWS_FAILED)


@app.command("stance")
def stance_cli(
    bodies: Annotated[str, typer.Option("--bodies", help="FNC-1 bodies CSV (Body ID, articleBody).")],
    stances: Annotated[str, typer.Option(
        "--stances", help="FNC-1 stances CSV (Headline, Body ID, and Stance to be scored).")],
    pred: Annotated[str | None, typer.Option(
        "--pred", help="Write Headline,Body ID,Stance here: one row per input row, in input order.")] = None,
    split: Annotated[str, typer.Option(
        "--split", help="all (every row, the default), dev or train: one side of the dev split by Body ID "
                        "(20% of the bodies file's ids, seed 2017).")] = "all",
    baseline: Annotated[bool, typer.Option(
        "--baseline", help="Also score the TF-IDF cosine baseline (related pairs called discuss), its threshold "
                           "tuned on the train side (with --split dev).")] = False,
    model_dir: Annotated[str | None, typer.Option(
        "--model-dir", help="Stance model folder (default: the shipped one).")] = None,
    model: SpacyModel = None,
) -> None:
    """Score headline-body stance (FNC-1): relative FNC-1 score, macro-F1, per-class F1, confusion matrix."""
    from ..eval.stance import StanceEvalOptions, evaluate_stance

    result = evaluate_stance(StanceEvalOptions(bodies=bodies, stances=stances, pred=pred, split=split,
                                               model_dir=model_dir, spacy_model=model, baseline=baseline))
    typer.echo(result.as_text())


@app.command("checkworthy")
def checkworthy_cli(
    file: Annotated[str, typer.Argument(help="CLEF 2019 CSV (line_number, speaker, text, label, file_name).")],
    pred: Annotated[str | None, typer.Option(
        "--pred", help="Write file_name<TAB>line_number<TAB>score per evaluated row (no header).")] = None,
    cv: Annotated[bool, typer.Option(
        "--cv", help="Leave-one-debate-out cross-validation of the shipped recipe instead of the model as it is.")] = False,
    held_out: Annotated[bool, typer.Option(
        "--held-out", help="Train on all debates but the gate's four held-out ones, score those four.")] = False,
    baseline: Annotated[bool, typer.Option(
        "--baseline", help="Also score the word 1-2-gram TF-IDF logistic regression on the same folds "
                           "(with --cv or --held-out).")] = False,
    model_dir: Annotated[str | None, typer.Option(
        "--model-dir", help="Check-worthiness model folder (default: the shipped one).")] = None,
    model: SpacyModel = None,
) -> None:
    """Score check-worthiness ranking (CLEF 2019 CheckThat! Task 1): MAP, R-precision, P@5, P@10."""
    from ..errors import EvalError
    from ..eval.checkworthy import CheckworthyEvalOptions
    from ..train.checkworthy_cv import cross_validate_file

    if cv and held_out:
        raise EvalError("give --cv or --held-out, not both")
    mode = "cv" if cv else "held-out" if held_out else "score"
    result = cross_validate_file(CheckworthyEvalOptions(file=file, pred=pred, mode=mode, baseline=baseline,
                                                         model_dir=model_dir, spacy_model=model))
    typer.echo(result.as_text())


@app.command("trail")
def trail_cli(
    data: Annotated[str, typer.Option("--data", help="The clef2020-task2 folder.")] = "../shared/data/clef2020-task2",
    split: Annotated[str, typer.Option("--split", help="dev or train.")] = "dev",
    threshold: Annotated[float | None, typer.Option(help="Similarity threshold (default: the one tuned on train).")] = None,
    cohesion: Annotated[float | None, typer.Option(help="Cohesion of joined groups (default: tuned on train).")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="Fact-check store with the CLEF verified claims (`newsaudit eval clef` builds it); "
                     "none: group by meaning alone.")] = None,
    factcheck_threshold: Annotated[float | None, typer.Option(
        help="With --db: the fact-check join threshold (default: tuned on train).")] = None,
    factcheck_min_similarity: Annotated[float | None, typer.Option(
        help="With --db: a statement's best match counts from this cosine (default: tuned on train).")] = None,
    work: Annotated[str, typer.Option(
        help="Folder for the batch outputs, embedding caches and trail files (reused while the tweets and the installed "
                     "newsaudit are unchanged).")] = ".newsaudit/trail-eval",
    sweep: Annotated[bool, typer.Option("--sweep", help="Score thresholds 0.40-0.90 instead of one (tune on train).")] = False,
    ceiling: Annotated[bool, typer.Option(
        "--ceiling", help="Instead: the best F1 one cosine threshold over whole tweets reaches, chosen on the split "
                          "itself (a reference point for grouping by the encoder's similarity, not a result).")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Pairwise precision/recall/F1 of claim trails on CLEF 2020 Task 2 tweets: two tweets about the same verified
    claim should share a trail."""
    import json

    from ..eval.trail import TrailEvalOptions, ceiling_text, cosine_ceiling, evaluate_trails, scores_text
    from ..eval.trail import sweep as run_sweep

    opts = TrailEvalOptions(data=data, split=split, threshold=threshold, cohesion=cohesion, db=db,
                            factcheck_threshold=factcheck_threshold, factcheck_min_similarity=factcheck_min_similarity,
                            work=work)
    if ceiling:
        bound = cosine_ceiling(opts)
        typer.echo(json.dumps(bound.to_dict(), indent=2) if json_out else ceiling_text(bound, split))
        return
    if sweep:
        grid = [round(0.40 + 0.05 * i, 2) for i in range(11)]
        fcs: list[float | None] | None = [round(0.2 + 0.05 * i, 2) for i in range(7)] if db else None
        scores = run_sweep(opts, grid, fcs)
    else:
        scores = [evaluate_trails(opts)]
    typer.echo(json.dumps([s.to_dict() for s in scores], indent=2) if json_out else scores_text(scores, split, bool(db)))


@app.command("techniques")
def techniques_cli(
    data: PtcData,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds (split by article).")] = TechniquesTrainOptions.folds,
    n_layers: NLayers = TechniquesTrainOptions.n_layers,
    epochs: Epochs = TechniquesTrainOptions.epochs,
    threshold: Threshold = TechniquesTrainOptions.threshold,
    peak: Peak = TechniquesTrainOptions.peak,
    seed: Seed = TechniquesTrainOptions.seed,
    quantize: Quantize = TechniquesTrainOptions.quantize,
    tc_c: TcC = TechniquesTrainOptions.tc_c,
    members: Members = ",".join(TechniquesTrainOptions.members),
    fine_tune_epochs: FineTuneEpochs = TechniquesTrainOptions.fine_tune_epochs,
    fine_tune_lr: FineTuneLr = TechniquesTrainOptions.fine_tune_lr,
    limit: Limit = None,
    cache_dir: CacheDir = None,
    jobs: Annotated[int, typer.Option("--jobs", help="Folds run at once, each in its own process.")] = TechniquesTrainOptions.jobs,
    as_json: Annotated[bool, typer.Option("--json", help="Print every score as JSON.")] = False,
    probs_out: Annotated[str | None, typer.Option(
        "--probs-out", help="Also write the held-out token probabilities (one row per span tagger) and token offsets "
                            "to this .npz file.")] = None,
) -> None:
    """Cross-validate the propaganda-techniques recipe by article (PTC): SI F1 (the official partial-overlap
    measure) and TC micro-F1."""
    from ..train.techniques_cv import cross_validate, cv_lines

    opts = TechniquesTrainOptions(data=data, folds=folds, n_layers=n_layers, epochs=epochs, threshold=threshold, peak=peak,
                                  seed=seed, limit=limit, cache_dir=cache_dir, members=parse_members(members),
                                  quantize=quantize, tc_c=tc_c, fine_tune_epochs=fine_tune_epochs, fine_tune_lr=fine_tune_lr,
                                  jobs=jobs, probs_out=probs_out)
    res = cross_validate(opts)
    typer.echo(json.dumps(res, indent=2) if as_json else "\n".join(cv_lines(res)))


@app.command("techniques-probs")
def techniques_probs_cli(
    files: Annotated[list[str], typer.Argument(help="Token-probability files written by 'eval techniques --probs-out'.")],
    data: PtcData,
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
    for key, sc in res["si_by_threshold"].items():
        typer.echo(f"SI  threshold/peak {key}: F1 {sc['f1']:.4f}  P {sc['precision']:.4f}  R {sc['recall']:.4f}  "
                   f"({sc['n_pred']} spans)")


@app.command("techniques-predict")
def techniques_predict_cli(
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
    """Write the techniques model's predictions for a folder of articles in SemEval-2020 Task 11's formats:
    spans (SI) or the technique of given spans (TC), for the official scorer."""
    from ..eval.ptc import PredictOptions, predict, write_output

    text = predict(PredictOptions(articles=articles, format=format, spans=spans, model_dir=model_dir, out=out, peak=peak))
    if out:
        write_output(text, out)
        typer.echo(f"wrote {out}")
    else:
        typer.echo(text, nl=False)


StoreDb = Annotated[str | None, typer.Option("--db", help=(
    "Fact-check database (SQLite file). Default: $NEWSAUDIT_DB, else ~/.local/share/newsaudit/factchecks.db."))]


def _scores_line(data: Mapping[str, object]) -> str:
    return "  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in data.items())


@app.command("factcheck")
def factcheck_cli(
    queries: Annotated[str, typer.Option("--queries", help="id<TAB>text queries file.")],
    qrels: Annotated[str, typer.Option("--qrels", help="qrels file: qid 0 docid relevance.")],
    db: StoreDb = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Rank the queries against a fact-check store and print MAP@1, MAP@3, MAP@5, MRR (CLEF 2020 Task 2 style)."""
    from ..eval.retrieval import RetrievalEvalOptions, evaluate_retrieval

    data = evaluate_retrieval(RetrievalEvalOptions(queries=queries, qrels=qrels, db=db)).to_dict()
    typer.echo(json.dumps(data) if as_json else _scores_line(data))


@app.command("clef")
def clef_cli(
    data: Annotated[str, typer.Argument(help="The clef2020-task2 folder.")] = "../shared/data/clef2020-task2",
    split: Annotated[str, typer.Option("--split", help="dev or train.")] = "dev",
    db: Annotated[str, typer.Option("--db", help="Database to fill (once) and search.")] = ".newsaudit/clef.db",
) -> None:
    """Fact-check retrieval on CLEF 2020 Task 2: import the verified claims (if not yet) and evaluate a split."""
    from pathlib import Path

    from ..eval.retrieval import RetrievalEvalOptions, evaluate_retrieval
    from ..factcheck.commands import ImportOptions, import_reviews
    from ..factcheck.importers import ColumnMapping

    root = Path(data)
    result = import_reviews(ImportOptions(file=str(root / "verified_claims.docs.tsv"), db=db,
                                          mapping=ColumnMapping(id=0, claim="vclaim", title="title")))
    typer.echo(result.summary())
    scores = evaluate_retrieval(RetrievalEvalOptions(queries=str(root / split / "tweets.queries.tsv"),
                                  qrels=str(root / split / "tweet-vclaim-pairs.qrels"), db=db))
    typer.echo(_scores_line(scores.to_dict()))


@app.command("emergent")
def emergent_cli(
    file: Annotated[str, typer.Argument(help="Emergent CSV (articleId, claimId, claimHeadline, articleHeadline, and "
                                             "articleHeadlineStance to be scored).")],
    pred: Annotated[str | None, typer.Option(
        "--pred", help="Write articleId,stance,trail here: one row per input row, in input order.")] = None,
    cv: Annotated[bool, typer.Option(
        "--cv", help="Claim-grouped 5-fold cross-validation: each fold scored by a model fitted on the other claims, "
                     "its headlines grouped with settings chosen on the other folds (for Emergent train, the "
                     "shipped model's training data).")] = False,
    model_dir: Annotated[str | None, typer.Option(
        "--model-dir", help="Modality model folder (default: the shipped one).")] = None,
    threshold: Annotated[float | None, typer.Option(
        help="Headline grouping threshold (default: the setting chosen on Emergent train).")] = None,
    cohesion: Annotated[float | None, typer.Option(
        help="Headline grouping cohesion (default: the setting chosen on Emergent train; negative: off).")] = None,
    cache: Annotated[str, typer.Option(
        help="Where the headlines' embedding cache is kept (beside this path).")] = ".newsaudit/emergent",
    encoder: Annotated[str | None, typer.Option(
        help="Sentence encoder of the grouping (default: the trail's, all-MiniLM-L6-v2; hashing-256 for quick "
             "tests).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Headline modality and claim trails on Emergent: stance accuracy, macro-F1 and confusion matrix (for /
    observing / against), and pairwise precision/recall/F1 of the headlines grouped alone (the code of `newsaudit
    trail`, without claimId) against claimId."""
    from ..eval.emergent import EmergentEvalOptions, evaluate_emergent, report_text, trained_on

    folds_text = ""
    if cv:
        from ..train.modality import cross_validate_file

        folds = cross_validate_file(file, cache, encoder, pred)
        result, folds_text = folds.result, folds.as_text()
    else:
        result = evaluate_emergent(EmergentEvalOptions(file=file, pred=pred, model=model_dir, threshold=threshold,
                                                       cohesion=cohesion, cache=cache, encoder=encoder))
        if trained_on(file, model_dir):
            typer.echo("newsaudit: warning: this file is the model's training data, so these stances are in-sample; "
                       "--cv scores each claim by a model that never saw it", err=True)
    if json_out:
        typer.echo(json.dumps({"mode": result.mode, **result.scores()}, indent=2))
    else:
        typer.echo(report_text(result, file) + (f"\n{folds_text}" if folds_text else ""))
    if pred:
        typer.echo(f"wrote {result.rows} predictions to {pred}", err=True)
