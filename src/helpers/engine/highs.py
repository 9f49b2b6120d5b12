"""HiGHS through its own Python API (highspy), for the many small programs of explanations.

``scipy.optimize.milp`` validates its arguments and builds a new HiGHS instance on every call
(about 5 ms here); what a bound rests on and which claims are implied take hundreds of small
questions, each solved by HiGHS in well under a millisecond. ``solve`` passes one small program
to a HiGHS instance kept for the purpose and returns what HiGHS says, including, for an LP, the
row duals and, for an infeasible LP, a dual (Farkas) ray.

Nothing here is believed: exact.py checks certificates, and callers check every point in
integers. Every call to HiGHS goes through ``_run``, which keeps the run's time budget. An
integer program, which may run for long, runs on a thread of its own while the caller waits in
Python (``watched``; system.py's integer programs through scipy too): Ctrl-C, which Python
delivers only between steps of Python code, then reaches the caller at once, and HiGHS is
stopped at its next check (an interrupt callback).
"""
from __future__ import annotations

import concurrent.futures
import os
import queue
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

import highspy
import numpy as np
from scipy.sparse import csr_array

from helpers.core.linear import Constraint
from helpers.engine import budget

INF = highspy.kHighsInf
T = TypeVar("T")
_MODEL = highspy.HighsModelStatus


