"""Claims: what one quote says about monthly counts, in a typed form the engine can use.

A claim file holds the claims read from one source. ``build_claim`` turns one validated
YAML mapping into a ``Claim`` whose ``spec`` is one of the kind dataclasses below, with
every vague word and percentage already resolved to an exact ``Interval``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Union

from helpers.errors import DataError
from helpers.core.intervals import Interval, exact
from helpers.core.months import Period, is_month
from helpers.core.vocabulary import Vocabulary


@dataclass(frozen=True)
class Total:
    """The period's total lies in ``allowed`` ("577 appeals", "more than a thousand")."""

    period: Period
    allowed: Interval


@dataclass(frozen=True)
class Extremum:
    """``month`` is the highest (or lowest) month of ``scope``; None means the whole window."""

    month: str
    extreme: str  # "highest" | "lowest"
    scope: Period | None


@dataclass(frozen=True)
class Order:
    """``month`` is above every month in ``above`` and below every month in ``below``.

    ``above_others``/``below_others`` stand for "every other month of the window", that is every
    month of the window except ``month`` itself and the months named on the other side.
    """

    month: str
    above: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    above_others: bool = False
    below_others: bool = False


@dataclass(frozen=True)
class Share:
    """total(part) / total(whole) lies in ``allowed`` ("18 percent", "most")."""

    part: Period
    whole: Period
    allowed: Interval


@dataclass(frozen=True)
class Ratio:
    """total(numerator) / total(denominator) lies in ``allowed`` ("nearly doubled", "+89%")."""

    numerator: Period
    denominator: Period
    allowed: Interval


@dataclass(frozen=True)
class Context:
    """A statement kept for the record but outside the monthly model."""

    period: Period | None = None
    value: Fraction | None = None


Spec = Union[Total, Extremum, Order, Share, Ratio, Context]


@dataclass(frozen=True)
class Claim:
    id: str
    source: str
    kind: str
    series: str
    quote: str
    spec: Spec
    words: str | None = None       # the vague words or percentage as written, for reports
    note: str | None = None
    quote_prefix: str | None = None
    quote_suffix: str | None = None
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def months(self) -> list[str]:
        """Every month the claim names (its periods, its month, its comparison months)."""
        spec = self.spec
        found: list[str] = []
        for value in vars(spec).values():
            if isinstance(value, Period):
                found += value.months
            elif is_month(value):  # not len == 7: "highest" has seven letters too
                found.append(value)
            elif isinstance(value, tuple):
                found += list(value)
        return sorted(set(found))


def _stated_with_rounding(percent: object) -> tuple[Fraction, Fraction]:
    """A number as written and half its last digit's step: '17.5' -> (17.5, 0.05)."""
    text = percent if isinstance(percent, str) else repr(percent)
    decimals = len(text.partition(".")[2]) if "." in text else 0
    return exact(text), Fraction(1, 2 * 10 ** decimals)


def percent_interval(percent: object) -> Interval:
    """A stated percentage as the fraction interval it rounds from: 18 -> [0.175, 0.185)."""
    p, half_step = _stated_with_rounding(percent)
    return Interval(max(p - half_step, Fraction(0)) / 100, (p + half_step) / 100,
                    low_closed=True, high_closed=False)


def change_interval(percent: object) -> Interval:
    """A stated change as the ratio interval it rounds from: +89 -> [1.885, 1.895), -30 -> [0.695, 0.705)."""
    p, half_step = _stated_with_rounding(percent)
    return Interval(max(1 + (p - half_step) / 100, Fraction(0)), 1 + (p + half_step) / 100,
                    low_closed=True, high_closed=False)


