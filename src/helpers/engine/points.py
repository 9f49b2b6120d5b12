"""Whole-number points: those met, kept to answer later questions, and more found without solving.

Every point any question finds is checked exactly and kept (``Points``): a later question that
one of them satisfies is answered "no, nothing is ruled out" without a solve. Cheap ways find
more such points, where an LP point or a known solution lies a unit or two from one:

* ``centred``: an LP whose optimum lies as deep inside the rows as rounding needs, not on
  their edges (a vertex) where rounding most often breaks one;
* ``rounded_along``: an LP point rounded along the months (its running totals), so that every
  total of consecutive months it makes whole stays whole: claims "v in these months" hold;
* ``repaired``: an LP point rounded, then moved a unit at a time while that lessens how far the
  rows are broken;
* ``beside``: from a point attaining a bound, one unit beyond the bound, alone and with one
  unit more or less in another month; the deletion filter (prover.py) wants, for each claim a
  bound rests on, a point that breaks that claim alone.

Nothing these propose is believed: the caller checks each candidate exactly before keeping it.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_array

from helpers.core.linear import Constraint
from helpers.engine.system import Problem, System

SAFE = 2 ** 62      # row values and ends below this are carried exactly in int64
_KEPT = 4000        # points kept for reuse (the latest)
_REPAIR_STEPS = 3   # most repairs take one or two moves; a search that finds none costs more
_REPAIR_FROM = 2    # than the integer program it would save, so it starts only this near
_REPAIR_MONTHS = 64  # months at most: the moves between every two months grow with their square
_BESIDE_ENTRIES = 2_000_000  # moves times months that ``beside`` tries at most (16 MB)


class Points:
    """The checked whole-number points met so far, each with the groups of rows it breaks."""

    def __init__(self, system: System, group_of_row: np.ndarray, groups: int):
        self.system, self.group_of_row = system, group_of_row
        # Row ends as integers (they lie below 2^53: core/limits.py), and the largest sum of
        # absolute coefficients, to know when int64 carries a row's value exactly.
        self.low = np.array([-SAFE if r.low is None else r.low for r in system.constraints], dtype=np.int64)
        self.high = np.array([SAFE if r.high is None else r.high for r in system.constraints], dtype=np.int64)
        self._width = int(abs(system.matrix).sum(axis=1).max(initial=0)) if system.constraints else 0
        # One point per row of the array, the latest last, and the groups it breaks, a bit each
        # (filled in place: stacking lists anew after every point cost more than the questions
        # they answered; bits, because ``met`` sifts hundreds of points a question).
        self._points = np.zeros((_KEPT, len(system.variables)), dtype=np.int64)
        self._groups = groups
        self._broken = np.zeros((_KEPT, (groups + 7) // 8), dtype=np.uint8)
        self._count = 0
        self._sifts: dict[tuple, tuple] = {}  # the extra rows last asked, compiled, and which points meet them

    def values(self, point: np.ndarray) -> np.ndarray | None:
        """Every row's left side at ``point``, exact in int64 (None if it might overflow)."""
        if self._width * int(point.max(initial=0)) >= SAFE:
            return None
        return self.system.matrix @ point

    def broken_groups(self, values: np.ndarray) -> np.ndarray:
        return self.group_of_row[np.flatnonzero((values < self.low) | (values > self.high))]

    def remember(self, point: np.ndarray) -> None:
        values = self.values(point)
        if values is None:
            return
        if self._count == _KEPT:  # full: the older half makes room
            half = _KEPT // 2
            self._points[:half], self._broken[:half] = self._points[half:], self._broken[half:]
            self._count, self._sifts = half, {}
        self._points[self._count] = point
        self._broken[self._count] = self._bits(self.broken_groups(values))
        self._count += 1

    def met(self, groups: Sequence[int], extra: Sequence[Constraint]) -> bool:
        """Whether a point met satisfies the groups and the extra rows (checked exactly)."""
        if not self._count:
            return False
        within = np.flatnonzero(self._within(extra)) if extra else np.arange(self._count)
        if len(groups) and len(within):  # (few points lie beyond a bound: sifted first)
            within = within[~(self._broken[within] & self._bits(groups)).any(axis=1)]
        for point in self._points[within[::-1]]:  # the latest first
            counts = dict(zip(self.system.variables, (int(v) for v in point)))
            if all(row.holds(counts) for row in extra):
                return True
        return False

    def _bits(self, groups: Sequence[int]) -> np.ndarray:
        """The groups as a row of bits, as ``_broken`` keeps them."""
        chosen = np.zeros(self._groups, dtype=bool)
        chosen[list(groups)] = True
        return np.packbits(chosen)

    def _within(self, extra: Sequence[Constraint]) -> np.ndarray:
        """Which points satisfy the ``extra`` rows, in floats (a first sift; ``met`` checks
        exactly), kept for the latest rows asked and extended as points come: the same bound is
        asked of many sets of claims in a row."""
        key = tuple(extra)
        if key not in self._sifts:
            matrix, low, high = self.system._compile(extra)
            self._sifts = {key: (matrix.toarray().T, low, high, np.zeros(0, dtype=bool))}
        matrix, low, high, within = self._sifts[key]
        if len(within) < self._count:
            values = self._points[len(within):self._count] @ matrix
            within = np.concatenate([within, ((values >= low) & (values <= high)).all(axis=1)])
            self._sifts[key] = (matrix, low, high, within)
        return within[:self._count]


