"""The headless packages stay headless: importing any module of ``index/`` loads neither
Textual nor Rich, and no module of ``cli/`` loads Textual (``dossier search`` must start
fast and run where no terminal library is wanted). Each module is imported in a fresh
interpreter, so what another test imported cannot hide a stray import."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    found = [package]
    for info in pkgutil.iter_modules([str(ROOT / package)]):
        if info.name != "__main__":  # runs the program when imported
            found.append(f"{package}.{info.name}")
    return sorted(found)


CASES = [(m, ("textual", "rich")) for m in _modules("index")] + [
    (m, ("textual",)) for m in _modules("cli")
]


@pytest.mark.parametrize(("module", "forbidden"), CASES, ids=[m for m, _ in CASES])
def test_module_does_not_load(module: str, forbidden: tuple[str, ...]) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"{module} loads {done.stdout.strip()}"


def test_every_package_module_is_covered() -> None:
    """The lists are walked from the folders, not written by hand."""
    assert "cli.main" in _modules("cli") and "index.search" in _modules("index")
