"""The layout of docs/architecture.md: small modules, one house."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The most lines a module under newsaudit/ may have (data files do not count).
MAX_LINES = 500


def test_layout_no_module_over_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "newsaudit").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_layout_architecture_doc_names_every_package() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(p.name for p in (ROOT / "newsaudit").iterdir() if (p / "__init__.py").is_file() and p.name != "data")
    missing = [name for name in packages if f"{name}/" not in doc]
    assert missing == []
