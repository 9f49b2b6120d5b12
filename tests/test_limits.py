"""The limits under which every number reaches the solver exactly (helpers.core.limits), and the
issue's wrong answers: each input now gives the right answer or a one-line refusal."""
from __future__ import annotations

import re
from fractions import Fraction

import pytest

from helpers import kinds
from helpers.core.intervals import Interval
from helpers.core.limits import (EXACT_BELOW, MAX_COUNT, MAX_DECIMALS, MAX_PERCENT_DECIMALS,
                                 MAX_WINDOW_MONTHS, number_problem, row_problem, window_problem)
from helpers.core.linear import linear_row
from helpers.core.months import Period
from helpers.core.readings import Reading
from helpers.data.claims import Claim
from helpers.data.schema import CLAIMS_FILE_SCHEMA, VOCABULARY_SCHEMA, validate
from helpers.data.yamlio import load_yaml
from helpers.engine.reconstruct import reconstruct_claims
from helpers.errors import DataError, SchemaError
from helpers.kinds.ratio import Ratio
from helpers.kinds.share import Share, percent_interval
from helpers.kinds.total import Total

READING = Reading("r", "", "s", extremum_scope="window", strict_extremes=False)
JAN, JAN_FEB = Period("2023-01", "2023-01"), Period("2023-01", "2023-02")


def make(claim_id: str, spec) -> Claim:
    return Claim(claim_id, "src", kinds.of_spec(spec).name, "s", f"quote {claim_id}", spec)


def refusal(claims) -> str:
    with pytest.raises(DataError) as info:
        reconstruct_claims(claims, READING, explain=False)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# -- the limits of one number ---------------------------------------------------------------------

@pytest.mark.parametrize("value", [0, 577, MAX_COUNT, "0.318", "[0.318, 0.34]", "[0.12345, 7/4)",
                                   "(1000, inf)", "[-5, 3]", 2.5, 1.23456, "[1.5/3, 1000000000]",
                                   "[184/577, 1]", True])
def test_numbers_within_the_limits(value):
    assert number_problem(value) is None


@pytest.mark.parametrize("value, says", [
    (MAX_COUNT + 1, "1000000001 is above 1,000,000,000"),
    (10 ** 30, "is above 1,000,000,000"),
    (1e20, "1e+20 is above"),
    (1.234567, "1.234567 has 6 decimals, more than the 5"),
    ("[0.318000000000000001, 0.34]", "0.318000000000000001 has 18 decimals"),
    ("[0, 0.31800000000000000001]", "has 20 decimals"),
    ("[1, 2000000000]", "2000000000 is above"),
    ("[-2000000000, 0]", "-2000000000 is above"),
    ("[1/3, 5/700000)", "5/700000 has a denominator above 100,000"),
    ("[1.5/30000, 1]", "1.5/30000 has a denominator above"),  # 15/300,000
    ("[1, " + "9" * 5000 + "]", "99999999999999999999...99999999 is above"),
])
def test_numbers_beyond_the_limits_say_which_and_the_limit(value, says):
    problem = number_problem(value)
    assert problem and says in problem and "'Limits' in data/README.md" in problem, problem


def test_a_percentage_has_three_decimals_fewer_than_an_interval_end():
    assert MAX_PERCENT_DECIMALS == MAX_DECIMALS - 3
    assert number_problem("17.55", decimals=MAX_PERCENT_DECIMALS, what="percentage") is None
    problem = number_problem("17.125", decimals=MAX_PERCENT_DECIMALS, what="percentage")
    assert "has 3 decimals, more than the 2 a percentage may have" in problem
    # ... because the interval it rounds from has three more: five, the most an end may have.
    interval = percent_interval("17.55")
    assert (interval.low, interval.high) == (Fraction("0.17545"), Fraction("0.17555"))


def test_a_zero_denominator_is_left_to_the_interval_parser():
    assert number_problem("[1, 7/0]") is None


# -- the schema states them and validate enforces them --------------------------------------------

def test_the_schema_states_the_limits():
    branches = {b["if"]["properties"]["kind"]["const"]: b["then"]["properties"]
                for b in CLAIMS_FILE_SCHEMA["properties"]["claims"]["items"]["allOf"]}
    assert branches["total"]["value"]["maximum"] == MAX_COUNT
    assert branches["difference"]["value"]["maximum"] == MAX_COUNT
    assert branches["rate"]["value"]["maximum"] == MAX_COUNT
    for kind in ("total", "share", "ratio", "rate", "difference"):
        assert branches[kind]["interval"]["numberLimits"] == {"largest": MAX_COUNT, "decimals": MAX_DECIMALS}
    assert branches["share"]["percent"]["numberLimits"]["decimals"] == MAX_PERCENT_DECIMALS
    assert branches["ratio"]["percent_change"]["numberLimits"]["decimals"] == MAX_PERCENT_DECIMALS
    assert "numberLimits" not in branches["context"]["value"]  # never reaches the solver


def claims_file(**fields) -> dict:
    claim = {"id": "big", "kind": "total", "series": "s", "quote": "q", "period": "2023-01", **fields}
    return {"source": "src", "claims": [claim]}


