"""Folders of text and HTML files, and the one entry point for any input spec.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import (
    EmptyInputError,
    FailedRow,
    InputError,
)
from ..types import Article
from .datasets import is_dataset, iter_dataset
from .fetch import fetch_url, is_url
from .files import HTML_SUFFIXES, load_file, read_stdin
from .records import FieldMap

#: File suffixes read by a folder scan: plain text and every HTML suffix.
FOLDER_SUFFIXES = (".txt", *HTML_SUFFIXES)


def iter_folder(folder: str | Path) -> Iterator[Article | FailedRow]:
    """Every file under ``folder`` with a suffix of :data:`FOLDER_SUFFIXES` (recursive,
    sorted, hidden files skipped); id = path relative to ``folder``.  A file that
    cannot be read yields its :class:`~newsaudit.errors.FailedRow`."""
    folder = Path(folder)
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
         and not any(part.startswith(".") for part in p.relative_to(folder).parts)),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    if not files:
        raise EmptyInputError(f"{folder}: no {'/'.join(FOLDER_SUFFIXES)} files in the folder")
    for i, p in enumerate(files, start=1):
        rel = p.relative_to(folder).as_posix()
        try:
            yield load_file(p, id=rel)
        except InputError as exc:
            yield FailedRow.of(exc, row=i, id=rel)


def iter_inputs(spec: str, fields: FieldMap | None = None, *, allow_url: bool = False) -> Iterator[Article | FailedRow]:
    """Articles from ``spec``: a text/HTML file, a folder, a dataset file,
    ``-`` for stdin, or (when ``allow_url``) an http(s) URL.

    Folders and datasets yield a :class:`~newsaudit.errors.FailedRow` for each bad
    item; a single file, stdin or URL that cannot be read raises its error
    (there is nothing else to go on with).
    """
    if spec == "-":
        yield read_stdin()
        return
    if is_url(spec):
        if not allow_url:
            raise InputError(f"{spec}: URLs are not accepted here (the CLI fetches them)")
        yield fetch_url(spec)
        return
    path = Path(spec)
    if not path.exists():
        raise InputError(f"{spec}: no such file or folder")
    if path.is_dir():
        yield from iter_folder(path)
    elif is_dataset(path):
        yield from iter_dataset(path, fields)
    else:
        yield load_file(path)
