"""The monthly series as exact whole-number ranges, each bound with the claims it rests on.

``reconstruct(dataset, reading, series)`` is the public entry point; it is a thin wrapper over
``reconstruct_claims(claims, reading, series)``, which needs no files. ``Reconstruction.to_dict``
is the stable JSON contract described in docs/reconstruction-json.md.

What "rests on" means: the low L of a month (or period total) rests on a minimal set S of claims
such that S alone rules out every value below L (S together with "total <= L-1" is infeasible),
and likewise for the high. A low of 0 rests on nothing: counts are never negative. Minimal sets
need not be unique; the one reported is sought first among the claims near the month
(SUPPORT_RADII) and prefers claims earlier in the data set.

Claim statuses (one per claim, in data-set order):

* ``binding``: some month's or period's bound rests on it;
* ``corroborating``: implied by the other claims (each of its constraints, negated, is
  infeasible with the others), so no bound needs it;
* ``joint``: neither; it cuts off combinations of months without moving any reported range
  (e.g. a share that only ties two totals together);
* ``context``: outside the model (another series under this reading, or kind ``context``);
* ``conflicting``: in a minimal conflict set. Conflict sets are found one at a time, each
  minimal, removed before looking for the next; the ranges are then computed from the claims
  outside every conflict set (the JSON says so in ``basis``).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from helpers.data.claims import Claim
from helpers.errors import ReadingError, SolverError
from helpers.core.linear import Constraint
from helpers.engine.model import Model, build_model, known_series
from helpers.core.months import Period, month_name
from helpers.core.readings import Reading
from helpers.engine.system import Outcome, System, minimal_infeasible_groups

CONTRACT = "desertion-series/reconstruction/1"
# Months on each side of a month within which its bounds are first sought (System.local_extreme),
# before the whole window is asked: claims speak of nearby months, so most bounds settle there.
NEIGHBOURHOOD_RADII = (24, 48)
# Likewise, the claims a bound rests on are first sought among the claims lying within this
# many months of it; any minimal set found there is a minimal set of the whole.
SUPPORT_RADII = (2, 6, 12, 24)
BASIS_ALL = "all claims"
BASIS_OUTSIDE_CONFLICTS = "claims outside every conflict set"


@dataclass(frozen=True)
class Range:
    """The values a month (or the total of consecutive months) can take under the claims."""

    label: str                       # "2023-09" or "2023-07..2023-08"
    months: tuple[str, ...]
    low: int
    high: int | None                 # None: no claim bounds it from above
    determined: bool
    low_rests_on: tuple[str, ...] = ()
    high_rests_on: tuple[str, ...] = ()
    derivation: str | None = None
    tighter_than_months: bool = False  # periods: narrower than the sum of its months' ranges


@dataclass(frozen=True)
class ClaimStatus:
    claim: str
    status: str   # binding | corroborating | joint | context | conflicting
    reason: str   # one short sentence
    quote: str = ""


@dataclass(frozen=True)
class Alternative:
    """The month ranges when one claim of a conflict set is set aside."""

    set_aside: str
    feasible: bool
    months: tuple[Range, ...]


@dataclass(frozen=True)
class Conflict:
    claims: tuple[str, ...]   # a minimal set: these cannot all hold, any proper subset can
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Reconstruction:
    series: str
    reading: Reading
    window: Period | None
    feasible: bool
    months: tuple[Range, ...]
    periods: tuple[Range, ...]
    statuses: tuple[ClaimStatus, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def basis(self) -> str:
        return BASIS_ALL if self.feasible else BASIS_OUTSIDE_CONFLICTS

    def status(self, claim_id: str) -> ClaimStatus:
        return next(s for s in self.statuses if s.claim == claim_id)

    def to_dict(self) -> dict:
        quotes = {s.claim: s.quote for s in self.statuses}
        return {
            "contract": CONTRACT,
            "series": self.series,
            "reading": {"name": self.reading.name, "description": self.reading.description,
                        "parameters": self.reading.parameters()},
            "window": {"start": self.window.start, "end": self.window.end} if self.window else None,
            "feasible": self.feasible,
            "basis": self.basis,
            "months": [_month_dict(r) for r in self.months],
            "periods": [_period_dict(r) for r in self.periods],
            "claims": [{"id": s.claim, "status": s.status, "reason": s.reason, "quote": s.quote}
                       for s in self.statuses],
            "conflicts": [{"claims": list(c.claims), "quotes": [quotes[i] for i in c.claims],
                           "alternatives": [{"set_aside": a.set_aside, "feasible": a.feasible,
                                             "months": [_month_dict(r) for r in a.months]}
                                            for a in c.alternatives]}
                          for c in self.conflicts],
        }


def _month_dict(r: Range) -> dict:
    return {"month": r.months[0], "low": r.low, "high": r.high, "determined": r.determined,
            "low_rests_on": list(r.low_rests_on), "high_rests_on": list(r.high_rests_on),
            "derivation": r.derivation}


def _period_dict(r: Range) -> dict:
    return {"start": r.months[0], "end": r.months[-1], "low": r.low, "high": r.high,
            "determined": r.determined, "tighter_than_months": r.tighter_than_months,
            "low_rests_on": list(r.low_rests_on), "high_rests_on": list(r.high_rests_on),
            "derivation": r.derivation}


# -- entry points -------------------------------------------------------------------------------

def reconstruct(dataset, reading: str | None = None, series: str | None = None) -> Reconstruction:
    """The series (default: the reading's) under the named reading (default: the data set's)."""
    return reconstruct_claims(dataset.claims, dataset.readings.get(reading), series)


def every_reading(dataset, *, explain: bool = False) -> dict[str, Reconstruction]:
    """Each reading's reconstruction of its own default series, by reading name. Ranges only
    unless ``explain``: enough to set the readings side by side."""
    return {name: reconstruct_claims(dataset.claims, reading, explain=explain)
            for name, reading in dataset.readings.by_name.items()}


def reconstruct_claims(claims: Sequence[Claim], reading: Reading, series: str | None = None, *,
                       explain: bool = True) -> Reconstruction:
    """The engine. ``explain=False`` skips what bounds rest on and the claim statuses (model
    claims then get status ``unexamined``): for benchmarks and property tests, not reports."""
    series = series or reading.series
    known = known_series(claims, reading)
    if series not in known:
        raise ReadingError(f"unknown series {series!r} under reading {reading.name!r}; "
                           f"known series: {', '.join(known)}")
    model = build_model(claims, reading, series)
    engine = Engine(model)
    conflict_sets = engine.conflict_sets()
    in_conflict = {g for found in conflict_sets for g in found}
    basis = [g for g in range(len(model.groups)) if g not in in_conflict]

    months = tuple(engine.range_of((m,), basis, explain) for m in model.months)
    periods = tuple(engine.period_ranges(claims, basis, months, explain))
    conflicts = tuple(Conflict(tuple(model.groups[g].claim for g in found),
                               engine.alternatives(found, basis)) for found in conflict_sets)
    statuses = tuple(_statuses(claims, model, engine, basis, conflicts, (*months, *periods), explain))
    return Reconstruction(series, reading, model.window, not conflict_sets, months, periods,
                          statuses, conflicts)


# -- the engine over one model ------------------------------------------------------------------

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
        self._components: dict[tuple[int, ...], dict[str, frozenset[int]]] = {}
        self._witnesses: dict[tuple[int, ...], list[tuple[int, ...]]] = {}  # checked solutions
        self._proven: dict[tuple[int, ...], dict[str, tuple[int, int | None]]] = {}  # month ranges

    def claim(self, group: int) -> str:
        return self.model.groups[group].claim

    def rows(self, groups: Iterable[int]) -> list[int]:
        return [r for g in groups for r in self.rows_of[g]]

    def feasible(self, groups: Iterable[int], extra: Sequence[Constraint] = ()) -> bool:
        return self.system.feasible(self.rows(groups), extra)

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
            feasible = self.feasible(groups)
            months = tuple(self.range_of((m,), groups, explain=False)
                           for m in self.model.months) if feasible else ()
            result.append(Alternative(self.claim(member), feasible, months))
        return tuple(result)

    # -- ranges ---------------------------------------------------------------------------------

    def range_of(self, months: Sequence[str], groups: Sequence[int], explain: bool) -> Range:
        total = {m: 1 for m in months}
        rows = self.rows(groups)
        known = self._witnesses.setdefault(tuple(groups), [])
        if any(sum(w[self.system.index[m]] for m in months) == 0 for w in known):
            low = 0  # a checked solution already has these months at 0, the least a count can be
        else:
            lower = self._extreme(groups, rows, months, False, known)
            low = lower.value
            self._remember(known, lower.witness)
        upper = self._extreme(groups, rows, months, True, known)
        self._remember(known, upper.witness)
        high = upper.value if upper.status == "optimal" else None
        if len(months) == 1:
            self._proven.setdefault(tuple(groups), {})[months[0]] = (low, high)
        low_rests: tuple[str, ...] = ()
        high_rests: tuple[str, ...] = ()
        derivation = None
        if explain:
            candidates = self.component(months, groups)
            if low > 0:  # a low of 0 rests on nothing: counts are never negative
                low_rests = self.rests_on(months, candidates, Constraint("", tuple(total.items()), None, low - 1))
            if high is not None:
                high_rests = self.rests_on(months, candidates, Constraint("", tuple(total.items()), high + 1, None))
            if low == high:
                derivation = derive(months, low, (*low_rests, *high_rests), self.model, low_rests, high_rests)
        label = months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"
        return Range(label, tuple(months), low, high, low == high, low_rests, high_rests, derivation)

    def _extreme(self, groups: Sequence[int], rows: list[int], months: Sequence[str], maximise: bool,
                 known: list) -> Outcome:
        """The least or greatest total of ``months``: for one month, first on neighbourhoods of
        it (see System.local_extreme), then over the whole window."""
        if len(months) == 1 and self.radii:
            if not known:
                self._remember(known, self.system.solve(rows).witness)
            for radius in self.radii:  # (the anchor: the first checked solution over these groups)
                if 2 * radius + 1 >= len(self.model.months):
                    break
                settled = self.system.local_extreme(rows, months[0], maximise=maximise, anchor=known[0],
                                                    radius=radius, known=self._proven.get(tuple(groups)))
                if settled is not None:
                    return settled
        return self.system.solve(rows, {m: 1 for m in months}, maximise=maximise, hints=known)

    @staticmethod
    def _remember(known: list[tuple[int, ...]], witness: tuple[int, ...] | None) -> None:
        """Keep checked solutions over a set of groups: later questions may be settled by one."""
        if witness is not None and witness not in known:
            known.append(witness)

    def rests_on(self, months: Sequence[str], candidates: Sequence[int], beyond_bound: Constraint) -> tuple[str, ...]:
        """A minimal set of the candidate claims that rules out ``beyond_bound``: sought first
        among the claims near ``months`` (small, fast programs), then among all candidates."""
        first, last = self.system.index[months[0]], self.system.index[months[-1]]
        for radius in SUPPORT_RADII:
            if first - radius <= 0 and last + radius >= len(self.model.months) - 1:
                break
            near = [g for g in candidates
                    if first - radius <= self.span_of[g][0] and self.span_of[g][1] <= last + radius]
            if near and not self.system.feasible(self.rows(near), [beyond_bound]):
                found = minimal_infeasible_groups(self.system, self.rows_of, near, extra=[beyond_bound],
                                                  known_infeasible=True)
                return tuple(self.claim(g) for g in found)
        found = minimal_infeasible_groups(self.system, self.rows_of, candidates, extra=[beyond_bound])
        if found is None:
            raise SolverError(f"a bound is not implied by the claims it was computed from: {beyond_bound}")
        return tuple(self.claim(g) for g in found)

    def period_ranges(self, claims: Sequence[Claim], groups: Sequence[int], months: Sequence[Range],
                      explain: bool) -> list[Range]:
        """Every multi-month period a claim totals, and every run of undetermined months."""
        in_model = {g.claim for g in self.model.groups}
        named = {p for c in claims if c.id in in_model for p in _totalled_periods(c)}
        runs, run = set(), []
        for r in (*months, None):
            if r is not None and not r.determined:
                run.append(r.months[0])
                continue
            if len(run) >= 2:
                runs.add(Period(run[0], run[-1]))
            run = []
        by_month = {r.months[0]: r for r in months}
        result = []
        for period in sorted(p for p in named | runs if p.start != p.end):
            r = self.range_of(tuple(period.months), groups, explain)
            parts = [by_month[m] for m in period.months]
            low_sum = sum(p.low for p in parts)
            high_sum = None if any(p.high is None for p in parts) else sum(p.high for p in parts)
            tighter = r.low > low_sum or (r.high is not None and (high_sum is None or r.high < high_sum))
            result.append(Range(r.label, r.months, r.low, r.high, r.determined, r.low_rests_on,
                                r.high_rests_on, r.derivation, tighter))
        return result

    def component(self, months: Sequence[str], groups: Sequence[int]) -> list[int]:
        """The groups linked to ``months`` through shared months: no other group can matter."""
        key = tuple(groups)
        if key not in self._components:
            self._components[key] = _components(self.model, groups)
        of_month = self._components[key]
        found = set().union(*(of_month.get(m, frozenset()) for m in months))
        return sorted(found)

    def implied(self, group: int, others: Sequence[int]) -> bool:
        """Does every constraint of ``group`` follow from the ``others``? Each constraint's
        negation must be infeasible with them; it is enough that it is with the others near it."""
        first, last = self.span_of[group]
        nearby = []
        for radius in SUPPORT_RADII:
            if first - radius <= 0 and last + radius >= len(self.model.months) - 1:
                break
            nearby.append(self.rows([g for g in others
                                     if first - radius <= self.span_of[g][0] and self.span_of[g][1] <= last + radius]))
        nearby.append(self.rows(others))
        for row in self.model.groups[group].constraints:
            negations = []
            if row.low is not None:
                negations.append(Constraint("", row.terms, None, row.low - 1))
            if row.high is not None:
                negations.append(Constraint("", row.terms, row.high + 1, None))
            for negation in negations:
                if all(self.system.feasible(rows, [negation]) for rows in nearby):
                    return False
        return True


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


def _totalled_periods(claim: Claim) -> list[Period]:
    return claim.totalled_periods()


# -- statuses -----------------------------------------------------------------------------------

def _statuses(claims: Sequence[Claim], model: Model, engine: Engine, basis: Sequence[int],
              conflicts: Sequence[Conflict], ranges: Sequence[Range], explain: bool) -> Iterable[ClaimStatus]:
    outside = dict(model.outside)
    group_of = {g.claim: i for i, g in enumerate(model.groups)}
    conflict_of = {cid: (n, c) for n, c in enumerate(conflicts, start=1) for cid in c.claims}
    bounds_of: dict[str, list[str]] = {}
    for r in ranges:
        for side, ids in (("low", r.low_rests_on), ("high", r.high_rests_on)):
            for cid in ids:
                bounds_of.setdefault(cid, []).append(f"the {side} of {r.label}")
    for claim in claims:
        def status(kind: str, reason: str) -> ClaimStatus:
            return ClaimStatus(claim.id, kind, reason, claim.quote)
        if claim.id in outside:
            yield status("context", outside[claim.id][0].upper() + outside[claim.id][1:] + ".")
        elif claim.id in conflict_of:
            number, conflict = conflict_of[claim.id]
            others = ", ".join(c for c in conflict.claims if c != claim.id) or "the fact that counts are whole and never negative"
            yield status("conflicting", f"Cannot hold together with {others} (conflict {number}).")
        elif not explain:
            yield status("unexamined", "Statuses were not computed (explain=False).")
        elif claim.id in bounds_of:
            bounds = bounds_of[claim.id]
            more = f" and {len(bounds) - 3} more" if len(bounds) > 3 else ""
            text = f"{', '.join(bounds[:3])}{more} rest on it."
            yield status("binding", text[0].upper() + text[1:])
        else:
            group = group_of[claim.id]
            months = sorted({m for row in model.groups[group].constraints for m in row.months})
            others = [g for g in engine.component(months, basis) if g != group]
            if engine.implied(group, others):
                yield status("corroborating", "Implied by the other claims; no bound needs it.")
            else:
                yield status("joint", "Not implied by the others, yet no reported bound rests on it: "
                                      "it limits months only in combination.")


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
    matrix = [[Fraction(dict(row.terms).get(m, 0)) for row in rows] + [target.get(m, Fraction(0))]
              for m in names]
    width = len(rows)
    pivots: list[int] = []
    line = 0
    for column in range(width):
        pivot = next((i for i in range(line, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[line], matrix[pivot] = matrix[pivot], matrix[line]
        head = matrix[line][column]
        matrix[line] = [v / head for v in matrix[line]]
        for i in range(len(matrix)):
            if i != line and matrix[i][column] != 0:
                factor = matrix[i][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[line])]
        pivots.append(column)
        line += 1
    if any(all(v == 0 for v in r[:width]) and r[width] != 0 for r in matrix):
        return None
    weights = [Fraction(0)] * width
    for i, column in enumerate(pivots):
        weights[column] = matrix[i][width]
    return weights
