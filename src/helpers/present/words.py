"""Claims and ranges in words, for every output: HTML views, exports and annotations alike."""
from __future__ import annotations


def format_range(low: int, high: int | None, determined: bool) -> str:
    if determined:
        return f"{low:,}"
    if high is None:
        return f"{low:,} or more"
    return f"{low:,} to {high:,}"


def in_words(interval) -> str:
    """'= 577', '> 1000', 'in [1.75, 2)': an interval as a reader would say it."""
    low, high = interval.low, interval.high
    if low is not None and low == high:
        return f"= {interval.low}"
    if high is None and low is not None:
        return f"{'≥' if interval.low_closed else '>'} {low}"
    if low is None and high is not None:
        return f"{'≤' if interval.high_closed else '<'} {high}"
    return f"in {interval}"


def describe(claim) -> str:
    """A short reading of a claim: 'total of 2023-09..2023-11 = 577'."""
    spec = claim.spec
    kind = claim.kind
    if kind == "total":
        return f"total of {spec.period} {in_words(spec.allowed)}"
    if kind == "extremum":
        scope = f" of {spec.scope}" if spec.scope else " of the window"
        return f"{spec.month} is the {spec.extreme} month{scope}"
    if kind == "order":
        parts = []
        if spec.above or spec.above_others:
            parts.append("above " + ("every other month" if spec.above_others else ", ".join(spec.above)))
        if spec.below or spec.below_others:
            parts.append("below " + ("every other month" if spec.below_others else ", ".join(spec.below)))
        return f"{spec.month} " + " and ".join(parts)
    if kind == "share":
        return f"total of {spec.part} / total of {spec.whole} {in_words(spec.allowed)}" + (
            f" ({claim.words})" if claim.words else "")
    if kind == "ratio":
        return f"total of {spec.numerator} / total of {spec.denominator} {in_words(spec.allowed)}" + (
            f" ({claim.words})" if claim.words else "")
    return "context, outside the monthly model"
