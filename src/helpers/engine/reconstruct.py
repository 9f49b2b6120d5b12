"""The monthly series as exact whole-number ranges, each bound with the claims it rests on.

``reconstruct(dataset, reading, series)`` is the public entry point; it is a thin wrapper over
``reconstruct_claims(claims, reading, series)``, which needs no files. The work is done by:

* bounds.py: ``Engine``, the exact ranges of months and period totals;
* conflicts.py: every minimal conflict set and every minimal correction set;
* explain.py: what each bound rests on, each claim's status, the derivation of determined values;
* ambiguity.py: what each named alternative of an ambiguous claim does;
* results.py: the records returned (``Reconstruction``, ``Range``, ...) and the JSON contract.

The engine works on statements (data/statements.py): claims marked the same statement by several
outlets are one group, named by the first, kept or set aside together. Every minimal conflict
set is listed (up to ``conflict_limit``); the ranges are computed from the statements outside
every conflict set listed (the JSON says so in ``basis``), and each correction set comes with
the ranges that hold once it is set aside.

Period totals are given for the periods the claims name, runs of undetermined months, the
periods asked for (``periods``: '2023-01..2023-12', '2023', '2023-Q3'; each must lie in the
window) and, with ``calendar``, every calendar quarter and year the window covers fully.
"""
from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Sequence

from helpers.core.enums import ClaimStatus
from helpers.core.months import Period, calendar_periods, parse_period_request
from helpers.core.readings import Reading
from helpers.data.claims import Claim
from helpers.data.statements import Statement, heads as statement_heads, resolve, statements
from helpers.core.checkpoints import checkpoint, spend_budget_at
from helpers.engine import highs
from helpers.engine.bounds import Engine, undetermined_runs, with_tightness
from helpers.engine.cores import InProcess, Workers, worker_count
from helpers.engine.budget import Budget, OutOfTime, running
from helpers.engine.conflicts import CONFLICT_LIMIT, correction_from, enumerate_conflicts
from helpers.engine.explain import statuses as claim_statuses
from helpers.engine.model import build_model, known_series
from helpers.engine.results import Attestation, ClaimResult, Conflict, Correction, Range, Reconstruction
from helpers.engine.subsets import minimal_infeasible_groups
from helpers.core.limits import window_problem
from helpers.errors import BudgetError, DataError, PeriodError, ReadingError

# Correction sets whose ranges also say what each bound rests on (the smallest ones first).
EXPLAINED_CORRECTIONS = 3


def reconstruct(dataset, reading: str | None = None, series: str | None = None, *,
                periods: Iterable[str | Period] = (), calendar: bool = True,
                budget: Budget | None = None) -> Reconstruction:
    """The series (default: the reading's) under the named reading (default: the data set's),
    with the totals of ``periods`` and (unless ``calendar`` is false) of every calendar quarter
    and year the window covers fully; within ``budget`` (default: none, or the one running)."""
    return reconstruct_claims(dataset.claims, dataset.readings.get(reading), series,
                              periods=periods, calendar=calendar, budget=budget)


def every_reading(dataset, *, explain: bool = False,
                  budget: Budget | None = None) -> dict[str, Reconstruction | None]:
    """Each reading's reconstruction of its own default series, by reading name. Ranges only
    unless ``explain``: enough to set the readings side by side. One ``budget`` for them all; a
    reading it ran out on before anything was known is None."""
    found: dict[str, Reconstruction | None] = {}
    with running(budget):
        for name, reading in dataset.readings.by_name.items():
            try:
                found[name] = reconstruct_claims(dataset.claims, reading, explain=explain)
            except BudgetError:
                found[name] = None
    return found


