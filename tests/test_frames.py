"""present/frames.py: the reconstruction as pandas DataFrames, equal to the exports."""
from __future__ import annotations

import io

import pandas as pd

from helpers.data.dataset import load_dataset
from helpers.engine.reconstruct import every_reading, reconstruct
from helpers.present import frames
from helpers.present.export import series_csv


def test_the_months_frame_equals_series_csv():
    rec = reconstruct(load_dataset(None))
    read = pd.read_csv(io.StringIO(series_csv(rec)), dtype={"month": str, "high": "Int64"},
                       keep_default_na=False, na_values={"high": [""]})
    pd.testing.assert_frame_equal(frames.months_frame(rec), read)


def test_periods_claims_and_readings_frames():
    dataset = load_dataset(None)
    rec = reconstruct(dataset)
    periods = frames.periods_frame(rec)
    assert periods.set_index(["start", "end"]).loc[("2023-07", "2023-08"), "low"] == 251
    claims = frames.claims_frame(rec, dataset)
    assert claims.loc["jun-54", "status"] == "binding" and "54" in claims.loc["jun-54", "quote"]
    side = frames.readings_frame(every_reading(dataset))
    assert side.loc["2023-09", ("one-series", "low")] == 184
    listed = frames.readings_list(dataset)
    assert listed.loc["one-series", "default"] and "help_requests" in listed.loc["one-series", "series_available"]
