"""Claims: each kind as a typed spec with exact intervals, and the errors a schema cannot catch."""
from __future__ import annotations

from fractions import Fraction

import pytest

from helpers.data.claims import build_claim
from helpers.data.dataset import load_dataset
from helpers.errors import DataError
from helpers.core.intervals import Interval
from helpers.core.months import Period
from helpers.core.vocabulary import build_vocabulary
from helpers.kinds.context import Context
from helpers.kinds.extremum import Extremum
from helpers.kinds.order import Order
from helpers.kinds.ratio import Ratio
from helpers.kinds.share import Share, percent_interval
from helpers.kinds.total import Total

CLAIMS = "data/claims/000_53cf863e7d9b0b6b.yml"


@pytest.fixture(scope="module")
def vocabulary():
    return load_dataset().vocabulary


def build(vocabulary, **raw):
    raw = {"id": "c", "series": "s", "quote": "q", **raw}
    return build_claim(raw, source="src", vocabulary=vocabulary, file="f.yml", line=3)


# --- each kind, as the engine receives it ---------------------------------------------------

def test_total_with_a_value_is_that_value(vocabulary):
    claim = build(vocabulary, kind="total", period="2023-09..2023-11", value=577)
    assert claim.spec == Total(Period("2023-09", "2023-11"), Interval.point(577))
    assert (claim.source, claim.file, claim.line) == ("src", "f.yml", 3)


def test_total_with_a_relation_is_strict(vocabulary):
    claim = build(vocabulary, kind="total", period="2023-04..2023-11", relation=">", value=1000)
    assert claim.spec.allowed == Interval(Fraction(1000), None, low_closed=False)
    assert 1000 not in claim.spec.allowed and 1001 in claim.spec.allowed


def test_total_with_vague_words_scales_their_interval(vocabulary):
    claim = build(vocabulary, kind="total", period="2022-09..2023-12", value=4000, words="about")
    assert claim.spec.allowed == Interval(Fraction(3600), Fraction(4400))
    assert claim.words == "about"


def test_total_with_its_own_interval(vocabulary):
    claim = build(vocabulary, kind="total", period="2023-09", interval="[180, 190)")
    assert claim.spec.allowed == Interval(Fraction(180), Fraction(190), True, False)


def test_extremum_with_and_without_scope(vocabulary):
    claim = build(vocabulary, kind="extremum", month="2023-10", extreme="highest",
                  scope="2023-06..2023-11")
    assert claim.spec == Extremum("2023-10", "highest", Period("2023-06", "2023-11"))
    assert build(vocabulary, kind="extremum", month="2023-06", extreme="lowest").spec.scope is None


def test_order_with_named_months_and_others(vocabulary):
    claim = build(vocabulary, kind="order", month="2023-11", below=["2023-09", "2023-10"],
                  above="others")
    assert claim.spec == Order("2023-11", above=(), below=("2023-09", "2023-10"), above_others=True)
    assert claim.months() == ["2023-09", "2023-10", "2023-11"]


def test_share_with_a_percentage_is_its_rounding_interval(vocabulary):
    claim = build(vocabulary, kind="share", part="2023-10", whole="2023-06..2023-11", percent=18)
    assert claim.spec == Share(Period("2023-10", "2023-10"), Period("2023-06", "2023-11"),
                               percent_interval(18))
    assert claim.words == "18 percent"


def test_share_with_a_percentage_and_a_relation_is_not_rounded(vocabulary):
    claim = build(vocabulary, kind="share", part="2023-10", whole="2023-06..2023-11",
                  percent="17.5", relation=">=")
    assert claim.spec.allowed == Interval(Fraction(175, 1000), None)
    assert Fraction(218, 1246) not in claim.spec.allowed
    assert Fraction(218, 1245) in claim.spec.allowed


def test_share_with_vague_words(vocabulary):
    claim = build(vocabulary, kind="share", part="2023-09..2023-11", whole="2023-04..2023-11",
                  words="Most")  # words are matched without regard to case or spacing
    assert claim.spec.allowed == Interval(Fraction(1, 2), Fraction(1), False, True)


