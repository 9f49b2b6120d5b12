"""Minimal infeasible subsets: which claims a bound rests on, and which claims conflict.

``quickxplain`` (Junker 2004) finds a minimal subset of candidates that is infeasible, given a
monotone test; ``minimal_infeasible_groups`` applies it to groups of rows of a ``System`` (one
group per claim), together with a background that always holds. It serves both for "what does
this bound rest on" (the candidates plus the bound's negation are infeasible) and for minimal
conflict sets.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from helpers.core.linear import Constraint
from helpers.engine.system import System

T = TypeVar("T")


def quickxplain(candidates: Sequence[T], infeasible: Callable[[Sequence[T]], bool], *,
                known_infeasible: bool = False) -> list[T] | None:
    """A minimal subset S of ``candidates`` with ``infeasible(S)``; None if even all are feasible.

    ``infeasible`` must be monotone (a superset of an infeasible set is infeasible). Junker's
    QuickXplain: O(k log(n/k)) checks for a result of size k out of n. The result keeps the
    candidates' order and prefers early candidates.
    """
    items = list(candidates)

    def check(positions: Sequence[int]) -> bool:
        return infeasible([items[p] for p in positions])

    if not known_infeasible and not check(range(len(items))):
        return None
    if check([]):
        return []

    def explain(base: list[int], added: bool, rest: list[int]) -> list[int]:
        if added and check(base):
            return []
        if len(rest) == 1:
            return rest
        half = len(rest) // 2
        first, second = rest[:half], rest[half:]
        found_second = explain(base + first, True, second)
        found_first = explain(base + found_second, bool(found_second), first)
        return found_first + found_second

    return [items[p] for p in sorted(explain([], False, list(range(len(items)))))]


def minimal_infeasible_groups(system: System, groups: Sequence[Sequence[int]], candidates: Sequence[int],
                              background: Sequence[int] = (), extra: Sequence[Constraint] = (), *,
                              known_infeasible: bool = False) -> list[int] | None:
    """A minimal subset of the ``candidates`` groups (indices into ``groups``, each a list of
    rows) that cannot hold together with the ``background`` rows and ``extra`` constraints."""
    def infeasible(chosen: Sequence[int]) -> bool:
        rows = [*background, *(r for g in chosen for r in groups[g])]
        return not system.feasible(rows, extra)
    return quickxplain(list(candidates), infeasible, known_infeasible=known_infeasible)
