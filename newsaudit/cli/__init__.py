"""The ``newsaudit`` command line: thin typer wrappers over library functions.

One module per command group (:data:`COMMANDS`); every command is a ``*_cli``
function that turns its arguments into one options dataclass and calls the
library.  The root group is lazy: ``newsaudit --help`` lists the commands from
the registry and ``newsaudit version`` imports nothing else, so neither pays for
spaCy, torch, pyarrow or FastAPI; a command's module is imported when it runs.

Every :class:`~newsaudit.errors.NewsauditError` becomes one line on stderr and
the documented exit status (:data:`EXIT_OK` ... :data:`EXIT_INTERNAL`).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

import typer
import typer.core

from ..errors import NewsauditError

try:  # typer >= 0.20 vendors its own copy of click: its exceptions are the ones raised
    from typer import _click as _click
except ImportError:  # pragma: no cover - older typer uses click itself
    import click as _click  # type: ignore[no-redef]

if TYPE_CHECKING:
    from typer.core import TyperArgument, TyperOption

_CLICK_ERRORS = (_click.exceptions.ClickException,)
# typer's own Abort and Exit (the vendored click has none; older typer re-exports click's)
_CLICK_ABORT = tuple({getattr(_click.exceptions, "Abort", typer.Abort), typer.Abort})
_CLICK_EXIT = tuple({getattr(_click.exceptions, "Exit", typer.Exit), typer.Exit})

#: Exit statuses of every command (the table of docs/cli.md, from newsaudit.cli.reference).
EXIT_OK = 0
#: Some rows of a dataset failed (each has its error row), or a report is invalid.
EXIT_ROWS_FAILED = 1
#: Bad input or usage: one line on stderr (every NewsauditError, click's usage errors).
EXIT_USAGE = 2
#: An internal error (a bug, or out of memory): one line, the traceback with NEWSAUDIT_DEBUG=1.
EXIT_INTERNAL = 70
#: Interrupted (Ctrl-C).
EXIT_INTERRUPTED = 130

HELP = ("Read news like a fact-checker: who says what, on whose authority, and how it is framed. "
        "Every finding points at character offsets in the text.")


class CommandEntry(NamedTuple):
    """One top-level command: its name, the module that defines it, and its one-line help.

    The module holds a typer app ``app``: when the app is named after the entry
    (``typer.Typer(name="render")``) it is a command group; otherwise the entry
    is the app's command of that name.
    """

    name: str
    module: str
    help: str
    #: The command parses with spaCy: import it without torch (:func:`newsaudit.lazy.spacy_without_torch`).
    spacy: bool = False


#: Every top-level command, in the order of ``newsaudit --help``.
COMMANDS: tuple[CommandEntry, ...] = (
    CommandEntry("analyze", "newsaudit.cli.analyze",
                 "Analyse an article: attributions, sources, relay chain, headline check, signals, claims.", spacy=True),
    CommandEntry("load", "newsaudit.cli.load", "Load articles from SPEC and print one JSON line per article (or per "
                                               "bad row)."),
    CommandEntry("version", "newsaudit.cli.analyze", "Print the newsaudit version and the JSON schema version."),
    CommandEntry("render", "newsaudit.cli.render", "Render saved JSON reports; print or check the report schema."),
    CommandEntry("eval", "newsaudit.cli.eval", "Evaluate every model on its public benchmark, and run the evaluation gate.",
                 spacy=True),
    CommandEntry("train", "newsaudit.cli.train", "Train the models (attribution, stance, check-worthiness, techniques, "
                                                 "modality) and rebuild the lexicons learned from PolNeAR.", spacy=True),
    CommandEntry("factcheck", "newsaudit.cli.factcheck", "Fact-check memory: import ClaimReview/CSV, search, rank."),
    CommandEntry("serve", "newsaudit.cli.serve", "Serve POST /v1/analyze, GET /v1/health, POST /v1/factcheck/search, "
                                                 "the page at / and the docs at /docs.", spacy=True),
    CommandEntry("batch", "newsaudit.cli.batch", "Analyse every row of INPUT into one Parquet file: counts, headline "
                                                 "verdict, the full JSON report, or the row's error.", spacy=True),
    CommandEntry("stats", "newsaudit.cli.batch", "Corpus view (DuckDB): signals and techniques per outlet and month, "
                                                 "dropped attributions, most cited sources."),
    CommandEntry("trail", "newsaudit.cli.trail", "Group the statements of batch outputs into trails: who said it first, "
                                                 "who relayed it, where the attribution got lost."),
)

_BY_NAME = {entry.name: entry for entry in COMMANDS}


def _import_optional(module_name: str) -> ModuleType | None:
    """The module, or None when that module itself is not there (a trimmed install)."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise


