"""Output paths: refuse one that cannot be written, or that is one of the inputs, before any work
starts; and write files.

Whether a place can be written is found out by trying (opening the file for appending, creating a
temporary file in a folder), never by asking ``os.access``: as root, ``os.access`` says every file is
writable, ``/proc/version`` included.  Every failure is an :class:`~newsaudit.errors.OutputError`
(one line, exit 2 in the CLI).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError

__all__ = ["check_not_an_input", "check_out", "write_out"]


def _file_refusal(path: Path) -> str | None:
    """Why ``path`` cannot be written as a file (tried: opened for appending as Python opens a file,
    without blocking on a FIFO), or None.  A file that did not exist is removed again."""
    import stat

    existed = path.exists() or path.is_symlink()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o666)
    except OSError as exc:
        return exc.strerror or str(exc)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.lseek(fd, 0, os.SEEK_END)  # what a file written by Python does first; /proc files refuse it
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        os.close(fd)
    if not existed:
        try:
            path.unlink()
        except OSError:
            pass
    return None


def _folder_refusal(folder: Path) -> str | None:
    """Why no file can be created in ``folder`` (tried: a temporary file), or None."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


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
    if path.is_dir():
        why = _folder_refusal(path)
        if why:
            raise OutputError(f"{flag} {value}: the folder is not writable ({why})")
        return
    if kind == "folder":
        why = _folder_refusal(parent)
        if why:
            raise OutputError(f"{flag} {value}: the folder {parent} is not writable ({why})")
        return
    why = _file_refusal(path)
    if why:
        raise OutputError(f"{flag} {value}: cannot be written ({why})")


def check_not_an_input(outputs: Iterable[tuple[str, object]], inputs: Iterable[object]) -> None:
    """Refuse an output (``(flag, path)``) that is the same file as one of ``inputs`` (paths, or lists of
    paths): writing it would overwrite what is being read."""
    flat: list[object] = []
    for value in inputs:
        flat.extend(value if isinstance(value, list | tuple) else [value])
    for flag, out in outputs:
        if out is None or not Path(str(out)).expanduser().exists():
            continue
        for source in flat:
            if source is None or str(source) == "-" or not Path(str(source)).expanduser().exists():
                continue
            try:
                same = os.path.samefile(Path(str(out)).expanduser(), Path(str(source)).expanduser())
            except OSError:
                same = False
            if same:
                raise OutputError(f"{flag} {out}: is also an input ({source}); writing it would overwrite what is read. "
                                  "Give another file")


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
