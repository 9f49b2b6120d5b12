"""Reports end to end: the notebook through papermill, the HTML through nbconvert."""
from __future__ import annotations

import re

import nbformat
import pytest

from helpers import paths
from helpers.core.enums import ClaimStatus, FailureKind
from helpers.present.views import STATUS_STYLES
from helpers.reports.html import export_html
from helpers.reports.report import ReportFailure, execute, report_data, run_report

NOTEBOOK = paths.notebooks_dir() / "monthly_series.ipynb"
pytestmark = pytest.mark.slow


def test_notebook_is_stored_without_outputs_and_has_parameters():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert any("parameters" in c.metadata.get("tags", []) for c in code)


def test_the_report_css_has_a_rule_for_every_claim_status():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("nothing")])
    html = export_html(notebook)
    for status in ClaimStatus:
        assert f".ds-status-{status.value} {{ {STATUS_STYLES[status]} }}\n" in html, status
    assert len(re.findall(r"^\.ds-status-", html, re.M)) == len(ClaimStatus)


def test_the_notebook_shows_the_status_legend_it_does_not_write_one():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "views.status_legend()" in code
    assert not [s.value for s in ClaimStatus if f"*{s.value}*" in markdown]


def test_notebook_with_non_default_parameters(tmp_path):
    executed = execute(NOTEBOOK, {"reading": "separate-series", "series": "desertion_attempts"},
                       name="separate")
    data = report_data(executed)
    assert data["reading"]["name"] == "separate-series"
    assert data["series"] == "desertion_attempts"
    months = {m["month"]: (m["low"], m["high"]) for m in data["months"]}
    # Under separate series September is only known to lie between November and October.
    assert months["2023-09"] == (176, 217)
    assert months["2023-10"] == (218, 218)
    # November's "more than in any other month" covers April to November (its scope).
    assert months["2023-04"] == (0, 174)


@pytest.fixture(scope="module")
def built_report():
    outcome = run_report(str(NOTEBOOK), {}, "monthly-series")
    assert outcome.ok, outcome.message
    return outcome.reader_html


def test_report_shows_september_and_the_quotes_it_rests_on(built_report):
    html = built_report
    row = re.search(r'<tr id="month-2023-09">(.*?)</tr>', html, re.S)
    assert row, "no row for September 2023"
    assert "184" in row.group(1)
    for claim_id in ("sep-nov-577", "oct-218", "nov-175"):
        assert f'href="#claim-{claim_id}"' in row.group(1)
    for quote in ("Get to Forest has received 577 appeals over the past three months",
                  "October (218 cases)", "There were 175 desertion attempts in November"):
        assert quote in html


def test_report_shows_the_legend_of_every_claim_status(built_report):
    legend = re.search(r'<ul class="ds-legend">(.*?)</ul>', built_report, re.S)
    assert legend, "no status legend in the report"
    for status in ClaimStatus:
        assert f'<span class="ds-status-{status.value}">{status.value}</span>' in legend.group(1)


def test_report_covers_june_to_november_2023(built_report):
    for month in ("2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11"):
        assert f'id="month-{month}"' in built_report


def test_report_is_self_contained(built_report):
    assert not re.search(r'<script[^>]+src=', built_report)
    assert not re.search(r'(src|href)="(https?:)?//', built_report)
    assert "data:image/svg+xml;base64" in built_report
    assert str(paths.project_root()) not in built_report


def test_every_in_page_link_has_a_target(built_report):
    targets = set(re.findall(r'id="([^"]+)"', built_report))
    links = set(re.findall(r'href="#([^"]+)"', built_report))
    assert links and links <= targets, links - targets


def _notebook_with(tmp_path, source: str):
    notebook = tmp_path / "variant.ipynb"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(source))
    nbformat.write(nb, notebook)
    return notebook


def test_a_failing_cell_is_named_with_its_error(tmp_path):
    notebook = _notebook_with(tmp_path, "raise ValueError('deliberate failure')")
    outcome = run_report(str(notebook), {}, "broken")
    assert not outcome.ok and outcome.failure_kind == "code-error"
    assert outcome.failure_kind is FailureKind.CODE_ERROR
    assert "cell 4" in outcome.message and "ValueError: deliberate failure" in outcome.message
    assert "deliberate failure" in outcome.failed_html and outcome.failed_notebook


def test_a_dead_kernel_and_a_timeout_are_told_apart(tmp_path):
    died = run_report(str(_notebook_with(tmp_path, "import os; os._exit(1)")), {}, "died")
    assert not died.ok and died.failure_kind == "kernel-died", died.message
    assert "kernel died" in died.message
    slow = run_report(str(_notebook_with(tmp_path, "import time; time.sleep(120)")), {}, "slow",
                      timeout=15)
    assert not slow.ok and slow.failure_kind == "timeout", slow.message
    assert "cell 4" in slow.message and "timeout" in slow.message


def test_execute_raises_report_failure_for_a_missing_reading():
    with pytest.raises(ReportFailure, match="no-such-reading"):
        execute(NOTEBOOK, {"reading": "no-such-reading"}, name="bad-reading")


def test_reader_html_hides_code_and_full_html_shows_it():
    executed = execute(NOTEBOOK, {}, name="forms")
    reader, full = (re.sub(r"<[^>]+>", "", export_html(executed, with_code=form))
                    for form in (False, True))
    assert "load_dataset(" not in reader
    assert "load_dataset(" in full


def test_cells_can_take_the_focus_and_an_image_without_a_text_gets_one():
    """What nbconvert's own last pass (BeautifulSoup) added, which the export does on the page
    as written: the same page, once a parser has read both."""
    from bs4 import BeautifulSoup

    from helpers.reports.html import NO_ALT

    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("1 + 1", execution_count=1, outputs=[
            nbformat.v4.new_output("execute_result", {"text/html": "<b>2</b>"}, execution_count=1)]),
        nbformat.v4.new_code_cell("chart()", execution_count=2, outputs=[
            nbformat.v4.new_output("display_data", {"image/png": png})])])
    page = export_html(nb, with_code=True)
    soup = BeautifulSoup(page, features="html.parser")
    inputs = soup.select(".jp-Notebook div.jp-Cell-inputWrapper")
    outputs = soup.select(".jp-Notebook div.jp-OutputArea-output")
    assert len(inputs) == 2 and len(outputs) == 2
    assert all(div.get("tabindex") == "0" for div in inputs + outputs)
    assert [img.get("alt") for img in soup.select("img")] == [NO_ALT]
