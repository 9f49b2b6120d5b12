"""reports/fingerprint.py: what a report's fingerprint covers, so that it is rebuilt exactly when
something it reads changes (and only then)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import paths
from helpers.reports import fingerprint
from helpers.reports.fingerprint import claims_sources, data_files, library_fingerprint, report_fingerprint

from conftest import SEED_ID

SOURCE_INPUTS = (f"sources/{SEED_ID}.txt", f"sources/{SEED_ID}.yml", f"claims/{SEED_ID}.yml",
                 "vocabulary.yml")  # as notebooks/reports.yml gives them for the seed's report
EXTRA_CLAIM = f"""\
source: {SEED_ID}
claims:
  - id: jun-54-again
    kind: total
    series: desertion_attempts
    period: 2023-06
    value: 54
    quote: June (54 cases)
"""
OTHER_SOURCE = "zzz_other"


def names(files: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in files]


@pytest.fixture
def notebook(tmp_path) -> Path:
    path = tmp_path / "report.ipynb"
    path.write_text('{"cells": []}', encoding="utf-8")
    return path


def fingerprint_of(notebook: Path, data: Path, inputs=(), parameters=None, library="lib") -> str:
    return report_fingerprint(notebook, parameters or {}, data, tuple(inputs), library,
                              claims_sources(data))


def test_without_inputs_every_file_of_the_data_directory_is_read(data_copy):
    files = names(data_files(data_copy, ()), data_copy)
    assert files == sorted(p.relative_to(data_copy).as_posix() for p in data_copy.rglob("*")
                           if p.is_file())
    assert "readings.yml" in files and f"claims/{SEED_ID}.yml" in files


def test_inputs_are_globs_relative_to_the_data_directory(data_copy):
    files = names(data_files(data_copy, ("sources/*.txt", "vocabulary.yml")), data_copy)
    assert files == [f"sources/{SEED_ID}.txt", "vocabulary.yml"]


def test_a_claims_file_named_otherwise_is_an_input_of_its_source(data_copy):
    """claims/extra.yml with `source: <id>` is read by the loader as that source's claims, so
    the source's report must be rebuilt when it appears or changes."""
    before = names(data_files(data_copy, SOURCE_INPUTS, claims_sources(data_copy)), data_copy)
    (data_copy / "claims" / "extra.yml").write_text(EXTRA_CLAIM, encoding="utf-8")
    claims = claims_sources(data_copy)
    assert claims == {f"claims/{SEED_ID}.yml": SEED_ID, "claims/extra.yml": SEED_ID}
    after = names(data_files(data_copy, SOURCE_INPUTS, claims), data_copy)
    assert after == sorted(before + ["claims/extra.yml"])


def test_a_claims_file_read_before_a_sources_claims_is_an_input_too(data_copy):
    """Claims are numbered [1], [2], ... across files in the loader's order: a file read earlier
    (another source's) moves the numbers a source's report shows; one read later does not."""
    earlier = data_copy / "claims" / "000_000_earlier.yml"
    later = data_copy / "claims" / "zzz_later.yml"
    for path in (earlier, later):
        path.write_text(f"source: {OTHER_SOURCE}\nclaims: []\n", encoding="utf-8")
    files = names(data_files(data_copy, SOURCE_INPUTS, claims_sources(data_copy)), data_copy)
    assert "claims/000_000_earlier.yml" in files
    assert "claims/zzz_later.yml" not in files


def test_a_file_linked_from_outside_the_data_directory_is_never_read(data_copy, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not data", encoding="utf-8")
    (data_copy / "sources" / "linked.txt").symlink_to(outside)
    assert "sources/linked.txt" not in names(data_files(data_copy, ()), data_copy)
    assert "sources/linked.txt" not in names(data_files(data_copy, ("sources/*",)), data_copy)


def test_the_fingerprint_changes_with_each_thing_a_report_reads(data_copy, notebook):
    base = fingerprint_of(notebook, data_copy, SOURCE_INPUTS)
    assert fingerprint_of(notebook, data_copy, SOURCE_INPUTS) == base  # deterministic
    assert fingerprint_of(notebook, data_copy, SOURCE_INPUTS, {"source_id": "x"}) != base
    assert fingerprint_of(notebook, data_copy, SOURCE_INPUTS, library="other") != base

    notebook.write_text('{"cells": [], "changed": true}', encoding="utf-8")
    changed_notebook = fingerprint_of(notebook, data_copy, SOURCE_INPUTS)
    assert changed_notebook != base

    vocabulary = data_copy / "vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert fingerprint_of(notebook, data_copy, SOURCE_INPUTS) != changed_notebook


def test_a_file_a_report_does_not_read_leaves_its_fingerprint_alone(data_copy, notebook):
    base = fingerprint_of(notebook, data_copy, SOURCE_INPUTS)
    readings = data_copy / "readings.yml"
    readings.write_text(readings.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    (data_copy / "claims" / "zzz_later.yml").write_text(f"source: {OTHER_SOURCE}\nclaims: []\n",
                                                        encoding="utf-8")
    assert fingerprint_of(notebook, data_copy, SOURCE_INPUTS) == base


def test_the_fingerprint_does_not_depend_on_where_the_data_lives(data_copy, notebook, tmp_path):
    moved = tmp_path / "elsewhere" / "deeper" / "data"
    moved.parent.mkdir(parents=True)
    os.rename(data_copy, moved)
    assert fingerprint_of(notebook, moved, SOURCE_INPUTS) == fingerprint_of(
        notebook, paths.default_data_dir(), SOURCE_INPUTS)


def test_the_library_fingerprint_covers_code_templates_and_the_lock(tmp_path, monkeypatch):
    package = tmp_path / "helpers"
    (package / "templates").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "templates" / "page.j2").write_text("<p>\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    (tmp_path / "requirements.lock").write_text("a==1\n")
    monkeypatch.setattr(fingerprint.paths, "PACKAGE_DIR", package)
    monkeypatch.setenv("DESERTION_SERIES_ROOT", str(tmp_path))
    base = library_fingerprint()
    (package / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"recompiled")
    assert library_fingerprint() == base  # compiled files are not the library
    for path, text in ((package / "templates" / "page.j2", "<p>changed\n"),
                       (package / "a.py", "x = 2\n"), (tmp_path / "requirements.lock", "a==2\n")):
        path.write_text(text)
        assert library_fingerprint() != base, path.name
        base = library_fingerprint()