class Status(Enum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    LIMIT = "limit"     # out of time or iterations
    OTHER = "other"     # HiGHS could not classify the program ("Solve error", ...)


_STATUS = {_MODEL.kOptimal: Status.OPTIMAL, _MODEL.kInfeasible: Status.INFEASIBLE,
           _MODEL.kUnbounded: Status.UNBOUNDED, _MODEL.kTimeLimit: Status.LIMIT,
           _MODEL.kIterationLimit: Status.LIMIT}


@dataclass(frozen=True)
class Answer:
    status: Status
    x: np.ndarray | None = None        # a point (optimal only)
    ray: np.ndarray | None = None      # a dual ray of an infeasible LP, one entry per row


def solve(matrix: csr_array, low: np.ndarray, high: np.ndarray, cost: np.ndarray | None = None, *,
          integer: bool | np.ndarray = False, presolve: bool = True, simplex_strategy: int | None = None,
          few_cuts: bool = False) -> Answer:
    """``minimise cost @ x`` subject to ``low <= matrix @ x <= high`` and ``x >= 0`` (whole
    numbers if ``integer``, or where ``integer`` is true). ``cost`` None: any point. LPs run
    without presolve, so that an infeasible one comes with a dual ray. ``few_cuts``: an integer
    program whose root cuts cost more than they save (see _instance)."""
    rows, columns = matrix.shape
    cost = np.zeros(columns) if cost is None else np.asarray(cost, dtype=float)
    if rows == 0:  # HiGHS rejects an empty model: x = 0 is optimal unless the cost falls somewhere
        if (cost < 0).any():
            return Answer(Status.UNBOUNDED)
        return Answer(Status.OPTIMAL, np.zeros(columns))
    whole = np.broadcast_to(np.asarray(integer, dtype=bool), (columns,))
    integer = bool(whole.any())
    highs = _instance("few cuts" if integer and few_cuts else integer)
    lp = _lp(matrix, low, high, cost)
    if integer:
        kinds = highspy.HighsVarType
        lp.integrality_ = [kinds.kInteger if w else kinds.kContinuous for w in whole]
        highs.setOptionValue("presolve", "on" if presolve else "off")
    highs.setOptionValue("simplex_strategy", 1 if simplex_strategy is None else simplex_strategy)
    highs.passModel(lp)
    _run(highs, watched=integer)
    return _answer(highs, integer)


def _lp(matrix: csr_array, low: np.ndarray, high: np.ndarray, cost: np.ndarray):
    """The program as HiGHS takes it: rows ``low <= matrix @ x <= high``, counts ``x >= 0``."""
    rows, columns = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = columns, rows
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_ = np.zeros(columns), np.full(columns, INF)
    lp.row_lower_ = np.where(np.isfinite(low), low, -INF).astype(float)
    lp.row_upper_ = np.where(np.isfinite(high), high, INF).astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    return lp


def _answer(highs, integer: bool) -> Answer:
    status = _STATUS.get(highs.getModelStatus(), Status.OTHER)
    if status == Status.OPTIMAL:
        return Answer(status, np.array(highs.getSolution().col_value))
    if status == Status.INFEASIBLE and not integer:
        _, has_ray, ray = highs.getDualRay()
        return Answer(status, ray=np.array(ray) if has_ray else None)
    return Answer(status)


class Program:
    """One LP kept in its own HiGHS instance while only its objective changes: the bounds of
    every month over the same claims. HiGHS starts each solve from the last optimal basis, a
    few pivots away, instead of from nothing."""

    def __init__(self, matrix: csr_array, low: np.ndarray, high: np.ndarray, shared: str | None = None,
                 cost: np.ndarray | None = None, upper: np.ndarray | None = None):
        """``shared``: on the HiGHS instance kept under that name, for a program that ends before
        the next one of that name starts (a new instance per program costs more than it solves).
        ``cost``: the objective (default none); ``upper``: each column's upper end (default none)."""
        self._columns = matrix.shape[1]
        self._highs = _new_instance() if shared is None else _instance(shared)
        lp = _lp(matrix, low, high, np.zeros(self._columns) if cost is None else np.asarray(cost, dtype=float))
        if upper is not None:
            lp.col_upper_ = np.where(np.isfinite(upper), upper, INF).astype(float)
        self._highs.passModel(lp)
        self._everything = np.arange(self._columns, dtype=np.int32)

    def rows(self) -> int:
        return self._highs.getNumRow()

    def add_row(self, row: Constraint, index: Mapping[str, int]) -> None:
        """One more row, a constraint over months (``index``: each month's column)."""
        columns = np.array([index[m] for m, _ in row.terms], dtype=np.int32)
        values = np.array([c for _, c in row.terms], dtype=float)
        self._highs.addRow(-INF if row.low is None else float(row.low), INF if row.high is None else float(row.high),
                           len(columns), columns, values)

    def drop_rows_from(self, first: int) -> None:
        """Drop the rows from position ``first`` on (those added last)."""
        count = self.rows() - first
        if count > 0:
            self._highs.deleteRows(count, np.arange(first, first + count, dtype=np.int32))

    def free_rows(self, rows: Sequence[int], free: bool, low: np.ndarray, high: np.ndarray) -> None:
        """Lift the ``rows``' ends (``free``), or put back ``low`` and ``high``."""
        picked = np.asarray(rows, dtype=np.int32)
        ends = (np.full(len(picked), -INF), np.full(len(picked), INF)) if free else (
            np.where(np.isfinite(low), low, -INF).astype(float), np.where(np.isfinite(high), high, INF).astype(float))
        self._highs.changeRowsBounds(len(picked), picked, *ends)

    def feasible_point(self) -> Answer:
        """The program as it stands (with its objective, if it was given one): a point, or a dual
        ray when infeasible."""
        _run(self._highs)
        return _answer(self._highs, integer=False)

    def minimise(self, cost: np.ndarray) -> Answer:
        self._highs.changeColsCost(self._columns, self._everything, np.asarray(cost, dtype=float))
        _run(self._highs)
        answer = _answer(self._highs, integer=False)
        if answer.status in (Status.OPTIMAL, Status.INFEASIBLE):
            return answer
        # From the basis of an unbounded objective, HiGHS may give up on the next one
        # ("unbounded or infeasible"): asked again from nothing, it answers.
        self._highs.clearSolver()
        _run(self._highs)
        return _answer(self._highs, integer=False)


class Programs:
    """The LPs of the latest few sets of rows, each kept (``Program``) to be asked again with
    other objectives: the bounds of every month over the same claims."""

    def __init__(self, most: int = 4):
        self._kept: dict[tuple, Program] = {}
        self._most = most

    def of(self, key: tuple, matrix: csr_array, low: np.ndarray, high: np.ndarray) -> Program:
        if key not in self._kept:
            if len(self._kept) >= self._most:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = Program(matrix, low, high)
        return self._kept[key]


def _run(highs, watched: bool = False) -> None:
    """Every HiGHS run of this module: the run's time budget is asked first, and a program gets
    no more than the time left (see budget.py). ``watched``: on the solver thread (_watched)."""
    run = budget.active()
    limit = run.time_limit()
    # HiGHS compares time_limit with the time of every run of the instance so far, not of this
    # one: a kept instance would stop every program once it had solved for the limit in all.
    highs.setOptionValue("time_limit", highs.getRunTime() + limit)
    _watched(highs) if watched else highs.run()
    if highs.getModelStatus() == _MODEL.kTimeLimit:
        run.stopped_at(limit)


_STOP = threading.Event()  # set: the integer program running now is to stop (_stop_when_asked)
_SOLVER: tuple[int, queue.SimpleQueue] | None = None  # (its process, the solver thread's jobs)


def watched(call: Callable[[], T], stop: Callable[[], None] | None = None) -> T:
    """``call()`` on the solver thread while this one waits, in Python, so that Ctrl-C (which
    Python delivers only between steps of Python code) interrupts the wait at once. Then
    ``stop()`` ends the call and it is waited for, or, without ``stop``, it is left to finish
    on its own (its answer unused), and the interrupt is raised again. One thread for all
    calls, kept (a new one per call cost more than the small programs it would run); a daemon,
    so that a call left running never holds up the end of the process."""
    global _SOLVER
    if _SOLVER is None or _SOLVER[0] != os.getpid():  # (a forked child has no such thread)
        jobs: queue.SimpleQueue = queue.SimpleQueue()
        # Started with Ctrl-C blocked, so that the signal always reaches the waiting thread.
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            threading.Thread(target=_serve, args=(jobs,), name="highs", daemon=True).start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        _SOLVER = (os.getpid(), jobs)
    _STOP.clear()
    running: concurrent.futures.Future = concurrent.futures.Future()
    _SOLVER[1].put((call, running))
    try:
        return running.result()
    except BaseException:
        if not running.done() and stop is not None:
            stop()
            concurrent.futures.wait([running])  # (it stops at its next check: at once)
        raise


def _serve(jobs: queue.SimpleQueue) -> None:
    while True:
        call, running = jobs.get()
        try:
            running.set_result(call())
        except BaseException as error:  # (handed to the waiting thread, raised there)
            running.set_exception(error)


def _watched(highs) -> None:
    """``highs.run()`` through ``watched``; the instance stops when asked (_stop_when_asked)."""
    watched(highs.run, _STOP.set)


def _stop_when_asked(highs, check: Callable | None = None):
    """An instance whose integer programs stop when _STOP is set (HiGHS asks at every node;
    ``check``: what it asks instead of ``_interrupt``)."""
    highs.setCallback(check or _interrupt, None)
    highs.startCallback(highspy.cb.HighsCallbackType.kCallbackMipInterrupt)
    return highs


def _interrupt(kind, message, out, asked, data) -> None:
    if _STOP.is_set():
        asked.user_interrupt = True


def hold(seconds: float, started: Callable[[], None] = lambda: None) -> None:
    """One HiGHS call that lasts ``seconds``, as any long solve: a test's pause inside the
    solver (core/checkpoints.py), which calls ``started()`` from inside it. The program is a
    market split (Cornuejols and Dawande): five sums of forty 0-1 counts with random weights,
    each at half its total, which branch and bound cannot settle in any time a test waits."""
    rows, columns = 5, 40
    weights = np.random.default_rng(20261129).integers(0, 100, size=(rows, columns))
    half = weights.sum(axis=1) // 2
    highs = _new_instance()
    lp = _lp(csr_array(weights), half.astype(float), half.astype(float), np.zeros(columns))
    lp.col_upper_ = np.ones(columns)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
    highs.setOptionValue("time_limit", float(seconds))
    highs.passModel(lp)
    begun = False

    def check(*arguments) -> None:  # (HiGHS's first check: the program is running)
        nonlocal begun
        if not begun:
            begun = True
            started()
        _interrupt(*arguments)
    _stop_when_asked(highs, check)
    _watched(highs)


_INSTANCES: dict[bool | str, object] = {}


def _instance(kind: bool | str):
    """One HiGHS instance for LPs, one for integer programs, one for those that are asked
    with ``few_cuts`` and one per name a ``Program`` shares, reused (a new one costs more than a
    small solve)."""
    if kind not in _INSTANCES:
        _INSTANCES[kind] = _new_instance()
        if kind in (True, "few cuts"):  # those that solve integer programs
            _stop_when_asked(_INSTANCES[kind])
        if kind == "few cuts":
            # The nearest-point programs (prover.py) spend their time in cuts at the root: a
            # cut pool this small made them 25% faster with the same optima, measured on 42.
            _INSTANCES[kind].setOptionValue("mip_pool_soft_limit", 1)
    return _INSTANCES[kind]


def _new_instance():
    highs = highspy._Highs()  # the bare solver: highspy.Highs wraps every run in callbacks
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 0.0)
    # As in system.py: the feasibility jump costs milliseconds and finds nothing the LP does not.
    highs.setOptionValue("mip_heuristic_run_feasibility_jump", False)
    highs.setOptionValue("simplex_strategy", 1)
    return highs
