"""Claims as integer rows: exact scaling, strict ends, and the meaning of every kind."""
from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import kinds
from helpers.core.linear import linear_row
from helpers.data.claims import Claim
from helpers.kinds.base import Kind
from helpers.kinds.context import Context
from helpers.kinds.extremum import Extremum
from helpers.kinds.order import Order
from helpers.kinds.ratio import Ratio
from helpers.kinds.share import Share, percent_interval
from helpers.kinds.total import Total
from helpers.core.intervals import Interval
from helpers.engine.model import build_model, constraints_of, window_of
from helpers.core.months import Period
from helpers.core.readings import Reading

from factories import READING, claim

def rows_of(c: Claim, window: list[str], reading: Reading = READING):
    return list(constraints_of(c, window, reading))


def holds(rows, counts: dict[str, int]) -> bool:
    return all(row.holds(counts) for row in rows)


def test_every_claim_kind_in_the_model_has_rows():
    """A kind either says what it means as rows or says why it stands outside the model."""
    for kind in kinds.all_kinds():
        own_rows = kind.constraints.__func__ is not Kind.constraints.__func__
        assert own_rows != bool(kind.outside), kind.name


def test_share_interval_is_scaled_to_integers_with_the_strict_end_moved_by_one():
    # part/whole in [7/40, 37/200) with part = Jan, whole = Feb (kept apart so the coefficients show)
    share = claim("c", Share(Period("2023-01", "2023-01"), Period("2023-02", "2023-02"),
                             Interval(Fraction(7, 40), Fraction(37, 200), True, False)))
    rows = {(r.terms, r.low, r.high) for r in rows_of(share, ["2023-01", "2023-02"])}
    assert rows == {
        ((("2023-02", 1),), 1, None),                       # the whole is at least 1
        ((("2023-01", 40), ("2023-02", -7)), 0, None),      # 200p - 35w >= 0, divided by 5
        ((("2023-01", 200), ("2023-02", -37)), None, -1),   # 200p - 37w < 0  ->  <= -1
    }
    assert all(isinstance(c, int) for r in rows for _, c in r[0])


def test_a_share_exactly_at_seventeen_and_a_half_percent_is_decided_exactly():
    # "18 percent" is [17.5 %, 18.5 %): 218/1246 lies just below, 218/1245 just above.
    share = claim("c", Share(Period("2023-01", "2023-01"), Period("2023-01", "2023-02"),
                             percent_interval(18)))
    rows = rows_of(share, ["2023-01", "2023-02"])
    assert not holds(rows, {"2023-01": 218, "2023-02": 1246 - 218})
    assert holds(rows, {"2023-01": 218, "2023-02": 1245 - 218})
    # and the open upper end: 18.5 % itself is excluded, just below it is not
    assert not holds(rows, {"2023-01": 37, "2023-02": 200 - 37})
    assert holds(rows, {"2023-01": 369, "2023-02": 2000 - 369})


def test_total_relations_become_integer_bounds():
    window = ["2023-01", "2023-02"]
    period = Period("2023-01", "2023-02")
    more = rows_of(claim("c", Total(period, Interval.relation(">", 1000))), window)
    assert [(r.low, r.high) for r in more] == [(1001, None)]
    less = rows_of(claim("c", Total(period, Interval.relation("<", Fraction(9, 2)))), window)
    assert [(r.low, r.high) for r in less] == [(None, 4)]
    about = rows_of(claim("c", Total(period, Interval(Fraction(3600), Fraction(4400)))), window)
    assert [(r.low, r.high) for r in about] == [(3600, 4400)]
    # "at least 0" says nothing that non-negative counts do not already say
    assert rows_of(claim("c", Total(period, Interval.relation(">=", 0))), window) == []


def test_an_impossible_total_stays_as_a_row_that_never_holds():
    rows = rows_of(claim("c", Total(Period("2023-01", "2023-01"), Interval.relation("<", 0))), ["2023-01"])
    assert len(rows) == 1 and not holds(rows, {"2023-01": 0})


