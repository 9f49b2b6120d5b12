"""Claims as integer linear constraints on whole-number monthly counts.

Under a reading, the claims of one model series become rows ``low <= a.x <= high`` over the
months of the series' window, every coefficient and bound an integer. Rational data (the
``Fraction`` ends of an ``Interval``) is multiplied out by the least common multiple of its
denominators, and because every row's left side is then a whole number for whole-number counts,
a strict inequality becomes a non-strict one moved by one:

    part/whole in [7/40, 37/200)   ->   40*part - 7*whole >= 0   and   200*part - 37*whole <= -1

Each row is also divided by the greatest common divisor of its coefficients, with its bounds
rounded inwards (valid for whole numbers, and it keeps the numbers the solver sees small).

Choices this module makes, so that no claim is read in two ways:

* Counts are whole numbers and never negative (``x >= 0``); that is a variable bound, no row.
* A share or a ratio implies that its whole (denominator) total is at least 1: a fraction of
  nothing, or a change from nothing, is no statement a reporter makes.
* "highest"/"lowest" are strict when ``reading.strict_extremes`` (ties are not allowed); their
  scope is the claim's own ``scope`` when ``reading.extremum_scope == "stated"`` and the claim
  has one, else the whole window.
* Orders ("more than in any other month") are always strict. ``above_others`` means every month
  of the window except the month itself and those named in ``below`` (and vice versa).
* The window is the first to the last month named by the claims of the series; context claims
  (kind ``context``) name no monthly content and do not widen it.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from helpers.data.claims import Claim, Extremum, Order, Ratio, Share, Total
from helpers.core.intervals import Interval
from helpers.core.months import Period, month_range
from helpers.core.readings import Reading


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


@dataclass(frozen=True)
class ClaimGroup:
    """All the constraints one claim stands for; the unit that is kept or set aside."""

    claim: str
    constraints: tuple[Constraint, ...]


@dataclass(frozen=True)
class Model:
    """The constraints of one model series under one reading."""

    series: str
    window: Period | None
    groups: tuple[ClaimGroup, ...]          # claims of the series with monthly content, in order
    outside: tuple[tuple[str, str], ...]    # (claim id, why it is outside the model)

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(self.window.months) if self.window else ()


# -- one linear row, scaled to integers ---------------------------------------------------------

def linear_row(claim: str, terms: Mapping[str, Fraction | int], allowed: Interval) -> Constraint | None:
    """``sum(terms) in allowed`` as an integer row; None when it holds for every count.

    Terms and bounds are multiplied by the LCM of every denominator; a strict end becomes the
    next integer inwards; the row is divided by the GCD of its coefficients, bounds rounded in.
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


def _sum(period: Period, sign: int = 1) -> dict[str, Fraction]:
    return {m: Fraction(sign) for m in period.months}


def _combine(*parts: Mapping[str, Fraction]) -> dict[str, Fraction]:
    total: dict[str, Fraction] = {}
    for part in parts:
        for month, coefficient in part.items():
            total[month] = total.get(month, Fraction(0)) + coefficient
    return total


def _scaled(terms: Mapping[str, Fraction], factor: Fraction) -> dict[str, Fraction]:
    return {m: c * factor for m, c in terms.items()}


def _rows(claim: str, rows: Iterable[Constraint | None]) -> Iterator[Constraint]:
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


# -- one builder per claim kind -----------------------------------------------------------------

def _total(claim: Claim, window: Sequence[str], reading: Reading) -> Iterator[Constraint]:
    spec: Total = claim.spec  # type: ignore[assignment]
    yield from _rows(claim.id, [linear_row(claim.id, _sum(spec.period), spec.allowed)])


def _extremum(claim: Claim, window: Sequence[str], reading: Reading) -> Iterator[Constraint]:
    spec: Extremum = claim.spec  # type: ignore[assignment]
    use_stated = reading.extremum_scope == "stated" and spec.scope is not None
    scope = spec.scope.months if use_stated else list(window)
    gap = 1 if reading.strict_extremes else 0
    sign = 1 if spec.extreme == "highest" else -1
    yield from _rows(claim.id, (
        linear_row(claim.id, {spec.month: sign, other: -sign}, Interval(Fraction(gap), None))
        for other in scope if other != spec.month))


