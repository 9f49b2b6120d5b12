"""Small objects the engine tests build by hand: a reading and claims without files."""
from __future__ import annotations

from helpers.core.readings import Reading
from helpers.data.claims import Claim, Context, Extremum, Order, Ratio, Share, Total

READING = Reading("test", "one series", series="s", extremum_scope="stated", strict_extremes=True)


def claim(claim_id: str, spec, series: str = "s") -> Claim:
    """A claim of the series ``series`` whose kind follows from its spec."""
    kind = {Total: "total", Extremum: "extremum", Order: "order", Share: "share", Ratio: "ratio",
            Context: "context"}[type(spec)]
    return Claim(claim_id, "src", kind, series, f"quote of {claim_id}", spec)
