"""The build's local worker processes (helpers.reports.workers), stopped at awkward moments."""
from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import threading
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


def test_ctrl_c_during_an_export_waits_for_its_end_and_is_never_lost(monkeypatch):
    """The build process exports each report (nbconvert) while its workers run the next. Code
    of nbconvert's can swallow a KeyboardInterrupt raised in it (a weakref callback during its
    first imports did; so did an extension module's start), so the build's Ctrl-C waits for the
    export to end and then stops the build."""
    from helpers.reports import html
    from helpers.reports.workers import _exported

    swallowed = []

    def export(outcome):  # as code that swallows an interrupt raised in it
        try:
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # (a Ctrl-C, to this thread)
            time.sleep(0.1)
        except KeyboardInterrupt:
            swallowed.append(outcome)
        return f"{outcome}, exported"

    def stop(signum, frame):
        raise KeyboardInterrupt

    monkeypatch.setattr(html, "with_html", export)
    previous = signal.signal(signal.SIGINT, stop)
    try:
        with pytest.raises(KeyboardInterrupt):
            _exported("a report")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert swallowed == []
