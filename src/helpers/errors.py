"""One family of errors: each names where the problem is and what to do about it.

The command line prints ``str(error)`` as a single line and exits with ``exit_code``.
"""
from __future__ import annotations

from typing import Any


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


class PeriodError(DesertionSeriesError):
    """A period asked for is malformed, or not within the series' window."""


class OutputError(DesertionSeriesError):
    """An output file or directory cannot be written: read-only, full, or not a directory."""


class ReportError(DesertionSeriesError):
    """A report could not be executed or exported."""

    exit_code = 1


class SolverError(DesertionSeriesError):
    """The integer solver gave an answer that failed exact verification (a bug, not a data problem)."""

    exit_code = 1


class BudgetError(DesertionSeriesError):
    """The time budget ran out before anything could be said (whether the claims can hold)."""

    exit_code = 1


class ConfigError(DesertionSeriesError):
    """The reports configuration (notebooks/reports.yml) is wrong: exit 2, before any kernel starts."""


class UsageError(DesertionSeriesError):
    """A command-line option has a value it cannot take."""


class SchedulerError(DesertionSeriesError):
    """The Dask scheduler cannot be reached or used."""


class ReportFailure(ReportError):
    """A report's execution failed; ``kind`` says how, ``executed`` is what ran so far (a
    notebook node, or None when nothing ran)."""

    def __init__(self, message: str, kind: str, executed: Any | None):
        super().__init__(message)
        self.kind = kind
        self.executed = executed


# Not errors of the user's: raised by quote anchoring and turned into a QuoteError (with the
# file, line and claim) by the data set loader.

class AnchorNotFound(Exception):
    """The quote is not in the text; ``closest`` is the most similar passage.

    ``occurrences`` > 0 means the quote itself is there, but no occurrence has the given
    prefix/suffix; ``closest`` is then the first occurrence with the text around it.
    ``unicode_forms`` (the quote's form, the text's form) says the quote is there once both are
    normalised: it differs only in how accented letters are encoded, which nobody can see.
    """

    def __init__(self, closest: str, occurrences: int = 0,
                 unicode_forms: tuple[str, str] | None = None):
        super().__init__(closest)
        self.closest = closest
        self.occurrences = occurrences
        self.unicode_forms = unicode_forms


class AnchorAmbiguous(Exception):
    """The quote occurs ``count`` times and no prefix or suffix tells which."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count
