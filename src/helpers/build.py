"""Build the reports: validate the inputs first, then execute and export each report."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from helpers import paths
from helpers.dataset import load_dataset
from helpers.export import export_all
from helpers.reconstruct import reconstruct
from helpers.report import build_report

REPORT_NOTEBOOK = "monthly_series.ipynb"
REPORT_NAME = "monthly-series"


def build_reports(*, data_dir: Path | None, out_dir: Path, reading: str | None = None,
                  quiet: bool = False) -> list[Path]:
    """Build every report into ``out_dir``; return the HTML files written."""
    dataset = load_dataset(data_dir)  # bad data fails here, before any kernel starts
    dataset.readings.get(reading)     # and so does an unknown reading
    # Notebooks run in notebooks/; a relative path keeps the build machine's paths out of reports.
    data_param = "" if data_dir is None else os.path.relpath(dataset.directory.resolve(),
                                                             paths.notebooks_dir().resolve())
    parameters = {"data_dir": data_param, "reading": reading or "", "series": ""}
    jobs = [(REPORT_NAME, paths.notebooks_dir() / REPORT_NOTEBOOK, parameters)]
    written = []
    for number, (name, notebook, params) in enumerate(jobs, start=1):
        if not quiet:
            print(f"[{number}/{len(jobs)}] building {name} from notebooks/{notebook.name} ...",
                  file=sys.stderr, flush=True)
        written.append(build_report(notebook, params, out_dir, name))
    # The data behind the reports, next to them, for other tools.
    written += export_all(reconstruct(dataset, reading=reading), dataset, out_dir)
    return written
