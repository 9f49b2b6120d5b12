"""engine/budget.py: one time budget for a reconstruction. When it runs out, what was proven
stays exact and the rest is marked unproven, with an interval that holds the true bound.

The budget runs out at a point fixed by the program's own progress, never by the machine's
speed: its clock advances one unit each time it is read (once per solver call, and a few times
more), so a budget of N units runs out after a fixed number of solver calls.
"""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st

from factories import READING, claim
from test_reconstruct_properties import FAST, scenarios
from helpers.core.enums import ClaimStatus
from helpers.core.intervals import Interval
from helpers.core.months import Period
from helpers.engine import budget as budget_module
from helpers.engine.budget import Budget, OutOfTime, running
from helpers.engine.reconstruct import reconstruct_claims
from helpers.errors import BudgetError
from helpers.kinds.extremum import Extremum
from helpers.kinds.total import Total
from helpers.present.formats import format_table


def ticking(units: int, progress=None) -> Budget:
    """A budget that runs out after ``units`` reads of its clock."""
    return Budget(units, progress, clock=itertools.count().__next__)


def claims_of_a_quarter_and_a_half_year():
    """Months of 2023 with bounds that take solving: totals, an extreme, overlapping periods."""
    return [claim("h1", Total(Period("2023-01", "2023-06"), Interval.point(600))),
            claim("q1", Total(Period("2023-01", "2023-03"), Interval.relation(">=", 200))),
            claim("mar", Total(Period("2023-03", "2023-03"), Interval.point(90))),
            claim("top", Extremum("2023-03", "highest", Period("2023-01", "2023-06"))),
            claim("q2", Total(Period("2023-04", "2023-06"), Interval.relation("<=", 350)))]


def contains(within, value) -> bool:
    low, high = within
    return (value is None and high is None) or (
        value is not None and low <= value and (high is None or value <= high))


def check_against(exact, budgeted) -> int:
    """Every proven end equals the unbudgeted run's, every unproven one lies in its interval,
    the outer ends still hold the exact range; the number of unproven ends."""
    unproven = 0
    # (the periods listed can differ: runs of undetermined months are listed, and a month not
    # proven is not determined; those of both runs are compared)
    truths = {r.months: r for r in exact.periods}
    pairs = [*zip(exact.months, budgeted.months, strict=True),
             *((truths[r.months], r) for r in budgeted.periods if r.months in truths)]
    for truth, found in pairs:
        assert found.months == truth.months
        if found.low_within is None:
            assert found.low == truth.low
        else:
            unproven += 1
            assert contains(found.low_within, truth.low) and found.low == found.low_within[0]
        if found.high_within is None:
            assert found.high == truth.high
        else:
            unproven += 1
            assert contains(found.high_within, truth.high) and found.high == found.high_within[1]
        assert found.low <= truth.low and (found.high is None or (truth.high is not None and truth.high <= found.high))
        if not found.proven:
            assert not found.determined and not found.explained and not found.tighter_than_months
        if found.explained and found.proven:
            assert (found.low_rests_on, found.high_rests_on) == (truth.low_rests_on, truth.high_rests_on)
    return unproven


# -- the budget itself --------------------------------------------------------------------------

def test_a_budget_runs_out_after_its_units_and_stays_spent():
    run = ticking(3)
    run.check()
    run.check()
    with pytest.raises(OutOfTime):
        run.check()
    assert run.exhausted
    with pytest.raises(OutOfTime):  # spent for good, whatever the clock says
        run.check()


def test_a_solver_call_gets_the_time_left_never_more_than_its_own_limit():
    assert ticking(1000).time_limit(60.0) == 60.0
    assert ticking(10).time_limit(60.0) < 10
    assert Budget(None).time_limit(60.0) == 60.0


def test_running_sets_the_budget_the_engine_finds_and_none_keeps_the_one_running():
    outer = ticking(100)
    assert budget_module.active().seconds is None
    with running(outer):
        assert budget_module.active() is outer
        with running(None) as inner:
            assert inner is outer
    assert budget_module.active() is not outer


# -- a reconstruction that runs out --------------------------------------------------------------

@pytest.fixture(scope="module")
def exact():
    return reconstruct_claims(claims_of_a_quarter_and_a_half_year(), READING, calendar=True)


def test_without_running_out_a_budgeted_run_equals_the_unbudgeted_one(exact):
    budgeted = reconstruct_claims(claims_of_a_quarter_and_a_half_year(), READING, calendar=True,
                                  budget=ticking(10 ** 9))
    assert not budgeted.out_of_time and check_against(exact, budgeted) == 0
    assert budgeted.months == exact.months and budgeted.statuses == exact.statuses
    assert all(r.proven and r.explained for r in (*exact.months, *exact.periods))


