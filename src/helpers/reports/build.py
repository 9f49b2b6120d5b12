"""Build the reports of notebooks/reports.yml into an output directory, in named stages (as
papermill's ``execute_notebook`` prepares, executes and records a notebook):

    plan     load the data and the configuration, check them and the output directory (errors
             here: exit 2, no kernel started); fingerprint each report's inputs
    run      under the output directory's lock (a second build waits), skip the reports already
             current and execute the rest in parallel: local worker processes, or a Dask scheduler
    write    each report atomically as it finishes; a failure keeps the old report and puts the
             failed run in <out>/.failed/
    record   the exports, the state, the index page, and a run record in <out>/.build/runs.jsonl

Each reading is reconstructed once: the notebooks and the record stage share the
reconstructions through <out>/.build/cache/ (``cache``), which the next build reuses.

Only <out>/.build/ differs between two builds of the same inputs. The stages pass named
checkpoints (``checkpoints``) where the fault tests stop a build.
"""
from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths
from helpers.core.outputs import (check_writable, make_output_dir, output_error, write_all_atomically,
                                  write_atomically)
from helpers.data.dataset import Dataset, load_dataset
from helpers.errors import ConfigError, UsageError
from helpers.present.export import export_all
from helpers.reports import cache
from helpers.reports.checkpoints import checkpoint
from helpers.reports.config import CONFIG_NAME, ReportJob, load_jobs
from helpers.reports.facts import Readings, export_every_reading, report_facts
from helpers.reports.fingerprint import claims_sources, library_fingerprint, lock_hash, report_fingerprint
from helpers.reports.index import render_index
from helpers.reports.locks import build_scratch, output_lock, remove_abandoned_scratch
from helpers.reports.progress import Progress
from helpers.reports.report import Outcome

FAILED_SUBDIR = ".failed"
STATE_SUBDIR = ".build"
CACHE_SUBDIR = "cache"
DATA_PARAMETER = "data_dir"
# A worker's start (its imports, its kernel's start and imports) costs about what a few reports
# do; without --jobs a build starts a worker per this many reports (see ``worker_count``).
REPORTS_PER_WORKER = 6


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)
    conflicts: dict[str, str] = field(default_factory=dict)  # report name -> its conflict line

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass(frozen=True)
class Plan:
    """What a build will do, decided before any kernel starts."""

    dataset: Dataset
    out_dir: Path
    jobs: list[ReportJob]
    calls: dict[str, dict]  # report name -> run_report's arguments (timeout added by the run stage)
    fingerprints: dict[str, str]


def build_reports(*, data_dir: Path | None, out_dir: Path, only: list[str] | None = None,
                  jobs: int | None = None, force: bool = False, scheduler: str | None = None,
                  quiet: bool = False, timeout: int | None = None) -> BuildResult:
    plan = plan_build(data_dir, out_dir, only)
    with output_lock(out_dir, out_dir / STATE_SUBDIR, quiet=quiet):
        remove_abandoned_scratch()  # what killed builds left in the temporary folder
        _remove_leftover_temporaries(out_dir)  # ... and in the output directory
        cache.remove_stale(cache_dir(out_dir))  # reconstructions by other versions of the code
        checkpoint("planned")
        state = _read_state(out_dir)
        result = BuildResult()
        pending = []
        for job in plan.jobs:
            if not force and _is_current(job, plan.fingerprints[job.name], state, out_dir):
                result.current.append(job.name)
            else:
                pending.append(job)
        progress = Progress(len(pending), quiet=quiet)
        records = []
        with contextlib.closing(progress), \
                contextlib.closing(run_reports(plan, pending, jobs, scheduler, timeout)) as outcomes:
            for count, outcome in enumerate(outcomes, start=1):
                write_outcome(outcome, out_dir, count)
                _note(outcome, plan, state, result, records)
                progress.done(outcome)
                checkpoint(f"written:{count}")
        checkpoint("record")
        record(plan, state, result, records)
    return result


# --- plan ----------------------------------------------------------------------------------

