"""Two locks a build holds: one on its output directory, one on its own temporary folder.

Output directory: ``<out>/.build/lock``, held (``fcntl.flock``) from planning to the run
record. A second build into the same directory waits for the first to finish (saying so in one
line, unless --quiet), then finds its reports current. The lock is released by the kernel
when the process ends in any way, SIGKILL included, so a killed build never blocks the next.

Temporary folder: every build gets a private ``desertion-series-build-*`` folder in the
system's temporary folder; its workers and their kernels use it as TMPDIR, so everything they
create there (papermill's run folders, kernel socket folders, kernel connection files, which
hold a kernel's key) lies in it. The build removes the folder on every exit it lives through
(done, failed, Ctrl-C, SIGTERM); a folder whose build was killed (SIGKILL) is no longer locked,
and the next build removes it.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from helpers.core.outputs import make_output_dir, output_error

LOCK_NAME = "lock"
SCRATCH_PREFIX = "desertion-series-build-"
_SCRATCH_LOCK = ".lock"
_UNLOCKED_FOR_SECONDS = 3600  # a folder without its lock file: a build killed while making it


@contextlib.contextmanager
def output_lock(out_dir: Path, state_dir: Path, *, quiet: bool) -> Iterator[None]:
    """Hold the output directory's lock; wait for another build that holds it."""
    make_output_dir(state_dir)
    path = state_dir / LOCK_NAME
    try:
        handle = path.open("a+", encoding="ascii")
    except OSError as exc:
        raise output_error("write this file", path, exc) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            if not quiet:
                print(f"waiting for the build already writing into {out_dir} (process {holder}) "
                      f"to finish", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield  # closing the file releases the lock


@contextlib.contextmanager
def build_scratch() -> Iterator[Path]:
    """A private temporary folder for this build, removed when the build ends."""
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    # Locked under a temporary name, then renamed: another build's sweep never sees the lock
    # file unlocked.
    staged = folder / f"{_SCRATCH_LOCK}.new"
    handle = staged.open("w", encoding="ascii")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        staged.rename(folder / _SCRATCH_LOCK)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        handle.close()


def remove_abandoned_scratch(parent: Path | None = None) -> None:
    """Remove the temporary folders of builds that were killed (their lock is free)."""
    parent = parent or Path(tempfile.gettempdir())
    for folder in parent.glob(SCRATCH_PREFIX + "*"):
        try:
            with (folder / _SCRATCH_LOCK).open("r") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > _UNLOCKED_FOR_SECONDS:
                    shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # in use (BlockingIOError), or not ours to remove
            continue
