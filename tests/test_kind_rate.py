"""Claims of kind ``rate``: an average per day, week or month over a period, exact.

By hand: October 2023 has 31 days, so "about 20 a day in October" (20 x [0.9, 1.1] a day) is an
October total in [558, 682]; with September + October = 1,000, September is 318..442. February
2024 has 29 days, 29/7 weeks: "35 a week in February 2024" is exactly 35 x 29/7 = 145. "More than
5 a day in February 2023" (28 days) is a total above 140, so at least 141. "60 a month on average
over the summer" is a June..August total of exactly 180.
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
from helpers.kinds.rate import Rate, length
from helpers.kinds.total import Total
from helpers.present.words import describe

from factories import READING, claim


@pytest.fixture(scope="module")
def vocabulary():
    return load_dataset().vocabulary


def build(vocabulary, **raw):
    raw = {"id": "r", "kind": "rate", "series": "s", "quote": "q", **raw}
    return build_claim(raw, source="src", vocabulary=vocabulary, file="f.yml", line=3)


def ranges(rec) -> dict[str, tuple[int, int | None]]:
    return {r.label: (r.low, r.high) for r in (*rec.months, *rec.periods)}


# -- lengths: calendar days, weeks as days / 7, months ------------------------------------------

@pytest.mark.parametrize("period, per, expected", [
    ("2023-10", "day", Fraction(31)),
    ("2023-02", "day", Fraction(28)),
    ("2024-02", "day", Fraction(29)),          # a leap year
    ("2023-06..2023-08", "day", Fraction(92)),
    ("2023-10", "week", Fraction(31, 7)),
    ("2024-02", "week", Fraction(29, 7)),
    ("2023-02", "week", Fraction(4)),
    ("2023-06..2023-08", "month", Fraction(3)),
    ("2023-12..2024-01", "day", Fraction(62)),  # across a year
])
def test_the_length_of_a_period(period, per, expected):
    assert length(Period.parse(period), per) == expected


# -- from YAML ----------------------------------------------------------------------------------

def test_a_rate_with_a_value(vocabulary):
    c = build(vocabulary, period="2023-10", per="day", value=20)
    assert c.kind == "rate" and c.spec == Rate(Period("2023-10", "2023-10"), "day", Interval.point(20))
    assert c.months() == ["2023-10"] and c.totalled_periods() == [Period("2023-10", "2023-10")]


def test_a_rate_with_a_decimal_value_is_exact(vocabulary):
    c = build(vocabulary, period="2023-10", per="day", value=2.5)
    assert c.spec.allowed == Interval.point(Fraction(5, 2))


def test_a_rate_with_vague_words_from_the_total_table(vocabulary):
    c = build(vocabulary, period="2023-10", per="day", value=20, words="About")
    assert c.spec.allowed == Interval(Fraction(18), Fraction(22))
    assert c.words == "About"


def test_a_rate_with_a_relation_or_an_interval(vocabulary):
    more = build(vocabulary, period="2023-02", per="day", value=5, relation=">")
    assert more.spec.allowed == Interval(Fraction(5), None, low_closed=False)
    written = build(vocabulary, period="2023-02", per="week", interval="[30, 40)")
    assert written.spec.allowed == Interval(Fraction(30), Fraction(40), True, False)


def test_unknown_words_say_the_rate_borrows_the_total_table(vocabulary):
    with pytest.raises(DataError) as error:
        build(vocabulary, period="2023-10", per="day", value=20, words="loads")
    assert str(error.value).startswith("f.yml:3: claim 'r': vague words 'loads' have no interval "
                                       "for a rate claim (known in the 'total' table: 'about', ")


@pytest.mark.parametrize("extra, message", [
    ({"value": 20, "words": "about", "relation": ">"},
     "give either 'words' or a 'relation' other than '=', not both"),
    ({"interval": "[18, 22]", "relation": ">"},
     "give either 'interval' or a 'relation' other than '=', not both"),
    ({"interval": "[18, 22]", "words": "about"},
     "give either 'words' (with a 'value') or an 'interval', not both"),
])
def test_a_rate_stated_in_two_ways_is_refused(vocabulary, extra, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build(vocabulary, period="2023-10", per="day", **extra)


@pytest.mark.parametrize("raw, message", [
    ({"period": "2023-10", "value": 20}, "'per' is missing"),
    ({"period": "2023-10", "per": "year", "value": 20},
     "field 'per': 'year' is not one of ['day', 'week', 'month']"),
    ({"period": "2023-10", "per": "day", "value": -1},
     "field 'value': -1 is less than the minimum of 0"),
    ({"period": "2023-10", "per": "day", "value": 20, "interval": "[1, 2]"},
     "state the number exactly one way: value or interval"),
    ({"period": "2023-10", "per": "day", "value": 20, "percent": 5},
     "unknown field 'percent' (known: id, kind, series, quote, quote_prefix, quote_suffix, note, "
     "period, per, value, relation, words, interval, same_as, ambiguity, alternatives)"),
])
def test_schema_errors_of_a_rate(raw, message):
    document = {"source": "x", "claims": [{"id": "r", "kind": "rate", "series": "s", "quote": "q",
                                           **raw}]}
    with pytest.raises(SchemaError) as error:
        validate(document, CLAIMS_FILE_SCHEMA, file="f.yml", lines={})
    assert str(error.value) == f"f.yml: claim 'r': {message}"


# -- as rows and in words -----------------------------------------------------------------------

def test_a_daily_rate_is_a_total_of_rate_times_days(vocabulary):
    c = build(vocabulary, period="2023-10", per="day", value=20, words="about")
    rows = constraints_of(c, ["2023-10"], READING)
    assert [(r.terms, r.low, r.high) for r in rows] == [((("2023-10", 1),), 558, 682)]
    assert describe(c) == "total of 2023-10 / 31 days in [18, 22] (total in [558, 682])"


def test_a_weekly_rate_is_scaled_exactly_by_a_rational_number_of_weeks(vocabulary):
    c = build(vocabulary, period="2024-02", per="week", value=35)
    rows = constraints_of(c, ["2024-02"], READING)
    assert [(r.terms, r.low, r.high) for r in rows] == [((("2024-02", 1),), 145, 145)]
    assert describe(c) == "total of 2024-02 / (29/7 weeks) = 35 (total = 145)"
    # 5 a week in October: 155/7 = 22.14..., so the total is 22.14 <= x: at least 23, no float
    five = build(vocabulary, period="2023-10", per="week", value=5, relation=">=")
    assert [(r.low, r.high) for r in constraints_of(five, ["2023-10"], READING)] == [(23, None)]


def test_a_strict_daily_rate_moves_the_bound_by_one(vocabulary):
    c = build(vocabulary, period="2023-02", per="day", value=5, relation=">")
    assert [(r.low, r.high) for r in constraints_of(c, ["2023-02"], READING)] == [(141, None)]
    assert describe(c) == "total of 2023-02 / 28 days > 5 (total > 140)"


def test_a_monthly_average_over_three_months(vocabulary):
    c = build(vocabulary, period="2023-06..2023-08", per="month", value=60)
    rows = constraints_of(c, ["2023-06", "2023-07", "2023-08"], READING)
    assert [(r.terms, r.low, r.high) for r in rows] == [
        ((("2023-06", 1), ("2023-07", 1), ("2023-08", 1)), 180, 180)]
    assert describe(c) == "total of 2023-06..2023-08 / 3 months = 60 (total = 180)"
    one = build(vocabulary, period="2023-06", per="month", value=60)
    assert describe(one) == "total of 2023-06 / 1 month = 60 (total = 60)"


# -- reconstructed by hand ----------------------------------------------------------------------

def test_about_20_a_day_in_october_with_a_thousand_over_two_months():
    october = Period("2023-10", "2023-10")
    claims = [claim("two-months", Total(Period("2023-09", "2023-10"), Interval.point(1000))),
              claim("oct-rate", Rate(october, "day", Interval(Fraction(18), Fraction(22))))]
    rec = reconstruct_claims(claims, READING)
    assert ranges(rec) == {"2023-09": (318, 442), "2023-10": (558, 682),
                           "2023-09..2023-10": (1000, 1000)}
    october_range = next(r for r in rec.months if r.label == "2023-10")
    assert october_range.low_rests_on == ("oct-rate",) == october_range.high_rests_on
    assert {s.claim: s.status for s in rec.statuses} == {"two-months": "binding", "oct-rate": "binding"}


def test_weekly_and_monthly_rates_determine_months_exactly():
    claims = [claim("feb-weekly", Rate(Period("2024-02", "2024-02"), "week", Interval.point(35))),
              claim("summer-monthly", Rate(Period("2024-03", "2024-05"), "month", Interval.point(60))),
              claim("march", Total(Period("2024-03", "2024-04"), Interval.point(100)))]
    rec = reconstruct_claims(claims, READING)
    found = ranges(rec)
    assert found["2024-02"] == (145, 145)
    assert found["2024-05"] == (80, 80)           # 3 x 60 = 180, less March and April's 100
    assert found["2024-03..2024-05"] == (180, 180)


def test_a_rate_the_other_claims_contradict_is_in_the_conflict():
    october = Period("2023-10", "2023-10")
    claims = [claim("oct", Total(october, Interval.point(500))),
              claim("oct-rate", Rate(october, "day", Interval(Fraction(18), Fraction(22))))]
    rec = reconstruct_claims(claims, READING)
    assert not rec.feasible and set(rec.conflicts[0].claims) == {"oct", "oct-rate"}
