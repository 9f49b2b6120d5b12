"""Exact intervals and percentage rounding: boundaries are decided with Fractions, never floats."""
from __future__ import annotations

from fractions import Fraction

import pytest

from helpers.kinds.share import percent_interval
from helpers.core.intervals import Interval, exact


def test_percent_interval_of_a_whole_percentage():
    assert percent_interval(18) == Interval(Fraction(175, 1000), Fraction(185, 1000), True, False)
    assert str(percent_interval(18)) == "[0.175, 0.185)"


@pytest.mark.parametrize("written", ["17.5", 17.5])
def test_percent_interval_of_a_decimal_percentage_is_narrower(written):
    # 17.5 is given to a tenth of a percent, so it rounds from [17.45, 17.55).
    assert percent_interval(written) == Interval(Fraction(1745, 10000), Fraction(1755, 10000),
                                                 True, False)


def test_percent_interval_keeps_its_decimals_as_written():
    assert percent_interval("18.0") == Interval(Fraction(1795, 10000), Fraction(1805, 10000),
                                                True, False)


def test_percent_interval_never_goes_below_zero():
    assert percent_interval(0) == Interval(Fraction(0), Fraction(5, 1000), True, False)


def test_rounding_interval_ends_are_exact():
    eighteen = percent_interval(18)
    assert Fraction(175, 1000) in eighteen          # 17.5 % rounds up to 18 %
    assert Fraction(185, 1000) not in eighteen      # 18.5 % rounds to 19 %
    assert Fraction(185, 1000) - Fraction(1, 10**12) in eighteen


def test_218_of_1246_is_below_17_5_percent_and_218_of_1245_is_not():
    at_least = Interval.relation(">=", Fraction(175, 1000))
    assert Fraction(218, 1246) not in at_least
    assert Fraction(218, 1245) in at_least
    # The same decided by the rounding intervals: 218/1246 rounds to 17 %, 218/1245 to 18 %.
    assert Fraction(218, 1246) in percent_interval(17)
    assert Fraction(218, 1246) not in percent_interval(18)
    assert Fraction(218, 1245) in percent_interval(18)
    assert Fraction(218, 1245) in percent_interval("17.5")


def test_exact_reads_numbers_the_way_they_were_written():
    assert exact(0.1) == Fraction(1, 10)             # not 3602879701896397/36028797018963968
    assert exact(1.75) == Fraction(7, 4)
    assert exact("17.5") == Fraction(35, 2)
    assert exact("7/4") == Fraction(7, 4)
    assert exact(577) == 577


def test_relations():
    assert 1000 not in Interval.relation(">", 1000) and 1001 in Interval.relation(">", 1000)
    assert 1000 in Interval.relation(">=", 1000) and 999 not in Interval.relation(">=", 1000)
    assert 5 not in Interval.relation("<", 5) and 4 in Interval.relation("<", 5)
    assert 5 in Interval.relation("<=", 5) and 6 not in Interval.relation("<=", 5)
    assert Interval.relation("=", 54) == Interval.point(54)
    assert 54 in Interval.point(54) and 55 not in Interval.point(54)


@pytest.mark.parametrize("text, low, high, low_closed, high_closed", [
    ("[1.75, 2)", Fraction(7, 4), Fraction(2), True, False),
    ("(0.5, 1]", Fraction(1, 2), Fraction(1), False, True),
    ("[0.9,1.1]", Fraction(9, 10), Fraction(11, 10), True, True),
    ("  (1000, inf) ", Fraction(1000), None, False, False),
    ("[1/3, 1/2]", Fraction(1, 3), Fraction(1, 2), True, True),
    ("[-1, 0]", Fraction(-1), Fraction(0), True, True),
    ("[2, 2]", Fraction(2), Fraction(2), True, True),
])
def test_parse(text, low, high, low_closed, high_closed):
    assert Interval.parse(text) == Interval(low, high, low_closed, high_closed)


@pytest.mark.parametrize("text", ["", "[]", "1.75, 2", "[1.75 2)", "[a, b]", "{1, 2}", "[1, 2, 3]",
                                  "[1.75, 2", "[1e3, 2e3]", "[., 1]"])
def test_parse_refuses_what_is_not_an_interval(text):
    with pytest.raises(ValueError, match="is not an interval like"):
        Interval.parse(text)


@pytest.mark.parametrize("text", ["[2, 1)", "[2, 1]", "[1, 1)", "(1, 1]", "(1, 1)"])
def test_parse_refuses_empty_intervals(text):
    with pytest.raises(ValueError, match="is empty"):
        Interval.parse(text)


@pytest.mark.parametrize("text", ["[1.75, 2)", "(0.5, 1]", "[0.9, 1.1]", "(1000, inf)",
                                  "[1/3, 0.5]", "[0.175, 0.185)"])
def test_str_round_trips(text):
    assert str(Interval.parse(text)) == text


def test_scaled():
    about = Interval.parse("[0.9, 1.1]").scaled(Fraction(4000))
    assert about == Interval(Fraction(3600), Fraction(4400))
    assert 3599 not in about and 3600 in about and 4400 in about and 4401 not in about
    unbounded = Interval.parse("(1, inf)").scaled(Fraction(10))
    assert unbounded == Interval(Fraction(10), None, False, False)
