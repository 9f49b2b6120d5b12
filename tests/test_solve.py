"""The HiGHS wrapper: exact checks of what the solver returns, and minimal infeasible subsets."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import OptimizeResult

import helpers.engine.system as solve_module
from helpers.errors import SolverError
from helpers.core.intervals import Interval
from helpers.core.linear import Constraint
from helpers.engine.model import constraints_of
from helpers.core.months import Period
from helpers.kinds.share import Share, percent_interval
from helpers.engine.system import System, minimal_infeasible_groups, quickxplain

from factories import READING, claim

A, B, C = "2023-01", "2023-02", "2023-03"


def row(claim_id: str, terms: dict[str, int], low=None, high=None) -> Constraint:
    return Constraint(claim_id, tuple(sorted(terms.items())), low, high)


def test_optimum_and_witness_are_integers_that_satisfy_every_row():
    rows = [row("sum", {A: 1, B: 1, C: 1}, 10, 10), row("order", {A: 1, B: -1}, 1, None)]
    system = System([A, B, C], rows)
    low = system.solve([0, 1], {A: 1})
    high = system.solve([0, 1], {A: 1}, maximise=True)
    assert (low.status, low.value, high.value) == ("optimal", 1, 10)
    for outcome in (low, high):
        point = dict(zip([A, B, C], outcome.witness))
        assert all(r.holds(point) for r in rows)
        assert all(isinstance(v, int) for v in outcome.witness)


def test_unbounded_is_certified_and_infeasible_is_reported():
    system = System([A, B], [row("a", {A: 1, B: -1}, 0, None), row("b", {B: 1}, 5, 5),
                             row("c", {A: 1}, None, 3)])
    up = system.solve([0, 1], {A: 1}, maximise=True)
    assert up.status == "unbounded" and up.value is None
    assert system.ray([0, 1], {A: 1}) is not None
    assert system.ray([0, 1], {B: 1}) is None          # B is pinned at 5
    assert system.solve([0, 1, 2], {A: 1}).status == "infeasible"
    assert not system.feasible([0, 1, 2])


def test_a_solution_that_fails_the_exact_check_raises_instead_of_being_trusted(monkeypatch):
    system = System([A], [row("seven", {A: 1}, 7, 7)])

    def lying_milp(**kwargs):
        return OptimizeResult(status=0, x=np.array([6.4]), fun=6.4, message="optimal")

    monkeypatch.setattr(solve_module, "milp", lying_milp)
    with pytest.raises(SolverError, match="seven"):
        system.solve([0], {A: 1})


def test_seventeen_and_a_half_percent_boundary_through_the_solver():
    share = claim("share", Share(Period(A, A), Period(A, B), percent_interval(18)))
    rows = list(constraints_of(share, [A, B], READING))
    for whole, allowed in ((1246, False), (1245, True)):
        fixed = [row("a", {A: 1}, 218, 218), row("whole", {A: 1, B: 1}, whole, whole)]
        system = System([A, B], rows + fixed)
        assert system.feasible(range(len(rows) + 2)) is allowed


def test_quickxplain_returns_none_when_everything_can_hold():
    assert quickxplain([1, 2, 3], lambda chosen: sum(chosen) > 100) is None


family = st.lists(st.frozensets(st.integers(0, 11), min_size=1, max_size=4), min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(conflicts=family, order=st.permutations(list(range(12))))
def test_quickxplain_finds_a_minimal_infeasible_subset(conflicts, order):
    calls = []

    def infeasible(chosen):
        calls.append(1)
        return any(c <= set(chosen) for c in conflicts)

    found = quickxplain(order, infeasible)
    assert infeasible(found)
    assert all(not infeasible([x for x in found if x != drop]) for drop in found)
    assert found == [x for x in order if x in found]  # keeps the candidates' order


def test_minimal_infeasible_groups_over_claim_groups():
    rows = [row("total", {A: 1, B: 1}, 10, 10), row("a-big", {A: 1}, 8, None),
            row("b-big", {B: 1}, 3, None), row("free", {C: 1}, 1, None)]
    system = System([A, B, C], rows)
    groups = [[0], [1], [2], [3]]
    assert minimal_infeasible_groups(system, groups, [0, 1, 2, 3]) == [0, 1, 2]
    assert minimal_infeasible_groups(system, groups, [0, 1, 3]) is None
    # what "A >= 8" rests on, i.e. which groups rule out A <= 7 with the background bound
    below = row("", {A: 1}, None, 7)
    assert minimal_infeasible_groups(system, groups, [0, 2, 3], extra=[below]) is None
    assert minimal_infeasible_groups(system, groups, [0, 1, 2, 3], extra=[below]) == [1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-4, 12), st.integers(0, 6)),
                min_size=1, max_size=4))
def test_bounds_agree_with_brute_force_over_a_small_box(specs):
    # Rows over two counts, plus a box 0..12 so brute force can see everything.
    rows = [row(f"r{i}", {A: a, B: b}, low, low + width) for i, (a, b, low, width) in enumerate(specs) if a or b]
    rows += [row("box", {A: 1}, None, 12), row("box", {B: 1}, None, 12)]
    system = System([A, B], rows)
    everything = range(len(rows))
    points = [p for p in itertools.product(range(13), repeat=2)
              if all(r.holds({A: p[0], B: p[1]}) for r in rows)]
    outcome = system.solve(everything, {A: 1, B: 2})
    if not points:
        assert outcome.status == "infeasible"
        return
    assert outcome.value == min(a + 2 * b for a, b in points)
    assert system.solve(everything, {A: 1, B: 2}, maximise=True).value == max(a + 2 * b for a, b in points)


def test_a_feasible_program_that_highs_presolve_calls_infeasible_is_solved():
    # Found by the property tests: HiGHS's MIP presolve (scipy 1.17) declared this infeasible.
    # By hand: Dec >= 1 and Dec/(Oct+Nov+Dec) < 1/5 give Oct+Nov >= 5, so Sep <= 1082 - 5.
    months = [f"2023-{m:02d}" for m in range(1, 13)]
    x = dict(zip(range(1, 13), months))
    rows = [row("c0", {m: 1 for m in months}, None, 2910), row("c2", {x[6]: 1, x[7]: 1}, 576, None),
            row("c3", {x[10]: 1, x[11]: 1, x[12]: 1}, 1, None),
            row("c3", {x[10]: -1, x[11]: -1, x[12]: 9}, 0, None),
            row("c3", {x[10]: -1, x[11]: -1, x[12]: 4}, None, -1),
            *(row("c4", {x[9]: 1, x[m]: -1}, 1, None) for m in (7, 8)),
            *(row("c5", {x[6]: 1, x[m]: -1}, 1, None) for m in (1, 2, 3, 4, 5, 7, 8, 9)),
            row("c6", {x[4]: 1, x[5]: 1}, None, 368), row("c7", {x[9]: 1, x[10]: 1, x[11]: 1}, None, 1082)]
    system = System(months, rows)
    outcome = system.solve(range(len(rows)), {x[9]: 1}, maximise=True)
    assert (outcome.status, outcome.value) == ("optimal", 1077)
