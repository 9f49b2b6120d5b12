"""The bounds engine: exact ranges of months and period totals over a subset of claims.

``Engine`` compiles a model's constraints once (a ``System``, one group of rows per claim) and
answers every question about a subset of the groups: whether they can hold together, the least
and greatest value of a month or a period's total (both ends attained by a checked series),
the minimal conflict sets, and the ranges left when one member of a conflict is set aside.
What a bound rests on and how a determined value is derived are in explain.py.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import numpy as np

from helpers.core.enums import SolverOutcome
from helpers.core.months import Period
from helpers.data.claims import Claim
from helpers.engine import budget
from helpers.engine.budget import OutOfTime
from helpers.engine.explain import derive, rests_on
from helpers.core.linear import Constraint
from helpers.engine.model import Model
from helpers.engine.prover import Prover
from helpers.engine.results import Alternative, Range
from helpers.engine.subsets import minimal_infeasible_groups
from helpers.engine.system import Outcome, System

# Months on each side of a month within which its bounds are first sought (System.local_extreme),
# before the whole window is asked: claims speak of nearby months, so most bounds settle there.
NEIGHBOURHOOD_RADII = (24, 48)


class Engine:
    """A model's constraints compiled once; every question is asked about a subset of groups."""

    def __init__(self, model: Model, radii: Sequence[int] | None = None):
        """``radii``: neighbourhoods for month bounds; None chooses from NEIGHBOURHOOD_RADII those
        small against the window (a neighbourhood costs more than it saves in short windows)."""
        self.model = model
        n = len(model.months)
        self.radii = tuple(radii) if radii is not None else tuple(
            r for r in NEIGHBOURHOOD_RADII if 4 * (2 * r + 1) <= n)
        constraints: list[Constraint] = []
        self.rows_of: list[list[int]] = []
        for group in model.groups:
            self.rows_of.append(list(range(len(constraints), len(constraints) + len(group.constraints))))
            constraints += group.constraints
        self.system = System(model.months, constraints)
        position = self.system.index
        self.span_of = [(min((position[m] for r in g.constraints for m in r.months), default=0),
                         max((position[m] for r in g.constraints for m in r.months), default=n - 1))
                        for g in model.groups]
        self.prover = Prover(self.system, self.rows_of)  # what sets of claims rule out, exactly
        self._components: dict[tuple[int, ...], dict[str, frozenset[int]]] = {}
        self._witnesses: dict[tuple[int, ...], list[tuple[int, ...]]] = {}  # checked solutions
        self._proven: dict[tuple[int, ...], dict[str, tuple[int, int | None]]] = {}  # month ranges
        self._known_arrays: dict[int, np.ndarray] = {}  # id of a list in _witnesses -> its array

    def claim(self, group: int) -> str:
        return self.model.groups[group].claim

    def rows(self, groups: Iterable[int]) -> list[int]:
        return [r for g in groups for r in self.rows_of[g]]

    def feasible(self, groups: Iterable[int], extra: Sequence[Constraint] = ()) -> bool:
        return self.system.feasible(self.rows(groups), extra)

    def holds(self, groups: Iterable[int]) -> bool:
        """Whether the groups can hold together, as ``feasible`` says, asked of the prover: a
        point met before answers most of the many subsets a conflict search asks about."""
        return not self.prover.rules_out(sorted(groups))[0]

    # -- conflicts ------------------------------------------------------------------------------

    def conflict_sets(self) -> list[list[int]]:
        """Disjoint minimal conflict sets, found one at a time until the rest can all hold."""
        remaining = list(range(len(self.model.groups)))
        found: list[list[int]] = []
        while remaining and not self.feasible(remaining):
            conflict = minimal_infeasible_groups(self.system, self.rows_of, remaining)
            if not conflict:  # cannot happen for an infeasible set of groups; never loop
                break
            found.append(conflict)
            remaining = [g for g in remaining if g not in conflict]
        return found

    def alternatives(self, conflict: Sequence[int], basis: Sequence[int]) -> tuple[Alternative, ...]:
        """For each member: the month ranges from the basis and the rest of its conflict set."""
        result = []
        for member in conflict:
            groups = sorted([*basis, *(g for g in conflict if g != member)])
            try:
                feasible: bool | None = self.feasible(groups)
            except OutOfTime:
                feasible = None  # not known: the time budget ran out first
            months = tuple(self.range_of((m,), groups, explain=False)
                           for m in self.model.months) if feasible else ()
            result.append(Alternative(self.claim(member), feasible, months))
        return tuple(result)

    # -- ranges ---------------------------------------------------------------------------------

    def range_of(self, months: Sequence[str], groups: Sequence[int], explain: bool) -> Range:
        """The range of the total of ``months`` over the ``groups``; with ``explain``, what each
        end rests on. An end HiGHS's integer program gives without proof is then proven by what
        it rests on (the same question a confirmation would ask, answered once); where that
        proof finds a point beyond it, the end is asked for again, confirmed."""
        rows = self.rows(groups)
        known = self._witnesses.setdefault(tuple(groups), [])
        low: int | None = None
        sure = {"low": True, "high": True}  # False: HiGHS's optimum, not proven yet
        try:
            budget.active().check()  # between bounds: once it is spent, not even a program is set up
            if not known:  # the first solution of these claims, which every search starts from
                self._remember(known, self.system.solve(rows).witness)
            if (self._attained(months, known) == 0).any():
                low = 0  # a checked solution already has these months at 0, the least a count can be
            else:
                lower = self._extreme(groups, rows, months, False, known, confirm=not explain)
                self._remember(known, lower.witness)
                low, sure["low"] = lower.value, lower.confirmed
            upper = self._extreme(groups, rows, months, True, known, confirm=not explain)
        except OutOfTime:
            return self._bracketed(months, known, low if sure["low"] else None)
        self._remember(known, upper.witness)
        bound = {"low": low, "high": upper.value if upper.status == SolverOutcome.OPTIMAL else None}
        sure["high"] = upper.confirmed
        rests: dict[str, tuple[str, ...]] = {"low": (), "high": ()}
        explained = True
        if explain:
            candidates = self.component(months, groups)
            try:
                for side in ("low", "high"):
                    if bound[side] is None or (side == "low" and bound[side] == 0):
                        continue  # no high end; a low of 0 rests on nothing: counts are never negative
                    found = self._rests_on(side, bound[side], months, candidates, known, sure[side])
                    if found is None:  # HiGHS's optimum was not the bound: asked again, confirmed
                        again = self._extreme(groups, rows, months, side == "high", known)
                        self._remember(known, again.witness)
                        bound[side] = again.value
                        found = () if side == "low" and again.value == 0 else \
                            self._rests_on(side, again.value, months, candidates, known, True)
                    rests[side], sure[side] = found, True
            except OutOfTime:
                if not all(sure.values()):
                    return self._bracketed(months, known, bound["low"] if sure["low"] else None)
                explained = False
        low, high = bound["low"], bound["high"]
        if len(months) == 1:
            self._proven.setdefault(tuple(groups), {})[months[0]] = (low, high)
        derivation = None
        if explained and explain and low == high:
            derivation = derive(months, low, (*rests["low"], *rests["high"]), self.model, rests["low"], rests["high"])
        return Range(_label(months), tuple(months), low, high, low == high, rests["low"], rests["high"], derivation,
                     explained=explained)

    def _rests_on(self, side: str, bound: int, months: Sequence[str], candidates: list[int],
                  known: list, proven: bool) -> tuple[str, ...] | None:
        total = tuple((m, 1) for m in months)
        beyond = Constraint("", total, None, bound - 1) if side == "low" else Constraint("", total, bound + 1, None)
        totals = self._attained(months, known)
        attaining = [np.array(known[i], dtype=np.int64) for i in np.flatnonzero(totals == bound)]
        return rests_on(self, months, candidates, beyond, known[0], proven, attaining)

    def _bracketed(self, months: Sequence[str], known: list[tuple[int, ...]], low: int | None) -> Range:
        """The range of ``months`` when the budget ran out before its ends were proven (``low``:
        the low, if it was). What is known without solving: counts are never negative, and each
        checked solution over these claims (``known``) attains its total, so the low is at most
        the least of those totals and the high at least the greatest."""
        attained = self._attained(months, known).tolist()
        if low is None and attained and min(attained) == 0:
            low = 0  # attained, and no count is below 0: proven
        low_within = None if low is not None else (0, min(attained) if attained else None)
        least_high = max([*attained, low or 0])
        return Range(_label(months), tuple(months), low if low is not None else 0, None, False,
                     low_within=low_within, high_within=(least_high, None), explained=False)

    def _extreme(self, groups: Sequence[int], rows: list[int], months: Sequence[str], maximise: bool,
                 known: list, confirm: bool = True) -> Outcome:
        """The least or greatest total of ``months``: for one month, first on neighbourhoods of
        it (see System.local_extreme), then over the whole window."""
        if len(months) == 1 and self.radii:
            for radius in self.radii:  # (the anchor: the first checked solution over these groups)
                if 2 * radius + 1 >= len(self.model.months):
                    break
                settled = self.system.local_extreme(rows, months[0], maximise=maximise, anchor=known[0],
                                                    radius=radius, known=self._proven.get(tuple(groups)))
                if settled is not None:
                    return settled
        return self.system.solve(rows, {m: 1 for m in months}, maximise=maximise, hints=known, confirm=confirm)

    def _attained(self, months: Sequence[str], known: list[tuple[int, ...]]) -> np.ndarray:
        """The total of ``months`` in each checked solution of ``known`` (as an array, kept per
        list until it grows: once the budget is spent, every range asks it of the same ones)."""
        cached = self._known_arrays.get(id(known))
        if cached is None or len(cached) != len(known):
            cached = np.array(known, dtype=np.int64).reshape(len(known), len(self.system.variables))
            self._known_arrays[id(known)] = cached
        return cached[:, [self.system.index[m] for m in months]].sum(axis=1)

    @staticmethod
    def _remember(known: list[tuple[int, ...]], witness: tuple[int, ...] | None) -> None:
        """Keep checked solutions over a set of groups: later questions may be settled by one."""
        if witness is not None and witness not in known:
            known.append(witness)

    def named_periods(self, claims: Sequence[Claim], extra: Iterable[Period] = ()) -> set[Period]:
        """The multi-month periods the model's claims total, and the ``extra`` periods."""
        in_model = {g.claim for g in self.model.groups}
        named = {p for c in claims if c.id in in_model for p in c.totalled_periods() if p.start != p.end}
        return named | set(extra)

    def component(self, months: Sequence[str], groups: Sequence[int]) -> list[int]:
        """The groups linked to ``months`` through shared months: no other group can matter."""
        key = tuple(groups)
        if key not in self._components:
            self._components[key] = _components(self.model, groups)
        of_month = self._components[key]
        found = set().union(*(of_month.get(m, frozenset()) for m in months))
        return sorted(found)


