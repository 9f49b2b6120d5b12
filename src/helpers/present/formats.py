"""The reconstruction as text for other programs and for a terminal: JSON, CSV and a table.

The JSON is the stable contract of docs/reconstruction-json.md (``Reconstruction.to_dict``).
The CSV is one row per month (``format_csv``), or one row per period asked for
(``format_periods_csv``, what ``reconstruct --period ... --format csv`` prints).
"""
from __future__ import annotations

import csv
import io
import json

from helpers.core.months import Period, calendar_name
from helpers.engine.results import BASIS_OUTSIDE_CONFLICTS, Range, Reconstruction


def format_json(rec: Reconstruction) -> str:
    return json.dumps(rec.to_dict(), indent=2, ensure_ascii=False) + "\n"


def format_csv(rec: Reconstruction) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["month", "low", "high", "determined", "low_rests_on", "high_rests_on",
                     "low_within", "high_within"])
    for r in rec.months:
        writer.writerow([r.months[0], r.low, "" if r.high is None else r.high, str(r.determined).lower(),
                         ";".join(r.low_rests_on), ";".join(r.high_rests_on), *_csv_within(r)])
    return buffer.getvalue()


def format_periods_csv(rec: Reconstruction) -> str:
    """One row per period asked for, in the order asked: its total and what the total rests on."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["period", "start", "end", "low", "high", "determined", "low_rests_on",
                     "high_rests_on", "low_within", "high_within"])
    for period in rec.requested:
        r = rec.total(period)
        writer.writerow([calendar_name(period) or str(period), period.start, period.end, r.low,
                         "" if r.high is None else r.high, str(r.determined).lower(),
                         ";".join(r.low_rests_on), ";".join(r.high_rests_on), *_csv_within(r)])
    return buffer.getvalue()


def _csv_within(r: Range) -> list[str]:
    """Empty for a proven end; else where it lies, '0..120' or '300..' (no upper end known)."""
    return [_within(w, None).strip("[]") for w in (r.low_within, r.high_within)]


def format_table(rec: Reconstruction) -> str:
    """Aligned plain text for a terminal."""
    window = f"{rec.window.start} to {rec.window.end}" if rec.window else "no months"
    lines = [f"series {rec.series} under reading {rec.reading.name} ({window})",
             "all claims can hold together" if rec.feasible else
             f"CLAIMS CONFLICT: ranges below are from the {BASIS_OUTSIDE_CONFLICTS}", ""]
    lines += _aligned(["month", "value", "low rests on", "high rests on"],
                      [[r.label, _shown(r), _rests(r, r.low_rests_on, "-"),
                        _rests(r, r.high_rests_on, "-" if r.high is not None else "unbounded")]
                       for r in rec.months])
    if rec.periods:
        lines += [""] + _aligned(["period", "total", "tighter than months", "low rests on", "high rests on"],
                                 [[_period_label(r, rec), _shown(r), "yes" if r.tighter_than_months else "no",
                                   _rests(r, r.low_rests_on, "-"), _rests(r, r.high_rests_on, "-")]
                                  for r in rec.periods])
        if rec.requested:
            lines.append("* asked for")
    derivations = [r.derivation for r in (*rec.months, *rec.periods) if r.derivation]
    if derivations:
        lines += ["", "derivations:"] + [f"  {d}" for d in derivations]
    lines += [""] + _aligned(["claim", "status", "reason"],
                             [[s.claim, s.status, s.reason] for s in rec.statuses])
    for number, conflict in enumerate(rec.conflicts, start=1):
        lines += ["", f"conflict {number}: these claims cannot all hold (any smaller set can):"]
        lines += [f"  {s.claim}: \"{s.quote}\"" for s in rec.statuses if s.claim in conflict.claims]
        for alt in conflict.alternatives:
            shown = ("; ".join(f"{r.label} {_shown(r)}" for r in alt.months) if alt.feasible else
                     "not known: the time budget ran out" if alt.feasible is None else "still conflicting")
            lines.append(f"  without {alt.set_aside}: {shown}")
    if rec.conflict_search_out_of_time:
        lines += ["", "(the search for conflict sets stopped when the time budget ran out: more may exist)"]
    elif not rec.conflicts_complete:
        lines += ["", f"(the search for conflict sets stopped at its limit of {rec.conflict_limit}: more may exist)"]
    if rec.out_of_time:
        ranges = (*rec.months, *rec.periods)
        lines += ["", f"NOT FINISHED: the time budget of {rec.budget:g} s ran out; "
                      f"{sum(not r.proven for r in ranges)} of {len(ranges)} ranges are not proven "
                      f"(marked 'not proven', with the interval each end lies in), "
                      f"{sum(not r.explained for r in ranges)} not explained ('?' for what they rest on). "
                      f"Give more time with --budget."]
    for correction in rec.corrections:
        lines += ["", f"set aside {', '.join(correction.claims)} and the rest holds: "
                  + "; ".join(f"{r.label} {_shown(r)}" for r in correction.months)]
    return "\n".join(lines) + "\n"


def _period_label(r: Range, rec: Reconstruction) -> str:
    """'2023-07..2023-09 (2023-Q3)', starred when the period was asked for."""
    period = Period(r.months[0], r.months[-1])
    name = calendar_name(period)
    return ("* " if period in rec.requested else "") + r.label + (f" ({name})" if name else "")


def _shown(r: Range) -> str:
    if not r.proven:
        return "not proven: " + "..".join(_within(w, v) for w, v in ((r.low_within, r.low), (r.high_within, r.high)))
    if r.determined:
        return str(r.low)
    return f"{r.low}..{r.high}" if r.high is not None else f"{r.low}.."


def _within(within, value: int | None) -> str:
    """One end of a range not proven: '[0..120]' where it is only known to lie, or its value."""
    if within is None:
        return "" if value is None else str(value)
    return f"[{within[0]}..{'' if within[1] is None else within[1]}]"


def _rests(r: Range, ids: tuple[str, ...], nothing: str) -> str:
    return ", ".join(ids) or ("?" if not r.explained else nothing)


def _aligned(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    return ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip() for row in [headers, *rows]]
