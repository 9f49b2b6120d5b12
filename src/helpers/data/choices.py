"""The alternatives a reading picks, checked against the claims that carry them.

A reading's ``alternatives`` maps a claim id, or the name of a kind of ambiguity (a claim's
``ambiguity``), to the name of an alternative (``as-written`` for the claim's own fields). A key
that names neither, or an alternative that a claim it covers does not have, is an error at its
line in readings.yml.
"""
from __future__ import annotations

import difflib
from collections.abc import Sequence

from helpers.core.readings import AS_WRITTEN, Readings
from helpers.data.claims import Claim
from helpers.errors import ReadingError


def check_choices(readings: Readings, claims: Sequence[Claim]) -> None:
    by_id = {c.id: c for c in claims if c.alternatives}
    by_ambiguity: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.ambiguity:
            by_ambiguity.setdefault(claim.ambiguity, []).append(claim)
    for name, reading in readings.by_name.items():
        for key, alternative in reading.alternatives.items():
            line = readings.lines.get(("readings", name, "alternatives", key))

            def fail(message: str) -> None:
                raise ReadingError(f"reading {name!r}: alternatives: {message}", file=readings.file,
                                   line=line)

            covered = [by_id[key]] if key in by_id else by_ambiguity.get(key, [])
            if not covered:
                known = sorted({*by_id, *by_ambiguity})
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                fail(f"{key!r} is no claim with alternatives and no ambiguity "
                     f"(known: {', '.join(known) or 'none'}){hint}")
            if alternative == AS_WRITTEN:
                continue
            for claim in covered:
                names = [a.name for a in claim.alternatives]
                if alternative not in names:
                    fail(f"claim {claim.id!r} has no alternative {alternative!r} "
                         f"(it has: {', '.join([AS_WRITTEN, *names])})")
