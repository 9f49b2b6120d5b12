"""Ctrl-C while the main thread is inside one long solver call: stop at once all the same.

Python runs a signal's handler between two steps of Python code. A call into compiled code is
one step. Integer programs, which may take up to a minute (``MIP_TIME_LIMIT``), run on a thread
of their own while the main thread waits in Python (engine/highs.py), but any other long call
would make Ctrl-C wait. So the command line also watches for the signal from a thread of its own (``watching``): the signal wakes it at
once (``signal.set_wakeup_fd``), and when the main thread has not begun to handle it within
``GRACE`` seconds, it is inside such a call; the watcher then prints the same one line and ends
the process with the same status. Only for commands that leave nothing to clean up: the
engine's workers end with their caller (engine/cores.py).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

GRACE = 1.0  # seconds: a main thread running Python code handles a signal far sooner
_WATCHED = (signal.SIGINT, signal.SIGTERM)

handling = threading.Event()  # set by the command line's handler (cli._stop) as it runs


@contextlib.contextmanager
def watching(status: int = 130) -> Iterator[None]:
    """Within this block, a Ctrl-C (or SIGTERM) that the main thread has not begun to handle
    after ``GRACE`` seconds prints "interrupted" and ends the process with ``status``."""
    handling.clear()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    previous_fd = signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    # The watcher must never receive a signal itself: it starts with them blocked.
    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _WATCHED)
    try:
        watcher = threading.Thread(target=_watch, args=(wake_read, status), daemon=True,
                                   name="interrupt watcher")
        watcher.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        os.close(wake_write)  # the watcher reads the end of its pipe and stops
        watcher.join()
        os.close(wake_read)


def _watch(wake_read: int, status: int) -> None:
    while True:
        woken = os.read(wake_read, 64)
        if not woken:
            return
        if any(signum in woken for signum in _WATCHED) and not handling.wait(GRACE):
            if sys.stderr.isatty():
                sys.stderr.write("\r\033[K")  # over a progress line (present/progress.py)
            sys.stderr.write("interrupted\n")
            sys.stderr.flush()
            os._exit(status)
