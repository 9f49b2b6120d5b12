"""``difference``: one period's total exceeds (or falls short of) another's by a stated amount
("272 more than in the summer", "at least 50 fewer than in September").

With ``direction: more``, total(period) - total(than) lies in the amount; with ``fewer``,
total(than) - total(period) does. The amount is stated like a total: ``value`` (with an optional
``relation``: "at least 50 fewer" is ``">="`` and 50), ``value`` scaled by vague ``words`` from
the ``total`` table ("about 270 more"), or an ``interval``. The two periods must not overlap: a
month counted on both sides would drop out of the difference, which no reporter means.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpers.core.intervals import Interval, in_words
from helpers.core.linear import combine, linear_row, merged_rows, period_sum
from helpers.core.months import Period
from helpers.kinds.base import (COUNT, INTERVAL, PERIOD, RELATION, TEXT, FieldError, Kind, register,
                                stated_amount)


@dataclass(frozen=True)
class Difference:
    """total(period) - total(than) lies in ``allowed`` (``more``), or total(than) - total(period)
    does (``fewer``)."""

    period: Period
    than: Period
    direction: str  # "more" | "fewer"
    allowed: Interval


class DifferenceKind(Kind):
    name = "difference"
    spec = Difference
    position = 80
    fields = {"period": PERIOD, "than": PERIOD, "direction": {"enum": ["more", "fewer"]},
              "value": COUNT, "relation": RELATION, "words": TEXT, "interval": INTERVAL}
    required = ("period", "than", "direction")
    one_of = (("value",), ("interval",))
    table = "total"  # vague words scale the stated amount as they scale a stated total

    @classmethod
    def parse(cls, raw, vocabulary):
        period, than = Period.parse(raw["period"]), Period.parse(raw["than"])
        if set(period.months) & set(than.months):
            raise FieldError("than", f"{than} overlaps the period {period}; a difference "
                                     "compares two periods apart")
        return Difference(period, than, raw["direction"], stated_amount(cls, raw, vocabulary))

    @classmethod
    def _larger_smaller(cls, spec: Difference) -> tuple[Period, Period]:
        return (spec.period, spec.than) if spec.direction == "more" else (spec.than, spec.period)

    @classmethod
    def constraints(cls, claim, spec, window, reading):
        larger, smaller = cls._larger_smaller(spec)
        terms = combine(period_sum(larger), period_sum(smaller, -1))
        return merged_rows(claim, [linear_row(claim, terms, spec.allowed)])

    @classmethod
    def describe(cls, spec, words):
        larger, smaller = cls._larger_smaller(spec)
        return f"total of {larger} minus total of {smaller} {in_words(spec.allowed)}"

    @classmethod
    def totalled_periods(cls, spec):
        return [spec.period, spec.than]


register(DifferenceKind)