def rounded_along(x: np.ndarray) -> np.ndarray | None:
    """``x`` (counts of consecutive months, all at least 0) rounded along the months: its running
    totals rounded, then differenced. The total of any run of months then changes by less than
    one unit, and one that ``x`` makes whole stays as it is, so that every claim "the total of
    these months is v" that ``x`` keeps holds for the result too (rounded month by month, a
    twelve-month total may change by six). None for a point too large to round."""
    if not np.isfinite(x).all() or np.abs(x).max(initial=0) >= 2.0 ** 50:
        return None
    # Halves up, always: rint's halves to even would round two totals a whole number apart
    # differently (0.5 to 0, 1.5 to 2).
    return np.diff(np.floor(np.concatenate(([0.0], np.cumsum(np.maximum(x, 0.0)))) + 0.5))


def centred(problem: Problem):
    """An LP whose points round well: the problem with one more column, a margin t in [0, 1]
    kept by every row with a free side. A row's ends move inwards by t times the most that
    rounding a point can change it (half the sum of its coefficients' sizes), so that at t = 1
    a point rounds to a whole-number point of the row. A row with two distinct ends appears
    twice (its low side, its high side). Returns the matrix, its ends and, for each of its
    rows, the problem's row it comes from."""
    matrix, low, high = problem.matrix, problem.low, problem.high
    count, n = matrix.shape
    lengths = np.diff(matrix.indptr)
    margin = 0.5 * np.bincount(np.repeat(np.arange(count), lengths), weights=np.abs(matrix.data), minlength=count)
    copies = np.concatenate([np.arange(count), np.flatnonzero(np.isfinite(low) & np.isfinite(high) & (low < high))])
    side = np.where(low == high, 0.0, np.where(np.isfinite(low), -1.0, 1.0))[copies]  # t's sign in the row
    side[count:] = 1.0  # (the second copy: the high side)
    new_low, new_high = np.where(side > 0, -np.inf, low[copies]), np.where(side < 0, np.inf, high[copies])
    # Each copy's entries, then t's (none in an equality: rounding cannot keep it, a repair may).
    sizes, with_t = lengths[copies], side != 0
    indptr = np.concatenate(([0], np.cumsum(sizes + with_t)))
    k = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    to, source = np.repeat(indptr[:-1], sizes) + k, np.repeat(matrix.indptr[copies], sizes) + k
    indices, data = np.empty(indptr[-1], dtype=np.int64), np.empty(indptr[-1])
    indices[to], data[to] = matrix.indices[source], matrix.data[source]
    ends = indptr[1:][with_t] - 1
    indices[ends], data[ends] = n, (side * margin[copies])[with_t]
    return csr_array((data, indices, indptr), shape=(len(copies), n + 1)), new_low, new_high, copies


