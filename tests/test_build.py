"""Builds a scheduler can trust: incremental, parallel = sequential, atomic, reproducible."""
from __future__ import annotations

import filecmp
import getpass
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import nbformat
import pytest

from helpers import paths
from helpers.reports.build import build_reports

pytestmark = pytest.mark.slow
SOURCE_REPORT = "source-000_53cf863e7d9b0b6b"
MAIN_REPORT = "monthly-series-one-series"


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of an output directory but the run records, which may differ between builds."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".build" not in p.relative_to(out).parts}


@pytest.fixture(scope="module")
def full_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("full")
    result = build_reports(data_dir=None, out_dir=out, jobs=2, quiet=True)
    assert result.exit_code == 0, [f.message for f in result.failed]
    return out, result


def test_full_build_writes_every_report_both_forms_index_and_exports(full_build):
    out, result = full_build
    assert set(result.built) == {MAIN_REPORT, "monthly-series-extremes-over-window",
                                 "monthly-series-non-strict-extremes",
                                 "monthly-series-separate-series", SOURCE_REPORT}
    for name in result.built:
        assert (out / f"{name}.html").is_file() and (out / f"{name}.code.html").is_file()
        assert f'href="{name}.html"' in (out / "index.html").read_text()
    for name in ("series.csv", "claims.csv", "datapackage.json", "annotations.jsonld"):
        assert (out / name).is_file()
    assert (out / ".build" / "runs.jsonl").read_text().count("\n") == 1


def _visible_text(html: str) -> str:
    """What a reader sees: without <style> blocks, data: URIs (base64, where any short string
    turns up by chance: the host name 'vm' does), tags and entities."""
    html = re.sub(r"<style\b.*?</style>", " ", html, flags=re.S | re.I)
    html = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+", " ", html)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_external_url_and_no_machine_path_in_any_report(full_build):
    out, _ = full_build
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', html), page.name
        assert str(paths.project_root()) not in html and str(out) not in html, page.name
        text = _visible_text(html)
        assert str(Path.home()) + "/" not in text, page.name
        for word in {os.uname().nodename, getpass.getuser()}:  # as a word, not inside one
            assert not re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w.-])", text), (page.name, word)


def test_second_build_executes_nothing_and_changes_nothing(full_build, tmp_path):
    out, _ = full_build
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    before = outputs(copy)
    result = build_reports(data_dir=None, out_dir=copy, jobs=2, quiet=True)
    assert result.built == [] and result.failed == []
    assert sorted(result.current) == sorted(n[:-5] for n in before if n.endswith(".html")
                                            and "/" not in n and not n.endswith(".code.html")
                                            and n != "index.html")
    assert outputs(copy) == before


def test_parallel_build_equals_sequential_and_rebuilds_are_byte_identical(full_build, tmp_path):
    out, _ = full_build
    sequential = tmp_path / "sequential"
    result = build_reports(data_dir=None, out_dir=sequential, jobs=1, quiet=True, force=True)
    assert result.exit_code == 0
    assert outputs(sequential) == outputs(out)


def test_touching_one_data_file_rebuilds_exactly_the_reports_that_read_it(full_build, tmp_path):
    out, _ = full_build
    data = tmp_path / "data"
    shutil.copytree(paths.default_data_dir(), data)
    copy = tmp_path / "out"
    first = build_reports(data_dir=data, out_dir=copy, jobs=2, quiet=True)
    assert first.exit_code == 0
    readings = data / "readings.yml"
    readings.write_text(readings.read_text() + "# a comment changes the file, not the meaning\n")
    second = build_reports(data_dir=data, out_dir=copy, jobs=2, quiet=True)
    # The monthly reports read readings.yml; the source view does not.
    assert sorted(second.built) == sorted(n for n in first.built if n.startswith("monthly-series"))
    assert second.current == [SOURCE_REPORT]


@pytest.fixture
def project_with_broken_report(tmp_path):
    """A copy of the project's notebooks with one report whose notebook raises."""
    root = tmp_path / "project"
    shutil.copytree(paths.notebooks_dir(), root / "notebooks")
    shutil.copytree(paths.default_data_dir(), root / "data")
    shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
    nb = nbformat.read(root / "notebooks" / "source_view.ipynb", as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("if source_id == 'boom':\n    raise RuntimeError('on purpose')"))
    nbformat.write(nb, root / "notebooks" / "source_view.ipynb")
    (root / "notebooks" / "reports.yml").write_text(
        "reports:\n"
        "  - name: good\n    notebook: source_view.ipynb\n"
        "  - name: broken\n    notebook: source_view.ipynb\n    parameters: {source_id: boom}\n")
    return root


