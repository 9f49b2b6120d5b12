"""One report: a notebook executed by papermill, exported to HTML by nbconvert.

    execute(notebook, parameters) -> executed notebook  (papermill, the project's kernel)
    export_html(executed)        -> HTML text           (nbconvert, self-contained template)
    build_report(...)            -> both, written atomically

A failed execution keeps the executed notebook (with the error in it) in a ``.failed``
folder of the output directory and raises ReportError naming the failing cell.
"""
from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from papermill.exceptions import PapermillExecutionError

from helpers import paths
from helpers.errors import ReportError
from helpers.kernel import KERNEL_NAME, ProjectKernelManager

TEMPLATES_DIR = paths.PACKAGE_DIR / "templates"
FAILED_SUBDIR = ".failed"
DATA_TAG = "report-data"  # a cell whose output carries the report's numbers for tests and tools
CELL_TIMEOUT_SECONDS = 600


def execute(notebook: Path, parameters: dict[str, Any], *, name: str,
            failed_dir: Path) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` in the project's kernel; return the executed notebook.

    On failure the executed notebook, and its HTML with the error shown, are kept in
    ``failed_dir`` for debugging, and ReportError names the failing cell.
    """
    with tempfile.TemporaryDirectory(prefix="desertion-series-run-") as scratch:
        running = Path(scratch) / f"{name}.ipynb"
        try:
            return papermill.execute_notebook(
                str(notebook), str(running), parameters=parameters, kernel_name=KERNEL_NAME,
                kernel_manager_class=ProjectKernelManager, progress_bar=False,
                cwd=str(notebook.parent), execution_timeout=CELL_TIMEOUT_SECONDS,
            )
        except PapermillExecutionError as exc:
            kept = _keep_failed_run(running, failed_dir, name)
            first_line = (exc.source or "").strip().splitlines()[:1]
            raise ReportError(
                f"report {name!r}: cell {exc.cell_index} ({first_line[0] if first_line else 'empty'!r}) "
                f"raised {exc.ename}: {exc.evalue}; the failed run is kept in {kept}") from None


def _keep_failed_run(running: Path, failed_dir: Path, name: str) -> Path:
    failed_dir.mkdir(parents=True, exist_ok=True)
    kept = failed_dir / f"{name}.ipynb"
    failed = nbformat.read(running, as_version=4)
    write_atomically(kept, nbformat.writes(failed))
    write_atomically(failed_dir / f"{name}.html", export_html(failed, with_code=True))
    return kept


def export_html(executed: nbformat.NotebookNode, *, with_code: bool = False) -> str:
    """Self-contained HTML of an executed notebook; the reader's form hides the code."""
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=not with_code, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    remove = TagRemovePreprocessor(remove_cell_tags={DATA_TAG, "injected-parameters"}
                                   if not with_code else {DATA_TAG}, enabled=True)
    exporter.register_preprocessor(remove, enabled=True)
    body, _ = exporter.from_notebook_node(copy.deepcopy(executed))
    return body


def report_data(executed: nbformat.NotebookNode) -> dict[str, Any]:
    """The JSON the notebook's ``report-data`` cell displayed."""
    for cell in executed.cells:
        if DATA_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                if "application/json" in output.get("data", {}):
                    return output["data"]["application/json"]
    raise ReportError(f"the executed notebook has no cell tagged {DATA_TAG!r} with JSON output")


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_report(notebook: Path, parameters: dict[str, Any], out_dir: Path, name: str) -> Path:
    """Execute and export one report into ``out_dir/<name>.html``; return that path."""
    executed = execute(notebook, parameters, name=name, failed_dir=out_dir / FAILED_SUBDIR)
    target = out_dir / f"{name}.html"
    write_atomically(target, export_html(executed))
    return target
