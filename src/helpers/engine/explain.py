"""Explanations: what each bound rests on, what each claim does, how a value is derived.

What "rests on" means: the low L of a month (or period total) rests on a minimal set S of claims
such that S alone rules out every value below L (S together with "total <= L-1" is infeasible),
and likewise for the high. A low of 0 rests on nothing: counts are never negative. Minimal sets
need not be unique; the one reported is sought first among the claims near the month
(SUPPORT_RADII) and prefers claims earlier in the data set. It is found from what the solver
proves (prover.py): the claims of an exactly checked Farkas certificate of the LP relaxation,
shrunk by a deletion filter; where only integrality decides, a set grown from the certificate of
a weaker bound, shrunk the same way (QuickXplain, subsets.py, when that fails).

Claim statuses (one per claim, in data-set order; ``ClaimStatus`` says what each means):
``binding`` when some month's or period's bound rests on it; else ``corroborating`` when it is
implied by the other claims (each of its constraints, negated, is infeasible with the others);
else ``joint`` (it cuts off combinations of months without moving any reported range, e.g. a
share that only ties two totals together). Before those: ``context`` outside the model (another
series under this reading, or kind ``context``), ``conflicting`` in a minimal conflict set, and
``unexamined`` when only the ranges were asked for, or when the time budget ran out before the
claim's status was known.

A determined value is derived, where the equalities among the claims it rests on give it, as
their exact combination (Gaussian elimination over fractions).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from helpers.core.enums import ClaimStatus
from helpers.core.months import Period, month_name
from helpers.data.claims import Claim
from helpers.errors import SolverError
from helpers.core.linear import Constraint
from helpers.engine import budget
from helpers.engine.cores import InProcess, Later
from helpers.engine.model import Model
from helpers.engine.vertex import solve_equations
from helpers.engine.results import ClaimResult, Conflict, Range

if TYPE_CHECKING:
    from helpers.engine.bounds import Engine
    from helpers.engine.cores import Workers

OUT_OF_TIME = "Not examined: the time budget ran out first."

# The claims a bound rests on are first sought among the claims lying within this many months of
# it (0: claims of its own months only, so that "612 in October" is preferred to a total less
# other months); any minimal set found there is a minimal set of the whole.
SUPPORT_RADII = (0, 2, 6, 12, 24)


# -- what bounds rest on ------------------------------------------------------------------------

def rests_on(engine: Engine, months: Sequence[str], candidates: Sequence[int],
             beyond_bound: Constraint, anchor: Sequence[int] | None = None,
             proven: bool = True, attaining: Sequence[np.ndarray] = ()) -> tuple[str, ...] | None:
    """A minimal set of the candidate claims that rules out ``beyond_bound``: from a checked LP
    certificate over the claims near ``months`` where one exists (small programs; claims near
    the month preferred), else over all candidates (Prover.minimal; ``anchor``: a solution of
    every candidate). ``proven``: the candidates are known to rule it out; else this proves it,
    and None means they do not (HiGHS's optimum was not the bound)."""
    first, last = engine.system.index[months[0]], engine.system.index[months[-1]]
    prover, extra = engine.prover, [beyond_bound]
    tried: list[int] = []
    for radius in SUPPORT_RADII:
        if first - radius <= 0 and last + radius >= len(engine.model.months) - 1:
            break
        near = [g for g in candidates
                if first - radius <= engine.span_of[g][0] and engine.span_of[g][1] <= last + radius]
        if near == tried:
            continue  # no claim more than at the last radius
        tried = near
        if near and prover.certificate(near, extra) is not None:
            return tuple(engine.claim(g) for g in prover.minimal(near, extra, attaining=attaining))
    found = prover.minimal(candidates, extra, known=proven, attaining=attaining,
                           anchor=None if anchor is None else np.array(anchor, dtype=np.int64))
    if found is None and not proven:
        return None
    if found is None:
        raise SolverError(f"a bound is not implied by the claims it was computed from: {beyond_bound}")
    return tuple(engine.claim(g) for g in found)


def implied(engine: Engine, group: int, others: Sequence[int]) -> bool:
    """Does every constraint of ``group`` follow from the ``others``? Each constraint's
    negation must be ruled out by them. A checked LP certificate over the others near it is
    sought first (small programs); else the question is asked of all the others, once (asked
    of each nearer set in turn, every "no" cost an integer program)."""
    first, last = engine.span_of[group]
    nearby = []
    for radius in SUPPORT_RADII:
        if first - radius <= 0 and last + radius >= len(engine.model.months) - 1:
            break
        near = [g for g in others if first - radius <= engine.span_of[g][0] and engine.span_of[g][1] <= last + radius]
        if near and (not nearby or len(near) > len(nearby[-1])):
            nearby.append(near)
    nearby.append(list(others))
    for row in engine.model.groups[group].constraints:
        negations = []
        if row.low is not None:
            negations.append(Constraint("", row.terms, None, row.low - 1))
        if row.high is not None:
            negations.append(Constraint("", row.terms, row.high + 1, None))
        for negation in negations:
            if engine.prover.met(others, [negation]):
                return False
            if any(engine.prover.certificate(near, [negation]) is not None for near in nearby):
                continue
            if not engine.prover.rules_out(others, [negation])[0]:
                return False
    return True


# -- statuses -----------------------------------------------------------------------------------

def statuses(claims: Sequence[Claim], model: Model, engine: Engine, basis: Sequence[int],
             conflicts: Sequence[Conflict], ranges: Sequence[Range], explain: bool,
             ask: Workers | InProcess | None = None) -> Iterable[ClaimResult]:
    """Each claim's status and reason, in data-set order (see the module's docstring).
    ``ask``: who answers whether a claim is implied (cores.py; default: this process)."""
    outside = dict(model.outside)
    group_of = {g.claim: i for i, g in enumerate(model.groups)}
    conflict_of = {cid: (n, c) for n, c in enumerate(conflicts, start=1) for cid in c.claims}
    bounds_of: dict[str, list[str]] = {}
    unexplained = any(not r.explained for r in ranges)
    for r in ranges:
        for side, ids in (("low", r.low_rests_on), ("high", r.high_rests_on)):
            for cid in ids:
                bounds_of.setdefault(cid, []).append(f"the {side} of {r.label}")
    ask = ask or InProcess(engine)
    implied_of = {}  # claim -> its pending answer, all asked before the first is awaited
    by_months = {r.months: r for r in ranges}
    for claim in claims if explain else ():
        if claim.id not in outside and claim.id not in conflict_of and claim.id not in bounds_of:
            group = group_of[claim.id]
            if all(_within_range(row, claim.id, by_months) for row in model.groups[group].constraints):
                implied_of[claim.id] = Later(lambda: True)
                continue
            months = sorted({m for row in model.groups[group].constraints for m in row.months})
            others = [g for g in engine.component(months, basis) if g != group]
            implied_of[claim.id] = ask.implied(group, others, budget.active())
    for claim in claims:
        def status(kind: ClaimStatus, reason: str) -> ClaimResult:
            return ClaimResult(claim.id, kind, reason, claim.quote)
        if claim.id in outside:
            yield status(ClaimStatus.CONTEXT, outside[claim.id][0].upper() + outside[claim.id][1:] + ".")
        elif claim.id in conflict_of:
            number, conflict = conflict_of[claim.id]
            others = ", ".join(c for c in conflict.claims if c != claim.id) or "the fact that counts are whole and never negative"
            yield status(ClaimStatus.CONFLICTING, f"Cannot hold together with {others} (conflict {number}).")
        elif not explain:
            yield status(ClaimStatus.UNEXAMINED, "Statuses were not computed (explain=False).")
        elif claim.id in bounds_of:
            bounds = bounds_of[claim.id]
            more = f" and {len(bounds) - 3} more" if len(bounds) > 3 else ""
            unsaid = " (bounds not explained before the time budget ran out may too)" if unexplained else ""
            text = f"{', '.join(bounds[:3])}{more} rest on it{unsaid}."
            yield status(ClaimStatus.BINDING, text[0].upper() + text[1:])
        else:
            corroborating = implied_of[claim.id].get()
            if corroborating is None:
                yield status(ClaimStatus.UNEXAMINED, OUT_OF_TIME)
            elif corroborating:
                yield status(ClaimStatus.CORROBORATING, "Implied by the other claims; no bound needs it.")
            elif unexplained:  # a bound not explained in time may rest on it
                yield status(ClaimStatus.UNEXAMINED, OUT_OF_TIME)
            else:
                yield status(ClaimStatus.JOINT, "Not implied by the others, yet no reported bound rests on it: "
                                                "it limits months only in combination.")


def _within_range(row: Constraint, claim: str, by_months: dict[tuple[str, ...], Range]) -> bool:
    """Whether the reported range of the period ``row`` totals (every coefficient the same
    positive k) proves the row from the claims other than ``claim``: each end of the range rests
    on such claims, and lies within the row's end. (Then, for the low end, those claims
    rule out every total below the range's low, so every total below the row's; likewise the
    high.) False when it cannot say: the claim is then asked about as usual."""
    coefficients = {c for _, c in row.terms}
    months = tuple(sorted(m for m, _ in row.terms))
    r = by_months.get(months)
    if r is None or len(coefficients) != 1 or min(coefficients) <= 0 or not (r.proven and r.explained):
        return False
    k = coefficients.pop()
    low_ok = row.low is None or row.low <= 0 or (
        r.low > 0 and claim not in r.low_rests_on and k * r.low >= row.low)
    high_ok = row.high is None or (
        r.high is not None and claim not in r.high_rests_on and k * r.high <= row.high)
    return low_ok and high_ok


# -- derivations --------------------------------------------------------------------------------

def derive(months: Sequence[str], value: int, rests_on: Sequence[str], model: Model,
           low_rests: Sequence[str] = (), high_rests: Sequence[str] = ()) -> str:
    """"September 2023 = 577 [sep-nov-577] − 218 [oct-218] − 175 [nov-175] = 184" when the
    equalities among the claims a determined value rests on give it; else what pins it."""
    name = month_name(months[0]) if len(months) == 1 else Period(months[0], months[-1]).label()
    wanted = set(dict.fromkeys(rests_on))
    equalities = [row for g in model.groups if g.claim in wanted for row in g.constraints
                  if row.low is not None and row.low == row.high]
    weights = _combination(equalities, {m: Fraction(1) for m in months})
    if weights is not None and sum(w * row.low for w, row in zip(weights, equalities)) == value:
        terms = [(w, row) for w, row in zip(weights, equalities) if w != 0]
        pieces = [("− " if w < 0 else "+ ") + ("" if abs(w) == 1 else f"{abs(w)} × ")
                  + f"{row.low} [{row.claim}]" for w, row in terms]
        text = " ".join(pieces).removeprefix("+ ")
        if len(terms) == 1 and terms[0][0] == 1:
            return f"{name} = {text}"
        return f"{name} = {text} = {value}"
    return (f"{name} = {value}, pinned between bounds: no less by {', '.join(low_rests) or 'nothing'}, "
            f"no more by {', '.join(high_rests) or 'nothing'} (not by equalities alone)")


def _combination(rows: Sequence[Constraint], target: dict[str, Fraction]) -> list[Fraction] | None:
    """Weights w with sum(w_i * row_i) == target exactly (Gaussian elimination over Fractions);
    None if the target is not in the rows' span. Free weights are 0."""
    if not rows:
        return None
    names = sorted({m for row in rows for m, _ in row.terms} | set(target))
    # One equation per month: sum_i w_i * coefficient_i(month) = target(month).
    equations = [([dict(row.terms).get(m, 0) for row in rows], target.get(m, Fraction(0))) for m in names]
    return solve_equations(equations, [Fraction(0)] * len(rows))
