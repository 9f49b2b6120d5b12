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


def _number(written: str, interval: str) -> Fraction:
    """One end of an interval, or ValueError saying why it is no number ('-7/0')."""
    try:
        return exact(written)
    except ZeroDivisionError:
        raise ValueError(f"{interval!r}: {written} divides by zero") from None
    except ValueError:  # more digits than Python converts (a pasted run of digits)
        shown = interval if len(interval) <= 60 else interval[:40] + "..."
        raise ValueError(f"{shown!r}: {written[:20]}... is too long a number") from None


@dataclass(frozen=True)
class Interval:
    """A set of numbers between low and high; None means unbounded on that side."""

    low: Fraction | None
    high: Fraction | None
    low_closed: bool = True
    high_closed: bool = True

    @classmethod
    def parse(cls, text: str) -> "Interval":
        """'[1.75, 2)', '(0.5, 1]', '[0.9, 1.1]', '(1000, inf)'; ValueError for anything else.

        ``inf`` may only be the high end, and an open one: "(1000, inf)" is every number above
        1000; "[1, inf]", "(inf, inf)" or "[inf, 0.5]" name no set of numbers and are refused.
        """
        match = re.match(INTERVAL_PATTERN, text)
        if not match:
            raise ValueError(f"{text!r} is not an interval like '[1.75, 2)'")
        text = text.strip()
        low_text, high_text = match.groups()
        if low_text == "inf":
            raise ValueError(f"{text!r} starts at inf; inf can only be the high end, as in "
                             f"'(1000, inf)'")
        if high_text == "inf" and text[-1] == "]":
            raise ValueError(f"{text!r} includes inf, which is not a number; end it with "
                             f"'inf)' instead")
        low, high = (None if g == "inf" else _number(g, text) for g in (low_text, high_text))
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
        def num(f: Fraction | None, unbounded: str) -> str:
            if f is None:
                return unbounded
            if f.denominator == 1:
                return str(f.numerator)
            try:
                as_decimal = f"{float(f):.10g}"
            except OverflowError:  # beyond a float's range: only the ratio says it
                as_decimal = ""
            return as_decimal if as_decimal and Fraction(as_decimal) == f else f"{f.numerator}/{f.denominator}"
        # An unbounded end is never included: there is no number there to include.
        return (("[" if self.low_closed and self.low is not None else "(") + num(self.low, "-inf")
                + ", " + num(self.high, "inf")
                + ("]" if self.high_closed and self.high is not None else ")"))


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
