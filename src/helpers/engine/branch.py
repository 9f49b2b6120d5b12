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

# LPs one search may solve. Most proofs take a handful; a search that needs many is handed to
# HiGHS's integer program, which does the same far faster than a loop in Python.
# In the benchmark's 120 months and 1,000 claims, half the proofs took 5 LPs, nine in ten 90
# and 97 in 100 fewer than 200, while 146 searches gave up after 500 (a tenth of the run).
NODE_LIMIT = 200
# An LP costs about its rows: a search is also bounded by LPs times rows (one that gave up on
# 800 rows after 500 LPs cost two seconds).
ROW_SOLVES = 20_000
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
    sums, priority = _sums(problem, len(variables))
    index = {name: j for j, name in enumerate(variables)}
    # One LP kept in HiGHS; a node's splits are rows added on top (a depth-first search adds
    # and drops them at the end), each node's solve starting from the last basis.
    program = highs.Program(problem.matrix, problem.low, problem.high, shared="branch")
    base = program.rows()
    stack: list[list[Constraint]] = [[]]
    added: list[Constraint] = []
    leaves: list[tuple[list[Constraint], np.ndarray]] = []  # checked once the search is done:
    for _ in range(node_limit):                               # a point found on the way needs none
        if not stack:
            return _proven(leaves, rows)
        branching = stack.pop()
        shared = _shared(added, branching)
        program.drop_rows_from(base + shared)
        for split in branching[shared:]:
            program.add_row([index[m] for m, _ in split.terms], [a for _, a in split.terms], split.low, split.high)
        added = branching
        answer = program.feasible_point()
        here = [*problem.rows, *branching]
        if answer.status == Status.INFEASIBLE:
            if answer.ray is None:
                return None
            leaves.append((here, answer.ray))
            continue
        if answer.status != Status.OPTIMAL:
            return None
        if keep(answer.x, problem):  # (a point of the problem: the splits only narrow it)
            return False
        values = sums @ answer.x
        fraction = np.abs(values - np.rint(values))
        if fraction.max(initial=0) < _WHOLE:
            return None  # whole within HiGHS's tolerance, yet not a checked point: nothing to split
        k = int(np.argmax(np.where(fraction > _WHOLE, priority, -np.inf)))
        start, end = sums.indptr[k], sums.indptr[k + 1]
        terms = tuple((variables[j], int(a)) for j, a in zip(sums.indices[start:end], sums.data[start:end]))
        below = int(np.floor(values[k]))
        stack.append([*branching, Constraint("", terms, below + 1, None)])
        stack.append([*branching, Constraint("", terms, None, below)])
    return _proven(leaves, rows) if not stack else None


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
