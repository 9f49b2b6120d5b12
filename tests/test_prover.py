"""engine/exact.py, engine/prover.py: certificates checked exactly, minimal sets of claims."""
from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_array, vstack

from helpers.core.enums import SolverOutcome
from helpers.engine import highs
from helpers.engine.bounds import Engine
from helpers.engine.exact import certified_infeasible
from helpers.core.months import Period
from helpers.engine.model import ClaimGroup, Model, build_model
from helpers.engine import points
from helpers.engine import prover as prover_module
from helpers.engine.prover import Prover
from helpers.engine.reconstruct import reconstruct_claims
from helpers.engine.system import HighsStatus, System

from factories import row, small_rows
from test_reconstruct_properties import SERIES, fixed, scenarios

A, B, C = "2023-01", "2023-02", "2023-03"


# -- Farkas certificates ------------------------------------------------------------------------

def test_a_true_certificate_is_accepted_and_tampered_ones_are_refused():
    rows = [row("at-least-3", {A: 1, B: 1}, 3, None), row("at-most-2", {A: 1, B: 1}, None, 2)]
    assert certified_infeasible(rows, [1.0, -1.0]) == [0, 1]
    assert certified_infeasible(rows, [-1.0, 1.0]) == [0, 1]  # HiGHS's sign convention may differ
    assert certified_infeasible(rows, [1.0, -0.5]) is None    # leaves +0.5 (A + B): proves nothing
    assert certified_infeasible(rows, [2.0, -1.0]) is None
    assert certified_infeasible(rows, [1.0, 0.0]) is None     # one row alone holds
    touching = [row("at-least-3", {A: 1, B: 1}, 3, None), row("at-most-3", {A: 1, B: 1}, None, 3)]
    assert certified_infeasible(touching, [1.0, -1.0]) is None  # beta = 0: they do hold together
    one_sided = [row("at-least-3", {A: 1, B: 1}, 3, None), row("also-at-least", {A: 1, B: 1}, 2, None)]
    assert certified_infeasible(one_sided, [1.0, -1.0]) is None  # uses a high end the row lacks


@settings(max_examples=200, deadline=None)
@given(small_rows((A, B, C), most=3, lowest=8, widest=8))
def test_a_certified_ray_is_never_wrong(rows):
    """Whatever HiGHS's ray, a certificate that passes names rows without a whole-number point
    (brute force over a box that holds any point of such small rows, if there were one)."""
    if not rows:
        return
    system = System([A, B, C], rows)
    answer = highs.solve(system.matrix, system.low, system.high)
    if answer.status != highs.Status.INFEASIBLE or answer.ray is None:
        return
    found = certified_infeasible(rows, answer.ray)
    if found is None:
        return
    named = [rows[i] for i in found]
    for point in itertools.product(range(12), repeat=3):
        counts = dict(zip((A, B, C), point))
        assert not all(r.holds(counts) for r in named), (named, counts)


# -- minimal sets -------------------------------------------------------------------------------

def test_the_deletion_filter_keeps_only_what_is_needed():
    # A >= 8 follows from "a-big" alone; the certificate over everything may use the others too.
    rows = [row("total", {A: 1, B: 1}, 10, 10), row("b-small", {B: 1}, None, 2),
            row("a-big", {A: 1}, 8, None), row("free", {C: 1}, 1, None)]
    prover = Prover(System([A, B, C], rows), [[0], [1], [2], [3]])
    below = row("", {A: 1}, None, 7)
    assert prover.minimal([0, 1, 2, 3], [below]) == [2]
    assert prover.minimal([0, 1, 3], [below]) == [0, 1]
    assert prover.minimal([0, 3], [below]) is None


def test_integrality_decided_sets_are_found_and_minimal():
    # 2A = 2B + 1 has no whole-number solution although its LP does: only integrality decides.
    rows = [row("odd", {A: 2, B: -2}, 1, 1), row("free", {C: 1}, 1, None), row("cap", {A: 1}, None, 5)]
    prover = Prover(System([A, B, C], rows), [[0], [1], [2]])
    assert prover.rules_out([0]) == (True, (0,))  # a checked branching proof names it (branch.py)
    assert prover.minimal([0, 1, 2]) == [0]
    assert prover.minimal([1, 2]) is None


