"""reconstruct --budget and Ctrl-C, as a user meets them: subprocesses, exit statuses, one line.

The time budget is made to run out, and Ctrl-C to arrive, at named points of the run's own
progress (core/checkpoints.py), never after a delay.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from helpers import paths
from helpers.core.checkpoints import LONGEST_PAUSE_SECONDS, PAUSE_AT, PAUSE_IN, PAUSED, SPEND_BUDGET_AT

COMMAND = [sys.executable, "-m", "helpers", "reconstruct"]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=300,
                          cwd=paths.project_root(), env={**os.environ, **(env or {})})


def test_help_explains_the_budget_and_its_default():
    result = run("--help")
    assert result.returncode == 0
    words = " ".join(result.stdout.split())
    assert "--budget SECONDS" in words and "(default: 300)" in words and "not proven" in words


def test_a_budget_that_is_no_time_is_one_line_with_exit_2():
    for value in ("0", "-5", "nan"):
        result = run("--budget", value)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.splitlines()) == 1 and "--budget" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_budget_that_runs_out_marks_every_later_bound_not_proven_in_json_and_table():
    # The budget runs out before the third month's range: months 1-2 are proven, the rest not.
    spent = {SPEND_BUDGET_AT: "bound:3"}
    result = run("--format", "json", "--budget", "120", env=spent)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    exact = json.loads(run("--format", "json").stdout)
    assert document["budget"] == {"seconds": 120.0, "out_of_time": True, "ambiguities_out_of_time": False}
    assert exact["budget"]["out_of_time"] is False
    months, truths = document["months"], exact["months"]
    assert [m["low_within"] is None and m["high_within"] is None for m in months] == [True, True] + [False] * 6
    for month, truth in zip(months[2:], truths[2:]):
        low, high = month["low_within"], month["high_within"]
        assert low[0] <= truth["low"] <= low[1] and high[0] <= truth["high"]
        assert (month["low"], month["high"], month["determined"], month["explained"]) == (low[0], None, False, False)
    assert months[:2] == truths[:2]
    table = run("--budget", "120", env=spent).stdout
    assert "NOT FINISHED: the time budget of 120 s ran out" in table
    september = next(line for line in table.splitlines() if line.startswith("2023-09"))
    assert "not proven" in september and " 184 " not in f" {september} "


def test_a_budget_that_runs_out_before_anything_is_known_is_one_line_with_exit_1():
    result = run("--format", "json", env={SPEND_BUDGET_AT: "start"})
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("error: the time budget of 300 s ran out before it was known which claims "
                             "can hold together, so no range can be given; give more time (--budget, "
                             "or the notebook's budget parameter)\n")


def _interrupted_at_bound_4(tmp_path, wait: float, **env: str) -> subprocess.CompletedProcess:
    """A reconstruction paused at bound:4, then Ctrl-C; what it did within ``wait`` seconds."""
    marker = tmp_path / "paused"
    process = subprocess.Popen([*COMMAND, "--budget", "600"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=paths.project_root(),
                               env={**os.environ, PAUSE_AT: "bound:4", PAUSED: str(marker), **env})
    deadline = time.monotonic() + 300  # (only a guard: the test waits for the point itself)
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "never reached bound:4"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=wait)
    finally:
        process.kill()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_ctrl_c_during_a_reconstruction_prints_one_line_and_exits_130(tmp_path):
    done = _interrupted_at_bound_4(tmp_path, 120)
    assert (done.returncode, done.stderr, done.stdout) == (130, "interrupted\n", "")


def test_ctrl_c_inside_a_long_solver_call_stops_at_once_with_the_same_line(tmp_path):
    """Paused inside one HiGHS call that would run for LONGEST_PAUSE_SECONDS (Python's handler
    waits for it to return): the command stops long before, as it does elsewhere."""
    wait = LONGEST_PAUSE_SECONDS / 10
    done = _interrupted_at_bound_4(tmp_path, wait, **{PAUSE_IN: "solver"})
    assert (done.returncode, done.stderr, done.stdout) == (130, "interrupted\n", "")
