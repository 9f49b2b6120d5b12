"""The seed article reconstructed under each reading, against the values worked by hand in
DESIGN.md, and the engine's answers when claims conflict.

By hand (one-series): Jun 54, Oct 218, Nov 175 are stated; Sep = 577 - 218 - 175 = 184.
Jul + Aug = 305 - 54 = 251, and every month outside Sep/Oct is below November's 175 ("more
than in any other month"), so each of Jul, Aug is 251 - 174 = 77 .. 174. Apr..Nov > 1000 gives
Apr + May >= 1001 - 305 - 577 = 119; "most in the fall" gives 577 > (Apr..Nov)/2, so
Apr..Nov <= 1153 and Apr + May <= 1153 - 882 = 271; each of Apr, May is 0..174.
"""
from __future__ import annotations

import json
import shutil
from fractions import Fraction

import pytest

from helpers.kinds.extremum import Extremum
from helpers.kinds.total import Total
from helpers.data.dataset import load_dataset
from helpers.errors import ReadingError
from helpers.core.intervals import Interval
from helpers.engine.model import build_model
from helpers.core.months import Period
from helpers.paths import default_data_dir
from helpers.core.readings import Reading
from helpers.core.enums import ClaimStatus
from helpers.engine.bounds import Engine
from helpers.engine.reconstruct import every_reading, reconstruct, reconstruct_claims
from helpers.engine.results import CONTRACT
from helpers.present.formats import format_csv, format_json, format_table
from factories import READING, claim

SEP_RESTS_ON = {"sep-nov-577", "oct-218", "nov-175"}


@pytest.fixture(scope="module")
def seed():
    return load_dataset(default_data_dir())


@pytest.fixture(scope="module")
def default(seed):
    return reconstruct(seed)


def ranges(rec) -> dict[str, tuple[int, int | None]]:
    return {r.months[0][5:]: (r.low, r.high) for r in rec.months}


def period(rec, start: str, end: str):
    return next(r for r in rec.periods if (r.months[0], r.months[-1]) == (start, end))


def status(rec) -> dict[str, str]:
    return {s.claim: s.status for s in rec.statuses}


def test_one_series_reproduces_the_hand_worked_months(default):
    assert default.series == "help_requests" and default.reading.name == "one-series"
    assert ranges(default) == {"04": (0, 174), "05": (0, 174), "06": (54, 54), "07": (77, 174),
                               "08": (77, 174), "09": (184, 184), "10": (218, 218), "11": (175, 175)}
    assert {r.months[0] for r in default.months if r.determined} == {"2023-06", "2023-09", "2023-10", "2023-11"}
    assert default.feasible and not default.conflicts


def test_september_rests_on_the_577_218_and_175_quotes(default):
    september = next(r for r in default.months if r.months == ("2023-09",))
    assert set(september.low_rests_on) == SEP_RESTS_ON
    assert set(september.high_rests_on) == SEP_RESTS_ON
    for number in ("577", "218", "175", "184"):
        assert number in september.derivation
    assert september.derivation.startswith("September 2023")


def test_bounds_rest_on_nothing_only_where_counts_cannot_go_lower(default):
    april = next(r for r in default.months if r.months == ("2023-04",))
    assert april.low == 0 and april.low_rests_on == ()
    assert set(april.high_rests_on) == {"nov-order", "nov-175"}  # below November's 175


def test_periods_july_august_exactly_251_and_april_may_119_to_271(default):
    summer = period(default, "2023-07", "2023-08")
    assert (summer.low, summer.high, summer.determined, summer.tighter_than_months) == (251, 251, True, True)
    assert "251" in summer.derivation
    spring = period(default, "2023-04", "2023-05")
    assert (spring.low, spring.high, spring.tighter_than_months) == (119, 271, True)
    assert set(spring.low_rests_on) == {"apr-nov-over-1000", "jun-aug-305", "sep-nov-577"}
    assert set(spring.high_rests_on) == {"most-in-fall", "jun-aug-305", "sep-nov-577"}
    fall = period(default, "2023-09", "2023-11")
    assert (fall.low, fall.high, fall.tighter_than_months) == (577, 577, False)


