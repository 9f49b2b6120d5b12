"""A kernel kept warm for a worker's next report.

Starting a kernel and importing what a report needs (pandas, matplotlib, scipy, this package)
costs more than most reports' own work. A worker process of the build (``workers``) calls
``keep_kernels()``; from then on a report that succeeds leaves its kernel for the next one.
Before that next report the kernel moves to the report's working folder and its namespace is
reset (IPython's ``reset``: no variable of the last report survives, the execution count
starts at 1 again, warnings already shown are shown again), so a report's bytes are those of a
fresh kernel. A report that fails in any way (an error, a timeout, a dead kernel) takes its
kernel with it: the next report starts a new one. Elsewhere (Dask, tests) every report has a
kernel of its own, as papermill gives it.

papermill runs the notebook through the engine ``ENGINE`` registered here: its own nbclient
engine, given the kernel manager and the resetting code; a kept kernel's client stays connected
to it for the next report (``_Client``). The build asks papermill not to save
the notebook after every cell (the whole notebook, charts included, each time); the engine
saves what ran when a run stops early (a timeout, a dead kernel), for the failed run's report.
"""
from __future__ import annotations

import contextlib
import multiprocessing.util
import os
import subprocess

import nbformat
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import remove_args

from helpers.reports.kernel import ProjectKernelManager

ENGINE = "desertion-series"
_kept: ProjectKernelManager | None = None
_keeping = False

# Run silently before a report in a kept kernel; ``reset`` comes last and removes the names
# this code binds.
_PREPARE = """\
import os as _os, sys as _sys, warnings as _warnings
_os.chdir({cwd!r})
_warnings.onceregistry.clear()
for _module in list(_sys.modules.values()):
    if isinstance(getattr(_module, "__warningregistry__", None), dict):
        _module.__warningregistry__.clear()
get_ipython().reset(new_session=True)
"""


def keep_kernels() -> None:
    """In a worker process: keep each report's kernel for the next; stop it as the worker ends."""
    global _keeping
    _keeping = True
    multiprocessing.util.Finalize(None, _drop_kept, exitpriority=10)
    papermill_engines.register(ENGINE, ReportEngine)


def kernel_for(env: dict[str, str], cwd: str) -> tuple[ProjectKernelManager, str | None]:
    """A kernel manager for the next report and the code that prepares its kernel: the kept
    one with its preparation when it has the same environment and lives, else a new one (its
    kernel started by papermill in ``cwd``) and None."""
    global _kept
    papermill_engines.register(ENGINE, ReportEngine)
    kept, _kept = _kept, None
    if kept is not None:
        if kept.extra_env == env and kept.has_kernel and run_sync(kept.is_alive)():
            return kept, _PREPARE.format(cwd=os.path.abspath(cwd))
        _shut_down(kept)
    return ProjectKernelManager(extra_env=env), None


def release(manager: ProjectKernelManager, succeeded: bool) -> None:
    """After a report: keep its kernel (a worker, a report that succeeded) or stop it."""
    global _kept
    if _keeping and succeeded:
        _kept = manager
    else:
        _shut_down(manager)


def _shut_down(manager: ProjectKernelManager) -> None:
    if manager.report_client is not None:
        manager.report_client.stop_channels()
    if manager.has_kernel:
        run_sync(manager.shutdown_kernel)(now=True)
    else:
        manager.kill_now()  # (no kernel: removes its files)


def _drop_kept() -> None:
    global _kept
    if _kept is not None:
        _kept.kill_now()  # the worker is ending: no time for a polite shutdown
        process = getattr(_kept.provisioner, "process", None) if _kept.provisioner else None
        if process is not None:  # reap it (and count its time as the worker's)
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                process.wait(timeout=10)
        _kept = None


class ReportEngine(NBClientEngine):
    """papermill's nbclient engine, on the kernel manager it is given."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                 stderr_file=None, start_timeout=60, execution_timeout=None, *,
                                 km: ProjectKernelManager, prepare: str | None = None,
                                 running: str | None = None, **kwargs):
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        client = _Client(nb_man, km=km, prepare=prepare, timeout=execution_timeout,
                         startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                         log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
                         **kwargs)
        try:
            return client.execute()
        except BaseException:
            # What ran, for the failed run's report: papermill would save the whole notebook
            # after every cell (a second or so of a report's time), so it is saved here, once.
            if running:
                with contextlib.suppress(OSError):
                    nbformat.write(nb_man.nb, running)
            raise


class _Client(PapermillNotebookClient):
    """papermill's client (its ``execute``), with the preparation first. It reuses the channels
    of the kernel's last report, and leaves its own open for the next: a new client waits for
    stray messages (0.2 s) before its first request. ``release`` closes them with the kernel,
    which is not the client's to stop."""

    def __init__(self, nb_man, *, prepare: str | None, **kwargs):
        super().__init__(nb_man, **kwargs)
        self.prepare = prepare
        self.kc = self.km.report_client  # (None: ``setup_kernel`` starts one)

    def execute(self, **kwargs):
        self.reset_execution_trackers()
        with self.setup_kernel(**kwargs):
            self.km.report_client = self.kc
            if self.prepare:
                reply = self.wait_for_reply(self.kc.execute(self.prepare, silent=True,
                                                            store_history=False))
                if not reply or reply["content"].get("status") != "ok":
                    raise RuntimeError(f"the kept kernel could not be prepared: "
                                       f"{reply and reply['content'].get('evalue')}")
            self.papermill_execute_cells()
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            self.set_widgets_metadata()
        return self.nb
