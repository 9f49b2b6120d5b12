"""One family of errors: each names where the problem is and what to do about it.

The command line prints ``str(error)`` as a single line and exits with ``exit_code``.
"""
from __future__ import annotations


class DesertionSeriesError(Exception):
    """Base of every error the package raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 claim: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.claim = claim

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        who = f"claim '{self.claim}': " if self.claim else ""
        return f"{where}{who}{self.message}"


class DataError(DesertionSeriesError):
    """The data set (sources, claims, vocabulary, readings) is malformed or inconsistent."""


class SchemaError(DataError):
    """A file does not follow its documented schema."""


class QuoteError(DataError):
    """A claim's quote is not found exactly once in its source."""


class ChecksumError(DataError):
    """A source text no longer matches the hash in its provenance record."""


class ReadingError(DataError):
    """An unknown reading or series was asked for."""


class OutputError(DesertionSeriesError):
    """An output file or directory cannot be written: read-only, full, or not a directory."""


class ReportError(DesertionSeriesError):
    """A report could not be executed or exported."""

    exit_code = 1


class SolverError(DesertionSeriesError):
    """The integer solver gave an answer that failed exact verification (a bug, not a data problem)."""

    exit_code = 1
