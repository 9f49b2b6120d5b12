"""Properties of the engine over random true series and claims the truth satisfies.

Every claim is checked by ``satisfied`` below, written from the claim kinds' documented meaning
in plain Fraction arithmetic and independent of model.py: a witness the solver returns is
believed only when this check passes.
"""
from __future__ import annotations

import calendar
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import kinds
from helpers.data.claims import Claim
from helpers.kinds.context import Context
from helpers.kinds.difference import Difference
from helpers.kinds.extremum import Extremum
from helpers.kinds.order import Order
from helpers.kinds.rate import Rate
from helpers.kinds.ratio import Ratio
from helpers.kinds.share import Share, percent_interval
from helpers.kinds.total import Total
from helpers.core.intervals import Interval
from helpers.core.linear import Constraint
from helpers.engine.model import build_model
from helpers.core.months import Period, month_from_index, month_index
from helpers.core.readings import Reading
from helpers.engine.bounds import Engine
from helpers.engine.explain import implied
from helpers.engine.reconstruct import reconstruct_claims

SERIES = "s"
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- the meaning of a claim, independently of the engine ----------------------------------------

def satisfied(claim: Claim, counts: dict[str, int], reading: Reading, window: list[str]) -> bool:
    spec = claim.spec
    if claim.series != SERIES or isinstance(spec, Context):
        return True

    def total(period: Period) -> int:
        return sum(counts[m] for m in period.months)

    if isinstance(spec, Total):
        return total(spec.period) in spec.allowed
    if isinstance(spec, Extremum):
        scope = spec.scope.months if reading.extremum_scope == "stated" and spec.scope else window
        mine = counts[spec.month]
        others = [counts[m] for m in scope if m != spec.month]
        if spec.extreme == "lowest":
            mine, others = -mine, [-o for o in others]
        return all(mine > o if reading.strict_extremes else mine >= o for o in others)
    if isinstance(spec, Order):
        rest = [m for m in window if m not in {spec.month, *spec.above, *spec.below}]
        above = [*spec.above, *(rest if spec.above_others else [])]
        below = [*spec.below, *(rest if spec.below_others else [])]
        mine = counts[spec.month]
        return all(mine > counts[m] for m in above) and all(mine < counts[m] for m in below)
    if isinstance(spec, Rate):  # the average per day, week or month over the period
        return Fraction(total(spec.period)) / units(spec.period, spec.per) in spec.allowed
    if isinstance(spec, Difference):
        by = total(spec.period) - total(spec.than)
        return (by if spec.direction == "more" else -by) in spec.allowed
    top, bottom = (spec.part, spec.whole) if isinstance(spec, Share) else (spec.numerator, spec.denominator)
    return total(bottom) >= 1 and Fraction(total(top), total(bottom)) in spec.allowed


def units(period: Period, per: str) -> Fraction:
    """How many days, weeks or months the period lasts (calendar days; a week is 7 days)."""
    if per == "month":
        return Fraction(len(period.months))
    days = sum(calendar.monthrange(int(m[:4]), int(m[5:]))[1] for m in period.months)
    return Fraction(days) / (7 if per == "week" else 1)


# -- random truths and the claims they satisfy --------------------------------------------------

def make(claim_id: str, spec, series: str = SERIES) -> Claim:
    return Claim(claim_id, "src", kinds.of_spec(spec).name, series, f"quote {claim_id}", spec)


@st.composite
def periods(draw, months: list[str]) -> Period:
    i = draw(st.integers(0, len(months) - 1))
    j = draw(st.integers(i, len(months) - 1))
    return Period(months[i], months[j])


@st.composite
def total_interval(draw, value: int) -> Interval:
    """An interval the value lies in, stated in one of the ways a reporter states a total."""
    how = draw(st.sampled_from(["=", ">", ">=", "<", "<=", "interval"]))
    slack = draw(st.integers(0, 20))
    if how == "=":
        return Interval.relation("=", value)
    if how in (">", ">="):
        return Interval.relation(how, value - slack - (how == ">"))
    if how in ("<", "<="):
        return Interval.relation(how, value + slack + (how == "<"))
    low_open, high_open = draw(st.booleans()), draw(st.booleans())
    low = Fraction(value) - draw(st.fractions(0, 30, max_denominator=4)) - (1 if low_open else 0)
    high = Fraction(value) + draw(st.fractions(0, 30, max_denominator=4)) + (1 if high_open else 0)
    return Interval(low, high, not low_open, not high_open)


