"""Claims of kind ``difference``: one period's total exceeds or falls short of another's.

By hand, on the seed's numbers: autumn (Sep..Nov) is 577; "272 more than in the summer" makes
summer (Jun..Aug) 577 - 272 = 305, the article's own number. With October 218 and November 175
stated, "at least 50 fewer in November than in September" holds with Sep = 184 (184 - 175 = 9
is not at least 50), so the claims conflict; "at most 10 fewer" makes September 184 again, now
resting on the difference as well as on the totals.
"""
from __future__ import annotations

from fractions import Fraction

import pytest

from helpers.core.intervals import Interval
from helpers.core.months import Period
from helpers.data.claims import build_claim
from helpers.data.dataset import load_dataset
from helpers.data.schema import CLAIMS_FILE_SCHEMA, validate
from helpers.engine.model import constraints_of
from helpers.engine.reconstruct import reconstruct_claims
from helpers.errors import DataError, SchemaError
from helpers.kinds.difference import Difference
from helpers.kinds.total import Total
from helpers.present.words import describe

from factories import READING, claim

AUTUMN, SUMMER = Period("2023-09", "2023-11"), Period("2023-06", "2023-08")
SEP, OCT, NOV = (Period(m, m) for m in ("2023-09", "2023-10", "2023-11"))


@pytest.fixture(scope="module")
def vocabulary():
    return load_dataset().vocabulary


def build(vocabulary, **raw):
    raw = {"id": "d", "kind": "difference", "series": "s", "quote": "q", **raw}
    return build_claim(raw, source="src", vocabulary=vocabulary, file="f.yml", line=3,
                       field_lines={"than": 7})


def ranges(rec) -> dict[str, tuple[int, int | None]]:
    return {r.label: (r.low, r.high) for r in (*rec.months, *rec.periods)}


# -- from YAML ----------------------------------------------------------------------------------

def test_272_more_than_in_the_summer(vocabulary):
    c = build(vocabulary, period="2023-09..2023-11", than="2023-06..2023-08", direction="more",
              value=272)
    assert c.spec == Difference(AUTUMN, SUMMER, "more", Interval.point(272))
    assert c.months() == ["2023-06", "2023-07", "2023-08", "2023-09", "2023-10", "2023-11"]
    assert c.totalled_periods() == [AUTUMN, SUMMER]
    assert describe(c) == "total of 2023-09..2023-11 minus total of 2023-06..2023-08 = 272"


def test_at_least_50_fewer_than_in_september(vocabulary):
    c = build(vocabulary, period="2023-11", than="2023-09", direction="fewer", value=50,
              relation=">=")
    assert c.spec.allowed == Interval(Fraction(50), None)
    assert describe(c) == "total of 2023-09 minus total of 2023-11 ≥ 50"


def test_an_amount_in_vague_words_or_as_an_interval(vocabulary):
    about = build(vocabulary, period="2023-11", than="2023-09", direction="more", value=100,
                  words="about")
    assert about.spec.allowed == Interval(Fraction(90), Fraction(110))
    written = build(vocabulary, period="2023-11", than="2023-09", direction="fewer",
                    interval="[40, 60)")
    assert written.spec.allowed == Interval(Fraction(40), Fraction(60), True, False)


@pytest.mark.parametrize("period, than", [("2023-09..2023-11", "2023-10"),
                                          ("2023-09", "2023-06..2023-09"),
                                          ("2023-09", "2023-09")])
def test_overlapping_periods_are_refused_at_the_line_of_than(vocabulary, period, than):
    with pytest.raises(DataError) as error:
        build(vocabulary, period=period, than=than, direction="more", value=1)
    assert str(error.value) == (f"f.yml:7: claim 'd': field 'than': {Period.parse(than)} overlaps "
                                f"the period {Period.parse(period)}; a difference compares two "
                                "periods apart")


def test_adjacent_periods_do_not_overlap(vocabulary):
    c = build(vocabulary, period="2023-09..2023-11", than="2023-06..2023-08", direction="fewer",
              value=0)
    assert c.spec.direction == "fewer"


def test_a_backwards_period_is_named_before_any_overlap(vocabulary):
    with pytest.raises(DataError, match="field 'than': period 2023-11..2023-09 ends before it starts"):
        build(vocabulary, period="2023-10", than="2023-11..2023-09", direction="more", value=1)


@pytest.mark.parametrize("extra, message", [
    ({"value": 20, "words": "about", "relation": ">"},
     "give either 'words' or a 'relation' other than '=', not both"),
    ({"interval": "[18, 22]", "relation": ">="},
     "give either 'interval' or a 'relation' other than '=', not both"),
])
def test_an_amount_stated_in_two_ways_is_refused(vocabulary, extra, message):
    with pytest.raises(DataError, match=message):
        build(vocabulary, period="2023-11", than="2023-09", direction="more", **extra)


