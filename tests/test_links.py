"""Claims among others: one statement from several outlets (same_as), and named alternatives a
reading chooses from (by claim id or by kind of ambiguity). The error cases are in bad_inputs/.
"""
from __future__ import annotations

import hashlib

import pytest

from helpers.core.intervals import Interval
from helpers.core.months import Period
from helpers.core.readings import Reading, build_readings
from helpers.data.claims import ClaimAlternative
from helpers.data.dataset import load_dataset
from helpers.data.statements import heads, resolve, statements
from helpers.engine.reconstruct import reconstruct, reconstruct_claims
from helpers.errors import ReadingError
from helpers.kinds.total import Total
from factories import READING, claim

REPEAT = "Get to Forest counted 218 desertion attempts in October.\n"


def add_repeat(data, value: int = 218) -> None:
    """A second outlet repeating the seed's "October (218 cases)", marked the same statement."""
    (data / "sources" / "001_repeat.txt").write_text(REPEAT, encoding="utf-8")
    (data / "sources" / "001_repeat.yml").write_text(
        f"id: 001_repeat\ntext: 001_repeat.txt\nsha256: {hashlib.sha256(REPEAT.encode()).hexdigest()}\n"
        "title: A repeat\nlanguage: en\npublisher: Second Outlet\ndate_published: 2023-12\n"
        "licence: test\n", encoding="utf-8")
    (data / "claims" / "001_repeat.yml").write_text(
        "source: 001_repeat\nclaims:\n  - id: wire-oct-218\n    kind: total\n"
        f"    series: desertion_attempts\n    period: 2023-10\n    value: {value}\n"
        "    same_as: oct-218\n    quote: Get to Forest counted 218 desertion attempts in October\n",
        encoding="utf-8")


def test_a_repeated_statement_counts_once_and_shows_both_outlets(data_copy):
    before = reconstruct(load_dataset(data_copy))
    add_repeat(data_copy)
    dataset = load_dataset(data_copy)
    after = reconstruct(dataset)
    assert [(r.low, r.high) for r in after.months] == [(r.low, r.high) for r in before.months]
    status = after.status("wire-oct-218")
    assert status.claim == "oct-218" and status.sources == ("000_53cf863e7d9b0b6b", "001_repeat")
    assert [a.quote for a in status.attestations] == ["October (218 cases)", REPEAT.strip().rstrip(".")]
    assert len(after.statuses) == len(before.statuses)
    september = next(r for r in after.months if r.months[0] == "2023-09")
    assert "wire-oct-218" not in september.derivation and "218 [oct-218]" in september.derivation


def test_setting_a_repeated_statement_aside_sets_aside_every_copy(data_copy, seed_claims_file, edit_text):
    add_repeat(data_copy)
    edit_text(seed_claims_file, "    value: 175\n", "    value: 230\n")  # November above October
    rec = reconstruct(load_dataset(data_copy))
    with_october = [n for n, c in enumerate(rec.conflicts) if "oct-218" in c.claims]
    assert with_october and all("wire-oct-218" not in c.claims for c in rec.conflicts)
    document = rec.to_dict()["conflicts"]
    for n in with_october:
        member = document[n]["claims"].index("oct-218")
        assert document[n]["sources"][member] == ["000_53cf863e7d9b0b6b", "001_repeat"]
    # Set aside with November's figure, the statement leaves no copy behind: October is free.
    correction = next(c for c in rec.corrections if "oct-218" in c.claims)
    october = next(r for r in correction.months if r.months[0] == "2023-10")
    assert (october.low, october.high) != (218, 218)


def test_statements_resolve_chains_and_keep_data_set_order():
    a = claim("a", Total(Period("2024-01", "2024-01"), Interval.point(5)))
    b = claim("b", Total(Period("2024-01", "2024-01"), Interval.point(5)))
    c = claim("c", Total(Period("2024-01", "2024-01"), Interval.point(5)))
    b = type(b)(**{**vars(b), "source": "other", "same_as": "c"})
    c = type(c)(**{**vars(c), "source": "third", "same_as": "a"})
    found = statements([b, a, c])
    assert [(s.id, s.root.id, [m.id for m in s.claims]) for s in found] == [("b", "a", ["b", "a", "c"])]
    assert [h.id for h in heads([b, a, c], READING)] == ["b"]
    rec = reconstruct_claims([b, a, c], READING)
    assert [s.claim for s in rec.statuses] == ["b"] and rec.status("c").sources == ("other", "src", "third")


