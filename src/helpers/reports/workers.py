"""Reports run in local worker processes, and how a build stops them.

Ctrl-C (SIGINT to the whole process group, as a terminal sends it) and SIGTERM are the build
process's to handle; it alone prints the one line ("interrupted"). So each worker starts with
both signals blocked (the mask is inherited through spawn), ignores SIGINT, and on SIGTERM
kills its kernels, removes their files and exits at once, without a traceback. When the build
stops early it sends SIGTERM to its workers, waits for them, and only then removes its
temporary folder, which the workers and their kernels use as TMPDIR (see ``locks``).

A worker imports papermill (``report``) only once its start-up has run: this module is what a
new worker imports first, so it imports nothing heavy itself. A worker runs a report's notebook
and sends it back; the build process, idle meanwhile, exports it to HTML (``html``), holding
both signals meanwhile (``_exported``).
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.errors import ReportError
from helpers.reports import kernel
from helpers.reports.kernel import kill_kernels

if TYPE_CHECKING:
    from helpers.reports.report import Outcome

STOPPING = {signal.SIGINT, signal.SIGTERM}
STOP_WAIT_SECONDS = 10  # a worker told to stop has this long before it is killed


class LocalWorkers:
    """``with LocalWorkers(n, scratch) as workers: for outcome in workers.run(calls): ...``"""

    def __init__(self, count: int, scratch: Path):
        # spawn, not fork: a forked copy of a process with threads can deadlock.
        self.pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=count, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker, initargs=(str(scratch),))

    def __enter__(self) -> LocalWorkers:
        return self

    def run(self, calls: list[dict], meanwhile: Callable[[], None] | None = None) -> Iterator[Outcome]:
        """Yield each report's Outcome, with its HTML, as it finishes (``calls``: run_report's
        arguments); ``meanwhile`` runs here once the reports are handed to the workers. The
        workers run the notebooks; this process, idle but for this, exports them (``html``)."""
        with _blocked(STOPPING):  # the workers this starts inherit the blocked signals
            futures = [self.pool.submit(_run_unexported, call) for call in calls]
        if meanwhile is not None:
            meanwhile()
        for future in concurrent.futures.as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                # A worker was killed from outside. When the whole build is being stopped, the
                # build's own signal is on its way: give it a moment to arrive.
                time.sleep(1)
                raise ReportError("a worker process of the build was killed; build again") from None
            yield _exported(outcome)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:  # stopped early (an interrupt, an unwritable output)
            self._stop()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _stop(self) -> None:
        # The pool's own processes (a private attribute, stable since Python 3.2): not every
        # child of this process, which may run other pools or a Dask LocalCluster.
        workers = [p for p in (getattr(self.pool, "_processes", None) or {}).values()
                   if p.pid is not None]
        for worker in workers:
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                worker.kill()
                worker.join()
        _close_result_pipe(self.pool)


def _close_result_pipe(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Once its workers are gone, close this process's end for writing of the pool's result pipe.

    A worker stopped while it sent a report's result (hundreds of kB, many writes) leaves half a
    message in the pipe, and the pool's thread waits for the rest for ever: this process holds
    the pipe's write end too, so no end of file comes, and ``shutdown`` waits on that thread.
    With the write end closed the thread reads the end of file and ends."""
    results = getattr(pool, "_result_queue", None)  # (private, as ``_processes``)
    if results is not None:
        results._writer.close()


def _exported(outcome: Outcome) -> Outcome:
    """``outcome`` with its HTML, exported with Ctrl-C and SIGTERM held until the export ends
    (a second or less), when they stop the build. The build's handler raises KeyboardInterrupt
    wherever this thread is, and nbconvert's code is no place for it: raised in a weakref
    callback or an extension module's start during nbconvert's first imports, it was lost (the
    build went on, both signals ignored from then on); raised in code run by exec(), Python took
    it for unhandled (``cli._forget_unhandled_interrupt``). The pool's threads hold both signals
    for good (they start in ``_blocked``), so while this thread holds them they wait."""
    from helpers.reports.html import with_html

    with _blocked(STOPPING):
        return with_html(outcome)


@contextlib.contextmanager
def _blocked(signals: set[signal.Signals]) -> Iterator[None]:
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(scratch: str) -> None:
    """In each worker, before its first report: the signals, the build's temporary folder, and
    a kernel kept from one report to the next."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    os.environ["TMPDIR"] = scratch  # kernels inherit it
    tempfile.tempdir = None
    kernel.SOCKET_DIR_PREFIX = "kernel-"  # the build's folder names the project already
    # As the command line (cli._skip_iri_grammar), before nbformat imports jsonschema: building
    # the IRI grammar costs each worker more than a second of processor time.
    sys.modules.setdefault("rfc3987_syntax", None)
    from helpers.reports import warm
    warm.keep_kernels()  # one kernel for all of this worker's reports
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


def _run_unexported(call: dict) -> Outcome:
    """In a worker: run one report and return its executed notebook, for the build process to
    export. (papermill is imported here, after the worker's start-up, and never by the build.)"""
    from helpers.reports.report import run_report

    return run_report(**call, export=False)


def _stop_worker(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    kill_kernels()
    os._exit(128 + signum)
