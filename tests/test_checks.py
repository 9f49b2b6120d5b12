"""Checks across files for a researcher's slips: a mistyped series, a text with no record."""
from __future__ import annotations

import dataclasses

import pytest

from helpers.core.readings import Reading, Readings
from helpers.data.checks import check_claim_series, known_claim_series
from helpers.data.dataset import load_dataset
from helpers.errors import DataError
from helpers.kinds.total import Total
from helpers.core.intervals import Interval
from helpers.core.months import Period
from factories import claim

SEED = "000_53cf863e7d9b0b6b"


def total(claim_id: str, series: str):
    found = claim(claim_id, Total(Period("2023-10", "2023-10"), Interval.point(1)), series=series)
    return dataclasses.replace(found, file="data/claims/x.yml", line=7)


READINGS = Readings("r", {"r": Reading("r", "", "help", series_map={"appeals": "help"}),
                          "s": Reading("s", "", "desertion_attempts")}, "data/readings.yml")


# -- which series are known ---------------------------------------------------------------------

def test_known_series_are_those_a_reading_names_and_those_two_claims_use():
    claims = [total("a", "appeals"), total("b", "courts"), total("c", "courts"), total("d", "lone")]
    assert known_claim_series(claims, READINGS) == ["appeals", "courts", "desertion_attempts", "help"]


@pytest.mark.parametrize("series", ["appeals", "help", "desertion_attempts"])
def test_a_series_one_claim_uses_is_fine_when_a_reading_names_it(series):
    check_claim_series([total("a", series)], READINGS, {})


def test_a_series_two_claims_use_is_fine_though_no_reading_names_it():
    check_claim_series([total("a", "courts"), total("b", "courts")], READINGS, {})


def test_a_mistyped_series_names_the_closest_known_one_at_the_line_of_series():
    claims = [total("a", "appeals"), total("b", "appeal")]
    with pytest.raises(DataError) as error:
        check_claim_series(claims, READINGS, {"b": 9})
    assert str(error.value) == (
        "data/claims/x.yml:9: claim 'b': field 'series': 'appeal' is a series no reading maps and "
        "no other claim uses; did you mean 'appeals'? known series: appeals, desertion_attempts, "
        "help; fix the name, or name the series in a reading's series_map (data/readings.yml)")


def test_without_a_close_match_the_known_series_are_listed_and_the_claim_line_used():
    with pytest.raises(DataError) as error:
        check_claim_series([total("a", "zzz")], READINGS, {})
    message = str(error.value)
    assert message.startswith("data/claims/x.yml:7: claim 'a': field 'series': 'zzz' is a series")
    assert "did you mean" not in message and "known series: appeals, desertion_attempts, help;" in message


# -- in a data set ------------------------------------------------------------------------------

def test_a_series_typo_in_the_seed_is_refused(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    series: appeals\n    period: 2023-09..2023-11\n",
                     "    series: appeal\n    period: 2023-09..2023-11\n")
    message = load_error(data_copy, DataError)
    assert message.startswith(f"data/claims/{SEED}.yml:{line}: claim 'sep-nov-577': field 'series': "
                              f"'appeal' is a series no reading maps and no other claim uses; did "
                              f"you mean 'appeals'? known series: appeals, counselled, criminal_cases, "
                              f"desertion_attempts, help_requests;")


def test_the_seed_series_of_a_single_claim_is_named_by_a_reading(seed_data_dir):
    dataset = load_dataset(seed_data_dir)
    court = dataset.claim("court-cases-4000")
    assert [c.series for c in dataset.claims].count(court.series) == 1
    assert any(court.series in r.series_map for r in dataset.readings.by_name.values())


def test_a_source_text_with_no_record_is_refused(data_copy, load_error):
    (data_copy / "sources" / "001_forgotten.txt").write_text("In January 2024, 300 appeals.\n")
    message = load_error(data_copy, DataError)
    assert message == ("data/sources/001_forgotten.txt: source text with no record beside it: add "
                       "001_forgotten.yml (id, text, sha256, title, language, publisher, "
                       "date_published, licence; see data/README.md) or remove the text")


def test_a_text_named_by_a_record_of_another_name_is_not_an_orphan(data_copy, edit_text):
    sources = data_copy / "sources"
    (sources / f"{SEED}.txt").rename(sources / "seed-article.txt")
    edit_text(sources / f"{SEED}.yml", f"text: {SEED}.txt\n", "text: seed-article.txt\n")
    assert len(load_dataset(data_copy).sources) == 1
