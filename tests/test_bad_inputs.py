"""The corpus of bad inputs (tests/bad_inputs/*.yml, format in its README.md), run as a user
meets it: ``python -m helpers ...`` in a subprocess, on a copy of the project with one defect.

Every case must end with its exit status (2 unless it says otherwise) and, for an error, exactly
one line on stderr that names the file and the line or claim, with no traceback; a conflict
(exit 0, or 3 with --strict) prints nothing on stderr and names the conflicting set on stdout.
In every case the reports and the exports written before are byte-identical afterwards.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpers import paths

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(CORPUS.glob("*.yml"))
CASE_FIELDS = {"defect", "run", "edits", "exit", "stderr", "stdout", "absent"}
EDIT_ACTIONS = {"replace", "write", "append", "delete", "move", "symlink", "fill", "mkdir"}
# Files a user built before the failing command; none may change.
EARLIER_REPORTS = {
    "reports/monthly-series-one-series.html": "<!DOCTYPE html><p>the last good build</p>\n",
    "reports/monthly-series-one-series.code.html": "<!DOCTYPE html><p>the last good build, code</p>\n",
    "reports/index.html": "<!DOCTYPE html><p>the last good index</p>\n",
    "reports/.build/state.json": "{}\n",
    "export/series.csv": "month,low,high\n2023-06,54,54\n",
    "export/claims.csv": "id,source\n",
    "export/datapackage.json": "{}\n",
    "export/annotations.jsonld": "{}\n",
}
# An error line names a file of the project (data/..., notebooks/...) or a folder given on the
# command line (--data, --out), by its path.
NAMES_A_FILE = re.compile(r"\b(?:data|notebooks)/[\w./-]*|\b[\w.-]+\.(?:yml|txt|ipynb)\b|\s/[\w.-]+/")


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict) and set(case) <= CASE_FIELDS, f"{path.name}: fields {set(case)}"
    assert {"defect", "run"} <= set(case), f"{path.name}: needs 'defect' and 'run'"
    for edit in case.get("edits", []):
        assert "file" in edit and len(set(edit) & EDIT_ACTIONS) == 1, f"{path.name}: edit {edit}"
    return case


def make_project(root: Path) -> Path:
    """A copy of the project's inputs (data/, notebooks/, the lock) with earlier outputs."""
    shutil.copytree(paths.default_data_dir(), root / "data")
    shutil.copytree(paths.notebooks_dir(), root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
    for name, text in EARLIER_REPORTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def apply_edit(root: Path, edit: dict[str, Any]) -> int | None:
    """Apply one edit; for a ``replace``, return the line on which the new text starts."""
    path = root / edit["file"]
    encoding = edit.get("encoding", "utf-8")
    if "replace" in edit:
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["replace"]) == 1, f"{edit['replace']!r} is not once in {path.name}"
        path.write_bytes(text.replace(edit["replace"], edit["by"]).encode(encoding))
        return text[:text.index(edit["replace"])].count("\n") + 1
    elif "write" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(edit["write"].encode(encoding))
    elif "append" in edit:
        path.write_bytes(path.read_bytes() + (edit["append"] * edit.get("repeat", 1)).encode(encoding))
    elif "delete" in edit:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    elif "mkdir" in edit:
        path.mkdir(parents=True)
    elif "move" in edit:
        (root / edit["move"]).parent.mkdir(parents=True, exist_ok=True)
        path.rename(root / edit["move"])
    elif "symlink" in edit:
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(edit["symlink"].replace("{project}", str(root)))
    elif "fill" in edit:
        # The file's own text, then comment lines up to the size asked (generated, never committed).
        with path.open("ab") as stream:
            line = b"# " + b"x" * 97 + b"\n"
            stream.write(line * ((edit["fill"] - path.stat().st_size) // len(line) + 1))
    return None


def expand_lines(pattern: str, line: int | None) -> str:
    """``{line}`` and ``{line+N}`` in a pattern: the line of the case's first replacement."""
    def value(match: re.Match) -> str:
        assert line is not None, f"{pattern}: {{line}} needs a 'replace' edit"
        return str(line + int(match.group(1) or 0))
    return re.sub(r"\{line(?:\+(\d+))?\}", value, pattern)


def snapshot(root: Path) -> dict[str, bytes]:
    found = {}
    for folder in ("reports", "export"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() or path.is_symlink():
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def test_the_corpus_is_large_and_readable():
    assert len(CASES) >= 30, len(CASES)
    assert (CORPUS / "README.md").is_file()
    for path in CASES:
        load_case(path)


@pytest.mark.parametrize("case_file", CASES, ids=[p.stem for p in CASES])
def test_bad_input(case_file: Path, tmp_path: Path):
    case = load_case(case_file)
    root = make_project(tmp_path / "project")
    lines = [apply_edit(root, edit) for edit in case.get("edits", [])]
    line = next((n for n in lines if n is not None), None)
    before = snapshot(root)
    args = [arg.format(out=root / "reports", export=root / "export", project=root)
            for arg in shlex.split(case["run"])]
    env = {**os.environ, "DESERTION_SERIES_ROOT": str(root)}
    done = subprocess.run([sys.executable, "-m", "helpers", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    expected_exit = case.get("exit", 2)
    stderr_lines = done.stderr.splitlines()
    assert done.returncode == expected_exit, (done.returncode, done.stderr, done.stdout[-2000:])
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    if expected_exit in (0, 3):  # a finding, not an error
        assert done.stderr == "", done.stderr
    else:
        assert len(stderr_lines) == 1, done.stderr
        message = stderr_lines[0]
        assert message.startswith("error: "), message
        assert NAMES_A_FILE.search(message), f"names no file: {message}"
        assert str(root / "data") not in message, f"an absolute path: {message}"  # data/... is enough
    for pattern in case.get("stderr", []):
        pattern = expand_lines(pattern, line)
        assert re.search(pattern, done.stderr), f"stderr lacks /{pattern}/: {done.stderr}"
    for pattern in case.get("stdout", []):
        assert re.search(pattern, done.stdout), f"stdout lacks /{pattern}/: {done.stdout}"
    for name in case.get("absent", []):
        assert not (root / name).exists() and not Path(name).exists(), f"{name} was created"
    assert snapshot(root) == before, "an earlier report or export changed"
