"""The monthly series chart: exact values as bars, ranges as ranges, never an invented point.

    monthly_chart(rec, numbers)   a matplotlib Figure: columns (wide) or rows (``narrow=True``)
    chart_html(rec, numbers)      the chart for a page: SVG that scales, a narrow layout for
                                  phones, alt text saying every value, the quote links per month

Four looks a reader can tell apart: an exact value is a solid bar; a range is a hatched box
from low to high; a range from zero is a dotted outline (nothing is known about its bottom);
a month with no upper bound fades out upwards with an arrow and its lower bound labelled
"≥ low". Months whose ranges change with how a conflict is resolved get a red dashed frame.
"""
from __future__ import annotations

import base64
import io

import matplotlib
from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from helpers.core.months import month_name
from helpers.present.views import refs
from helpers.present.words import range_words

DETERMINED_COLOUR = "#1f4e79"
RANGE_COLOUR = "#f2a541"
ZERO_COLOUR = "#8a6d3b"
OPEN_COLOUR = "#7f7f7f"
CHANGE_COLOUR = "#b71c1c"
FADE_STEPS = 8


def _kind(r) -> str:
    if r.determined:
        return "exact"
    if r.high is None:
        return "open"
    return "zero" if r.low == 0 else "range"


def _label(r) -> str:
    if not r.proven:  # the time budget ran out: never a plain number
        return "not proven\n" + (f"≥ {r.low:,}" if r.low_within is None else f"low {r.low_within[0]:,}–?")
    return {"exact": f"{r.low:,}", "open": f"≥ {r.low:,}\nno upper bound",
            "zero": f"0–{r.high:,}" if r.high is not None else "",
            "range": f"{r.low:,}–{r.high:,}" if r.high is not None else ""}[_kind(r)]


def monthly_chart(rec, numbers: dict[str, int], *, title: str | None = None,
                  source_line: str | None = None, narrow: bool = False,
                  marked: frozenset[str] | set[str] = frozenset()) -> Figure:
    """One column per month (one row with ``narrow``); ``marked``: months to frame in red."""
    months = list(rec.months)
    size = (3.9, 1.9 + 0.42 * len(months)) if narrow else (10, 4.8)
    fig = Figure(figsize=size, dpi=100, layout="constrained")
    ax = fig.add_subplot()
    # Room above a month without an upper bound: its fade runs well past its lower bound.
    top = max([r.high if r.high is not None else r.low * 1.6 for r in months] or [1]) * 1.15 or 1

    def box(pos, start, length, **style):
        xy, w, h = ((start, pos - 0.3), length, 0.6) if narrow else ((pos - 0.3, start), 0.6, length)
        ax.add_patch(Rectangle(xy, w, h, **style))

    def text(pos, value, words, **style):
        if narrow:
            style = {**style, "fontsize": style.get("fontsize", 9) + 1}
            ax.text(value + top * 0.015, pos, words, ha="left", va="center", linespacing=1.0, **style)
        else:
            ax.text(pos, value + top * 0.015, words, ha="center", va="bottom", **style)

    for pos, r in enumerate(months):
        kind = _kind(r)
        if kind == "exact":
            box(pos, 0, r.low, facecolor=DETERMINED_COLOUR, edgecolor=DETERMINED_COLOUR)
            text(pos, r.low, _label(r), fontsize=10, fontweight="bold")
        elif kind == "open":
            end = top * 0.8
            step = (end - r.low) / FADE_STEPS
            for i in range(FADE_STEPS):
                box(pos, r.low + i * step, step, facecolor=OPEN_COLOUR, alpha=0.45 * (1 - i / FADE_STEPS),
                    linewidth=0)
            box(pos, r.low, 0, edgecolor=OPEN_COLOUR, facecolor="none", linewidth=2)
            tip, tail = ((end + top * 0.08, pos), (end, pos)) if narrow else ((pos, end + top * 0.08), (pos, end))
            ax.annotate("", xy=tip, xytext=tail, arrowprops={"arrowstyle": "-|>", "color": OPEN_COLOUR})
            text(pos, end + top * 0.08, _label(r), fontsize=8.5)
        elif kind == "zero":
            box(pos, 0, r.high, facecolor="none", edgecolor=ZERO_COLOUR, hatch="...", linestyle="--",
                linewidth=1.2)
            text(pos, r.high, _label(r), fontsize=9)
        else:
            box(pos, r.low, r.high - r.low, facecolor=RANGE_COLOUR, alpha=0.35, edgecolor=RANGE_COLOUR,
                hatch="///", linewidth=1.5)
            text(pos, r.high, _label(r), fontsize=9)
        if r.months[0] in marked:
            box(pos, 0, top * 0.97, facecolor="none", edgecolor=CHANGE_COLOUR, linestyle="--", linewidth=1.5)
    ticks = [_tick(r, numbers, narrow) for r in months]
    name = rec.series.replace("_", " ")
    if narrow:
        ax.set_ylim(len(months) - 0.4, -0.6)
        ax.set_xlim(0, top * (1.5 if any(r.high is None for r in months) else 1.25))
        ax.set_yticks(range(len(months)), ticks, fontsize=10)
        ax.set_xlabel(f"{name} per month", fontsize=10)
        ax.tick_params(axis="x", labelsize=9)
    else:
        ax.set_xlim(-0.6, len(months) - 0.4)
        ax.set_ylim(0, top)
        ax.set_xticks(range(len(months)), ticks, fontsize=8.5)
        ax.set_ylabel(f"{name} per month")
    ax.set_title(title or (f"{name.capitalize()} by month" if narrow else
                           f"{name.capitalize()} by month (reading: {rec.reading.name})"),
                 fontsize=10 if narrow else 12)
    ax.spines[["top", "right"]].set_visible(False)
    shown = {_kind(r) for r in months}
    handles = [Patch(color=DETERMINED_COLOUR, label="exact: the claims allow one value"),
               Patch(facecolor=RANGE_COLOUR, alpha=0.35, hatch="///", edgecolor=RANGE_COLOUR,
                     label="range: any whole number from low to high (no estimate)"),
               Patch(facecolor="none", hatch="...", edgecolor=ZERO_COLOUR, linestyle="--",
                     label="range from 0: nothing rules out zero"),
               Patch(facecolor=OPEN_COLOUR, alpha=0.3, label="≥ lower bound: no upper bound")]
    handles = [h for h, kind in zip(handles, ("exact", "range", "zero", "open")) if kind in shown]
    if marked:
        handles.append(Patch(facecolor="none", edgecolor=CHANGE_COLOUR, linestyle="--",
                             label="changes with how the conflict is resolved"))
    fig.legend(handles=handles, loc="outside lower center", ncol=1 if narrow else 2,
               fontsize=9 if narrow else 8.5, frameon=False)
    if not narrow:
        fig.text(0.01, 0.005, source_line or "Numbers in brackets are the quotes each value rests on "
                 "(see the claims table).", fontsize=8, color="#555")
    return fig


