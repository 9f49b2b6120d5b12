"""A comparison's scope: "more than in any other month" and "the highest" mean the same whatever
other sources are loaded, under a reading whose comparison scope is ``stated``.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import kinds
from helpers.core.intervals import Interval
from helpers.core.months import Period, month_range
from helpers.core.readings import Reading
from helpers.data.claims import Claim
from helpers.data.dataset import load_dataset
from helpers.engine.bounds import Engine
from helpers.engine.model import build_model
from helpers.engine.reconstruct import reconstruct, reconstruct_claims
from helpers.errors import DataError
from helpers.kinds.extremum import Extremum
from helpers.kinds.order import Order
from helpers.kinds.total import Total

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
JANUARY_TEXT = "In January 2024 the group received 300 appeals.\n"


def add_january_source(data: Path) -> None:
    """An unrelated later source: "In January 2024 the group received 300 appeals"."""
    (data / "sources" / "001_january.txt").write_text(JANUARY_TEXT, encoding="utf-8")
    digest = hashlib.sha256(JANUARY_TEXT.encode()).hexdigest()
    (data / "sources" / "001_january.yml").write_text(
        f"id: 001_january\ntext: 001_january.txt\nsha256: {digest}\ntitle: January 2024\n"
        "language: en\npublisher: null\ndate_published: 2024-02\nlicence: written for this test\n",
        encoding="utf-8")
    (data / "claims" / "001_january.yml").write_text(
        "source: 001_january\nclaims:\n  - id: jan-2024-300\n    kind: total\n    series: appeals\n"
        "    period: 2024-01\n    value: 300\n"
        "    quote: In January 2024 the group received 300 appeals\n", encoding="utf-8")


def test_the_seed_and_an_unrelated_later_month_hold_together(data_copy):
    before = reconstruct(load_dataset(data_copy))
    add_january_source(data_copy)
    after = reconstruct(load_dataset(data_copy))
    assert after.feasible and after.reading.name == "one-series"
    ranges = {r.months[0]: (r.low, r.high) for r in after.months}
    assert ranges["2024-01"] == (300, 300)
    assert ranges["2023-12"] == (0, None)  # no source speaks of December 2023
    assert {r.months[0]: (r.low, r.high) for r in before.months} == {
        m: ranges[m] for m in month_range("2023-04", "2023-11")}
    assert ranges["2023-09"] == (184, 184)
    assert ranges["2023-04"] == ranges["2023-05"] == (0, 174)


def test_others_means_the_other_months_of_the_scope():
    reading = Reading("r", "", "s", extremum_scope="stated")
    order = Claim("nov", "a", "order", "s", "q", Order("2023-11", below=("2023-09",), above_others=True,
                                                      scope=Period("2023-08", "2023-11")))
    far = Claim("jan", "b", "total", "s", "q", Total(Period("2024-01", "2024-01"), Interval.point(3)))
    rows = build_model([order, far], reading, "s").groups[0].constraints
    assert sorted(r.terms for r in rows) == sorted([
        (("2023-09", 1), ("2023-11", -1)),
        (("2023-08", -1), ("2023-11", 1)), (("2023-10", -1), ("2023-11", 1))])
    # Over the whole window, December 2023 and January 2024 are "other months" too.
    window = Reading("w", "", "s", extremum_scope="window")
    assert len(build_model([order, far], window, "s").groups[0].constraints) == 5


def test_an_order_month_outside_its_scope_is_refused(data_copy, seed_claims_file, edit_text,
                                                     line_of_text, load_error):
    edit_text(seed_claims_file, "    scope: 2023-04..2023-11\n", "    scope: 2023-04..2023-10\n")
    line = line_of_text(seed_claims_file, "- id: nov-order")
    message = load_error(data_copy, DataError)
    assert message == (f"data/claims/000_53cf863e7d9b0b6b.yml:{line}: claim 'nov-order': "
                       "month 2023-11 is outside its scope 2023-04..2023-10")


# -- adding a source never changes what an existing claim means --------------------------------

MONTHS = month_range("2022-10", "2024-03")


@st.composite
def comparison_or_total(draw, source: str, months: list[str], number: int) -> Claim:
    """A random total, extremum or order over ``months``, with or without a scope."""
    kind = draw(st.sampled_from(["total", "extremum", "order"]))
    month = draw(st.sampled_from(months))
    scope = None
    if draw(st.booleans()):
        before = [m for m in months if m <= month]
        after = [m for m in months if m >= month]
        scope = Period(draw(st.sampled_from(before)), draw(st.sampled_from(after)))
    if kind == "total":
        end = draw(st.sampled_from([m for m in months if m >= month]))
        spec = Total(Period(month, end), Interval.relation(draw(st.sampled_from(["=", "<=", ">="])),
                                                            draw(st.integers(0, 50))))
    elif kind == "extremum":
        spec = Extremum(month, draw(st.sampled_from(["highest", "lowest"])), scope)
    else:
        named = draw(st.lists(st.sampled_from([m for m in months if m != month] or [month]),
                              max_size=2, unique=True))
        named = [m for m in named if m != month]
        side = draw(st.booleans())
        spec = Order(month, above=() if side else tuple(named), below=tuple(named) if side else (),
                     above_others=not side, below_others=side, scope=scope)
    return Claim(f"{source}-{number}", source, kinds.of_spec(spec).name, "s", "q", spec)


@st.composite
def existing_and_added(draw):
    first = draw(st.integers(0, len(MONTHS) - 4))
    span = MONTHS[first:first + draw(st.integers(2, 6))]
    existing = [draw(comparison_or_total(source, span, n)) for source in ("a", "b")
                for n in range(draw(st.integers(1, 3)))]
    named = {m for c in existing for m in c.months()}
    others = [m for m in MONTHS if m not in named]
    start = draw(st.integers(0, len(others) - 2))
    added_months = sorted(draw(st.lists(st.sampled_from(others[start:start + 6]), min_size=1, max_size=4,
                                        unique=True)))
    added = [draw(comparison_or_total("new", added_months, n)) for n in range(draw(st.integers(1, 3)))]
    added = [c for c in added if not set(c.months()) & named]  # (a scope may reach back: skip it)
    return existing, added


@settings(FAST, max_examples=60)
@given(existing_and_added(), st.booleans())
def test_under_a_stated_scope_another_source_never_changes_an_existing_claim(case, strict):
    existing, added = case
    reading = Reading("stated", "", "s", extremum_scope="stated", strict_extremes=strict)
    alone = build_model(existing, reading, "s")
    together = build_model(existing + added, reading, "s")
    rows = {g.claim: g.constraints for g in together.groups}
    for group in alone.groups:
        assert rows[group.claim] == group.constraints
    # So the existing months can only tighten, or the claims conflict.
    before = reconstruct_claims(existing, reading, explain=False)
    after = reconstruct_claims(existing + added, reading, explain=False)
    if before.feasible and after.feasible:
        wider = {r.months[0]: r for r in after.months}
        for r in before.months:
            now = wider[r.months[0]]
            assert now.low >= r.low and (r.high is None or (now.high is not None and now.high <= r.high))
    if not before.feasible:
        assert not Engine(together).feasible(range(len(together.groups)))
