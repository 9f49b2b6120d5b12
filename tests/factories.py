"""Small objects the engine tests build by hand: a reading, claims and rows without files."""
from __future__ import annotations

from helpers.core.readings import Reading
from helpers import kinds
from helpers.core.linear import Constraint
from helpers.data.claims import Claim

READING = Reading("test", "one series", series="s", extremum_scope="stated", strict_extremes=True)


def claim(claim_id: str, spec, series: str = "s") -> Claim:
    """A claim of the series ``series`` whose kind follows from its spec."""
    return Claim(claim_id, "src", kinds.of_spec(spec).name, series, f"quote of {claim_id}", spec)


def row(claim_id: str, terms: dict[str, int], low=None, high=None) -> Constraint:
    """A row ``low <= sum(coefficient * month) <= high`` of the claim ``claim_id``."""
    return Constraint(claim_id, tuple(sorted(terms.items())), low, high)