def repaired(x: np.ndarray, problem: Problem) -> np.ndarray | None:
    """A whole-number candidate for the problem near the LP point ``x``: ``x`` rounded, moved a
    unit at a time (in one month, or from one month to another, which keeps their totals), each
    move the one that most lessens how far the rows are broken, counted in units of a month.
    None if rounding breaks more than a couple of rows or the moves stop helping."""
    if not np.isfinite(x).all() or np.abs(x).max(initial=0) >= 2.0 ** 50:
        return None
    point = np.rint(x)
    values = problem.matrix @ point
    out = np.maximum(problem.low - values, 0) + np.maximum(values - problem.high, 0)
    if np.count_nonzero(out) > _REPAIR_FROM:
        return None
    columns = np.unique(problem.matrix.indices)  # the months the rows speak of, as a dense matrix
    if len(columns) > _REPAIR_MONTHS:
        return None
    matrix = np.zeros((len(values), len(columns)), dtype=np.int64)
    sparse = problem.matrix
    matrix[np.repeat(np.arange(len(values)), np.diff(sparse.indptr)), np.searchsorted(columns, sparse.indices)] = sparse.data
    weight = 1.0 / np.abs(matrix).sum(axis=1)
    here = point[columns]
    moves, worst = _moves(len(columns)), (out * weight).sum()
    shifts, lowered = _shifts(matrix), _lowered(len(columns))  # each move's change to each row
    for _ in range(_REPAIR_STEPS):
        near = values + shifts
        scores = ((np.maximum(problem.low - near, 0) + np.maximum(near - problem.high, 0)) * weight).sum(axis=1)
        scores[(lowered >= 0) & (np.append(here, 1)[lowered] == 0)] = np.inf  # no count below 0
        best = int(np.argmin(scores))
        if scores[best] >= worst:
            return None
        here, values, worst = here + moves[best], near[best], scores[best]
        if worst == 0:
            point[columns] = here
            return point
    return None


def beside(attaining: Sequence[np.ndarray], bound: Constraint, index: dict[str, int], matrix: np.ndarray,
           low: np.ndarray, high: np.ndarray, owner: np.ndarray, groups: int) -> dict[int, np.ndarray]:
    """For groups of rows (``matrix``, ``low``, ``high``; ``owner``: each row's group, of
    ``groups``), a candidate per group that breaks it alone and lies beyond ``bound`` (one-sided,
    a total of months; ``index``: each month's column): one unit beyond a point ``attaining`` the bound in one of its months,
    alone or with one unit more or less in another month of the rows."""
    if (bound.low is None) == (bound.high is None) or any(c != 1 for _, c in bound.terms):
        return {}
    step = -1 if bound.high is not None else 1
    inside = np.array([index[m] for m, _ in bound.terms])
    outside = np.setdiff1d(np.flatnonzero(np.abs(matrix).sum(axis=0)), inside)
    n, count = matrix.shape[1], len(outside)
    if len(inside) * (1 + 2 * count) * n > _BESIDE_ENTRIES:
        return {}
    moves = np.zeros((len(inside), 1 + 2 * count, n), dtype=np.int64)
    moves[np.arange(len(inside)), :, inside] = step
    moves[:, np.arange(1, 1 + 2 * count), np.concatenate([outside, outside])] = \
        np.concatenate([-np.ones(count), np.ones(count)])
    moves = moves.reshape(-1, n)
    ownership = np.eye(groups, dtype=np.int64)[owner]
    found: dict[int, np.ndarray] = {}
    for base in attaining[:2]:
        points = base[None, :] + moves
        points = points[(points >= 0).all(axis=1)]
        values = points @ matrix.T
        counts = ((values < low) | (values > high)) @ ownership  # broken rows per group
        for p in np.flatnonzero((counts > 0).sum(axis=1) == 1):
            found.setdefault(int(np.flatnonzero(counts[p])[0]), points[p])
        if len(found) == groups:
            break
    return found


def _shifts(matrix: np.ndarray) -> np.ndarray:
    """Each move of ``_moves`` as its change to each row of ``matrix`` (rows by months): a
    month's column, or one month's column less another's (``moves @ matrix.T``, without the
    product's n^3 multiplications)."""
    columns = matrix.T
    n = len(columns)
    pairs = (columns[:, None, :] - columns[None, :, :]).reshape(n * n, -1)
    return np.vstack([columns, -columns, pairs[~np.eye(n, dtype=bool).ravel()]])


@functools.lru_cache(maxsize=8)
def _lowered(n: int) -> np.ndarray:
    """The month each move of ``_moves`` lowers by a unit; -1 where it lowers none."""
    month = np.arange(n)
    pairs = np.repeat(month, n).reshape(n, n).T.ravel()  # (i, j) moves a unit from j to i
    return np.concatenate([np.full(n, -1), month, pairs[month.repeat(n) != np.tile(month, n)]])


@functools.lru_cache(maxsize=8)  # (n^3 entries each: the latest few sizes only)
def _moves(n: int) -> np.ndarray:
    """A repair's moves among ``n`` months: a unit up or down in one, or from one to another."""
    unit = np.eye(n, dtype=np.int64)
    pairs = (unit[:, None, :] - unit[None, :, :]).reshape(-1, n)
    return np.vstack([unit, -unit, pairs[np.abs(pairs).sum(axis=1) > 0]])
