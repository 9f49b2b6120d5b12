"""The project's own kernel for report execution.

A report is executed by the interpreter that runs the build (the project's .venv), whatever
kernelspecs a user has installed: a user-level spec of the same name cannot hijack it.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec

KERNEL_NAME = "desertion-series"
# Kernel sockets are files in a folder of their own, and a socket's path may not exceed about 100
# bytes. Inside a build's own temporary folder (which names the project already) a short name
# leaves room for a long TMPDIR; the build's workers set it.
SOCKET_DIR_PREFIX = "desertion-series-kernel-"
_SOCKET_PATH_MAX = 104  # bytes of a Unix socket's path: 108 on Linux, 104 on macOS and BSDs
_LIVE: set["ProjectKernelManager"] = set()  # kernels this process started and has not cleaned up


# jsonschema imports rfc3987_syntax when it is installed (JupyterLab's dependencies bring it)
# only to check "iri" formats, which no schema here uses; building its grammar on import costs
# two seconds of every kernel (the command line skips it the same way, cli._skip_iri_grammar).
SKIP_IRI_GRAMMAR = "__import__('sys').modules.setdefault('rfc3987_syntax', None) and None"


def project_kernel_spec(extra_env: dict[str, str] | None = None) -> KernelSpec:
    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
              f"--IPKernelApp.exec_lines={SKIP_IRI_GRAMMAR}"],
        display_name="Python (desertion-series)",
        language="python",
        # A fixed hash seed and a non-interactive backend make executions repeatable.
        env={"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline",
             **(extra_env or {})},
    )


class ProjectKernelManager(AsyncKernelManager):
    """A kernel manager that always starts the project's kernel, never a looked-up spec.

    Its transport is IPC (Unix sockets in a private temporary folder), so executing a report
    opens no TCP port and cannot race another process for one.
    """

    def __init__(self, extra_env: dict[str, str] | None = None, **kwargs):
        self.extra_env = dict(extra_env or {})  # for the kernel's environment (the build's cache)
        self.report_client = None  # the last report's client, open for the next one (``warm``)
        if sys.platform != "win32":
            socket_dir = tempfile.mkdtemp(prefix=SOCKET_DIR_PREFIX)
            if len(os.fsencode(socket_dir)) + len("/kernel-65535") < _SOCKET_PATH_MAX:
                self._socket_dir = socket_dir
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("ip", str(Path(socket_dir) / "kernel"))
            else:  # a TMPDIR too deep for a socket's path: TCP on the loopback, as Jupyter does
                os.rmdir(socket_dir)
        super().__init__(**kwargs)
        _LIVE.add(self)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_files()
            _LIVE.discard(self)

    def _remove_files(self) -> None:
        socket_dir = getattr(self, "_socket_dir", None)
        if socket_dir:
            shutil.rmtree(socket_dir, ignore_errors=True)
        self.cleanup_connection_file()

    def kill_now(self) -> None:
        """Kill the kernel's process group and remove its files, without a word to the kernel:
        for a worker that is being stopped and has no time for a polite shutdown."""
        pgid = getattr(self.provisioner, "pgid", None) if self.provisioner else None
        if pgid and pgid != os.getpgid(0):  # the kernel's own session, never the caller's
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)
        self._remove_files()

    cleanup_resources = _async_cleanup_resources

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        # What a kernel prints outside its cells (its own log; a traceback when it is shut down
        # after a cell's timeout) belongs to no report and would break the build's one-line
        # errors. What a cell prints is in the executed notebook; the rest goes nowhere.
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(kernel_cmd, **kw)

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = project_kernel_spec(self.extra_env)
        return self._kernel_spec


def kill_kernels() -> None:
    """Kill every kernel this process started and still runs, and remove their files."""
    for manager in list(_LIVE):
        manager.kill_now()
        _LIVE.discard(manager)