def rounding_interval(value: Fraction, step: Fraction) -> Interval:
    """[k*step, (k+1)*step) holding value: what a rounded statement of it covers."""
    k = (value / step).__floor__()
    return Interval(k * step, (k + 1) * step, True, False)


@st.composite
def scenarios(draw, max_months: int = 12, max_count: int = 500, max_claims: int = 9):
    n = draw(st.integers(3, max_months))
    start = draw(st.integers(month_index("2019-01"), month_index("2024-12")))
    months = [month_from_index(start + i) for i in range(n)]
    truth = dict(zip(months, draw(st.lists(st.integers(0, max_count), min_size=n, max_size=n))))
    reading = Reading("random", "", SERIES, extremum_scope=draw(st.sampled_from(["stated", "window"])),
                      strict_extremes=draw(st.booleans()))

    def total(p: Period) -> int:
        return sum(truth[m] for m in p.months)

    # A total over the whole span always comes first: it fixes the window to the truth's months.
    whole = Period(months[0], months[-1])
    claims = [make("c0", Total(whole, draw(total_interval(total(whole)))))]
    for number in range(1, draw(st.integers(2, max_claims)) + 1):
        kind = draw(st.sampled_from(["total", "total", "extremum", "order", "share", "ratio", "rate",
                                     "difference", "other"]))
        cid = f"c{number}"
        if kind == "total":
            p = draw(periods(months))
            claims.append(make(cid, Total(p, draw(total_interval(total(p))))))
        elif kind == "extremum":
            scope = draw(periods(months))
            effective = scope.months if reading.extremum_scope == "stated" else months
            extreme = draw(st.sampled_from(["highest", "lowest"]))
            pick = max if extreme == "highest" else min
            best = pick(truth[m] for m in effective)
            at_best = [m for m in effective if truth[m] == best]
            if len(at_best) == 1 or not reading.strict_extremes:
                month = draw(st.sampled_from([m for m in at_best if scope.start <= m <= scope.end] or [None]))
                if month:
                    claims.append(make(cid, Extremum(month, extreme, scope)))
        elif kind == "order":
            month = draw(st.sampled_from(months))
            lower = [m for m in months if truth[m] < truth[month]]
            higher = [m for m in months if truth[m] > truth[month]]
            below = tuple(draw(st.lists(st.sampled_from(higher), unique=True, max_size=2))) if higher else ()
            rest = [m for m in months if m not in {month, *below}]
            above_others = all(truth[m] < truth[month] for m in rest) and draw(st.booleans())
            above = () if above_others else tuple(
                draw(st.lists(st.sampled_from(lower), unique=True, max_size=2)) if lower else ())
            if above or below or above_others:
                claims.append(make(cid, Order(month, tuple(sorted(above)), tuple(sorted(below)), above_others)))
        elif kind == "share":
            part_of = draw(periods(months))
            whole_p = Period(draw(st.sampled_from([m for m in months if m <= part_of.start])),
                             draw(st.sampled_from([m for m in months if m >= part_of.end])))
            if total(whole_p) >= 1:
                share = Fraction(total(part_of), total(whole_p))
                # "N percent" as a reporter writes it (rounded half up, 0 or 1 decimal)
                decimals = draw(st.sampled_from([0, 0, 1]))  # one decimal: hard programs, fewer
                k = (share * 100 * 10 ** decimals + Fraction(1, 2)).__floor__()
                text = str(k) if decimals == 0 else f"{k // 10}.{k % 10}"
                claims.append(make(cid, Share(part_of, whole_p, percent_interval(text))))
        elif kind == "ratio":
            top, bottom = draw(periods(months)), draw(periods(months))
            if total(bottom) >= 1:
                step = draw(st.sampled_from([Fraction(1, 4), Fraction(1, 10), Fraction(1, 100)]))
                claims.append(make(cid, Ratio(top, bottom, rounding_interval(Fraction(total(top), total(bottom)), step))))
        elif kind == "rate":
            p = draw(periods(months))
            per = draw(st.sampled_from(["day", "week", "month"]))
            rate = Fraction(total(p)) / units(p, per)
            how = draw(st.sampled_from(["rounded", "exact", ">=", "<"]))
            if how == "rounded":  # "about 2.5 a day": the rounding interval of a step
                step = draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(1, 10)]))
                allowed = rounding_interval(rate, step)
            elif how == "exact":
                allowed = Interval.point(rate)
            else:  # "at least 2 a day", "fewer than 3 a day"
                allowed = Interval.relation(how, rate.__floor__() + (how == "<"))
            claims.append(make(cid, Rate(p, per, allowed)))
        elif kind == "difference":
            p, than = draw(periods(months)), draw(periods(months))
            if not set(p.months) & set(than.months):
                by = total(p) - total(than)
                direction = "more" if by > 0 or (by == 0 and draw(st.booleans())) else "fewer"
                claims.append(make(cid, Difference(p, than, direction, draw(total_interval(abs(by))))))
        else:  # another series, and a context statement: outside the model
            claims.append(make(cid, Total(draw(periods(months)), Interval.point(draw(st.integers(0, 9)))),
                               series="other"))
            claims.append(make(cid + "x", Context(None, Fraction(draw(st.integers(0, 9))))))
    return months, truth, reading, claims


