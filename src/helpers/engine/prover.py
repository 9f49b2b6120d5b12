"""Do these claims rule this out? Exact answers from certificates, and minimal sets of claims.

What a bound rests on and whether a claim is implied both ask many times whether a set of
claims (groups of rows of a ``System``) rules out something: ``extra`` rows such as "the total
is at most L - 1". ``Prover.rules_out`` answers, exactly:

* no, when a whole-number point satisfies the claims and the extra rows: a point already met
  (every point any question found is kept, and serves every later question it satisfies), the
  LP's point rounded, or the integer program's; each checked row by row in integers;
* yes, with the claims that prove it, when the LP relaxation is infeasible and its Farkas ray
  passes the exact check (exact.py): the claims with a non-zero multiplier rule it out alone;
* yes, with the claims that prove it, when only integrality decides: HiGHS's integer program
  finds no point, and a branch and bound whose every leaf is an exactly checked certificate
  (branch.py) proves that there is none;
* yes, without naming claims, when that search gives up: HiGHS's integer verdict, asked with and
  then without presolve (its MIP presolve has called feasible programs infeasible: system.py);
  the scipy path of system.py decides what HiGHS leaves undecided.

``Prover.minimal`` makes a set that rules something out minimal. With a certificate it is a
deletion filter over the claims the certificate names: each, the latest in the data set first,
is set aside when the others still rule it out (taking the claims of their own certificate);
a claim is kept only on a checked point that satisfies the others and not it, so every claim
kept is needed. Where integrality decides, QuickXplain (subsets.py) searches with the same test.
Most such points come without an integer program (points.py): the point of an LP kept deep
inside the rows (points.centred), rounded month by month or along the months and moved a
unit or two, or a unit beyond a point that attains the bound.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_array, hstack, identity, vstack

from helpers.core.linear import Constraint
from helpers.engine import highs
from helpers.engine.branch import branch
from helpers.engine.exact import certified_infeasible
from helpers.engine.highs import Status
from helpers.engine.points import Points, beside, centred, repaired, rounded_along
from helpers.engine.subsets import quickxplain
from helpers.engine.system import Problem, System
from helpers.errors import SolverError

Decision = tuple[bool, "tuple[int, ...] | None"]   # (rules it out, the claims a certificate names)
_GROW_LIMIT = 80     # claims: a set grown past this is given up for QuickXplain
_KEPT_FROM = 400     # rows: an LP this big is first asked of a kept program (_relaxation_holds)


class _Beyond(Exception):
    """A set grown to rule out some rows met a checked point of every candidate and the rows."""


class Prover:
    def __init__(self, system: System, rows_of: Sequence[Sequence[int]]):
        self.system = system
        self.rows_of = rows_of
        self.group_of_row = np.zeros(len(system.constraints), dtype=np.int64)
        for g, rows in enumerate(rows_of):
            self.group_of_row[list(rows)] = g
        self.points = Points(system, self.group_of_row, len(rows_of))  # checked points met
        self._decided: dict[tuple, Decision] = {}
        self._certified: dict[tuple, tuple[int, ...] | None] = {}
        self._programs = highs.Programs(most=2)  # the LPs of the biggest sets asked about
        self.stats: Counter = Counter()            # questions, solves, fallbacks: for benchmarks

    def rows(self, groups: Sequence[int]) -> list[int]:
        return [r for g in groups for r in self.rows_of[g]]

    # -- one question ---------------------------------------------------------------------------

    def rules_out(self, groups: Sequence[int], extra: Sequence[Constraint] = (),
                  decide: Callable[[list[int], list[Constraint]], Decision] | None = None) -> Decision:
        """Whether the claims ``groups`` together with the ``extra`` rows have no whole-number
        point, and which of the groups a certificate names (None if integrality decided).
        ``decide``: how a question no point met answers is decided (default ``_decide``)."""
        key = (tuple(groups), tuple(extra))
        if key not in self._decided:
            self.stats["questions"] += 1
            if self.met(groups, extra):
                self._decided[key] = (False, None)
            else:
                self._decided[key] = (decide or self._decide)(list(groups), list(extra))
        return self._decided[key]

    def certificate(self, groups: Sequence[int], extra: Sequence[Constraint], often: bool = False) -> tuple[int, ...] | None:
        """The groups a checked Farkas certificate of the LP relaxation names as ruling out the
        ``extra`` rows; None if the LP proves nothing (no integer program is solved): also when
        a point already met satisfies them, without a solve. ``often``: these groups are asked
        about again and again (see _relaxation_holds)."""
        key = (tuple(groups), tuple(extra))
        if key not in self._certified:
            rows = self.rows(groups)
            holds = self.met(groups, extra) or (often and self._relaxation_holds(groups, rows, extra))
            self._certified[key] = None if holds else self._certificate(rows, self._problem(rows, list(extra)))[0]
        return self._certified[key]

    def _relaxation_holds(self, groups: Sequence[int], rows: list[int], extra: Sequence[Constraint]) -> bool:
        """For many rows of groups asked about again and again (every claim of a component,
        bound after bound): whether the LP of the groups and the extra rows has a point, asked
        of the groups' LP kept in HiGHS with the extra rows added, from its last basis. Only a
        point is taken from it: a certificate is always sought from nothing (see _Leaving)."""
        if len(rows) < _KEPT_FROM:
            return False
        base = self._problem(rows, [])
        program = self._programs.of(tuple(groups), base.matrix, base.low, base.high)
        first = program.rows()
        for row in extra:
            program.add_row(row, self.system.index)
        answer = program.feasible_point()
        program.drop_rows_from(first)
        return answer.status == Status.OPTIMAL

    def _certificate(self, rows: list[int], problem: Problem):
        self.stats["solves"] += 1
        answer = highs.solve(problem.matrix, problem.low, problem.high)
        if answer.status == Status.INFEASIBLE and answer.ray is not None:
            found = certified_infeasible(problem.rows, answer.ray)
            if found is not None:
                return tuple(sorted({int(self.group_of_row[rows[p]]) for p in found if p < len(rows)})), answer
        return None, answer

    def _decide(self, groups: list[int], extra: list[Constraint], relaxation_holds: bool = False,
                problem: Problem | None = None) -> Decision:
        """``relaxation_holds``: the LP relaxation is known to have a point, none of them whole
        found yet: straight to the integer program. ``problem``: the groups' rows and the extra
        rows, if the caller has them already (``_problem``)."""
        rows = self.rows(groups)
        problem = problem or self._problem(rows, extra)
        if relaxation_holds:
            answer = highs.Answer(Status.OPTIMAL)
        else:
            named, answer = self._certificate(rows, problem)
            if named is not None:
                return True, named
            if answer.status == Status.OPTIMAL and self._repaired(answer.x, problem):
                return False, None
        self.stats["integer"] += 1
        result = highs.solve(problem.matrix, problem.low, problem.high, integer=True)
        if result.status == Status.OPTIMAL:
            return self._met_by(result, problem)
        # HiGHS finds no whole-number point: a checked branching proof, which names the claims.
        if answer.status == Status.OPTIMAL:
            branched = self._branched(rows, extra)
            if branched is not None:
                return branched
        # No proof within the search's limit: HiGHS's verdict, asked again without presolve.
        for options in ({"presolve": False}, {"presolve": False, "simplex_strategy": 4}):
            result = highs.solve(problem.matrix, problem.low, problem.high, integer=True, **options)
            if result.status == Status.OPTIMAL:
                return self._met_by(result, problem)
            if result.status == Status.INFEASIBLE:
                return True, None
        # HiGHS left it undecided: the scipy path (with its own retries) decides.
        outcome = self.system.solve(rows, extra=extra)
        if outcome.feasible:
            self.points.remember(np.array(outcome.witness, dtype=np.int64))
        return not outcome.feasible, None

    def _met_by(self, result: highs.Answer, problem: Problem) -> Decision:
        """HiGHS's integer point, checked exactly (and kept): nothing is ruled out."""
        if not self._keep(result.x, problem):
            raise SolverError("HiGHS's solution breaks the claims it was asked to satisfy")
        return False, None

    def _branched(self, rows: list[int], extra: list[Constraint]) -> Decision | None:
        self.stats["branch"] += 1
        proof = branch(self._problem(rows, extra), len(rows), self._keep, self.system.variables)
        if proof is None:
            return None
        if proof is False:
            return False, None
        self.stats["branched"] += 1
        return True, tuple(sorted({int(self.group_of_row[rows[p]]) for p in proof}))

    def _problem(self, rows: list[int], extra: list[Constraint]) -> Problem:
        """The rows and the extra rows as one program (gathered from the system's compiled rows:
        scipy's row indexing costs more than the small solves it feeds)."""
        matrix = self.system.matrix
        picked = np.asarray(rows, dtype=np.int64)
        starts, lengths = matrix.indptr[picked], matrix.indptr[picked + 1] - matrix.indptr[picked]
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        taken = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
        index = self.system.index
        columns = [matrix.indices[taken], *(np.array([index[m] for m, _ in r.terms], dtype=np.int64) for r in extra)]
        data = [matrix.data[taken], *(np.array([c for _, c in r.terms], dtype=np.int64) for r in extra)]
        indptr = np.concatenate((offsets, offsets[-1] + np.cumsum([len(r.terms) for r in extra], dtype=np.int64)))
        gathered = csr_array((np.concatenate(data), np.concatenate(columns), indptr),
                             shape=(len(rows) + len(extra), len(self.system.variables)))
        low = np.concatenate((self.system.low[picked], [-np.inf if r.low is None else r.low for r in extra]))
        high = np.concatenate((self.system.high[picked], [np.inf if r.high is None else r.high for r in extra]))
        return Problem(gathered, low, high, [*(self.system.constraints[r] for r in rows), *extra])

    # -- points met -----------------------------------------------------------------------------

    def met(self, groups: Sequence[int], extra: Sequence[Constraint]) -> bool:
        """Whether a point already met satisfies the groups and the extra rows (checked exactly)."""
        if self.points.met(groups, extra):
            self.stats["met"] += 1
            return True
        return False

    def _keep(self, x: np.ndarray | None, problem: Problem) -> bool:
        """Whether ``x`` rounds to a whole-number point of the problem (checked exactly); if so
        it is kept for later questions."""
        if x is None or not np.isfinite(x).all() or np.abs(x).max(initial=0) >= 2.0 ** 62:
            return False
        point = np.rint(x).astype(np.int64)
        if self.system._violation(point, problem) is not None:
            return False
        self.points.remember(point)
        return True

    def _repaired(self, x: np.ndarray, problem: Problem) -> bool:
        """Whether ``x`` rounded month by month or along the months (points.rounded_along), or a
        few units from there (points.repaired), is a whole-number point of the problem (checked
        exactly, and kept)."""
        if self._keep(x, problem):
            return True
        along = rounded_along(x)
        if along is not None and self._keep(along, problem):
            self.stats["along"] += 1
            return True
        for start in (x, along):
            found = None if start is None else repaired(start, problem)
            if found is not None and self._keep(found, problem):
                self.stats["repaired"] += 1
                return True
        return False

    def _hint(self, groups: Sequence[int], extra: Sequence[Constraint]) -> tuple[int, ...] | None:
        """Where only integrality rules out the one-sided ``extra`` rows: the claims of a checked
        LP certificate ruling out those rows moved outwards by 1, 2, 4, ... units (a weaker
        bound; most often the same claims prove the whole-number one). None if none is found."""
        if any((row.low is None) == (row.high is None) for row in extra):
            return None
        rows = self.rows(groups)
        for step in (2 ** k for k in range(40)):
            moved = [Constraint(r.claim, r.terms, None if r.low is None else r.low + step,
                                None if r.high is None else r.high - step) for r in extra]
            if self._relaxation_holds(groups, rows, moved):
                continue
            named, answer = self._certificate(rows, self._problem(rows, moved))
            if named is not None or answer.status != Status.OPTIMAL:
                return named
        return None

    def _grow(self, seed: Sequence[int], candidates: Sequence[int], extra: Sequence[Constraint],
              anchor: np.ndarray) -> list[int] | None:
        """A set of candidates that rules out the ``extra`` rows, grown from ``seed``: while it
        does not, the point of the set and the rows nearest to ``anchor`` (a solution of every
        candidate) breaks some candidates, and they join. None past _GROW_LIMIT claims."""
        chosen = set(seed)
        while len(chosen) <= _GROW_LIMIT:
            if self.rules_out(sorted(chosen), extra)[0]:
                return sorted(chosen)
            point = self._nearest(sorted(chosen), list(extra), anchor)
            values = self.points.values(point) if point is not None else None
            if values is None:
                return None
            broken = set(self.points.broken_groups(values).tolist()) & set(candidates)
            if not broken - chosen:
                raise _Beyond
            chosen |= broken
        return None

    def _nearest(self, groups: list[int], extra: list[Constraint], anchor: np.ndarray) -> np.ndarray | None:
        """The whole-number point of the groups and the extra rows fewest units from ``anchor``
        (checked exactly); None if HiGHS finds none."""
        rows = self.rows(groups)
        problem = self._problem(rows, extra)
        n = len(self.system.variables)
        eye = identity(n, format="csr", dtype=np.int64)
        # Counts x and distances t >= |x - anchor|: the rows, then x - t <= anchor <= x + t.
        matrix = vstack([hstack([problem.matrix, csr_array((problem.matrix.shape[0], n), dtype=np.int64)]),
                         hstack([eye, -eye]), hstack([eye, eye])]).tocsr()
        near = anchor.astype(float)
        low = np.concatenate([problem.low, np.full(n, -np.inf), near])
        high = np.concatenate([problem.high, near, np.full(n, np.inf)])
        self.stats["solves"] += 1
        answer = highs.solve(matrix, low, high, np.concatenate([np.zeros(n), np.ones(n)]),
                             integer=np.concatenate([np.ones(n, dtype=bool), np.zeros(n, dtype=bool)]), few_cuts=True)
        if answer.status != Status.OPTIMAL or not self._keep(answer.x[:n], problem):
            return None
        return np.rint(answer.x[:n]).astype(np.int64)

    # -- minimal sets ---------------------------------------------------------------------------

    def minimal(self, candidates: Sequence[int], extra: Sequence[Constraint] = (), *,
                anchor: np.ndarray | None = None, known: bool = False,
                attaining: Sequence[np.ndarray] = ()) -> list[int] | None:
        """A minimal subset of the candidate groups that rules out the ``extra`` rows; None if
        even all of them do not (see the module's docstring). ``known``: the candidates are
        known to rule it out (a bound proven from them); else that is proven here too. Where integrality decides, the set
        is grown from the claims of a weaker bound's certificate by the claims that the points
        nearest ``anchor`` (a solution of every candidate) break."""
        named = self.certificate(candidates, extra, often=True)
        if named is None:  # integrality decides: grow from the claims of a weaker bound
            hint = self._hint(candidates, extra) or ()
            self.stats["integrality"] += 1
            self.stats["hint"] += len(hint)
            try:
                grown = self._grow(hint, candidates, extra, anchor) if anchor is not None else None
            except _Beyond:  # a checked point of every candidate and the extra rows
                if known:
                    raise SolverError("a point beyond a bound satisfies every claim it rests on") from None
                return None
            self.stats["grown"] += len(grown or ())
            if grown is not None:
                named = self.rules_out(grown, extra)[1] or tuple(grown)
            if named is None:
                if not known and not self.rules_out(candidates, extra)[0]:
                    return None
                self.stats["fallbacks"] += 1
                return quickxplain(list(candidates), lambda chosen: self.rules_out(chosen, extra)[0],
                                   known_infeasible=True)
        kept = list(named)
        self.stats["filtered"] += len(named)
        self._seed(kept, list(extra), attaining)
        warm = _Leaving(self, kept, list(extra))
        for member in reversed(list(named)):
            if member not in kept:
                continue
            rest = [g for g in kept if g != member]
            rules, found = warm.rules_out(member, rest)
            if rules:
                kept = list(found) if found is not None else rest
                warm.drop([g for g in warm.groups if g not in kept])
        self.stats["kept"] += len(kept)
        return kept

    def _seed(self, groups: list[int], extra: list[Constraint], attaining: Sequence[np.ndarray]) -> None:
        """Points for the deletion filter found without solving (points.beside): a point of the
        extra rows that breaks one of the groups alone shows that group is needed."""
        if len(extra) != 1 or not attaining or len(groups) < 2:
            return
        rows = self.rows(groups)
        owner = np.repeat(np.arange(len(groups)), [len(self.rows_of[g]) for g in groups])
        found = beside(attaining, extra[0], self.system.index, self._problem(rows, []).matrix.toarray(),
                       self.points.low[rows], self.points.high[rows], owner, len(groups))
        for point in found.values():
            self.stats["seeded"] += 1
            self.points.remember(point)