def _order(claim: Claim, window: Sequence[str], reading: Reading) -> Iterator[Constraint]:
    spec: Order = claim.spec  # type: ignore[assignment]
    named = {spec.month, *spec.above, *spec.below}
    others = [m for m in window if m not in named]
    above = [*spec.above, *(others if spec.above_others else [])]
    below = [*spec.below, *(others if spec.below_others else [])]
    more_than = Interval(Fraction(1), None)  # "more than": strict, whatever the reading
    yield from _rows(claim.id, [
        *(linear_row(claim.id, {spec.month: 1, other: -1}, more_than) for other in above),
        *(linear_row(claim.id, {other: 1, spec.month: -1}, more_than) for other in below)])


def _fraction_rows(claim: str, top: Period, bottom: Period, allowed: Interval) -> list[Constraint | None]:
    """``total(top) / total(bottom) in allowed`` with ``total(bottom) >= 1`` (see module doc)."""
    numerator, denominator = _sum(top), _sum(bottom)
    rows = [linear_row(claim, denominator, Interval(Fraction(1), None))]
    if allowed.low is not None:   # top - low*bottom >= 0  (> 0 if the end is open)
        rows.append(linear_row(claim, _combine(numerator, _scaled(denominator, -allowed.low)),
                               Interval(Fraction(0), None, low_closed=allowed.low_closed)))
    if allowed.high is not None:  # top - high*bottom <= 0  (< 0 if the end is open)
        rows.append(linear_row(claim, _combine(numerator, _scaled(denominator, -allowed.high)),
                               Interval(None, Fraction(0), high_closed=allowed.high_closed)))
    return rows


def _share(claim: Claim, window: Sequence[str], reading: Reading) -> Iterator[Constraint]:
    spec: Share = claim.spec  # type: ignore[assignment]
    yield from _rows(claim.id, _fraction_rows(claim.id, spec.part, spec.whole, spec.allowed))


def _ratio(claim: Claim, window: Sequence[str], reading: Reading) -> Iterator[Constraint]:
    spec: Ratio = claim.spec  # type: ignore[assignment]
    yield from _rows(claim.id, _fraction_rows(claim.id, spec.numerator, spec.denominator, spec.allowed))


def _context(claim: Claim, window: Sequence[str], reading: Reading) -> Iterator[Constraint]:
    return iter(())  # kept for the record; no monthly content


Builder = Callable[[Claim, Sequence[str], Reading], Iterable[Constraint]]

CONSTRAINT_BUILDERS: dict[str, Builder] = {
    "total": _total,
    "extremum": _extremum,
    "order": _order,
    "share": _share,
    "ratio": _ratio,
    "context": _context,
}


# -- a whole model ------------------------------------------------------------------------------

def known_series(claims: Iterable[Claim], reading: Reading) -> list[str]:
    """Every model series some claim belongs to under the reading, and the reading's own."""
    return sorted({reading.series_of(c.series) for c in claims} | {reading.series})


def window_of(claims: Iterable[Claim], reading: Reading, series: str) -> Period | None:
    named = [m for c in claims if reading.series_of(c.series) == series and c.kind != "context"
             for m in c.months()]
    return Period(min(named), max(named)) if named else None


def build_model(claims: Sequence[Claim], reading: Reading, series: str) -> Model:
    window = window_of(claims, reading, series)
    months = month_range(window.start, window.end) if window else []
    groups, outside = [], []
    for claim in claims:
        own_series = reading.series_of(claim.series)
        if own_series != series:
            outside.append((claim.id, f"counts another series ({own_series}) under this reading"))
        elif claim.kind == "context":
            outside.append((claim.id, "kept for the record; it states no monthly count of the series"))
        else:
            rows = tuple(CONSTRAINT_BUILDERS[claim.kind](claim, months, reading))
            groups.append(ClaimGroup(claim.id, rows))
    return Model(series, window, tuple(groups), tuple(outside))
