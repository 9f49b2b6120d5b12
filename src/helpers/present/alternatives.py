"""Ambiguous claims side by side: what each named alternative reading of a claim does.

For every ambiguous statement of the reconstruction (``Reconstruction.ambiguities``, computed
by engine/ambiguity.py from the one data set), one table: a column per reading of the claim
(as written, and each alternative), a row saying whether every claim can then hold, and a row per
month whose range moves between them. All text from the data set is escaped.
"""
from __future__ import annotations

from markupsafe import Markup

from helpers.core.months import Period, month_name
from helpers.data.dataset import Dataset
from helpers.present.views import attested_quotes, claim_numbers, html_table, members, refs
from helpers.present.words import range_words

OUTSIDE = "outside the window"


def ambiguity_view(rec, dataset: Dataset) -> Markup:
    if not rec.ambiguities:
        return Markup("<p>No claim of this series carries alternative readings.</p>")
    numbers = claim_numbers(dataset)
    blocks = []
    for ambiguity in rec.ambiguities:
        options = ambiguity.options
        kind = f" (kind of ambiguity: {ambiguity.ambiguity})" if ambiguity.ambiguity else ""
        readings = Markup("").join(
            Markup("<li><strong>{}</strong>{}: read as {}{}</li>").format(
                o.name, " (this reading)" if o.chosen else "", o.read_as,
                Markup(' <span class="ds-note">{}</span>').format(o.note) if o.note else "")
            for o in options)
        headers = ["", *(f"{o.name}{' (this reading)' if o.chosen else ''}" for o in options)]
        rows: list[list[object]] = [["Can every claim hold?", *(holds(o) for o in options)]]
        for period in sorted({r.label for o in options for r in o.periods}):
            row = [f"Total {Period.parse(period).label()}"]
            for o in options:
                found = next((r for r in o.periods if r.label == period), None)
                row.append(range_words(found) if found else OUTSIDE)
            rows.append(row)
        moved = sorted({m.month for o in options for m in o.moved})
        for month in moved:
            row: list[object] = [month_name(month, short=True)]
            for o in options:
                found = next((r for r in o.months if r.months[0] == month), None)
                shown = range_words(found) if found else OUTSIDE
                move = next((m for m in o.moved if m.month == month), None)
                row.append(f"{shown} ({by_how_much(move)})" if move and not o.chosen else shown)
            rows.append(row)
        if not moved:
            rows.append(["Months that move", *("none" for _ in options)])
        blocks.append(Markup('<div class="ds-ambiguity"><p>{} {}{}</p><ul>{}</ul>{}</div>').format(
            refs([ambiguity.claim], numbers), attested_quotes(dataset, members(rec, dataset, ambiguity.claim)),
            kind, readings, html_table(headers, rows, numeric=set(range(1, len(headers))))))
    return Markup("").join(blocks)


def holds(option) -> str:
    """Whether every claim can hold with the claim read so, and if not, whether it is to blame."""
    if option.feasible:
        return "yes"
    if not option.conflicts:
        return "no, but not because of this claim: it is in no conflict set"
    return "no: it cannot hold with " + "; ".join(
        " + ".join(c for c in conflict) for conflict in option.conflicts)


def by_how_much(move) -> str:
    """'low +12, high −300' against the reading in force; 'not in its window' and the like."""
    if move.low is None:
        return "not in its window"
    if move.from_low is None:
        return "not in this reading's window"
    parts = []
    if move.low != move.from_low:
        parts.append(f"low {move.low - move.from_low:+,}".replace("-", "−"))
    if move.high != move.from_high:
        if move.high is None or move.from_high is None:
            parts.append("high " + ("unbounded" if move.high is None else "now bounded"))
        else:
            parts.append(f"high {move.high - move.from_high:+,}".replace("-", "−"))
    return ", ".join(parts)
