"""Exports: the CSV matches the engine's JSON, the data package validates with frictionless."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import frictionless
import pytest

from helpers import paths


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    result = subprocess.run([sys.executable, "-m", "helpers", "export", "--out", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def test_every_export_file_is_written(exported):
    for name in ("series.csv", "claims.csv", "datapackage.json", "annotations.jsonld"):
        assert (exported / name).stat().st_size > 0


def test_data_package_validates_with_frictionless(exported):
    report = frictionless.validate(str(exported / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_series_csv_matches_the_engine_json(exported):
    result = subprocess.run([sys.executable, "-m", "helpers", "reconstruct", "--format", "json"],
                            capture_output=True, text=True, timeout=300, cwd=paths.project_root())
    months = json.loads(result.stdout)["months"]
    with open(exported / "series.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["month"] for r in rows] == [m["month"] for m in months]
    for row, month in zip(rows, months):
        assert int(row["low"]) == month["low"]
        assert (int(row["high"]) if row["high"] else None) == month["high"]
        assert row["determined"] == str(month["determined"]).lower()
        for side in ("low_rests_on", "high_rests_on"):
            assert (row[side].split(";") if row[side] else []) == list(month[side])


def test_annotations_are_json_ld_with_one_item_per_claim(exported):
    collection = json.loads((exported / "annotations.jsonld").read_text())
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    claims = list(csv.DictReader(open(exported / "claims.csv", encoding="utf-8")))
    assert [i["id"].rsplit(":", 1)[1] for i in collection["first"]["items"]] == [c["id"] for c in claims]


def test_the_claims_table_describes_every_kind_and_every_status(exported):
    """Rendered from the kinds registry and from ClaimStatus, so a new value cannot be missing."""
    from helpers import kinds
    from helpers.core.enums import ClaimStatus
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    claims = next(r for r in package["resources"] if r["name"] == "claims")
    described = {f["name"]: f["description"] for f in claims["schema"]["fields"]}
    assert all(name in described["kind"] for name in kinds.names())
    assert all(status.value in described["status"] for status in ClaimStatus)
    assert "joint" in described["status"]
