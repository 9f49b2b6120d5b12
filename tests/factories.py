"""Small objects the engine tests build by hand: a reading, claims and rows without files."""
from __future__ import annotations

from hypothesis import strategies as st

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


def small_rows(months: tuple[str, ...], most: int, lowest: int, widest: int):
    """Hypothesis: one to five rows over ``months``, coefficients within +-``most``, each with a
    low end, a high end or both (low within +-``lowest``, ``widest`` apart at most)."""
    drawn = st.tuples(st.lists(st.integers(-most, most), min_size=len(months), max_size=len(months)),
                      st.integers(-lowest, lowest), st.integers(0, widest), st.sampled_from(["low", "high", "both"]))

    def made(draws) -> list[Constraint]:
        found = []
        for coefficients, low, width, sides in draws:
            terms = {m: c for m, c in zip(months, coefficients) if c}
            if terms:
                found.append(row("r", terms, None if sides == "high" else low, None if sides == "low" else low + width))
        return found
    return st.lists(drawn, min_size=1, max_size=5).map(made)

