"""Readings: the named interpretive choices under which claims become constraints.

A reading says which claim series count as one monthly series, whether "highest"/"lowest"
cover only the months the article reports (the claim's ``scope``) or every month of the
window, and whether extremes are strict. They live in the data set's readings.yml.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from helpers.core.enums import ExtremumScope
from helpers.errors import ReadingError


@dataclass(frozen=True)
class Reading:
    name: str
    description: str
    series: str                                   # the series reconstructed by default
    series_map: dict[str, str] = field(default_factory=dict)  # claim series -> model series
    extremum_scope: ExtremumScope = ExtremumScope.STATED
    strict_extremes: bool = True

    def __post_init__(self):
        # Readings built in code may name the scope by its text ("window"); keep the enum.
        object.__setattr__(self, "extremum_scope", ExtremumScope(self.extremum_scope))

    def series_of(self, claim_series: str) -> str:
        """The model series a claim's series belongs to under this reading."""
        return self.series_map.get(claim_series, claim_series)

    def parameters(self) -> dict[str, object]:
        return {"series_map": dict(self.series_map), "extremum_scope": str(self.extremum_scope),
                "strict_extremes": self.strict_extremes}


@dataclass(frozen=True)
class Readings:
    default: str
    by_name: dict[str, Reading]
    file: str | None = None  # where they are defined, for messages

    def get(self, name: str | None) -> Reading:
        name = name or self.default
        if name not in self.by_name:
            known = ", ".join(sorted(self.by_name))
            raise ReadingError(f"unknown reading {name!r}; {self.file or 'the data set'} "
                               f"defines: {known}")
        return self.by_name[name]


def build_readings(raw: dict, file: str, lines: dict | None = None) -> Readings:
    by_name = {name: Reading(name=name, description=r["description"], series=r["series"],
                             series_map=dict(r.get("series_map", {})),
                             extremum_scope=ExtremumScope(r["extremum_scope"]),
                             strict_extremes=r["strict_extremes"])
               for name, r in raw["readings"].items()}
    if raw["default"] not in by_name:
        known = ", ".join(sorted(by_name))
        raise ReadingError(f"default reading {raw['default']!r} is not defined (defined: {known})",
                           file=file, line=(lines or {}).get(("default",)))
    return Readings(raw["default"], by_name, file)
