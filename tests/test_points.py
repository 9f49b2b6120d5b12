"""engine/points.py: whole-number points found without solving, which only ever save solves."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.engine import points, prover
from helpers.engine.prover import Prover
from helpers.engine.reconstruct import reconstruct_claims
from helpers.engine.system import System

from bench.engine import READING
from bench.reconstruction import claims_of
from factories import row, small_rows
from test_reconstruct_properties import FAST, scenarios

A, B, C = "2023-01", "2023-02", "2023-03"


def problem_of(rows, months=(A, B)):
    system = System(list(months), rows)
    return system, Prover(system, [[i] for i in range(len(rows))])


def test_a_rounded_point_that_breaks_a_total_is_moved_onto_it():
    system, found = problem_of([row("total", {A: 1, B: 1}, 3, 3)])
    problem = found._problem([0], [])
    assert system._violation(np.rint([1.5, 1.5]).astype(np.int64), problem) is not None  # 2 + 2
    point = points.repaired(np.array([1.5, 1.5]), problem)
    assert point is not None and point.sum() == 3 and (point >= 0).all()


def test_a_point_far_from_every_whole_one_is_not_repaired():
    # 2A = 2B + 1 has no whole-number point at all: no move can reach one.
    system, found = problem_of([row("odd", {A: 2, B: -2}, 1, 1)])
    assert points.repaired(np.array([1.5, 1.0]), found._problem([0], [])) is None


def test_beside_a_bound_each_claim_it_rests_on_is_broken_alone():
    # A + B = 10 and B <= 6 put A at 4 or more; (4, 6) attains it. One unit below: (3, 6) breaks
    # only the total, (3, 7) only "B <= 6".
    rows = [row("total", {A: 1, B: 1}, 10, 10), row("b-at-most-6", {B: 1}, None, 6)]
    system, found = problem_of(rows)
    bound = row("", {A: 1}, None, 3)
    candidates = points.beside([np.array([4, 6])], bound, system.index, system.matrix.toarray(),
                               found.points.low, found.points.high, np.array([0, 1]), 2)
    assert sorted(candidates) == [0, 1]
    for group, point in candidates.items():
        counts = dict(zip((A, B), point.tolist()))
        assert bound.holds(counts)
        assert [r.holds(counts) for r in rows] == [g != group for g in range(2)]


@settings(max_examples=150, deadline=None)
@given(small_rows((A, B, C), most=3, lowest=8, widest=6), st.lists(st.integers(0, 9), min_size=3, max_size=3),
       st.sampled_from([(A,), (A, B), (B, C)]), st.booleans())
def test_what_beside_proposes_breaks_its_claim_alone_and_lies_beyond_the_bound(rows, base, months, upper):
    if not rows:
        return
    system = System([A, B, C], rows)
    found = Prover(system, [[i] for i in range(len(rows))])
    total = sum(base[system.index[m]] for m in months)
    bound = row("", {m: 1 for m in months}, total + 1, None) if upper else row("", {m: 1 for m in months}, None, total - 1)
    candidates = points.beside([np.array(base)], bound, system.index, system.matrix.toarray(), found.points.low,
                               found.points.high, np.arange(len(rows)), len(rows))
    for group, point in candidates.items():
        counts = dict(zip((A, B, C), point.tolist()))
        assert (point >= 0).all() and bound.holds(counts)
        assert [r.holds(counts) for r in rows] == [g != group for g in range(len(rows))]


@settings(max_examples=100, deadline=None)
@given(small_rows((A, B, C), most=3, lowest=8, widest=6),
       st.lists(st.floats(0, 12, allow_nan=False), min_size=3, max_size=3))
def test_a_repaired_point_is_kept_only_when_it_holds_exactly(rows, x):
    if not rows:
        return
    system, found = problem_of(rows, (A, B, C))
    problem = found._problem(list(range(len(rows))), [])
    if found._repaired(np.array(x), problem):
        kept = found.points._points[found.points._count - 1]
        counts = dict(zip((A, B, C), kept.tolist()))
        assert all(r.holds(counts) for r in rows)


def without_shortcuts(monkeypatch):
    monkeypatch.setattr(prover, "repaired", lambda x, problem: None)
    monkeypatch.setattr(prover, "rounded_along", lambda x: None)
    monkeypatch.setattr(prover, "beside", lambda *args: {})


def test_the_shortcuts_are_taken_and_change_no_reconstruction(monkeypatch):
    """On the benchmark's 12 months and 100 claims, which every shortcut serves, the
    reconstruction equals the one without them."""
    claims = claims_of(12, 100, planted=False)
    taken = []
    real_init = Prover.__init__

    def counted(self, *args):
        real_init(self, *args)
        taken.append(self.stats)
    monkeypatch.setattr(Prover, "__init__", counted)
    with_them = reconstruct_claims(claims, READING, cores=1)
    assert taken[0]["repaired"] > 0 and taken[0]["seeded"] > 0 and taken[0]["along"] > 0
    without_shortcuts(monkeypatch)
    assert reconstruct_claims(claims, READING, cores=1) == with_them


@settings(FAST, max_examples=25)
@given(scenarios(max_months=8))
def test_no_reconstruction_depends_on_the_shortcuts(scenario):
    months, truth, reading, claims = scenario
    with_them = reconstruct_claims(claims, reading, cores=1)
    with pytest.MonkeyPatch.context() as patch:
        without_shortcuts(patch)
        assert reconstruct_claims(claims, reading, cores=1) == with_them


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 9), st.integers(1, 6), st.randoms(use_true_random=False))
def test_each_repair_move_changes_the_rows_and_lowers_the_month_it_says(months, rows, rng):
    # The repair's shortcuts (points._shifts, _lowered) against the moves written out.
    matrix = np.array([[rng.randint(-5, 5) for _ in range(months)] for _ in range(rows)], dtype=np.int64)
    moves = points._moves(months)
    assert (points._shifts(matrix) == moves @ matrix.T).all()
    lowers = [int(np.flatnonzero(move < 0)[0]) if (move < 0).any() else -1 for move in moves]
    assert points._lowered(months).tolist() == lowers


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 80), min_size=1, max_size=24), st.data())
def test_rounded_along_the_months_every_run_keeps_its_total_within_a_unit_and_whole_ones_exactly(eighths, data):
    x = np.array(eighths, dtype=float) / 8  # (exact in floating point, as their sums are)
    first = data.draw(st.integers(0, len(x) - 1))
    last = data.draw(st.integers(first, len(x) - 1))
    x[last] += np.ceil(x[first:last + 1].sum()) - x[first:last + 1].sum()  # this run's total: whole
    rounded = points.rounded_along(x)
    assert (rounded >= 0).all() and (rounded == np.rint(rounded)).all()
    assert rounded[first:last + 1].sum() == x[first:last + 1].sum()
    for a in range(len(x)):
        for b in range(a, len(x)):
            assert abs(rounded[a:b + 1].sum() - x[a:b + 1].sum()) < 1
