"""Months as 'YYYY-MM' text and periods between them."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from helpers.core.months import (MONTH_PATTERN, PERIOD_PATTERN, Period, calendar_name, calendar_periods,
                                 is_month, month_from_index, month_index, month_name, month_range,
                                 parse_period_request)


@pytest.mark.parametrize("text", ["2023-01", "2023-09", "2023-12", "1999-10"])
def test_months(text):
    assert is_month(text)


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "2023-9", "23-09", "2023/09", "2023-09-01",
                                  " 2023-09", "2023-09..2023-10", "", "highest", "2023-1a"])
def test_not_months(text):
    assert not is_month(text)


@pytest.mark.parametrize("value", [202309, None, ("2023-09",)])
def test_only_text_is_a_month(value):
    assert not is_month(value)


def test_seven_letter_words_are_not_months():
    assert len("highest") == 7 and not is_month("highest")


@pytest.mark.parametrize("text, ok", [
    ("2023-09", True), ("2023-09..2023-11", True), ("2022-09..2023-12", True),
    ("2023-09..", False), ("2023-09...2023-10", False), ("2023-09..2023-13", False),
    ("2023-09 .. 2023-10", False), ("..2023-10", False),
])
def test_period_pattern(text, ok):
    assert (re.match(PERIOD_PATTERN, text) is not None) is ok


def test_month_pattern_is_anchored():
    assert re.match(MONTH_PATTERN, "2023-09x") is None


def test_index_round_trip_and_order():
    assert month_index("2023-01") - month_index("2022-12") == 1
    for month in ("2022-12", "2023-01", "2023-09", "0001-01"):
        assert month_from_index(month_index(month)) == month


def test_month_range_includes_both_ends_and_crosses_years():
    assert month_range("2023-09", "2023-11") == ["2023-09", "2023-10", "2023-11"]
    assert month_range("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert month_range("2023-10", "2023-10") == ["2023-10"]
    assert month_range("2023-11", "2023-09") == []


def test_period_parse():
    assert Period.parse("2023-09..2023-11") == Period("2023-09", "2023-11")
    assert Period.parse("2023-10") == Period("2023-10", "2023-10")
    assert Period.parse("2023-04..2023-11").months == month_range("2023-04", "2023-11")
    assert len(Period.parse("2022-09..2023-12").months) == 16


def test_period_text_and_labels():
    assert str(Period.parse("2023-09..2023-11")) == "2023-09..2023-11"
    assert str(Period.parse("2023-10")) == "2023-10"
    assert Period.parse("2023-10").label() == "October 2023"
    assert Period.parse("2023-09..2023-11").label() == "Sep–Nov 2023"
    assert Period.parse("2022-09..2023-12").label() == "Sep 2022–Dec 2023"


def test_month_names():
    assert month_name("2023-06") == "June 2023"
    assert month_name("2023-06", short=True) == "Jun 2023"


def test_periods_sort_by_start_then_end():
    periods = [Period.parse(p) for p in ("2023-09..2023-11", "2023-06..2023-08", "2023-06")]
    assert sorted(periods) == [Period.parse("2023-06"), Period.parse("2023-06..2023-08"),
                               Period.parse("2023-09..2023-11")]


# -- periods a reader asks for ------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("2023-01..2023-12", "2023-01", "2023-12"),
    ("2022-09..2023-03", "2022-09", "2023-03"),
    ("2023-10", "2023-10", "2023-10"),
    ("2023", "2023-01", "2023-12"),
    ("2023-Q1", "2023-01", "2023-03"),
    ("2023-q3", "2023-07", "2023-09"),
    (" 2023-Q4 ", "2023-10", "2023-12"),
])
def test_a_requested_period_in_each_form(text, start, end):
    assert parse_period_request(text) == Period(start, end)


@pytest.mark.parametrize("text, message", [
    ("2023-13", "'2023-13' is not a period; write YYYY-MM..YYYY-MM, YYYY-MM, YYYY"),
    ("2023-Q5", "'2023-Q5' is not a period"),
    ("23", "'23' is not a period"),
    ("2023-01..", "'2023-01..' is not a period"),
    ("", "'' is not a period"),
    ("2023-05..2023-02", "period '2023-05..2023-02' ends before it starts"),
])
def test_a_malformed_request_says_which_forms_are_allowed(text, message):
    with pytest.raises(ValueError) as error:
        parse_period_request(text)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("period, name", [
    (Period("2023-01", "2023-12"), "2023"), (Period("2023-04", "2023-06"), "2023-Q2"),
    (Period("2023-10", "2023-12"), "2023-Q4"), (Period("2023-02", "2023-04"), None),
    (Period("2023-07", "2023-08"), None), (Period("2022-12", "2023-11"), None),
    (Period("2023-05", "2023-05"), None),
])
def test_calendar_names(period, name):
    assert calendar_name(period) == name


def test_calendar_periods_are_those_the_window_covers_fully():
    assert calendar_periods(Period("2023-04", "2023-11")) == [Period("2023-04", "2023-06"),
                                                              Period("2023-07", "2023-09")]
    assert calendar_periods(Period("2023-02", "2023-03")) == []
    assert calendar_periods(None) == []
    whole = calendar_periods(Period("2022-12", "2024-01"))
    assert [calendar_name(p) for p in whole] == ["2023-Q1", "2023", "2023-Q2", "2023-Q3", "2023-Q4"]


@given(st.integers(2000 * 12, 2030 * 12), st.integers(0, 40))
def test_every_calendar_period_lies_in_the_window_and_is_named(first, length):
    window = Period(month_from_index(first), month_from_index(first + length))
    for period in calendar_periods(window):
        assert window.start <= period.start and period.end <= window.end
        assert calendar_name(period) is not None
        assert parse_period_request(calendar_name(period)) == period
