"""Integer programs over whole-number monthly counts, solved by HiGHS and checked exactly.

``System`` compiles a model's constraints once, so that any subset of them (a claim set aside,
a bound added) is solved without rebuilding. HiGHS works in floating point; nothing it returns
is taken on trust where an exact check is possible:

* every solution is rounded to integers and checked row by row in integer arithmetic (a
  failure raises ``SolverError``); the optimum reported is the objective of that checked
  solution, so every range end is attained by a checked series;
* an optimum is proven by the LP relaxation (a checked point within one unit of the LP bound),
  or by the MIP solver, confirmed without presolve (no point is one unit better), or by what
  the bound rests on, proven exactly (bounds.py, prover.py);
* "unbounded" is certified by an integer ray ``d`` (checked exactly) along which every selected
  row stays satisfied: a feasible point plus any multiple of ``d`` is feasible again;
* "infeasible" is HiGHS's verdict (the LP's, or the MIP's with and then without presolve) on
  integer-scaled rows (core/linear.py): a violation is at least one whole unit. (The prover,
  prover.py, checks the verdicts that explanations rest on exactly.)

LP relaxations run through highspy (highs.py), integer programs through scipy's milp (whose
HiGHS, here, is faster on the whole window's integer programs than highspy's: 11.5 s against
13.0 s on 150 met at 120/1,000), on the solver thread (highs.watched: Ctrl-C does not wait for
them); both ask the run's budget (budget.py) first. ``local_extreme`` settles a month's bound
near it.
"""
from __future__ import annotations

import functools
import warnings
from types import SimpleNamespace
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from helpers.core.enums import SolverOutcome
from helpers.engine import budget, highs
from helpers.engine.budget import MIP_TIME_LIMIT
from helpers.engine.vertex import exact_vertex, whole, whole_multiple
from helpers.errors import SolverError
from helpers.core.linear import Constraint, projected

_OPTIONS = {"mip_rel_gap": 0.0, "presolve": True}
# HiGHS's feasibility-jump heuristic costs ~8 ms per small MIP here and finds nothing the root
# LP does not (measured: 10.4 -> 2.5 ms mean over a sample of the property tests' programs).
# scipy passes options it does not know to HiGHS verbatim, with a warning we silence.
_SPEED_OPTIONS = {"mip_heuristic_run_feasibility_jump": False}
_INT64_SAFE = 2 ** 62


class HighsStatus(IntEnum):
    """The ``status`` of ``scipy.optimize.milp``'s result (HiGHS's verdict, in floating point)."""

    OPTIMAL = 0        # an optimal solution was found
    LIMIT = 1          # the iteration or time limit was reached
    INFEASIBLE = 2     # the problem is infeasible
    UNBOUNDED = 3      # the problem is unbounded
    OTHER = 4          # anything else: see the result's message


class Problem(NamedTuple):
    """Selected rows as HiGHS takes them: ``low <= matrix @ x <= high``, one row per constraint."""

    matrix: csr_array           # integer coefficients, one row per constraint
    low: np.ndarray             # -inf where a row has no low end
    high: np.ndarray            # +inf where a row has no high end
    rows: list[Constraint]      # the constraints themselves, for exact checks and messages


@dataclass(frozen=True)
class Outcome:
    status: SolverOutcome
    value: int | None = None          # exact objective of the witness (None unless optimal)
    witness: tuple[int, ...] | None = None  # a checked integer solution (None if infeasible)
    confirmed: bool = True            # False: HiGHS's optimum, not yet proven (solve's confirm)

    @property
    def feasible(self) -> bool:
        return self.status != SolverOutcome.INFEASIBLE


