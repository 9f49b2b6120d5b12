"""Claims and ranges in words, for every output: HTML views, exports and annotations alike."""
from __future__ import annotations

from helpers import kinds


def format_range(low: int, high: int | None, determined: bool) -> str:
    if determined:
        return f"{low:,}"
    if high is None:
        return f"{low:,} or more"
    return f"{low:,} to {high:,}"


def range_words(r) -> str:
    """A Range as readers see it. An end the time budget left unproven is never shown as a plain
    number: 'not proven (time ran out): low 0 to 120, high 300 or more'."""
    if r.proven:
        return format_range(r.low, r.high, r.determined)
    return (f"not proven (time ran out): {_end('low', r.low, r.low_within)}, "
            f"{_end('high', r.high, r.high_within)}")


def _end(side: str, value: int | None, within) -> str:
    if within is None:
        return f"{side} {value:,}" if value is not None else "no upper bound"
    low, high = within
    return f"{side} {low:,} to {high:,}" if high is not None else f"{side} {low:,} or more"


def describe(claim) -> str:
    """A short reading of a claim, as its kind says it: 'total of 2023-09..2023-11 = 577'."""
    return kinds.get(claim.kind).describe(claim.spec, claim.words)
