"""The engine benchmark's own code on a tiny case: the claim generator, the planted
contradictions and the floor (two plain MILPs a month). Correctness only; no timings."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers.core.linear import Constraint

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the bench package, at the root

from bench.engine import generate_claims  # noqa: E402
from bench.reconstruction import engine_of, floor_bounds, plant, run_capped  # noqa: E402

MONTHS, CLAIMS = 6, 20


@pytest.fixture(scope="module")
def tiny():
    return generate_claims(MONTHS, CLAIMS)


def test_generator_is_fixed_and_the_truth_holds(tiny):
    names, truth, claims = tiny
    assert len(names) == MONTHS and len(claims) == CLAIMS
    assert generate_claims(MONTHS, CLAIMS) == tiny  # fixed seed: every run measures the same claims
    engine = engine_of(claims)  # every claim holds for the true series (so the case is feasible)
    truth_rows = [Constraint("", ((m, 1),), v, v) for m, v in zip(names, truth)]
    assert engine.system.feasible(range(len(engine.system.constraints)), truth_rows)


def test_floor_bounds_are_the_engines(tiny):
    engine = engine_of(tiny[2])
    everything = list(range(len(engine.model.groups)))
    exact = [engine.range_of((m,), everything, explain=False) for m in engine.model.months]
    assert floor_bounds(engine) == [(r.low, r.high) for r in exact]
    assert floor_bounds(engine, every=2) == [(r.low, r.high) for r in exact[::2]]


def test_planted_claims_each_conflict_with_the_unchanged_ones(tiny):
    claims = tiny[2]
    planted, ids = plant(claims)
    assert len(ids) == 5 and [c.id for c in planted] == [c.id for c in claims]
    assert sum(p != c for p, c in zip(planted, claims)) == 5
    engine = engine_of(planted)
    groups = {g.claim: i for i, g in enumerate(engine.model.groups)}
    unchanged = [i for claim, i in groups.items() if claim not in ids]
    assert engine.feasible(unchanged)
    for claim in ids:  # each one alone is a contradiction, not only all five together
        assert not engine.feasible(sorted([*unchanged, groups[claim]]))


def test_a_case_past_its_cap_is_stopped_and_one_within_it_reports():
    stopped = run_capped("floor", MONTHS, CLAIMS, cap=0.01)
    assert stopped["stopped"] and stopped["peak_mb"] > 0
    done = run_capped("floor", MONTHS, CLAIMS, cap=600)
    assert not done["stopped"] and done["measured"] == MONTHS and done["seconds"] > 0


def test_each_job_runs_in_its_own_process():
    months, claims = 4, 12  # smaller still: two whole reconstructions with explanations
    whole = run_capped("whole", months, claims, cap=600)
    assert whole["feasible"] and whole["measured"] == months and whole["conflicts"] == 0
    planted = run_capped("planted", months, claims, cap=600)
    # each planted claim is in a minimal conflict set of its own (or the search hit its limit)
    assert not planted["feasible"] and (planted["conflicts"] >= 5 or not planted["complete"])
    sampled = run_capped("sampled", MONTHS, CLAIMS, cap=600, every=2)
    assert sampled["measured"] == MONTHS // 2


def test_a_case_reports_its_own_peak_memory_not_the_bench_processs():
    # Linux carries a parent's peak resident set into a child's ru_maxrss through fork and exec;
    # a bench process holding 400 MB must not make every case read 400 MB.
    held = bytearray(400 * 2 ** 20)
    held[::4096] = b"x" * len(held[::4096])  # (touched: resident)
    done = run_capped("floor", MONTHS, CLAIMS, cap=600)
    assert 0 < done["peak_mb"] < 300
