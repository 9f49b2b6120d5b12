"""A report's two HTML forms, exported from its executed notebook by nbconvert.

    export_html(executed)       -> HTML text (self-contained template); the reader's form hides the code
    with_html(outcome)          -> the Outcome of a report run without its export, exported here

A local build exports in the build process, which is idle while its workers run the reports:
the export of one report overlaps the run of the next, and a worker never imports nbconvert.
This module imports nothing of papermill's, and nbconvert only when it first exports.
"""
from __future__ import annotations

import copy
import dataclasses
import functools
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from helpers.present.views import status_styles

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

    from helpers.reports.report import Outcome

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
DATA_TAG = "report-data"  # a cell whose output carries the report's numbers for tests and tools
TITLE_TAG = "report-title"  # a cell whose plain-text output is the page's title


def export_html(executed: nbformat.NotebookNode, *, with_code: bool = False) -> str:
    """Self-contained HTML of an executed notebook; the reader's form hides the code."""
    exporter = _exporter(with_code)
    resources = {"ds_status_styles": status_styles()}
    title = page_title(executed)
    if title:
        executed = copy.copy(executed)
        executed.metadata = {**executed.metadata, "title": title}
    body, _ = exporter.from_notebook_node(copy.deepcopy(executed), resources=resources)
    return body


def with_html(outcome: Outcome) -> Outcome:
    """The Outcome of ``run_report(..., export=False)`` with its HTML: both forms of a report
    that ran, the failed run's page of one that did not."""
    if outcome.executed is not None:
        return dataclasses.replace(outcome, executed=None, reader_html=export_html(outcome.executed),
                                   full_html=export_html(outcome.executed, with_code=True))
    if outcome.failed_notebook is not None and outcome.failed_html is None:
        ran = nbformat.reads(outcome.failed_notebook, as_version=4)
        return dataclasses.replace(outcome, failed_html=export_html(ran, with_code=True))
    return outcome


@functools.lru_cache(maxsize=2)
def _exporter(with_code: bool) -> HTMLExporter:
    """One exporter per form and process: it compiles its templates once, not per report.
    (nbconvert is imported here: a process that exports nothing, a build's worker, never does.)"""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=not with_code, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    hidden = {DATA_TAG} if with_code else {DATA_TAG, "injected-parameters"}
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=hidden), enabled=True)
    return exporter


def page_title(executed: nbformat.NotebookNode) -> str | None:
    """The plain text the notebook's ``report-title`` cell displayed, if it has one."""
    for cell in executed.cells:
        if TITLE_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/plain")
                if text:
                    return "".join(text).strip()
    return None