def reconstruct_claims(claims: Sequence[Claim], reading: Reading, series: str | None = None, *,
                       explain: bool = True, conflict_limit: int = CONFLICT_LIMIT,
                       periods: Iterable[str | Period] = (), calendar: bool = False,
                       budget: Budget | None = None, cores: int | None = None) -> Reconstruction:
    """The engine. ``explain=False`` skips what bounds rest on, the claim statuses (model
    claims then get status ``unexamined``) and the alternatives of ambiguous claims: for
    benchmarks, side-by-side comparisons and property tests, not reports. ``periods`` and
    ``calendar`` as for ``reconstruct``.

    ``budget`` (engine/budget.py) limits the time of the whole run and hears its progress; None
    runs under the budget already running, if any, else without limit. When it runs out, what
    is not proven by then is reported as such (``Range.low_within``, ``high_within``,
    ``explained``; status ``unexamined``; ``conflict_search_out_of_time``), never guessed; if it
    runs out before it is known whether the claims can hold together, ``BudgetError``.

    ``cores``: at most this many processes (cores.py); None: as many as the machine gives a
    reconstruction big enough to pay for them. The result is the same whatever the count."""
    asked = requested_periods(periods)
    series = series or reading.series
    known = known_series(claims, reading)
    if series not in known:
        raise ReadingError(f"unknown series {series!r} under reading {reading.name!r}; "
                           f"known series: {', '.join(known)}")
    heads = statement_heads(claims, reading)
    model = build_model(heads, reading, series, everything=resolve(claims, reading))
    check_within_window(asked, model.window, series, reading)
    too_long = window_problem(len(model.months))  # before anything is solved
    if too_long:
        raise DataError(f"the window of series {series!r} under reading {reading.name!r} "
                        f"({model.window.start} to {model.window.end}) {too_long}")
    with running(budget) as run:
        return _reconstruct(claims, reading, series, heads, model, asked, explain, conflict_limit,
                            calendar, run, cores)


def _reconstruct(claims, reading, series, heads, model, asked, explain, conflict_limit, calendar,
                 run: Budget, cores: int | None) -> Reconstruction:
    extra = [*asked, *(calendar_periods(model.window) if calendar else ())]
    engine = Engine(model)
    everything = list(range(len(model.groups)))
    window = model.months  # (a property that builds the list: once)
    run.tell(0, len(window), "months")
    if spend_budget_at("start"):
        run.exhausted = True  # (a test's way to run out of time before anything is known)
    # The workers start now, on all the statements: each takes about half a second to start (a
    # new Python importing numpy, scipy and HiGHS), spent while this process searches conflicts.
    count = worker_count(len(everything), explain, cores)
    with Workers(model, count, engine) if count else contextlib.nullcontext(InProcess(engine)) as ask:
        if count:
            ask.start()
        search, conflict_sets, basis = _searched(engine, everything, conflict_limit, run)
        # The periods the claims name are asked for first: workers total them while this
        # process bounds the months (whose test hooks below then see them in order).
        named = {p: _ask(ask, p.months, basis, explain, run) for p in sorted(engine.named_periods(heads, extra))}
        months = []
        for number, month in enumerate(window, start=1):
            checkpoint(f"bound:{number}", inside=highs.hold)
            if spend_budget_at(f"bound:{number}"):
                run.exhausted = True  # (a test's way to run out of time at a known point)
            months.append(engine.range_of((month,), basis, explain))
            run.tell(number, len(window), "months")
        months = tuple(months)
        totals = _totals(engine, ask, named, months, basis, explain, run)
        # Setting one member aside keeps every other statement (conflict sets may overlap: when
        # another conflict set remains, the alternative says it still conflicts).
        conflicts = tuple(Conflict(tuple(model.groups[g].claim for g in found),
                                   engine.alternatives(found, [g for g in everything if g not in found]))
                          for found in conflict_sets)
        asked_for = [[_ask(ask, (m,), [g for g in everything if g not in found],
                           explain and number < EXPLAINED_CORRECTIONS, run) for m in model.months]
                     for number, found in enumerate(search.corrections)]
        corrections = tuple(Correction(tuple(model.groups[g].claim for g in found),
                                       tuple(_answer(engine, asked, run) for asked in months_asked))
                            for found, months_asked in zip(search.corrections, asked_for))
        by_id = {s.id: s for s in statements(claims)}
        statuses = []
        for result in claim_statuses(heads, model, engine, basis, conflicts, (*months, *totals), explain, ask):
            statuses.append(_attested(result, by_id[result.claim], conflicts))
            run.tell(len(statuses), len(heads), "claim statuses")
    statuses = tuple(statuses)
    rec = Reconstruction(series, reading, model.window, not conflict_sets, months, totals,
                         statuses, conflicts, corrections, search.complete, search.limit,
                         requested=asked, conflict_search_out_of_time=search.out_of_time)
    if explain:
        from helpers.engine.ambiguity import ambiguities  # (it calls back into this module)
        try:
            found = () if run.exhausted else ambiguities(claims, reading, series, rec)
        except BudgetError:
            found = ()
        # Alternatives compared on ranges not all proven would say little: none rather than that.
        rec = dataclasses.replace(rec, ambiguities=() if run.exhausted else found,
                                  ambiguities_out_of_time=run.exhausted and any(c.alternatives for c in claims))
    return dataclasses.replace(rec, budget=run.seconds, out_of_time=run.exhausted)


