"""One time budget for a whole reconstruction, and its progress.

A reconstruction runs inside ``running(budget)``; the engine finds the budget with ``active()``
(a context variable, so that nothing between the entry point and the solver has to pass it on).
Every HiGHS call asks ``check()`` first and runs for at most ``time_limit(...)``. When the time
is spent, ``check()`` raises ``OutOfTime``, which never leaves the engine: the step that was
asking reports what it has proven and what it has not (results.py: an end not proven carries
the interval it is known to lie in), and every later step, finding the budget spent, does the
same at once.

``progress(done, total, stage)`` is told as bounds are computed ("months", "periods", ...).

The clock is injectable: tests give one that advances per call, so that the budget runs out at
a point fixed by the program's own progress, never by the machine's speed.
"""
from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator

DEFAULT_BUDGET = 300.0   # seconds for one reconstruction on the command line and in notebooks
MIP_TIME_LIMIT = 60.0    # seconds for one integer program, whatever the budget: an error, not a hang

Progress = Callable[[int, int, str], None]


class OutOfTime(Exception):
    """The run's time budget is spent (handled inside the engine; never reaches the user)."""


class Budget:
    def __init__(self, seconds: float | None = None, progress: Progress | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self.deadline = None if seconds is None else clock() + seconds
        self.progress = progress
        self.exhausted = False

    def remaining(self) -> float:
        return float("inf") if self.deadline is None else self.deadline - self._clock()

    def check(self) -> None:
        """Raise ``OutOfTime`` once the budget is spent (and from then on, every time)."""
        if self.exhausted or self.remaining() <= 0:
            self.spend()

    def spend(self) -> None:
        """The budget is spent (a solver stopped at the time it was given): raise ``OutOfTime``."""
        self.exhausted = True
        raise OutOfTime

    def time_limit(self, most: float = MIP_TIME_LIMIT) -> float:
        """How long the next solver call may run: ``most``, or less when less time is left."""
        self.check()
        return min(most, self.remaining())

    def stopped_at(self, limit: float, most: float = MIP_TIME_LIMIT) -> None:
        """A solver call given ``limit`` stopped at it: when that was the budget's doing (less
        than ``most``), the budget is spent; else the caller reports the program's own limit."""
        if limit < most:
            self.spend()

    def tell(self, done: int, total: int, stage: str) -> None:
        if self.progress is not None:
            self.progress(done, total, stage)


_UNLIMITED = Budget(None)
_ACTIVE: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


def active() -> Budget:
    """The budget of the reconstruction running now (an unlimited one outside any)."""
    return _ACTIVE.get() or _UNLIMITED


@contextlib.contextmanager
def running(budget: Budget | None) -> Iterator[Budget]:
    """Run the block under ``budget``; None keeps the one already running (a reconstruction
    inside another, as the alternatives of an ambiguous claim are, shares its budget)."""
    if budget is None:
        yield active()
        return
    token = _ACTIVE.set(budget)
    try:
        yield budget
    finally:
        _ACTIVE.reset(token)
