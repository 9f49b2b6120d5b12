"""engine/branch.py: proofs that no whole-number point exists, every leaf checked exactly; and
the two exact pieces it leans on (exact._solved, highs._run's time limit)."""
from __future__ import annotations

import itertools
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core.months import month_range
from helpers.engine import branch as branching, highs
from helpers.engine import exact
from helpers.engine.prover import Prover
from helpers.engine.system import System

from factories import row, small_rows

A, B, C = "2023-01", "2023-02", "2023-03"
MONTHS = (A, B, C)


def search(rows, question=(), node_limit=branching.NODE_LIMIT):
    """branch() over ``rows`` plus the ``question`` rows, as the prover calls it; returns its
    answer and the number of LPs it solved."""
    system = System(MONTHS, [*rows, *question])
    kept = []

    def keep(x, problem):
        point = np.rint(x).astype(np.int64)
        if system._violation(point, problem) is not None:
            return False
        kept.append((point, problem))
        return True

    solved = []
    real = highs.Program.feasible_point

    def counted(self):
        solved.append(1)
        return real(self)

    highs.Program.feasible_point, saved = counted, highs.Program.feasible_point
    try:
        found = branching.branch(system._select(range(len(rows) + len(question)), ()),
                                 len(rows), keep, MONTHS, node_limit=node_limit)
    finally:
        highs.Program.feasible_point = saved
    return found, len(solved), kept


def test_a_row_without_whole_solutions_is_settled_by_one_split_of_its_divided_terms():
    # 2A - 2B = 1: LP points abound (A = 0.5), whole ones do not. Splitting A - B settles it;
    # splitting single counts would run up a ladder (A >= 1, B >= 1, A >= 2, ...) forever.
    found, solved, _ = search([row("odd", {A: 2, B: -2}, 1, 1)])
    assert found == {0}
    assert solved == 3  # the root and the two halves of one split


def test_a_total_strictly_between_two_whole_numbers_is_settled_by_splitting_the_total():
    rows = [row("between", {A: 10, B: 10, C: 10}, 31, 39), row("a-small", {A: 1}, None, 5)]
    found, solved, _ = search(rows)
    assert found == {0}  # the cap on A plays no part
    assert solved == 3


def test_a_question_ruled_out_only_by_integrality_names_the_claims_that_do_it():
    # "Total of A and B is 3.5 to 3.9 times 2": 7 <= 2(A + B) <= 7.8, so A + B = ... none whole;
    # the question "A at most 10" changes nothing; "free" is not needed.
    rows = [row("half", {A: 2, B: 2}, 7, 7), row("free", {C: 1}, 1, None)]
    found, _, _ = search(rows, [row("", {A: 1}, None, 10)])
    assert found == {0}


def test_a_whole_point_found_on_the_way_ends_the_search():
    rows = [row("total", {A: 1, B: 1}, 4, 4), row("share", {A: 3, B: -1}, 0, None)]  # A >= B / 3
    found, _, kept = search(rows)
    assert found is False
    (point, problem), = kept
    assert point.sum() == 4 and 3 * point[0] >= point[1]


def test_the_search_gives_up_at_its_limit():
    rows = [row("odd", {A: 2, B: 2, C: 2}, 1, 1)]
    assert search(rows, node_limit=1)[0] is None  # one LP: the root, fractional


def test_a_big_program_gets_fewer_lps(monkeypatch):
    # 2A + 2B + 2C = 1 is settled in 3 LPs; with a limit of 2 LPs the search gives up. The
    # default limit of a program of many rows is ROW_SOLVES over its rows.
    rows = [row("odd", {A: 2, B: 2, C: 2}, 1, 1), *(row(f"cap-{k}", {A: 1}, None, 50 + k) for k in range(99))]
    monkeypatch.setattr(branching, "ROW_SOLVES", 2 * len(rows))
    assert search(rows, node_limit=None)[:2] == (None, 2)
    monkeypatch.setattr(branching, "ROW_SOLVES", 3 * len(rows))
    assert search(rows, node_limit=None)[:2] == ({0}, 3)


