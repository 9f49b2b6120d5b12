"""``rate``: an average per day, week or month over a period ("about 20 requests a day in
October", "60 a month on average").

The period's total is the rate times the period's length in units of ``per``: for ``day`` the
calendar days of its months (February 2024 has 29), for ``week`` those days divided by 7 (a
rational number: October is 31/7 weeks), for ``month`` the number of months. The rate is stated
like a total: ``value`` (with an optional ``relation``), ``value`` scaled by vague ``words`` from
the ``total`` table ("about 20 a day" = 20 x [0.9, 1.1] a day), or an ``interval``. All exact:
"more than 20 a day in October" is total > 620, that is total >= 621.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from fractions import Fraction

from helpers.core.intervals import Interval, in_words
from helpers.core.linear import linear_row, merged_rows, period_sum
from helpers.core.months import Period
from helpers.kinds.base import AMOUNT, INTERVAL, PERIOD, RELATION, TEXT, Kind, register, stated_amount

UNITS = ("day", "week", "month")


@dataclass(frozen=True)
class Rate:
    """total(period) / (the period's length in ``per`` units) lies in ``allowed``."""

    period: Period
    per: str  # "day" | "week" | "month"
    allowed: Interval


def length(period: Period, per: str) -> Fraction:
    """The period's length in days, weeks or months: 2023-10 is 31 days, 31/7 weeks, 1 month."""
    if per == "month":
        return Fraction(len(period.months))
    days = sum(calendar.monthrange(int(m[:4]), int(m[5:]))[1] for m in period.months)
    return Fraction(days, 7 if per == "week" else 1)


def _length_in_words(n: Fraction, per: str) -> str:
    if n.denominator != 1:
        return f"({n} {per}s)"
    return f"{n} {per}" + ("s" if n != 1 else "")


class RateKind(Kind):
    name = "rate"
    spec = Rate
    position = 70
    fields = {"period": PERIOD, "per": {"enum": list(UNITS)}, "value": AMOUNT,
              "relation": RELATION, "words": TEXT, "interval": INTERVAL}
    required = ("period", "per")
    one_of = (("value",), ("interval",))
    table = "total"  # vague words scale the stated rate as they scale a stated total

    @classmethod
    def parse(cls, raw, vocabulary):
        return Rate(Period.parse(raw["period"]), raw["per"], stated_amount(cls, raw, vocabulary))

    @classmethod
    def constraints(cls, claim, spec, window, reading):
        total = spec.allowed.scaled(length(spec.period, spec.per))
        return merged_rows(claim, [linear_row(claim, period_sum(spec.period), total)])

    @classmethod
    def describe(cls, spec, words):
        n = length(spec.period, spec.per)
        return (f"total of {spec.period} / {_length_in_words(n, spec.per)} {in_words(spec.allowed)}"
                f" (total {in_words(spec.allowed.scaled(n))})")

    @classmethod
    def totalled_periods(cls, spec):
        return [spec.period]


register(RateKind)
