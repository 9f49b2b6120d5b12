"""Exact at the limits: claims with large numbers and long decimals over two or three months.

Claims are drawn as a researcher writes them in YAML (a total of 10^20, an interval end with 18
decimals, a percentage with 5), around a small true series and with a cap on the window's total,
so that every series the claims allow lies in a box small enough to enumerate. Every verdict of
the engine (feasible or not, each conflict set, each range) is then checked against exact
rational brute force over that box, using ``satisfied`` of test_reconstruct_properties (the
claim kinds' documented meaning, independent of the engine). The only other answer allowed is a
one-line refusal, and only for a claim beyond the limits: a number the schema does not admit
(decided here from the text, independently of helpers.core.limits) or, past the schema, a claim
whose whole-number rows could reach 2^53 (bounded here from its fractions).
"""
from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import kinds
from helpers.core.months import Period, month_from_index, month_index
from helpers.core.readings import Reading
from helpers.core.vocabulary import Vocabulary
from helpers.data.claims import Claim, build_claim
from helpers.data.schema import CLAIMS_FILE_SCHEMA, validate
from helpers.engine.reconstruct import reconstruct_claims
from helpers.errors import DataError, SchemaError
from helpers.kinds.rate import length
from test_reconstruct_properties import SERIES, compositions, satisfied

LARGEST, DECIMALS, PERCENT_DECIMALS = 10 ** 9, 5, 2   # data/README.md, "Limits"
EXACT_BELOW = 2 ** 53
BIG = [10 ** 9, 10 ** 9 + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 1, 10 ** 17, 10 ** 19, 10 ** 20, 10 ** 30]
VOCABULARY = Vocabulary({})
LIMITS = settings(deadline=None, max_examples=120,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# -- numbers as a researcher writes them -----------------------------------------------------------

def written(x: Fraction, places: int, up: bool) -> str:
    """x rounded down (or up) to ``places`` decimals, written with exactly that many."""
    scaled = x * 10 ** places
    n = -((-scaled.numerator) // scaled.denominator) if up else scaled.numerator // scaled.denominator
    sign, n = ("-" if n < 0 else ""), abs(n)
    if places == 0:
        return f"{sign}{n}"
    return f"{sign}{n // 10 ** places}.{n % 10 ** places:0{places}d}"


def value_of(text: str) -> Fraction:
    return Fraction(text)


def decimals_of(text: str) -> int:
    return len(text.partition(".")[2]) if "." in text else 0


@st.composite
def interval_around(draw, x: Fraction, *, low_floor: Fraction | None = None):
    """An interval near x (holding it or just missing it), its ends with 0 to 20 decimals or
    beyond the largest count; returns (text, ends as written)."""
    places = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 18, 20]))
    step = Fraction(1, 10 ** places)
    # Narrow and fine intervals hold the truth: one that just misses it is met only by fractions
    # with large denominators, which the solver's branch and bound searches for minutes.
    least = -1 if places < 4 else 1
    low = x - draw(st.integers(least, 3)) * step
    high = x + draw(st.integers(least, 3)) * step
    if low_floor is not None:
        low = max(low, low_floor)
    low_text, high_text = written(low, places, up=False), written(high, places, up=True)
    if draw(st.integers(0, 5)) == 0:  # an end far beyond the largest count
        high_text = str(draw(st.sampled_from(BIG)))
    low_closed, high_closed = draw(st.booleans()), draw(st.booleans())
    lo, hi = value_of(low_text), value_of(high_text)
    if lo > hi or (lo == hi and not (low_closed and high_closed)):
        low_closed = high_closed = True
        low_text, high_text = (high_text, low_text) if lo > hi else (low_text, high_text)
    text = ("[" if low_closed else "(") + f"{low_text}, {high_text}" + ("]" if high_closed else ")")
    return text, [low_text, high_text]


# -- drawn data sets -------------------------------------------------------------------------------

