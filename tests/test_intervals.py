"""Exact intervals and percentage rounding: boundaries are decided with Fractions, never floats."""
from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- infinite, inverted and impossible ends ---------------------------------------------

@pytest.mark.parametrize("text, says", [
    ("(inf, inf)", "inf can only be the high end"),
    ("[inf, 0.5]", "inf can only be the high end"),
    ("(inf, 1)", "inf can only be the high end"),
    ("[1, inf]", "includes inf, which is not a number"),
    ("(1000, inf]", "includes inf, which is not a number"),
    ("[-7/0, 1]", "-7/0 divides by zero"),
    ("[0, 1/0)", "1/0 divides by zero"),
    ("[0/0, 1]", "0/0 divides by zero"),
    ("[0, " + "9" * 5000 + "]", "too long a number"),
])
def test_parse_refuses_ends_that_are_no_number(text, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        Interval.parse(text)


def test_a_pasted_run_of_digits_gives_a_short_message():
    with pytest.raises(ValueError) as info:
        Interval.parse("[0, " + "9" * 5000 + "]")
    assert str(info.value) == "'[0, 999999999999999999999999999999999999...': 99999999999999999999... is too long a number"


def test_inf_is_an_open_high_end_only():
    assert Interval.parse("[1, inf)") == Interval(Fraction(1), None, True, False)
    assert 10**100 in Interval.parse("(1, inf)")


def test_unbounded_ends_are_printed_open_and_signed():
    assert str(Interval.relation("<", 5)) == "(-inf, 5)"
    assert str(Interval.relation("<=", 5)) == "(-inf, 5]"
    assert str(Interval.relation(">", 5)) == "(5, inf)"
    assert str(Interval.relation(">=", 5)) == "[5, inf)"


def test_str_of_an_end_beyond_a_float_is_its_ratio():
    huge = Interval.parse("[0, 1" + "0" * 400 + "/3]")
    assert str(huge).endswith("/3]")


_END = st.one_of(st.just("inf"), st.just("-inf"), st.integers(-10**6, 10**6).map(str),
                 st.fractions().map(lambda f: f"{f.numerator}/{f.denominator}"),
                 st.tuples(st.integers(-10**6, 10**6), st.integers(0, 10**6)).map(
                     lambda t: f"{t[0]}/{t[1]}"),
                 st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
                 st.text(alphabet="0123456789./-inf ", max_size=8))


@settings(max_examples=400, deadline=None)
@given(st.sampled_from("[("), _END, _END, st.sampled_from("])"), st.text(" ,", max_size=2))
def test_any_interval_text_parses_to_a_non_empty_interval_or_is_refused(left, low, high, right,
                                                                        junk):
    text = f"{left}{low},{junk}{high}{right}"
    try:
        interval = Interval.parse(text)
    except ValueError:
        return  # refused with a message, never another exception
    assert interval.low is not None  # inf is never a low end
    inside = interval.low + 1 if interval.high is None else (interval.low + interval.high) / 2
    assert inside in interval  # not empty
    assert Interval.parse(str(interval)) == interval  # what is printed reads back the same


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_raises_value_error(text):
    try:
        Interval.parse(text)
    except ValueError:
        pass
