"""Build the reports of notebooks/reports.yml into an output directory.

    plan     load the data and the configuration (errors here: exit 2, no kernel started),
             fingerprint each report's inputs, skip those already current
    run      execute the rest in parallel: local worker processes, or a Dask scheduler
    write    each report atomically as it finishes; a failure keeps the old report and puts the
             failed run in <out>/.failed/
    record   the index page, the exports, and a run record in <out>/.build/runs.jsonl

Only <out>/.build/ differs between two builds of the same inputs.
"""
from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths
from helpers.data.dataset import load_dataset
from helpers.present.export import export_all
from helpers.reports.fingerprint import library_fingerprint, lock_hash, report_fingerprint
from helpers.reports.index import render_index
from helpers.reports.progress import Progress
from helpers.engine.reconstruct import reconstruct
from helpers.errors import ConfigError
from helpers.reports.config import CONFIG_NAME, ReportJob, load_jobs
from helpers.core.outputs import (check_writable, make_output_dir, output_error, write_all_atomically,
                                   write_atomically)
from helpers.reports.report import Outcome, run_report

FAILED_SUBDIR = ".failed"
STATE_SUBDIR = ".build"


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def build_reports(*, data_dir: Path | None, out_dir: Path, only: list[str] | None = None,
                  jobs: int | None = None, force: bool = False, scheduler: str | None = None,
                  quiet: bool = False, timeout: int | None = None) -> BuildResult:
    dataset = load_dataset(data_dir)  # bad data fails here, before any kernel starts
    config = paths.notebooks_dir() / CONFIG_NAME
    display = f"notebooks/{CONFIG_NAME}"
    planned = _select(load_jobs(config, dataset, display), only, display)
    make_output_dir(out_dir)
    check_writable(out_dir)  # a read-only output directory is named before any kernel starts
    _remove_leftover_temporaries(out_dir)

    library = library_fingerprint()
    fingerprints = {job.name: report_fingerprint(job.notebook, job.parameters, dataset.directory,
                                                 job.inputs, library) for job in planned}
    state = _read_state(out_dir)
    result = BuildResult()
    pending = []
    for job in planned:
        if not force and _is_current(job, fingerprints[job.name], state, out_dir):
            result.current.append(job.name)
        else:
            pending.append(job)

    data_param = _data_parameter(data_dir, dataset.directory)
    progress = Progress(len(pending), quiet=quiet)
    records = []
    for outcome in _run(pending, data_param, jobs, scheduler, timeout):
        job = next(j for j in pending if j.name == outcome.name)
        _write_outcome(outcome, out_dir)
        if outcome.ok:
            result.built.append(job.name)
            state[job.name] = {"fingerprint": fingerprints[job.name], "state": "current"}
        else:
            result.failed.append(outcome)
            state[job.name] = {**state.get(job.name, {}), "state": "stale"}
        progress.done(outcome)
        records.append({"name": job.name, "parameters": job.parameters,
                        "fingerprint": fingerprints[job.name],
                        "status": "built" if outcome.ok else "failed",
                        "failure": outcome.failure_kind, "message": outcome.message,
                        "duration": round(outcome.duration, 3)})
    progress.close()
    records += [{"name": name, "parameters": next(j for j in planned if j.name == name).parameters,
                 "fingerprint": fingerprints[name], "status": "up to date"} for name in result.current]

    rec = reconstruct(dataset)
    result.exports = export_all(rec, dataset, out_dir)
    _write_state(out_dir, state)
    write_atomically(out_dir / "index.html", render_index(_index_rows(planned, state, fingerprints,
                                                                      out_dir)))
    _append_run_record(out_dir, records)
    return result


def _select(jobs: list[ReportJob], only: list[str] | None, display: str) -> list[ReportJob]:
    if not only:
        return jobs
    known = {job.name for job in jobs}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise ConfigError(f"no report named {', '.join(map(repr, unknown))}; reports: "
                          f"{', '.join(sorted(known))}", file=display)
    return [job for job in jobs if job.name in only]