def test_claim_statuses_under_the_default_reading(default, seed):
    found = status(default)
    assert list(found) == [c.id for c in seed.claims]  # data-set order, every claim
    assert found["nearly-doubled"] == "corroborating"
    assert found["court-cases-4000"] == "context"
    for claim_id in ("sep-nov-577", "oct-218", "nov-175", "nov-order", "jun-aug-305", "jun-54",
                     "most-in-fall", "apr-nov-over-1000"):
        assert found[claim_id] == "binding", claim_id
    # Oct above the rest and Jun below the rest already follow from the other numbers.
    assert found["oct-highest"] == found["jun-lowest"] == "corroborating"
    assert all(s.reason and s.quote for s in default.statuses)
    assert all(isinstance(s.status, ClaimStatus) for s in default.statuses)


def test_extremes_over_the_window_lift_april_and_may(seed):
    rec = reconstruct(seed, reading="extremes-over-window")
    months = ranges(rec)
    assert months["04"] == months["05"] == (55, 174)
    spring = period(rec, "2023-04", "2023-05")
    assert (spring.low, spring.high) == (119, 271)
    assert status(rec)["jun-lowest"] == "binding"


def test_non_strict_extremes_change_nothing_here(seed, default):
    # November's "more than in any other month" is strict wording, whatever the reading.
    assert ranges(reconstruct(seed, reading="non-strict-extremes")) == ranges(default)


def test_separate_series_leaves_september_undetermined(seed):
    rec = reconstruct(seed, reading="separate-series")
    assert rec.series == "desertion_attempts"
    # November's "more than in any other month" covers April to November (its scope), so April
    # and May belong to the desertion attempts' window too, each below November's 175.
    assert (rec.window.start, rec.window.end) == ("2023-04", "2023-11")
    assert ranges(rec) == {"04": (0, 174), "05": (0, 174), "06": (54, 54), "07": (55, 174),
                           "08": (55, 174), "09": (176, 217), "10": (218, 218), "11": (175, 175)}
    assert status(rec)["sep-nov-577"] == "context"


def test_separate_series_counselled_and_appeals(seed):
    counselled = reconstruct(seed, reading="separate-series", series="counselled")
    assert (counselled.window.start, counselled.window.end) == ("2023-04", "2023-11")
    assert all(r.high is None and r.high_rests_on == () for r in counselled.months)
    appeals = reconstruct(seed, reading="separate-series", series="appeals")
    assert status(appeals)["nearly-doubled"] == "corroborating"


def test_an_unknown_series_names_the_known_ones(seed):
    with pytest.raises(ReadingError) as error:
        reconstruct(seed, reading="separate-series", series="deserters")
    for known in ("appeals", "counselled", "desertion_attempts", "criminal_cases"):
        assert known in str(error.value)


@pytest.fixture(scope="module")
def conflicting(tmp_path_factory):
    """The seed with November at 230: above October's 218, though it is "fewer than in
    September and October" and October is "the highest"."""
    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(default_data_dir(), data)
    claims = data / "claims" / "000_53cf863e7d9b0b6b.yml"
    text = claims.read_text()
    assert text.count("value: 175") == 1
    claims.write_text(text.replace("value: 175", "value: 230"))
    dataset = load_dataset(data)
    return dataset, reconstruct(dataset)


def test_conflicting_claims_give_a_minimal_set_with_the_edited_claim(conflicting):
    dataset, rec = conflicting
    assert not rec.feasible
    assert rec.to_dict()["basis"] == "claims outside every conflict set"
    conflict = next(c for c in rec.conflicts if "nov-175" in c.claims)
    engine = Engine(build_model(dataset.claims, rec.reading, rec.series))
    index = {g.claim: i for i, g in enumerate(engine.model.groups)}
    members = [index[c] for c in conflict.claims]
    assert not engine.feasible(members)
    for left_out in members:
        assert engine.feasible([m for m in members if m != left_out])
    found = status(rec)
    assert all(found[c] == "conflicting" for c in conflict.claims)