def fixed(month_or_months, low=None, high=None) -> Constraint:
    months = (month_or_months,) if isinstance(month_or_months, str) else tuple(month_or_months)
    return Constraint("", tuple((m, 1) for m in months), low, high)


# -- properties ---------------------------------------------------------------------------------

@settings(FAST, max_examples=90)
@given(scenarios())
def test_truth_lies_in_every_range_and_every_end_is_attained(scenario):
    months, truth, reading, claims = scenario
    assert all(satisfied(c, truth, reading, months) for c in claims)  # the generator is right
    rec = reconstruct_claims(claims, reading, explain=False)
    assert rec.feasible and [r.months[0] for r in rec.months] == months
    engine = Engine(build_model(claims, reading, SERIES))
    every = engine.rows(range(len(engine.model.groups)))
    for r in (*rec.months, *rec.periods):
        value = sum(truth[m] for m in r.months)
        assert r.low <= value and (r.high is None or value <= r.high)
        ends = [r.low] + ([r.high] if r.high is not None else [])
        for end in ends:  # tight: some series satisfying every claim takes this very value
            witness = engine.system.solve(every, extra=[fixed(r.months, end, end)]).witness
            assert witness is not None
            counts = dict(zip(months, witness))
            assert sum(counts[m] for m in r.months) == end
            assert all(satisfied(c, counts, reading, months) for c in claims)
        if r.high is None:  # unbounded: a ray along which every claim keeps holding
            ray = engine.system.ray(every, {m: 1 for m in r.months})
            assert ray is not None
            far = {m: truth[m] + 1000 * d for m, d in zip(months, ray)}
            assert all(satisfied(c, far, reading, months) for c in claims)


@settings(FAST, max_examples=60)
@given(scenarios(max_months=8), st.data())
def test_a_claim_pushed_into_contradiction_is_in_a_minimal_conflict_set(scenario, data):
    months, truth, reading, claims = scenario
    totals = [i for i, c in enumerate(claims) if c.kind == "total" and c.series == SERIES]
    target = data.draw(st.sampled_from(totals))
    victim = claims[target]
    engine = Engine(build_model(claims, reading, SERIES))
    others = [g for g, group in enumerate(engine.model.groups) if group.claim != victim.id]
    period = victim.spec.period
    r = engine.range_of(tuple(period.months), others, explain=False)
    if r.high is not None:
        wrong = Interval.point(r.high + 1)
    elif r.low > 0:
        wrong = Interval.point(r.low - 1)
    else:
        wrong = Interval.relation("<", 0)  # nothing else bounds it: contradict non-negativity
    pushed = make(victim.id, Total(period, wrong))
    changed = [pushed if i == target else c for i, c in enumerate(claims)]
    rec = reconstruct_claims(changed, reading, explain=False)
    assert not rec.feasible
    # The others hold together (the truth satisfies them): every conflict set has the pushed
    # claim, and setting it aside alone is a correction.
    assert rec.conflicts and all(victim.id in c.claims for c in rec.conflicts)
    assert (victim.id,) in [c.claims for c in rec.corrections]
    changed_engine = Engine(build_model(changed, reading, SERIES))
    index = {g.claim: i for i, g in enumerate(changed_engine.model.groups)}
    for conflict in rec.conflicts:
        members = [index[c] for c in conflict.claims]
        assert not changed_engine.feasible(members)
        for left_out in members:  # minimal: without any one member the rest can hold
            assert changed_engine.feasible([m for m in members if m != left_out])
    for x in rec.months:  # the basis is the other claims, which the truth satisfies
        assert x.low <= truth[x.months[0]] and (x.high is None or truth[x.months[0]] <= x.high)


