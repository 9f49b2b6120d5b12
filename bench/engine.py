"""The reconstruction engine: bounds for every month under many mixed claims, and growth.

Claims are generated from a random true monthly series (fixed seed) the way news reports state
them: totals over one to twelve months (exact, "more than", "at most", "about"), the highest or
lowest month of a year, a month above or below a few nearby months, a share in whole percent,
a change between consecutive periods rounded to 5 %. The truth satisfies them all, so every
program is feasible and the engine does its full work. Density stays at about 8.3 claims per
month (1,000 claims for 120 months) as the window grows.

Baseline: bounds for every month of the 12-month case, measured in the same run.
"""
from __future__ import annotations

import random
import time
from fractions import Fraction

from helpers import kinds
from helpers.data.claims import Claim
from helpers.kinds.extremum import Extremum
from helpers.kinds.order import Order
from helpers.kinds.ratio import Ratio
from helpers.kinds.share import Share
from helpers.kinds.total import Total
from helpers.core.intervals import Interval
from helpers.engine.model import build_model
from helpers.core.months import Period, month_from_index, month_index
from helpers.core.readings import Reading
from helpers.engine.bounds import Engine

SEED = 20231204
CLAIMS_PER_MONTH = 1000 / 120
READING = Reading("bench", "one series", series="s", extremum_scope="stated", strict_extremes=True)


def true_series(months: int, rng: random.Random) -> list[int]:
    """A wandering monthly count around a few hundred, never negative."""
    level, values = rng.randint(50, 400), []
    for _ in range(months):
        level = max(0, level + rng.randint(-40, 40))
        values.append(level + rng.randint(0, 30))
    return values


def generate_claims(months: int, claims: int, seed: int = SEED) -> tuple[list[str], list[int], list[Claim]]:
    rng = random.Random(seed)
    names = [month_from_index(month_index("2015-01") + i) for i in range(months)]
    truth = true_series(months, rng)

    def span(most: int) -> tuple[int, int]:
        length = rng.randint(1, min(most, months))
        start = rng.randint(0, months - length)
        return start, start + length - 1

    def total(i: int, j: int) -> int:
        return sum(truth[i:j + 1])

    def period(i: int, j: int) -> Period:
        return Period(names[i], names[j])

    made: list[Claim] = []
    while len(made) < claims:
        kind = rng.choices(["total", "extremum", "order", "share", "ratio"], [50, 10, 10, 15, 15])[0]
        cid = f"b{len(made)}"
        if kind == "total":
            i, j = span(12)
            value = total(i, j)
            how = rng.choices(["=", ">", "<=", "about"], [15, 30, 30, 25])[0]
            allowed = {"=": Interval.point(value),
                       ">": Interval.relation(">", max(0, value - rng.randint(1, 50))),
                       "<=": Interval.relation("<=", value + rng.randint(0, 50)),
                       "about": Interval(Fraction(value) * Fraction(9, 10), Fraction(value) * Fraction(11, 10))}[how]
            spec = Total(period(i, j), allowed)
        elif kind == "extremum":
            i, j = span(12)
            scope = range(i, j + 1)
            pick = rng.choice(["highest", "lowest"])
            best = (max if pick == "highest" else min)(truth[k] for k in scope)
            at_best = [k for k in scope if truth[k] == best]
            if len(at_best) > 1:
                continue
            spec = Extremum(names[at_best[0]], pick, period(i, j))
        elif kind == "order":
            k = rng.randrange(months)
            near = [m for m in range(max(0, k - 6), min(months, k + 7)) if m != k]
            chosen = rng.sample(near, min(len(near), rng.randint(1, 3)))
            above = tuple(names[m] for m in chosen if truth[m] < truth[k])
            below = tuple(names[m] for m in chosen if truth[m] > truth[k])
            if not above and not below:
                continue
            spec = Order(names[k], above=above, below=below)
        elif kind == "share":
            i, j = span(24)
            if j == i:
                continue
            a = rng.randint(i, j)
            b = rng.randint(a, j)
            whole = total(i, j)
            if whole == 0:
                continue
            percent = (Fraction(100 * total(a, b), whole) + Fraction(1, 2)).__floor__()
            spec = Share(period(a, b), period(i, j),
                         Interval(max(Fraction(0), Fraction(2 * percent - 1, 200)), Fraction(2 * percent + 1, 200),
                                  True, False))
        else:  # change against the previous period of the same length, rounded to 5 %
            length = rng.randint(1, 6)
            if months < 2 * length:
                continue
            start = rng.randint(length, months - length)
            before = total(start - length, start - 1)
            if before == 0:
                continue
            step = Fraction(1, 20)
            ratio = Fraction(total(start, start + length - 1), before)
            low = (ratio / step).__floor__() * step
            spec = Ratio(period(start, start + length - 1), period(start - length, start - 1),
                         Interval(low, low + step, True, False))
        made.append(Claim(cid, "bench", kinds.of_spec(spec).name, "s", f"quote {cid}", spec))
    return names, truth, made


