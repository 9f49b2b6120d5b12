"""Checks across the files of a data set, for a researcher's slips that each file alone hides.

* A source text (``sources/<name>.txt``) that no record names: a source saved but never
  described would otherwise be silently ignored.
* A claim series that no reading maps and no other claim uses: most often a typo
  (``series: appeal``), which would otherwise turn the claim into context without a word.
"""
from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from helpers.core.readings import Readings
from helpers.errors import DataError


def check_texts_have_records(folder: Path, named: Iterable[str], show) -> None:
    """Every ``*.txt`` of ``folder`` is the text some source record names (its ``text``)."""
    named = set(named)
    for text in sorted(folder.glob("*.txt")):
        if text.name not in named:
            raise DataError(f"source text with no record beside it: add {text.stem}.yml (id, text, "
                            f"sha256, title, language, publisher, date_published, licence; see "
                            f"data/README.md) or remove the text", file=show(folder.name, text.name))


def mapped_series(readings: Readings) -> set[str]:
    """Every series a reading names: its own series, and both sides of its series_map."""
    found: set[str] = set()
    for reading in readings.by_name.values():
        found |= {reading.series, *reading.series_map, *reading.series_map.values()}
    return found


def known_claim_series(claims: Sequence, readings: Readings) -> list[str]:
    """The series a claim may name: those a reading maps and those two or more claims use."""
    uses = Counter(c.series for c in claims)
    return sorted(mapped_series(readings) | {s for s, n in uses.items() if n >= 2})


def check_claim_series(claims: Sequence, readings: Readings, series_lines: dict[str, int | None]) -> None:
    """Refuse a claim whose series is not known (see ``known_claim_series``), naming the
    closest known series. ``series_lines``: claim id -> the line of its ``series`` field."""
    known = known_claim_series(claims, readings)
    for claim in claims:
        if claim.series in known:
            continue
        close = difflib.get_close_matches(claim.series, known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise DataError(f"field 'series': {claim.series!r} is a series no reading maps and no other "
                        f"claim uses; {hint}known series: {', '.join(known)}; fix the name, or "
                        f"name the series in a reading's series_map ({readings.file or 'readings.yml'})",
                        file=claim.file, line=series_lines.get(claim.id) or claim.line, claim=claim.id)
