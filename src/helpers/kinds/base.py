"""What every claim kind is made of, and the one registry of kinds.

A claim kind is a subclass of ``Kind`` in a module of its own (``helpers/kinds/<name>.py``),
ending with one ``register(...)`` line; ``helpers.kinds`` imports every module of the package,
so adding a kind is adding one file. A subclass states what differs and inherits the rest
(the way papermill's translators do):

* ``name``, ``spec`` (the frozen dataclass a claim of the kind carries) and ``position`` (where
  the kind stands in lists: the schema's enum, the export's description);
* the schema fragment, beside the code that reads it: ``fields`` (JSON Schema of each field),
  ``required``, ``one_of`` (exactly one of these ways of stating the number: JSON Schema
  ``oneOf``) and ``any_of`` (at least one: ``anyOf``);
* ``table``: the vocabulary table its vague ``words`` are looked up in, if any;
* ``outside``: why a kind stands outside the monthly model (None for kinds that constrain months);
* ``parse`` (a schema-valid YAML mapping to a spec, vague words and percentages resolved to
  exact intervals), ``stated_words`` (what reports print beside the reading);
* ``constraints`` (the integer rows of helpers.core.linear), ``describe`` (the claim in words),
  ``totalled_periods`` (periods whose totals the claim speaks of: the engine reports their
  ranges) and ``months`` (every month the claim names).

Errors in ``parse``: ``FieldError`` names the field whose line an error points at; any other
``ValueError`` points at the claim (or its ``interval``), ``LookupError`` at its ``words``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields as dataclass_fields
from fractions import Fraction
from typing import Any, ClassVar

from helpers.core.enums import ComparisonScope
from helpers.core.intervals import INTERVAL_PATTERN, Interval, exact, in_words
from helpers.core.limits import MAX_COUNT, MAX_DECIMALS, MAX_PERCENT_DECIMALS
from helpers.core.linear import Constraint, combine, linear_row, merged_rows, period_sum, scaled
from helpers.core.months import MONTH_PATTERN, PERIOD_PATTERN, Period, is_month
from helpers.core.readings import Reading
from helpers.core.vocabulary import Vocabulary

# JSON Schema pieces the kinds' fields are made of (data/schema.py uses them too).
# ``numberLimits`` is this package's keyword (data/schema.py enforces it): every number in the
# value has at most ``decimals`` decimals and is at most ``largest`` in size, so that it reaches
# the solver exactly (helpers.core.limits, and "Limits" in data/README.md).
LIMITS = {"largest": MAX_COUNT, "decimals": MAX_DECIMALS}
PERCENT_LIMITS = {"largest": MAX_COUNT, "decimals": MAX_PERCENT_DECIMALS, "what": "percentage"}
TEXT = {"type": "string", "minLength": 1}
MONTH = {"type": "string", "pattern": MONTH_PATTERN}
PERIOD = {"type": "string", "pattern": PERIOD_PATTERN}
INTERVAL = {"type": "string", "pattern": INTERVAL_PATTERN, "numberLimits": LIMITS}
COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
AMOUNT = {"type": "number", "minimum": 0, "maximum": MAX_COUNT, "numberLimits": LIMITS}
RELATION = {"enum": ["=", ">", ">=", "<", "<="]}


class FieldError(ValueError):
    """A value the schema lets through that is still wrong; the error points at its field."""

    def __init__(self, field: str, message: str):
        super().__init__(f"field '{field}': {message}")
        self.field = field


class Kind:
    """One kind of claim. Subclasses override only what differs (see the module docstring)."""

    name: ClassVar[str]
    spec: ClassVar[type]
    position: ClassVar[int] = 1000
    fields: ClassVar[dict[str, dict[str, Any]]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    any_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    table: ClassVar[str | None] = None
    outside: ClassVar[str | None] = None

    @classmethod
    def parse(cls, raw: dict[str, Any], vocabulary: Vocabulary) -> Any:
        raise NotImplementedError(f"kind {cls.name!r} does not say how to read its fields")

    @classmethod
    def stated_words(cls, raw: dict[str, Any]) -> str | None:
        """The vague words or percentage as written, for reports."""
        return raw.get("words")

    @classmethod
    def constraints(cls, claim: str, spec: Any, window: Sequence[str],
                    reading: Reading) -> Iterable[Constraint]:
        """The integer rows the claim stands for. ``window``: the months a comparison with no
        scope of its own covers (``compared_months``); engine/model.py chooses them: every month
        of the series' window under a ``window`` reading, else the months the claim's own
        source names, so that what a claim means never depends on the other sources loaded."""
        return ()

    @classmethod
    def compares_unscoped(cls, spec: Any) -> bool:
        """Whether the claim compares a month with "every other month" without a scope of its
        own, so that the months compared are its source's (see ``constraints``)."""
        return False

    @classmethod
    def describe(cls, spec: Any, words: str | None) -> str:
        raise NotImplementedError(f"kind {cls.name!r} does not say how it reads in words")

    @classmethod
    def totalled_periods(cls, spec: Any) -> list[Period]:
        return []

    @classmethod
    def months(cls, spec: Any) -> list[str]:
        """Every month the spec names: its periods, its months, its lists of months."""
        found: list[str] = []
        for value in (getattr(spec, f.name) for f in dataclass_fields(spec)):
            if isinstance(value, Period):
                found += value.months
            elif is_month(value):  # not len == 7: "highest" has seven letters too
                found.append(value)
            elif isinstance(value, tuple):
                found += [v for v in value if is_month(v)]
        return sorted(set(found))

    @classmethod
    def lookup(cls, vocabulary: Vocabulary, words: str) -> Interval:
        """The interval of vague words in the kind's vocabulary table."""
        return vocabulary.lookup(cls.table or cls.name, words, kind=cls.name)


