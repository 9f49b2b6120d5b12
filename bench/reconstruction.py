"""The whole reconstruction against the naive floor: two MILPs per month (issue 12, "Benchmarks").

Measured, for 12/100, 48/400, 120/1,000 and 600/5,000 months/claims (claims from
``bench.engine.generate_claims``, fixed seed, so every case is feasible):

* floor: a plain loop of two ``scipy.optimize.milp`` calls per month (least and greatest value
  of that month) on the engine's own rows (``Engine(build_model(...)).system``: ``matrix``,
  ``low``, ``high``), integrality on, ``x >= 0``, ``mip_rel_gap`` 0: bounds only, the way a
  competent user would get them without this package. Only the loop is timed.
* whole: ``reconstruct_claims(claims, reading, explain=True)``: bounds, what each bound rests on,
  claim statuses, period totals (and, when claims conflict, every conflict set and correction
  set with their ranges). Timed from the call to its return.
* planted: the same claims with five total claims, spread over the window, given a value outside
  the range the unchanged claims allow for their period: five contradictions (``plant``).
* 600/5,000 is sampled: every 10th month's bounds and rests-on (``Engine.range_of(..., explain=
  True)``, no statuses or period totals) against the floor's loop over the same months; the
  seconds for all months are extrapolated (x10) and the printout says so.

Each figure is a ratio to the floor of the same size measured in the same run (absolute seconds
beside it). Each case runs in its own process with a time cap on its timed part
(``BENCH_CAP_SECONDS``, default 300; ``--cap`` when run as ``python -m bench.reconstruction``;
setting up may take as long again), so ``make bench`` never hangs: a stopped case prints
"more than N (stopped)", N being the seconds its timed part had run: a lower bound, and so is
its ratio ("> r"). Peak memory is each case process's peak resident set size, imports included,
read by the case itself at its end (``VmHWM``, and its workers' ``ru_maxrss``): the ``ru_maxrss``
of the rusage ``os.wait4`` returns would carry the bench process's own peak, which Linux passes
through fork and exec; it is the figure only for a case stopped at its cap. The 120/1,000 case is
the one issue 12 asks for.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from bench.engine import READING, SEED, generate_claims
from helpers.core.intervals import Interval
from helpers.engine.bounds import Engine
from helpers.engine.cores import worker_count
from helpers.engine.model import build_model
from helpers.engine.reconstruct import reconstruct_claims
from helpers.kinds.total import Total

SIZES = ((12, 100), (48, 400), (120, 1000), (600, 5000))
PLANTED_SIZES = ((12, 100), (48, 400), (120, 1000))
SAMPLED = {600: 10}          # months -> measure every n-th month only (too slow whole)
PLANTED = 5                  # contradictions planted
MEMORY_SIZE = (120, 1000)    # the case whose peak memory issue 12 asks for
CAP_VARIABLE = "BENCH_CAP_SECONDS"
DEFAULT_CAP = 300.0
ROOT = Path(__file__).resolve().parents[1]


# -- what is measured (also used by tests/test_bench.py) ----------------------------------------

def engine_of(claims) -> Engine:
    return Engine(build_model(claims, READING, "s"))


def floor_bounds(engine: Engine, every: int = 1, progress=None) -> list[tuple[int, int | None]]:
    """(least, greatest) of every ``every``-th month by two plain ``milp`` calls each on the
    engine's rows; greatest None when the month is unbounded above. ``progress(k)`` is called
    after each month, k months done."""
    system = engine.system
    n = len(system.variables)
    rows = LinearConstraint(system.matrix.astype(float), system.low, system.high)
    integer, nonnegative = np.ones(n), Bounds(np.zeros(n), np.full(n, np.inf))
    found = []
    for j in range(0, n, every):
        cost = np.zeros(n)
        cost[j] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            result = milp(sign * cost, integrality=integer, bounds=nonnegative, constraints=rows,
                          options={"mip_rel_gap": 0.0})
            if result.status == 0:
                ends.append(round(sign * result.fun))
            elif result.status == 3 and sign < 0:
                ends.append(None)
            else:
                raise RuntimeError(f"milp on month {system.variables[j]}: {result.message}")
        found.append((ends[0], ends[1]))
        if progress:
            progress(len(found))
    return found


def plant(claims, count: int = PLANTED):
    """``claims`` with ``count`` total claims, spread over the window, changed to a value outside
    the range the claims not changed allow for their period (50 % beyond its end), so each
    changed claim conflicts with unchanged ones. Returns (claims, ids of the changed claims)."""
    totals = [c for c in claims if isinstance(c.spec, Total)]
    months = sorted({m for c in claims for m in c.months()})
    centre = {c.id: (months.index(c.spec.period.start) + months.index(c.spec.period.end)) / 2 for c in totals}
    chosen, ids = [], set()
    for k in range(count):  # the total whose period is centred nearest each of count targets
        target = (k + 0.5) * len(months) / count - 0.5
        chosen.append(min((c for c in totals if c.id not in ids), key=lambda c: abs(centre[c.id] - target)))
        ids.add(chosen[-1].id)
    engine = engine_of(claims)
    unchanged = [g for g, group in enumerate(engine.model.groups) if group.claim not in ids]
    changed = {}
    for claim in chosen:
        r = engine.range_of(tuple(claim.spec.period.months), unchanged, explain=False)
        if r.high is not None:
            value = r.high + max(1, r.high // 2)
        elif r.low > 0:
            value = r.low - max(1, r.low // 2)
        else:
            raise RuntimeError(f"claim {claim.id}: its period can be anything, nothing to contradict")
        changed[claim.id] = dataclasses.replace(claim, spec=Total(claim.spec.period, Interval.point(value)))
    return [changed.get(c.id, c) for c in claims], sorted(ids)


def claims_of(months: int, count: int, planted: bool):
    claims = generate_claims(months, count)[2]
    return plant(claims)[0] if planted else claims


# -- one case, in its own process ---------------------------------------------------------------

def child(job: str, months: int, count: int, every: int, out: str) -> None:
    """Run one job (floor and sampled: every ``every``-th month) and write what it measured to
    ``out`` as JSON (first the wall-clock time its timed part starts, so a stopped job still
    gives a lower bound)."""
    claims = claims_of(months, count, planted=job == "planted")
    engine = engine_of(claims) if job in ("floor", "sampled") else None

    def started() -> float:
        Path(out).write_text(json.dumps({"started": time.time()}))
        return time.perf_counter()

    def progress(done: int) -> None:  # so that a stopped floor still gives its pace
        Path(out).write_text(json.dumps({"started": begun, "done": done, "planned": planned,
                                         "elapsed": time.perf_counter() - start, "rows": rows}))

    report: dict = {}
    if job == "floor":
        planned, rows = len(range(0, len(engine.model.months), every)), len(engine.system.constraints)
        start = started()
        begun = time.time()
        bounds = floor_bounds(engine, every, progress)
        runs = [time.perf_counter() - start]
        while sum(runs) < 1.0 and len(runs) < 20:  # a floor of milliseconds: the best of repeats
            again = time.perf_counter()
            floor_bounds(engine, every)
            runs.append(time.perf_counter() - again)
        report = {"measured": len(bounds), "rows": rows, "seconds": min(runs)}
    elif job == "sampled":
        everything = list(range(len(engine.model.groups)))
        start = started()
        ranges = [engine.range_of((m,), everything, explain=True) for m in engine.model.months[::every]]
        report = {"measured": len(ranges)}
    else:  # whole, planted
        start = started()
        cpu = _processor_seconds()
        rec = reconstruct_claims(claims, READING, explain=True)
        report = {"measured": len(rec.months), "periods": len(rec.periods), "feasible": rec.feasible,
                  "conflicts": len(rec.conflicts), "corrections": len(rec.corrections),
                  "complete": rec.conflicts_complete, "cpu": _processor_seconds() - cpu,
                  "workers": worker_count(len(claims), True)}
    report.setdefault("seconds", time.perf_counter() - start)
    report["peak_mb"] = _peak_mb()
    Path(out).write_text(json.dumps(report))


def _peak_mb() -> float | None:
    """The peak resident set size of this process since it began its program (VmHWM, which
    Linux resets on exec, unlike ru_maxrss) and of each of its children waited for, in MB;
    None without /proc."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    own = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)
    if own is None:
        return None
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024  # kilobytes