def test_an_optimum_the_integer_program_gets_wrong_is_caught_by_what_the_bound_rests_on(monkeypatch):
    # A + B = 10 and 3A >= 10: the LP allows A = 10/3, whole numbers need A >= 4, which only the
    # integer program settles. Made to answer A = 5 instead (a point, not the optimum), it is
    # not confirmed separately when the bound is explained: what the low rests on is the proof,
    # and its search meets the point A = 4; the low is then asked again, confirmed.
    model = Model(SERIES, Period(A, B), (ClaimGroup("sum", (row("sum", {A: 1, B: 1}, 10, 10),)),
                                         ClaimGroup("third", (row("third", {A: 3}, 10, None),))), ())
    real, confirmed = System._integer, []
    wrong = SimpleNamespace(status=HighsStatus.OPTIMAL, x=np.array([5.0, 5.0]), fun=5.0, message="")
    monkeypatch.setattr(System, "_integer", lambda self, problem, cost: wrong if cost[0] > 0 else real(self, problem, cost))
    monkeypatch.setattr(System, "_confirmed", lambda self, *args: confirmed.append(1) or real_confirmed(self, *args))

    def engine() -> Engine:  # one whose first solution (every search's start) is A = 9, B = 1
        made = Engine(model)
        made._witnesses[(0, 1)] = [(9, 1)]
        return made

    found = engine().range_of((A,), [0, 1], explain=True)
    assert (found.low, found.high, found.low_rests_on) == (4, 10, ("third",))
    assert confirmed  # asked again, confirmed
    confirmed.clear()
    assert engine().range_of((A,), [0, 1], explain=False).low == 4
    assert confirmed  # no explanation to prove it: confirmed at once


real_confirmed = System._confirmed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_months=4, max_count=4, max_claims=6))
def test_what_a_bound_rests_on_is_valid_and_minimal_by_brute_force(scenario):
    """Every rests-on set, checked without the solver: no whole-number series in a box that
    satisfies its claims lies beyond the bound; without any one claim, one does (found in the
    box, or as the solver's witness checked here row by row)."""
    months, truth, reading, claims = scenario
    rec = reconstruct_claims(claims, reading)
    engine = Engine(build_model(claims, reading, SERIES))
    index = {g.claim: i for i, g in enumerate(engine.model.groups)}
    points = np.array(list(itertools.product(range(13), repeat=len(months))), dtype=np.int64)
    holds = {}
    for g, group in enumerate(engine.model.groups):
        ok = np.ones(len(points), dtype=bool)
        for r in group.constraints:
            values = points @ engine.system.terms_vector(dict(r.terms))
            ok &= (values >= r.low) if r.low is not None else True
            ok &= (values <= r.high) if r.high is not None else True
        holds[g] = ok
    for r in (*rec.months, *rec.periods):
        total = points[:, [months.index(m) for m in r.months]].sum(axis=1)
        sides = [(r.low_rests_on, total <= r.low - 1, fixed(r.months, None, r.low - 1))] if r.low > 0 else []
        if r.high is not None:
            sides.append((r.high_rests_on, total >= r.high + 1, fixed(r.months, r.high + 1, None)))
        for rests_on, beyond, extra in sides:
            groups = [index[c] for c in rests_on]
            inside = beyond.copy()
            for g in groups:
                inside &= holds[g]
            assert not inside.any(), (r.label, rests_on)
            for left_out in groups:
                rest = [g for g in groups if g != left_out]
                found = beyond.copy()
                for g in rest:
                    found &= holds[g]
                if found.any():
                    continue
                outcome = engine.system.solve(engine.rows(rest), extra=[extra])
                assert outcome.status != SolverOutcome.INFEASIBLE, (r.label, rests_on, left_out)
                counts = dict(zip(months, outcome.witness))
                assert extra.holds(counts)
                assert all(c.holds(counts) for g in rest for c in engine.model.groups[g].constraints)


