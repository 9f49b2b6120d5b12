"""``ratio``: one period's total divided by another's ("nearly doubled", "up 89 percent").

A ``percent_change`` means the ratio interval it rounds from (+89 is [1.885, 1.895)); vague
``words`` come from the ``ratio`` table. The denominator's total is at least 1: a change from
nothing is no statement a reporter makes.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from helpers.core.intervals import Interval, exact
from helpers.core.months import Period
from helpers.kinds.base import (INTERVAL, PERCENT_LIMITS, PERIOD, TEXT, FieldError, FractionKind,
                                register, stated_with_rounding)

# A change may be a fall (down to -100 %) or a rise of any size ("tripled" is +200 %).
_PERCENT_CHANGE = {"description": "a change in percent, -100 or more, such as 89, -30 or '12.5'",
                   "numberLimits": PERCENT_LIMITS,
                   "oneOf": [{"type": "number", "minimum": -100},
                             {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}]}


@dataclass(frozen=True)
class Ratio:
    """total(numerator) / total(denominator) lies in ``allowed`` ("nearly doubled", "+89%")."""

    numerator: Period
    denominator: Period
    allowed: Interval


def change_interval(percent: object) -> Interval:
    """A stated change as the ratio interval it rounds from: +89 -> [1.885, 1.895), -30 -> [0.695, 0.705)."""
    p, half_step = stated_with_rounding(percent)
    return Interval(max(1 + (p - half_step) / 100, Fraction(0)), 1 + (p + half_step) / 100,
                    low_closed=True, high_closed=False)


class RatioKind(FractionKind):
    name = "ratio"
    spec = Ratio
    position = 50
    fields = {"numerator": PERIOD, "denominator": PERIOD, "percent_change": _PERCENT_CHANGE,
              "words": TEXT, "interval": INTERVAL}
    required = ("numerator", "denominator")
    over = ("numerator", "denominator")  # the fraction's periods: FractionKind builds rows from them
    one_of = (("percent_change",), ("words",), ("interval",))
    table = "ratio"

    @classmethod
    def parse(cls, raw, vocabulary):
        if "interval" in raw:
            allowed = Interval.parse(raw["interval"])
        elif "words" in raw:
            allowed = cls.lookup(vocabulary, raw["words"])
        else:
            change = raw["percent_change"]
            if isinstance(change, str) and exact(change) < -100:  # the schema bounds numbers only
                raise FieldError("percent_change", f"{change!r} is less than the minimum of -100")
            allowed = change_interval(change)
        return Ratio(Period.parse(raw["numerator"]), Period.parse(raw["denominator"]), allowed)

    @classmethod
    def stated_words(cls, raw):
        return f"{raw['percent_change']}% change" if "percent_change" in raw else raw.get("words")


register(RatioKind)
