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


def test_layout_no_import_circles() -> None:
    """No module reaches itself through imports (grimp, import-linter's graph, counts
    imports inside functions and under TYPE_CHECKING too)."""
    grimp = __import__("pytest").importorskip("grimp")
    graph = grimp.build_graph("newsaudit")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert circles == []
