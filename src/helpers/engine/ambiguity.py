"""What each named alternative of an ambiguous claim does, side by side, from one data set.

A claim with ``alternatives`` (data/README.md) can be read as written or as any of them. For
every such statement of the series, ``ambiguities`` reconstructs the series once per reading of
it, everything else as the reading in force has it, and says whether the claims can then hold
together and which months move, and by how much, against the reading in force. Ranges only: what
bounds rest on is for the reading in force (choose an alternative in readings.yml to see it).
"""
from __future__ import annotations

from collections.abc import Sequence

from helpers import kinds
from helpers.core.enums import ClaimStatus
from helpers.core.readings import AS_WRITTEN, Reading
from helpers.data.claims import Claim
from helpers.core.months import Period
from helpers.data.statements import heads, resolve, statements
from helpers.engine.bounds import Engine
from helpers.engine.model import build_model
from helpers.engine.results import Ambiguity, Move, Option, Range, Reconstruction


def ambiguities(claims: Sequence[Claim], reading: Reading, series: str,
                current: Reconstruction) -> tuple[Ambiguity, ...]:
    """One entry per statement of ``series`` whose root has alternatives, in data-set order."""
    from helpers.engine.reconstruct import reconstruct_claims  # (reconstruct calls this module)

    modelled = {s.claim for s in current.statuses if s.status != ClaimStatus.CONTEXT}
    found = []
    for statement in statements(claims):
        root = statement.root
        if not root.alternatives or statement.id not in modelled:
            continue
        chosen = reading.alternative_for(root.id, root.ambiguity) or AS_WRITTEN
        named = sorted({p for name in root.alternative_names()
                        for p in root.reading_as(name).totalled_periods() if p.start != p.end})
        options = []
        for name in root.alternative_names():
            read = root.reading_as(name)
            note = next((a.note for a in root.alternatives if a.name == name),
                        root.note if name == AS_WRITTEN else None)
            as_read = reading.with_alternative(root.id, name)
            rec = current if name == chosen else reconstruct_claims(claims, as_read, series, explain=False)
            options.append(Option(
                name, note, kinds.get(read.kind).describe(read.spec, read.words), name == chosen,
                rec.feasible, tuple(c.claims for c in rec.conflicts if statement.id in c.claims),
                _plain(rec.months), _moves(current.months, rec.months),
                _totals(claims, as_read, series, rec, named)))
        found.append(Ambiguity(statement.id, root.ambiguity, tuple(options)))
    return tuple(found)


def _totals(claims: Sequence[Claim], reading: Reading, series: str, rec: Reconstruction,
            periods: Sequence[Period]) -> tuple[Range, ...]:
    """The totals of ``periods`` that lie in the window, from the claims outside every conflict
    set of ``rec`` (its basis)."""
    model = build_model(heads(claims, reading), reading, series, everything=resolve(claims, reading))
    inside = [p for p in periods if rec.window and rec.window.start <= p.start and p.end <= rec.window.end]
    if not inside:
        return ()
    engine = Engine(model)
    conflicting = {c for conflict in rec.conflicts for c in conflict.claims}
    basis = [g for g, group in enumerate(model.groups) if group.claim not in conflicting]
    return tuple(engine.range_of(tuple(p.months), basis, explain=False) for p in inside)


def _plain(months: Sequence[Range]) -> tuple[Range, ...]:
    """Ranges without what they rest on (an alternative's bounds are not explained)."""
    return tuple(Range(r.label, r.months, r.low, r.high, r.determined) for r in months)


def _moves(current: Sequence[Range], other: Sequence[Range]) -> tuple[Move, ...]:
    """Every month whose range differs, or that only one of the two windows holds."""
    before = {r.months[0]: r for r in current}
    after = {r.months[0]: r for r in other}
    moves = []
    for month in sorted(before.keys() | after.keys()):
        old, new = before.get(month), after.get(month)
        if old and new and (old.low, old.high) == (new.low, new.high):
            continue
        moves.append(Move(month, new.low if new else None, new.high if new else None,
                          old.low if old else None, old.high if old else None))
    return tuple(moves)
