"""Output paths: refuse one that cannot be written before any work starts, and write files.

Every failure is an :class:`~newsaudit.errors.OutputError` (one line, exit 2 in the CLI).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutputError

__all__ = ["check_out", "write_out"]


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
