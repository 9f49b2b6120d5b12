"""The monthly series as exact whole-number ranges, each bound with the claims it rests on.

``reconstruct(dataset, reading, series)`` is the public entry point; it is a thin wrapper over
``reconstruct_claims(claims, reading, series)``, which needs no files. The work is done by:

* bounds.py: ``Engine``, the exact ranges of months and period totals, and the conflict sets;
* explain.py: what each bound rests on, each claim's status, the derivation of determined values;
* results.py: the records returned (``Reconstruction``, ``Range``, ...) and the JSON contract.

Conflict sets are found one at a time, each minimal, removed before looking for the next; the
ranges are then computed from the claims outside every conflict set (the JSON says so in
``basis``).
"""
from __future__ import annotations

from collections.abc import Sequence

from helpers.core.readings import Reading
from helpers.data.claims import Claim
from helpers.errors import ReadingError
from helpers.engine.bounds import Engine
from helpers.engine.explain import statuses as claim_statuses
from helpers.engine.model import build_model, known_series
from helpers.engine.results import Conflict, Reconstruction


def reconstruct(dataset, reading: str | None = None, series: str | None = None) -> Reconstruction:
    """The series (default: the reading's) under the named reading (default: the data set's)."""
    return reconstruct_claims(dataset.claims, dataset.readings.get(reading), series)


def every_reading(dataset, *, explain: bool = False) -> dict[str, Reconstruction]:
    """Each reading's reconstruction of its own default series, by reading name. Ranges only
    unless ``explain``: enough to set the readings side by side."""
    return {name: reconstruct_claims(dataset.claims, reading, explain=explain)
            for name, reading in dataset.readings.by_name.items()}


def reconstruct_claims(claims: Sequence[Claim], reading: Reading, series: str | None = None, *,
                       explain: bool = True) -> Reconstruction:
    """The engine. ``explain=False`` skips what bounds rest on and the claim statuses (model
    claims then get status ``unexamined``): for benchmarks and property tests, not reports."""
    series = series or reading.series
    known = known_series(claims, reading)
    if series not in known:
        raise ReadingError(f"unknown series {series!r} under reading {reading.name!r}; "
                           f"known series: {', '.join(known)}")
    model = build_model(claims, reading, series)
    engine = Engine(model)
    conflict_sets = engine.conflict_sets()
    in_conflict = {g for found in conflict_sets for g in found}
    basis = [g for g in range(len(model.groups)) if g not in in_conflict]

    months = tuple(engine.range_of((m,), basis, explain) for m in model.months)
    periods = tuple(engine.period_ranges(claims, basis, months, explain))
    conflicts = tuple(Conflict(tuple(model.groups[g].claim for g in found),
                               engine.alternatives(found, basis)) for found in conflict_sets)
    statuses = tuple(claim_statuses(claims, model, engine, basis, conflicts, (*months, *periods), explain))
    return Reconstruction(series, reading, model.window, not conflict_sets, months, periods,
                          statuses, conflicts)