def test_ratio_with_vague_words(vocabulary):
    claim = build(vocabulary, kind="ratio", numerator="2023-09..2023-11",
                  denominator="2023-06..2023-08", words="nearly  doubled")
    assert claim.spec == Ratio(Period("2023-09", "2023-11"), Period("2023-06", "2023-08"),
                               Interval(Fraction(7, 4), Fraction(2), True, False))


def test_ratio_with_a_percent_change(vocabulary):
    claim = build(vocabulary, kind="ratio", numerator="2023-09..2023-11",
                  denominator="2023-06..2023-08", percent_change=89)
    assert claim.spec.allowed == Interval(Fraction(1885, 1000), Fraction(1895, 1000), True, False)
    assert claim.words == "89% change"
    assert Fraction(577, 305) in claim.spec.allowed  # 1.8918...


def test_ratio_with_a_fall_or_a_rise_above_100_percent(vocabulary):
    fall = build(vocabulary, kind="ratio", numerator="2023-09", denominator="2023-08",
                 percent_change=-30)
    assert fall.spec.allowed == Interval(Fraction(695, 1000), Fraction(705, 1000), True, False)
    tripled = build(vocabulary, kind="ratio", numerator="2023-09", denominator="2023-08",
                    percent_change="200")
    assert Fraction(3) in tripled.spec.allowed and Fraction(301, 100) not in tripled.spec.allowed


def test_context(vocabulary):
    assert build(vocabulary, kind="context", period="2022-09..2023-12", value=4000).spec == \
        Context(Period("2022-09", "2023-12"), Fraction(4000))
    assert build(vocabulary, kind="context").spec == Context()


def test_months_named_by_a_claim(vocabulary):
    claim = build(vocabulary, kind="share", part="2023-10", whole="2023-09..2023-11", percent=40)
    assert claim.months() == ["2023-09", "2023-10", "2023-11"]
    extremum = build(vocabulary, kind="extremum", month="2023-10", extreme="highest")
    assert extremum.months() == ["2023-10"]  # not "highest", which is seven letters long too


def test_vocabulary_lookup_folds_case_and_spaces():
    vocabulary = build_vocabulary({"share": {"More  than Half": "(0.5, 1]"}})
    assert vocabulary.lookup("share", "more than  half") == Interval(Fraction(1, 2), Fraction(1),
                                                                   False, True)
    assert vocabulary.rows() == [("share", "more than half", "(0.5, 1]")]


# --- errors a schema cannot express, through the loader -------------------------------------

