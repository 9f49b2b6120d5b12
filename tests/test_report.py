"""Reports end to end: the notebook through papermill, the HTML through nbconvert."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from helpers import paths
from helpers.errors import ReportError
from helpers.report import build_report, execute, export_html, report_data

NOTEBOOK = paths.notebooks_dir() / "monthly_series.ipynb"
pytestmark = pytest.mark.slow


def test_notebook_is_stored_without_outputs_and_has_parameters():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert any("parameters" in c.metadata.get("tags", []) for c in code)


def test_notebook_with_non_default_parameters(tmp_path):
    executed = execute(NOTEBOOK, {"reading": "separate-series", "series": "desertion_attempts"},
                       name="separate", failed_dir=tmp_path / ".failed")
    data = report_data(executed)
    assert data["reading"]["name"] == "separate-series"
    assert data["series"] == "desertion_attempts"
    months = {m["month"]: (m["low"], m["high"]) for m in data["months"]}
    # Under separate series September is only known to lie between November and October.
    assert months["2023-09"] == (176, 217)
    assert months["2023-10"] == (218, 218)
    assert "2023-04" not in months  # April belongs to the counselled series only


@pytest.fixture(scope="module")
def built_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    path = build_report(NOTEBOOK, {}, out, "monthly-series")
    return path.read_text(encoding="utf-8")


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


def test_report_covers_june_to_november_2023(built_report):
    for month in ("2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11"):
        assert f'id="month-{month}"' in built_report


def test_report_is_self_contained(built_report):
    assert not re.search(r'<script[^>]+src=', built_report)
    assert not re.search(r'(src|href)="(https?:)?//', built_report)
    assert "data:image/png;base64" in built_report
    assert str(paths.project_root()) not in built_report


def test_every_in_page_link_has_a_target(built_report):
    targets = set(re.findall(r'id="([^"]+)"', built_report))
    links = set(re.findall(r'href="#([^"]+)"', built_report))
    assert links and links <= targets, links - targets


def test_a_failing_notebook_names_its_cell_and_keeps_the_old_report(tmp_path):
    notebook = tmp_path / "broken.ipynb"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise ValueError('deliberate failure')"))
    nbformat.write(nb, notebook)
    out = tmp_path / "reports"
    out.mkdir()
    (out / "broken.html").write_text("earlier report")
    with pytest.raises(ReportError, match="ValueError: deliberate failure") as caught:
        build_report(notebook, {}, out, "broken")
    assert "cell" in str(caught.value)
    assert (out / "broken.html").read_text() == "earlier report"
    assert (out / ".failed" / "broken.ipynb").exists()


def test_build_command_writes_the_report(tmp_path):
    out = tmp_path / "reports"
    result = subprocess.run([sys.executable, "-m", "helpers", "build", "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert (out / "monthly-series.html").exists()
    assert "monthly-series.html" in result.stdout


def test_build_with_bad_data_leaves_earlier_reports(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.default_data_dir(), data)
    (data / "vocabulary.yml").write_text("ratio: {nearly doubled: 'not an interval'}\n")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "monthly-series.html").write_text("earlier report")
    result = subprocess.run([sys.executable, "-m", "helpers", "build", "--data", str(data),
                             "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 2
    assert "vocabulary.yml" in result.stderr and "Traceback" not in result.stderr
    assert (out / "monthly-series.html").read_text() == "earlier report"


def test_reader_html_hides_code_and_full_html_shows_it(tmp_path):
    executed = execute(NOTEBOOK, {}, name="forms", failed_dir=tmp_path)
    reader, full = export_html(executed), export_html(executed, with_code=True)
    assert "load_dataset(" not in reader
    assert "load_dataset(" in full
