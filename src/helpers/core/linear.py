"""Integer linear rows ``low <= a.x <= high`` over monthly counts, built from exact fractions.

Every claim kind states its meaning as such rows (helpers.kinds); the engine solves them.
Rational data (the ``Fraction`` ends of an ``Interval``) is multiplied out by the least common
multiple of its denominators, and because every row's left side is then a whole number for
whole-number counts, a strict inequality becomes a non-strict one moved by one:

    part/whole in [7/40, 37/200)   ->   40*part - 7*whole >= 0   and   200*part - 37*whole <= -1

Each row is also divided by the greatest common divisor of its coefficients, with its bounds
rounded inwards (valid for whole numbers, and it keeps the numbers the solver sees small).

A row the solver's doubles would not carry exactly (helpers.core.limits: a bound, or a value of
its left side for counts up to the largest count, at or above 2^53) is refused with a DataError
naming the claim, before anything is solved.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from helpers.core.intervals import Interval
from helpers.core.limits import row_problem
from helpers.core.months import Period
from helpers.errors import DataError


@dataclass(frozen=True)
class Constraint:
    """``low <= sum(coefficient * x[month]) <= high`` in integers; None leaves a side open."""

    claim: str
    terms: tuple[tuple[str, int], ...]  # (month, non-zero coefficient), months in order
    low: int | None
    high: int | None

    def value(self, counts: Mapping[str, int]) -> int:
        return sum(coefficient * counts[month] for month, coefficient in self.terms)

    def holds(self, counts: Mapping[str, int]) -> bool:
        value = self.value(counts)
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(month for month, _ in self.terms)

    def __str__(self) -> str:
        lhs = " ".join(f"{'+' if c > 0 else '-'} {abs(c) if abs(c) != 1 else ''}x[{m}]"
                       for m, c in self.terms).lstrip("+ ") or "0"
        low = "" if self.low is None else f"{self.low} <= "
        high = "" if self.high is None else f" <= {self.high}"
        return f"{low}{lhs}{high}"


def linear_row(claim: str, terms: Mapping[str, Fraction | int], allowed: Interval) -> Constraint | None:
    """``sum(terms) in allowed`` as an integer row; None when it holds for every count.

    Terms and bounds are multiplied by the LCM of every denominator; a strict end becomes the
    next integer inwards; the row is divided by the GCD of its coefficients, bounds rounded in.
    DataError (naming the claim) if the row is beyond what the solver carries exactly.
    """
    terms = {m: Fraction(c) for m, c in terms.items() if c != 0}
    numbers = [*terms.values(), *(end for end in (allowed.low, allowed.high) if end is not None)]
    scale = math.lcm(*(Fraction(n).denominator for n in numbers)) if numbers else 1
    coefficients = {m: int(c * scale) for m, c in sorted(terms.items())}
    low = _integer_bound(allowed.low, scale, allowed.low_closed, side="low")
    high = _integer_bound(allowed.high, scale, allowed.high_closed, side="high")
    divisor = math.gcd(*coefficients.values()) if coefficients else 0
    if divisor > 1:
        coefficients = {m: c // divisor for m, c in coefficients.items()}
        low = None if low is None else -((-low) // divisor)   # ceil: integer lhs >= low/divisor
        high = None if high is None else high // divisor       # floor
    # Counts are never negative: drop a side that every non-negative count satisfies anyway
    # (a share's "part <= whole", a sum's ">= 0"), so that no claim seems to rest on it.
    if low is not None and low <= 0 and all(c >= 0 for c in coefficients.values()):
        low = None
    if high is not None and high >= 0 and all(c <= 0 for c in coefficients.values()):
        high = None
    if low is None and high is None:
        return None
    problem = row_problem(coefficients.values(), low, high)
    if problem:
        raise DataError(problem, claim=claim)
    return Constraint(claim, tuple(coefficients.items()), low, high)


def _integer_bound(end: Fraction | None, scale: int, closed: bool, side: str) -> int | None:
    """The integer bound on an integer-valued lhs equivalent to ``lhs >= end*scale`` (or <=)."""
    if end is None:
        return None
    value = end * scale  # an integer: scale is a multiple of end's denominator
    assert value.denominator == 1
    bound = int(value)
    if not closed:
        bound += 1 if side == "low" else -1
    return bound


def period_sum(period: Period, sign: int = 1) -> dict[str, Fraction]:
    """The terms of ``sign * total(period)``."""
    return {m: Fraction(sign) for m in period.months}


def combine(*parts: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """The sum of several term mappings (a month in two of them adds up, possibly to 0)."""
    total: dict[str, Fraction] = {}
    for part in parts:
        for month, coefficient in part.items():
            total[month] = total.get(month, Fraction(0)) + coefficient
    return total


def scaled(terms: Mapping[str, Fraction], factor: Fraction) -> dict[str, Fraction]:
    return {m: c * factor for m, c in terms.items()}


def merged_rows(claim: str, rows: Iterable[Constraint | None]) -> Iterator[Constraint]:
    """Drop rows that always hold; merge a low and a high row with the same left side."""
    kept: dict[tuple, Constraint] = {}
    for row in rows:
        if row is None:
            continue
        if row.terms in kept:
            old = kept[row.terms]
            low = max((b for b in (old.low, row.low) if b is not None), default=None)
            high = min((b for b in (old.high, row.high) if b is not None), default=None)
            row = Constraint(claim, row.terms, low, high)
        kept[row.terms] = row
    yield from kept.values()


def projected(row: Constraint, outside: set[str], ranges: Mapping[str, tuple[int, int | None]],
             keep_empty: bool = False) -> Constraint | None:
    """What ``row`` implies for its variables not in ``outside``, those being anywhere in their
    ``ranges`` (default 0 and no upper end). None when nothing is left to say."""
    inner = tuple((m, c) for m, c in row.terms if m not in outside)
    least, most = 0, 0  # of the outside part; None = unbounded
    for m, c in row.terms:
        if m in outside:
            low, high = ranges.get(m, (0, None))
            ends = (c * low, None if high is None else c * high)
            small, large = (ends[0], ends[1]) if c > 0 else (ends[1], ends[0])
            least = None if least is None or small is None else least + small
            most = None if most is None or large is None else most + large
    low = None if row.low is None or most is None else row.low - most
    high = None if row.high is None or least is None else row.high - least
    if (low is None and high is None) or (not inner and not keep_empty):
        return None
    return Constraint(row.claim, inner, low, high)
