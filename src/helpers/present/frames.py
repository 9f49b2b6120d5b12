"""The reconstruction as pandas DataFrames, to compute with (in JupyterLab, or any script).

    months_frame(rec)             one row per month: low, high, determined, what each bound rests on
                                  (the same columns and values as series.csv)
    periods_frame(rec)            one row per multi-month total
    claims_frame(rec, dataset)    one row per claim: source, outlet, kind, words, status, reason, quote
    readings_frame(results)       every reading's ranges side by side (columns: reading, low/high)
    readings_list(dataset)        the readings one may choose, what each assumes and its series

``high`` is a nullable integer (``<NA>``: no claim bounds the month from above).
"""
from __future__ import annotations

import pandas as pd

from helpers.data.dataset import Dataset
from helpers.engine.model import known_series
from helpers.present.words import describe


def months_frame(rec) -> pd.DataFrame:
    """The months of a reconstruction, as series.csv holds them (``month`` as "YYYY-MM")."""
    frame = pd.DataFrame(
        [{"month": r.months[0], "low": r.low, "high": r.high, "determined": r.determined,
          "low_rests_on": ";".join(r.low_rests_on), "high_rests_on": ";".join(r.high_rests_on)}
         for r in rec.months],
        columns=["month", "low", "high", "determined", "low_rests_on", "high_rests_on"])
    return frame.astype({"low": "int64", "high": "Int64", "determined": "bool"})


def periods_frame(rec) -> pd.DataFrame:
    """Totals over consecutive months: ``start``, ``end`` ("YYYY-MM"), ``low``, ``high``, ..."""
    frame = pd.DataFrame(
        [{"start": r.months[0], "end": r.months[-1], "low": r.low, "high": r.high,
          "determined": r.determined, "tighter_than_months": r.tighter_than_months,
          "low_rests_on": ";".join(r.low_rests_on), "high_rests_on": ";".join(r.high_rests_on)}
         for r in rec.periods],
        columns=["start", "end", "low", "high", "determined", "tighter_than_months",
                 "low_rests_on", "high_rests_on"])
    return frame.astype({"low": "int64", "high": "Int64"})


def claims_frame(rec, dataset: Dataset) -> pd.DataFrame:
    """Every claim with its statement's status under ``rec``'s reading, why, and its quote."""
    rows = []
    for claim in dataset.claims:
        status = rec.status(claim.id)
        source = dataset.sources[claim.source]
        rows.append({"id": claim.id, "source": claim.source,
                     "outlet": source.provenance.get("publisher") or source.title,
                     "series": claim.series, "kind": claim.kind, "read_as": describe(claim),
                     "statement": status.claim, "status": str(status.status), "reason": status.reason,
                     "quote": claim.quote})
    return pd.DataFrame(rows).set_index("id")


def readings_frame(results: dict) -> pd.DataFrame:
    """``results``: reading name -> reconstruction (engine.reconstruct.every_reading). One row
    per month, two columns (low, high) per reading."""
    columns = {}
    for name, rec in results.items():
        columns.setdefault((name, "low"), {})  # (a reading the time budget left out: all <NA>)
        columns.setdefault((name, "high"), {})
        for r in (rec.months if rec else ()):
            columns.setdefault((name, "low"), {})[r.months[0]] = r.low
            columns.setdefault((name, "high"), {})[r.months[0]] = r.high
    frame = pd.DataFrame(columns).sort_index().astype("Int64")
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["reading", "bound"])
    frame.index.name = "month"
    return frame


def readings_list(dataset: Dataset) -> pd.DataFrame:
    """The readings of the data set: what each assumes, its default series, the series it knows."""
    return pd.DataFrame(
        [{"reading": name, "default": name == dataset.readings.default, "series": reading.series,
          "series_available": ", ".join(known_series(dataset.claims, reading)),
          "assumes": reading.description}
         for name, reading in dataset.readings.by_name.items()]).set_index("reading")
