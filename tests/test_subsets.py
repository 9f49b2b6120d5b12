"""engine/subsets.py: minimal infeasible subsets, of anything and of claim groups of a System."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.engine.subsets import minimal_infeasible_groups, quickxplain
from helpers.engine.system import System

from factories import row

A, B, C = "2023-01", "2023-02", "2023-03"


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
