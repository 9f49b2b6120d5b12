"""``extremum``: a month is the highest (or the lowest) of a scope.

Strict when the reading's ``strict_extremes`` (ties are not allowed); the scope is the claim's own
``scope`` when the reading's ``extremum_scope`` is ``stated`` and the claim has one, else the
whole window.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from helpers.core.enums import ExtremumScope
from helpers.core.intervals import Interval
from helpers.core.linear import linear_row, merged_rows
from helpers.core.months import Period
from helpers.kinds.base import MONTH, PERIOD, Kind, register


@dataclass(frozen=True)
class Extremum:
    """``month`` is the highest (or lowest) month of ``scope``; None means the whole window."""

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
        scope = Period.parse(raw["scope"]) if "scope" in raw else None
        if scope and not scope.start <= raw["month"] <= scope.end:
            raise ValueError(f"month {raw['month']} is outside its scope {scope}")
        return Extremum(raw["month"], raw["extreme"], scope)

    @classmethod
    def constraints(cls, claim, spec, window, reading):
        use_stated = reading.extremum_scope == ExtremumScope.STATED and spec.scope is not None
        scope = spec.scope.months if use_stated else list(window)
        gap = 1 if reading.strict_extremes else 0
        sign = 1 if spec.extreme == "highest" else -1
        return merged_rows(claim, (
            linear_row(claim, {spec.month: sign, other: -sign}, Interval(Fraction(gap), None))
            for other in scope if other != spec.month))

    @classmethod
    def describe(cls, spec, words):
        scope = f" of {spec.scope}" if spec.scope else " of the window"
        return f"{spec.month} is the {spec.extreme} month{scope}"


register(ExtremumKind)
