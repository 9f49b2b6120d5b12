"""Progress of a build: a bar on a terminal, plain lines in logs (CI), nothing with --quiet."""
from __future__ import annotations

import sys

from tqdm import tqdm


class Progress:
    def __init__(self, total: int, *, quiet: bool = False, stream=None):
        self.total = total
        self.count = 0
        self.quiet = quiet
        self.stream = stream or sys.stderr
        interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = (tqdm(total=total, file=self.stream, unit="report", desc="building")
                    if interactive and not quiet and total else None)
        if not quiet and not self.bar:
            print(f"building {total} report(s)" if total else "every report is up to date",
                  file=self.stream, flush=True)

    def done(self, outcome) -> None:
        self.count += 1
        line = (f"[{self.count}/{self.total}] {outcome.name}: built in {outcome.duration:.1f} s"
                if outcome.ok else f"[{self.count}/{self.total}] {outcome.name}: FAILED "
                                   f"({outcome.failure_kind})")
        if self.bar:
            self.bar.update(1)
            self.bar.set_postfix_str(outcome.name)
            if not outcome.ok:
                self.bar.write(line, file=self.stream)
        elif not self.quiet or not outcome.ok:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar:
            self.bar.close()
