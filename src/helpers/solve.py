"""Integer programs over whole-number monthly counts, solved by HiGHS and checked exactly.

``System`` compiles a model's constraints once, so that any subset of them (a claim set aside,
a bound added) is solved without rebuilding. HiGHS works in floating point; nothing it returns
is taken on trust where an exact check is possible:

* every solution is rounded to integers and checked row by row in integer arithmetic (a
  failure raises ``SolverError``), and the optimum reported is the objective of that checked
  solution;
* "unbounded" is certified by an integer ray ``d`` (checked exactly) along which every selected
  row stays satisfied: a feasible point plus any multiple of ``d`` is feasible again;
* "infeasible" is HiGHS's verdict. The rows are integer-scaled (model.py), so a violation is
  always at least one whole unit, far above the solver's tolerances.

``quickxplain`` (Junker 2004) finds a minimal subset of claim groups that is infeasible
together with a background that always holds; it serves both for "what does this bound rest
on" and for minimal conflict sets.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from helpers.errors import SolverError
from helpers.model import Constraint

_OPTIONS = {"mip_rel_gap": 0.0, "presolve": True}
_INT64_SAFE = 2 ** 62


@dataclass(frozen=True)
class Outcome:
    status: str                       # "optimal" | "infeasible" | "unbounded"
    value: int | None = None          # exact objective of the witness (None unless optimal)
    witness: tuple[int, ...] | None = None  # a checked integer solution (None if infeasible)

    @property
    def feasible(self) -> bool:
        return self.status != "infeasible"


class System:
    """Rows compiled once over a fixed list of variables (the window's months)."""

    def __init__(self, variables: Sequence[str], constraints: Sequence[Constraint]):
        self.variables = tuple(variables)
        self.index = {name: i for i, name in enumerate(self.variables)}
        self.constraints = tuple(constraints)
        self.matrix, self.low, self.high = self._compile(self.constraints)

    def _compile(self, constraints: Sequence[Constraint]):
        data, cols, indptr = [], [], [0]
        for row in constraints:
            for month, coefficient in row.terms:
                cols.append(self.index[month])
                data.append(coefficient)
            indptr.append(len(cols))
        matrix = csr_array((np.array(data, dtype=np.int64), np.array(cols, dtype=np.int64),
                            np.array(indptr, dtype=np.int64)),
                           shape=(len(constraints), len(self.variables)))
        low = np.array([-np.inf if r.low is None else r.low for r in constraints], dtype=float)
        high = np.array([np.inf if r.high is None else r.high for r in constraints], dtype=float)
        return matrix, low, high

    def terms_vector(self, terms: Mapping[str, int]) -> np.ndarray:
        vector = np.zeros(len(self.variables), dtype=np.int64)
        for name, coefficient in terms.items():
            vector[self.index[name]] += coefficient
        return vector

    # -- solving --------------------------------------------------------------------------------

    def solve(self, rows: Sequence[int], objective: Mapping[str, int] | None = None, *,
              maximise: bool = False, extra: Sequence[Constraint] = ()) -> Outcome:
        """Optimise ``objective`` (or find any solution) over the selected rows plus ``extra``."""
        matrix, low, high, constraints = self._select(rows, extra)
        n = len(self.variables)
        cost = self.terms_vector(objective or {})
        sign = -1 if maximise else 1
        result = milp(c=(sign * cost).astype(float), integrality=np.ones(n),
                      bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
                      constraints=LinearConstraint(matrix.astype(float), low, high) if len(constraints) else None,
                      options=_OPTIONS)
        if result.status == 0:
            witness = self._checked(result.x, matrix, constraints)
            value = int(cost @ np.array(witness, dtype=np.int64)) if objective else None
            if objective and abs(sign * result.fun - value) > 0.5:
                raise SolverError(f"HiGHS reported optimum {sign * result.fun} but its solution gives {value}")
            return Outcome("optimal", value, witness)
        if result.status == 2:
            return Outcome("infeasible")
        if result.status in (3, 4) and objective:
            # "unbounded" or "infeasible or unbounded": decide it exactly.
            point = self.solve(rows, extra=extra)
            if not point.feasible:
                return point
            if self.ray(rows, objective, extra=extra, negate=not maximise) is not None:
                return Outcome("unbounded", None, point.witness)
        raise SolverError(f"HiGHS could not decide the program: {result.message}")

    def feasible(self, rows: Sequence[int], extra: Sequence[Constraint] = ()) -> bool:
        return self.solve(rows, extra=extra).feasible

    def ray(self, rows: Sequence[int], objective: Mapping[str, int], *, extra: Sequence[Constraint] = (),
            negate: bool = False) -> tuple[int, ...] | None:
        """An integer direction d >= 0 that keeps every selected row satisfied and raises the
        objective by at least 1 (lowers it, if ``negate``); None if there is none."""
        matrix, low, high, constraints = self._select(rows, extra)
        n = len(self.variables)
        cost = self.terms_vector(objective) * (-1 if negate else 1)
        # Recession cone: a.d >= 0 where the row has a low end, a.d <= 0 where it has a high end.
        cone_low = np.where(np.isfinite(low), 0.0, -np.inf)
        cone_high = np.where(np.isfinite(high), 0.0, np.inf)
        matrix_all = vstack([matrix, csr_array(cost.reshape(1, -1))]).astype(float)
        result = milp(c=np.zeros(n), integrality=np.ones(n), bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
                      constraints=LinearConstraint(matrix_all, np.append(cone_low, 1.0),
                                                   np.append(cone_high, np.inf)),
                      options=_OPTIONS)
        if result.status == 2:
            return None
        if result.status != 0:
            raise SolverError(f"HiGHS could not decide whether the program is bounded: {result.message}")
        direction = np.rint(result.x).astype(np.int64)
        values = (matrix @ direction).tolist()
        ok = (int(cost @ direction) >= 1 and all(d >= 0 for d in direction.tolist())
              and all((r.low is None or v >= 0) and (r.high is None or v <= 0)
                      for r, v in zip(constraints, values)))
        if not ok:
            raise SolverError("HiGHS returned a direction of unboundedness that fails the exact check")
        return tuple(direction.tolist())

    # -- helpers --------------------------------------------------------------------------------

    def _select(self, rows: Sequence[int], extra: Sequence[Constraint]):
        rows = list(rows)
        matrix = self.matrix[rows] if rows else csr_array((0, len(self.variables)), dtype=np.int64)
        low, high = self.low[rows], self.high[rows]
        constraints = [self.constraints[i] for i in rows]
        if extra:
            extra_matrix, extra_low, extra_high = self._compile(extra)
            matrix = vstack([matrix, extra_matrix]).tocsr()
            low, high = np.append(low, extra_low), np.append(high, extra_high)
            constraints += list(extra)
        return matrix, low, high, constraints

    def _checked(self, x: np.ndarray, matrix: csr_array, constraints: Sequence[Constraint]) -> tuple[int, ...]:
        """``x`` rounded to integers, after checking every row exactly; SolverError if one fails."""
        rounded = np.rint(x).astype(np.int64)
        if (rounded < 0).any():
            raise SolverError("HiGHS returned a negative count")
        largest = int(abs(matrix).sum(axis=1).max(initial=0)) * int(rounded.max(initial=0))
        if largest < _INT64_SAFE:
            values = (matrix @ rounded).tolist()
        else:  # too large for int64: Python integers
            point = dict(zip(self.variables, (int(v) for v in rounded)))
            values = [row.value(point) for row in constraints]
        for row, value in zip(constraints, values):
            if (row.low is not None and value < row.low) or (row.high is not None and value > row.high):
                raise SolverError(f"the solver's solution breaks claim '{row.claim}': {row} "
                                  f"has value {value}")
        return tuple(int(v) for v in rounded)


# -- minimal infeasible subsets -----------------------------------------------------------------

T = TypeVar("T")


def quickxplain(candidates: Sequence[T], infeasible: Callable[[Sequence[T]], bool]) -> list[T] | None:
    """A minimal subset S of ``candidates`` with ``infeasible(S)``; None if even all are feasible.

    ``infeasible`` must be monotone (a superset of an infeasible set is infeasible). Junker's
    QuickXplain: O(k log(n/k)) checks for a result of size k out of n. The result keeps the
    candidates' order and prefers early candidates.
    """
    items = list(candidates)

    def check(positions: Sequence[int]) -> bool:
        return infeasible([items[p] for p in positions])

    if not check(range(len(items))):
        return None
    if check([]):
        return []

    def explain(base: list[int], added: bool, rest: list[int]) -> list[int]:
        if added and check(base):
            return []
        if len(rest) == 1:
            return rest
        half = len(rest) // 2
        first, second = rest[:half], rest[half:]
        found_second = explain(base + first, True, second)
        found_first = explain(base + found_second, bool(found_second), first)
        return found_first + found_second

    return [items[p] for p in sorted(explain([], False, list(range(len(items)))))]


def minimal_infeasible_groups(system: System, groups: Sequence[Sequence[int]], candidates: Sequence[int],
                              background: Sequence[int] = (), extra: Sequence[Constraint] = ()) -> list[int] | None:
    """A minimal subset of the ``candidates`` groups (indices into ``groups``, each a list of
    rows) that cannot hold together with the ``background`` rows and ``extra`` constraints."""
    def infeasible(chosen: Sequence[int]) -> bool:
        rows = [*background, *(r for g in chosen for r in groups[g])]
        return not system.feasible(rows, extra)
    return quickxplain(list(candidates), infeasible)