def plan_build(data_dir: Path | None, out_dir: Path, only: list[str] | None) -> Plan:
    """Load and check everything a build needs; start nothing, write nothing but the output
    directory itself."""
    dataset = load_dataset(data_dir)  # bad data fails here, before any kernel starts
    config = paths.notebooks_dir() / CONFIG_NAME
    display = f"notebooks/{CONFIG_NAME}"
    planned = _select(load_jobs(config, dataset, display), only, display)
    _check_outside_data(out_dir, dataset.directory)
    make_output_dir(out_dir)
    check_writable(out_dir)  # a read-only output directory is named before any kernel starts

    parameter, link = data_location(dataset.directory)
    library = library_fingerprint()
    claims = claims_sources(dataset.directory)
    calls, fingerprints = {}, {}
    for job in planned:
        parameters = dict(job.parameters)
        injected = DATA_PARAMETER in job.declared and DATA_PARAMETER not in parameters
        if injected:
            parameters[DATA_PARAMETER] = parameter
        calls[job.name] = {"notebook": str(job.notebook), "parameters": parameters,
                           "name": job.name, "data_link": link if injected else None,
                           "cache": str(cache_dir(out_dir).resolve())}
        fingerprints[job.name] = report_fingerprint(job.notebook, parameters, dataset.directory,
                                                    job.inputs, library, claims)
    return Plan(dataset, out_dir, planned, calls, fingerprints)


def cache_dir(out_dir: Path) -> Path:
    """Each reading's reconstruction, shared by the reports of a build and kept for the next."""
    return out_dir / STATE_SUBDIR / CACHE_SUBDIR


def _select(jobs: list[ReportJob], only: list[str] | None, display: str) -> list[ReportJob]:
    if not only:
        return jobs
    known = {job.name for job in jobs}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise ConfigError(f"no report named {', '.join(map(repr, unknown))}; reports: "
                          f"{', '.join(sorted(known))}", file=display)
    return [job for job in jobs if job.name in only]


def _check_outside_data(out_dir: Path, data_dir: Path) -> None:
    """Reports written into the data directory would be read as data: every build would find
    its inputs changed by the last one."""
    if out_dir.resolve().is_relative_to(data_dir.resolve()):
        raise UsageError(f"--out is the data directory {data_dir.name}/ or inside it: the build "
                         f"would write its reports among its own inputs; choose an output "
                         f"directory outside {data_dir.name}/")


def data_location(directory: Path) -> tuple[str, tuple[str, str] | None]:
    """How a notebook's ``data_dir`` parameter names the data directory: the same for the same
    data wherever the checkout lives, never a path of this machine.

    The bundled data/ (however it is given: --data data, an absolute path, or nothing) is "",
    the notebooks' own default. Any other data directory is its folder's name, and the kernel
    runs in a folder of its own where that name links to it (``report.execute``)."""
    real = directory.resolve()
    if real == paths.default_data_dir().resolve():
        return "", None
    name = real.name or "data"
    return name, (name, str(real))


# --- run -------------------------------------------------------------------------------------

def run_reports(plan: Plan, pending: list[ReportJob], jobs: int | None, scheduler: str | None,
                timeout: int | None) -> Iterator[Outcome]:
    """Yield each pending report's Outcome as it finishes."""
    if not pending:
        return
    calls = [{**plan.calls[job.name], **({"timeout": timeout} if timeout else {})} for job in pending]
    if scheduler:
        from helpers.reports.dask_runner import run_on_dask
        yield from run_on_dask(scheduler, calls)
        return
    from helpers.reports.workers import LocalWorkers

    workers = worker_count(jobs, len(pending))
    # While the workers start their kernels, compute the readings the reports will ask for.
    precompute = functools.partial(cache.precompute, plan.dataset,
                                   [plan.calls[job.name]["parameters"] for job in pending],
                                   cache_dir(plan.out_dir))
    with build_scratch() as scratch, LocalWorkers(workers, scratch) as pool:
        yield from pool.run(calls, meanwhile=precompute)


def worker_count(jobs: int | None, reports: int) -> int:
    """--jobs workers, never more than reports; without it one per REPORTS_PER_WORKER reports,
    up to one per core. (On two cores, a second worker for the five bundled reports cost 1 to 3 s
    of processor time and saved no wall time reliably; for eight reports it saved 1 to 2 s.)"""
    if jobs is None:
        jobs = min(os.cpu_count() or 1, math.ceil(reports / REPORTS_PER_WORKER))
    return max(1, min(jobs, reports))