def _tick(r, numbers: dict[str, int], narrow: bool = False) -> str:
    if narrow:
        return month_name(r.months[0], short=True)
    cited = sorted({numbers[c] for c in (*r.low_rests_on, *r.high_rests_on)})
    cites = "[" + ",".join(map(str, cited)) + "]" if cited else ""
    return f"{month_name(r.months[0], short=True)}\n{cites}"


def svg(fig: Figure) -> bytes:
    """The figure as SVG, the same bytes for the same figure (text as paths, fixed ids, no date)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "desertion-series", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def alt_text(rec, marked: frozenset[str] | set[str] = frozenset()) -> str:
    """The chart's values in words."""
    words = "; ".join(
        f"{month_name(r.months[0], short=True)}: "
        + ("exactly " if r.determined else "")
        + range_words(r)
        + (" (changes with how the conflict is resolved)" if r.months[0] in marked else "")
        for r in rec.months)
    return (f"Chart of {rec.series.replace('_', ' ')} by month under the reading {rec.reading.name}. "
            + (words + "." if words else "No month."))


class Chart:
    """The chart as a page shows it (``_repr_html_``); the wide Figure for tools (``figure``)."""

    def __init__(self, rec, numbers: dict[str, int], marked=frozenset()):
        self.rec, self.numbers, self.marked = rec, numbers, frozenset(marked)
        self.figure = monthly_chart(rec, numbers, marked=self.marked)

    def _repr_html_(self) -> str:
        wide = base64.b64encode(svg(self.figure)).decode()
        narrow = base64.b64encode(svg(monthly_chart(self.rec, self.numbers, narrow=True,
                                                    marked=self.marked))).decode()
        quotes = Markup(" · ").join(
            Markup('<span class="ds-chart-month">{}: {}</span>').format(month_name(r.months[0], short=True),
                                            refs({*r.low_rests_on, *r.high_rests_on}, self.numbers) or "no quote")
            for r in self.rec.months)
        return str(Markup(
            '<figure class="ds-chart"><picture><source media="(max-width: 640px)" '
            'srcset="data:image/svg+xml;base64,{}"><img src="data:image/svg+xml;base64,{}" alt="{}">'
            '</picture><figcaption class="ds-note">The quotes behind each month: {}</figcaption></figure>').format(
            narrow, wide, alt_text(self.rec, self.marked), quotes))


def chart_html(rec, numbers: dict[str, int], marked=frozenset()) -> Chart:
    return Chart(rec, numbers, marked)