@st.composite
def scenarios(draw):
    n = draw(st.integers(2, 3))
    start = draw(st.integers(month_index("2019-01"), month_index("2024-11")))
    months = [month_from_index(start + i) for i in range(n)]
    truth = dict(zip(months, draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))))

    def total(p: Period) -> int:
        return sum(truth[m] for m in p.months)

    def period() -> Period:
        i = draw(st.integers(0, n - 1))
        return Period(months[i], months[draw(st.integers(i, n - 1))])

    cap = sum(truth.values()) + draw(st.integers(0, 2))
    raws = [{"kind": "total", "period": f"{months[0]}..{months[-1]}", "relation": "<=", "value": cap}]
    numbers: list[list[tuple[str, str]]] = [[]]  # per claim: (how the number counts, its text)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["total", "share", "ratio", "rate", "difference"]))
        raw: dict = {"kind": kind}
        said: list[tuple[str, str]] = []
        if kind == "total":
            p = period()
            raw["period"] = str(p)
            how = draw(st.sampled_from(["small", "big", "interval"]))
            if how == "interval":
                raw["interval"], ends = draw(interval_around(Fraction(total(p))))
                said += [("number", e) for e in ends]
            else:
                value = total(p) + draw(st.integers(-1, 2)) if how == "small" else draw(st.sampled_from(BIG))
                raw["value"], raw["relation"] = max(value, 0), draw(st.sampled_from(["=", ">=", "<=", "<", ">"]))
                said.append(("count", str(raw["value"])))
        elif kind in ("share", "ratio"):
            top, bottom = period(), period()
            if kind == "share":
                bottom = Period(min(top.start, bottom.start), max(top.end, bottom.end))
            if total(bottom) == 0:
                continue
            x = Fraction(total(top), total(bottom))
            names = ("part", "whole") if kind == "share" else ("numerator", "denominator")
            raw.update(zip(names, (str(top), str(bottom))))
            if draw(st.booleans()):
                places = draw(st.integers(0, 5))
                stated = (x if kind == "share" else x - 1) * 100
                # rounded to the nearest (the truth inside) but for the coarse ones
                up = draw(st.booleans()) if places <= 1 else stated * 10 ** places % 1 >= Fraction(1, 2)
                text = written(stated, places, up=up)
                if kind == "share" and value_of(text) > 100:
                    text = "100"
                raw["percent" if kind == "share" else "percent_change"] = text
                said.append(("percent", text))
            else:
                raw["interval"], ends = draw(interval_around(x, low_floor=Fraction(0)))
                said += [("number", e) for e in ends]
        elif kind == "rate":
            p = period()
            per = draw(st.sampled_from(["day", "week", "month"]))
            raw.update(period=str(p), per=per)
            if draw(st.booleans()):
                raw["value"] = draw(st.sampled_from(BIG))
                said.append(("count", str(raw["value"])))
            else:
                text = written(total(p) / length(p, per), draw(st.sampled_from([0, 2, 5, 6, 9])),
                               up=draw(st.booleans()))
                text = text.rstrip("0").rstrip(".") if "." in text else text  # as YAML's float prints
                raw["value"] = float(text) if "." in text else int(text)
                said.append(("number", text))
            raw["relation"] = draw(st.sampled_from(["=", ">=", "<="]))
        else:  # difference
            p, than = period(), period()
            if set(p.months) & set(than.months):
                continue
            raw.update(period=str(p), than=str(than), direction=draw(st.sampled_from(["more", "fewer"])))
            raw["value"] = draw(st.sampled_from([*BIG, abs(total(p) - total(than))]))
            said.append(("count", str(raw["value"])))
        raws.append(raw)
        numbers.append(said)
    for i, raw in enumerate(raws):
        raw.update(id=f"c{i}", series=SERIES, quote=f"quote {i}")
    reading = Reading("r", "", SERIES, extremum_scope="window", strict_extremes=False)
    return months, reading, raws, numbers


# -- what the limits admit, decided from the text ----------------------------------------------------

def beyond_the_schema(said: list[tuple[str, str]]) -> bool:
    for how, text in said:
        if decimals_of(text) > (PERCENT_DECIMALS if how == "percent" else DECIMALS):
            return True
        if abs(value_of(text)) > LARGEST:
            return True
    return False


