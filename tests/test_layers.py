"""The shape of the library: its layers (an import-linter contract) and modules of one job."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import paths

LONGEST_MODULE = 400  # lines; past that a module holds more than one job


def test_import_contracts_are_kept():
    """pyproject.toml's [tool.importlinter] contracts: lower layers never import higher ones."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=paths.project_root(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout, done.stdout[-3000:]


def test_the_contract_lists_every_subpackage_as_a_layer():
    """A new subpackage must take its place among the layers, or the contract says nothing of it."""
    text = (paths.project_root() / "pyproject.toml").read_text(encoding="utf-8")
    packages = sorted(p.parent.name for p in paths.PACKAGE_DIR.glob("*/__init__.py"))
    assert packages, "no subpackages found"
    for package in packages:
        assert f'"helpers.{package}"' in text, f"helpers.{package} is in no layer of pyproject.toml"


def test_no_module_is_longer_than_the_limit():
    long = {str(p.relative_to(paths.PACKAGE_DIR)): n for p in paths.PACKAGE_DIR.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE}
    assert not long, f"modules over {LONGEST_MODULE} lines: {long}"
