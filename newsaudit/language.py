"""Language detection (stub: to be written)."""

from __future__ import annotations


def detect_language(text: str) -> tuple[str | None, float]:
    return "en", 1.0
