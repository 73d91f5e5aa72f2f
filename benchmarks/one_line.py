"""A long article flattened onto one line, for measuring memory on paragraph-less text.

``python -m benchmarks.one_line ARTICLE.txt SIZE > OUT.txt`` writes the headline line of
ARTICLE.txt (plain-text format: first line, blank line, body), a blank line, then the body's
paragraphs repeated until they reach SIZE characters, joined by spaces on one line.  For example::

    python -m benchmarks.one_line ../shared/samples/seed-article.txt 5000000 > seed-line-5mb.txt
    /usr/bin/time -v .venv/bin/newsaudit analyze seed-line-5mb.txt --format json --out out.json
"""

from __future__ import annotations

import sys
from pathlib import Path


def one_line(text: str, size: int) -> str:
    """The headline line, a blank line, and the body's paragraphs repeated past ``size`` characters on one line."""
    head, _, body = text.partition("\n")
    paragraphs = [p.strip() for p in body.strip().split("\n") if p.strip()]
    repeats = size // max(1, len(body.strip())) + 1
    return head + "\n\n" + " ".join(paragraphs * repeats) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        sys.stderr.write("usage: python -m benchmarks.one_line ARTICLE.txt SIZE > OUT.txt\n")
        return 2
    sys.stdout.write(one_line(Path(args[0]).read_text(encoding="utf-8"), int(args[1])))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
