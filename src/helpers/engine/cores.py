"""Ranges and claim statuses on the machine's cores, for reconstructions big enough to pay.

A range, what each of its bounds rests on, and whether a claim is implied are facts about the
claims, found the same way by any process: every question the prover asks has one answer, and
the one choice a search makes from the history of its process, the solution it starts from, is
the first solution of the claims, computed alike everywhere before any range of them
(``Engine.range_of``). So which process answers which question does not change a
reconstruction (tests/test_cores.py holds a parallel one equal to the sequential one), and jobs
go to whichever worker is free.

Workers are spawned, not forked (a forked copy of a process with threads can deadlock); each
builds the engine once. They ignore SIGINT: Ctrl-C is the caller's, which then stops them at
once, as it does when it leaves the block in any other way; on Linux they also end with their
caller if it is killed. Each job runs under what is left of the caller's time budget, and an
answer cut short by it comes back marked as such (results.py), as it would in the caller.
"""
from __future__ import annotations

import concurrent.futures
import ctypes
import multiprocessing
import os
import signal
import sys
import types
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool

from helpers.engine.budget import Budget, OutOfTime, running
from helpers.errors import SolverError

# Below this many statements a reconstruction takes a few seconds at most: starting workers
# (a new Python importing numpy, scipy and HiGHS, about a second each) would cost more.
PARALLEL_FROM = 150

_engine = None  # the worker's own Engine (one per worker process)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(statements: int, explain: bool, cores: int | None = None) -> int:
    """How many workers a reconstruction of ``statements`` starts: none (0) unless it explains
    and is big enough, else one per usable core (``cores``: at most that many; 1: none)."""
    available = usable_cores() if cores is None else cores
    if not explain or statements < PARALLEL_FROM or available < 2:
        return 0
    return available


class Workers:
    """``with Workers(model, n) as workers: pending = workers.range((month,), basis, True, run)``;
    ``pending.get()`` is the Range. Jobs start in the order given, on whichever worker is free."""

    def __init__(self, model, count: int):
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=count, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start, initargs=(model,))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        # At once, whatever they are doing (their answers are no longer wanted): SIGTERM, whose
        # default action ends a worker even inside a long HiGHS call.
        for worker in list((getattr(self._pool, "_processes", None) or {}).values()):
            worker.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def range(self, months: Sequence[str], groups: Sequence[int], explain: bool, budget: Budget) -> _Pending:
        return self._submit(_range, tuple(months), tuple(groups), explain, _left(budget))

    def implied(self, group: int, others: Sequence[int], budget: Budget) -> _Pending:
        """Pending: whether the claim is implied by the others; None if the budget ran out."""
        return self._submit(_implied, group, tuple(others), _left(budget))

    def _submit(self, job, *args) -> _Pending:
        # A worker is spawned on a submit, when one is missing. It inherits the blocked SIGINT
        # (unblocked once it ignores it), and it is not handed the caller's main script: a
        # script without an ``if __name__ == "__main__":`` guard would run again in it.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            return _Pending(self._pool.submit(job, *args))
        except BrokenProcessPool:
            raise _stopped() from None
        finally:
            sys.modules["__main__"] = main
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Pending:
    def __init__(self, future: concurrent.futures.Future):
        self._future = future

    def get(self):
        try:
            return self._future.result()
        except BrokenProcessPool:
            raise _stopped() from None


def _stopped() -> SolverError:
    return SolverError("a worker process of the reconstruction was stopped from outside; run it again")


class InProcess:
    """What ``Workers`` does, in this process: each answer is computed when it is asked for
    (``get``), under the budget running then, in the order asked (the sequential engine)."""

    def __init__(self, engine):
        self._engine = engine

    def range(self, months: Sequence[str], groups: Sequence[int], explain: bool, budget: Budget):
        return Later(lambda: self._engine.range_of(tuple(months), list(groups), explain))

    def implied(self, group: int, others: Sequence[int], budget: Budget):
        return Later(lambda: _implied_by(self._engine, group, others))


class Later:
    """An answer computed when asked for (``get``)."""

    def __init__(self, compute):
        self.get = compute


def _implied_by(engine, group: int, others: Sequence[int]) -> bool | None:
    from helpers.engine.explain import implied  # (explain.py imports this module)
    try:
        return implied(engine, group, list(others))
    except OutOfTime:
        return None


def _left(budget: Budget) -> float | None:
    if budget.exhausted:
        return 0.0
    left = budget.remaining()
    return None if left == float("inf") else max(left, 0.0)


def _start(model) -> None:
    global _engine
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with_parent()
    from helpers.engine.bounds import Engine
    _engine = Engine(model)


def _range(months, groups, explain, seconds):
    with running(Budget(seconds)):
        return _engine.range_of(months, list(groups), explain)


def _implied(group, others, seconds):
    with running(Budget(seconds)):
        return _implied_by(_engine, group, others)


def _end_with_parent() -> None:
    """SIGTERM when the caller dies (Linux's PR_SET_PDEATHSIG): a caller killed with SIGKILL
    cannot stop its workers itself. Elsewhere they end once their current job is done."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the caller died before that took effect
        os._exit(1)