# -- HiGHS's "Solve error" ----------------------------------------------------------------------

def test_a_solve_error_is_asked_again_before_it_is_an_error(monkeypatch):
    system = System([A, B], [row("t", {A: 1, B: 1}, 3, 3)])
    problem = system._select(range(1), ())
    real = System._highs

    def failing(errors):
        asked = []

        def answer(self, problem, cost, *, integer, presolve=True, strategy=None):
            asked.append((presolve, strategy))
            if len(asked) <= errors:
                return SimpleNamespace(status=HighsStatus.OTHER, message="Solve error", x=None, fun=None)
            return real(self, problem, cost, integer=integer, presolve=presolve, strategy=strategy)
        return answer, asked

    for errors, last in ((1, (False, None)), (2, (False, 4))):
        answer, asked = failing(errors)
        monkeypatch.setattr(System, "_highs", answer)
        assert system._integer(problem, np.array([1, 0])).status == HighsStatus.OPTIMAL
        assert asked[-1] == last
    answer, asked = failing(3)
    monkeypatch.setattr(System, "_highs", answer)
    assert system._integer(problem, np.array([1, 0])).status == HighsStatus.OTHER  # solve() raises
    assert len(asked) == 3


@settings(max_examples=150, deadline=None)
@given(small_rows((A, B, C), most=3, lowest=8, widest=6), small_rows((A, B, C), most=2, lowest=8, widest=4))
def test_a_kept_lp_only_ever_says_there_is_no_certificate_when_there_is_none(rows, questions):
    """The LP of the same claims kept in HiGHS, asked with one extra row after another from its
    last basis (Prover._relaxation_holds), gives the same certificates as LPs from nothing."""
    if not rows:
        return
    system = System([A, B, C], rows)
    groups = list(range(len(rows)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prover_module, "_KEPT_FROM", 0)
        kept = Prover(system, [[i] for i in groups])
        for question in questions:
            cold = Prover(system, [[i] for i in groups]).certificate(groups, [question])
            assert kept.certificate(groups, [question], often=True) == cold



@settings(max_examples=300, deadline=None)
@given(small_rows((A, B, C), most=9, lowest=20, widest=6),
       st.lists(st.floats(-1, 1, allow_nan=False), min_size=3, max_size=3),
       st.lists(st.floats(0, 30, allow_nan=False), min_size=3, max_size=3))
def test_a_point_with_the_full_margin_rounds_to_a_whole_point_of_the_rows(rows, direction, x):
    """The deletion filter's LP (points.centred): with no margin its rows are the problem's;
    with the full margin, every point of them (here: the vertex furthest in a drawn direction,
    where rounding is most at risk) rounds to a whole-number point of the problem's
    inequalities (equalities are kept exactly, for a repair to mend)."""
    system = System([A, B, C], rows)
    problem = system._select(range(len(rows)), ())
    matrix, low, high, copies = points.centred(problem)
    assert sorted(set(copies.tolist())) == list(range(len(rows)))

    def within(values, low, high):
        return bool(((values >= low - 1e-9) & (values <= high + 1e-9)).all())
    assert within(matrix @ np.append(x, 0.0), low, high) == within(problem.matrix @ np.array(x), problem.low, problem.high)

    full = vstack([matrix, csr_array(np.array([[0.0, 0.0, 0.0, 1.0]]))]).tocsr()  # margin fixed at 1
    answer = highs.solve(full, np.append(low, 1.0), np.append(high, 1.0), np.append(direction, 0.0))
    if answer.status != highs.Status.OPTIMAL:
        return  # no point keeps the full margin, or none furthest that way
    rounded = problem.matrix @ np.rint(answer.x[:3])
    unequal = problem.low != problem.high
    assert (((rounded >= problem.low) & (rounded <= problem.high)) | ~unequal).all(), (answer.x, rows)