def _cli(*args, root: Path, **kwargs):
    env = {**os.environ, "DESERTION_SERIES_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True,
                          env=env, timeout=600, **kwargs)


def test_a_failing_report_keeps_its_old_html_exits_1_and_others_build(project_with_broken_report):
    root = project_with_broken_report
    out = root / "reports"
    out.mkdir()
    (out / "broken.html").write_text("the last good build")
    result = _cli("build", "--out", str(out), root=root)
    assert result.returncode == 1, result.stderr
    assert "broken" in result.stderr and "RuntimeError: on purpose" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "broken.html").read_text() == "the last good build"
    assert (out / ".failed" / "broken.ipynb").is_file() and (out / ".failed" / "broken.html").is_file()
    assert (out / "good.html").is_file()
    index = (out / "index.html").read_text()
    assert "stale" in index and 'href=".failed/broken.html"' in index


def test_bad_configuration_exits_2_before_any_kernel(project_with_broken_report):
    root = project_with_broken_report
    (root / "notebooks" / "reports.yml").write_text(
        "reports:\n  - name: x\n    notebook: source_view.ipynb\n    parameters: {no_such: 1}\n")
    result = _cli("build", "--out", str(root / "reports"), root=root)
    assert result.returncode == 2
    assert "no_such" in result.stderr and "reports.yml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_killed_build_leaves_earlier_reports_intact(full_build, tmp_path):
    out, _ = full_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = outputs(copy)
    process = subprocess.Popen([sys.executable, "-m", "helpers", "build", "--out", str(copy),
                                "--force", "--quiet"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(6)  # mid-run: kernels are executing
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = outputs(copy)
    assert not [n for n in after if n.endswith(".tmp")]
    # Each file is either the earlier one or a complete new one (identical bytes: same inputs).
    assert {n: b for n, b in after.items() if n in before} == before


def test_dask_local_cluster_builds_the_same_bytes(full_build, tmp_path):
    import distributed

    out, _ = full_build
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        dask_out = tmp_path / "dask"
        result = build_reports(data_dir=None, out_dir=dask_out, scheduler=cluster.scheduler_address,
                               quiet=True, only=[MAIN_REPORT, SOURCE_REPORT])
    assert result.exit_code == 0, [f.message for f in result.failed]
    for name in (MAIN_REPORT, SOURCE_REPORT):
        assert filecmp.cmp(dask_out / f"{name}.html", out / f"{name}.html", shallow=False)


# --- the same bytes wherever the checkout lives; inputs as the loader reads them; one lock ------

TWO_REPORTS = ("reports:\n  - name: source\n    notebook: source_view.ipynb\n"
               "  - name: monthly\n    notebook: monthly_series.ipynb\n    parameters: {reading: one-series}\n")
SOURCE_ONLY = "reports:\n  - name: source\n    notebook: source_view.ipynb\n"


def project_copy(root: Path, reports_yml: str) -> Path:
    """data/, the report notebooks and the lock, with this reports.yml: a checkout's inputs."""
    shutil.copytree(paths.default_data_dir(), root / "data")
    (root / "notebooks").mkdir(parents=True)
    for notebook in paths.notebooks_dir().glob("*.ipynb"):
        shutil.copy(notebook, root / "notebooks" / notebook.name)
    (root / "notebooks" / "reports.yml").write_text(reports_yml, encoding="utf-8")
    shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
    return root


def _run(*args, root: Path, cwd: Path, **kwargs):
    env = {**os.environ, "DESERTION_SERIES_ROOT": str(root), **kwargs.pop("env", {})}
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600, **kwargs)


def test_two_checkouts_build_the_same_bytes_and_make_reports_then_build_is_a_no_op(tmp_path):
    here = project_copy(tmp_path / "a" / "desertion-series", TWO_REPORTS)
    there = project_copy(tmp_path / "elsewhere" / "deeper" / "det", TWO_REPORTS)
    # As `make reports` runs it (--data data, from the checkout), and as `python -m helpers build`
    # (no --data) from another folder.
    made = _run("build", "--data", "data", "--out", "reports", "--quiet", root=here, cwd=here)
    assert made.returncode == 0, made.stderr
    built = _run("build", "--quiet", root=there, cwd=there / "notebooks")
    assert built.returncode == 0, built.stderr
    assert outputs(here / "reports") == outputs(there / "reports")
    code = (here / "reports" / "source.code.html").read_text(encoding="utf-8")
    assert re.search(r'data_dir</span> <span class="o">=</span> <span class="s2">""</span>', code)
    assert str(tmp_path) not in code + (here / "reports" / "monthly.code.html").read_text()

    before = outputs(here / "reports")
    again = _run("build", root=here, cwd=here)
    assert again.returncode == 0, again.stderr
    assert "0 built, 2 up to date, 0 failed" in again.stdout
    assert outputs(here / "reports") == before


def test_data_outside_the_checkout_is_named_by_its_folder_not_its_path(tmp_path):
    root = project_copy(tmp_path / "project", SOURCE_ONLY)
    pages = []
    for n, place in enumerate((tmp_path / "one" / "data", tmp_path / "two" / "three" / "data")):
        shutil.copytree(paths.default_data_dir(), place)
        done = _run("build", "--data", str(place), "--out", str(tmp_path / f"out{n}"), "--quiet",
                    root=root, cwd=root)
        assert done.returncode == 0, done.stderr
        pages.append(outputs(tmp_path / f"out{n}"))
    assert pages[0] == pages[1]
    code = pages[0]["source.code.html"].decode()
    assert re.search(r'data_dir</span> <span class="o">=</span> <span class="s2">&#34;data&#34;|'
                     r'data_dir</span> <span class="o">=</span> <span class="s2">"data"</span>', code)
    assert str(tmp_path) not in code


EXTRA_CLAIM = """\
source: 000_53cf863e7d9b0b6b
claims:
  - id: jun-54-again
    kind: total
    series: desertion_attempts
    period: 2023-06
    value: 54
    quote: June (54 cases)
"""


def test_a_claims_file_named_otherwise_rebuilds_the_report_of_its_source(tmp_path, monkeypatch):
    root = project_copy(tmp_path / "project", (paths.notebooks_dir() / "reports.yml").read_text())
    monkeypatch.setenv("DESERTION_SERIES_ROOT", str(root))
    out = root / "reports"
    first = build_reports(data_dir=None, out_dir=out, jobs=1, quiet=True, only=[SOURCE_REPORT])
    assert first.built == [SOURCE_REPORT]
    assert "jun-54-again" not in (out / f"{SOURCE_REPORT}.html").read_text()
    (root / "data" / "claims" / "extra.yml").write_text(EXTRA_CLAIM, encoding="utf-8")
    second = build_reports(data_dir=None, out_dir=out, jobs=1, quiet=True, only=[SOURCE_REPORT])
    assert second.built == [SOURCE_REPORT], "the source's report was not rebuilt"
    assert "jun-54-again" in (out / f"{SOURCE_REPORT}.html").read_text()


def test_a_second_build_into_the_same_directory_waits_for_the_first(tmp_path):
    root = project_copy(tmp_path / "project", SOURCE_ONLY)
    paused = tmp_path / "paused"
    first = subprocess.Popen(
        [sys.executable, "-m", "helpers", "build", "--quiet"], cwd=root, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "DESERTION_SERIES_ROOT": str(root), "DESERTION_SERIES_PAUSE_AT": "planned",
             "DESERTION_SERIES_PAUSED": str(paused)})
    try:
        deadline = time.monotonic() + 120
        while not paused.exists():  # the first build holds the lock, paused before any report
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.1)
        second = subprocess.Popen([sys.executable, "-m", "helpers", "build"], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "DESERTION_SERIES_ROOT": str(root)})
        time.sleep(8)
        assert second.poll() is None, second.communicate()  # still waiting
        assert not (root / "reports" / "source.html").exists()
    finally:
        os.killpg(first.pid, signal.SIGINT)
        _, said = first.communicate(timeout=120)
    assert first.returncode == 130 and said == "interrupted\n", said
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert err.splitlines()[0] == (f"waiting for the build already writing into {root / 'reports'} "
                                   f"(process {first.pid}) to finish")
    assert "1 built, 0 up to date, 0 failed" in out


