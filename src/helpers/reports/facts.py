"""What a build knows of each report for its readers and its log: the page's title, what its
reading assumes, its sources, whether its claims conflict and what its ranges rest on.

Every reading is reconstructed once per build (``Readings``, from the build's cache, where the
reports' notebooks left them); the same reconstructions give each reading's exports
(exports/<reading>/ beside the pages).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.core.enums import ClaimStatus
from helpers.data.dataset import Dataset
from helpers.reports import cache
from helpers.present.export import export_all
from helpers.present.page import build_date, page_title
from helpers.present.views import outlet, statement_outlets

EXPORTS_SUBDIR = "exports"


@dataclass(frozen=True)
class Facts:
    title: str
    assumes: str
    sources: str
    basis: str | None          # what the ranges rest on (reports of a reading)
    conflict: str | None       # a line saying which statements cannot all hold, or None
    built: str

    def as_record(self) -> dict:
        return {"basis": self.basis, "conflict": self.conflict}


class Readings:
    """The reconstruction of each (reading, series), made on first use (or read from
    ``cache_dir``, see ``cache``)."""

    def __init__(self, dataset: Dataset, cache_dir: Path | None = None):
        self.dataset = dataset
        self.cache_dir = cache_dir
        self._done: dict[tuple[str, str | None], object] = {}

    def get(self, reading: str | None, series: str | None = None):
        key = (reading or self.dataset.readings.default, series or None)
        if key not in self._done:
            self._done[key] = cache.reconstruct(self.dataset, reading=key[0], series=key[1],
                                                cache=self.cache_dir)
        return self._done[key]


def conflict_line(rec, dataset: Dataset) -> str | None:
    if rec.feasible:
        return None
    smallest = min(rec.conflicts, key=lambda c: len(c.claims))
    every = list(dict.fromkeys(cid for c in rec.conflicts for cid in c.claims))
    return (f"under reading {rec.reading.name}, {len(rec.conflicts)} set(s) of statements "
            f"cannot all hold (the smallest: {' and '.join(smallest.claims)}), from "
            f"{statement_outlets(rec, dataset, every)}; the ranges rest on {rec.basis}")


def report_facts(job, dataset: Dataset, readings: Readings) -> Facts:
    parameters = job.parameters
    date = build_date(dataset)
    if "reading" in parameters or "series" in parameters:
        rec = readings.get(parameters.get("reading") or None, parameters.get("series") or None)
        used = list(dict.fromkeys(c.source for c in dataset.claims
                                  if rec.status(c.id).status != ClaimStatus.CONTEXT))
        return Facts(str(page_title(rec)), rec.reading.description,
                     ", ".join(outlet(dataset, s) for s in used) or "none", rec.basis,
                     conflict_line(rec, dataset), date)
    source = parameters.get("source_id")
    if source in dataset.sources:
        return Facts(dataset.sources[source].title, "no reading: the source's text and what its claims say",
                     outlet(dataset, source), None, None, date)
    return Facts(job.name, "", "", None, None, date)


def export_every_reading(dataset: Dataset, readings: Readings, out_dir: Path) -> list[Path]:
    """exports/<reading>/: each reading's series, claims and data package."""
    written = []
    for name in dataset.readings.by_name:
        written += export_all(readings.get(name), dataset, out_dir / EXPORTS_SUBDIR / name)
    return written
