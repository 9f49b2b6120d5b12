"""Months as 'YYYY-MM' text and periods between them."""
from __future__ import annotations

import re

import pytest

from helpers.core.months import (MONTH_PATTERN, PERIOD_PATTERN, Period, is_month, month_from_index,
                            month_index, month_name, month_range)


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
