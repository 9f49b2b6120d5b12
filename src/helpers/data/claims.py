"""Claims: what one quote says about monthly counts, in a typed form the engine can use.

A claim file holds the claims read from one source. ``build_claim`` turns one validated
YAML mapping into a ``Claim`` whose ``spec`` is the dataclass of its kind (helpers.kinds),
with every vague word and percentage already resolved to an exact ``Interval``.

Two more things a claim may carry (data/README.md, "Same statements" and "Alternatives"):

* ``same_as``: the id of another source's claim that is the same statement (statements.py);
* ``alternatives``: named other readings of its own fields, each parsed like the claim itself
  with those fields put in place of the claim's (``ClaimAlternative``), and an ``ambiguity``:
  the name of the kind of doubt, which a reading may settle for every claim that shares it.
  ``Claim.under(reading)`` is the claim as the reading reads it.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from helpers import kinds
from helpers.core.months import Period
from helpers.core.readings import AS_WRITTEN, Reading
from helpers.core.vocabulary import Vocabulary
from helpers.errors import DataError

# Fields of a claim that are no field of its kind: they say how the claim stands among others.
LINK_FIELDS = ("same_as", "ambiguity", "alternatives")


@dataclass(frozen=True)
class ClaimAlternative:
    """Another reading of a claim's own fields: ``spec`` parsed with them in place."""

    name: str
    spec: Any
    words: str | None = None
    note: str | None = None
    fields: tuple[tuple[str, Any], ...] = ()   # the fields as written, for reports


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
    same_as: str | None = None     # another source's claim this one repeats
    ambiguity: str | None = None   # the kind of doubt its alternatives settle
    alternatives: tuple[ClaimAlternative, ...] = ()
    alternative: str | None = None  # which alternative this copy reads (None: as written)

    def months(self) -> list[str]:
        """Every month the claim names (its periods, its month, its comparison months)."""
        return kinds.get(self.kind).months(self.spec)

    def totalled_periods(self) -> list[Period]:
        """The periods whose totals the claim speaks of (a total's period, a share's part and whole)."""
        return kinds.get(self.kind).totalled_periods(self.spec)

    def alternative_names(self) -> list[str]:
        return [AS_WRITTEN, *(a.name for a in self.alternatives)] if self.alternatives else []

    def under(self, reading: Reading) -> Claim:
        """The claim as ``reading`` reads it: its own fields, or the alternative it picks."""
        return self.reading_as(reading.alternative_for(self.id, self.ambiguity))

    def reading_as(self, name: str | None) -> Claim:
        """The claim read as the alternative ``name`` (None or 'as-written': its own fields)."""
        if name in (None, AS_WRITTEN):
            return self
        chosen = next((a for a in self.alternatives if a.name == name), None)
        if chosen is None:
            known = ", ".join(self.alternative_names()) or "none"
            raise DataError(f"no alternative {name!r} (known: {known})", claim=self.id)
        return dataclasses.replace(self, spec=chosen.spec, words=chosen.words, alternative=name)


def build_claim(raw: dict[str, Any], *, source: str, vocabulary: Vocabulary,
                file: str | None = None, line: int | None = None,
                field_lines: dict[str, int | None] | None = None,
                alternative_lines: dict[str, dict[str, int | None]] | None = None) -> Claim:
    """One schema-valid mapping from a claims file as a typed Claim.

    ``line`` is the claim's first line; ``field_lines`` (field -> line) lets an error point at
    the line of the field that is wrong; ``alternative_lines`` does the same for the fields of
    each alternative (name -> field -> line; the name itself under the key '').
    """
    own = {key: value for key, value in raw.items() if key not in LINK_FIELDS}
    spec, words = _parse(own, vocabulary, file, line, field_lines or {})
    alternatives = []
    field_lines = field_lines or {}
    if "ambiguity" in raw and not raw.get("alternatives"):
        raise DataError("field 'ambiguity': the claim has no alternatives for a reading to choose "
                        "from", file=file, line=field_lines.get("ambiguity") or line, claim=raw["id"])
    for name, fields in raw.get("alternatives", {}).items():
        lines = (alternative_lines or {}).get(name, {})
        if set(fields) <= {"note"}:
            raise DataError(f"alternative {name!r}: give the fields it reads differently",
                            file=file, line=lines.get("") or line, claim=raw["id"])
        if name == AS_WRITTEN:
            raise DataError(f"alternative {name!r}: that name is the claim's own fields; name "
                            f"the alternative otherwise", file=file, line=lines.get("") or line,
                            claim=raw["id"])
        restated = {k: v for k, v in fields.items() if k != "note"}
        merged = {**_without_numbers_if_restated(own, fields), **restated}
        try:
            alt_spec, alt_words = _parse(merged, vocabulary, file, lines.get("") or line, lines)
        except DataError as exc:
            exc.message = f"alternative {name!r}: {exc.message}"
            exc.args = (exc.message,)
            raise
        alternatives.append(ClaimAlternative(name, alt_spec, alt_words, fields.get("note"),
                                             tuple((k, v) for k, v in fields.items() if k != "note")))
    return Claim(id=raw["id"], source=source, kind=raw["kind"], series=raw["series"],
                 quote=raw["quote"], spec=spec, words=words, note=raw.get("note"),
                 quote_prefix=raw.get("quote_prefix"), quote_suffix=raw.get("quote_suffix"),
                 file=file, line=line, same_as=raw.get("same_as"), ambiguity=raw.get("ambiguity"),
                 alternatives=tuple(alternatives))


def _without_numbers_if_restated(own: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """An alternative that states the number anew (one of the kind's ways: a value, an
    interval, a percentage...) replaces every way the claim stated it, with its relation and
    words; other fields it leaves as they are."""
    kind = kinds.get(own["kind"])
    ways = {f for way in kind.one_of for f in way}
    if ways & set(fields):
        return {k: v for k, v in own.items() if k not in ways | {"relation", "words"}}
    return own


def _parse(raw: dict[str, Any], vocabulary: Vocabulary, file: str | None, line: int | None,
           field_lines: dict[str, int | None]) -> tuple[Any, str | None]:
    kind = kinds.get(raw["kind"])

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
    return spec, kind.stated_words(raw)