def _searched(engine: Engine, everything: list[int], conflict_limit: int, run: Budget):
    """The conflict search (conflicts.py), the conflict sets it lists and the basis: the groups
    outside every one of them."""
    try:
        search = enumerate_conflicts(everything, engine.holds, conflict_limit)
        conflict_sets = [list(found) for found in search.conflicts]
        holds = (search.complete and not conflict_sets) or bool(search.corrections)
        basis = _basis(engine, everything, conflict_sets, known_to_hold=holds)
    except OutOfTime:
        raise BudgetError(f"the time budget of {run.seconds:g} s ran out before it was known which "
                          f"claims can hold together, so no range can be given; give more time "
                          f"(--budget, or the notebook's budget parameter)") from None
    if conflict_sets and not search.corrections:  # the search stopped before it found one
        try:
            if engine.holds(basis):
                search = dataclasses.replace(search, corrections=(correction_from(basis, everything, engine.holds),))
        except OutOfTime:
            pass  # none listed; the search says it is incomplete
    return search, conflict_sets, basis


def _totals(engine: Engine, ask, named: dict, months: Sequence[Range], basis: list[int], explain: bool,
            run: Budget) -> tuple[Range, ...]:
    """The period totals: every multi-month period a claim totals and every extra one (asked
    for, or calendar quarters and years), ``named``, already asked for (``_ask``); and every
    run of undetermined months."""
    runs = {p: _ask(ask, p.months, basis, explain, run) for p in sorted(undetermined_runs(months)) if p not in named}
    asked = {**named, **runs}
    found = []
    for period in sorted(asked):
        found.append(_answer(engine, asked[period], run))
        run.tell(len(found), len(asked), "period totals")
    return tuple(with_tightness(found, months))


def _ask(ask, months: Sequence[str], groups: list[int], explain: bool, run: Budget) -> tuple:
    """A range asked for now (of the workers, or of this process when awaited: cores.py)."""
    return tuple(months), groups, explain, ask.range(months, groups, explain, run)


def _answer(engine: Engine, asked: tuple, run: Budget) -> Range:
    """The range asked for. Once the budget is spent it is not awaited but reported at once
    with what is known; an answer cut short by the budget spends it here too."""
    months, groups, explain, pending = asked
    found = engine.range_of(months, groups, explain) if run.exhausted else pending.get()
    if not (found.proven and found.explained):
        run.exhausted = True
    return found


def _basis(engine: Engine, everything: list[int], conflict_sets: list[list[int]], *,
           known_to_hold: bool = False) -> list[int]:
    """The groups outside every conflict set listed. When the search stopped at its limit these
    may still conflict: minimal conflict sets among them are then listed too, one at a time.
    ``known_to_hold``: nothing to check, because everything holds, or because the search found a
    correction set, which meets every conflict set, so the basis lies inside a set that holds."""
    basis = [g for g in everything if not any(g in found for found in conflict_sets)]
    if known_to_hold:
        return basis
    while basis and not engine.holds(basis):
        found = minimal_infeasible_groups(engine.system, engine.rows_of, basis, known_infeasible=True)
        if not found:
            break
        conflict_sets.append(found)
        basis = [g for g in basis if g not in found]
    return basis


def _attested(result: ClaimResult, statement: Statement, conflicts: Sequence[Conflict]) -> ClaimResult:
    """A statement's result with every outlet's words; a conflicting one names every conflict
    set it is in (they may overlap)."""
    reason = result.reason
    if result.status == ClaimStatus.CONFLICTING:
        numbers = [n for n, c in enumerate(conflicts, start=1) if result.claim in c.claims]
        if len(numbers) > 1:
            others = sorted({m for n in numbers for m in conflicts[n - 1].claims} - {result.claim})
            reason = (f"Cannot hold together with {', '.join(others)} "
                      f"(conflicts {', '.join(map(str, numbers))}).")
    attestations = tuple(Attestation(c.id, c.source, c.quote) for c in statement.claims)
    return ClaimResult(result.claim, result.status, reason, result.quote, attestations)


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
