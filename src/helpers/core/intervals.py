"""Exact intervals of rational numbers, written the way a reader writes them: "[1.75, 2)".

Every number is a ``fractions.Fraction`` so that boundaries are decided exactly
(218/1246 is below 17.5 %, 218/1245 is not), never with a floating tolerance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

_NUMBER = r"\s*(-?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?|inf)\s*"
INTERVAL_PATTERN = r"^\s*[\[(]" + _NUMBER + "," + _NUMBER + r"[\])]\s*$"


def exact(value: object) -> Fraction:
    """A Fraction from an int, a decimal string ('17.5'), a ratio string ('7/4') or a YAML float."""
    if isinstance(value, float):
        # YAML gives 1.75 as a float; its decimal text is what the researcher wrote.
        value = repr(value)
    return Fraction(value)


@dataclass(frozen=True)
class Interval:
    """A set of numbers between low and high; None means unbounded on that side."""

    low: Fraction | None
    high: Fraction | None
    low_closed: bool = True
    high_closed: bool = True

    @classmethod
    def parse(cls, text: str) -> "Interval":
        """'[1.75, 2)', '(0.5, 1]', '[0.9, 1.1]', '(1000, inf)'. The caller has checked the pattern."""
        match = re.match(INTERVAL_PATTERN, text)
        if not match:
            raise ValueError(f"{text!r} is not an interval like '[1.75, 2)'")
        low, high = (None if g == "inf" else exact(g) for g in match.groups())
        text = text.strip()
        interval = cls(low, high, text[0] == "[", text[-1] == "]")
        if low is not None and high is not None and (low > high or (low == high and not (
                interval.low_closed and interval.high_closed))):
            raise ValueError(f"{text!r} is empty: its low end is not below its high end")
        return interval

    @classmethod
    def point(cls, value: Fraction | int) -> "Interval":
        return cls(Fraction(value), Fraction(value))

    @classmethod
    def relation(cls, relation: str, value: Fraction | int) -> "Interval":
        """The set of numbers x with 'x <relation> value'."""
        v = Fraction(value)
        return {
            "=": cls(v, v),
            ">": cls(v, None, low_closed=False),
            ">=": cls(v, None),
            "<": cls(None, v, high_closed=False),
            "<=": cls(None, v),
        }[relation]

    def scaled(self, factor: Fraction) -> "Interval":
        """This interval multiplied by a positive factor (for 'about 4,000' = 4,000 x [0.9, 1.1])."""
        return Interval(None if self.low is None else self.low * factor,
                        None if self.high is None else self.high * factor,
                        self.low_closed, self.high_closed)

    def __contains__(self, x: object) -> bool:
        x = Fraction(x)  # type: ignore[arg-type]
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        if self.high is not None and (x > self.high or (x == self.high and not self.high_closed)):
            return False
        return True

    def __str__(self) -> str:
        def num(f: Fraction | None) -> str:
            if f is None:
                return "inf"
            if f.denominator == 1:
                return str(f.numerator)
            as_decimal = f"{float(f):.10g}"
            return as_decimal if Fraction(as_decimal) == f else f"{f.numerator}/{f.denominator}"
        return (("[" if self.low_closed else "(") + num(self.low) + ", " + num(self.high)
                + ("]" if self.high_closed else ")"))


def in_words(interval: Interval) -> str:
    """'= 577', '> 1000', 'in [1.75, 2)': an interval as a reader would say it."""
    low, high = interval.low, interval.high
    if low is not None and low == high:
        return f"= {interval.low}"
    if high is None and low is not None:
        return f"{'≥' if interval.low_closed else '>'} {low}"
    if low is None and high is not None:
        return f"{'≤' if interval.high_closed else '<'} {high}"
    return f"in {interval}"
