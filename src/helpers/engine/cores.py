"""Ranges and claim statuses on the machine's cores, for reconstructions big enough to pay.

A range, what each of its bounds rests on, and whether a claim is implied are facts about the
claims, found the same way by any process: every question the prover asks has one answer, and
the one choice a search makes from the history of its process, the solution it starts from, is
the first solution of the claims, computed alike everywhere before any range of them
(``Engine.range_of``). So which process answers which question does not change a
reconstruction (tests/test_cores.py holds a parallel one equal to the sequential one), and jobs
go to whichever process is free: a worker, or the caller itself while it waits for an answer
(it takes the latest job no worker has begun). The caller is one of the cores: a machine of n
gets n - 1 workers.

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
    and is big enough, else one per usable core but the caller's (``cores``: at most that many
    processes in all; 1: none)."""
    available = usable_cores() if cores is None else cores
    if not explain or statements < PARALLEL_FROM or available < 2:
        return 0
    return available - 1


class Workers:
    """``with Workers(model, n, engine) as workers: pending = workers.range((month,), basis, True, run)``;
    ``pending.get()`` is the Range. Jobs start in the order given, on whichever worker is free;
    while the caller waits in ``get``, it answers the latest job not begun with ``engine``
    (its own Engine of the model; None: it only waits)."""

    def __init__(self, model, count: int, engine=None):
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=count, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start, initargs=(model,))
        self._count = count
        self._here = InProcess(engine) if engine is not None else None
        self._waiting: list[_Pending] = []  # asked, perhaps not begun by any worker yet

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        # At once, whatever they are doing (their answers are no longer wanted): SIGTERM, whose
        # default action ends a worker even inside a long HiGHS call.
        for worker in list((getattr(self._pool, "_processes", None) or {}).values()):
            worker.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def start(self) -> None:
        """Start the workers now, before the first job: each takes about half a second to start,
        which the caller may spend on work of its own."""
        for _ in range(self._count):
            self._submit(None, _ready)  # (a worker is spawned on a submit when none is free)

    def range(self, months: Sequence[str], groups: Sequence[int], explain: bool, budget: Budget) -> _Pending:
        here = self._here and (lambda: self._here.range(months, groups, explain, budget).get())
        return self._submit(here, _range, tuple(months), tuple(groups), explain, _left(budget))

    def implied(self, group: int, others: Sequence[int], budget: Budget) -> _Pending:
        """Pending: whether the claim is implied by the others; None if the budget ran out."""
        here = self._here and (lambda: self._here.implied(group, others, budget).get())
        return self._submit(here, _implied, group, tuple(others), _left(budget))

    def answer_one_here(self) -> bool:
        """Answer in this process the latest job asked that no worker has begun; False if
        there is none left."""
        while self._waiting:
            pending = self._waiting.pop()
            if pending.take():
                return True
        return False

    def _submit(self, here, job, *args) -> _Pending:
        # A worker is spawned on a submit, when one is missing. It inherits the blocked SIGINT
        # (unblocked once it ignores it), and it is not handed the caller's main script: a
        # script without an ``if __name__ == "__main__":`` guard would run again in it.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            pending = _Pending(self._pool.submit(job, *args), self if here else None, here)
        except BrokenProcessPool:
            raise _stopped() from None
        finally:
            sys.modules["__main__"] = main
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        if here:
            self._waiting.append(pending)
        return pending


class _Pending:
    def __init__(self, future: concurrent.futures.Future, workers: Workers | None = None, here=None):
        self._future, self._workers, self._here = future, workers, here
        self._answer: tuple = ()  # (the answer,) once this process has answered it

    def take(self) -> bool:
        """Answer the job in this process, if no worker has begun it (True)."""
        if not self._future.cancel():
            return False
        self._answer = (self._here(),)
        return True

    def get(self):
        while self._workers and not self._future.done() and self._workers.answer_one_here():
            pass  # (meanwhile a worker may have answered this one)
        if self._future.cancelled():  # taken here (and answered, unless that was interrupted)
            return (self._answer or (self._here(),))[0]
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


def _ready() -> None:
    """A worker's first job: none (it is started, and its engine built, by then)."""


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
