"""engine/system.py, the HiGHS wrapper: exact checks of what the solver returns, HiGHS's status
codes by name, and the rows a program is solved over."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp

import helpers.engine.system as system_module
from helpers.core.enums import SolverOutcome
from helpers.core.months import Period
from helpers.engine.model import constraints_of
from helpers.engine.system import HighsStatus, Problem, System
from helpers.errors import SolverError
from helpers.kinds.share import Share, percent_interval

from factories import READING, claim, row

A, B, C = "2023-01", "2023-02", "2023-03"


def test_optimum_and_witness_are_integers_that_satisfy_every_row():
    rows = [row("sum", {A: 1, B: 1, C: 1}, 10, 10), row("order", {A: 1, B: -1}, 1, None)]
    system = System([A, B, C], rows)
    low = system.solve([0, 1], {A: 1})
    high = system.solve([0, 1], {A: 1}, maximise=True)
    assert (low.status, low.value, high.value) == ("optimal", 1, 10)
    assert low.status is SolverOutcome.OPTIMAL
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


def test_highs_status_names_match_what_scipy_milp_returns():
    one = Bounds(np.zeros(1), np.full(1, np.inf))
    assert milp(c=[1.0], integrality=[1], bounds=one).status == HighsStatus.OPTIMAL
    impossible = LinearConstraint(np.ones((1, 1)), 2, 1)  # 2 <= x <= 1
    assert milp(c=[1.0], integrality=[0], constraints=impossible).status == HighsStatus.INFEASIBLE
    assert milp(c=[-1.0], integrality=[0], bounds=one).status == HighsStatus.UNBOUNDED
    # A 0/1 equation system HiGHS cannot settle in a nanosecond: out of time.
    coefficients = np.random.default_rng(1).integers(0, 100, (3, 30))
    half = coefficients.sum(axis=1) // 2
    hard = milp(c=np.zeros(30), integrality=np.ones(30), bounds=Bounds(np.zeros(30), np.ones(30)),
                constraints=LinearConstraint(coefficients, half, half),
                options={"time_limit": 1e-9, "presolve": False})
    assert hard.status == HighsStatus.LIMIT


def test_an_lp_that_highs_cannot_classify_is_decided_exactly(monkeypatch):
    # HiGHS may answer "other" (4: unbounded or infeasible) for a relaxation without bound; the
    # program is then decided exactly (a feasible point and a checked integer ray).
    system = System([A, B], [row("a", {A: 1, B: -1}, 0, None)])
    real_milp = system_module.milp

    def vague_lp(**kwargs):
        result = real_milp(**kwargs)
        if not kwargs["integrality"].any() and result.status == HighsStatus.UNBOUNDED:
            return OptimizeResult(status=int(HighsStatus.OTHER), x=None, fun=None, message="other")
        return result

    monkeypatch.setattr(system_module, "milp", vague_lp)
    assert system.solve([0], {A: 1}, maximise=True).status == SolverOutcome.UNBOUNDED


def test_a_problem_names_its_rows_and_their_ends():
    rows = [row("sum", {A: 1, B: 1}, 10, 10), row("order", {A: 1, B: -1}, 1, None)]
    system = System([A, B], rows)
    below = row("", {A: 1}, None, 7)
    problem = system._select([1], [below])
    assert isinstance(problem, Problem)
    assert problem.rows == [rows[1], below]
    assert problem.matrix.shape == (2, 2)
    assert problem.matrix.toarray().tolist() == [[1, -1], [1, 0]]
    assert problem.low.tolist() == [1, -np.inf] and problem.high.tolist() == [np.inf, 7]


def test_a_solution_that_fails_the_exact_check_raises_instead_of_being_trusted(monkeypatch):
    system = System([A], [row("seven", {A: 1}, 7, 7)])

    def lying_milp(**kwargs):
        return OptimizeResult(status=0, x=np.array([6.4]), fun=6.4, message="optimal")

    monkeypatch.setattr(system_module, "milp", lying_milp)  # the integer program (scipy)
    monkeypatch.setattr(system_module, "_relaxed", lambda *args: lying_milp())  # the LP (highspy)
    with pytest.raises(SolverError, match="seven"):
        system.solve([0], {A: 1})


def test_seventeen_and_a_half_percent_boundary_through_the_solver():
    share = claim("share", Share(Period(A, A), Period(A, B), percent_interval(18)))
    rows = list(constraints_of(share, [A, B], READING))
    for whole, allowed in ((1246, False), (1245, True)):
        fixed = [row("a", {A: 1}, 218, 218), row("whole", {A: 1, B: 1}, whole, whole)]
        system = System([A, B], rows + fixed)
        assert system.feasible(range(len(rows) + 2)) is allowed


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


def test_a_ray_of_narrow_shares_is_found_exactly_without_an_integer_program(monkeypatch):
    """Narrow shares make an unbounded total whose rays have denominators in the millions: the
    LP's floats do not round to one, and HiGHS's integer program over the cone once ran past
    its time limit (a property-test example). The vertex's tight rows, solved exactly, give it."""
    from fractions import Fraction as F

    from helpers.core.intervals import Interval
    from helpers.kinds.rate import Rate
    from helpers.kinds.ratio import Ratio
    from helpers.kinds.total import Total
    from helpers.engine.bounds import Engine
    from helpers.engine.model import build_model

    def share(part, whole, low, high):
        return Share(Period(*part), Period(*whole), Interval(low, high, low_closed=True, high_closed=False))

    claims = [claim("c1", share(("2022-07", "2022-08"), ("2022-06", "2022-08"), F(641, 2000), F(643, 2000))),
              claim("c2", Ratio(Period("2022-07", "2022-07"), Period("2022-07", "2022-07"),
                                Interval(F(1), F(11, 10), high_closed=False))),
              claim("c3", share(("2022-05", "2022-06"), ("2022-03", "2022-06"), F(133, 200), F(27, 40))),
              claim("c4", Rate(Period("2022-08", "2022-08"), "month", Interval(None, F(114), high_closed=False))),
              claim("c6", share(("2022-06", "2022-07"), ("2022-04", "2022-07"), F(1447, 2000), F(1449, 2000))),
              claim("c7", Total(Period("2022-05", "2022-05"), Interval(F(37), None, low_closed=False)))]
    engine = Engine(build_model(claims, READING, "s"))
    rows = engine.rows(range(len(engine.model.groups)))
    every = {m: 1 for m in engine.model.months}
    real_highs = System._highs

    def lp_only(self, problem, cost, *, integer, presolve=True):
        assert not integer, "an integer program was asked for the ray"
        return real_highs(self, problem, cost, integer=integer, presolve=presolve)

    monkeypatch.setattr(System, "_highs", lp_only)
    direction = engine.system.ray(rows, every)
    assert direction is not None and sum(direction) >= 1
    # Checked here again, exactly: every row's left side moves the way its ends allow.
    for r in (engine.system.constraints[i] for i in rows):
        change = r.value(dict(zip(engine.system.variables, direction))) - r.value(
            dict.fromkeys(engine.system.variables, 0))
        assert (r.low is None or change >= 0) and (r.high is None or change <= 0)