# --- write -----------------------------------------------------------------------------------

def write_outcome(outcome: Outcome, out_dir: Path, count: int = 0) -> None:
    """A built report's two forms, both or neither; a failed run into .failed/."""
    failed_dir = out_dir / FAILED_SUBDIR
    if outcome.ok:
        write_all_atomically({out_dir / f"{outcome.name}.html": outcome.reader_html,
                              out_dir / f"{outcome.name}.code.html": outcome.full_html},
                             before_rename=lambda: checkpoint(f"write:{count}"))
        for leftover in (failed_dir / f"{outcome.name}.ipynb", failed_dir / f"{outcome.name}.html"):
            leftover.unlink(missing_ok=True)
        return
    if outcome.failed_notebook:
        write_atomically(failed_dir / f"{outcome.name}.ipynb", outcome.failed_notebook)
    write_atomically(failed_dir / f"{outcome.name}.html", outcome.failed_html or
                     f"<!DOCTYPE html><title>{outcome.name}</title><p>{outcome.message}</p>",
                     before_rename=lambda: checkpoint(f"write:{count}"))


def _note(outcome: Outcome, plan: Plan, state: dict, result: BuildResult, records: list) -> None:
    name = outcome.name
    if outcome.ok:
        result.built.append(name)
        state[name] = {"fingerprint": plan.fingerprints[name], "state": "current"}
    else:
        result.failed.append(outcome)
        state[name] = {**state.get(name, {}), "state": "stale"}
    job = next(j for j in plan.jobs if j.name == name)
    records.append({"name": name, "parameters": job.parameters, "fingerprint": plan.fingerprints[name],
                    "status": "built" if outcome.ok else "failed",
                    "failure": outcome.failure_kind, "message": outcome.message,
                    "duration": round(outcome.duration, 3)})


def _is_current(job: ReportJob, fingerprint: str, state: dict, out_dir: Path) -> bool:
    entry = state.get(job.name, {})
    return (entry.get("fingerprint") == fingerprint and entry.get("state") == "current"
            and (out_dir / f"{job.name}.html").is_file()
            and (out_dir / f"{job.name}.code.html").is_file())


def _remove_leftover_temporaries(out_dir: Path) -> None:
    """A killed build may leave temporaries of atomic writes; they are never a finished file.
    Only the holder of the output directory's lock removes them: they may be another build's."""
    for leftover in out_dir.rglob(".*.tmp"):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as exc:
            raise output_error("remove this leftover temporary file", leftover, exc) from None


# --- record ----------------------------------------------------------------------------------

def record(plan: Plan, state: dict, result: BuildResult, records: list[dict]) -> None:
    """The exports, the state, the index page and the run record."""
    out_dir = plan.out_dir
    readings = Readings(plan.dataset, cache_dir(out_dir))  # what the reports computed
    result.exports = export_all(readings.get(None), plan.dataset, out_dir)
    result.exports += export_every_reading(plan.dataset, readings, out_dir)
    _write_state(out_dir, state)
    facts = {job.name: report_facts(job, plan.dataset, readings) for job in plan.jobs}
    result.conflicts = {name: f.conflict for name, f in facts.items() if f.conflict}
    rows = [{"name": job.name, "parameters": job.parameters, "fingerprint": plan.fingerprints[job.name],
             "state": state.get(job.name, {}).get("state", "missing"), "facts": facts[job.name],
             "has_output": (out_dir / f"{job.name}.html").is_file()} for job in plan.jobs]
    write_atomically(out_dir / "index.html", render_index(rows),
                     before_rename=lambda: checkpoint("index"))
    records += [{"name": name, "parameters": next(j for j in plan.jobs if j.name == name).parameters,
                 "fingerprint": plan.fingerprints[name], "status": "up to date"}
                for name in result.current]
    for entry in records:
        entry.update(facts[entry["name"]].as_record())
    _append_run_record(out_dir, records)


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
