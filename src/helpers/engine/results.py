"""What a reconstruction says, as plain data, and its JSON contract.

``Reconstruction.to_dict`` is the stable JSON contract described in docs/reconstruction-json.md
(its name is ``CONTRACT``). The engine (bounds.py, explain.py) fills these records; the
presentation reads them.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpers.core.enums import ClaimStatus
from helpers.core.months import Period, calendar_name
from helpers.core.readings import Reading

CONTRACT = "desertion-series/reconstruction/2"
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
    # When the time budget ran out before an end was proven: the interval the true end lies in
    # (None: proven). ``low`` is then the first end of ``low_within`` and ``high`` the second of
    # ``high_within`` (None: no upper end known), so low..high still holds every value allowed.
    low_within: tuple[int, int | None] | None = None
    high_within: tuple[int, int | None] | None = None
    explained: bool = True             # False: the budget ran out before its rests-on were found

    @property
    def proven(self) -> bool:
        return self.low_within is None and self.high_within is None


@dataclass(frozen=True)
class Attestation:
    """One outlet's words for a statement: the claim read from it, its source, its quote."""

    claim: str
    source: str
    quote: str


@dataclass(frozen=True)
class ClaimResult:
    """What one statement does in a reconstruction: its status, why, and every outlet's words.
    A statement is named by its first claim (``claim``); a claim alone is a statement of one."""

    claim: str
    status: ClaimStatus
    reason: str   # one short sentence
    quote: str = ""
    attestations: tuple[Attestation, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources attesting the statement, each once, in data-set order."""
        return tuple(dict.fromkeys(a.source for a in self.attestations))


@dataclass(frozen=True)
class Alternative:
    """The month ranges when one claim of a conflict set is set aside."""

    set_aside: str
    feasible: bool | None     # None: not known, the time budget ran out first
    months: tuple[Range, ...]


@dataclass(frozen=True)
class Conflict:
    claims: tuple[str, ...]   # a minimal set: these cannot all hold, any proper subset can
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Correction:
    """A minimal correction set: setting these statements aside lets every other one hold
    (setting aside any smaller part of it does not); ``months``: the ranges that then result."""

    claims: tuple[str, ...]
    months: tuple[Range, ...]


@dataclass(frozen=True)
class Move:
    """A month whose range differs under an alternative from its range under the reading."""

    month: str
    low: int | None           # under the alternative; None: the month is outside its window
    high: int | None
    from_low: int | None      # under the reading in force; None: outside its window
    from_high: int | None


@dataclass(frozen=True)
class Option:
    """One reading of an ambiguous claim (``as-written`` or a named alternative)."""

    name: str
    note: str | None
    read_as: str              # the claim in words under it
    chosen: bool              # the reading in force reads the claim so
    feasible: bool                           # every claim can then hold together
    conflicts: tuple[tuple[str, ...], ...]   # the conflict sets the ambiguous claim is then in
    months: tuple[Range, ...]
    moved: tuple[Move, ...]
    periods: tuple[Range, ...] = ()          # totals of the periods its readings name (in the window)


@dataclass(frozen=True)
class Ambiguity:
    """An ambiguous claim (a statement with named alternatives) and what each reading does."""

    claim: str
    ambiguity: str | None
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Reconstruction:
    series: str
    reading: Reading
    window: Period | None
    feasible: bool
    months: tuple[Range, ...]
    periods: tuple[Range, ...]
    statuses: tuple[ClaimResult, ...]       # one per statement, in data-set order
    conflicts: tuple[Conflict, ...]
    corrections: tuple[Correction, ...] = ()
    conflicts_complete: bool = True           # False: the search stopped at conflict_limit
    conflict_limit: int = 0
    ambiguities: tuple[Ambiguity, ...] = ()
    requested: tuple[Period, ...] = ()  # the periods asked for (their totals are in ``periods``)
    # The run's time budget (engine/budget.py): its seconds (None: no limit), whether it ran out
    # (then some ends are only known to lie in an interval), and what it cut short.
    budget: float | None = None
    out_of_time: bool = False
    conflict_search_out_of_time: bool = False   # the search for conflict sets was cut short
    ambiguities_out_of_time: bool = False       # the alternatives of ambiguous claims were not compared

    @property
    def basis(self) -> str:
        return BASIS_ALL if self.feasible else BASIS_OUTSIDE_CONFLICTS

    def status(self, claim_id: str) -> ClaimResult:
        """The result of the statement a claim belongs to (by any of its claims' ids)."""
        return next(s for s in self.statuses
                    if s.claim == claim_id or any(a.claim == claim_id for a in s.attestations))

    def sources_of(self, statement: str) -> list[str]:
        return list(self.status(statement).sources)

    def total(self, period: Period) -> Range | None:
        """The range of a period's total, when it is among ``periods`` (asked for, named by a
        claim, a calendar quarter or year, or a run of undetermined months)."""
        return next((r for r in self.periods if (r.months[0], r.months[-1]) == (period.start, period.end)),
                    None)

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
            "periods": [_period_dict(r, self.requested) for r in self.periods],
            "claims": [{"id": s.claim, "status": str(s.status), "reason": s.reason, "quote": s.quote,
                        "attested_by": len(s.sources), "sources": list(s.sources),
                        "attestations": [{"claim": a.claim, "source": a.source, "quote": a.quote}
                                         for a in s.attestations]}
                       for s in self.statuses],
            "conflicts": [{"claims": list(c.claims), "quotes": [quotes[i] for i in c.claims],
                           "sources": [self.sources_of(i) for i in c.claims],
                           "alternatives": [{"set_aside": a.set_aside, "feasible": a.feasible,
                                             "months": [_month_dict(r) for r in a.months]}
                                            for a in c.alternatives]}
                          for c in self.conflicts],
            "conflict_search": {"complete": self.conflicts_complete, "limit": self.conflict_limit,
                                "out_of_time": self.conflict_search_out_of_time},
            "corrections": [{"claims": list(c.claims), "sources": [self.sources_of(i) for i in c.claims],
                             "months": [_month_dict(r) for r in c.months]} for c in self.corrections],
            "ambiguities": [_ambiguity_dict(a) for a in self.ambiguities],
            "budget": {"seconds": self.budget, "out_of_time": self.out_of_time,
                       "ambiguities_out_of_time": self.ambiguities_out_of_time},
        }


def _month_dict(r: Range) -> dict:
    return {"month": r.months[0], "low": r.low, "high": r.high, "determined": r.determined,
            "low_rests_on": list(r.low_rests_on), "high_rests_on": list(r.high_rests_on),
            "derivation": r.derivation, **_proof_dict(r)}


def _proof_dict(r: Range) -> dict:
    """What the time budget left unproven (null and true for a range proven and explained)."""
    return {"low_within": None if r.low_within is None else list(r.low_within),
            "high_within": None if r.high_within is None else list(r.high_within),
            "explained": r.explained}


def _period_dict(r: Range, requested: tuple[Period, ...] = ()) -> dict:
    period = Period(r.months[0], r.months[-1])
    return {"start": period.start, "end": period.end, "low": r.low, "high": r.high,
            "determined": r.determined, "tighter_than_months": r.tighter_than_months,
            "low_rests_on": list(r.low_rests_on), "high_rests_on": list(r.high_rests_on),
            "derivation": r.derivation, "requested": period in requested,
            "calendar": calendar_name(period), **_proof_dict(r)}


def _ambiguity_dict(a: Ambiguity) -> dict:
    return {"claim": a.claim, "ambiguity": a.ambiguity, "alternatives": [
        {"name": o.name, "note": o.note, "read_as": o.read_as, "chosen": o.chosen,
         "feasible": o.feasible, "conflicts": [list(c) for c in o.conflicts],
         "months": [_month_dict(r) for r in o.months],
         "periods": [_period_dict(r) for r in o.periods],
         "moved": [{"month": m.month, "low": m.low, "high": m.high, "from_low": m.from_low,
                    "from_high": m.from_high} for m in o.moved]}
        for o in a.options]}