def test_each_conflict_lists_the_ranges_without_each_member(conflicting):
    _, rec = conflicting
    for conflict in rec.conflicts:
        assert [a.set_aside for a in conflict.alternatives] == list(conflict.claims)
        for alternative in conflict.alternatives:
            assert alternative.feasible == bool(alternative.months)
    without_november = next(a for c in rec.conflicts for a in c.alternatives if a.set_aside == "nov-175")
    assert without_november.feasible
    months = {r.months[0]: r for r in without_november.months}
    assert (months["2023-10"].low, months["2023-10"].high) == (218, 218)
    # November is then only known to be below September and October and above the rest.
    assert months["2023-11"].low < months["2023-11"].high <= 217


def test_the_main_ranges_come_from_claims_outside_every_conflict(conflicting):
    _, rec = conflicting
    in_conflict = {c for conflict in rec.conflicts for c in conflict.claims}
    for r in (*rec.months, *rec.periods):
        assert not in_conflict & {*r.low_rests_on, *r.high_rests_on}


def test_json_contract_keys_and_types(default):
    document = json.loads(format_json(default))
    assert document["contract"] == CONTRACT
    assert set(document) == {"contract", "series", "reading", "window", "feasible", "basis", "months",
                             "periods", "claims", "conflicts", "conflict_search", "corrections",
                             "ambiguities", "budget"}
    assert document["conflict_search"] == {"complete": True, "limit": 20, "out_of_time": False}
    assert document["budget"] == {"seconds": None, "out_of_time": False, "ambiguities_out_of_time": False}
    assert document["corrections"] == [] and document["ambiguities"] == []
    assert set(document["reading"]) == {"name", "description", "parameters"}
    assert document["window"] == {"start": "2023-04", "end": "2023-11"}
    assert document["basis"] == "all claims"
    for month in document["months"]:
        assert set(month) == {"month", "low", "high", "determined", "low_rests_on", "high_rests_on",
                              "derivation", "low_within", "high_within", "explained"}
        assert (month["low_within"], month["high_within"], month["explained"]) == (None, None, True)
        assert isinstance(month["low"], int) and isinstance(month["high"], (int, type(None)))
        assert isinstance(month["determined"], bool) and isinstance(month["low_rests_on"], list)
    for item in document["periods"]:
        assert set(item) == {"start", "end", "low", "high", "determined", "tighter_than_months",
                             "low_rests_on", "high_rests_on", "derivation", "requested", "calendar",
                             "low_within", "high_within", "explained"}
    for item in document["claims"]:
        assert set(item) == {"id", "status", "reason", "quote", "attested_by", "sources", "attestations"}
        assert item["status"] in {"binding", "corroborating", "joint", "context", "conflicting"}
        assert item["attested_by"] == 1 and item["sources"] == ["000_53cf863e7d9b0b6b"]
        assert item["attestations"] == [{"claim": item["id"], "source": "000_53cf863e7d9b0b6b",
                                         "quote": item["quote"]}]
    # The contract carries plain text, not the enums the records hold.
    assert all(type(item["status"]) is str for item in default.to_dict()["claims"])
    assert type(default.to_dict()["reading"]["parameters"]["comparison_scope"]) is str
    assert default.to_dict()["reading"]["parameters"]["alternatives"] == {}


def test_json_contract_of_a_conflict(conflicting):
    _, rec = conflicting
    document = rec.to_dict()
    assert document["feasible"] is False
    for conflict in document["conflicts"]:
        assert set(conflict) == {"claims", "quotes", "sources", "alternatives"}
        assert len(conflict["quotes"]) == len(conflict["claims"]) == len(conflict["sources"])
        for alternative in conflict["alternatives"]:
            assert set(alternative) == {"set_aside", "feasible", "months"}
    json.dumps(document)  # serialisable as it is


