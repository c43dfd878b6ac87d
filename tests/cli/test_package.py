"""An installed (non-editable) dossier finds its bundled seeds: the default corpus ships
as package data (the top-level ``seeds`` data package), not only in a source checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_installed_package_searches_its_seeds(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # A clean copy: a build/ folder left in the checkout would be reused by pip and could
    # ship files the configuration no longer names.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", "tests"))
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(src)],
                   check=True, capture_output=True)
    seeds = next((venv / "lib").glob("python3*/site-packages/seeds"))
    for original in (ROOT / "seeds").iterdir():
        assert (seeds / original.name).read_bytes() == original.read_bytes()
    # The dependencies come from this interpreter's site-packages; the code from the venv.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"],
           "DOSSIER_CACHE": str(tmp_path / "cache")}
    env.pop("DOSSIER_CORPUS", None)
    done = subprocess.run([str(venv / "bin" / "dossier"), "search", "Klage", "--json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "no hit from the bundled seeds"
