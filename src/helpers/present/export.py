"""Exports for other tools: the series and the claims as a Frictionless Data Package, and the
quote anchors as W3C Web Annotations.

    series.csv          month, low, high, determined, the claims each bound rests on
    claims.csv          every claim with its quote, reading, status and position in its source
    datapackage.json    a Frictionless descriptor of the two tables, with sources and licences
    annotations.jsonld  one W3C Web Annotation per claim (TextQuote and TextPosition selectors)
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from helpers import kinds
from helpers.core.enums import ClaimStatus
from helpers.present.annotations import annotation_collection, source_iri
from helpers.data.dataset import Dataset
from helpers.core.outputs import write_all_atomically
from helpers.present.words import describe

SERIES_FIELDS = [
    {"name": "month", "type": "yearmonth", "description": "The month (YYYY-MM)."},
    {"name": "low", "type": "integer", "description": "Smallest whole number the claims allow (all of them, or those outside every "
                    "conflict set when they conflict: see the package's basis)."},
    {"name": "high", "type": "integer",
     "description": "Largest whole number the claims allow (see the package's basis); empty when "
                    "no claim bounds it."},
    {"name": "determined", "type": "boolean", "description": "Whether low equals high."},
    {"name": "low_rests_on", "type": "string",
     "description": "Ids of the claims the lower bound rests on, separated by ';'."},
    {"name": "high_rests_on", "type": "string",
     "description": "Ids of the claims the upper bound rests on, separated by ';'."},
]
CLAIMS_FIELDS = [
    {"name": "id", "type": "string", "description": "Claim id."},
    {"name": "source", "type": "string", "description": "Id of the source the quote is from."},
    {"name": "series", "type": "string", "description": "The series the claim speaks of."},
    {"name": "kind", "type": "string", "description": f"{kinds.listing()}."},
    {"name": "read_as", "type": "string", "description": "The claim as a constraint, in words."},
    {"name": "status", "type": "string",
     "description": f"{ClaimStatus.listing()} under the export's reading (its statement's)."},
    {"name": "statement", "type": "string",
     "description": "Id of the statement the claim belongs to: the first of the claims several "
                    "outlets give as the same statement (same_as), else the claim's own id."},
    {"name": "attested_by", "type": "integer",
     "description": "How many sources attest the statement."},
    {"name": "attesting_sources", "type": "string",
     "description": "Ids of the sources attesting the statement, separated by ';'."},
    {"name": "quote", "type": "string", "description": "The exact words of the source."},
    {"name": "start", "type": "integer", "description": "Quote start in the source text (code points)."},
    {"name": "end", "type": "integer", "description": "Quote end in the source text (code points)."},
]


def _csv(fields: list[dict], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f["name"] for f in fields])
    writer.writerows(rows)
    return buffer.getvalue()


def series_csv(rec) -> str:
    rows = [[r.months[0], r.low, "" if r.high is None else r.high, str(r.determined).lower(),
             ";".join(r.low_rests_on), ";".join(r.high_rests_on)] for r in rec.months]
    return _csv(SERIES_FIELDS, rows)


def claims_csv(rec, dataset: Dataset) -> str:
    """One row per claim (each outlet's words have their own place in their source)."""
    rows = []
    for c in dataset.claims:
        s = rec.status(c.id)
        rows.append([c.id, c.source, c.series, c.kind, describe(c), s.status, s.claim, len(s.sources),
                     ";".join(s.sources), c.quote, dataset.anchors[c.id].start, dataset.anchors[c.id].end])
    return _csv(CLAIMS_FIELDS, rows)


def _basis_words(rec) -> str:
    if rec.feasible:
        return "all the claims"
    return (f"the claims outside every conflict set (the claims conflict: {len(rec.conflicts)} "
            "set(s) of statements cannot all hold, listed under 'conflicts')")


def datapackage(rec, dataset: Dataset) -> dict:
    sources = [{"title": s.title, "path": source_iri(dataset, s.id), "licence": s.provenance["licence"]}
               for s in dataset.sources.values()]
    return {
        "name": "desertion-series",
        "title": f"Monthly {rec.series.replace('_', ' ')} reconstructed from news quotes",
        "description": (f"Exact ranges of whole-number monthly counts that {_basis_words(rec)} allow, "
                        f"under the reading '{rec.reading.name}': {rec.reading.description} "
                        "The claims' quote anchors are in annotations.jsonld (W3C Web Annotations)."),
        "basis": rec.basis,
        "feasible": rec.feasible,
        "conflicts": [list(c.claims) for c in rec.conflicts],
        "licenses": [{"name": "other-at", "title": "Derived from the sources listed; each source's "
                      "licence applies to its quotes"}],
        "sources": sources,
        "resources": [
            {"name": "series", "path": "series.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": {"fields": SERIES_FIELDS, "primaryKey": ["month"]}},
            {"name": "claims", "path": "claims.csv", "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8", "schema": {"fields": CLAIMS_FIELDS, "primaryKey": ["id"]}},
        ],
    }


def export_all(rec, dataset: Dataset, out_dir: Path) -> list[Path]:
    """Write the four export files into ``out_dir`` (each atomically); return their paths."""
    files = {
        "series.csv": series_csv(rec),
        "claims.csv": claims_csv(rec, dataset),
        "datapackage.json": json.dumps(datapackage(rec, dataset), indent=2, ensure_ascii=False) + "\n",
        "annotations.jsonld": json.dumps(annotation_collection(dataset), indent=2,
                                         ensure_ascii=False) + "\n",
    }
    # All four or none: a failure halfway (a full disk) keeps the earlier export whole.
    write_all_atomically({out_dir / name: text for name, text in files.items()})
    return [out_dir / name for name in files]