def test_csv_and_table_formats(default, conflicting):
    rows = format_csv(default).strip().splitlines()
    assert rows[0] == "month,low,high,determined,low_rests_on,high_rests_on,low_within,high_within"
    september = next(r for r in rows if r.startswith("2023-09,"))
    low, high, determined, low_rests, high_rests, low_within, high_within = september.split(",")[1:]
    assert (low_within, high_within) == ("", "")  # both ends proven
    assert (low, high, determined) == ("184", "184", "true") and set(low_rests.split(";")) == SEP_RESTS_ON
    table = format_table(default)
    assert "2023-09" in table and "184" in table and "nearly-doubled" in table
    conflict_table = format_table(conflicting[1])
    assert "nov-175" in conflict_table and "There were 175 desertion attempts in November" in conflict_table


def test_a_value_pinned_by_two_inequalities_says_so_instead_of_an_equation():
    january = Period("2023-01", "2023-01")
    rec = reconstruct_claims([claim("more-than-4", Total(january, Interval.relation(">", 4))),
                              claim("at-most-5", Total(january, Interval(None, Fraction(5))))], READING)
    (only,) = rec.months
    assert (only.low, only.high, only.determined) == (5, 5, True)
    assert "pinned" in only.derivation and "more-than-4" in only.derivation and "at-most-5" in only.derivation


def test_a_claim_that_moves_no_range_and_follows_from_nothing_is_joint():
    ties_allowed = Reading("t", "", "s", extremum_scope="stated", strict_extremes=False)
    month = {m: Period(f"2023-0{m}", f"2023-0{m}") for m in (1, 2, 3)}
    # January at most 10, March at most 10, February 0; "January is the highest" (ties allowed)
    # only says January >= March: every month keeps its range, and nothing else says it.
    rec = reconstruct_claims([claim("jan", Total(month[1], Interval.relation("<=", 10))),
                              claim("feb", Total(month[2], Interval.point(0))),
                              claim("mar", Total(month[3], Interval.relation("<=", 10))),
                              claim("jan-highest", Extremum("2023-01", "highest", Period("2023-01", "2023-03")))],
                             ties_allowed)
    assert [(r.low, r.high) for r in rec.months] == [(0, 10), (0, 0), (0, 10)]
    assert rec.status("jan-highest").status == "joint"


def test_every_reading_gives_ranges_without_examining_claims(seed):
    found = every_reading(seed)
    assert list(found) == list(seed.readings.by_name)
    for name, rec in found.items():
        assert rec.reading.name == name and rec.series == seed.readings.by_name[name].series
        assert ranges(rec) == ranges(reconstruct(seed, reading=name))
        model_claims = [s for s in rec.statuses if s.status not in (ClaimStatus.CONTEXT, ClaimStatus.CONFLICTING)]
        assert model_claims and all(s.status == ClaimStatus.UNEXAMINED for s in model_claims)
        assert all(r.low_rests_on == r.high_rests_on == () for r in rec.months)


def test_a_total_inside_its_periods_range_is_corroborating_without_another_question(monkeypatch):
    # "100 to 200 in the first quarter" follows from "150 in the first quarter": the quarter's
    # range, which rests on the latter alone, says so, and no question is asked about it; so
    # for February and March (0 by the others). "January the highest" is no period's total:
    # it is asked about.
    from helpers.engine import cores
    asked = []
    real = cores._implied_by
    monkeypatch.setattr(cores, "_implied_by", lambda engine, group, others: asked.append(
        engine.model.groups[group].claim) or real(engine, group, others))
    quarter = Period("2023-01", "2023-03")
    claims = [claim("exact", Total(quarter, Interval.point(Fraction(150)))),
              claim("wide", Total(quarter, Interval(Fraction(100), Fraction(200)))),
              claim("jan", Total(Period("2023-01", "2023-01"), Interval(Fraction(150), Fraction(160)))),
              claim("feb-mar", Total(Period("2023-02", "2023-03"), Interval(Fraction(0), Fraction(400)))),
              claim("jan-highest", Extremum("2023-01", "highest", quarter))]
    found = {s.claim: s.status for s in reconstruct_claims(claims, READING).statuses}
    assert found["wide"] == found["feb-mar"] == found["jan-highest"] == "corroborating"
    assert asked == ["jan-highest"]
