"""Reading newsaudit's data files: one place for the header and comment rules.

Every lexicon starts with ``#`` lines naming its source and licence; blank
lines and ``#`` lines are skipped.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_DIR = DATA_DIR / "lexicons"


def read_lines(path: str | Path) -> list[str]:
    """Non-comment, non-blank lines, stripped."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def numbered_rows(path: str | Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line number, tab-separated cells, each stripped) of every non-comment,
    non-blank line: for loaders whose errors name the line."""
    out = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((lineno, tuple(cell.strip() for cell in line.split("\t"))))
    return out


def read_table(path: str | Path) -> list[tuple[str, ...]]:
    """Tab-separated rows of a lexicon file, each cell stripped."""
    return [cells for _lineno, cells in numbered_rows(path)]


def header(path: str | Path) -> list[str]:
    """The leading ``#`` lines (source, licence) of a data file."""
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").rstrip())
    return lines


def read_wordlist(name: str) -> frozenset[str]:
    """Lower-cased first column of the lexicon ``name`` (in :data:`LEXICON_DIR`),
    skipping ``#`` and ``;`` comment lines (the Hu & Liu files keep the authors' ``;`` header)."""
    words = set()
    for line in read_lines(LEXICON_DIR / name):
        if line.startswith(";"):
            continue
        words.add(line.split("\t")[0].strip().lower())
    return frozenset(words)
