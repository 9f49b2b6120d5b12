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
import re
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
    """The Outcome of ``run_report(..., export=False)`` exported: both forms of a report that
    ran; the failed run's notebook and page of one that did not."""
    ran = outcome.executed
    if ran is None:  # exported already, or a failure before anything ran
        return outcome
    if outcome.ok:
        return dataclasses.replace(outcome, executed=None, reader_html=export_html(ran),
                                   full_html=export_html(ran, with_code=True))
    return dataclasses.replace(outcome, executed=None, failed_notebook=nbformat.writes(ran),
                               failed_html=export_html(ran, with_code=True))


@functools.lru_cache(maxsize=2)
def _exporter(with_code: bool) -> HTMLExporter:
    """One exporter per form and process: it compiles its templates once, not per report.
    (nbconvert is imported here: a process that exports nothing, a build's worker, never does.)"""
    from nbconvert import HTMLExporter
    from nbconvert.exporters import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class Exporter(HTMLExporter):
        """nbconvert's HTML export without its last step, which parses the whole page again
        (BeautifulSoup, in Python: 60 % of an export) only to make cells focusable and give
        images a text: ``_focusable`` does that on the page as written."""

        def from_notebook_node(self, nb, resources=None, **kw):
            # (HTMLExporter.from_notebook_node of nbconvert 7, up to its parse)
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _focusable(page), resources

    exporter = Exporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES_DIR)],
                        exclude_input=not with_code, exclude_input_prompt=True,
                        exclude_output_prompt=True)
    hidden = {DATA_TAG} if with_code else {DATA_TAG, "injected-parameters"}
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=hidden), enabled=True)
    return exporter


_FOCUSABLE = {"jp-Cell-inputWrapper", "jp-OutputArea-output"}
_DIV = re.compile(r'<div class="([^"]*)"([^>]*)>')
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
NO_ALT = "No description has been provided for this image"  # (nbconvert's words)


def _focusable(page: str) -> str:
    """What nbconvert's HTML export adds last, for keyboards and screen readers: cells' inputs
    and outputs can take the focus, and an image without a text gets one."""
    def focus(div: re.Match) -> str:
        if _FOCUSABLE.isdisjoint(div[1].split()) or "tabindex=" in div[2]:
            return div[0]
        return f'<div class="{div[1]}"{div[2]} tabindex="0">'
    return _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', _DIV.sub(focus, page))


def page_title(executed: nbformat.NotebookNode) -> str | None:
    """The plain text the notebook's ``report-title`` cell displayed, if it has one."""
    for cell in executed.cells:
        if TITLE_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/plain")
                if text:
                    return "".join(text).strip()
    return None
