"""The closed word lists of the package, each value with its meaning in one place.

Legends, CSS classes, export field descriptions and messages are rendered from these, so a new
value cannot be missing from one of them. Each is a ``StrEnum``: a value compares equal to its
text ("binding"), which is what the JSON contract and the CSV exports carry.
"""
from __future__ import annotations

from enum import StrEnum


class Described(StrEnum):
    """A StrEnum whose members carry a description: ``Member = "value", "what it means"``."""

    description: str

    def __new__(cls, value: str, description: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    @classmethod
    def listing(cls) -> str:
        """'a, b or c': every value, for messages and field descriptions."""
        values = [member.value for member in cls]
        return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


class ClaimStatus(Described):
    """What a claim does in a reconstruction (one status per claim)."""

    BINDING = "binding", "some month's or period's bound rests on it"
    CORROBORATING = "corroborating", "the other claims already imply it; no bound needs it"
    JOINT = "joint", ("not implied by the others, yet no reported bound rests on it alone: it "
                      "limits months only in combination")
    CONTEXT = "context", ("outside this series' monthly model: another series under this reading, "
                          "or a figure kept for the record")
    CONFLICTING = "conflicting", "part of a minimal set of claims that cannot all hold together"
    UNEXAMINED = "unexamined", "not examined: only the ranges were computed"


class SolverOutcome(Described):
    """What an integer program came to, each verdict checked exactly."""

    OPTIMAL = "optimal", "a best value, attained by a checked whole-number solution"
    INFEASIBLE = "infeasible", "no whole-number solution satisfies every selected row"
    UNBOUNDED = "unbounded", "the objective grows without end along a checked integer ray"


class FailureKind(Described):
    """How building one report failed."""

    CODE_ERROR = "code-error", "a cell of the notebook raised an error"
    TIMEOUT = "timeout", "a cell ran past the timeout"
    KERNEL_DIED = "kernel-died", "the kernel died while running a cell"
    KERNEL_START = "kernel-start", "the kernel did not start"


class ComparisonScope(Described):
    """Which months a comparison covers: "the highest", "the lowest" (extremum claims) and "more
    than in any other month" (order claims with ``others``)."""

    STATED = "stated", ("the months the claim itself names as its scope (without one: the months "
                        "its own source's claims name)")
    WINDOW = "window", "every month of the series' window"


# The older name, from when only extremum claims had a scope.
ExtremumScope = ComparisonScope
