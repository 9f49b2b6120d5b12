"""Statements: one figure, repeated by several outlets, counted once.

A claim marked ``same_as: <id>`` repeats another source's claim: the same kind, series, months
and numbers, in other words. Claims linked this way (directly or through a chain) are one
*statement*, named by its first claim in data-set order; the engine keeps or sets aside a
statement as one unit, and reports show every outlet's words beside it.

The claim at the end of a chain (the one the others repeat, with no ``same_as`` of its own) is
the statement's *root*: it alone may carry ``alternatives`` and an ``ambiguity``, and every copy
is read the way the reading reads the root.
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from helpers import kinds
from helpers.core.readings import Reading
from helpers.data.claims import Claim
from helpers.errors import DataError


@dataclass(frozen=True)
class Statement:
    """Claims that say one thing: ``claims`` in data-set order, the first naming the statement."""

    claims: tuple[Claim, ...]
    root: Claim

    @property
    def id(self) -> str:
        return self.claims[0].id

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources attesting it, in data-set order, each once."""
        return tuple(dict.fromkeys(c.source for c in self.claims))


def root_of(claim: Claim, by_id: dict[str, Claim]) -> Claim:
    """The claim a chain of ``same_as`` ends at (a link to an unknown claim, or a loop, ends
    the chain where it breaks: check_statements reports both)."""
    seen = {claim.id}
    while claim.same_as in by_id and claim.same_as not in seen:
        claim = by_id[claim.same_as]
        seen.add(claim.id)
    return claim


def statements(claims: Sequence[Claim]) -> tuple[Statement, ...]:
    """Every statement, in the data-set order of its first claim (a claim alone is one too)."""
    by_id = {c.id: c for c in claims}
    members: dict[str, list[Claim]] = {}
    for claim in claims:
        members.setdefault(root_of(claim, by_id).id, []).append(claim)
    found = [Statement(tuple(group), by_id[root]) for root, group in members.items()]
    order = {c.id: n for n, c in enumerate(claims)}
    return tuple(sorted(found, key=lambda s: order[s.id]))


def statement_of(claims: Sequence[Claim]) -> dict[str, Statement]:
    """Claim id -> the statement it belongs to."""
    return {c.id: s for s in statements(claims) for c in s.claims}


def resolve(claims: Sequence[Claim], reading: Reading) -> list[Claim]:
    """Every claim as ``reading`` reads it; a copy is read the way its statement's root is."""
    by_id = {c.id: c for c in claims}
    result = []
    for claim in claims:
        root = root_of(claim, by_id).under(reading)
        result.append(claim if root is claim and root.alternative is None else dataclasses.replace(
            claim, spec=root.spec, words=root.words, alternative=root.alternative))
    return result


def heads(claims: Sequence[Claim], reading: Reading) -> list[Claim]:
    """One claim per statement (its first, read under ``reading``): what the engine models."""
    read = {c.id: c for c in resolve(claims, reading)}
    return [read[s.id] for s in statements(claims)]


# -- validation ---------------------------------------------------------------------------------

def check_statements(claims: Sequence[Claim], field_lines: dict[str, dict[str, int | None]]) -> None:
    """Refuse a ``same_as`` that names no claim, the claim itself, a claim of the same source, a
    loop, a copy carrying alternatives, or a claim that says something else (naming both)."""
    by_id = {c.id: c for c in claims}
    for claim in claims:
        if claim.same_as is None:
            continue
        lines = field_lines.get(claim.id, {})

        def fail(message: str, field: str = "same_as") -> None:
            raise DataError(message, file=claim.file, line=lines.get(field) or claim.line, claim=claim.id)

        other = by_id.get(claim.same_as)
        if other is None:
            close = difflib.get_close_matches(claim.same_as, list(by_id), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            fail(f"field 'same_as': no claim {claim.same_as!r}{hint}")
        if other.id == claim.id:
            fail("field 'same_as': a claim cannot be the same statement as itself")
        if other.source == claim.source:
            fail(f"field 'same_as': {other.id!r} is from the same source ({claim.source}); same_as "
                 f"links the words of different outlets")
        if root_of(claim, by_id).same_as is not None:
            fail(f"field 'same_as': the claims {claim.id!r} and {claim.same_as!r} repeat each other "
                 f"in a loop; let one of them name no other")
        for field in ("alternatives", "ambiguity"):
            if getattr(claim, field):
                fail(f"field '{field}': a claim that repeats another ({claim.same_as!r}) is read as "
                     f"that one is; give its {field} there", field)
        differences = _differences(claim, other)
        if differences:
            fail(f"field 'same_as': {claim.id!r} ({_where(claim)}) and {other.id!r} ({_where(other)}) "
                 f"are marked the same statement but say different things: {differences}")


def _where(claim: Claim) -> str:
    return f"{claim.file}:{claim.line}" if claim.file else claim.source


def _differences(a: Claim, b: Claim) -> str:
    """What two claims marked the same statement differ in, in words; '' when they agree."""
    if a.kind != b.kind:
        return f"kind {a.kind} and {b.kind}"
    if a.series != b.series:
        return f"series {a.series} and {b.series}"
    found = [f"{f.name} {_shown(getattr(a.spec, f.name))} and {_shown(getattr(b.spec, f.name))}"
             for f in dataclasses.fields(a.spec) if getattr(a.spec, f.name) != getattr(b.spec, f.name)]
    if found:
        return "; ".join(found)
    if kinds.get(a.kind).compares_unscoped(a.spec):
        return ("a comparison with no scope of its own, whose 'others' are each source's own "
                "months; give both the same scope")
    return ""


def _shown(value) -> str:
    return str(value) if not isinstance(value, tuple) else "[" + ", ".join(map(str, value)) + "]"