@pytest.mark.parametrize("raw, message", [
    ({"period": "2023-11", "than": "2023-09", "value": 5}, "'direction' is missing"),
    ({"period": "2023-11", "direction": "more", "value": 5}, "'than' is missing"),
    ({"period": "2023-11", "than": "2023-09", "direction": "less", "value": 5},
     "field 'direction': 'less' is not one of ['more', 'fewer']"),
    ({"period": "2023-11", "than": "2023-9", "direction": "more", "value": 5},
     "field 'than': '2023-9' is not a month YYYY-MM or a period YYYY-MM..YYYY-MM"),
    ({"period": "2023-11", "than": "2023-09", "direction": "more"}, "'value' is missing"),
    ({"period": "2023-11", "than": "2023-09", "direction": "more", "value": 5, "interval": "[1, 2]"},
     "state the number exactly one way: value or interval"),
    ({"period": "2023-11", "than": "2023-09", "direction": "more", "value": 2.5},
     "field 'value': 2.5 is not a whole number"),
])
def test_schema_errors_of_a_difference(raw, message):
    document = {"source": "x", "claims": [{"id": "d", "kind": "difference", "series": "s",
                                           "quote": "q", **raw}]}
    with pytest.raises(SchemaError) as error:
        validate(document, CLAIMS_FILE_SCHEMA, file="f.yml", lines={})
    assert str(error.value) == f"f.yml: claim 'd': {message}"


# -- as rows ------------------------------------------------------------------------------------

def test_rows_of_more_and_of_fewer(vocabulary):
    window = ["2023-09", "2023-10", "2023-11"]
    more = build(vocabulary, period="2023-11", than="2023-09", direction="more", value=3,
                 relation=">")
    assert [(r.terms, r.low, r.high) for r in constraints_of(more, window, READING)] == [
        ((("2023-09", -1), ("2023-11", 1)), 4, None)]
    fewer = build(vocabulary, period="2023-11", than="2023-09", direction="fewer",
                  interval="[40, 60)")
    assert [(r.terms, r.low, r.high) for r in constraints_of(fewer, window, READING)] == [
        ((("2023-09", 1), ("2023-11", -1)), 40, 59)]


def test_a_difference_of_vague_size_is_scaled_exactly(vocabulary):
    # "nearly 25 more": 25 x [0.9, 1) = [22.5, 25) -> a whole-number difference of 23..24
    c = build(vocabulary, period="2023-11", than="2023-09", direction="more", value=25,
              words="nearly")
    rows = constraints_of(c, ["2023-09", "2023-10", "2023-11"], READING)
    assert [(r.low, r.high) for r in rows] == [(23, 24)]


# -- reconstructed by hand ----------------------------------------------------------------------

def test_272_more_than_in_the_summer_gives_the_summer_305():
    claims = [claim("autumn", Total(AUTUMN, Interval.point(577))),
              claim("more", Difference(AUTUMN, SUMMER, "more", Interval.point(272)))]
    rec = reconstruct_claims(claims, READING)
    summer = next(r for r in rec.periods if r.label == "2023-06..2023-08")
    assert (summer.low, summer.high) == (305, 305)
    assert set(summer.low_rests_on) == {"autumn", "more"} == set(summer.high_rests_on)
    assert ranges(rec)["2023-06"] == (0, 305)


def test_a_difference_against_the_seed_months():
    stated = [claim("autumn", Total(AUTUMN, Interval.point(577))),
              claim("oct", Total(OCT, Interval.point(218))),
              claim("nov", Total(NOV, Interval.point(175)))]
    at_least_50 = claim("nov-fewer", Difference(NOV, SEP, "fewer", Interval.relation(">=", 50)))
    rec = reconstruct_claims([*stated, at_least_50], READING)
    assert not rec.feasible  # Sep - Nov = 184 - 175 = 9 < 50
    assert set(rec.conflicts[0].claims) == {"autumn", "oct", "nov", "nov-fewer"}
    at_most_10 = claim("nov-fewer", Difference(NOV, SEP, "fewer", Interval.relation("<=", 10)))
    rec = reconstruct_claims([*stated, at_most_10], READING)
    assert ranges(rec)["2023-09"] == (184, 184)
    assert {s.claim: s.status for s in rec.statuses}["nov-fewer"] == "corroborating"


def test_a_difference_alone_bounds_one_month_by_another():
    claims = [claim("sep", Total(SEP, Interval.point(100))),
              claim("nov-more", Difference(NOV, SEP, "more", Interval(Fraction(10), Fraction(20))))]
    rec = reconstruct_claims(claims, READING)
    assert ranges(rec)["2023-11"] == (110, 120)
    assert ranges(rec)["2023-10"] == (0, None)  # named by no claim: unbounded above
