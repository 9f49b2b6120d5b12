"""Every minimal conflict set, and every minimal correction set, over a feasibility oracle.

A *conflict set* (minimal unsatisfiable subset, MUS) is a set of statements that cannot all hold
while any smaller set of them can. A *correction set* (minimal correction set, MCS) is a smallest
group of statements whose removal leaves the others able to hold together: removing any smaller
part of it does not. The two are hitting-set duals (Reiter 1987; Liffiton and Sakallah 2008):
every correction set takes at least one member out of every conflict set, minimally, and the other
way round. ``enumerate_conflicts`` uses that duality with nothing but a monotone test
``holds(groups)``:

    known conflict sets M = {}, known correction sets C = {}
    repeat: take H, a smallest minimal hitting set of M not yet in C (none left: done)
            if everything but H holds, H is a correction set: add it to C
            else shrink everything but H to a conflict set (QuickXplain); it is new, since H
            meets every known one: add it to M

When it stops, M is every conflict set and C every correction set: an unknown conflict set U
would have to meet every minimal hitting set of M (each leaves a set that holds), so U would
contain one of M, and being minimal be it. Each round adds one set, so the rounds number the
conflict sets plus the correction sets. A limit on either stops the search early, and the
result says so (``complete`` false), as it does when the run's time budget runs out
(``out_of_time``: every set listed is still proven; the first question, whether everything
holds, is the caller's to answer or give up on).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from helpers.engine.budget import OutOfTime
from helpers.engine.subsets import quickxplain

# The most conflict sets, and correction sets, a reconstruction lists before it stops.
CONFLICT_LIMIT = 20
# Minimal hitting sets of the known conflict sets held at once; beyond, the search stops.
_HITTING_SET_LIMIT = 5000


@dataclass(frozen=True)
class ConflictSearch:
    """What the search found: groups are indices, each set in ascending order."""

    conflicts: tuple[tuple[int, ...], ...]     # minimal conflict sets, smallest first
    corrections: tuple[tuple[int, ...], ...]   # minimal correction sets, smallest first
    complete: bool                              # False: the limit stopped the search
    limit: int
    out_of_time: bool = False                   # True: the time budget stopped it


def enumerate_conflicts(groups: Sequence[int], holds: Callable[[Sequence[int]], bool],
                        limit: int = CONFLICT_LIMIT) -> ConflictSearch:
    """Every minimal conflict set and correction set of ``groups`` under the monotone test
    ``holds`` (a subset of a set that holds holds too), up to ``limit`` of each."""
    everything = list(groups)
    if holds(everything):
        return ConflictSearch((), (), True, limit)
    conflicts: list[tuple[int, ...]] = []
    corrections: list[tuple[int, ...]] = []
    try:
        complete = _search(everything, holds, limit, conflicts, corrections)
    except OutOfTime:  # what was found is sound (each set proven); more may exist
        return ConflictSearch(tuple(sorted(conflicts, key=_order)), tuple(sorted(corrections, key=_order)),
                              False, limit, out_of_time=True)
    return ConflictSearch(tuple(sorted(conflicts, key=_order)), tuple(sorted(corrections, key=_order)),
                          complete, limit)


def _search(everything: list[int], holds: Callable[[Sequence[int]], bool], limit: int,
            conflicts: list[tuple[int, ...]], corrections: list[tuple[int, ...]]) -> bool:
    """The rounds of the search (module docstring), adding to ``conflicts`` and ``corrections``;
    whether it ended complete."""
    complete = True
    while True:
        candidate = _next_hitting_set(conflicts, corrections)
        if candidate is None:
            break
        if candidate == "too many":
            complete = False
            break
        rest = [g for g in everything if g not in candidate]
        if holds(rest):
            corrections.append(candidate)
        else:
            found = quickxplain(rest, lambda chosen: not holds(chosen), known_infeasible=True)
            conflicts.append(tuple(found or ()))
            if not found:  # the empty set fails the test: nothing to correct; never loop
                complete = False
                break
        if len(conflicts) >= limit or len(corrections) >= limit:
            complete = _next_hitting_set(conflicts, corrections) is None
            break
    return complete


def _order(found: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    return len(found), found


def _next_hitting_set(conflicts: list[tuple[int, ...]], corrections: list[tuple[int, ...]]):
    """A smallest minimal hitting set of ``conflicts`` not among ``corrections`` (earliest
    groups first); None when there is none; "too many" past the hitting-set limit."""
    known = set(corrections)
    found = minimal_hitting_sets(conflicts)
    if found is None:
        return "too many"
    fresh = sorted((h for h in found if h not in known), key=_order)
    return fresh[0] if fresh else None


def minimal_hitting_sets(sets: Sequence[Sequence[int]]) -> list[tuple[int, ...]] | None:
    """Every minimal set that meets each of ``sets`` (Berge's algorithm), in ascending tuples;
    [()] for no sets; None past the hitting-set limit."""
    hitting: list[frozenset[int]] = [frozenset()]
    for current in sets:
        members = frozenset(current)
        # A set that already meets this one stays minimal (a smaller one among the new sets
        # would lie inside a set of the last round, which was minimal); only new ones may not be.
        kept = [h for h in hitting if h & members]
        fresh = {h | {x} for h in hitting if not h & members for x in members} - set(kept)
        hitting = kept + _not_containing_another([*kept, *fresh], len(kept))
        if len(hitting) > _HITTING_SET_LIMIT:
            return None
    return [tuple(sorted(h)) for h in hitting]


def _not_containing_another(family: list[frozenset[int]], start: int) -> list[frozenset[int]]:
    """The sets of ``family[start:]`` with no other set of ``family`` strictly inside them,
    compared as bit masks all at once (a loop over pairs took minutes at 5,000 sets)."""
    universe = {e: i for i, e in enumerate(sorted(set().union(*family)))}
    masks = np.zeros((len(family), len(universe) // 64 + 1), dtype=np.uint64)
    for row, found in enumerate(family):
        for e in found:
            masks[row, universe[e] // 64] |= np.uint64(1 << (universe[e] % 64))
    sizes = np.array([len(found) for found in family])
    result = []
    for row in range(start, len(family)):
        smaller = masks[sizes < sizes[row]]  # (a set of the same size is inside only if equal)
        if not ((smaller & ~masks[row]) == 0).all(axis=1).any():
            result.append(family[row])
    return result


def correction_from(holding: Sequence[int], groups: Sequence[int],
                    holds: Callable[[Sequence[int]], bool]) -> tuple[int, ...]:
    """A minimal correction set found directly, where the search stopped before it found one
    (overlapping conflict sets multiply the hitting sets past their limit): grow ``holding`` (a
    set of ``groups`` that holds) by each other group that keeps it holding, in order; the
    groups left out are the correction set. Each of them failed with a smaller grown set, so it
    fails with the final one (``holds`` is monotone): putting any one back breaks the set, and
    no smaller part of it is a correction."""
    grown = list(holding)
    for g in groups:
        if g not in grown and holds(sorted([*grown, g])):
            grown.append(g)
    return tuple(g for g in groups if g not in grown)