def _light_help(option: TyperOption | None) -> TyperOption | None:
    """``option`` (a ``--help`` flag) coerced without pydantic.

    typer (0.2x) coerces every parameter through a pydantic adapter built on first
    use; importing pydantic costs about 0.1 s, more than the rest of ``newsaudit
    version``.  A help flag needs no coercion: give it typer's pass-through one.
    Any other typer keeps its own way.
    """
    try:
        from typer._coercion import PassThroughRuntimeParam
    except ImportError:  # pragma: no cover - a typer without runtime coercion
        return option
    if option is None:
        return None
    descriptor = getattr(option, "type_descriptor", None)
    if descriptor is not None and getattr(option, "_runtime_param", False) is None:
        option._runtime_param = PassThroughRuntimeParam(parameter_info=descriptor.parameter_info, annotation=bool)
    return option


def _with_light_help(command: _click.Command) -> _click.Command:
    get_help_option = command.get_help_option
    command.get_help_option = lambda ctx: _light_help(get_help_option(ctx))  # type: ignore[method-assign]  # this command's only
    return command


def load_command(entry: CommandEntry) -> _click.Command | None:
    """The click command (or group) of ``entry``, its output options checked as they are parsed; None when
    its module is not installed."""
    import typer.main

    from .options import check_outputs

    module = _import_optional(entry.module)
    if module is None:
        return None
    app: typer.Typer = module.app
    command: _click.Command
    if app.info.name == entry.name:
        command = typer.main.get_group(app)
        command.name = entry.name
    else:  # build this command alone: typer makes a pydantic adapter per parameter, so the others would cost
        (info,) = (c for c in app.registered_commands if c.name == entry.name)
        command = typer.main.get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                                   rich_markup_mode=app.rich_markup_mode)
    check_outputs(command, (entry.name,))
    _plain_arguments(command)
    return _with_light_help(command)


def _usage_name(self: TyperArgument) -> str:
    """An argument in a usage line as a reader expects it: ``INPUT``, ``[INPUT]``, ``FILES...``."""
    name = (self.metavar or self.name or "").upper()
    if self.nargs != 1:
        name += "..."
    return name if self.required else f"[{name}]"


def _plain_arguments(command: _click.Command) -> None:
    """Arguments of ``command`` (and of its sub-commands) named in capitals in usage lines, not ``{input}``."""
    import types

    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "argument" and hasattr(param, "_usage_display_name"):
            param._usage_display_name = types.MethodType(_usage_name, param)
    for sub in getattr(command, "commands", {}).values():
        _plain_arguments(sub)


class LazyGroup(typer.core.TyperGroup):
    """The root group: commands come from :data:`COMMANDS` and are imported when first asked for."""

    def get_help_option(self, ctx: _click.Context) -> TyperOption | None:
        return _light_help(super().get_help_option(ctx))

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return [entry.name for entry in COMMANDS]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name not in self.commands and cmd_name in _BY_NAME:
            command = load_command(_BY_NAME[cmd_name])
            if command is None:
                return None
            self.commands[cmd_name] = command
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: _click.Context, args: list[str]) -> tuple[str | None, _click.Command | None, list[str]]:
        """As typer's, suggesting among every registered command (typer's own looks only at those loaded)."""
        try:
            return super().resolve_command(ctx, args)
        except _click.exceptions.UsageError as exc:
            if args and "Did you mean" not in exc.message:
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"
            raise

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """The commands and their one-line help, from the registry (no command module is imported)."""
        rows = [(entry.name, entry.help) for entry in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def command() -> LazyGroup:
    """The root click group of the CLI."""
    return LazyGroup(name="newsaudit", help=HELP, no_args_is_help=True, rich_markup_mode=None)


def walk(group: typer.core.TyperGroup | None = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], _click.Command]]:
    """(path, command) of every command of the CLI, groups included (imports every command module)."""
    group = command() if group is None else group
    ctx = _click.Context(group)
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is None:
            continue
        yield (*path, name), sub
        if isinstance(sub, typer.core.TyperGroup):
            yield from walk(sub, (*path, name))