@pytest.mark.parametrize("fields, field, says", [
    ({"value": 10 ** 20}, "value", "100000000000000000000 is above 1,000,000,000"),
    ({"value": 2 ** 53 + 1}, "value", "9007199254740993 is above 1,000,000,000"),
    ({"interval": "[0.318000000000000001, 0.34]"}, "interval", "has 18 decimals, more than the 5"),
    ({"kind": "share", "period": None, "part": "2023-01", "whole": "2023-01", "percent": "17.123"},
     "percent", "has 3 decimals, more than the 2 a percentage may have"),
    ({"kind": "share", "period": None, "part": "2023-01", "whole": "2023-01", "percent": 17.1234},
     "percent", "17.1234 has 4 decimals"),
    ({"kind": "ratio", "period": None, "numerator": "2023-01", "denominator": "2023-01",
      "percent_change": "89.1234"}, "percent_change", "has 4 decimals"),
    ({"kind": "rate", "per": "day", "value": 2.1234567}, "value", "has 7 decimals"),
])
def test_validate_names_the_claim_the_field_and_the_limit(fields, field, says):
    document = claims_file(**fields)
    document["claims"][0] = {k: v for k, v in document["claims"][0].items() if v is not None}
    with pytest.raises(SchemaError) as info:
        validate(document, CLAIMS_FILE_SCHEMA, file="f.yml", lines={})
    message = str(info.value)
    assert message.startswith(f"f.yml: claim 'big': field '{field}': ") and says in message, message


def test_the_largest_count_and_five_decimals_are_admitted():
    validate(claims_file(value=MAX_COUNT), CLAIMS_FILE_SCHEMA, file="f.yml", lines={})
    validate(claims_file(interval="[0.12345, 999999999.99999]"), CLAIMS_FILE_SCHEMA, file="f.yml",
             lines={})


def test_vocabulary_intervals_have_the_limits_too():
    with pytest.raises(SchemaError, match=r"field 'about': 0\.900001 has 6 decimals"):
        validate({"total": {"about": "[0.900001, 1.1]"}}, VOCABULARY_SCHEMA, file="v.yml", lines={})


def test_the_data_readme_states_the_limits(seed_data_dir):
    readme = (seed_data_dir / "README.md").read_text(encoding="utf-8")
    limits = readme[readme.index("## Limits"):]
    limits = limits[:limits.index("\n## ", 1)]
    assert f"{MAX_COUNT:,}" in limits and f"at most {MAX_DECIMALS}" in limits
    assert f"at most {MAX_PERCENT_DECIMALS}" in limits and f"{EXACT_BELOW:,}" in limits


# -- rows below 2^53 -------------------------------------------------------------------------------

