"""The TUI's import layering (issue 12): no screen imports another screen or the App's
module, and no import circle among tui/ modules.

Every import counts, also those under ``if TYPE_CHECKING:`` and inside functions: a
lazy import hides a circle from Python, not from the reader (or from a type checker).
Screens reach the App through ``tui.protocols`` and open one another through App
methods (``open_article``, ``open_events``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUI = ROOT / "tui"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(TUI.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The tui module *name* stands for (``tui.render.one_line`` -> ``tui.render``)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """Every tui module *module* imports, anywhere in its source."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        for name in names:
            target = _resolve(name)
            if target is not None and target != module and target.startswith("tui"):
                found.add(target)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}
SCREENS = sorted(m for m in MODULES if m.startswith("tui.screens."))


def test_the_parser_sees_lazy_and_type_checking_imports() -> None:
    """The checks below would pass vacuously if the parser missed imports."""
    assert "tui.screens.main" in GRAPH["tui.app"]  # top level
    assert "tui.screens.source" in GRAPH["tui.app"]  # inside open_article
    assert "tui.protocols" in GRAPH["tui.screens.main"]  # under TYPE_CHECKING
    assert "tui.screens.tags" in GRAPH["tui.workflow_actions"]  # inside a method


@pytest.mark.parametrize("screen", SCREENS)
def test_a_screen_imports_neither_the_app_nor_another_screen(screen: str) -> None:
    bad = sorted(m for m in GRAPH[screen]
                 if m == "tui.app" or (m.startswith("tui.screens.") and m != screen))
    assert bad == [], f"{screen} imports {bad}"


def _cycle() -> list[str] | None:
    """One import circle among tui modules, if there is any (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_import_circle_among_tui_modules() -> None:
    cycle = _cycle()
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])