def build_claim(raw: dict[str, Any], *, source: str, vocabulary: Vocabulary,
                file: str | None = None, line: int | None = None,
                field_lines: dict[str, int | None] | None = None) -> Claim:
    """One schema-valid mapping from a claims file as a typed Claim.

    ``line`` is the claim's first line; ``field_lines`` (field -> line) lets an error point at
    the line of the field that is wrong.
    """
    kind = raw["kind"]
    field_lines = field_lines or {}

    def where(field: str | None) -> dict[str, Any]:
        return {"file": file, "line": field_lines.get(field) or line, "claim": raw["id"]}

    words = raw.get("words")
    try:
        spec = _SPEC_BUILDERS[kind](raw, vocabulary)
    except LookupError as exc:  # vague words the vocabulary does not know
        raise DataError(exc.args[0], **where("words")) from None
    except ValueError as exc:
        raise DataError(str(exc), **where("interval" if "interval" in raw else None)) from None
    for name, period in vars(spec).items():  # the spec's fields are named like the YAML's
        if isinstance(period, Period) and period.end < period.start:
            raise DataError(f"field '{name}': period {period} ends before it starts", **where(name))
    if kind == "share" and "percent" in raw:
        words = f"{raw['percent']} percent"
    if kind == "ratio" and "percent_change" in raw:
        words = f"{raw['percent_change']}% change"
    return Claim(id=raw["id"], source=source, kind=kind, series=raw["series"], quote=raw["quote"],
                 spec=spec, words=words, note=raw.get("note"), quote_prefix=raw.get("quote_prefix"),
                 quote_suffix=raw.get("quote_suffix"), file=file, line=line)


def _total(raw: dict, vocabulary: Vocabulary) -> Total:
    if "interval" in raw:
        allowed = Interval.parse(raw["interval"])
    elif "words" in raw:
        if raw.get("relation", "=") != "=":
            raise ValueError("give either 'words' or a 'relation' other than '=', not both")
        allowed = vocabulary.lookup("total", raw["words"]).scaled(Fraction(raw["value"]))
    else:
        allowed = Interval.relation(raw.get("relation", "="), raw["value"])
    return Total(Period.parse(raw["period"]), allowed)


def _extremum(raw: dict, vocabulary: Vocabulary) -> Extremum:
    scope = Period.parse(raw["scope"]) if "scope" in raw else None
    if scope and not scope.start <= raw["month"] <= scope.end:
        raise ValueError(f"month {raw['month']} is outside its scope {scope}")
    return Extremum(raw["month"], raw["extreme"], scope)


def _order(raw: dict, vocabulary: Vocabulary) -> Order:
    above, below = raw.get("above", ()), raw.get("below", ())
    if above == "others" and below == "others":
        raise ValueError("'above' and 'below' cannot both be 'others'")
    named = [m for side in (above, below) if side != "others" for m in side]
    if raw["month"] in named:
        raise ValueError(f"month {raw['month']} is compared with itself")
    return Order(raw["month"],
                 above=() if above == "others" else tuple(above),
                 below=() if below == "others" else tuple(below),
                 above_others=above == "others", below_others=below == "others")


def _stated_fraction(raw: dict, vocabulary: Vocabulary, kind: str) -> Interval:
    if "interval" in raw:
        return Interval.parse(raw["interval"])
    if "words" in raw:
        return vocabulary.lookup(kind, raw["words"])
    if kind == "share":
        relation = raw.get("relation")
        if relation and relation != "=":
            return Interval.relation(relation, exact(str(raw["percent"])) / 100)
        return percent_interval(raw["percent"])
    return change_interval(raw["percent_change"])


def _share(raw: dict, vocabulary: Vocabulary) -> Share:
    return Share(Period.parse(raw["part"]), Period.parse(raw["whole"]),
                 _stated_fraction(raw, vocabulary, "share"))


def _ratio(raw: dict, vocabulary: Vocabulary) -> Ratio:
    return Ratio(Period.parse(raw["numerator"]), Period.parse(raw["denominator"]),
                 _stated_fraction(raw, vocabulary, "ratio"))


def _context(raw: dict, vocabulary: Vocabulary) -> Context:
    period = Period.parse(raw["period"]) if "period" in raw else None
    value = exact(raw["value"]) if "value" in raw else None
    return Context(period, value)


_SPEC_BUILDERS = {"total": _total, "extremum": _extremum, "order": _order, "share": _share,
                  "ratio": _ratio, "context": _context}