def test_running_out_marks_later_bounds_unproven_and_keeps_earlier_ones_exact(exact):
    clock = itertools.count()
    reconstruct_claims(claims_of_a_quarter_and_a_half_year(), READING, calendar=True,
                       budget=Budget(10 ** 9, clock=clock.__next__))
    needed = next(clock)  # the clock reads of a whole run: any fewer units run out on the way
    seen = set()
    for units in range(2, needed, max(1, needed // 30)):
        try:
            budgeted = reconstruct_claims(claims_of_a_quarter_and_a_half_year(), READING, calendar=True,
                                          budget=ticking(units))
        except BudgetError:  # (out before the first feasibility check was done: said in one line)
            seen.add("nothing")
            continue
        assert budgeted.out_of_time and budgeted.budget == units
        unproven = check_against(exact, budgeted)
        proven = [r.proven for r in budgeted.months]
        # Month by month: once one is cut short, every later one is too (the budget stays spent).
        assert proven == sorted(proven, reverse=True)
        seen.add((unproven > 0, any(proven)))
        for found, truth in zip(budgeted.statuses, exact.statuses):
            assert found == truth or (found.status in (truth.status, ClaimStatus.UNEXAMINED)
                                      and "time budget" in found.reason)
        if not all(r.explained for r in (*budgeted.months, *budgeted.periods)):
            # a claim no explained bound rests on may still be needed by one not explained
            assert all(s.status != ClaimStatus.JOINT for s in budgeted.statuses)
    # cut short midway through the months, after them (statuses), before anything could be said
    assert {(True, True), (False, True), "nothing"} <= seen


def test_running_out_before_it_is_known_whether_the_claims_hold_is_one_clear_error():
    with pytest.raises(BudgetError, match="time budget of 1 s ran out before it was known which claims"):
        reconstruct_claims(claims_of_a_quarter_and_a_half_year(), READING, budget=ticking(1))


def test_progress_counts_the_months_up_to_their_number(exact):
    told = []
    reconstruct_claims(claims_of_a_quarter_and_a_half_year(), READING, calendar=True,
                       budget=Budget(None, lambda *step: told.append(step)))
    months = [(done, total) for done, total, stage in told if stage == "months"]
    assert months == [(n, len(exact.months)) for n in range(len(exact.months) + 1)]
    assert {stage for _, _, stage in told} == {"months", "period totals", "claim statuses"}


@settings(FAST, max_examples=40)
@given(scenarios(max_months=8, max_claims=5), st.integers(1, 400))
def test_every_unproven_interval_holds_the_true_bound(scenario, units):
    _, _, reading, claims = scenario
    exact = reconstruct_claims(claims, reading, explain=False)
    try:
        budgeted = reconstruct_claims(claims, reading, explain=False, budget=ticking(units))
    except BudgetError:
        return  # (nothing said: nothing to check)
    check_against(exact, budgeted)
    assert budgeted.feasible == exact.feasible


def test_ambiguities_not_compared_in_time_are_said_to_be_so(monkeypatch):
    from helpers import paths
    from helpers.core.checkpoints import SPEND_BUDGET_AT
    from helpers.data.dataset import load_dataset
    from helpers.engine.reconstruct import reconstruct

    corpus = load_dataset(paths.project_root() / "examples" / "corpus")  # an ambiguous share
    assert reconstruct(corpus).ambiguities
    monkeypatch.setenv(SPEND_BUDGET_AT, "bound:1")
    cut_short = reconstruct(corpus, budget=Budget(600))
    assert cut_short.out_of_time and cut_short.ambiguities == ()
    assert cut_short.to_dict()["budget"]["ambiguities_out_of_time"] is True
    assert not cut_short.feasible and cut_short.conflicts  # known before the budget ran out
    assert all(not r.proven for r in cut_short.months)
    # what setting a conflict's member aside gives was not decided in time: said, not guessed
    alternatives = [a for c in cut_short.conflicts for a in c.alternatives]
    assert alternatives and all(a.feasible is None and a.months == () for a in alternatives)
    from helpers.present import formats, views
    assert "not known: the time budget ran out" in formats.format_table(cut_short)
    assert views.NOT_COMPUTED in views.conflicts_view(cut_short, corpus)


def test_a_conflict_search_cut_short_lists_only_proven_sets_and_says_it_stopped():
    january, february = Period("2023-01", "2023-01"), Period("2023-02", "2023-02")
    claims = [claim(f"jan-{v}", Total(january, Interval.point(v))) for v in (5, 6, 7)]
    claims += [claim("feb-3", Total(february, Interval.point(3))),
               claim("both-9", Total(Period("2023-01", "2023-02"), Interval.point(9)))]
    exact = reconstruct_claims(claims, READING)
    assert not exact.feasible and exact.conflicts_complete and len(exact.conflicts) >= 3
    clock = itertools.count()
    reconstruct_claims(claims, READING, budget=Budget(10 ** 9, clock=clock.__next__))
    cut = []
    for units in range(2, next(clock)):
        try:
            found = reconstruct_claims(claims, READING, budget=ticking(units))
        except BudgetError:
            continue
        assert {c.claims for c in found.conflicts} <= {c.claims for c in exact.conflicts}  # each proven
        if found.conflict_search_out_of_time:
            cut.append(found)
            assert not found.conflicts_complete
            assert "stopped when the time budget ran out: more may exist" in format_table(found)
            assert found.to_dict()["conflict_search"]["out_of_time"] is True
    assert cut  # (some budget stopped the search midway, after a correction set was found)


def test_a_window_of_a_thousand_years_is_refused_before_anything_is_solved():
    from helpers.errors import DataError

    claims = [claim("first", Total(Period("2000-01", "2000-01"), Interval.point(5))),
              claim("last", Total(Period("2999-12", "2999-12"), Interval.point(5)))]
    with pytest.raises(DataError, match=r"\(2000-01 to 2999-12\) spans 12,000 months, more than the 1,200"):
        reconstruct_claims(claims, READING, budget=ticking(0))  # (no time at all: nothing solved)
