"""reports/config.py: notebooks/reports.yml read into report jobs, every mistake refused with one
line naming the file and line, before any kernel starts."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import paths
from helpers.data.dataset import load_dataset
from helpers.errors import ConfigError, SchemaError
from helpers.reports.config import load_jobs

from conftest import SEED_ID

DISPLAY = "notebooks/reports.yml"
ONE_REPORT = "reports:\n  - name: source\n    notebook: source_view.ipynb\n"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(paths.default_data_dir())


@pytest.fixture
def notebooks(tmp_path) -> Path:
    """A copy of notebooks/ (the two report notebooks and the bundled reports.yml)."""
    target = tmp_path / "notebooks"
    shutil.copytree(paths.notebooks_dir(), target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def jobs_of(notebooks: Path, dataset, text: str | None = None):
    if text is not None:
        (notebooks / "reports.yml").write_text(text, encoding="utf-8")
    return load_jobs(notebooks / "reports.yml", dataset, DISPLAY)


def error_of(notebooks: Path, dataset, text: str, error=ConfigError) -> str:
    with pytest.raises(error) as info:
        jobs_of(notebooks, dataset, text)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{DISPLAY}:"), message
    assert str(notebooks) not in message, message
    return message


def test_the_bundled_configuration_makes_one_report_per_reading_and_per_source(notebooks, dataset):
    jobs = jobs_of(notebooks, dataset)
    by_name = {job.name: job for job in jobs}
    assert set(by_name) == {f"monthly-series-{r}" for r in dataset.readings.by_name} | {f"source-{SEED_ID}"}
    assert by_name["monthly-series-one-series"].parameters == {"reading": "one-series"}
    assert by_name["monthly-series-one-series"].inputs == ()  # every file of the data
    source = by_name[f"source-{SEED_ID}"]
    assert source.parameters == {"source_id": SEED_ID}
    assert source.inputs == (f"sources/{SEED_ID}.txt", f"sources/{SEED_ID}.yml",
                             f"claims/{SEED_ID}.yml", "vocabulary.yml")
    assert source.notebook == notebooks / "source_view.ipynb"
    assert set(source.declared) == {"source_id", "data_dir"}  # the notebook's parameters cell
    assert all(job.line for job in jobs)


def test_a_notebook_that_is_missing_is_named(notebooks, dataset):
    message = error_of(notebooks, dataset, ONE_REPORT.replace("source_view", "no_such"))
    assert message == (f"{DISPLAY}:2: report 'source': notebook 'no_such.ipynb' does not exist "
                       f"in notebooks/")


@pytest.mark.parametrize("content,what", [
    ("print('a script')\n", "is not JSON"),
    ("", "is not JSON"),
    ("\udcff", "is not JSON"),
    ('[1, 2]', "is JSON but not a Jupyter notebook"),
    ('{"a": 1}', "is JSON but not a Jupyter notebook"),
    ('{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
     "is JSON but not a Jupyter notebook"),
])
def test_a_notebook_that_is_not_one_is_one_line(notebooks, dataset, content, what):
    (notebooks / "broken.ipynb").write_bytes(content.encode("utf-8", "surrogateescape"))
    message = error_of(notebooks, dataset, ONE_REPORT.replace("source_view", "broken"))
    assert message == (f"{DISPLAY}:2: report 'source': notebook notebooks/broken.ipynb {what}; "
                       f"save it from Jupyter, or restore it with git")


@pytest.mark.parametrize("pattern", ["/etc/host*", "../../../../etc/host*", "sources/../../x",
                                     "..\\..\\x", "C:\\data\\x"])
def test_an_input_outside_the_data_directory_is_refused(notebooks, dataset, pattern):
    text = ONE_REPORT + f"    inputs:\n      - vocabulary.yml\n      - '{pattern}'\n"
    message = error_of(notebooks, dataset, text)
    assert message.startswith(f"{DISPLAY}:6: report 'source': input {pattern!r} is outside the "
                              f"data directory; inputs are globs relative to it"), message


def test_inputs_are_filled_per_source(notebooks, dataset):
    text = ("reports:\n  - name: s-{source}\n    notebook: source_view.ipynb\n    for_each: source\n"
            "    parameters: {source_id: '{source}'}\n    inputs: ['sources/{source}.*']\n")
    [job] = jobs_of(notebooks, dataset, text)
    assert (job.name, job.inputs) == (f"s-{SEED_ID}", (f"sources/{SEED_ID}.*",))


def test_a_parameter_the_notebook_does_not_declare_is_named_with_the_known_ones(notebooks, dataset):
    message = error_of(notebooks, dataset, ONE_REPORT + "    parameters: {no_such: 1}\n")
    assert message == (f"{DISPLAY}:2: report 'source': notebook source_view.ipynb has no parameter "
                       f"'no_such' (its parameters: data_dir, source_id)")


@pytest.mark.parametrize("value,got", [("3", "int 3"), ("true", "bool True"), ("[a]", "list ['a']")])
def test_a_parameter_of_the_wrong_type_is_named(notebooks, dataset, value, got):
    message = error_of(notebooks, dataset, ONE_REPORT + f"    parameters: {{source_id: {value}}}\n")
    assert message == f"{DISPLAY}:2: report 'source': parameter 'source_id' must be str, got {got}"


def test_an_output_name_that_is_a_path_is_refused_by_the_schema(notebooks, dataset):
    message = error_of(notebooks, dataset, ONE_REPORT.replace("name: source", "name: ../escaped"),
                       error=SchemaError)
    assert message.startswith(f"{DISPLAY}:2: field 'name': '../escaped' is not text matching"), message


def test_a_placeholder_without_for_each_is_refused(notebooks, dataset):
    message = error_of(notebooks, dataset, ONE_REPORT.replace("name: source", "name: a.{reading}"))
    assert message == (f"{DISPLAY}:2: report name 'a.{{reading}}' is not a plain file name (a "
                       f"for_each placeholder left unfilled?)")


def test_two_reports_of_one_name_are_refused(notebooks, dataset):
    message = error_of(notebooks, dataset, ONE_REPORT + ONE_REPORT[len("reports:\n"):])
    assert message == f"{DISPLAY}:4: two reports are named 'source'; output names must be unique"


def test_an_unknown_field_is_a_schema_error_with_its_line(notebooks, dataset):
    message = error_of(notebooks, dataset, ONE_REPORT + "    colour: red\n", error=SchemaError)
    assert message.startswith(f"{DISPLAY}:"), message
    assert "colour" in message