# -- the registry ---------------------------------------------------------------------------------

_KINDS: dict[str, type[Kind]] = {}


def register(kind: type[Kind]) -> type[Kind]:
    """Make a kind known by its name (and by its spec class); each kind module ends with this."""
    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        raise ValueError(f"two claim kinds are named {kind.name!r}")
    _KINDS[kind.name] = kind
    return kind


def all_kinds() -> list[type[Kind]]:
    """Every registered kind, in list order (``position``, then name)."""
    return sorted(_KINDS.values(), key=lambda k: (k.position, k.name))


def names() -> list[str]:
    return [k.name for k in all_kinds()]


def listing() -> str:
    """'total, extremum, ... or context': every kind, for messages and field descriptions."""
    found = names()
    return found[0] if len(found) == 1 else ", ".join(found[:-1]) + " or " + found[-1]


def get(name: str) -> type[Kind]:
    try:
        return _KINDS[name]
    except KeyError:
        raise KeyError(f"no claim kind {name!r} (known: {listing()})") from None


def of_spec(spec: object) -> type[Kind]:
    """The kind whose spec class ``spec`` is an instance of."""
    for kind in _KINDS.values():
        if type(spec) is kind.spec:
            return kind
    raise KeyError(f"no claim kind has the spec {type(spec).__name__}")


# -- pieces several kinds share -------------------------------------------------------------------

def compared_months(scope: Period | None, window: Sequence[str], reading: Reading) -> list[str]:
    """The months a comparison covers ("the highest", "more than in any other month"): the
    claim's own ``scope`` under a ``stated`` reading, else ``window`` (see Kind.constraints)."""
    if scope is not None and reading.comparison_scope == ComparisonScope.STATED:
        return scope.months
    return list(window)


def parse_scope(raw: dict[str, Any]) -> Period | None:
    """A comparison's ``scope``, which must contain the claim's ``month``."""
    scope = Period.parse(raw["scope"]) if "scope" in raw else None
    if scope and not scope.start <= raw["month"] <= scope.end:
        raise ValueError(f"month {raw['month']} is outside its scope {scope}")
    return scope


def refuse_relation_beside(raw: dict[str, Any]) -> None:
    """A ``relation`` qualifies a ``value`` (or a ``percent``); beside words or an interval it
    would be ignored, so it is refused."""
    if raw.get("relation", "=") == "=":
        return
    for other in ("words", "interval"):
        if other in raw:
            raise ValueError(f"give either '{other}' or a 'relation' other than '=', not both")


def stated_amount(kind: type[Kind], raw: dict[str, Any], vocabulary: Vocabulary) -> Interval:
    """A number stated as ``value`` (with an optional ``relation``), as ``value`` scaled by vague
    ``words`` ("about 4,000" = 4,000 x [0.9, 1.1]), or as an ``interval`` written out."""
    refuse_relation_beside(raw)
    if "interval" in raw:
        if "words" in raw:  # words scale a value; beside an interval they would be ignored
            raise ValueError("give either 'words' (with a 'value') or an 'interval', not both")
        return Interval.parse(raw["interval"])
    if "words" in raw:
        return kind.lookup(vocabulary, raw["words"]).scaled(exact(raw["value"]))
    return Interval.relation(raw.get("relation", "="), exact(raw["value"]))


def stated_with_rounding(number: object) -> tuple[Fraction, Fraction]:
    """A number as written and half its last digit's step: '17.5' -> (17.5, 0.05)."""
    text = number if isinstance(number, str) else repr(number)
    decimals = len(text.partition(".")[2]) if "." in text else 0
    return exact(text), Fraction(1, 2 * 10 ** decimals)


class FractionKind(Kind):
    """A kind stating one period's total divided by another's (``share``, ``ratio``): its spec
    has the two periods under the field names ``over`` and the interval ``allowed``."""

    over: ClassVar[tuple[str, str]] = ("part", "whole")

    @classmethod
    def _periods(cls, spec) -> tuple[Period, Period]:
        return getattr(spec, cls.over[0]), getattr(spec, cls.over[1])

    @classmethod
    def constraints(cls, claim, spec, window, reading):
        return merged_rows(claim, fraction_rows(claim, *cls._periods(spec), spec.allowed))

    @classmethod
    def describe(cls, spec, words):
        top, bottom = cls._periods(spec)
        return f"total of {top} / total of {bottom} {in_words(spec.allowed)}" + (
            f" ({words})" if words else "")

    @classmethod
    def totalled_periods(cls, spec):
        return list(cls._periods(spec))


def fraction_rows(claim: str, top: Period, bottom: Period, allowed: Interval) -> list[Constraint | None]:
    """``total(top) / total(bottom) in allowed`` with ``total(bottom) >= 1``: a fraction of
    nothing, or a change from nothing, is no statement a reporter makes."""
    numerator, denominator = period_sum(top), period_sum(bottom)
    rows = [linear_row(claim, denominator, Interval(Fraction(1), None))]
    if allowed.low is not None:   # top - low*bottom >= 0  (> 0 if the end is open)
        rows.append(linear_row(claim, combine(numerator, scaled(denominator, -allowed.low)),
                               Interval(Fraction(0), None, low_closed=allowed.low_closed)))
    if allowed.high is not None:  # top - high*bottom <= 0  (< 0 if the end is open)
        rows.append(linear_row(claim, combine(numerator, scaled(denominator, -allowed.high)),
                               Interval(None, Fraction(0), high_closed=allowed.high_closed)))
    return rows
