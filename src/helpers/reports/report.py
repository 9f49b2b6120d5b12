"""One report: a notebook executed by papermill, exported to HTML by nbconvert (``html``).

    execute(notebook, parameters)  -> executed notebook   (papermill, the project's kernel)
    run_report(...)                -> Outcome: both HTML forms, or the failed run and why

``run_report`` writes nothing, so it runs the same in a local worker process or on a Dask
worker; the build writes what it returns. Failures are told apart: an error in a cell, a
kernel that died, a cell past its timeout, a kernel that would not start (retried first).
"""
from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill
import zmq
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError

from helpers import paths
from helpers.core.enums import FailureKind
from helpers.errors import ReportError, ReportFailure
from helpers.reports import warm
from helpers.reports.checkpoints import cell_hooks
from helpers.reports.html import DATA_TAG, with_html
from helpers.reports.kernel import KERNEL_NAME

CELL_TIMEOUT_SECONDS = 600
KERNEL_START_ATTEMPTS = 3


def execute(notebook: Path, parameters: dict[str, Any], *, name: str,
            timeout: int = CELL_TIMEOUT_SECONDS, data_link: tuple[str, str] | None = None,
            cache: str | None = None) -> nbformat.NotebookNode:
    """Run ``notebook`` with ``parameters`` in the project's kernel; return the executed notebook.

    The kernel runs in the notebook's folder; with ``data_link`` (a name and a data directory)
    it runs in a folder of its own where that name is a link to that directory, so that a
    ``data_dir`` parameter can name the data by its folder's name, never by a path of this
    machine. ``cache``: the build's cache of reconstructions, for the notebook's helpers
    (``cache``). In a worker of the build the kernel may be one kept from its last report
    (``warm``).

    Raises ReportFailure naming the report, the cell and the kind of failure.
    """
    _quiet_papermill_log()
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        with tempfile.TemporaryDirectory(prefix="desertion-series-run-") as scratch:
            running = Path(scratch) / f"{name}.ipynb"
            cwd = notebook.parent
            if data_link:
                cwd = Path(scratch) / "cwd"
                cwd.mkdir()
                (cwd / data_link[0]).symlink_to(data_link[1], target_is_directory=True)
            manager, prepare = warm.kernel_for({paths.CACHE_ENV: cache} if cache else {}, str(cwd))
            succeeded = False
            try:
                executed = papermill.execute_notebook(
                    str(notebook), str(running), parameters=parameters, kernel_name=KERNEL_NAME,
                    engine_name=warm.ENGINE, km=manager, prepare=prepare, running=str(running),
                    request_save_on_cell_execute=False, progress_bar=False,
                    cwd=str(cwd), execution_timeout=timeout, **cell_hooks(name))
                succeeded = True
                return _reproducible(executed)
            except PapermillExecutionError as exc:
                raise ReportFailure(
                    f"report {name!r}: cell {exc.cell_index + 1} ({_first_line(exc.source)!r}) raised "
                    f"{exc.ename}: {exc.evalue}", FailureKind.CODE_ERROR, _read(running)) from None
            except CellTimeoutError:
                executed = _read(running)
                cell = _running_cell(executed)
                raise ReportFailure(f"report {name!r}: cell {cell} ran past the {timeout} s timeout",
                                    FailureKind.TIMEOUT, executed) from None
            except DeadKernelError:
                executed = _read(running)
                raise ReportFailure(f"report {name!r}: the kernel died while running cell "
                                    f"{_running_cell(executed)}", FailureKind.KERNEL_DIED, executed) from None
            except (RuntimeError, TimeoutError, OSError, zmq.ZMQError) as exc:
                # Nothing ran yet: the kernel did not start (a busy machine). Try again.
                if attempt == KERNEL_START_ATTEMPTS:
                    raise ReportFailure(f"report {name!r}: the kernel did not start after "
                                        f"{attempt} attempts ({exc})", FailureKind.KERNEL_START,
                                        None) from None
                time.sleep(attempt)
            finally:
                warm.release(manager, succeeded)
    raise AssertionError("unreachable")


def _quiet_papermill_log() -> None:
    """papermill logs a failing cell or a dead kernel as an error of its own; the Outcome says it
    once, in one line. Without a handler Python would print papermill's line on stderr as well."""
    logger = logging.getLogger("papermill")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _reproducible(executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what differs between two runs of the same inputs: timestamps and random cell ids."""
    executed.metadata.get("papermill", {}).pop("start_time", None)
    executed.metadata.get("papermill", {}).pop("end_time", None)
    executed.metadata.get("papermill", {}).pop("duration", None)
    for index, cell in enumerate(executed.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = f"injected-parameters-{index}"
    return executed


def _first_line(source: str | None) -> str:
    lines = (source or "").strip().splitlines()
    return lines[0] if lines else ""


def _read(path: Path) -> nbformat.NotebookNode | None:
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None


def _running_cell(executed: nbformat.NotebookNode | None) -> str:
    """The position (from 1) of the last code cell that started, with its first line."""
    if executed is None:
        return "?"
    started = [index for index, cell in enumerate(executed.cells) if cell.cell_type == "code"
               and cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    if not started:
        return "?"
    return f"{started[-1] + 1} ({_first_line(executed.cells[started[-1]].source)!r})"


def report_data(executed: nbformat.NotebookNode) -> dict[str, Any]:
    """The JSON the notebook's ``report-data`` cell displayed."""
    for cell in executed.cells:
        if DATA_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                if "application/json" in output.get("data", {}):
                    return output["data"]["application/json"]
    raise ReportError(f"the executed notebook has no cell tagged {DATA_TAG!r} with JSON output")


@dataclass(frozen=True)
class Outcome:
    """What running one report produced, as plain data that crosses process boundaries."""

    name: str
    ok: bool
    duration: float
    reader_html: str | None = None
    full_html: str | None = None
    failure_kind: FailureKind | None = None
    message: str | None = None
    failed_notebook: str | None = None
    failed_html: str | None = None
    executed: nbformat.NotebookNode | None = None  # what ran, not yet exported (``html.with_html``)


def run_report(notebook: str, parameters: dict[str, Any], name: str,
               timeout: int = CELL_TIMEOUT_SECONDS,
               data_link: tuple[str, str] | None = None, cache: str | None = None,
               export: bool = True) -> Outcome:
    """Execute and export one report; never raises for a failing notebook. With ``export``
    false, the Outcome carries what ran instead of its HTML (and, for a failed run, its
    notebook), for the caller to export (``html.with_html``)."""
    started = time.monotonic()
    try:
        executed = execute(Path(notebook), parameters, name=name, timeout=timeout,
                           data_link=data_link, cache=cache)
    except ReportFailure as failure:
        outcome = Outcome(name, False, 0.0, failure_kind=failure.kind, message=str(failure),
                          executed=failure.executed)
    else:
        outcome = Outcome(name, True, 0.0, executed=executed)
    if export:
        outcome = with_html(outcome)
    return dataclasses.replace(outcome, duration=time.monotonic() - started)