def alternative_claims():
    """"20 at the start of the year": January as written, or January and February under the
    alternative 'two-months'; January to April is 100."""
    share = claim("start-20", Total(Period("2024-01", "2024-01"), Interval.point(20)))
    jan_apr = claim("jan-apr-100", Total(Period("2024-01", "2024-04"), Interval.point(100)))
    alt = ClaimAlternative("two-months", Total(Period("2024-01", "2024-02"), Interval.point(20)))
    share = type(share)(**{**vars(share), "ambiguity": "which-months", "alternatives": (alt,)})
    return [share, jan_apr]


def test_a_reading_picks_an_alternative_by_claim_or_by_ambiguity():
    claims = alternative_claims()
    by_claim = Reading("r", "", "s", alternatives={"start-20": "two-months"})
    by_kind = Reading("r", "", "s", alternatives={"which-months": "two-months"})
    for reading in (by_claim, by_kind):
        assert resolve(claims, reading)[0].spec.period == Period("2024-01", "2024-02")
    assert resolve(claims, READING)[0].alternative is None
    rec = reconstruct_claims(claims, by_kind)
    february = next(r for r in rec.months if r.months[0] == "2024-02")
    assert (february.low, february.high) == (0, 20)


def test_each_alternative_side_by_side_in_one_reconstruction():
    rec = reconstruct_claims(alternative_claims(), READING)
    (ambiguity,) = rec.ambiguities
    written, other = ambiguity.options
    assert (written.name, written.chosen, other.name, other.chosen) == ("as-written", True, "two-months", False)
    assert written.feasible and other.feasible and written.moved == ()
    assert {m.month: (m.low, m.high, m.from_low, m.from_high) for m in other.moved} == {
        "2024-01": (0, 20, 20, 20), "2024-02": (0, 20, 0, 80)}
    assert [(r.label, r.low, r.high) for r in other.periods] == [("2024-01..2024-02", 20, 20)]
    assert [(r.label, r.low, r.high) for r in written.periods] == [("2024-01..2024-02", 20, 100)]
    document = rec.to_dict()["ambiguities"][0]
    assert [a["name"] for a in document["alternatives"]] == ["as-written", "two-months"]
    assert rec.to_dict()["reading"]["parameters"]["alternatives"] == {}


def test_readings_read_the_scope_under_either_name():
    raw = {"default": "old", "readings": {
        "old": {"description": "", "series": "s", "extremum_scope": "window", "strict_extremes": True},
        "new": {"description": "", "series": "s", "comparison_scope": "window", "strict_extremes": True}}}
    readings = build_readings(raw, "readings.yml")
    assert readings.get("old").comparison_scope == readings.get("new").comparison_scope == "window"
    with pytest.raises(ValueError):
        Reading("r", "", "s", comparison_scope="stated", extremum_scope="stated")


def test_a_choice_in_readings_is_checked_against_the_claims(data_copy, seed_claims_file, edit_text):
    edit_text(seed_claims_file, "    words: most\n",
              "    words: most\n    alternatives:\n      spring-too:\n        part: 2023-04..2023-11\n")
    path = data_copy / "readings.yml"
    path.write_text(path.read_text().replace("    strict_extremes: false\n",
                                             "    strict_extremes: false\n    alternatives:\n"
                                             "      most-in-fall: spring-too\n"))
    dataset = load_dataset(data_copy)
    rec = reconstruct(dataset, reading="non-strict-extremes")
    assert rec.reading.alternatives == {"most-in-fall": "spring-too"}
    # Read so, "most of them in April to November" says nothing: April and May together are
    # then bounded only by November's "more than in any other month" (174 each).
    spring = next(r for r in rec.periods if r.label == "2023-04..2023-05")
    assert rec.feasible and (spring.low, spring.high) == (119, 348)
    assert rec.status("most-in-fall").status in ("corroborating", "joint")
    path.write_text(path.read_text().replace("most-in-fall: spring-too", "most-in-fall: autumn"))
    with pytest.raises(ReadingError, match="has no alternative 'autumn'"):
        load_dataset(data_copy)
