"""Readings: the named interpretive choices under which claims become constraints.

A reading says which claim series count as one monthly series, which months a comparison covers
("the highest", "more than in any other month": the claim's own ``scope``, or every month of the
window), whether extremes are strict, and which named alternative of an ambiguous claim is read
(by claim id, or by the name of a kind of ambiguity several claims share). They live in the data
set's readings.yml.

``comparison_scope`` was once ``extremum_scope``, when only extremum claims had a scope: both
names are accepted, in readings.yml and in code (``Reading(..., extremum_scope="window")``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from helpers.core.enums import ComparisonScope
from helpers.errors import ReadingError

OLD_SCOPE_KEY = "extremum_scope"
SCOPE_KEY = "comparison_scope"
# The name under which a claim's own fields are read, beside its named alternatives.
AS_WRITTEN = "as-written"


@dataclass(frozen=True, init=False)
class Reading:
    name: str
    description: str
    series: str                                   # the series reconstructed by default
    series_map: dict[str, str] = field(default_factory=dict)  # claim series -> model series
    comparison_scope: ComparisonScope = ComparisonScope.STATED
    strict_extremes: bool = True
    # claim id or kind of ambiguity -> the name of the alternative read; absent: as written
    alternatives: dict[str, str] = field(default_factory=dict)

    def __init__(self, name: str, description: str, series: str,
                 series_map: Mapping[str, str] | None = None,
                 comparison_scope: ComparisonScope | str | None = None,
                 strict_extremes: bool = True, alternatives: Mapping[str, str] | None = None, *,
                 extremum_scope: ComparisonScope | str | None = None):
        if comparison_scope is not None and extremum_scope is not None:
            raise ValueError("give comparison_scope or its older name extremum_scope, not both")
        scope = comparison_scope if comparison_scope is not None else extremum_scope
        for key, value in (("name", name), ("description", description), ("series", series),
                           ("series_map", dict(series_map or {})),
                           # text given in code ("window") is held as the enum; anything else refused
                           ("comparison_scope", ComparisonScope(scope or ComparisonScope.STATED)),
                           ("strict_extremes", strict_extremes),
                           ("alternatives", dict(alternatives or {}))):
            object.__setattr__(self, key, value)

    @property
    def extremum_scope(self) -> ComparisonScope:
        """The older name of ``comparison_scope``."""
        return self.comparison_scope

    def series_of(self, claim_series: str) -> str:
        """The model series a claim's series belongs to under this reading."""
        return self.series_map.get(claim_series, claim_series)

    def alternative_for(self, claim_id: str, ambiguity: str | None) -> str | None:
        """The alternative this reading picks for a claim: by its id first, then by its kind of
        ambiguity; None reads the claim as written."""
        if claim_id in self.alternatives:
            return self.alternatives[claim_id]
        return self.alternatives.get(ambiguity) if ambiguity else None

    def with_alternative(self, claim_id: str, alternative: str | None) -> Reading:
        """This reading, but with ``claim_id`` read as ``alternative`` (None: as written)."""
        chosen = {**self.alternatives, claim_id: alternative or AS_WRITTEN}
        return Reading(self.name, self.description, self.series, self.series_map,
                       self.comparison_scope, self.strict_extremes, chosen)

    def parameters(self) -> dict[str, object]:
        return {"series_map": dict(self.series_map), SCOPE_KEY: str(self.comparison_scope),
                "strict_extremes": self.strict_extremes, "alternatives": dict(self.alternatives)}


@dataclass(frozen=True)
class Readings:
    default: str
    by_name: dict[str, Reading]
    file: str | None = None  # where they are defined, for messages
    lines: dict = field(default_factory=dict, compare=False)  # YAML path -> line, for messages

    def get(self, name: str | None) -> Reading:
        name = name or self.default
        if name not in self.by_name:
            known = ", ".join(sorted(self.by_name))
            raise ReadingError(f"unknown reading {name!r}; {self.file or 'the data set'} "
                               f"defines: {known}")
        return self.by_name[name]


def build_readings(raw: dict, file: str, lines: dict | None = None) -> Readings:
    lines = lines or {}
    by_name = {}
    for name, r in raw["readings"].items():
        if (SCOPE_KEY in r) == (OLD_SCOPE_KEY in r):
            both = SCOPE_KEY in r
            raise ReadingError(f"reading {name!r}: " + (
                f"give '{SCOPE_KEY}' or its older name '{OLD_SCOPE_KEY}', not both" if both
                else f"field '{SCOPE_KEY}' is missing (stated or window)"),
                file=file, line=lines.get(("readings", name, OLD_SCOPE_KEY) if both else ("readings", name)))
        by_name[name] = Reading(name=name, description=r["description"], series=r["series"],
                                series_map=r.get("series_map", {}),
                                comparison_scope=r.get(SCOPE_KEY, r.get(OLD_SCOPE_KEY)),
                                strict_extremes=r["strict_extremes"],
                                alternatives=r.get("alternatives", {}))
    if raw["default"] not in by_name:
        known = ", ".join(sorted(by_name))
        raise ReadingError(f"default reading {raw['default']!r} is not defined (defined: {known})",
                           file=file, line=lines.get(("default",)))
    return Readings(raw["default"], by_name, file, lines)