def _data_parameter(data_dir: Path | None, directory: Path) -> str:
    """Notebooks run in notebooks/; a relative path keeps the machine's paths out of reports."""
    if data_dir is None:
        return ""
    return os.path.relpath(directory.resolve(), paths.notebooks_dir().resolve())


def _run(pending: list[ReportJob], data_param: str, jobs: int | None, scheduler: str | None,
         timeout: int | None):
    """Yield each report's Outcome as it finishes."""
    if not pending:
        return
    calls = [(str(job.notebook), _with_data(job, data_param), job.name) + ((timeout,) if timeout else ())
             for job in pending]
    if scheduler:
        from helpers.reports.dask_runner import run_on_dask
        yield from run_on_dask(scheduler, calls)
        return
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    # spawn, not fork: a forked copy of a process with threads can deadlock.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(run_report, *call) for call in calls]
        try:
            for future in concurrent.futures.as_completed(futures):
                yield future.result()
        finally:  # the build stopped early (an unwritable output, an interrupt): start no more
            for future in futures:
                future.cancel()


def _with_data(job: ReportJob, data_param: str) -> dict:
    import papermill

    declared = papermill.inspect_notebook(str(job.notebook))
    if "data_dir" in declared and "data_dir" not in job.parameters:
        return {**job.parameters, "data_dir": data_param}
    return dict(job.parameters)


def _write_outcome(outcome: Outcome, out_dir: Path) -> None:
    failed_dir = out_dir / FAILED_SUBDIR
    if outcome.ok:
        write_all_atomically({out_dir / f"{outcome.name}.html": outcome.reader_html,
                              out_dir / f"{outcome.name}.code.html": outcome.full_html})
        for leftover in (failed_dir / f"{outcome.name}.ipynb", failed_dir / f"{outcome.name}.html"):
            leftover.unlink(missing_ok=True)
        return
    if outcome.failed_notebook:
        write_atomically(failed_dir / f"{outcome.name}.ipynb", outcome.failed_notebook)
    write_atomically(failed_dir / f"{outcome.name}.html", outcome.failed_html or
                     f"<!DOCTYPE html><title>{outcome.name}</title><p>{outcome.message}</p>")


def _is_current(job: ReportJob, fingerprint: str, state: dict, out_dir: Path) -> bool:
    entry = state.get(job.name, {})
    return (entry.get("fingerprint") == fingerprint and entry.get("state") == "current"
            and (out_dir / f"{job.name}.html").is_file()
            and (out_dir / f"{job.name}.code.html").is_file())


def _index_rows(planned, state, fingerprints, out_dir: Path) -> list[dict]:
    return [{"name": job.name, "parameters": job.parameters, "fingerprint": fingerprints[job.name],
             "state": state.get(job.name, {}).get("state", "missing"),
             "has_output": (out_dir / f"{job.name}.html").is_file()} for job in planned]


def _remove_leftover_temporaries(out_dir: Path) -> None:
    """A killed build may leave temporaries of atomic writes; they are never a finished file."""
    for leftover in out_dir.rglob(".*.tmp"):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as exc:
            raise output_error("remove this leftover temporary file", leftover, exc) from None


def _read_state(out_dir: Path) -> dict:
    path = out_dir / STATE_SUBDIR / "state.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(out_dir: Path, state: dict) -> None:
    write_atomically(out_dir / STATE_SUBDIR / "state.json", json.dumps(state, indent=2, sort_keys=True))


def _append_run_record(out_dir: Path, records: list[dict]) -> None:
    record = {"finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "revision": _revision(), "lock_sha256": lock_hash(), "reports": records}
    log = out_dir / STATE_SUBDIR / "runs.jsonl"
    make_output_dir(log.parent)
    try:
        with log.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(record, sort_keys=True) + "\n")
    except OSError as exc:
        raise output_error("append the run record", log, exc) from None


def _revision() -> str | None:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.project_root(),
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None
