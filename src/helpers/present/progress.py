"""Progress of one reconstruction, as ``progress(done, total, stage)`` calls (engine/budget.py)
become visible: a line that rewrites itself on a terminal, a line that updates itself in a
notebook. Each is a callable to hand to ``Budget(progress=...)``, with ``close()`` to clear it.
"""
from __future__ import annotations

import sys


def _words(done: int, total: int, stage: str) -> str:
    return f"reconstructing: {stage} {done} of {total}"


class TerminalProgress:
    """One line on ``stream`` (stderr), rewritten in place; nothing when it is not a terminal
    (a log or a pipe gets no carriage returns)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.shown = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.written = False

    def __call__(self, done: int, total: int, stage: str) -> None:
        if self.shown:
            self.stream.write("\r\033[K" + _words(done, total, stage))
            self.stream.flush()
            self.written = True

    def close(self) -> None:
        """Clear the line, so that what is printed next starts on a clean one."""
        if self.written:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.written = False


class NotebookProgress:
    """One line of output under the running cell, updated in place (IPython's display ids);
    ``close()`` clears the cell's output, so an executed report keeps no trace of it (use it in
    a cell that shows nothing else)."""

    def __init__(self):
        from IPython.display import display  # (notebooks only)

        self.handle = display(_Text(""), display_id=True)

    def __call__(self, done: int, total: int, stage: str) -> None:
        if self.handle is not None:
            self.handle.update(_Text(_words(done, total, stage)))

    def close(self) -> None:
        from IPython.display import clear_output

        if self.handle is not None:
            clear_output()
            self.handle = None


class _Text:
    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text