# --- each reading computed once: the cache of reconstructions; kernels kept warm -----------------

def _cache_entries(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in (out / ".build" / "cache").rglob("*.pickle")}


def test_a_build_from_the_cache_has_the_bytes_of_a_run_without_it(full_build, tmp_path):
    from helpers.reports.build import plan_build
    from helpers.reports.report import run_report

    out, _ = full_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    entries = _cache_entries(copy)
    assert len(entries) == 5  # four readings and the readings side by side
    result = build_reports(data_dir=None, out_dir=copy, jobs=2, quiet=True, force=True)
    assert result.exit_code == 0
    assert outputs(copy) == outputs(out)
    assert _cache_entries(copy) == entries, "a reading was computed again"
    # As a researcher runs it: no build, no cache, a kernel of its own.
    call = {**plan_build(None, tmp_path / "plain", [MAIN_REPORT]).calls[MAIN_REPORT], "cache": None}
    alone = run_report(**call)
    assert alone.ok, alone.message
    assert alone.reader_html.encode() == outputs(out)[f"{MAIN_REPORT}.html"]
    assert alone.full_html.encode() == outputs(out)[f"{MAIN_REPORT}.code.html"]


def test_damaged_cache_entries_are_computed_again_to_the_same_bytes(full_build, tmp_path):
    from helpers.reports import cache

    out, _ = full_build
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    for name, (_, whole) in _cache_entries(copy).items():
        (copy / name).write_bytes(whole[:len(whole) // 3])
    result = build_reports(data_dir=None, out_dir=copy, jobs=2, quiet=True, force=True)
    assert result.exit_code == 0
    assert outputs(copy) == outputs(out)
    assert all(cache._load(copy / name) is not None for name in _cache_entries(copy))


def _monthly_reports(*readings: str) -> str:
    return "reports:\n" + "".join(f"  - name: {name}\n    notebook: monthly_series.ipynb\n"
                                  f"    parameters: {{reading: {reading}}}\n"
                                  for name, reading in zip("ab", readings))


def test_changing_one_reports_parameter_reuses_the_cached_readings(tmp_path, monkeypatch):
    root = project_copy(tmp_path / "project", _monthly_reports("one-series", "separate-series"))
    monkeypatch.setenv("DESERTION_SERIES_ROOT", str(root))
    out = root / "reports"
    first = build_reports(data_dir=None, out_dir=out, jobs=1, quiet=True)
    assert sorted(first.built) == ["a", "b"]
    entries = _cache_entries(out)
    (root / "notebooks" / "reports.yml").write_text(_monthly_reports("separate-series", "separate-series"))
    second = build_reports(data_dir=None, out_dir=out, jobs=1, quiet=True)
    assert second.built == ["a"] and second.current == ["b"]
    assert _cache_entries(out) == entries, "a reading was computed again"
    assert (out / "a.html").read_bytes() == (out / "b.html").read_bytes()


PROBE = ("import os\n"
         "print('probe', os.getpid(), os.getcwd(), 'leaked' in globals(), get_ipython().execution_count)\n"
         "leaked = n\n"
         "assert n >= 0, 'on purpose'")


def test_a_worker_keeps_its_kernel_clean_between_reports_and_drops_it_after_a_failure(tmp_path):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    shutil.copytree(paths.default_data_dir(), root / "data")
    shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
    parameters = nbformat.v4.new_code_cell("n: int = 0")
    parameters.metadata["tags"] = ["parameters"]
    notebook = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_code_cell(PROBE)])
    notebook.metadata["kernelspec"] = {"name": "desertion-series", "display_name": "x", "language": "python"}
    nbformat.write(notebook, root / "notebooks" / "probe.ipynb")
    (root / "notebooks" / "reports.yml").write_text("reports:\n" + "".join(
        f"  - name: {name}\n    notebook: probe.ipynb\n    parameters: {{n: {n}}}\n"
        for name, n in (("one", 1), ("two", 2), ("boom", -1), ("three", 3))))
    result = _cli("build", "--jobs", "1", "--out", str(root / "reports"), root=root)
    assert result.returncode == 1 and "on purpose" in result.stderr, result.stderr
    seen = {}
    for name in ("one", "two", "boom", "three"):
        page = root / "reports" / (f".failed/{name}.html" if name == "boom" else f"{name}.html")
        [found] = re.findall(r"probe (\d+) (\S+) (True|False) (\d+)", page.read_text())
        seen[name] = found
    pids = {name: found[0] for name, found in seen.items()}
    assert pids["one"] == pids["two"] == pids["boom"] != pids["three"]
    # "one" and "three" ran in new kernels: a kept kernel looks the same to a report.
    assert {(Path(cwd), leaked, count) for _, cwd, leaked, count in seen.values()} == {
        (root / "notebooks", "False", seen["one"][3])}


def _iri_grammar_skipped() -> bool:
    import nbformat  # noqa: F401 - imports jsonschema, which imports rfc3987_syntax unless skipped
    return sys.modules.get("rfc3987_syntax", "imported") is None


def test_a_worker_skips_the_iri_grammar_as_the_command_line_does(tmp_path):
    from helpers.reports.workers import LocalWorkers

    with LocalWorkers(1, tmp_path) as workers:
        assert workers.pool.submit(_iri_grammar_skipped).result()


def test_without_jobs_few_reports_share_one_worker_and_jobs_given_are_honoured(monkeypatch):
    from helpers.reports.build import REPORTS_PER_WORKER, worker_count

    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert worker_count(None, 5) == 1 and worker_count(None, REPORTS_PER_WORKER) == 1
    assert worker_count(None, REPORTS_PER_WORKER + 1) == 2
    assert worker_count(None, 100) == 4  # at most one per core
    assert worker_count(2, 5) == 2 and worker_count(3, 2) == 2  # as asked, at most one per report