def may_reach_2_53(claim: Claim) -> bool:
    """Whether a row of the claim could reach 2^53 or leave the counts up to the largest,
    bounded from its own numbers: a fraction n/d of a total over k months makes coefficients
    below |n| + d; a total's bound is its end (times the length, for a rate), which counts up to
    the largest meet only up to the largest times its months."""
    spec = claim.spec
    allowed = spec.allowed
    ends = [e for e in (allowed.low, allowed.high) if e is not None]
    if claim.kind in ("share", "ratio"):
        top, bottom = (spec.part, spec.whole) if claim.kind == "share" else (spec.numerator, spec.denominator)
        k = len(set(top.months) | set(bottom.months))
        return any((abs(e.numerator) + e.denominator) * k * LARGEST >= EXACT_BELOW for e in ends)
    # a total (or a difference) beyond what counts up to the largest give its months
    factor = length(spec.period, spec.per) if claim.kind == "rate" else 1
    months = len(claim.months())
    return any(abs(e * factor) >= min(EXACT_BELOW - 1, LARGEST * months) for e in ends)


# -- the property -----------------------------------------------------------------------------------

@LIMITS
@given(scenarios(), st.booleans())
def test_every_verdict_is_exact_or_a_refusal_beyond_the_limits(scenario, through_schema):
    """With ``through_schema`` the claims pass the claims file's schema first, as a data set
    does; without it they go straight to the engine, whose rows are the last guard."""
    months, reading, raws, numbers = scenario
    beyond = {raw["id"] for raw, said in zip(raws, numbers) if beyond_the_schema(said)}
    try:
        if through_schema:
            validate({"source": "src", "claims": raws}, CLAIMS_FILE_SCHEMA, file="f.yml", lines={})
        claims = [build_claim(raw, source="src", vocabulary=VOCABULARY) for raw in raws]
        rec = reconstruct_claims(claims, reading, explain=False)
    except DataError as refusal:
        message = str(refusal)
        assert "\n" not in message and refusal.claim in {raw["id"] for raw in raws}, message
        event(f"refused by the {'schema' if isinstance(refusal, SchemaError) else 'rows'}")
        if isinstance(refusal, SchemaError):
            assert through_schema and refusal.claim in beyond, message
        else:
            assert "2^53" in message or "no counts up to 1,000,000,000 a month meet" in message, message
            refused = next(r for r in raws if r["id"] == refusal.claim)
            assert refused["id"] in beyond or may_reach_2_53(_unchecked(refused)), message
        return
    assert not (through_schema and beyond), f"{sorted(beyond)} passed the schema"
    event(("feasible" if rec.feasible else "conflicting") + (", a number beyond the schema" if beyond else ""))
    check_against_brute_force(months, reading, claims, rec)


def _unchecked(raw: dict) -> Claim:
    """The claim a mapping stands for, read by its kind without build_claim's row check."""
    kind = kinds.get(raw["kind"])
    return Claim(raw["id"], "src", kind.name, SERIES, raw["quote"], kind.parse(raw, VOCABULARY))


def check_against_brute_force(months, reading, claims, rec) -> None:
    cap = claims[0].spec.allowed.high  # the first claim caps the window's total
    box = [dict(zip(months, p)) for p in compositions(len(months), int(cap))]
    wider = [dict(zip(months, p)) for p in compositions(len(months), 24)]

    def allowed(subset, points=box):
        return [p for p in points if all(satisfied(c, p, reading, months) for c in subset)]

    by_id = {c.id: c for c in claims}
    assert rec.feasible == bool(allowed(claims))
    for conflict in rec.conflicts:  # each cannot hold, and each without any one member can
        members = [by_id[c] for c in conflict.claims]
        assert not allowed(members), conflict.claims
        for left_out in members:
            rest = [m for m in members if m is not left_out]
            if claims[0] in rest:
                assert allowed(rest), (conflict.claims, left_out.id)
            elif not allowed(rest, wider):  # beyond any box: a series the engine found
                witness = reconstruct_claims(rest, reading, explain=False)
                assert witness.feasible, (conflict.claims, left_out.id)
    in_conflict = {c for conflict in rec.conflicts for c in conflict.claims}
    if claims[0].id in in_conflict:
        return  # the cap is set aside: the basis's series need not lie in the box
    points = allowed([c for c in claims if c.id not in in_conflict])
    for r in (*rec.months, *rec.periods):
        values = [sum(p[m] for m in r.months) for p in points]
        assert (r.low, r.high) == (min(values), max(values)), r.label
