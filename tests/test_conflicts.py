"""engine/conflicts.py: every minimal conflict set and every minimal correction set.

Checked on a crafted data set with two overlapping conflicts, on random families of "bad" sets
(a pure oracle), and on random small data sets against brute force over all subsets of claims.
"""
from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.core.intervals import Interval
from helpers.core.months import Period
from helpers.engine.bounds import Engine
from helpers.engine.conflicts import correction_from, enumerate_conflicts, minimal_hitting_sets
from helpers.engine.model import build_model
from helpers.engine.reconstruct import reconstruct_claims
from helpers.kinds.total import Total
from factories import READING, claim

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
JAN, FEB, BOTH = Period("2024-01", "2024-01"), Period("2024-02", "2024-02"), Period("2024-01", "2024-02")


def overlapping():
    """Jan = 10, Feb = 20, Jan+Feb = 25, Jan+Feb >= 28: the 25 conflicts with the first two
    (10 + 20 is 30) and, on its own, with "at least 28"."""
    return [claim("jan-10", Total(JAN, Interval.point(10))),
            claim("feb-20", Total(FEB, Interval.point(20))),
            claim("both-25", Total(BOTH, Interval.point(25))),
            claim("both-28-or-more", Total(BOTH, Interval.relation(">=", 28)))]


def months_of(correction) -> dict[str, tuple[int, int | None]]:
    return {r.months[0]: (r.low, r.high) for r in correction.months}


def test_two_overlapping_conflicts_and_every_correction_with_its_ranges():
    rec = reconstruct_claims(overlapping(), READING)
    assert not rec.feasible and rec.conflicts_complete
    assert [c.claims for c in rec.conflicts] == [("both-25", "both-28-or-more"),
                                                 ("jan-10", "feb-20", "both-25")]
    corrections = {c.claims: months_of(c) for c in rec.corrections}
    assert corrections == {
        ("both-25",): {"2024-01": (10, 10), "2024-02": (20, 20)},
        ("jan-10", "both-28-or-more"): {"2024-01": (5, 5), "2024-02": (20, 20)},
        ("feb-20", "both-28-or-more"): {"2024-01": (10, 10), "2024-02": (15, 15)},
    }
    assert [c.claims for c in rec.corrections][0] == ("both-25",)  # the smallest first
    # The smallest correction's ranges say what they rest on.
    smallest = rec.corrections[0].months
    assert smallest[0].low_rests_on == ("jan-10",)
    # Setting aside the shared member alone lets everything else hold; any other member does not.
    both = {a.set_aside: a.feasible for c in rec.conflicts for a in c.alternatives}
    assert both == {"both-25": True, "both-28-or-more": False, "jan-10": False, "feb-20": False}
    statuses = {s.claim: s for s in rec.statuses}
    assert all(s.status == "conflicting" for s in statuses.values())
    assert "conflicts 1, 2" in statuses["both-25"].reason


def test_the_limit_stops_the_search_and_says_so():
    rec = reconstruct_claims(overlapping(), READING, conflict_limit=1)
    assert not rec.conflicts_complete and rec.conflict_limit == 1
    document = rec.to_dict()
    assert document["conflict_search"] == {"complete": False, "limit": 1, "out_of_time": False}
    # The ranges still come from claims that hold together.
    assert Engine(build_model(overlapping(), READING, "s")).feasible(
        [i for i, c in enumerate(overlapping())
         if not any(c.id in found.claims for found in rec.conflicts)])


def test_claims_that_hold_have_no_conflict_and_no_correction():
    rec = reconstruct_claims(overlapping()[:2], READING)
    assert rec.feasible and rec.conflicts == () and rec.corrections == () and rec.conflicts_complete


def test_minimal_hitting_sets():
    assert minimal_hitting_sets([]) == [()]
    assert sorted(minimal_hitting_sets([(0, 1, 2), (2, 3)])) == [(0, 3), (1, 3), (2,)]


