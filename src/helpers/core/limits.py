"""Limits under which every number reaches the solver exactly (data/README.md, "Limits").

HiGHS computes in binary floating point (doubles), which hold every whole number below 2^53
exactly and no longer all of those above. The claims' rows (helpers.core.linear) are whole
numbers, so they are carried exactly as long as every coefficient, every bound and every value
a row's left side takes stays below 2^53. Two kinds of limit keep them there, both checked
before anything is solved:

* each number a claim states (data.schema enforces these with the ``numberLimits`` keyword):
  at most ``MAX_COUNT`` in size and at most ``MAX_DECIMALS`` decimals (a fraction ``a/b`` at
  most ``10**MAX_DECIMALS`` as its denominator); a percentage at most ``MAX_PERCENT_DECIMALS``,
  because the interval it rounds from has three decimals more (17.55 % is [0.17545, 0.17555));
* each row, once scaled to whole numbers (``row_problem``): its bounds below 2^53 and met by
  some counts from 0 to ``MAX_COUNT`` a month, and its left side below 2^53 for every series of
  counts from 0 to ``MAX_COUNT`` a month. A claim
  whose numbers are each within the limits can still break this one: a fraction with five
  decimals of a total over decades, a ratio of ten million to one.

A row within these limits has integer values whose partial sums are whole numbers below 2^53:
doubles add them without rounding, and a row that fails does so by a whole unit.

Why five decimals and not six: a fraction with six makes coefficients near a million beside the
ones of totals, and HiGHS's branch and bound then fails outright ("Solve error") on programs
that one unit decides, for instance totals of 1,413,779 and 1,000,000 over three months with a
ratio in [0, 1.413779) (and 1.5 % of random programs of that shape); with five decimals it
decided every one of some 700 tried, with totals up to the largest count over up to 9 months.
Why 10^9: far above any monthly count of people, and it leaves a fraction with five decimals
the room of about seven years of months below 2^53.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction

MAX_COUNT = 10 ** 9              # the largest number a claim may state, and a month's count
MAX_DECIMALS = 5                 # decimals of an interval end or a rate
MAX_PERCENT_DECIMALS = 2         # decimals of a percentage: its interval has three more
EXACT_BELOW = 2 ** 53            # doubles hold every whole number below this one
# The most months a claim may span, and a reconstruction's window cover: a century, far beyond
# any record of an army's desertion, and a size a reconstruction answers within its time budget
# (a window of 1,000 years would take hours: it is refused before anything is solved).
MAX_WINDOW_MONTHS = 1200
README = "see 'Limits' in data/README.md"

# One number as a claim writes it: 12, -0.5, 7/4, 1.5/3 (inside an interval or on its own).
_WRITTEN = re.compile(r"(?<![0-9.])(-?)([0-9]+)(?:\.([0-9]+))?(?:/([0-9]+))?")


def number_problem(value: object, *, largest: int = MAX_COUNT, decimals: int = MAX_DECIMALS,
                   what: str = "number") -> str | None:
    """Why a number as written (a YAML int or float, or text holding numbers: '17.5',
    '[0.318, 0.34]') breaks the limits, or None. Text that holds no number is no concern here
    (the schema's patterns say what text is allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):  # no str(): a pasted run of digits may be too long to print
        return None if abs(value) <= largest else _too_large(_short(value), largest, what)
    if isinstance(value, float):
        return _float_problem(value, largest, decimals, what)
    if isinstance(value, str):
        for match in _WRITTEN.finditer(value):
            problem = _written_problem(match, largest, decimals, what)
            if problem:
                return problem
    return None


def _float_problem(value: float, largest: int, decimals: int, what: str) -> str | None:
    try:  # YAML reads 17.5 as a float; its shortest text is what the researcher wrote
        written = Decimal(repr(value))
    except InvalidOperation:  # nan, inf: the YAML loader refuses them first
        return None
    if not written.is_finite():
        return None
    if abs(written) > largest:
        return _too_large(repr(value), largest, what)
    places = max(0, -written.as_tuple().exponent)  # type: ignore[operator]
    return _too_many_decimals(repr(value), places, decimals, what) if places > decimals else None


def _written_problem(match: re.Match, largest: int, decimals: int, what: str) -> str | None:
    sign, whole, tail, below = match.groups()
    tail = tail or ""
    shown = _short(match.group())
    if len(tail) > decimals:
        return _too_many_decimals(shown, len(tail), decimals, what)
    if below is not None:
        denominator = int(below[-20:]) if len(below.lstrip("0")) <= 20 else 10 ** 20
        if denominator == 0:
            return None  # the interval parser says a zero denominator divides by zero
        if denominator * 10 ** len(tail) > 10 ** decimals:
            return (f"{shown} has a denominator above {10 ** decimals:,} (as many as {decimals} "
                    f"decimals give), so it is not carried exactly; write it with a smaller one "
                    f"({README})")
    digits = whole.lstrip("0")
    if len(digits) > len(str(largest)) + 7:  # beyond any denominator the check above lets by
        return _too_large(shown, largest, what)
    size = Fraction(int(digits or "0") * 10 ** len(tail) + int(tail or "0"), 10 ** len(tail))
    if below is not None:
        size /= int(below)
    return _too_large(shown, largest, what) if size > largest else None


def _short(value: object) -> str:
    text = str(value) if not isinstance(value, int) or value.bit_length() < 1000 else "a huge number"
    return text if len(text) <= 40 else text[:20] + "..." + text[-8:]


def _too_large(shown: str, largest: int, what: str) -> str:
    return f"{shown} is above {largest:,}, the largest {what} carried exactly ({README})"


def _too_many_decimals(shown: str, places: int, decimals: int, what: str) -> str:
    extra = (f" (the interval it rounds from has {MAX_DECIMALS - MAX_PERCENT_DECIMALS} more)"
             if what == "percentage" else "")
    return (f"{shown} has {places} decimals, more than the {decimals} a {what} may have{extra}; "
            f"round it ({README})")


# -- rows -----------------------------------------------------------------------------------------

def row_problem(coefficients: Iterable[int], low: int | None, high: int | None) -> str | None:
    """Why a whole-number row ``low <= a.x <= high`` is not carried exactly through doubles, or
    None: more months than ``MAX_WINDOW_MONTHS`` (not a matter of doubles: of time); a bound at or above 2^53; a bound that no counts from 0 to MAX_COUNT meet (the claim
    alone would force a count above the largest, where the next check no longer holds); or a
    left side reaching 2^53 for counts from 0 to MAX_COUNT (its largest value is MAX_COUNT times
    its positive, or its negative, coefficients' sum)."""
    coefficients = list(coefficients)
    if len(coefficients) > MAX_WINDOW_MONTHS:
        return (f"it spans {len(coefficients):,} months, more than the {MAX_WINDOW_MONTHS:,} "
                f"(100 years) a claim may span; state it over a shorter period ({README})")
    positive = sum(c for c in coefficients if c > 0)
    negative = -sum(c for c in coefficients if c < 0)
    reach = MAX_COUNT * max(positive, negative)
    bound = max((abs(b) for b in (low, high) if b is not None), default=0)
    beyond = (f"not below 2^53 = {EXACT_BELOW:,}, beyond which the solver's floating-point numbers "
              f"skip whole numbers")
    if bound >= EXACT_BELOW:
        return f"it becomes a constraint bounded by {_magnitude(bound)}, {beyond} ({README})"
    # Larger counts would meet it (no count meets "x < 0": that is a conflict, not a limit).
    if (low is not None and positive and low > MAX_COUNT * positive) or (
            high is not None and negative and high < -MAX_COUNT * negative):
        return (f"it becomes a constraint that no counts up to {MAX_COUNT:,} a month meet (it asks "
                f"for {_magnitude(low if low is not None and low > 0 else -high)} from "
                f"{_months(len(coefficients))}), beyond the largest count carried exactly ({README})")
    if reach >= EXACT_BELOW:
        return (f"it becomes a constraint with coefficients up to {max(map(abs, coefficients)):,} "
                f"over {_months(len(coefficients))}, which reaches {_magnitude(reach)} for counts up "
                f"to {MAX_COUNT:,} a month, {beyond}; state it with fewer decimals or over a "
                f"shorter period ({README})")
    return None


def _months(n: int) -> str:
    return f"{n} month" + ("s" if n != 1 else "")


def _magnitude(n: int) -> str:
    return f"{n:,}" if n < 10 ** 18 else f"about 10^{len(str(n)) - 1}"


def window_problem(months: int) -> str | None:
    """Why a reconstruction's window of ``months`` months is refused, or None."""
    if months <= MAX_WINDOW_MONTHS:
        return None
    return (f"spans {months:,} months, more than the {MAX_WINDOW_MONTHS:,} (100 years) a "
            f"reconstruction may cover; reconstruct a shorter stretch ({README})")
