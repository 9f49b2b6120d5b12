"""Claims: what one quote says about monthly counts, in a typed form the engine can use.

A claim file holds the claims read from one source. ``build_claim`` turns one validated
YAML mapping into a ``Claim`` whose ``spec`` is the dataclass of its kind (helpers.kinds),
with every vague word and percentage already resolved to an exact ``Interval``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from helpers import kinds
from helpers.errors import DataError
from helpers.core.months import Period
from helpers.core.readings import Reading
from helpers.core.vocabulary import Vocabulary


@dataclass(frozen=True)
class Claim:
    id: str
    source: str
    kind: str
    series: str
    quote: str
    spec: Any                      # the dataclass of the claim's kind
    words: str | None = None       # the vague words or percentage as written, for reports
    note: str | None = None
    quote_prefix: str | None = None
    quote_suffix: str | None = None
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def months(self) -> list[str]:
        """Every month the claim names (its periods, its month, its comparison months)."""
        return kinds.get(self.kind).months(self.spec)

    def totalled_periods(self) -> list[Period]:
        """The periods whose totals the claim speaks of (a total's period, a share's part and whole)."""
        return kinds.get(self.kind).totalled_periods(self.spec)


def build_claim(raw: dict[str, Any], *, source: str, vocabulary: Vocabulary,
                file: str | None = None, line: int | None = None,
                field_lines: dict[str, int | None] | None = None) -> Claim:
    """One schema-valid mapping from a claims file as a typed Claim.

    ``line`` is the claim's first line; ``field_lines`` (field -> line) lets an error point at
    the line of the field that is wrong.
    """
    kind = kinds.get(raw["kind"])
    field_lines = field_lines or {}

    def where(field: str | None) -> dict[str, Any]:
        return {"file": file, "line": field_lines.get(field) or line, "claim": raw["id"]}

    try:
        spec = kind.parse(raw, vocabulary)
    except LookupError as exc:  # vague words the vocabulary does not know
        raise DataError(exc.args[0], **where("words")) from None
    except kinds.FieldError as exc:
        raise DataError(str(exc), **where(exc.field)) from None
    except ValueError as exc:
        raise DataError(str(exc), **where("interval" if "interval" in raw else None)) from None
    for name, period in vars(spec).items():  # the spec's fields are named like the YAML's
        if isinstance(period, Period) and period.end < period.start:
            raise DataError(f"field '{name}': period {period} ends before it starts", **where(name))
    try:  # its rows within what the solver carries exactly (helpers.core.limits), checked now
        list(kind.constraints(raw["id"], spec, kind.months(spec), Reading("", "", raw["series"])))
    except DataError as exc:  # the rows of a claim touch only its own months (or two at a time)
        raise DataError(exc.message, **where(None)) from None
    return Claim(id=raw["id"], source=source, kind=kind.name, series=raw["series"],
                 quote=raw["quote"], spec=spec, words=kind.stated_words(raw), note=raw.get("note"),
                 quote_prefix=raw.get("quote_prefix"), quote_suffix=raw.get("quote_suffix"),
                 file=file, line=line)