def test_a_row_below_2_53_passes_and_at_2_53_is_refused():
    # (the longest row a claim may have, with coefficients reaching just below 2^53)
    assert MAX_COUNT * 7505 * MAX_WINDOW_MONTHS < EXACT_BELOW <= MAX_COUNT * 7506 * MAX_WINDOW_MONTHS
    assert row_problem([7505] * MAX_WINDOW_MONTHS, None, EXACT_BELOW - 1) is None
    assert "reaches" in row_problem([7506] * MAX_WINDOW_MONTHS, None, EXACT_BELOW - 1)
    assert "bounded by 9,007,199,254,740,992" in row_problem([1], EXACT_BELOW, None)
    assert row_problem([-7505] * MAX_WINDOW_MONTHS, -(EXACT_BELOW - 1), None) is None
    # a bound no counts up to 10^9 meet: beyond the range the next check assumes
    assert "no counts up to 1,000,000,000 a month meet" in row_problem([1, 1], 2 * MAX_COUNT + 1, None)
    assert row_problem([1, 1], 2 * MAX_COUNT, None) is None
    assert "no counts up to" in row_problem([1, -1], None, -MAX_COUNT - 1)
    assert row_problem([1], None, -1) is None  # no count at all meets it: a conflict, no limit
    # the left side over counts from 0 to 10^9 a month: the larger of the two signs' sums
    most = EXACT_BELOW // MAX_COUNT  # 9,007,199
    assert row_problem([most // 2, -most], 0, None) is None
    problem = row_problem([most + 1], 0, None)
    assert "coefficients up to 9,007,200 over 1 month, which reaches 9,007,200,000,000,000" in problem


def test_linear_row_names_the_claim_it_refuses():
    """A share in [0.318001, ...) of three months in 36: 33 months of -318,001 reach 1.05e16."""
    months = Period("2021-01", "2023-12").months
    terms = {m: (Fraction(1) if m <= "2021-03" else 0) - Fraction("0.318001") for m in months}
    with pytest.raises(DataError, match=r"^claim 'fine': it becomes a constraint .* over 36 months, "
                                        r"which reaches 10,494,033,000,000,000 .* not below 2\^53"):
        linear_row("fine", terms, Interval(Fraction(0), None))
    assert linear_row("fine", dict(list(terms.items())[:12]), Interval(Fraction(0), None)) is not None


# -- the inputs, straight to the engine (past the schema) ----------------------------------

@pytest.mark.parametrize("value", [10 ** 17, 10 ** 18, 10 ** 19, 10 ** 20, 10 ** 30, 2 ** 53, 2 ** 53 + 1])
def test_a_lone_total_beyond_2_53_is_refused_naming_the_claim(value):
    message = refusal([make("lone", Total(JAN, Interval.point(value)))])
    assert re.match(r"claim 'lone': it becomes a constraint bounded by .*not below 2\^53", message)


def test_a_lone_total_up_to_the_largest_count_a_month_is_exact():
    rec = reconstruct_claims([make("lone", Total(JAN, Interval.point(MAX_COUNT)))], READING, explain=False)
    assert rec.feasible and (rec.months[0].low, rec.months[0].high) == (MAX_COUNT, MAX_COUNT)
    rec = reconstruct_claims([make("two", Total(JAN_FEB, Interval.point(2 * MAX_COUNT)))], READING,
                             explain=False)
    assert rec.feasible and [(m.low, m.high) for m in rec.months] == [(0, 2 * MAX_COUNT)] * 2


@pytest.mark.parametrize("value", [MAX_COUNT + 1, 10 ** 15, 2 ** 53 - 1])
def test_a_lone_total_that_needs_a_count_beyond_the_largest_is_refused(value):
    """Below 2^53, yet no month up to 10^9 meets it: the claim would carry the counts out of the
    range where every other row was checked (a share of such a month reaches past 2^53)."""
    message = refusal([make("lone", Total(JAN, Interval.point(value)))])
    assert message.startswith("claim 'lone': it becomes a constraint that no counts up to "
                              f"1,000,000,000 a month meet (it asks for {value:,} from 1 month)")


def test_a_rate_of_a_billion_a_day_needs_more_than_a_billion_a_month():
    from helpers.kinds.rate import Rate
    message = refusal([make("rate", Rate(JAN, "day", Interval.point(MAX_COUNT)))])
    assert "(it asks for 31,000,000,000 from 1 month)" in message


@pytest.mark.parametrize("end", ["0.318000000000000001", "0.31800000000000000001"])
def test_a_share_with_18_or_20_decimals_is_refused_not_called_conflicting(end):
    claims = [make("total", Total(JAN_FEB, Interval.point(577))),
              make("share", Share(JAN, JAN_FEB, Interval.parse(f"[{end}, 0.34]")))]
    assert refusal(claims).startswith("claim 'share': it becomes a constraint with coefficients up to ")


def test_the_same_share_with_five_decimals_has_the_exact_answer():
    """184/577 is the least share of 577 in [0.31801, 0.34]: 0.31801 * 577 = 183.49..."""
    claims = [make("total", Total(JAN_FEB, Interval.point(577))),
              make("share", Share(JAN, JAN_FEB, Interval.parse("[0.31801, 0.34]")))]
    rec = reconstruct_claims(claims, READING, explain=False)
    assert rec.feasible and (rec.months[0].low, rec.months[0].high) == (184, 196)
    claims[1] = make("share", Share(JAN, JAN_FEB, Interval.parse("(0.31890, 0.32)")))
    assert not reconstruct_claims(claims, READING, explain=False).feasible  # 184/577 = 0.3188908...
    claims[1] = make("share", Share(JAN, JAN_FEB, Interval.parse("[0.31889, 0.3189)")))
    rec = reconstruct_claims(claims, READING, explain=False)
    assert rec.feasible and (rec.months[0].low, rec.months[0].high) == (184, 184)


def test_a_ratio_of_a_billion_to_one_is_refused_by_its_rows():
    claims = [make("r", Ratio(JAN, Period("2023-02", "2023-02"), Interval.parse("(1000000000, inf)")))]
    assert "reaches about 10^18 for counts up to 1,000,000,000 a month" in refusal(claims)


@pytest.mark.parametrize("written, ok", [("17.5", True), ("0.30000000000000004", True), ("1.0e+20", True),
                                         ("55.000000000000000001", False), ("2.123456789012345678", False)])
def test_a_yaml_number_is_refused_when_a_float_would_read_it_as_another(tmp_path, written, ok):
    """17.500000000000000001 would be read as 17.5, a number with one decimal: within the limits
    though it was written with eighteen."""
    path = tmp_path / "claims.yml"
    path.write_text(f"percent: {written}\n", encoding="utf-8")
    if ok:
        assert load_yaml(path, "claims.yml")[0]["percent"] == float(written)
    else:
        with pytest.raises(SchemaError, match=rf"^claims\.yml:1: field 'percent': {re.escape(written)} "
                                              r"has more digits than a YAML number keeps"):
            load_yaml(path, "claims.yml")


def test_a_claim_or_a_window_over_a_century_is_refused_before_solving():
    assert row_problem([1] * MAX_WINDOW_MONTHS, 5, 5) is None
    assert "spans 1,201 months, more than the 1,200 (100 years) a claim may span" in row_problem(
        [1] * (MAX_WINDOW_MONTHS + 1), 5, 5)
    assert window_problem(MAX_WINDOW_MONTHS) is None
    assert "spans 12,000 months, more than the 1,200" in window_problem(12_000)
