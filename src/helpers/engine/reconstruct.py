"""The monthly series as exact whole-number ranges, each bound with the claims it rests on.

``reconstruct(dataset, reading, series, periods)`` is the public entry point; it is a thin wrapper
over ``reconstruct_claims(claims, reading, series)``, which needs no files. The work is done by:

* bounds.py: ``Engine``, the exact ranges of months and period totals, and the conflict sets;
* explain.py: what each bound rests on, each claim's status, the derivation of determined values;
* results.py: the records returned (``Reconstruction``, ``Range``, ...) and the JSON contract.

Conflict sets are found one at a time, each minimal, removed before looking for the next; the
ranges are then computed from the claims outside every conflict set (the JSON says so in
``basis``).

Period totals are given for the periods the claims name, runs of undetermined months, the
periods asked for (``periods``: '2023-01..2023-12', '2023', '2023-Q3'; each must lie in the
window) and, with ``calendar``, every calendar quarter and year the window covers fully.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from helpers.core.months import Period, calendar_periods, parse_period_request
from helpers.core.readings import Reading
from helpers.data.claims import Claim
from helpers.errors import PeriodError, ReadingError
from helpers.engine.bounds import Engine
from helpers.engine.explain import statuses as claim_statuses
from helpers.engine.model import build_model, known_series
from helpers.engine.results import Conflict, Reconstruction


def reconstruct(dataset, reading: str | None = None, series: str | None = None, *,
                periods: Iterable[str | Period] = (), calendar: bool = True) -> Reconstruction:
    """The series (default: the reading's) under the named reading (default: the data set's),
    with the totals of ``periods`` and (unless ``calendar`` is false) of every calendar quarter
    and year the window covers fully."""
    return reconstruct_claims(dataset.claims, dataset.readings.get(reading), series,
                              periods=periods, calendar=calendar)


def every_reading(dataset, *, explain: bool = False) -> dict[str, Reconstruction]:
    """Each reading's reconstruction of its own default series, by reading name. Ranges only
    unless ``explain``: enough to set the readings side by side."""
    return {name: reconstruct_claims(dataset.claims, reading, explain=explain)
            for name, reading in dataset.readings.by_name.items()}


def reconstruct_claims(claims: Sequence[Claim], reading: Reading, series: str | None = None, *,
                       explain: bool = True, periods: Iterable[str | Period] = (),
                       calendar: bool = False) -> Reconstruction:
    """The engine. ``explain=False`` skips what bounds rest on and the claim statuses (model
    claims then get status ``unexamined``): for benchmarks and property tests, not reports.
    ``periods`` and ``calendar`` as for ``reconstruct``."""
    asked = requested_periods(periods)
    series = series or reading.series
    known = known_series(claims, reading)
    if series not in known:
        raise ReadingError(f"unknown series {series!r} under reading {reading.name!r}; "
                           f"known series: {', '.join(known)}")
    model = build_model(claims, reading, series)
    check_within_window(asked, model.window, series, reading)
    extra = [*asked, *(calendar_periods(model.window) if calendar else ())]
    engine = Engine(model)
    conflict_sets = engine.conflict_sets()
    in_conflict = {g for found in conflict_sets for g in found}
    basis = [g for g in range(len(model.groups)) if g not in in_conflict]

    months = tuple(engine.range_of((m,), basis, explain) for m in model.months)
    totals = tuple(engine.period_ranges(claims, basis, months, explain, extra))
    conflicts = tuple(Conflict(tuple(model.groups[g].claim for g in found),
                               engine.alternatives(found, basis)) for found in conflict_sets)
    statuses = tuple(claim_statuses(claims, model, engine, basis, conflicts, (*months, *totals), explain))
    return Reconstruction(series, reading, model.window, not conflict_sets, months, totals,
                          statuses, conflicts, asked)


def requested_periods(periods: Iterable[str | Period]) -> tuple[Period, ...]:
    """The periods asked for, parsed (blank entries skipped) and without repeats, in order."""
    if isinstance(periods, (str, Period)):
        periods = [periods]
    found: list[Period] = []
    for item in periods:
        if isinstance(item, str) and not item.strip():
            continue
        try:
            period = item if isinstance(item, Period) else parse_period_request(item)
        except ValueError as exc:
            raise PeriodError(f"period asked for: {exc}") from None
        if period not in found:
            found.append(period)
    return tuple(found)


def check_within_window(periods: Sequence[Period], window: Period | None, series: str,
                        reading: Reading) -> None:
    for period in periods:
        if window is None or period.start < window.start or period.end > window.end:
            span = f"from {window.start} to {window.end}" if window else "no months"
            raise PeriodError(f"period {period} is not within the window of series {series!r} under "
                              f"reading {reading.name!r} ({span}); ask for a period within it")
