"""The build's local worker processes (helpers.reports.workers), stopped at awkward moments."""
from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import paths

pytestmark = pytest.mark.slow


def _half_a_result(sent: str) -> None:
    """In a worker: send the first kilobyte of a result of a megabyte, as a worker does that is
    stopped while it sends a report's result, say so in the file ``sent``, and wait to be
    stopped. The result pipe is the ``result_queue`` of the pool's worker loop, which calls
    this (concurrent.futures.process._process_worker)."""
    results = sys._getframe(1).f_locals["result_queue"]
    results._writer._send(struct.pack("!i", 1 << 20) + b"\0" * 1024)  # (Connection's framing)
    Path(sent).write_text("sent")
    time.sleep(600)


# Run in a process of its own: without the fix it hangs for ever (and its pool's thread would
# keep pytest itself from exiting).
STOP_MIDWAY = """
import sys, time
from pathlib import Path
from helpers.reports.workers import LocalWorkers
from tests.test_workers import _half_a_result

sent = Path(sys.argv[1])
try:
    with LocalWorkers(1, sent.parent) as workers:
        workers.pool.submit(_half_a_result, str(sent))
        while not sent.exists():
            time.sleep(0.05)
        raise KeyboardInterrupt  # as a Ctrl-C would, once the worker is midway
except KeyboardInterrupt:
    print("stopped")
"""


def test_workers_stopped_while_one_sends_its_result_stop_the_build(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(paths.project_root() / "src"),
                                                       str(paths.project_root())])}
    child = subprocess.Popen([sys.executable, "-c", STOP_MIDWAY, str(tmp_path / "sent")],
                             env=env, cwd=paths.project_root(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        said, _ = child.communicate(timeout=60)  # (about 2 s; a guard, not a measure)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail("the stopped build waited for ever for the rest of a worker's result")
    assert (child.returncode, said) == (0, "stopped\n")