class System:
    """Rows compiled once over a fixed list of variables (the window's months)."""

    def __init__(self, variables: Sequence[str], constraints: Sequence[Constraint]):
        self.variables = tuple(variables)
        self.index = {name: i for i, name in enumerate(self.variables)}
        self.constraints = tuple(constraints)
        self.matrix, self.low, self.high = self._compile(self.constraints)
        # The first and last variable each row touches (a row without terms touches all).
        self._first = [min((self.index[m] for m, _ in r.terms), default=0) for r in self.constraints]
        self._last = [max((self.index[m] for m, _ in r.terms), default=len(self.variables) - 1)
                      for r in self.constraints]
        self._programs = highs.Programs()  # the LPs of the latest sets of rows, kept in HiGHS

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
              maximise: bool = False, extra: Sequence[Constraint] = (),
              hints: Sequence[Sequence[int]] = (), confirm: bool = True) -> Outcome:
        """Optimise ``objective`` (or find any solution) over the selected rows plus ``extra``.

        The LP relaxation is tried first: it is an order of magnitude faster than HiGHS's MIP
        root, and it settles most questions here. LP infeasible means integer infeasible. An
        LP optimum that rounds to an integer point passing the exact check is the integer
        optimum as soon as its objective is less than one unit from the LP bound, because the
        objective takes whole values (so the LP bound needs no better accuracy than that).
        ``hints`` are integer points believed to satisfy the program (earlier witnesses): the
        best of them is checked exactly and settles the question in the same way. Everything
        else goes to the MIP solver, and what it says is confirmed (see _integer, _confirmed),
        unless ``confirm`` is false: then it is ``confirmed`` false, for the caller to prove.
        """
        problem = self._select(rows, extra)
        cost = self.terms_vector(objective or {})
        sign = -1 if maximise else 1
        if extra or not len(problem.rows):
            relaxed = self._highs(problem, sign * cost, integer=False)
        else:
            relaxed = _relaxed(self._programs.of(tuple(rows), problem.matrix, problem.low, problem.high)
                               .minimise(sign * cost), sign * cost)
        if relaxed.status == HighsStatus.INFEASIBLE:
            return Outcome(SolverOutcome.INFEASIBLE)

        def settled_by_lp(point: np.ndarray) -> bool:
            return not objective or (relaxed.status == HighsStatus.OPTIMAL
                                     and sign * int(cost @ point) < relaxed.fun + 1 - 1e-6)

        if relaxed.status == HighsStatus.OPTIMAL:
            point = np.rint(relaxed.x).astype(np.int64)
            if self._violation(point, problem) is None and settled_by_lp(point):
                return self._optimal(point, cost, objective)
            if len(hints):
                known = np.asarray(hints, dtype=np.int64)
                best = known[int(np.argmin(known @ (sign * cost)))]
                if settled_by_lp(best) and self._violation(best, problem) is None:
                    return self._optimal(best, cost, objective)
        elif relaxed.status in (HighsStatus.UNBOUNDED, HighsStatus.OTHER) and objective:
            # The LP is unbounded, so the integer program is unbounded or infeasible (rational
            # data); never hand HiGHS's branch and bound an unbounded program: decide it here.
            anywhere = self.solve(rows, extra=extra)
            if not anywhere.feasible:
                return anywhere
            if self.ray(rows, objective, extra=extra, negate=not maximise) is not None:
                return Outcome(SolverOutcome.UNBOUNDED, None, anywhere.witness)
            raise SolverError("the LP relaxation is unbounded but no integer ray was found")
        result = self._integer(problem, sign * cost)
        if result.status == HighsStatus.OPTIMAL:
            point = np.array(self._checked(result.x, problem), dtype=np.int64)
            if not settled_by_lp(point):
                if not confirm:
                    return self._optimal(point, cost, objective, confirmed=False)
                point = self._confirmed(problem, cost, sign, point)
            return self._optimal(point, cost, objective)
        if result.status == HighsStatus.INFEASIBLE:
            return Outcome(SolverOutcome.INFEASIBLE)
        raise SolverError(f"HiGHS could not decide the program: {result.message}")

    @staticmethod
    def _optimal(point: np.ndarray, cost: np.ndarray, objective, confirmed: bool = True) -> Outcome:
        return Outcome(SolverOutcome.OPTIMAL, int(cost @ point) if objective else None, tuple(point.tolist()), confirmed)

    def _integer(self, problem: Problem, cost: np.ndarray):
        """HiGHS's MIP answer; an "infeasible" is asked again without presolve, because HiGHS's
        MIP presolve has declared feasible programs infeasible (ERGO-Code/HiGHS#2388, #3090;
        the property tests met one here: a ratio and strict extremes over 12 months)."""
        result = self._highs(problem, cost, integer=True)
        # Also when out of time or on "Solve error" (met on programs one unit decides): the
        # other path may be quick, and a different simplex strategy last.
        if result.status in (HighsStatus.LIMIT, HighsStatus.INFEASIBLE, HighsStatus.OTHER):
            result = self._highs(problem, cost, integer=True, presolve=False)
        if result.status == HighsStatus.OTHER:
            result = self._highs(problem, cost, integer=True, presolve=False, strategy=4)
        if result.status == HighsStatus.LIMIT:
            raise SolverError(f"HiGHS did not decide an integer program within {MIP_TIME_LIMIT:g} s, "
                              f"with or without presolve ({len(problem.rows)} constraints)")
        return result

    def _confirmed(self, problem: Problem, cost: np.ndarray, sign: int, point: np.ndarray) -> np.ndarray:
        """The MIP's optimum, confirmed: no whole-number point does better by one unit (asked
        without presolve, for the reason in _integer). A better point found is checked and
        taken, and confirmed in turn."""
        terms = tuple((name, int(c)) for name, c in zip(self.variables, cost) if c)
        while True:
            value = int(cost @ point)
            better = Constraint("", terms, None, value - 1) if sign > 0 else Constraint("", terms, value + 1, None)
            stricter = self._extended(problem, [better])
            result = self._highs(stricter, np.zeros(len(self.variables)), integer=True, presolve=False)
            if result.status == HighsStatus.INFEASIBLE:
                return point
            if result.status == HighsStatus.LIMIT:
                result = self._integer(stricter, np.zeros(len(self.variables)))
            if result.status == HighsStatus.INFEASIBLE:
                return point
            if result.status != HighsStatus.OPTIMAL:
                raise SolverError(f"HiGHS could not confirm an optimum: {result.message}")
            point = np.array(self._checked(result.x, stricter), dtype=np.int64)

    def feasible(self, rows: Sequence[int], extra: Sequence[Constraint] = ()) -> bool:
        return self.solve(rows, extra=extra).feasible

    def local_bound(self, rows: Sequence[int], variable: str, *, maximise: bool, radius: int,
                    known: Mapping[str, tuple[int, int | None]] | None = None) -> int | None:
        """A bound on the least (greatest) value of one variable over the selected rows: the
        optimum of the rows touching the variables within ``radius`` positions of it, with every
        variable outside replaced by a range it is known to lie in (``known``: ranges valid for
        the selected rows; else 0 and no upper end). That is a relaxation, so the bound is exact
        in the safe direction. None: no bound there (unbounded on the neighbourhood)."""
        inside, touching, outside = self._neighbourhood(rows, variable, radius)
        implied_rows = [row for row in (projected(r, outside, known or {}) for r in touching) if row is not None]
        relaxed = System(inside, implied_rows).solve(range(len(implied_rows)), {variable: 1}, maximise=maximise)
        return relaxed.value if relaxed.status == SolverOutcome.OPTIMAL else None

    def local_extreme(self, rows: Sequence[int], variable: str, *, maximise: bool, anchor: Sequence[int],
                      radius: int, known: Mapping[str, tuple[int, int | None]] | None = None) -> Outcome | None:
        """The least (greatest) value of one variable over the selected rows, settled on the
        variables within ``radius`` positions of it; None when that neighbourhood cannot settle it.

        Two exact facts have to meet: the bound b of ``local_bound``, and the value u attained by
        a solution that keeps every variable outside as in ``anchor`` (a checked solution of the
        selected rows) and re-optimises the ones inside, which is a solution of all the rows. If
        u == b, both are the answer, with a checked witness. Claims are local in time, so this
        keeps each question small however long the window (the caller widens the radius, then
        asks the whole).
        """
        bound = self.local_bound(rows, variable, maximise=maximise, radius=radius, known=known)
        if bound is None:
            return None
        inside, touching, outside = self._neighbourhood(rows, variable, radius)
        pinned_at = {name: (int(anchor[self.index[name]]),) * 2 for name in outside}
        pinned = [row for row in (projected(r, outside, pinned_at, keep_empty=True) for r in touching)
                  if row is not None]
        start = self.index[inside[0]]
        inner = System(inside, pinned).solve(range(len(pinned)), {variable: 1}, maximise=maximise,
                                             hints=[list(anchor[start:start + len(inside)])])
        if inner.status != SolverOutcome.OPTIMAL or inner.value != bound:
            return None
        point = np.array(anchor, dtype=np.int64)
        point[start:start + len(inside)] = inner.witness
        witness = self._checked(point, self._select(rows, ()))
        return Outcome(SolverOutcome.OPTIMAL, inner.value, witness)

    def _neighbourhood(self, rows: Sequence[int], variable: str, radius: int):
        """The variables within ``radius`` of ``variable``, the selected rows touching them, and
        the names of the variables outside."""
        centre = self.index[variable]
        low_end, high_end = max(0, centre - radius), min(len(self.variables) - 1, centre + radius)
        inside = self.variables[low_end:high_end + 1]
        touching = [self.constraints[r] for r in rows if self._first[r] <= high_end and self._last[r] >= low_end]
        return inside, touching, set(self.variables[:low_end]) | set(self.variables[high_end + 1:])

    def ray(self, rows: Sequence[int], objective: Mapping[str, int], *, extra: Sequence[Constraint] = (),
            negate: bool = False) -> tuple[int, ...] | None:
        """An integer direction d >= 0 that keeps every selected row satisfied and raises the
        objective by at least 1 (lowers it, if ``negate``); None if there is none."""
        matrix, low, high, constraints = self._select(rows, extra)
        cost = self.terms_vector(objective) * (-1 if negate else 1)
        # Recession cone: a.d >= 0 where the row has a low end, a.d <= 0 where it has a high end.
        cone_rows = [Constraint(r.claim, r.terms, None if r.low is None else 0, None if r.high is None else 0)
                     for r in constraints]
        cone = Problem(vstack([matrix, csr_array(cost.reshape(1, -1))]).tocsr(),
                       np.append(np.where(np.isfinite(low), 0.0, -np.inf), 1.0),
                       np.append(np.where(np.isfinite(high), 0.0, np.inf), np.inf),
                       [*cone_rows, Constraint("", tuple(zip(self.variables, cost.tolist())), 1, None)])
        relaxed = self._highs(cone, np.zeros(len(self.variables)), integer=False)
        if relaxed.status == HighsStatus.INFEASIBLE:  # no rational ray, hence no integer one
            return None
        if relaxed.status == HighsStatus.OPTIMAL:
            # The cone is homogeneous: any positive multiple of a ray is a ray. Scale the LP's
            # rational vertex to whole numbers and keep it if it passes the exact check.
            direction = whole_multiple(relaxed.x)
            if direction is None or self._violation(direction, cone) is not None:
                # Large denominators: solve the vertex's tight rows exactly instead (an integer
                # program over the cone has hung HiGHS beyond its time limit).
                direction = whole(exact_vertex(cone.matrix, cone.low, cone.high, relaxed.x))
            if direction is not None and self._violation(direction, cone) is None:
                return tuple(direction.tolist())
        result = self._highs(cone, np.zeros(len(self.variables)), integer=True)
        if result.status == HighsStatus.INFEASIBLE:
            return None
        if result.status != HighsStatus.OPTIMAL:
            raise SolverError(f"HiGHS could not decide whether the program is bounded: {result.message}")
        return self._checked(result.x, cone)

    # -- helpers --------------------------------------------------------------------------------

    def _highs(self, problem: Problem, cost: np.ndarray, *, integer: bool, presolve: bool = True,
               strategy: int | None = None):
        matrix, low, high, constraints = problem
        if not integer and strategy is None:
            return _relaxed(highs.solve(matrix, low, high, cost), cost)
        n = len(self.variables)
        arguments = dict(c=cost.astype(float), integrality=np.ones(n) if integer else np.zeros(n),
                         bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
                         constraints=LinearConstraint(matrix.astype(float), low, high) if len(constraints) else None)
        options = {**_OPTIONS, "presolve": presolve}
        run = budget.active()  # every solve passes here: the one place the run's budget is kept
        run.check()
        if strategy is not None:  # HiGHS's simplex_strategy (4: primal), for a retry
            options["simplex_strategy"] = strategy
        if integer:
            options["time_limit"] = run.time_limit()
            if _speed_options_accepted():
                options.update(_SPEED_OPTIONS)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
            result = highs.watched(lambda: milp(**arguments, options=options))
        if result.status == HighsStatus.LIMIT and integer:
            run.stopped_at(options["time_limit"])
        return result

    def _select(self, rows: Sequence[int], extra: Sequence[Constraint]) -> Problem:
        rows = list(rows)
        matrix = self.matrix[rows] if rows else csr_array((0, len(self.variables)), dtype=np.int64)
        selected = Problem(matrix, self.low[rows], self.high[rows], [self.constraints[i] for i in rows])
        return self._extended(selected, extra) if extra else selected

    def _extended(self, problem: Problem, extra: Sequence[Constraint]) -> Problem:
        matrix, low, high, constraints = problem
        extra_matrix, extra_low, extra_high = self._compile(extra)
        return Problem(vstack([matrix, extra_matrix]).tocsr(), np.append(low, extra_low),
                       np.append(high, extra_high), [*constraints, *extra])

    def _violation(self, point: np.ndarray, problem: Problem) -> Constraint | None:
        """The first row the integer point breaks, decided in integer arithmetic; None if none."""
        matrix, _, _, constraints = problem
        if (point < 0).any():
            return Constraint("", (), 0, None)
        # (every coefficient's size, not each row's: a bound as safe, without a sparse copy)
        largest = float(np.abs(matrix.data).sum(dtype=float)) * float(np.abs(point).max(initial=0))
        if largest < _INT64_SAFE:
            values = (matrix @ point).tolist()
        else:  # too large for int64: Python integers
            counts = dict(zip(self.variables, (int(v) for v in point)))
            values = [row.value(counts) for row in constraints]
        for row, value in zip(constraints, values):
            if (row.low is not None and value < row.low) or (row.high is not None and value > row.high):
                return row
        return None

    def _checked(self, x: np.ndarray, problem: Problem) -> tuple[int, ...]:
        """``x`` rounded to integers, after checking every row exactly; SolverError if one fails."""
        rounded = np.rint(x).astype(np.int64)
        broken = self._violation(rounded, problem)
        if broken is not None:
            raise SolverError(f"the solver's solution breaks claim '{broken.claim}': {broken}")
        return tuple(int(v) for v in rounded)


def _relaxed(answer: highs.Answer, cost: np.ndarray) -> SimpleNamespace:
    """An LP solved through highspy (faster than ``milp``'s new instance a call), as ``milp`` answers."""
    fun = float(cost @ answer.x) if answer.x is not None else None
    return SimpleNamespace(status=HighsStatus[answer.status.name], x=answer.x, fun=fun, message=answer.status.value)


@functools.cache
def _speed_options_accepted() -> bool:
    """Whether this scipy's HiGHS knows the options in _SPEED_OPTIONS (asked once)."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
            milp(c=np.zeros(1), integrality=np.ones(1), options={**_OPTIONS, **_SPEED_OPTIONS})
        return True
    except (AttributeError, KeyError, TypeError, ValueError):
        return False