def test_ratio_implies_a_denominator_of_at_least_one():
    ratio = claim("c", Ratio(Period("2023-02", "2023-02"), Period("2023-01", "2023-01"),
                             Interval(Fraction(0), None)))
    rows = rows_of(ratio, ["2023-01", "2023-02"])
    assert not holds(rows, {"2023-01": 0, "2023-02": 0})
    assert holds(rows, {"2023-01": 1, "2023-02": 0})


def test_extremum_strictness_and_scope_follow_the_reading():
    window = ["2023-01", "2023-02", "2023-03", "2023-04"]
    highest = claim("c", Extremum("2023-02", "highest", Period("2023-01", "2023-03")))
    tie = {"2023-01": 5, "2023-02": 5, "2023-03": 1, "2023-04": 9}
    assert not holds(rows_of(highest, window), tie)
    non_strict = Reading("t", "", "s", extremum_scope="stated", strict_extremes=False)
    assert holds(rows_of(highest, window, non_strict), tie)   # April is outside the stated scope
    over_window = Reading("t", "", "s", extremum_scope="window", strict_extremes=False)
    assert not holds(rows_of(highest, window, over_window), tie)  # April 9 is above February
    lowest = claim("c", Extremum("2023-03", "lowest", None))       # no scope: the whole window
    assert holds(rows_of(lowest, window), tie)
    assert not holds(rows_of(lowest, window), {**tie, "2023-04": 1})


def test_order_others_excludes_the_months_named_on_the_other_side():
    window = ["2023-01", "2023-02", "2023-03", "2023-04"]
    order = claim("c", Order("2023-04", above=(), below=("2023-03",), above_others=True))
    rows = rows_of(order, window)
    compared = sorted(tuple(sorted(m for m, _ in r.terms)) for r in rows)
    assert compared == [("2023-01", "2023-04"), ("2023-02", "2023-04"), ("2023-03", "2023-04")]
    assert holds(rows, {"2023-01": 1, "2023-02": 2, "2023-03": 9, "2023-04": 3})
    assert not holds(rows, {"2023-01": 1, "2023-02": 3, "2023-03": 9, "2023-04": 3})  # "more than" is strict


def test_other_series_and_context_claims_are_outside_the_model_and_the_window():
    claims = [claim("a", Total(Period("2023-03", "2023-04"), Interval.point(5))),
              claim("b", Total(Period("2022-01", "2022-12"), Interval.point(7)), series="other"),
              claim("c", Context(Period("2021-01", "2021-02"), Fraction(3)))]
    assert window_of(claims, READING, "s") == Period("2023-03", "2023-04")
    model = build_model(claims, READING, "s")
    assert [g.claim for g in model.groups] == ["a"]
    assert dict(model.outside).keys() == {"b", "c"}
    mapped = Reading("m", "", "s", series_map={"other": "s"})
    assert window_of(claims, mapped, "s") == Period("2022-01", "2023-04")


rationals = st.fractions(min_value=-5, max_value=5, max_denominator=12)


@settings(max_examples=300, deadline=None)
@given(coefficients=st.lists(rationals, min_size=1, max_size=3),
       counts=st.lists(st.integers(0, 40), min_size=3, max_size=3),
       low=st.none() | rationals, high=st.none() | rationals,
       low_closed=st.booleans(), high_closed=st.booleans())
def test_an_integer_row_holds_exactly_when_the_rational_statement_does(coefficients, counts, low, high,
                                                                       low_closed, high_closed):
    months = ["2023-01", "2023-02", "2023-03"]
    terms = dict(zip(months, coefficients))
    allowed = Interval(low, high, low_closed, high_closed)
    row = linear_row("c", terms, allowed)
    point = dict(zip(months, counts))
    value = sum(Fraction(c) * point[m] for m, c in terms.items())
    assert (row is None or row.holds(point)) == (value in allowed)
    if row is not None:
        assert all(isinstance(c, int) for _, c in row.terms)
        assert all(isinstance(b, int) for b in (row.low, row.high) if b is not None)
