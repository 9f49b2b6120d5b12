"""Small objects the engine tests build by hand: a reading and claims without files."""
from __future__ import annotations

from helpers.core.readings import Reading
from helpers import kinds
from helpers.data.claims import Claim

READING = Reading("test", "one series", series="s", extremum_scope="stated", strict_extremes=True)


def claim(claim_id: str, spec, series: str = "s") -> Claim:
    """A claim of the series ``series`` whose kind follows from its spec."""
    return Claim(claim_id, "src", kinds.of_spec(spec).name, series, f"quote of {claim_id}", spec)
