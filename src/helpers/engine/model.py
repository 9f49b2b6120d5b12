"""Claims as integer linear constraints on whole-number monthly counts, one model per series.

Under a reading, the claims of one model series become rows ``low <= a.x <= high`` over the
months of the series' window, every coefficient and bound an integer (helpers.core.linear says
how fractions are scaled and strict ends moved). What each kind of claim means as rows is the
kind's own business (helpers/kinds/<kind>.py); this module puts a series' claims together.

Choices this module makes, so that no claim is read in two ways:

* Counts are whole numbers and never negative (``x >= 0``); that is a variable bound, no row.
* The window is the first to the last month named by the claims of the series; claims of a kind
  outside the monthly model (``Kind.outside``, e.g. context) do not widen it.
* A comparison with no scope of its own ("more than in any other month") covers, under a reading
  whose ``comparison_scope`` is ``stated``, the first to the last month named by its own
  source's claims of the series; under ``window``, the whole window. So under ``stated`` what a
  claim means never depends on the other sources loaded (``compared_months``).
* One group per statement: the engine is given one claim per statement (data/statements.py,
  ``heads``), named by the statement's first claim.
* A claim whose rows the solver would not carry exactly (helpers.core.limits) stops the model
  with a DataError naming the claim, its file and line: nothing is solved in floating point
  that could turn into a wrong "conflicting".
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from helpers import kinds
from helpers.core.enums import ComparisonScope
from helpers.core.linear import Constraint
from helpers.core.months import Period, month_range
from helpers.core.readings import Reading
from helpers.data.claims import Claim
from helpers.errors import DataError


@dataclass(frozen=True)
class ClaimGroup:
    """All the constraints one claim stands for; the unit that is kept or set aside."""

    claim: str
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True)
class Model:
    """The constraints of one model series under one reading."""

    series: str
    window: Period | None
    groups: tuple[ClaimGroup, ...]          # claims of the series with monthly content, in order
    outside: tuple[tuple[str, str], ...]    # (claim id, why it is outside the model)

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(self.window.months) if self.window else ()


def constraints_of(claim: Claim, window: Sequence[str], reading: Reading) -> tuple[Constraint, ...]:
    """The rows one claim stands for, over the window's months, as its kind reads it."""
    try:
        return tuple(kinds.get(claim.kind).constraints(claim.id, claim.spec, window, reading))
    except DataError as exc:  # a row beyond the limits: say where the claim is written
        raise DataError(exc.message, file=exc.file or claim.file, line=exc.line or claim.line,
                        claim=claim.id) from None


# -- a whole model ------------------------------------------------------------------------------

def known_series(claims: Iterable[Claim], reading: Reading) -> list[str]:
    """Every model series some claim belongs to under the reading, and the reading's own."""
    return sorted({reading.series_of(c.series) for c in claims} | {reading.series})


def window_of(claims: Iterable[Claim], reading: Reading, series: str) -> Period | None:
    named = [m for c in claims if reading.series_of(c.series) == series
             and not kinds.get(c.kind).outside for m in c.months()]
    return Period(min(named), max(named)) if named else None


def compared_months(claims: Iterable[Claim], reading: Reading, series: str,
                    window: Sequence[str]) -> Callable[[Claim], list[str]]:
    """The months a comparison without a scope of its own covers, for each claim (see above)."""
    if reading.comparison_scope == ComparisonScope.WINDOW:
        return lambda claim: list(window)
    by_source: dict[str, list[str]] = {}
    for c in claims:
        if reading.series_of(c.series) == series and not kinds.get(c.kind).outside:
            by_source.setdefault(c.source, []).extend(c.months())

    def of(claim: Claim) -> list[str]:
        named = by_source.get(claim.source) or claim.months()
        return month_range(min(named), max(named)) if named else []
    return of


def build_model(claims: Sequence[Claim], reading: Reading, series: str, *,
                everything: Sequence[Claim] | None = None) -> Model:
    """``claims``: one per statement; ``everything``: every claim as the reading reads it, for
    the months each source names (default: ``claims``)."""
    window = window_of(claims, reading, series)
    months = month_range(window.start, window.end) if window else []
    compared = compared_months(everything if everything is not None else claims, reading, series, months)
    groups, outside = [], []
    for claim in claims:
        own_series = reading.series_of(claim.series)
        if own_series != series:
            outside.append((claim.id, f"counts another series ({own_series}) under this reading"))
        elif kinds.get(claim.kind).outside:
            outside.append((claim.id, kinds.get(claim.kind).outside))
        else:
            groups.append(ClaimGroup(claim.id, constraints_of(claim, compared(claim), reading)))
    return Model(series, window, tuple(groups), tuple(outside))
