"""Reconstructions on several cores (engine/cores.py): the same result as on one, workers that
stop with the caller, and the caller's budget and errors carried over."""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers.engine import cores
from helpers.engine.bounds import Engine
from helpers.core.checkpoints import SPEND_BUDGET_AT
from helpers.engine.budget import Budget
from helpers.engine.model import build_model
from helpers.engine.reconstruct import reconstruct_claims
from helpers.errors import SolverError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the bench package, at the root

from bench.engine import READING, generate_claims  # noqa: E402
from bench.reconstruction import plant  # noqa: E402


@pytest.fixture
def always_parallel(monkeypatch):
    monkeypatch.setattr(cores, "PARALLEL_FROM", 0)  # (read in this process only)


@pytest.fixture(scope="module")
def claims():
    return generate_claims(12, 100)[2]


def test_worker_count():
    assert cores.worker_count(cores.PARALLEL_FROM, True, cores=2) == 1  # and the caller
    assert cores.worker_count(cores.PARALLEL_FROM, True, cores=4) == 3
    assert cores.worker_count(cores.PARALLEL_FROM - 1, True, cores=2) == 0  # too small to pay
    assert cores.worker_count(10 ** 6, False, cores=2) == 0  # ranges only: fast anyway
    assert cores.worker_count(10 ** 6, True, cores=1) == 0
    assert cores.worker_count(10 ** 6, True) == cores.usable_cores() - 1


@pytest.mark.parametrize("planted", [False, True], ids=["holding", "five-contradictions"])
def test_the_same_reconstruction_on_two_cores_as_on_one(claims, planted, always_parallel):
    if planted:
        claims = plant(claims)[0]
    alone = reconstruct_claims(claims, READING, cores=1)
    shared = reconstruct_claims(claims, READING, cores=2)
    assert shared == alone
    assert alone.periods and any(r.low_rests_on or r.high_rests_on for r in alone.periods)
    assert planted == bool(alone.conflicts)


def test_ctrl_c_stops_the_workers_at_once(claims, always_parallel):
    def progress(done, total, stage):
        if stage == "period totals":
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        reconstruct_claims(claims, READING, cores=2, budget=Budget(None, progress))
    assert multiprocessing.active_children() == []


def test_a_worker_answers_within_the_callers_budget(claims):
    engine = Engine(build_model(claims, READING, "s"))
    everything = list(range(len(engine.model.groups)))
    month = engine.model.months[3]
    with cores.Workers(engine.model, 1) as workers:
        spent = workers.range((month,), everything, True, Budget(0)).get()
        enough = workers.range((month,), everything, True, Budget(None)).get()
    assert not spent.proven and not spent.explained  # cut short: marked, not guessed
    assert enough == engine.range_of((month,), everything, True)


def test_the_caller_answers_the_jobs_no_worker_has_begun_while_it_waits(claims):
    engine = Engine(build_model(claims, READING, "s"))
    everything = list(range(len(engine.model.groups)))
    months = engine.model.months
    alone = [Engine(engine.model).range_of((m,), everything, True) for m in months]
    with cores.Workers(engine.model, 1, engine) as workers:
        pending = [workers.range((m,), everything, True, Budget(None)) for m in months]
        first = pending[0].get()  # the worker is still starting: the caller takes the last ones
        taken_here = [p._future.cancelled() for p in pending]
        assert [first, *(p.get() for p in pending[1:])] == alone
    assert taken_here[-1] and not taken_here[0]
    assert 0 < sum(taken_here) < len(months)


def test_workers_start_before_the_first_job_and_then_answer_it(claims):
    # (a reconstruction starts them before its conflict search, which they then spend starting)
    engine = Engine(build_model(claims, READING, "s"))
    everything = list(range(len(engine.model.groups)))
    with cores.Workers(engine.model, 2) as workers:
        workers.start()
        assert len(workers._pool._processes) == 2  # spawned at once, no job asked yet
        answer = workers.range(engine.model.months[:1], everything, False, Budget(None)).get()
    assert answer == Engine(engine.model).range_of(engine.model.months[:1], everything, False)


def test_a_worker_killed_from_outside_is_one_clear_error(claims):
    engine = Engine(build_model(claims, READING, "s"))
    everything = list(range(len(engine.model.groups)))
    with cores.Workers(engine.model, 1) as workers:
        workers.range(engine.model.months[:1], everything, False, Budget(None)).get()  # started
        (worker,) = workers._pool._processes.values()
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        with pytest.raises(SolverError, match="stopped from outside; run it again"):
            workers.range(engine.model.months[:1], everything, False, Budget(None)).get()


def test_a_script_without_a_main_guard_runs_on_two_cores(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text(textwrap.dedent("""
        from bench.engine import READING, generate_claims
        from helpers.engine import cores
        from helpers.engine.reconstruct import reconstruct_claims
        cores.PARALLEL_FROM = 0
        rec = reconstruct_claims(generate_claims(6, 30)[2], READING, cores=2)
        print("months", len(rec.months))
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "months 6"


def test_workers_end_with_a_caller_killed_outright(tmp_path):
    # SIGKILL leaves the caller no time to stop its workers: they end with it all the same.
    script = tmp_path / "killed.py"
    script.write_text(textwrap.dedent("""
        import os, signal, sys
        from bench.engine import READING, generate_claims
        from helpers.engine import cores
        from helpers.engine.bounds import Engine
        from helpers.engine.budget import Budget
        from helpers.engine.model import build_model
        model = build_model(generate_claims(6, 30)[2], READING, "s")
        workers = cores.Workers(model, 2)
        for month in model.months[:2]:
            workers.range((month,), list(range(len(model.groups))), False, Budget(None)).get()
        print(" ".join(str(p.pid) for p in workers._pool._processes.values()), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == -signal.SIGKILL
    pids = [int(p) for p in done.stdout.split()]
    assert pids  # (spawned as needed: one or two)
    for pid in pids:  # gone (or a zombie of init's, about to be reaped) within seconds
        for _ in range(100):
            state = Path(f"/proc/{pid}/stat")
            if not state.exists() or state.read_text().split(")")[-1].split()[0] == "Z":
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"worker {pid} outlived its caller")


def test_a_budget_spent_midway_gives_the_same_result_on_two_cores(claims, always_parallel, monkeypatch):
    # The budget runs out before the third month (a point of the run's own progress): months
    # from there on, every period total and every status are reported as not proven, whichever
    # process was asked; what workers had found meanwhile is not awaited.
    monkeypatch.setenv(SPEND_BUDGET_AT, "bound:3")
    alone = reconstruct_claims(claims, READING, cores=1, budget=Budget(300))
    shared = reconstruct_claims(claims, READING, cores=2, budget=Budget(300))
    assert dataclasses.replace(shared, budget=None) == dataclasses.replace(alone, budget=None)
    assert alone.out_of_time and alone.months[1].proven and not alone.months[2].proven
    assert not any(r.proven for r in alone.periods)