@settings(max_examples=300, deadline=None)
@given(small_rows(MONTHS, most=4, lowest=12, widest=6))
def test_a_proof_is_never_wrong_and_a_point_is_always_real(drawn):
    """Against brute force over a box that the rows themselves impose (each month at most 9):
    a proof names rows with no whole-number point in it; a point found satisfies every row."""
    rows = [*(row(f"cap-{m}", {m: 1}, None, 9) for m in MONTHS), *drawn]
    found, _, kept = search(rows, node_limit=5000)
    box = [dict(zip(MONTHS, p)) for p in itertools.product(range(10), repeat=3)]
    if found is False:
        point, _ = kept[-1]
        counts = dict(zip(MONTHS, point.tolist()))
        assert all(r.holds(counts) for r in rows)
    elif found is not None:
        named = [rows[i] for i in found]
        assert not any(all(r.holds(counts) for r in named) for counts in box), named
    else:  # the box bounds the search: it ends, with a proof or a point
        raise AssertionError(f"no answer within the box: {rows}")


# Met in the benchmark's 120 months and 1,000 claims (bench/reconstruction.py), shrunk to the
# claims that matter: totals of periods, shares of one period in another and an order of two
# months, which only together and through integrality rule out the last row, "2019-07 at most
# 376". (claim, low, high, [(months, coefficient), ...])
BENCHMARK_ROWS = [
    ("b7", 1, None, [("2017-02..2017-06", 1)]),
    ("b7", 0, None, [("2017-02..2017-06", -4), ("2017-07..2017-11", 5)]),
    ("b7", None, -1, [("2017-02..2017-06", -17), ("2017-07..2017-11", 20)]),
    ("b89", 4355, 4355, [("2019-02..2020-01", 1)]),
    ("b91", None, 1345, [("2019-12..2020-04", 1)]),
    ("b107", 4072, 4072, [("2019-02..2019-12", 1)]),
    ("b108", 1072, 1072, [("2019-08..2019-10", 1)]),
    ("b136", 1, None, [("2019-02..2019-03", 1)]),
    ("b136", 0, None, [("2019-02..2019-03", -1), ("2019-04..2019-05", 1)]),
    ("b151", 4231, 4231, [("2019-03..2020-02", 1)]),
    ("b174", 445, 445, [("2018-01", 1)]),
    ("b175", 1, None, [("2018-01..2019-11", 1)]),
    ("b175", 0, None, [("2018-01..2018-12", -81), ("2019-01..2019-09", 119), ("2019-10..2019-11", -81)]),
    ("b175", None, -1, [("2018-01..2018-12", -83), ("2019-01..2019-09", 117), ("2019-10..2019-11", -83)]),
    ("b183", 2890, 2890, [("2017-06..2017-11", 1)]),
    ("b192", 4039, 4039, [("2020-04..2021-03", 1)]),
    ("b198", 1, None, [("2019-09..2019-11", 1)]),
    ("b198", None, -1, [("2019-09..2019-11", -4), ("2019-12..2020-02", 5)]),
    ("b210", 4440, 4440, [("2019-01..2019-12", 1)]),
    ("b215", 834, 834, [("2019-03..2019-04", 1)]),
    ("b247", 3544, 3544, [("2017-12..2018-08", 1)]),
    ("b480", 2756, 2756, [("2019-02..2019-08", 1)]),
    ("b498", 3034, 3034, [("2018-01..2018-08", 1)]),
    ("b512", 4084, 4084, [("2018-07..2019-05", 1)]),
    ("b598", None, -1, [("2018-08..2019-02", -23), ("2019-03..2019-04", 177), ("2019-05..2020-04", -23)]),
    ("b771", 1450, 1450, [("2018-04..2018-07", 1)]),
    ("b957", 1, None, [("2019-07", 1), ("2019-09", -1)]),
    ("b989", 4682, 4682, [("2017-06..2018-03", 1)]),
    ("", None, 376, [("2019-07", 1)]),
]