def _processor_seconds() -> float:
    """Processor time of this process and of its children waited for (the reconstruction's
    workers, once it has stopped them)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_capped(job: str, months: int, count: int, cap: float, every: int = 1) -> dict:
    """Run ``child`` in a new process, stopped once its timed part has run ``cap`` seconds (or
    after ``2 * cap`` in all). The result has
    ``stopped`` (and then ``seconds``: how long the timed part had run, a lower bound, or None
    when it had not started), ``failed`` (the exit status) when the job failed, and ``peak_mb``:
    the process's peak resident set size."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        process = subprocess.Popen([sys.executable, "-m", "bench.reconstruction", "--child", job,
                                    str(months), str(count), str(every), str(out)], cwd=ROOT, env=env)
        # The cap is on the timed part; setting up (claims, rows) may take as long again.
        deadline, stopped = time.time() + 2 * cap, False
        while True:  # os.wait4, not Popen.wait: it gives this one child's rusage
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            started = _read(out).get("started")
            if time.time() > (deadline if started is None else min(deadline, started + cap)):
                process.kill()
                stopped_at, stopped = time.time(), True
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        found = _read(out)
    peak_mb = found.pop("peak_mb", None) or usage.ru_maxrss / 1024  # (kilobytes on Linux)
    if stopped:
        begun = found.get("started")
        return {**found, "stopped": True, "seconds": None if begun is None else stopped_at - begun,
                "peak_mb": peak_mb}
    if process.returncode != 0 or "seconds" not in found:  # (its traceback is on stderr)
        return {"stopped": False, "failed": process.returncode, "peak_mb": peak_mb}
    return {**found, "stopped": False, "peak_mb": peak_mb}


