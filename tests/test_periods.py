"""Periods on request: the total of any period within the window, with what it rests on, and
the calendar quarters and years a window covers fully (``reconstruct(..., periods=[...])``).

By hand on the seed (one-series): Jul + Aug = 251 and Sep = 184, so the third quarter is 435;
June to November is 305 + 577 = 882; the second quarter is Apr + May (119..271) + June's 54.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from helpers.core.intervals import Interval
from helpers.core.months import Period
from helpers.data.dataset import load_dataset
from helpers.engine.reconstruct import reconstruct, reconstruct_claims
from helpers.errors import PeriodError
from helpers.kinds.total import Total
from helpers.paths import default_data_dir
from helpers.present.formats import format_csv, format_periods_csv, format_table
from factories import READING, claim
from test_reconstruct_properties import FAST, compositions, make, satisfied, scenarios


@pytest.fixture(scope="module")
def seed():
    return load_dataset(default_data_dir())


@pytest.fixture(scope="module")
def asked(seed):
    return reconstruct(seed, periods=["2023-Q3", "2023-06..2023-11", "2023-10", "2023-Q3"])


def test_a_quarter_asked_for_is_exact_with_what_it_rests_on(asked):
    q3 = asked.total(Period("2023-07", "2023-09"))
    assert (q3.low, q3.high, q3.determined) == (435, 435, True)
    assert set(q3.low_rests_on) == set(q3.high_rests_on) == {"sep-nov-577", "jun-aug-305", "oct-218",
                                                              "jun-54", "nov-175"}
    assert q3.derivation.startswith("Jul–Sep 2023 = ") and q3.derivation.endswith(" = 435")
    june_on = asked.total(Period("2023-06", "2023-11"))
    assert (june_on.low, june_on.high) == (882, 882)
    assert set(june_on.low_rests_on) == {"sep-nov-577", "jun-aug-305"}


def test_periods_asked_for_are_kept_in_order_once_and_a_single_month_too(asked):
    assert asked.requested == (Period("2023-07", "2023-09"), Period("2023-06", "2023-11"),
                               Period("2023-10", "2023-10"))
    october = asked.total(Period("2023-10", "2023-10"))
    assert (october.low, october.high, october.low_rests_on) == (218, 218, ("oct-218",))


def test_calendar_quarters_the_window_covers_are_always_given(seed):
    rec = reconstruct(seed)  # window April to November 2023: the second and third quarters
    assert rec.requested == ()
    q2 = rec.total(Period("2023-04", "2023-06"))
    assert (q2.low, q2.high) == (173, 325)
    assert rec.total(Period("2023-07", "2023-09")).low == 435
    assert rec.total(Period("2023-10", "2023-12")) is None  # December is outside the window
    assert rec.total(Period("2023-01", "2023-12")) is None
    without = reconstruct(seed, calendar=False)
    assert without.total(Period("2023-04", "2023-06")) is None
    assert without.months == rec.months


def test_asking_changes_no_month_and_no_claim_status(seed, asked):
    plain = reconstruct(seed)
    assert asked.months == plain.months
    assert [(s.claim, s.status) for s in asked.statuses] == [(s.claim, s.status) for s in plain.statuses]


def test_the_json_marks_periods_asked_for_and_names_calendar_ones(asked):
    document = json.loads(json.dumps(asked.to_dict()))
    by_span = {(p["start"], p["end"]): p for p in document["periods"]}
    assert by_span[("2023-07", "2023-09")]["requested"] is True
    assert by_span[("2023-07", "2023-09")]["calendar"] == "2023-Q3"
    assert by_span[("2023-04", "2023-06")]["requested"] is False
    assert by_span[("2023-04", "2023-06")]["calendar"] == "2023-Q2"
    assert by_span[("2023-06", "2023-11")]["calendar"] is None
    assert by_span[("2023-10", "2023-10")]["requested"] is True


def test_the_periods_csv_has_one_row_per_period_asked_for(asked):
    rows = format_periods_csv(asked).splitlines()
    assert rows[0] == "period,start,end,low,high,determined,low_rests_on,high_rests_on,low_within,high_within"
    assert rows[1].startswith("2023-Q3,2023-07,2023-09,435,435,true,")
    assert rows[2].startswith("2023-06..2023-11,2023-06,2023-11,882,882,true,")
    assert rows[3] == "2023-10,2023-10,2023-10,218,218,true,oct-218,oct-218,,"
    assert len(rows) == 4
    assert format_csv(asked).splitlines()[0].startswith("month,")  # the months CSV is unchanged


def test_the_table_stars_periods_asked_for(asked):
    table = format_table(asked)
    assert "* 2023-07..2023-09 (2023-Q3)  435" in table
    assert "\n2023-04..2023-06 (2023-Q2)" in table
    assert "* asked for" in table


@pytest.mark.parametrize("period, message", [
    ("2023", "period 2023-01..2023-12 is not within the window of series 'help_requests' under "
             "reading 'one-series' (from 2023-04 to 2023-11); ask for a period within it"),
    ("2023-03..2023-05", "period 2023-03..2023-05 is not within the window"),
    ("2023-Q4", "period 2023-10..2023-12 is not within the window"),
    ("2023-13", "period asked for: '2023-13' is not a period; write YYYY-MM..YYYY-MM, YYYY-MM, "
                "YYYY (a calendar year) or YYYY-Qn (a quarter)"),
    ("2023-11..2023-09", "period asked for: period '2023-11..2023-09' ends before it starts"),
])
def test_a_period_outside_the_window_or_malformed_is_one_clear_error(seed, period, message):
    with pytest.raises(PeriodError) as error:
        reconstruct(seed, periods=[period])
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value) and error.value.exit_code == 2


def test_blank_entries_are_skipped_and_one_string_is_one_period(seed):
    assert reconstruct(seed, periods=["", " 2023-Q3 ", ""]).requested == (Period("2023-07", "2023-09"),)
    assert reconstruct(seed, periods="2023-Q2").requested == (Period("2023-04", "2023-06"),)


def test_a_calendar_year_of_a_longer_window():
    claims = [claim("all", Total(Period("2022-11", "2024-02"), Interval.point(1600))),
              claim("y22", Total(Period("2022-11", "2022-12"), Interval.point(200))),
              claim("y24", Total(Period("2024-01", "2024-02"), Interval.point(100)))]
    rec = reconstruct_claims(claims, READING, calendar=True)
    year = rec.total(Period("2023-01", "2023-12"))
    assert (year.low, year.high) == (1300, 1300)
    assert year.derivation == "Jan–Dec 2023 = 1600 [all] − 200 [y22] − 100 [y24] = 1300"
    quarters = [r for r in rec.periods if len(r.months) == 3 and r.months[0].startswith("2023")]
    assert [r.months[0] for r in quarters] == ["2023-01", "2023-04", "2023-07", "2023-10"]
    assert rec.to_dict()["periods"][[r.label for r in rec.periods].index("2023-01..2023-12")]["calendar"] == "2023"
    assert reconstruct_claims(claims, READING).total(Period("2023-01", "2023-12")) is None


@settings(FAST, max_examples=60)
@given(scenarios(max_months=4, max_count=4, max_claims=5), st.data())
def test_a_period_asked_for_equals_brute_force_over_every_series(scenario, data):
    months, truth, reading, claims = scenario
    cap = sum(truth.values()) + 1
    whole = Period(months[0], months[-1])
    claims = [make("cap", Total(whole, Interval.relation("<=", cap))), *claims]
    first = data.draw(st.integers(0, len(months) - 1))
    last = data.draw(st.integers(first, len(months) - 1))
    period = Period(months[first], months[last])
    rec = reconstruct_claims(claims, reading, explain=False, periods=[period])
    allowed = [p for p in (dict(zip(months, c)) for c in compositions(len(months), cap))
               if all(satisfied(c, p, reading, months) for c in claims)]
    values = [sum(p[m] for m in period.months) for p in allowed]
    found = rec.total(period)
    assert (found.low, found.high) == (min(values), max(values))


def test_the_notebook_gives_the_periods_of_its_parameter():
    import nbformat

    from helpers import paths
    from helpers.reports.report import execute, report_data

    notebook = paths.notebooks_dir() / "monthly_series.ipynb"
    parameters = next(c for c in nbformat.read(notebook, as_version=4).cells
                      if "parameters" in c.metadata.get("tags", []))
    assert 'periods: str = ""' in parameters.source
    executed = execute(notebook, {"periods": "2023-Q3, 2023-06..2023-11"}, name="periods")
    asked = {(p["start"], p["end"]): p["low"] for p in report_data(executed)["periods"] if p["requested"]}
    assert asked == {("2023-07", "2023-09"): 435, ("2023-06", "2023-11"): 882}
    shown = "".join(o.get("data", {}).get("text/html", "") for c in executed.cells
                    if c.cell_type == "code" for o in c.outputs)
    assert "Q3 2023 (Jul–Sep 2023) (asked for)" in shown and "Q2 2023 (Apr–Jun 2023)" in shown
