"""Claims and ranges in words, for every output: HTML views, exports and annotations alike."""
from __future__ import annotations

from helpers import kinds


def format_range(low: int, high: int | None, determined: bool) -> str:
    if determined:
        return f"{low:,}"
    if high is None:
        return f"{low:,} or more"
    return f"{low:,} to {high:,}"


def describe(claim) -> str:
    """A short reading of a claim, as its kind says it: 'total of 2023-09..2023-11 = 577'."""
    return kinds.get(claim.kind).describe(claim.spec, claim.words)