def out_options() -> list[tuple[tuple[str, ...], _click.Parameter, str]]:
    """(command path, parameter, kind) of every output option of the CLI."""
    from .options import check_outputs

    found = []
    for path, sub in walk():
        if not isinstance(sub, typer.core.TyperGroup):
            found += check_outputs(sub, path)
    return found


#: How click words a bad option value (through typer's pydantic coercion), and what a reader wants instead.
_VALUE_ERROR = re.compile(r"^Invalid value for (?P<names>'[^']+'(?: / '[^']+')*): (?:Value error, )?(?P<why>.*)$", re.S)


def usage_message(exc: Exception) -> str:
    """One line for a usage error: the option (its long name) and what is wrong with its value,
    with the command's help to turn to; no usage block, no library wording."""
    fmt = getattr(exc, "format_message", None)
    message = str(fmt() if callable(fmt) else exc).strip()
    m = _VALUE_ERROR.match(message)
    if m:
        names = [n.strip("'") for n in m.group("names").split(" / ")]
        name = next((n for n in names if n.startswith("--")), names[0])
        why = m.group("why").strip().rstrip(".")
        why = re.sub(r"is not one of ((?:'[^']*'(?:, )?)+)", lambda k: "is not one of " + k.group(1).replace("'", ""), why)
        why = why.replace("Input should be a valid number, unable to parse string as a number", "not a number")
        why = why.replace("Input should be a valid integer, unable to parse string as an integer", "not a whole number")
        message = f"{name}: {why}"
    message = re.sub(r"^Missing (option|argument) '([^']+)'(?: / '[^']+')*",
                     lambda k: f"missing {k.group(1)} {k.group(2) if k.group(1) == 'option' else k.group(2).upper()}",
                     message).rstrip(".")
    ctx = getattr(exc, "ctx", None)
    where = getattr(ctx, "command_path", "") or "newsaudit"
    return f"{message} (see '{where} --help')"


def _needs_spacy(argv: list[str]) -> bool:
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    entry = _BY_NAME.get(name or "")
    return entry is not None and entry.spacy


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI; return its exit status (docs/cli.md: 0 ok, 1 some rows
    failed or report invalid, 2 bad input or usage, 70 internal error)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if _needs_spacy(args):
            from ..lazy import spacy_without_torch

            spacy_without_torch()  # before anything imports spaCy, so that thinc does not import torch
        status = command().main(args=args, prog_name="newsaudit", standalone_mode=False)
    except NewsauditError as exc:
        typer.echo(f"newsaudit: error: {exc}", err=True)
        return exc.exit_code
    except _CLICK_ABORT:
        typer.echo("newsaudit: aborted", err=True)
        return EXIT_INTERRUPTED
    except _CLICK_ERRORS as exc:
        typer.echo(f"newsaudit: error: {usage_message(exc)}", err=True)
        return exc.exit_code
    except _CLICK_EXIT as exc:
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
        typer.echo(f"newsaudit: internal error: {type(exc).__name__}: {exc} (set NEWSAUDIT_DEBUG=1 for the traceback)",
                   err=True)
        return EXIT_INTERNAL
    # with standalone_mode=False, click returns the code of a typer.Exit /
    # ctx.exit (else the command's return value, None)
    return status if isinstance(status, int) and not isinstance(status, bool) else EXIT_OK


__all__ = [
    "COMMANDS",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_ROWS_FAILED",
    "EXIT_USAGE",
    "CommandEntry",
    "LazyGroup",
    "command",
    "load_command",
    "main",
    "out_options",
    "walk",
]
