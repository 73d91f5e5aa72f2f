"""Shared fixtures: the spaCy model once per session, the ../shared corpora when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: ../shared beside the repository; NEWSAUDIT_SHARED names another place (a git worktree has none beside it)
SHARED = Path(os.environ.get("NEWSAUDIT_SHARED") or ROOT.parent / "shared")


@pytest.fixture(scope="session")
def bare_nlp():
    """The bare spaCy pipeline (loaded once)."""
    from newsaudit.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def audit_nlp():
    """The full newsaudit pipeline (loaded once)."""
    from newsaudit.pipeline import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"corpora not available: {path} is absent (CI and developer machines have ../shared beside the repo)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = SHARED / "samples" / "seed-article.txt"
    if not path.is_file():
        pytest.skip(f"seed article not available: {path} is absent")
    return path
