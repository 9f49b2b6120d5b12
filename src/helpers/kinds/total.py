"""``total``: the count over a period lies in an interval ("577 appeals", "more than a thousand").

The number is stated one way: ``value`` (with an optional ``relation``, "more than" is strict),
``value`` scaled by vague ``words`` from the ``total`` table ("about 4,000" = 4,000 x [0.9, 1.1]),
or an ``interval`` written out.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpers.core.intervals import Interval, in_words
from helpers.core.linear import linear_row, merged_rows, period_sum
from helpers.core.months import Period
from helpers.kinds.base import COUNT, INTERVAL, PERIOD, RELATION, TEXT, Kind, register, stated_amount


@dataclass(frozen=True)
class Total:
    """The period's total lies in ``allowed`` ("577 appeals", "more than a thousand")."""

    period: Period
    allowed: Interval


class TotalKind(Kind):
    name = "total"
    spec = Total
    position = 10
    fields = {"period": PERIOD, "value": COUNT, "relation": RELATION, "words": TEXT,
              "interval": INTERVAL}
    required = ("period",)
    one_of = (("value",), ("interval",))
    table = "total"

    @classmethod
    def parse(cls, raw, vocabulary):
        return Total(Period.parse(raw["period"]), stated_amount(cls, raw, vocabulary))

    @classmethod
    def constraints(cls, claim, spec, window, reading):
        return merged_rows(claim, [linear_row(claim, period_sum(spec.period), spec.allowed)])

    @classmethod
    def describe(cls, spec, words):
        return f"total of {spec.period} {in_words(spec.allowed)}"

    @classmethod
    def totalled_periods(cls, spec):
        return [spec.period]


register(TotalKind)
