"""The exact rational point behind a floating-point LP vertex.

HiGHS's simplex answers with a basic solution: a point fixed by the rows and the ``x >= 0``
bounds that are tight there. Its floats only approximate that point, and reading each float as
a nearby fraction fails when the true denominators are large (narrow shares over several months
give denominators in the millions). Solving the tight rows again, as equations in exact
fractions, recovers the point itself; whoever asked still checks it against every row.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

TIGHT = 1e-7  # relative: a row or bound this close to its end is taken as tight at the vertex


def exact_vertex(matrix, low: np.ndarray, high: np.ndarray, x: np.ndarray) -> list[Fraction] | None:
    """The exact solution of the rows (dense or sparse integer ``matrix``) and bounds tight at
    ``x``, its free coordinates read from ``x`` as fractions; None if the tight rows have no
    common solution (then ``x`` was not near a vertex)."""
    dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
    values = dense @ x
    n = len(x)
    scale = 1.0 + np.abs(dense).sum(axis=1) * max(1.0, float(np.abs(x).max(initial=0)))
    equations: list[tuple[list[int], Fraction]] = []
    for i, value in enumerate(values):
        for end in (low[i], high[i]):
            if np.isfinite(end) and abs(value - end) <= TIGHT * scale[i]:
                equations.append(([int(v) for v in dense[i]], Fraction(int(end))))
                break
    for j in range(n):
        if abs(x[j]) <= TIGHT * max(1.0, float(np.abs(x).max(initial=0))):
            equations.append(([1 if k == j else 0 for k in range(n)], Fraction(0)))
    return solve_equations(equations, [Fraction(float(v)).limit_denominator(10 ** 6) for v in x])


def solve_equations(equations: Sequence[tuple[Sequence[int | Fraction], Fraction]],
                    guess: Sequence[Fraction]) -> list[Fraction] | None:
    """A solution of the equations (coefficients, right-hand side) by Gauss-Jordan elimination
    over fractions, coordinates the equations leave free keeping their ``guess``; None if the
    equations contradict each other."""
    n = len(guess)
    zero = Fraction(0)  # (shared: most coefficients are 0)
    rows = [[Fraction(c) if c else zero for c in coefficients] + [rhs] for coefficients, rhs in equations]
    pivots: list[int] = []
    line = 0
    for column in range(n):
        pivot = next((i for i in range(line, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[line], rows[pivot] = rows[pivot], rows[line]
        head = rows[line][column]
        used = [j for j, v in enumerate(rows[line]) if v != 0]  # rows are sparse: touch only these
        for j in used:
            rows[line][j] /= head
        for i in range(len(rows)):
            if i != line and rows[i][column] != 0:
                factor, target = rows[i][column], rows[i]
                for j in used:
                    target[j] -= factor * rows[line][j]
        pivots.append(column)
        line += 1
    if any(all(v == 0 for v in r[:n]) and r[n] != 0 for r in rows[line:]):
        return None
    point = list(guess)
    free = [j for j in range(n) if j not in pivots]
    for i, column in enumerate(pivots):
        point[column] = rows[i][n] - sum(rows[i][j] * guess[j] for j in free)
    return point


def whole_multiple(x: np.ndarray, max_denominator: int = 10 ** 6) -> np.ndarray | None:
    """The smallest whole-number multiple of x's rational reading; None if it gets too large."""
    return whole([Fraction(float(v)).limit_denominator(max_denominator) for v in x])


def whole(fractions: Sequence[Fraction] | None) -> np.ndarray | None:
    """The smallest whole-number multiple of exact fractions; None if it gets too large."""
    if fractions is None:
        return None
    scale = math.lcm(*(f.denominator for f in fractions))
    whole = [int(f * scale) for f in fractions]
    if max(map(abs, whole), default=0) >= 2 ** 40:
        return None
    return np.array(whole, dtype=np.int64)