def test_period_end_before_start(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    period: 2023-09..2023-11\n", "    period: 2023-11..2023-09\n")
    message = load_error(data_copy, DataError)
    assert message == (f"{CLAIMS}:{line}: claim 'sep-nov-577': field 'period': "
                       "period 2023-11..2023-09 ends before it starts")


def test_period_end_before_start_in_a_share(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    whole: 2023-04..2023-11\n", "    whole: 2023-11..2023-04\n")
    message = load_error(data_copy, DataError)
    assert message == (f"{CLAIMS}:{line}: claim 'most-in-fall': field 'whole': "
                       "period 2023-11..2023-04 ends before it starts")


def test_unknown_vague_word_names_the_known_ones(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    words: most\n", "    words: loads\n")
    message = load_error(data_copy, DataError)
    assert message == (f"{CLAIMS}:{line}: claim 'most-in-fall': vague words 'loads' have no interval "
                       "for a share claim (known: 'a quarter', 'about a third', 'half', "
                       "'more than half', 'most', 'nearly half', 'the majority'); add them to "
                       "vocabulary.yml or give 'interval'")


def test_a_word_of_another_kind_is_unknown(data_copy, seed_claims_file, edit_text, load_error):
    # "most" is a share word; a ratio cannot use it.
    line = edit_text(seed_claims_file, "    words: nearly doubled\n", "    words: most\n")
    message = load_error(data_copy, DataError)
    assert message.startswith(f"{CLAIMS}:{line}: claim 'nearly-doubled': vague words 'most' have no "
                              "interval for a ratio claim (known: 'doubled', "), message


def test_empty_interval_in_a_claim(data_copy, seed_claims_file, edit_text, load_error):
    line = edit_text(seed_claims_file, "    words: nearly doubled\n", "    interval: '[2, 1.75)'\n")
    message = load_error(data_copy, DataError)
    assert message == (f"{CLAIMS}:{line}: claim 'nearly-doubled': "
                       "'[2, 1.75)' is empty: its low end is not below its high end")


def test_extremum_month_outside_its_scope(data_copy, seed_claims_file, edit_text, line_of_text,
                                          load_error):
    edit_text(seed_claims_file, "    month: 2023-10\n", "    month: 2023-05\n")
    line = line_of_text(seed_claims_file, "- id: oct-highest")
    message = load_error(data_copy, DataError)
    assert message == (f"{CLAIMS}:{line}: claim 'oct-highest': "
                       "month 2023-05 is outside its scope 2023-06..2023-11")


def test_order_above_and_below_others(data_copy, seed_claims_file, edit_text, line_of_text,
                                      load_error):
    edit_text(seed_claims_file, "    below: [2023-09, 2023-10]\n", "    below: others\n")
    line = line_of_text(seed_claims_file, "- id: nov-order")
    message = load_error(data_copy, DataError)
    assert message == f"{CLAIMS}:{line}: claim 'nov-order': 'above' and 'below' cannot both be 'others'"


def test_order_compared_with_itself(data_copy, seed_claims_file, edit_text, line_of_text, load_error):
    edit_text(seed_claims_file, "    below: [2023-09, 2023-10]\n", "    below: [2023-09, 2023-11]\n")
    line = line_of_text(seed_claims_file, "- id: nov-order")
    message = load_error(data_copy, DataError)
    assert message == f"{CLAIMS}:{line}: claim 'nov-order': month 2023-11 is compared with itself"


def test_words_and_a_relation_together(data_copy, seed_claims_file, edit_text, line_of_text,
                                       load_error):
    edit_text(seed_claims_file, "    relation: \">\"\n    value: 1000\n",
              "    relation: \">\"\n    value: 1000\n    words: about\n")
    line = line_of_text(seed_claims_file, "- id: apr-nov-over-1000")
    message = load_error(data_copy, DataError)
    assert message == (f"{CLAIMS}:{line}: claim 'apr-nov-over-1000': "
                       "give either 'words' or a 'relation' other than '=', not both")


@pytest.mark.parametrize("raw, field", [
    ({"kind": "total", "period": "2023-09", "interval": "[180, 190]", "relation": ">"}, "interval"),
    ({"kind": "share", "part": "2023-10", "whole": "2023-09..2023-11", "words": "most",
      "relation": ">="}, "words"),
    ({"kind": "share", "part": "2023-10", "whole": "2023-09..2023-11", "interval": "[0.1, 0.2]",
      "relation": "<"}, "interval"),
])
def test_a_relation_beside_words_or_an_interval_is_refused(vocabulary, raw, field):
    """It would be ignored: words and intervals already say how much."""
    with pytest.raises(DataError, match=f"give either '{field}' or a 'relation' other than '=', "
                                        "not both"):
        build(vocabulary, **raw)


def test_an_equals_relation_beside_words_is_the_default_and_allowed(vocabulary):
    claim = build(vocabulary, kind="share", part="2023-10", whole="2023-09..2023-11",
                  words="most", relation="=")
    assert claim.spec.allowed == Interval(Fraction(1, 2), Fraction(1), False, True)


@pytest.mark.parametrize("change", ["-150", "-100.5"])
def test_a_fall_of_more_than_100_percent_written_as_text_is_refused(vocabulary, change):
    with pytest.raises(DataError) as error:
        build(vocabulary, kind="ratio", numerator="2023-09", denominator="2023-08",
              percent_change=change)
    assert str(error.value) == (f"f.yml:3: claim 'c': field 'percent_change': {change!r} is less "
                                "than the minimum of -100")


def test_a_fall_of_exactly_100_percent_written_as_text_is_allowed(vocabulary):
    claim = build(vocabulary, kind="ratio", numerator="2023-09", denominator="2023-08",
                  percent_change="-100.0")
    assert Fraction(0) in claim.spec.allowed


def test_words_beside_an_interval_are_refused(vocabulary):
    """Vague words scale a stated value; beside an interval they would be ignored."""
    with pytest.raises(DataError, match=r"give either 'words' \(with a 'value'\) or an 'interval', "
                                        "not both"):
        build(vocabulary, kind="total", period="2023-09", interval="[180, 190]", words="about")
