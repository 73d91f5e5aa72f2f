"""The README is a short front door, its links resolve, and no page reads as a development log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = sorted([README, *(ROOT / "docs").rglob("*.md"), *(ROOT / "newsaudit" / "data").glob("*/MODEL_CARD.md")])

#: What a development log looks like: issue numbers, session counts, commit hashes.
DIARY = re.compile(r"\bissues? #?\d+|\b(?:first|second|third|fourth|this|last|later|earlier|previous) sessions?\b"
                   r"|\bat `?[0-9a-f]{7,40}\b", re.I)


def test_docs_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 300


def test_docs_readme_links_resolve():
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README links to {target}, which does not exist"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Since issue 15 the component runs a model", True),
        ("measured in the third session", True),
        ("`newsaudit eval attribution` at `4dd641c`", True),
        ("the relay chain of the seed article (2018-06-12)", False),
        ("a session-scoped fixture; the issue a reader sees", False),
    ],
)
def test_docs_diary_pattern(text, expected):
    assert bool(DIARY.search(text)) is expected


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_docs_page_is_no_development_log(page):
    hits = [line for line in page.read_text(encoding="utf-8").splitlines() if DIARY.search(line)]
    assert hits == [], f"{page.relative_to(ROOT)} reads as a development log (history goes in CHANGELOG.md): {hits[:3]}"
