"""``order``: a month is above some months and below others ("more than in any other month").

Orders are always strict, whatever the reading. ``others`` on one side means the other months of
the comparison's scope: every month the comparison covers (base.compared_months: the claim's own
``scope`` under a ``stated`` reading, else what the model hands over) except the month itself and
the months named on the other side.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from helpers.core.intervals import Interval
from helpers.core.linear import linear_row, merged_rows
from helpers.core.months import Period
from helpers.kinds.base import MONTH, PERIOD, Kind, compared_months, parse_scope, register

# A "description" is what an error says the value should be when no alternative fits.
_MONTHS_OR_OTHERS = {"description": "'others' or a list of months such as [2023-09, 2023-10]",
                     "oneOf": [{"const": "others"}, {"type": "array", "items": MONTH, "minItems": 1}]}


@dataclass(frozen=True)
class Order:
    """``month`` is above every month in ``above`` and below every month in ``below``.

    ``above_others``/``below_others`` stand for "every other month of the scope" (see the module
    docstring); ``scope`` is the period the claim's comparison covers, None when not stated.
    """

    month: str
    above: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    above_others: bool = False
    below_others: bool = False
    scope: Period | None = None


class OrderKind(Kind):
    name = "order"
    spec = Order
    position = 30
    fields = {"month": MONTH, "above": _MONTHS_OR_OTHERS, "below": _MONTHS_OR_OTHERS, "scope": PERIOD}
    required = ("month",)
    any_of = (("above",), ("below",))

    @classmethod
    def parse(cls, raw, vocabulary):
        above, below = raw.get("above", ()), raw.get("below", ())
        if above == "others" and below == "others":
            raise ValueError("'above' and 'below' cannot both be 'others'")
        named = [m for side in (above, below) if side != "others" for m in side]
        if raw["month"] in named:
            raise ValueError(f"month {raw['month']} is compared with itself")
        return Order(raw["month"],
                     above=() if above == "others" else tuple(above),
                     below=() if below == "others" else tuple(below),
                     above_others=above == "others", below_others=below == "others",
                     scope=parse_scope(raw))

    @classmethod
    def constraints(cls, claim, spec, window, reading):
        named = {spec.month, *spec.above, *spec.below}
        others = [m for m in compared_months(spec.scope, window, reading) if m not in named]
        above = [*spec.above, *(others if spec.above_others else [])]
        below = [*spec.below, *(others if spec.below_others else [])]
        more_than = Interval(Fraction(1), None)  # "more than": strict, whatever the reading
        return merged_rows(claim, [
            *(linear_row(claim, {spec.month: 1, other: -1}, more_than) for other in above),
            *(linear_row(claim, {other: 1, spec.month: -1}, more_than) for other in below)])

    @classmethod
    def compares_unscoped(cls, spec):
        return spec.scope is None and (spec.above_others or spec.below_others)

    @classmethod
    def describe(cls, spec, words):
        every = (f"every other month of {spec.scope}" if spec.scope
                 else "every other month compared (no scope of its own)")
        parts = []
        if spec.above or spec.above_others:
            parts.append("above " + (every if spec.above_others else ", ".join(spec.above)))
        if spec.below or spec.below_others:
            parts.append("below " + (every if spec.below_others else ", ".join(spec.below)))
        return f"{spec.month} " + " and ".join(parts)


register(OrderKind)
