"""``share``: one period's total as a fraction of another's ("18 percent", "most").

A ``percent`` means the interval it rounds from (18 is [17.5 %, 18.5 %)) unless a ``relation``
other than ``=`` makes it an exact bound; vague ``words`` come from the ``share`` table. The
whole's total is at least 1: a fraction of nothing is no statement a reporter makes.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from helpers.core.intervals import Interval, exact
from helpers.core.months import Period
from helpers.kinds.base import (INTERVAL, PERCENT_LIMITS, PERIOD, RELATION, TEXT, FractionKind,
                                refuse_relation_beside, register, stated_with_rounding)

_PERCENT = {"description": "a percentage from 0 to 100, such as 18 or '17.5'",
            "numberLimits": PERCENT_LIMITS,
            "oneOf": [{"type": "number", "minimum": 0, "maximum": 100},
                      {"type": "string", "pattern": r"^(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)$"}]}


@dataclass(frozen=True)
class Share:
    """total(part) / total(whole) lies in ``allowed`` ("18 percent", "most")."""

    part: Period
    whole: Period
    allowed: Interval


def percent_interval(percent: object) -> Interval:
    """A stated percentage as the fraction interval it rounds from: 18 -> [0.175, 0.185)."""
    p, half_step = stated_with_rounding(percent)
    return Interval(max(p - half_step, Fraction(0)) / 100, (p + half_step) / 100,
                    low_closed=True, high_closed=False)


class ShareKind(FractionKind):
    name = "share"
    spec = Share
    position = 40
    fields = {"part": PERIOD, "whole": PERIOD, "percent": _PERCENT, "relation": RELATION,
              "words": TEXT, "interval": INTERVAL}
    required = ("part", "whole")
    over = ("part", "whole")  # the fraction's periods: FractionKind builds rows from them
    one_of = (("percent",), ("words",), ("interval",))
    table = "share"

    @classmethod
    def parse(cls, raw, vocabulary):
        refuse_relation_beside(raw)
        if "interval" in raw:
            allowed = Interval.parse(raw["interval"])
        elif "words" in raw:
            allowed = cls.lookup(vocabulary, raw["words"])
        elif raw.get("relation", "=") != "=":
            allowed = Interval.relation(raw["relation"], exact(str(raw["percent"])) / 100)
        else:
            allowed = percent_interval(raw["percent"])
        return Share(Period.parse(raw["part"]), Period.parse(raw["whole"]), allowed)

    @classmethod
    def stated_words(cls, raw):
        return f"{raw['percent']} percent" if "percent" in raw else raw.get("words")


register(ShareKind)