class _Leaving:
    """The deletion filter's questions "do the claims without this one still rule the extra
    rows out?" on one LP kept in HiGHS: the set and the extra rows, each member's rows lifted in
    turn, so that each LP starts from the last one's basis. Its point is the one deepest inside
    the rows, up to the margin that rounding needs (points.centred): a whole-number point there
    (checked), rounded or repaired, answers "no" at once. (A vertex, the point an LP gives
    first, rounds less often: a reconstruction at 48/400 then needed 1,117 integer programs, with
    this 412, and 84 once rounded along the months too.) Anything else is asked as usual, from
    nothing, so that the claims a certificate names never depend on the questions asked before
    (cores.py)."""

    def __init__(self, prover: Prover, groups: list[int], extra: list[Constraint]):
        self.prover, self.groups, self.extra = prover, list(groups), extra
        problem = prover._problem(prover.rows(groups), extra)
        matrix, self._low, self._high, copies = centred(problem)
        first = np.cumsum([0, *(len(prover.rows_of[g]) for g in groups)])
        # group -> its rows' positions in the program
        self._at = {g: np.flatnonzero((copies >= first[k]) & (copies < first[k + 1])) for k, g in enumerate(groups)}
        n = self._columns = problem.matrix.shape[1]
        self._program = highs.Program(matrix, self._low, self._high, shared="leaving",
                                      cost=np.append(np.zeros(n), -1.0), upper=np.append(np.full(n, np.inf), 1.0))

    def rules_out(self, member: int, rest: list[int]) -> Decision:
        return self.prover.rules_out(rest, self.extra, decide=lambda groups, extra: self._decide(member, groups))

    def _decide(self, member: int, rest: list[int]) -> Decision:
        prover, at = self.prover, self._at[member]
        self._program.free_rows(at, True, self._low[at], self._high[at])
        answer = self._program.feasible_point()
        self._program.free_rows(at, False, self._low[at], self._high[at])
        if answer.status != Status.OPTIMAL:
            return prover._decide(rest, self.extra)
        problem = prover._problem(prover.rows(rest), self.extra)
        if prover._repaired(answer.x[:self._columns], problem):
            return False, None
        return prover._decide(rest, self.extra, relaxation_holds=True, problem=problem)

    def drop(self, groups: list[int]) -> None:
        """These groups leave the set for good: their rows are lifted."""
        for g in groups:
            at = self._at.pop(g)
            self._program.free_rows(at, True, self._low[at], self._high[at])
            self.groups.remove(g)
