"""``newsaudit eval ...``: thin wrappers over :mod:`newsaudit.eval.polnear` (attribution), :mod:`newsaudit.eval.trail`
(claim trails, CLEF 2020 Task 2),
:mod:`newsaudit.eval.stance` (headline-body stance, FNC-1) and :mod:`newsaudit.eval.checkworthy`
(check-worthiness, CLEF 2019)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ..eval.polnear import EvalResult
    from ..eval.trail import TrailSteps

app = typer.Typer(name="eval", help="Evaluate on real corpora (precision, recall, F1).", no_args_is_help=True,
                  rich_markup_mode=None)

SpacyModel = Annotated[str | None, typer.Option(
    "--model", help="spaCy pipeline name or path (default: the installed English model).")]

EvalModel = Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")]
Limit = Annotated[int | None, typer.Option("--limit", help="Use only the first N articles.")]
TrainDir = Annotated[Path, typer.Argument(help="The PolNeAR train split folder.")]


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


@app.command("build-cues")
def build_cues_cli(
    train_dir: TrainDir,
    out: Annotated[Path, typer.Option(
        "--out", help="Where to write the learned cue table.")] = Path("newsaudit/data/lexicons/cue_learned_polnear.tsv"),
    limit: Limit = None,
    min_count: Annotated[int, typer.Option("--min-count", help="Keep lemmas marked as a cue at least this often.")] = 3,
    model: EvalModel = None,
) -> None:
    """Rebuild the learned cue lexicon from PolNeAR train (verb lemma counts inside gold cues)."""
    from rich.console import Console

    from ..eval.polnear import build_cue_lexicon

    n = build_cue_lexicon(train_dir, out, model=model, limit=limit, min_count=min_count)
    Console().print(f"wrote {n} lemmas to {out}")


@app.command("build-rules")
def build_rules_cli(
    train_dir: TrainDir,
    out: Annotated[Path, typer.Option(
        "--out", help="Where to write the rule table.")] = Path("newsaudit/data/lexicons/attribution_rules_polnear.tsv"),
    limit: Limit = None,
    min_ratio: Annotated[float, typer.Option(
        "--min-ratio", help="Learned cue lemmas kept while measuring (cue ratio at least this).")] = 0.2,
    model: EvalModel = None,
) -> None:
    """Rebuild the (cue lemma, rule) precision table used to filter weak rules (needs the cue lexicon first)."""
    from rich.console import Console

    from ..eval.polnear import build_rule_filter

    n = build_rule_filter(train_dir, out, model=model, limit=limit, min_ratio=min_ratio)
    Console().print(f"wrote {n} (lemma, rule) rows to {out}")


def _trail_steps() -> TrailSteps:
    """The corpus steps ``eval trail`` and the gate's trail check run (``eval`` may not import ``corpus``)."""
    from ..corpus.trail.statements import embed_text
    from ..corpus.trail.steps import batch_step, trail_step
    from ..eval.trail import TrailSteps

    return TrailSteps(batch=batch_step, trail=trail_step, embed_text=embed_text)


def _modality_cv(file: Path, cache: Path) -> dict[str, float]:
    """The gate's Emergent check: claim-grouped cross-validation (``eval`` may not import ``train``)."""
    from ..corpus.trail.texts import text_vectors
    from ..eval.emergent import read_emergent
    from ..train.modality import cross_validate

    rows = read_emergent(file)
    cache.mkdir(parents=True, exist_ok=True)
    return cross_validate(rows, text_vectors([r.headline for r in rows], cache=cache / "emergent")).result.scores()


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
) -> None:
    """Run every evaluation whose data is present and compare each score with its pinned floor.

    Exit 1 when a score is below its floor or a corpus changed since pinning."""
    from ..eval.gate import GateOptions, run_gate
    from . import EXIT_ROWS_FAILED

    result = run_gate(GateOptions(data=data, floors=floors, cache_dir=cache_dir, only=tuple(only or ()), pin=pin,
                                  allow_lower=allow_lower, trail_steps=_trail_steps(), modality_cv=_modality_cv))
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
    from ..eval.checkworthy import CheckworthyEvalOptions, evaluate_checkworthy

    if cv and held_out:
        raise EvalError("give --cv or --held-out, not both")
    mode = "cv" if cv else "held-out" if held_out else "score"
    result = evaluate_checkworthy(CheckworthyEvalOptions(file=file, pred=pred, mode=mode, baseline=baseline,
                                                         model_dir=model_dir, spacy_model=model))
    typer.echo(result.as_text())


@app.command("trail")
def trail_cli(
    data: Annotated[str, typer.Option("--data", help="The clef2020-task2 folder.")] = "../shared/data/clef2020-task2",
    split: Annotated[str, typer.Option("--split", help="dev or train.")] = "dev",
    threshold: Annotated[float | None, typer.Option(help="Similarity threshold (default: the one tuned on train).")] = None,
    cohesion: Annotated[float | None, typer.Option(help="Cohesion of joined groups (default: tuned on train).")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="Fact-check store with the CLEF verified claims (`newsaudit factcheck clef` builds it); "
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
    steps = _trail_steps()
    if ceiling:
        bound = cosine_ceiling(opts, steps)
        typer.echo(json.dumps(bound.to_dict(), indent=2) if json_out else ceiling_text(bound, split))
        return
    if sweep:
        grid = [round(0.40 + 0.05 * i, 2) for i in range(11)]
        fcs: list[float | None] | None = [round(0.2 + 0.05 * i, 2) for i in range(7)] if db else None
        scores = run_sweep(opts, steps, grid, fcs)
    else:
        scores = [evaluate_trails(opts, steps)]
    typer.echo(json.dumps([s.to_dict() for s in scores], indent=2) if json_out else scores_text(scores, split, bool(db)))


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
    import json

    from ..corpus.trail.texts import group_texts, text_vectors
    from ..eval.emergent import EmergentEvalOptions, evaluate_emergent, read_emergent, report_text, trained_on

    Path(cache).parent.mkdir(parents=True, exist_ok=True)
    if cv:
        from ..train.modality import cross_validate

        rows = read_emergent(file)
        folds = cross_validate(rows, text_vectors([r.headline for r in rows], encoder=encoder, cache=cache), pred)
        result = folds.result
    else:
        result = evaluate_emergent(EmergentEvalOptions(
            file=file, pred=pred, model=model_dir, threshold=threshold,
            cohesion=None if cohesion is None else (cohesion if cohesion >= 0 else -1.0), cache=cache, encoder=encoder),
            group_texts)
        if trained_on(file, model_dir):
            typer.echo("newsaudit: warning: this file is the model's training data, so these stances are in-sample; "
                       "--cv scores each claim by a model that never saw it", err=True)
    if json_out:
        typer.echo(json.dumps({"mode": result.mode, **result.scores()}, indent=2))
    else:
        typer.echo(report_text(result, file) + (f"\n{folds.as_text()}" if cv else ""))
    if pred:
        typer.echo(f"wrote {result.rows} predictions to {pred}", err=True)