def month_bounds(engine: Engine, every: int = 1) -> list:
    """Exact bounds for every ``every``-th month of the window (no explanations)."""
    everything = list(range(len(engine.model.groups)))
    return [engine.range_of((m,), everything, explain=False) for m in engine.model.months[::every]]


def case(months: int, every: int = 1) -> dict:
    claims = round(months * CLAIMS_PER_MONTH)
    names, truth, made = generate_claims(months, claims)
    engine = Engine(build_model(made, READING, "s"))
    start = time.perf_counter()
    ranges = month_bounds(engine, every)
    seconds = time.perf_counter() - start
    assert all(r.low <= v and (r.high is None or v <= r.high) for r, v in zip(ranges, truth[::every]))
    return {"months": months, "claims": claims, "rows": len(engine.system.constraints), "engine": engine,
            "seconds": seconds, "ranges": ranges, "measured": len(ranges)}


def supports(engine: Engine, ranges, sample: int) -> tuple[float, int]:
    """Seconds to find the bounds of ``sample`` evenly spread months and what they rest on."""
    everything = list(range(len(engine.model.groups)))
    picked = ranges[:: max(1, len(ranges) // sample)][:sample]
    start = time.perf_counter()
    for r in picked:
        engine.range_of(r.months, everything, explain=True)
    return time.perf_counter() - start, len(picked)


def run() -> None:
    print("engine: exact month bounds (helpers.engine.bounds.Engine; HiGHS through scipy.optimize.milp)")
    print(f"claims generated from a random true series (seed {SEED}), {CLAIMS_PER_MONTH:.2f} claims per month")
    baseline, ten_years = case(12), case(120)
    long = case(600, every=5)  # a sample: every 5th month (the cost per month is even along the window)
    unit = baseline["seconds"] / baseline["measured"]
    print(f"\n{'case':<30}{'claims':>7}{'rows':>7}{'bounds':>8}{'seconds':>9}{'s/month':>9}{'x baseline':>12}")
    for c in (baseline, ten_years, long):
        per_month = c["seconds"] / c["measured"]
        label = f"{c['months']} months" + (" (baseline)" if c is baseline else "")
        label += f", 1 in {c['months'] // c['measured']}" if c["measured"] < c["months"] else ""
        print(f"{label:<30}{c['claims']:>7}{c['rows']:>7}{c['measured']:>8}{c['seconds']:>9.2f}"
              f"{per_month:>9.3f}{per_month / unit:>12.1f}")
    whole_long = long["seconds"] / long["measured"] * long["months"]
    print(f"\nall months: 12 in {baseline['seconds']:.2f} s, 120 in {ten_years['seconds']:.1f} s "
          f"({ten_years['seconds'] / baseline['seconds']:.0f}x), 600 in about {whole_long:.0f} s "
          f"({whole_long / baseline['seconds']:.0f}x; from the sample)")
    engine = ten_years["engine"]
    start = time.perf_counter()
    engine.system.solve(range(len(engine.system.constraints)))
    print(f"one feasibility solve of the 120-month program: {(time.perf_counter() - start) * 1000:.0f} ms")
    ranges = ten_years["ranges"]
    print(f"120 months: {sum(r.determined for r in ranges)} determined, "
          f"widest range {max(r.high - r.low for r in ranges if r.high is not None)}, "
          f"{sum(r.high is None for r in ranges)} without an upper bound")

    seconds, count = supports(engine, ranges, 12)
    print(f"\nwhat bounds rest on, measured apart (minimal claim sets, QuickXplain): {count} of 120 months "
          f"under 1,000 claims in {seconds:.1f} s, {seconds / count:.2f} s a month "
          f"({seconds / count / unit:.0f}x a baseline month); all 120: about {seconds / count * 120:.0f} s")
