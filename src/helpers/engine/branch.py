"""Where only integrality rules something out: a small branch and bound, every leaf checked exactly.

When the LP relaxation of "these claims and these extra rows" has points but none of them whole,
no single Farkas certificate proves that there is no whole-number point. Branching does: take a
sum of counts ``s`` whose LP value ``v`` is fractional and split into ``s <= floor(v)`` and
``s >= floor(v) + 1`` (every whole-number point lies in one part, since a sum of whole counts is
whole), until every part's LP is infeasible with a Farkas certificate that passes the exact check
(exact.py). The parts cover every whole-number point, so the claims of the leaves' certificates
together rule the extra rows out, by a proof checked in integer arithmetic; and they name the
claims that do it.

The sums split are those the rows speak of: the months that share a coefficient in a row (a
share's part and its whole, a period's total), the shortest first, single counts last.
Splitting single counts alone cannot settle "a total of whole months lies strictly between two
whole numbers" in few steps; splitting that total does in one. (On proofs met in the benchmark's
claims, shortest-first took 2,800 LPs where most-fractional-first took 22,000.)

At each node the halves of the first ``STRONG`` candidate splits are tried (strong branching),
and the split with the most halves infeasible at once is taken: a half found infeasible is a
leaf already, and a split whose halves both are ends the node. Where several claims only
together, through integrality, rule a bound out (a share of one period, totals of others), the
first candidate often leaves both halves open, level after level: of 60 such searches in the
benchmark's 120 months, none ended within 2,000 LPs splitting the first candidate alone, and
46 ended within 400 LPs with strong branching.

On the way, an LP point that rounds to a checked whole-number point shows that nothing is ruled
out. The search is bounded (``NODE_LIMIT`` LPs, fewer for big programs: ``ROW_SOLVES``); beyond
it the caller asks HiGHS's integer program instead.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_array

from helpers.core.linear import Constraint
from helpers.engine import highs
from helpers.engine.exact import certified_infeasible
from helpers.engine.highs import Status
from helpers.engine.system import Problem

# LPs one search may solve, strong branching's included. Past it the caller asks HiGHS's
# integer program, then again without presolve (a tenth of a second or more at 120 months):
# with these limits 429 of 440 searches in the benchmark's 120 months and 1,000 claims end
# with a proof or a point, and the whole reconstruction takes 118 s of processor time instead
# of 177 s (the first candidate alone, 200 LPs: 411 of 640).
NODE_LIMIT = 800
# An LP costs about its rows: a search is also bounded by LPs times rows (one that gave up on
# 800 rows after 500 LPs cost two seconds).
ROW_SOLVES = 80_000
STRONG = 8  # candidate splits whose halves a node tries (strong branching; 16 took longer)
_WHOLE = 1e-6  # an LP value this close to a whole number is not split on


def branch(problem: Problem, rows: int, keep: Callable[[np.ndarray, Problem], bool],
           variables: Sequence[str], node_limit: int | None = None) -> set[int] | bool | None:
    """Search the whole-number points of ``problem``; its first ``rows`` rows are those a proof
    may name, the rest the question's own (e.g. "total at most L - 1"). Returns the positions
    among the first ``rows`` that the leaves' checked certificates use (there is no whole-number
    point); False when a whole-number point was found (``keep`` checks it exactly and keeps it);
    None when the search would take more than ``node_limit`` LPs (default: NODE_LIMIT, or
    ROW_SOLVES over the rows if fewer) or HiGHS gives no usable answer."""
    if not len(problem.rows):
        return None
    if node_limit is None:
        node_limit = max(1, min(NODE_LIMIT, ROW_SOLVES // len(problem.rows)))
    search = _Search(problem, variables, node_limit)
    stack: list[tuple[list[Constraint], highs.Answer | None]] = [([], None)]  # (splits, LP if solved)
    leaves: list[tuple[list[Constraint], np.ndarray]] = []  # checked once the search is done:
    while stack:                                              # a point found on the way needs none
        branching, answer = stack.pop()
        answer = answer or search.solve(branching)
        if answer is None:
            return None
        if answer.status == Status.INFEASIBLE:
            leaves.append(([*problem.rows, *branching], answer.ray))
            continue
        if keep(answer.x, problem):  # (a point of the problem: the splits only narrow it)
            return False
        candidates, values = search.fractional(answer.x)
        if not len(candidates):
            return None  # whole within HiGHS's tolerance, yet not a checked point: nothing to split
        # Strong branching: of the first STRONG candidates, the split with the most halves
        # infeasible at once (both: the first such; none: the first candidate).
        chosen: tuple[list, list] | None = None
        for k in candidates[:STRONG]:
            ended, open_ = [], []
            for half in search.halves(k, values[k]):
                child = [*branching, half]
                tried = search.solve(child)
                if tried is None:
                    return None
                if tried.status == Status.INFEASIBLE:
                    ended.append((child, tried.ray))
                elif keep(tried.x, problem):
                    return False
                else:
                    open_.append((child, tried))
            if chosen is None or len(ended) > len(chosen[0]):
                chosen = (ended, open_)
            if not open_:
                break
        ended, open_ = chosen
        leaves += [([*problem.rows, *child], ray) for child, ray in ended]
        stack += reversed(open_)  # (the lower half first, as before)
    return _proven(leaves, rows)


class _Search:
    """One LP kept in HiGHS; a node's splits are rows added on top (a depth-first search adds
    and drops them at the end), each solve starting from the last basis."""

    def __init__(self, problem: Problem, variables: Sequence[str], limit: int):
        self.sums, self.priority = _sums(problem, len(variables))
        self.variables = variables
        self.index = {name: j for j, name in enumerate(variables)}
        self.program = highs.Program(problem.matrix, problem.low, problem.high, shared="branch")
        self.base = self.program.rows()
        self.added: list[Constraint] = []
        self.left = limit

    def solve(self, splits: list[Constraint]) -> highs.Answer | None:
        """The LP with these splits: optimal or infeasible with a ray; None past the limit or on
        any other answer."""
        if self.left <= 0:
            return None
        self.left -= 1
        shared = _shared(self.added, splits)
        self.program.drop_rows_from(self.base + shared)
        for split in splits[shared:]:
            self.program.add_row(split, self.index)
        self.added = splits
        answer = self.program.feasible_point()
        if answer.status == Status.OPTIMAL or (answer.status == Status.INFEASIBLE and answer.ray is not None):
            return answer
        return None

    def fractional(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The sums worth splitting at ``x`` (fractional ones), in order of priority, and the
        value of every sum there."""
        values = self.sums @ x
        found = np.flatnonzero(np.abs(values - np.rint(values)) > _WHOLE)
        return found[np.argsort(-self.priority[found], kind="stable")], values

    def halves(self, k: int, value: float) -> tuple[Constraint, Constraint]:
        """Sum ``k`` at most the floor of its ``value``, and at least one more."""
        start, end = self.sums.indptr[k], self.sums.indptr[k + 1]
        terms = tuple((self.variables[j], int(a)) for j, a in zip(self.sums.indices[start:end], self.sums.data[start:end]))
        below = int(np.floor(value))
        return Constraint("", terms, None, below), Constraint("", terms, below + 1, None)