@settings(FAST, max_examples=30)
@given(scenarios(max_months=6, max_claims=6))
def test_what_a_bound_rests_on_is_enough_and_minimal(scenario):
    months, truth, reading, claims = scenario
    rec = reconstruct_claims(claims, reading)
    engine = Engine(build_model(claims, reading, SERIES))
    index = {g.claim: i for i, g in enumerate(engine.model.groups)}
    for r in (*rec.months, *rec.periods):
        sides = [(r.low_rests_on, fixed(r.months, None, r.low - 1))] if r.low > 0 else []
        if r.high is not None:
            sides.append((r.high_rests_on, fixed(r.months, r.high + 1, None)))
        for rests_on, beyond in sides:
            groups = [index[c] for c in rests_on]
            assert not engine.feasible(groups, [beyond])
            for left_out in groups:
                assert engine.feasible([g for g in groups if g != left_out], [beyond])
    bound_claims = {c for r in (*rec.months, *rec.periods) for c in (*r.low_rests_on, *r.high_rests_on)}
    for s in rec.statuses:
        assert (s.status == "binding") == (s.claim in bound_claims)
        assert (s.status == "context") == (s.claim not in index)


def compositions(n: int, limit: int):
    """Every n-tuple of counts >= 0 with sum <= limit."""
    if n == 0:
        yield ()
        return
    for first in range(limit + 1):
        for rest in compositions(n - 1, limit - first):
            yield (first, *rest)


@settings(FAST, max_examples=80)
@given(scenarios(max_months=4, max_count=4, max_claims=6), st.integers(0, 2))
def test_ranges_equal_brute_force_over_every_series(scenario, slack):
    months, truth, reading, claims = scenario
    cap = sum(truth.values()) + slack
    whole = Period(months[0], months[-1])
    claims = [make("cap", Total(whole, Interval.relation("<=", cap))), *claims]
    points = [dict(zip(months, p)) for p in compositions(len(months), cap)]
    allowed = [p for p in points if all(satisfied(c, p, reading, months) for c in claims)]
    rec = reconstruct_claims(claims, reading, explain=False)
    for r in (*rec.months, *rec.periods):
        values = [sum(p[m] for m in r.months) for p in allowed]
        assert (r.low, r.high) == (min(values), max(values))


@settings(FAST, max_examples=40)
@given(scenarios(), st.sampled_from([(1,), (1, 3), (2,)]))
def test_bounds_settled_on_neighbourhoods_equal_those_of_the_whole_window(scenario, radii):
    months, truth, reading, claims = scenario
    model = build_model(claims, reading, SERIES)
    whole, local = Engine(model, radii=()), Engine(model, radii=radii)
    groups = list(range(len(model.groups)))
    for month in months:
        expected = whole.range_of((month,), groups, explain=False)
        found = local.range_of((month,), groups, explain=False)
        assert (found.low, found.high) == (expected.low, expected.high), month


@settings(FAST, max_examples=30)
@given(scenarios(max_months=8), st.randoms(use_true_random=False))
def test_every_range_and_status_is_the_same_from_any_engine_in_any_order(scenario, order):
    """What lets a reconstruction share its work among processes (engine/cores.py) and stay the
    same: a range, what its bounds rest on, and whether a claim is implied come out the same
    from an engine that has computed nothing before, and from one that computed others first,
    in any order."""
    months, truth, reading, claims = scenario
    rec = reconstruct_claims(claims, reading)
    model = build_model(claims, reading, SERIES)
    everything = list(range(len(model.groups)))
    ranges = [*rec.months, *rec.periods]
    order.shuffle(ranges)
    shared = Engine(model)
    for r in ranges:
        for engine in (Engine(model), shared):
            got = engine.range_of(r.months, everything, True)
            assert (got.low, got.high, got.low_rests_on, got.high_rests_on, got.derivation) == \
                (r.low, r.high, r.low_rests_on, r.high_rests_on, r.derivation)
    index = {g.claim: i for i, g in enumerate(model.groups)}
    for s in rec.statuses:
        if s.status in ("corroborating", "joint"):
            g = index[s.claim]
            months_of = sorted({m for row in model.groups[g].constraints for m in row.months})
            others = [o for o in shared.component(months_of, everything) if o != g]
            assert implied(Engine(model), g, others) == (s.status == "corroborating")