def undetermined_runs(months: Sequence[Range]) -> set[Period]:
    """Every run of two or more consecutive months whose value is not determined."""
    runs, run = set(), []
    for r in (*months, None):
        if r is not None and not r.determined:
            run.append(r.months[0])
            continue
        if len(run) >= 2:
            runs.add(Period(run[0], run[-1]))
        run = []
    return runs


def with_tightness(totals: Sequence[Range], months: Sequence[Range]) -> list[Range]:
    """The period totals, each saying whether it is tighter than the sum of its months' ranges
    (said only of proven ranges: an end not proven cannot be compared)."""
    by_month = {r.months[0]: r for r in months}
    result = []
    for r in totals:
        parts = [by_month[m] for m in r.months]
        low_sum = sum(p.low for p in parts)
        high_sum = None if any(p.high is None for p in parts) else sum(p.high for p in parts)
        tighter = r.low > low_sum or (r.high is not None and (high_sum is None or r.high < high_sum))
        result.append(dataclasses.replace(r, tighter_than_months=tighter and all(p.proven for p in (r, *parts))))
    return result


def _label(months: Sequence[str]) -> str:
    return months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"


def _components(model: Model, groups: Sequence[int]) -> dict[str, frozenset[int]]:
    """Month -> the groups of its connected component (groups linked by shared months)."""
    parent: dict[str, str] = {}

    def root(m: str) -> str:
        while parent.setdefault(m, m) != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    months_of = {g: {m for row in model.groups[g].constraints for m in row.months} for g in groups}
    for months in months_of.values():
        first, *rest = sorted(months) or [None]
        for m in rest:
            parent[root(m)] = root(first)
    members: dict[str, set[int]] = {}
    for g, months in months_of.items():
        for m in months:
            members.setdefault(root(m), set()).add(g)
    return {m: frozenset(members.get(root(m), ())) for m in parent}
