"""``extremum``: a month is the highest (or the lowest) of a scope.

Strict when the reading's ``strict_extremes`` (ties are not allowed). The months compared are the
claim's own ``scope`` when the reading's ``comparison_scope`` is ``stated`` and the claim has one;
else those the model hands over (base.compared_months: the claim's source's months under a
``stated`` reading, the whole window under ``window``).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from helpers.core.intervals import Interval
from helpers.core.linear import linear_row, merged_rows
from helpers.core.months import Period
from helpers.kinds.base import MONTH, PERIOD, Kind, compared_months, parse_scope, register


@dataclass(frozen=True)
class Extremum:
    """``month`` is the highest (or lowest) month of ``scope``; None: see the module docstring."""

    month: str
    extreme: str  # "highest" | "lowest"
    scope: Period | None


class ExtremumKind(Kind):
    name = "extremum"
    spec = Extremum
    position = 20
    fields = {"month": MONTH, "extreme": {"enum": ["highest", "lowest"]}, "scope": PERIOD}
    required = ("month", "extreme")

    @classmethod
    def parse(cls, raw, vocabulary):
        return Extremum(raw["month"], raw["extreme"], parse_scope(raw))

    @classmethod
    def constraints(cls, claim, spec, window, reading):
        gap = 1 if reading.strict_extremes else 0
        sign = 1 if spec.extreme == "highest" else -1
        return merged_rows(claim, (
            linear_row(claim, {spec.month: sign, other: -sign}, Interval(Fraction(gap), None))
            for other in compared_months(spec.scope, window, reading) if other != spec.month))

    @classmethod
    def compares_unscoped(cls, spec):
        return spec.scope is None

    @classmethod
    def describe(cls, spec, words):
        scope = f" of {spec.scope}" if spec.scope else " of the months compared (no scope of its own)"
        return f"{spec.month} is the {spec.extreme} month{scope}"


register(ExtremumKind)
