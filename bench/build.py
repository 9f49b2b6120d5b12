"""Benchmark of report builds (issue 5), as ratios against baselines measured in the same run.

1. The full build of the bundled reports against a plain Python script doing the same loading,
   solving and plotting: the ratio is what the notebook machinery (kernels, papermill,
   nbconvert) costs on top of the work itself.
2. A no-op rebuild (nothing changed) against the full build.
3. Eight reports with --jobs 1 against --jobs 2.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from helpers import paths

PLAIN_SCRIPT = """
import io
from helpers.data.dataset import load_dataset
from helpers.present.figures import monthly_chart
from helpers.engine.reconstruct import every_reading, reconstruct
from helpers.present import views

dataset = load_dataset()
comparison = every_reading(dataset)               # the readings side by side, once
for reading in dataset.readings.by_name:          # one monthly report per reading
    rec = reconstruct(dataset, reading=reading)
    numbers = views.claim_numbers(dataset)
    monthly_chart(rec, numbers).savefig(io.BytesIO(), format="png")
    html = [views.reading_view(rec, dataset), views.months_table(rec, dataset),
            views.periods_table(rec, dataset), views.readings_comparison(comparison),
            views.conflicts_view(rec, dataset), views.claims_table(rec, dataset),
            views.context_view(rec, dataset), views.vocabulary_view(dataset)]
    html += [views.source_section(dataset, s) for s in dataset.sources]
for source_id in dataset.sources:                 # one source view per source
    views.source_section(dataset, source_id), views.source_claims_table(dataset, source_id)
"""

EIGHT_REPORTS = "reports:\n" + "".join(
    f"  - name: copy-{i}-{{reading}}\n    notebook: monthly_series.ipynb\n    for_each: reading\n"
    f"    parameters: {{reading: \"{{reading}}\"}}\n" for i in (1, 2))


def _timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _build(out: Path, *extra: str, env: dict | None = None) -> float:
    return _timed([sys.executable, "-m", "helpers", "build", "--out", str(out), "--quiet", *extra], env)


def run() -> None:
    print("== report builds (issue 5) ==")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as scratch:
        scratch = Path(scratch)
        plain = _timed([sys.executable, "-c", PLAIN_SCRIPT])
        full = _build(scratch / "full", "--force")
        noop = _build(scratch / "full")
        print(f"plain script (load, solve, plot, HTML views; one process): {plain:7.1f} s  = 1.00")
        print(f"full build of the bundled reports (--jobs {os.cpu_count()}):        "
              f"{full:7.1f} s  = {full / plain:.2f} x the plain script")
        print(f"no-op rebuild (nothing changed):                          "
              f"{noop:7.1f} s  = {noop / full:.3f} x the full build")

        root = scratch / "project"
        shutil.copytree(paths.notebooks_dir(), root / "notebooks")
        shutil.copytree(paths.default_data_dir(), root / "data")
        shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
        (root / "notebooks" / "reports.yml").write_text(EIGHT_REPORTS)
        env = {**os.environ, "DESERTION_SERIES_ROOT": str(root)}
        one = _build(scratch / "eight-1", "--jobs", "1", env=env)
        two = _build(scratch / "eight-2", "--jobs", "2", env=env)
        print(f"8 reports, --jobs 1:                                      {one:7.1f} s  = 1.00")
        print(f"8 reports, --jobs 2:                                      "
              f"{two:7.1f} s  = {two / one:.2f} x --jobs 1 (speed-up {one / two:.2f})")
