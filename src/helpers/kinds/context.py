"""``context``: a statement kept for the record, outside the monthly model (no rows, no window)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from helpers.core.intervals import exact
from helpers.core.months import Period
from helpers.kinds.base import PERIOD, Kind, register


@dataclass(frozen=True)
class Context:
    """A statement kept for the record but outside the monthly model."""

    period: Period | None = None
    value: Fraction | None = None


class ContextKind(Kind):
    name = "context"
    spec = Context
    position = 60
    fields = {"period": PERIOD, "value": {"type": "number"}}
    outside = "kept for the record; it states no monthly count of the series"

    @classmethod
    def parse(cls, raw, vocabulary):
        period = Period.parse(raw["period"]) if "period" in raw else None
        value = exact(raw["value"]) if "value" in raw else None
        return Context(period, value)

    @classmethod
    def describe(cls, spec, words):
        return "context, outside the monthly model"


register(ContextKind)