# -- against brute force -------------------------------------------------------------------------

def brute_force(n: int, holds) -> tuple[set, set]:
    """Every minimal failing subset and every minimal correction, by trying every subset."""
    subsets = [frozenset(c) for k in range(n + 1) for c in combinations(range(n), k)]
    failing = [s for s in subsets if not holds(sorted(s))]
    muses = {s for s in failing if not any(t < s for t in failing)}
    corrections = [s for s in subsets if holds(sorted(set(range(n)) - s))]
    mcses = {s for s in corrections if not any(t < s for t in corrections)} if muses else set()
    return muses, mcses


@settings(FAST, max_examples=200)
@given(st.integers(1, 7).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.frozensets(st.integers(0, n - 1), min_size=1), max_size=5))))
def test_enumeration_on_random_families_matches_brute_force(case):
    n, bad = case

    def holds(chosen) -> bool:  # monotone: a set holds unless it contains a bad set
        return not any(b <= set(chosen) for b in bad)

    search = enumerate_conflicts(range(n), holds)
    muses, mcses = brute_force(n, holds)
    assert search.complete
    assert {frozenset(c) for c in search.conflicts} == muses
    assert {frozenset(c) for c in search.corrections} == mcses
    assert len(search.conflicts) == len(muses) and len(search.corrections) == len(mcses)


@settings(FAST, max_examples=200)
@given(st.integers(1, 7).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.frozensets(st.integers(0, n - 1), min_size=1), min_size=1, max_size=6))))
def test_a_correction_grown_from_a_set_that_holds_is_a_minimal_correction_set(case):
    n, bad = case

    def holds(chosen) -> bool:
        return not any(b <= set(chosen) for b in bad)

    holding = [g for g in range(n) if holds([g])][:1]  # a set that holds (possibly empty)
    found = frozenset(correction_from(holding, range(n), holds))
    assert found in brute_force(n, holds)[1]
    assert not found & set(holding)


def test_a_search_stopped_before_any_correction_still_lists_one():
    rec = reconstruct_claims(overlapping(), READING, conflict_limit=1)
    assert not rec.conflicts_complete
    (correction,) = rec.corrections
    rest = [c for c in overlapping() if c.id not in correction.claims]
    assert reconstruct_claims(rest, READING).feasible
    for back in correction.claims:  # minimal: putting any one back breaks the rest again
        assert not reconstruct_claims([*rest, *(c for c in overlapping() if c.id == back)], READING).feasible


def small_totals():
    """Up to six totals over three months, with small numbers, so that they often conflict."""
    months = ["2024-01", "2024-02", "2024-03"]
    period = st.tuples(st.integers(0, 2), st.integers(0, 2)).map(
        lambda p: Period(months[min(p)], months[max(p)]))
    allowed = st.one_of(st.integers(0, 6).map(Interval.point),
                        st.tuples(st.sampled_from([">", ">=", "<", "<="]), st.integers(0, 6)).map(
                            lambda r: Interval.relation(r[0], r[1])),
                        st.tuples(st.integers(0, 4), st.integers(0, 3)).map(
                            lambda r: Interval(Fraction(r[0]), Fraction(r[0] + r[1]))))
    return st.lists(st.tuples(period, allowed), min_size=1, max_size=6)


@settings(FAST, max_examples=40)
@given(small_totals())
def test_every_reported_set_is_minimal_and_none_is_missed(totals):
    claims = [claim(f"c{i}", Total(p, a)) for i, (p, a) in enumerate(totals)]
    rec = reconstruct_claims(claims, READING, explain=False)
    engine = Engine(build_model(claims, READING, "s"))
    muses, mcses = brute_force(len(claims), engine.feasible)
    named = lambda found: {frozenset(int(c[1:]) for c in f.claims) for f in found}  # noqa: E731
    assert named(rec.conflicts) == muses
    assert named(rec.corrections) == mcses
    assert rec.feasible == (not muses)
