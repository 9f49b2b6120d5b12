"""JupyterLab's interrupt stops a reconstruction inside one long HiGHS call at once.

The interrupt is SIGINT to the kernel, which Python turns into KeyboardInterrupt only between
steps of Python code; an integer program runs on a thread of its own while the notebook's thread
waits in Python (engine/highs.py), so the cell stops at once and the kernel lives on.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from jupyter_client import KernelManager

from helpers.core.checkpoints import PAUSE_AT, PAUSE_IN, PAUSED

ROOT = Path(__file__).resolve().parents[1]


def test_an_interrupt_inside_a_long_solver_call_stops_the_cell_at_once(tmp_path):
    marker = tmp_path / "paused"
    # (Unix sockets, as the build's kernels: no TCP port to race another process for)
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(tmp_path / "kernel"))
    kernel.start_kernel(env={**os.environ, PAUSE_AT: "bound:4", PAUSE_IN: "solver",
                             PAUSED: str(marker)})
    client = kernel.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        cell = client.execute("from helpers.data.dataset import load_dataset\n"
                              "from helpers.engine.reconstruct import reconstruct\n"
                              f"reconstruct(load_dataset({str(ROOT / 'data')!r}))")
        deadline = time.monotonic() + 120
        while not marker.exists():  # paused inside a HiGHS call of 600 s (checkpoints.py)
            assert time.monotonic() < deadline, "the reconstruction never reached bound:4"
            time.sleep(0.1)
        kernel.interrupt_kernel()
        reply = client.get_shell_msg(timeout=30)  # without the solver thread: 600 s
        assert reply["parent_header"]["msg_id"] == cell
        assert (reply["content"]["status"], reply["content"]["ename"]) == ("error", "KeyboardInterrupt")
        after = client.execute("21 * 2", store_history=False)
        reply = client.get_shell_msg(timeout=30)  # the kernel lives on
        assert (reply["parent_header"]["msg_id"], reply["content"]["status"]) == (after, "ok")
    finally:
        client.stop_channels()
        kernel.shutdown_kernel(now=True)
