"""Named points of a long job, where a test can pause it to stop it there.

A fault test must stop a job at a known point of its work, whatever the machine's load: a delay
measured on one run says nothing about where another is. So the job calls ``checkpoint(point)``
as it goes, and with two environment variables a test pauses it at one of them:

    DESERTION_SERIES_PAUSE_AT=written:1     the point to pause at
    DESERTION_SERIES_PAUSED=/some/file      created (holding the process id) once paused

then sends its signal and looks at what is left. Without the variables a checkpoint does
nothing. With ``DESERTION_SERIES_PAUSE_IN=solver`` too, a checkpoint that is given one pauses
inside a solver call instead (``inside``: Python code cannot run meanwhile, as in a long HiGHS
call). Likewise ``DESERTION_SERIES_SPEND_BUDGET_AT=bound:3`` makes a reconstruction's time
budget run out at that point (``spend_budget_at``; ``start`` is before its first solve),
whatever the machine's speed. The build's points are listed in reports/checkpoints.py; a reconstruction passes
``bound:K`` before the K-th month's range (engine/reconstruct.py).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

PAUSE_AT = "DESERTION_SERIES_PAUSE_AT"
PAUSED = "DESERTION_SERIES_PAUSED"
PAUSE_IN = "DESERTION_SERIES_PAUSE_IN"
SPEND_BUDGET_AT = "DESERTION_SERIES_SPEND_BUDGET_AT"
LONGEST_PAUSE_SECONDS = 600  # a test that forgets its paused job does not hang CI for ever


def wanted(point: str) -> bool:
    return os.environ.get(PAUSE_AT) == point


def checkpoint(point: str, inside: Callable[[float, Callable[[], None]], None] | None = None) -> None:
    """Pause here if the environment asks to; return at once otherwise. ``inside(seconds,
    started)``: a pause inside the solver, for when the environment asks for one, which calls
    ``started()`` once the solver runs (the marker then says the job is inside it)."""
    if not wanted(point):
        return
    if inside is not None and os.environ.get(PAUSE_IN) == "solver":
        inside(LONGEST_PAUSE_SECONDS, _paused)
        return
    _paused()
    deadline = time.monotonic() + LONGEST_PAUSE_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.1)


def _paused() -> None:
    """Create the marker file the environment names, holding the process id."""
    marker = os.environ.get(PAUSED)
    if marker:
        staged = Path(f"{marker}.{os.getpid()}.tmp")
        staged.write_text(str(os.getpid()), encoding="ascii")
        staged.replace(marker)  # whole when it appears


def spend_budget_at(point: str) -> bool:
    """Whether the environment asks the time budget to run out here."""
    return os.environ.get(SPEND_BUDGET_AT) == point