def _proven(leaves: list[tuple[list[Constraint], np.ndarray]], rows: int) -> set[int] | None:
    """The positions among the first ``rows`` that the leaves' certificates use, each checked
    exactly; None if one fails its check."""
    used: set[int] = set()
    for here, ray in leaves:
        found = certified_infeasible(here, ray)
        if found is None:
            return None
        used.update(p for p in found if p < rows)
    return used


def _shared(added: list[Constraint], wanted: list[Constraint]) -> int:
    """How many splits at the start of ``wanted`` are already in the program."""
    count = 0
    for a, b in zip(added, wanted):
        if a is not b:
            break
        count += 1
    return count


def _sums(problem: Problem, columns: int) -> tuple[csr_array, np.ndarray]:
    """The whole-valued sums of counts worth splitting on, one per row of a matrix of whole
    numbers, and each one's priority: the terms of each row whose coefficients have a common
    divisor, divided by it (a row "2A - 2B = 1" is settled by one split of A - B), then the parts of rows whose months
    share a coefficient, then single counts; among the parts, the shortest first."""
    matrix = problem.matrix
    found: dict[tuple[tuple[int, int], ...], float] = {}
    for i in range(matrix.shape[0]):
        columns_i = matrix.indices[matrix.indptr[i]:matrix.indptr[i + 1]].tolist()
        data_i = matrix.data[matrix.indptr[i]:matrix.indptr[i + 1]].astype(np.int64).tolist()
        if not data_i:
            continue
        divisor = math.gcd(*data_i)
        if divisor > 1:
            found.setdefault(tuple(zip(columns_i, (a // divisor for a in data_i))), 2.0)
        for c in set(data_i):
            part = tuple((j, 1) for j, a in zip(columns_i, data_i) if a == c)
            found.setdefault(part, 1.0 - len(part) / (columns + 1))
    for j in np.unique(matrix.indices).tolist():
        found.setdefault(((j, 1),), 0.0)
    sums = list(found)
    indptr = np.cumsum([0, *(len(p) for p in sums)])
    indices = np.array([j for p in sums for j, _ in p], dtype=np.int64)
    data = np.array([a for p in sums for _, a in p], dtype=float)
    return csr_array((data, indices, indptr), shape=(len(sums), columns)), np.array(list(found.values()))