def test_strong_branching_proves_what_splitting_the_first_candidate_does_not(monkeypatch):
    def spelled(period):  # "2019-02..2019-06" or "2019-07"
        start, _, end = period.partition("..")
        return month_range(start, end or start)

    rows = [row(claim, {m: c for period, c in parts for m in spelled(period)}, low, high)
            for claim, low, high, parts in BENCHMARK_ROWS]
    months = sorted({m for r in rows for m, _ in r.terms})
    system = System(months, rows)

    def search_all(node_limit=None):
        return branching.branch(system._select(range(len(rows)), ()), len(rows) - 1,
                                lambda x, problem: False, months, node_limit=node_limit)

    found = search_all()
    assert found and all(i < len(rows) - 1 for i in found)
    proven = {rows[i].claim for i in found}
    assert {"b957", "b598"} <= proven  # the order of the two months and a share of 2019-03..04
    monkeypatch.setattr(branching, "STRONG", 1)  # the first candidate alone: no end in sight
    assert search_all(node_limit=2000) is None


def test_the_prover_names_claims_where_only_integrality_decides():
    rows = [row("odd", {A: 2, B: -2}, 1, 1), row("free", {C: 1}, 1, None)]
    prover = Prover(System(list(MONTHS), rows), [[0], [1]])
    assert prover.rules_out([0, 1]) == (True, (0,))
    assert prover.stats["branched"] == 1


# -- exact.py: multipliers with large denominators ----------------------------------------------

def test_a_certificate_whose_multipliers_have_huge_denominators_is_recovered_exactly():
    # x >= 1 and (10^13 + 37) x <= 10^13 + 36: the multipliers are 1 and -1/(10^13 + 37), too
    # fine a fraction for every nearby reading of the float ray; solving its equations (the
    # count the ray cancels, cancelled exactly) finds it.
    big = 10 ** 13 + 37
    rows = [row("at-least-1", {A: 1}, 1, None), row("scaled", {A: big}, None, big - 1)]
    ray = {0: 1.0, 1: -1.0 / big}
    for limit in exact._DENOMINATORS:
        assert not exact._proves(rows, exact._whole({i: exact._rational(v, limit) for i, v in ray.items()}))
    solved = exact._solved(rows, ray)
    assert solved[1] / solved[0] == Fraction(-1, big)
    assert exact._proves(rows, exact._whole(solved))
    holding = [row("at-least-1", {A: 1}, 1, None), row("scaled", {A: big}, None, big)]  # x = 1 fits
    assert not exact._proves(holding, exact._whole(exact._solved(holding, ray)))


# -- highs.py: the time limit of a kept instance ------------------------------------------------

def test_a_kept_instance_gets_its_limit_on_top_of_the_time_it_has_already_run():
    """HiGHS compares time_limit with the time of all the instance's runs so far: after a minute
    of small solves a kept instance would stop every program at once (met at 48 months)."""
    options = {}
    instance = SimpleNamespace(getRunTime=lambda: 1000.0, setOptionValue=options.__setitem__,
                               run=lambda: None, getModelStatus=lambda: highs._MODEL.kOptimal)
    highs._run(instance)
    assert options["time_limit"] > 1000.0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(-2, 2), min_size=4, max_size=4), min_size=2, max_size=5),
       st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 3)), min_size=5, max_size=5),
       st.lists(st.lists(st.integers(-1, 1), min_size=4, max_size=4), min_size=1, max_size=8))
def test_a_kept_program_answers_every_objective_as_a_fresh_one_would(matrix, ends, costs):
    """highs.Program keeps one LP and changes only its objective (the bounds of every month):
    whatever the objectives before, an optimum is the fresh solve's optimum, and a program
    without one is never said to have one (from the basis of an unbounded objective HiGHS has
    answered "unbounded or infeasible" to a bounded one: Program asks again from nothing)."""
    from scipy.sparse import csr_array
    rows = csr_array(np.array(matrix, dtype=np.int64))
    low = np.array([float(lo) for lo, _ in ends[:len(matrix)]])
    high = np.array([float(lo + width) for lo, width in ends[:len(matrix)]])
    kept = highs.Program(rows, low, high)
    for cost in costs:
        cost = np.array(cost, dtype=float)
        fresh, answer = highs.solve(rows, low, high, cost), kept.minimise(cost)
        assert (answer.status == highs.Status.OPTIMAL) == (fresh.status == highs.Status.OPTIMAL)
        if fresh.status == highs.Status.OPTIMAL:
            assert abs(cost @ answer.x - cost @ fresh.x) < 1e-6
