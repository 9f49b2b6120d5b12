"""Benchmark of report builds (issues 5 and 12), as ratios against baselines measured in the
same run.

1. The full build of the bundled reports (a new output directory: no cache, new kernels)
   against a plain Python script doing the same loading, reconstructions, chart and HTML page
   for each report, each the best of three runs: the ratio is what the notebook machinery
   (worker processes, kernels, papermill, nbconvert) costs on top of the work itself. Wall
   time, and the processor time of all the processes each one runs (the build's is spread
   over the cores). Both skip the IRI grammar jsonschema would build on import (as the command
   line and the build's kernels do).
2. A no-op rebuild (nothing changed) against the full build.
3. A rebuild after one report's parameter changed (a period asked for) against the full build:
   one report runs again, every other reading comes from the build's cache.
4. Eight reports with --jobs 1 against --jobs 2.
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import paths

PLAIN_SCRIPT = """
import sys
sys.modules.setdefault("rfc3987_syntax", None)  # as the command line and the build's kernels
import shutil
import tempfile
from pathlib import Path
from helpers.data.dataset import load_dataset
from helpers.present import alternatives, figures, frames, page, views
from helpers.engine.reconstruct import every_reading, reconstruct

out = Path(tempfile.mkdtemp(prefix="bench-plain-"))
dataset = load_dataset()
comparison = every_reading(dataset)               # the readings side by side, once
for reading in dataset.readings.by_name:          # one monthly report per reading
    rec = reconstruct(dataset, reading=reading)
    numbers = views.claim_numbers(dataset)
    html = [page.page_title(rec), page.page_header(rec, dataset), page.conflict_banner(rec, dataset),
            page.summary(rec, dataset),
            figures.chart_html(rec, numbers, page.changing_months(rec))._repr_html_(),
            views.months_table(rec, dataset), views.reading_view(rec, dataset),
            views.periods_table(rec, dataset), views.readings_comparison(comparison),
            views.conflicts_view(rec, dataset), alternatives.ambiguity_view(rec, dataset),
            views.status_legend(), views.claims_table(rec, dataset), views.context_view(rec, dataset),
            views.vocabulary_view(dataset)]
    html += [views.source_section(dataset, s) for s in dataset.sources]
    html += [frames.readings_list(dataset).to_html(), frames.months_frame(rec).to_html(),
             page.page_footer(rec, dataset)]
    (out / f"{reading}.html").write_text("".join(map(str, html)), encoding="utf-8")
for source_id in dataset.sources:                 # one source view per source
    html = [views.source_section(dataset, source_id), views.source_claims_table(dataset, source_id)]
    (out / f"{source_id}.html").write_text("".join(map(str, html)), encoding="utf-8")
shutil.rmtree(out)
"""

# notebooks/reports.yml with one monthly report per reading written out, so that one of them
# can be given another parameter.
def _explicit_reports(readings: list[str], asked: str | None = None) -> str:
    text = "reports:\n"
    for number, reading in enumerate(readings):
        periods = f", periods: \"{asked}\"" if asked and number == 0 else ""
        text += (f"  - name: monthly-series-{reading}\n    notebook: monthly_series.ipynb\n"
                 f"    parameters: {{reading: \"{reading}\"{periods}}}\n")
    return text + ("  - name: source-{source}\n    notebook: source_view.ipynb\n    for_each: source\n"
                   "    parameters: {source_id: \"{source}\"}\n")


EIGHT_REPORTS = "reports:\n" + "".join(
    f"  - name: copy-{i}-{{reading}}\n    notebook: monthly_series.ipynb\n    for_each: reading\n"
    f"    parameters: {{reading: \"{{reading}}\"}}\n" for i in (1, 2))


REPEATS = 3  # runs of the plain script and of the full build, the best of each taken


def _timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall time and the processor time of the command and every process under it (each is
    waited for: workers by the build, kernels by their workers), which a machine busy with
    other work changes far less than the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _build(out: Path, *extra: str, env: dict | None = None) -> tuple[float, float]:
    return _timed([sys.executable, "-m", "helpers", "build", "--out", str(out), "--quiet", *extra], env)


def _project(root: Path, reports_yml: str) -> dict:
    """A copy of the checkout's inputs with this reports.yml; the environment that builds it."""
    if not root.exists():
        shutil.copytree(paths.notebooks_dir(), root / "notebooks")
        shutil.copytree(paths.default_data_dir(), root / "data")
        shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
    (root / "notebooks" / "reports.yml").write_text(reports_yml)
    return {**os.environ, "DESERTION_SERIES_ROOT": str(root)}


def run() -> None:
    from helpers.data.dataset import load_dataset

    print("== report builds (issues 5, 12) ==")
    readings = list(load_dataset().readings.by_name)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        scratch = Path(scratch)
        # Each the best of REPEATS runs, taken in turns, as timeit takes the best: a shared
        # machine adds its own work to a run, never takes the job's away (one run each varied
        # by up to a third here, the plain script's most).
        plains, fulls = [], []
        for number in range(REPEATS):  # (a new output directory each: no cache from the last)
            plains.append(_timed([sys.executable, "-c", PLAIN_SCRIPT]))
            fulls.append(_build(scratch / f"full-{number}", "--force"))
        (plain, plain_cpu), (full, full_cpu) = min(plains), min(fulls)
        (noop, _) = _build(scratch / f"full-{REPEATS - 1}")
        print(f"plain script (load, solve, chart, HTML pages; one process): {plain:7.1f} s  = 1.00"
              f"   (CPU {plain_cpu:5.1f} s = 1.00)")
        print(f"full build of the bundled reports (default --jobs):         "
              f"{full:7.1f} s  = {full / plain:.2f} x the plain script"
              f"   (CPU {full_cpu:5.1f} s = {full_cpu / plain_cpu:.2f} x)")
        print(f"no-op rebuild (nothing changed):                            "
              f"{noop:7.1f} s  = {noop / full:.3f} x the full build")

        env = _project(scratch / "changed", _explicit_reports(readings))
        _build(scratch / "changed-out", env=env)
        env = _project(scratch / "changed", _explicit_reports(readings, asked="2023-Q3"))
        (changed, _) = _build(scratch / "changed-out", env=env)
        print(f"rebuild after one report's parameter changed (a period):    "
              f"{changed:7.1f} s  = {changed / full:.3f} x the full build")

        env = _project(scratch / "project", EIGHT_REPORTS)
        (one, _) = _build(scratch / "eight-1", "--jobs", "1", env=env)
        (two, _) = _build(scratch / "eight-2", "--jobs", "2", env=env)
        print(f"8 reports, --jobs 1:                                        {one:7.1f} s  = 1.00")
        print(f"8 reports, --jobs 2:                                        "
              f"{two:7.1f} s  = {two / one:.2f} x --jobs 1 (speed-up {one / two:.2f})")
