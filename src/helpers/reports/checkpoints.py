"""Named points of a build, where a test can pause it to stop it there.

A fault test must stop a build at a known point of its work ("the first report's files are
written but not yet renamed into place"), whatever the machine's load: a delay measured on a
first build says nothing about where a second build is. So the build calls ``checkpoint(point)``
as it goes, and with two environment variables a test pauses it at one of them:

    DESERTION_SERIES_PAUSE_AT=written:1     the point to pause at
    DESERTION_SERIES_PAUSED=/some/file      created (holding the process id) once paused

then sends its signal (SIGINT, SIGTERM, SIGKILL, to the build or its whole process group) and
looks at what is left. Without the variables a checkpoint does nothing.

The points, in the order a build passes them:

    planned           the data and reports.yml are checked and the output directory is locked;
                      no worker has started
    cell:NAME:K       in a worker: report NAME is about to run the K-th cell of its notebook as
                      executed (papermill's parameters cell counts), so its kernel is running;
                      cell:NAME:1 is the report's start
    write:N           the N-th finished report's two files are written as temporaries beside
                      their targets, not yet renamed into place
    written:N         the N-th finished report's files are in place
    record            every report is written; the exports, state and index are next
    index             the index page is written as a temporary, not yet renamed into place
"""
from __future__ import annotations

import os

# (the pausing itself is in core, where the engine reaches it too)
from helpers.core.checkpoints import LONGEST_PAUSE_SECONDS, PAUSE_AT, PAUSED, checkpoint, wanted

__all__ = ["LONGEST_PAUSE_SECONDS", "PAUSE_AT", "PAUSED", "cell_hooks", "checkpoint", "wanted"]


def cell_hooks(name: str) -> dict:
    """Keyword arguments for papermill (passed on to nbclient) that pause report ``name`` at a
    ``cell:NAME:K`` point; none when no such point is asked for."""
    point = os.environ.get(PAUSE_AT, "")
    if not point.startswith(f"cell:{name}:"):
        return {}

    def on_cell_start(cell, cell_index: int) -> None:
        checkpoint(f"cell:{name}:{cell_index + 1}")
    return {"on_cell_start": on_cell_start}
