"""What readers and tools see when the time budget ran out: every end not proven says so, with
the interval it lies in, and is never shown as a plain number (present/: views, page, formats).

The budget runs out before the third month (core/checkpoints.py, ``SPEND_BUDGET_AT``): a point
of the run's own progress, whatever the machine's speed.
"""
from __future__ import annotations

import csv
import io
import re

import pytest

from helpers.core.checkpoints import SPEND_BUDGET_AT
from helpers.data.dataset import load_dataset
from helpers.engine.budget import Budget
from helpers.engine.reconstruct import every_reading, reconstruct
from helpers.present import formats, page, views


@pytest.fixture(scope="module")
def seed():
    return load_dataset()


@pytest.fixture(scope="module")
def cut_short(seed):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SPEND_BUDGET_AT, "bound:3")
        return reconstruct(seed, budget=Budget(600))


def row_of(table: str, words: str) -> str:
    return next(row for row in re.findall(r"<tr[^>]*>.*?</tr>", table, re.S) if words in row)


def test_the_run_is_cut_short_after_two_months(cut_short):
    assert cut_short.out_of_time
    assert [r.proven for r in cut_short.months] == [True, True] + [False] * 6
    assert all(not r.proven for r in cut_short.periods)


def test_the_months_table_marks_unproven_ends_and_missing_explanations(cut_short, seed):
    table = views.months_table(cut_short, seed)
    september = row_of(table, "September 2023")
    assert "not proven (time ran out): low 0 to 184, high 184 or more" in september
    assert views.NOT_EXPLAINED in september
    april = row_of(table, "April 2023")
    assert "not proven" not in april and "0 to 174" in april


def test_the_periods_table_and_the_summary_say_so_too(cut_short, seed):
    periods = views.periods_table(cut_short, seed)
    assert periods.count("not proven (time ran out)") == len(cut_short.periods) > 0
    summary = page.summary(cut_short, seed)
    assert "Not finished." in summary and "time budget of 600 s ran out" in summary
    ranges = (*cut_short.months, *cut_short.periods)
    assert f"{sum(not r.proven for r in ranges)} of {len(ranges)} ranges are not proven" in summary
    assert "Every range is the exact range" not in summary and "may be wider" in summary


def test_table_and_csv_mark_unproven_ends(cut_short):
    table = formats.format_table(cut_short)
    assert "NOT FINISHED: the time budget of 600 s ran out" in table
    rows = list(csv.DictReader(io.StringIO(formats.format_csv(cut_short))))
    assert [(r["low_within"], r["high_within"]) for r in rows[:3]] == [("", ""), ("", ""), ("0..54", "54..")]
    assert all(r["high"] == "" and r["determined"] == "false" for r in rows[2:])


def test_readings_the_budget_never_reached_are_said_to_be_not_computed(seed):
    spent = Budget(600)
    spent.exhausted = True
    found = every_reading(seed, budget=spent)
    assert set(found) == set(seed.readings.by_name) and all(rec is None for rec in found.values())
    assert "not computed: the time budget ran out" in views.readings_comparison(found)


def test_the_notebook_takes_a_budget_and_its_report_says_what_is_not_proven(monkeypatch):
    import nbformat

    from helpers import paths
    from helpers.reports.report import execute, report_data

    notebook = paths.notebooks_dir() / "monthly_series.ipynb"
    parameters = next(c for c in nbformat.read(notebook, as_version=4).cells
                      if "parameters" in c.metadata.get("tags", []))
    assert "budget: float = 300.0" in parameters.source
    monkeypatch.setenv(SPEND_BUDGET_AT, "bound:3")  # (the kernel inherits it)
    executed = execute(notebook, {"budget": 120}, name="budget")
    data = report_data(executed)
    assert data["budget"] == {"seconds": 120.0, "out_of_time": True, "ambiguities_out_of_time": False}
    assert [m["low_within"] is None for m in data["months"]] == [True, True] + [False] * 6
    shown = "".join(o.get("data", {}).get("text/html", "") for c in executed.cells
                    if c.cell_type == "code" for o in c.outputs)
    assert "Not finished." in shown and "not proven (time ran out)" in shown
    running = next(c for c in executed.cells if "NotebookProgress()" in c.source)
    assert running.outputs == []  # the progress line is cleared when done
