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

CONTRACT = "desertion-series/reconstruction/1"
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
class ClaimResult:
    """What one claim does in a reconstruction: its status, why, and its words."""

    claim: str
    status: ClaimStatus
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
    statuses: tuple[ClaimResult, ...]
    conflicts: tuple[Conflict, ...]
    requested: tuple[Period, ...] = ()  # the periods asked for (their totals are in ``periods``)

    @property
    def basis(self) -> str:
        return BASIS_ALL if self.feasible else BASIS_OUTSIDE_CONFLICTS

    def status(self, claim_id: str) -> ClaimResult:
        return next(s for s in self.statuses if s.claim == claim_id)

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
            "claims": [{"id": s.claim, "status": str(s.status), "reason": s.reason, "quote": s.quote}
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


def _period_dict(r: Range, requested: tuple[Period, ...]) -> dict:
    period = Period(r.months[0], r.months[-1])
    return {"start": period.start, "end": period.end, "low": r.low, "high": r.high,
            "determined": r.determined, "tighter_than_months": r.tighter_than_months,
            "low_rests_on": list(r.low_rests_on), "high_rests_on": list(r.high_rests_on),
            "derivation": r.derivation, "requested": period in requested,
            "calendar": calendar_name(period)}
