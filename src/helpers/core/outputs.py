"""Writing output files all or nothing, and one-line errors when an output cannot be written.

Every file the package writes (reports, exports, the index, the build's state) goes through
here: to a temporary file beside its target, renamed into place only once it is whole.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from helpers.errors import OutputError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def output_error(what: str, path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(f"cannot {what} ({reason}); choose an output directory that is writable "
                       f"and has free space", file=str(path))


def make_output_dir(directory: Path) -> None:
    """Create ``directory`` (and its parents), or raise a one-line OutputError saying why not."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error("create this directory", directory, exc) from None


def check_writable(directory: Path) -> None:
    """Create and remove a file in ``directory``, so that a read-only output directory is named
    before any kernel starts, not after every report has run."""
    try:
        handle, probe = tempfile.mkstemp(dir=directory, prefix=".write-probe.", suffix=".tmp")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise output_error("write in this directory", directory, exc) from None


def write_atomically(path: Path, text: str | bytes, *,
                     before_rename: Callable[[], None] | None = None) -> None:
    """Write to a temporary file beside ``path`` and rename it into place.

    A failure (a read-only or full disk) leaves the earlier file as it was, removes the
    temporary file, and raises a one-line OutputError.
    """
    write_all_atomically({path: text}, before_rename=before_rename)


def write_all_atomically(files: dict[Path, str | bytes], *,
                         before_rename: Callable[[], None] | None = None) -> None:
    """Write every file to a temporary file beside it, and only when all are written, rename
    them into place: a full disk halfway through replaces none of the earlier files.

    ``before_rename`` is called once every temporary file is whole, before the first rename
    (the build's checkpoints: where a fault test stops a build halfway through a write)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            make_output_dir(path.parent)
            try:
                handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                               suffix=".tmp")
            except OSError as exc:
                raise output_error("write this file", path, exc) from None
            staged.append((tmp, path))
            try:
                if isinstance(text, bytes):  # (the build's cache of reconstructions)
                    with os.fdopen(handle, "wb") as stream:
                        stream.write(text)
                else:
                    with os.fdopen(handle, "w", encoding="utf-8") as stream:
                        stream.write(text)
                os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is for sharing
            except OSError as exc:
                raise output_error("write this file", path, exc) from None
        if before_rename is not None:
            before_rename()
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise output_error("write this file", path, exc) from None
    finally:  # on success every temporary file has been renamed; otherwise remove them
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except OSError:  # renamed into place (FileNotFoundError), or nothing more to do
                pass