def _read(out: Path) -> dict:
    try:
        return json.loads(out.read_text())
    except (OSError, ValueError):  # not written yet, or being written
        return {}


# -- the printout -------------------------------------------------------------------------------

def _seconds(result: dict, scale: int) -> str:
    if "failed" in result:
        return f"failed (exit {result['failed']})"
    if not result["stopped"]:
        return f"{result['seconds'] * scale:.2f}"
    if result["seconds"] is None:
        return "stopped before timing"
    return f"more than {result['seconds'] * scale:.0f} (stopped)"


def _ratio(result: dict, floor: dict) -> str:
    if "failed" in result or result["seconds"] is None:
        return "?"
    ratio = result["seconds"] / floor["seconds"]
    shown = f"{ratio:.2f}" if ratio < 10 else f"{ratio:.1f}" if ratio < 1000 else f"{ratio:.0f}"
    return f"> {shown}" if result["stopped"] else shown


def run(cap: float | None = None, sizes=SIZES) -> None:
    cap = float(os.environ.get(CAP_VARIABLE, DEFAULT_CAP)) if cap is None else cap
    print("reconstruction: reconstruct_claims(explain=True) against a floor of two scipy.optimize.milp "
          "calls a month (bounds only)")
    print(f"claims from bench.engine.generate_claims (seed {SEED}); {PLANTED} planted contradictions "
          f"where marked; each case in its own process, stopped after {cap:g} s ({CAP_VARIABLE})")
    print(f"\n{'case':<32}{'rows':>7}{'floor s':>10}  {'seconds':<26}{'x floor':>9}{'peak MB':>9}",
          flush=True)
    memory = None
    for months, count in sizes:
        every = SAMPLED.get(months, 1)
        floor = run_capped("floor", months, count, cap, every)
        estimated = floor["stopped"] and floor.get("done")
        if estimated:  # the floor's pace is even along the window: its time from the months done
            floor = {**floor, "seconds": floor["elapsed"] / floor["done"] * floor["planned"]}
        elif floor["stopped"] or "failed" in floor:
            print(f"{months}/{count}: floor {_seconds(floor, 1)}; case skipped", flush=True)
            continue
        jobs = (["sampled"] if every > 1
                else ["whole", "planted"] if (months, count) in PLANTED_SIZES else ["whole"])
        for job in jobs:
            result = run_capped(job, months, count, cap, every)
            label = f"{months}/{count}" + {"whole": "", "planted": f", {PLANTED} planted",
                                           "sampled": f", 1 month in {every}, x{every}"}[job]
            floor_s = ("~" if estimated else "") + f"{floor['seconds'] * every:.2f}"
            print(f"{label:<32}{floor['rows']:>7}{floor_s:>10}  {_seconds(result, every):<26}"
                  f"{_ratio(result, floor):>9}{result['peak_mb']:>9.0f}", flush=True)
            if job == "whole" and (months, count) == MEMORY_SIZE:
                memory = result
            if "cpu" in result:
                print(f"{'':<4}processor time {result['cpu']:.1f} s ({result['cpu'] / floor['seconds']:.1f}x the floor's "
                      f"wall time), {result['workers'] or 'no'} worker processes; peak MB: the largest process",
                      flush=True)
            if job == "planted" and "conflicts" in result:
                print(f"{'':<4}{result['conflicts']} conflict sets, {result['corrections']} correction sets"
                      f"{'' if result['complete'] else ' (search stopped at its limit)'}", flush=True)
        if estimated:
            print(f"{'':<4}floor stopped at the cap after {floor['done']} of {floor['planned']} months: "
                  f"its seconds (~) are extrapolated from them", flush=True)
        if every > 1:
            print(f"{'':<4}sampled: bounds and rests-on of every {every}th month only (no statuses or period "
                  f"totals), seconds extrapolated x{every}, floor over the same months", flush=True)
    if memory is not None and "failed" not in memory:
        note = " when stopped (a lower bound)" if memory["stopped"] else ""
        print(f"\npeak memory of the whole 120/1,000 case: {memory['peak_mb']:.0f} MB{note} (peak resident "
              f"set size of its process and its workers, read at its end; imports included)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reconstruction",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--cap", type=float,
                        help=f"seconds per case (default ${CAP_VARIABLE} or {DEFAULT_CAP:g})")
    parser.add_argument("--sizes", help="months/claims, comma-separated (default: all: "
                        + ",".join(f"{m}/{c}" for m, c in SIZES) + ")")
    parser.add_argument("--child", nargs=5, metavar=("JOB", "MONTHS", "CLAIMS", "EVERY", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        job, months, count, every, out = args.child
        child(job, int(months), int(count), int(every), out)
        return 0
    sizes = SIZES if not args.sizes else [tuple(int(v) for v in s.split("/")) for s in args.sizes.split(",")]
    run(args.cap, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
