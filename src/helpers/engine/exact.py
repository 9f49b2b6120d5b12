"""Exact checks of what HiGHS suggests: Farkas certificates and whole-number points.

Every row is ``low <= a.x <= high`` with whole-number coefficients and ends, over counts
``x >= 0``. A *Farkas certificate* is a multiplier ``y_i`` per row such that

    sum(y_i * a_i) <= 0 in every variable,  and  beta = sum(y_i * (low_i if y_i > 0 else high_i)) > 0;

then the rows cannot hold together: any point of them has ``y.(Ax) >= beta > 0``, while
``y.(Ax) = (sum y_i a_i).x <= 0`` for ``x >= 0``. Only rows with ``y_i != 0`` take part, so they
alone are infeasible: that names the claims a bound rests on. ``certified_infeasible`` checks it
in integer arithmetic, reading HiGHS's float ray as nearby fractions of small denominator (the
true multipliers of integer data are such fractions), then as the floats' exact values.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from helpers.core.linear import Constraint
from helpers.engine.vertex import solve_equations

# Denominators tried when reading a float multiplier as a fraction; None: the float's own value.
_DENOMINATORS = (10 ** 6, None, 10 ** 12)


def certified_infeasible(rows: Sequence[Constraint], ray: Sequence[float]) -> list[int] | None:
    """The positions of the rows (those with a non-zero multiplier) that the Farkas certificate
    ``ray`` (or its negation) proves cannot hold together with counts ``>= 0``; None when it
    proves nothing."""
    support = _support(ray)
    if not support:
        return None
    for sign in _signs(rows, ray, support):
        y = _scaled({i: sign * float(ray[i]) for i in support})
        if y and _proves(rows, y):
            return sorted(y)
        for limit in _DENOMINATORS:
            y = _whole({i: sign * _rational(ray[i], limit) for i in support})
            if y and _proves(rows, y):
                return sorted(y)
        y = _whole(_solved(rows, {i: sign * float(ray[i]) for i in support}) or {})
        if y and _proves(rows, y):
            return sorted(y)
    return None


def _signs(rows: Sequence[Constraint], ray: Sequence[float], support: list[int]) -> tuple[int, ...]:
    """The orientations of the ray to check, the likelier first: the one whose ``beta``, in
    floats, is positive (HiGHS's sign convention is not documented; either may be right)."""
    beta = 0.0
    for i in support:
        end = _end(rows[i], ray[i])
        beta += ray[i] * end if end is not None else 0.0
    return (1, -1) if beta >= 0 else (-1, 1)


def _solved(rows: Sequence[Constraint], ray: dict[int, float]) -> dict[int, Fraction] | None:
    """The exact multipliers behind a float ray whose true ones have large denominators (narrow
    shares over several months): on the same rows, with the same signs, every count the ray's
    combination cancels (to float precision) cancelled exactly, and the same ``beta``; solved
    in fractions (vertex.solve_equations). None if those equations have no solution."""
    positions = list(ray)
    ends = []
    for i in positions:
        end = _end(rows[i], ray[i])
        if end is None:
            return None
        ends.append(end)
    combined: dict[str, list[tuple[int, int]]] = {}
    for k, i in enumerate(positions):
        for month, a in rows[i].terms:
            combined.setdefault(month, []).append((k, a))
    size = max(abs(v) for v in ray.values())
    equations = []
    for month, entries in combined.items():
        value = sum(ray[positions[k]] * a for k, a in entries)
        if abs(value) <= 1e-7 * size * max(1, max(abs(a) for _, a in entries)):
            coefficients = [0] * len(positions)
            for k, a in entries:
                coefficients[k] += a
            equations.append((coefficients, Fraction(0)))
    beta = sum(ray[i] * end for i, end in zip(positions, ends))
    equations.append((ends, Fraction(beta)))
    y = solve_equations(equations, [Fraction(ray[i]) for i in positions])
    return None if y is None else dict(zip(positions, y))


def _proves(rows: Sequence[Constraint], y: dict[int, int]) -> bool:
    """The check of the module's docstring, on whole multipliers ``y`` (a positive multiple of
    a certificate is one)."""
    combined: dict[str, int] = {}
    beta = 0
    for i, v in y.items():
        end = _end(rows[i], v)
        if end is None:  # the multiplier uses a side the row does not have
            return False
        beta += v * end
        for month, a in rows[i].terms:
            combined[month] = combined.get(month, 0) + v * a
    return beta > 0 and all(c <= 0 for c in combined.values())


def _end(row: Constraint, multiplier: float) -> int | None:
    """The end of ``row`` a multiplier of this sign takes: the low end for a positive one."""
    return row.low if multiplier > 0 else row.high


def _scaled(ray: dict[int, float]) -> dict[int, int]:
    """The ray as whole multipliers when it is one up to a factor, read without fractions: its
    entries over the smallest one, if those are all whole numbers (to float precision); else
    nothing. (Most rays of these rows are; reading each entry as a fraction costs far more.)"""
    values = np.array(list(ray.values()))
    ratios = values / np.abs(values).min()
    whole = np.rint(ratios)
    if np.abs(whole).max() >= 2 ** 40 or (np.abs(ratios - whole) > 1e-9 * np.maximum(1, np.abs(ratios))).any():
        return {}
    return dict(zip(ray, (int(v) for v in whole)))


def _whole(fractions: dict[int, Fraction]) -> dict[int, int]:
    """The multipliers times the least common multiple of their denominators (zeros dropped)."""
    fractions = {i: f for i, f in fractions.items() if f}
    if not fractions:
        return {}
    scale = math.lcm(*(f.denominator for f in fractions.values()))
    return {i: f.numerator * (scale // f.denominator) for i, f in fractions.items()}


def _support(values: Sequence[float]) -> list[int]:
    values = np.asarray(values, dtype=float)
    if not len(values) or not np.isfinite(values).all():
        return []
    scale = float(np.abs(values).max(initial=0))
    return np.flatnonzero(np.abs(values) > 1e-9 * max(scale, 1.0)).tolist()


def _rational(value: float, limit: int | None) -> Fraction:
    exact = Fraction(float(value))
    return exact if limit is None else exact.limit_denominator(limit)
