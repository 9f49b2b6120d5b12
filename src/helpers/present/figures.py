"""The monthly series chart: exact values as bars, ranges as ranges, never an invented point."""
from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from helpers.core.months import month_name

DETERMINED_COLOUR = "#1f4e79"
RANGE_COLOUR = "#f2a541"


def monthly_chart(rec, numbers: dict[str, int], *, title: str | None = None,
                  source_line: str | None = None) -> Figure:
    """One column per month: a bar with its value, or a hatched box from the lowest to the
    highest value the claims allow; under each month, the numbers of the quotes it rests on."""
    months = list(rec.months)
    fig = Figure(figsize=(10, 4.8), dpi=100)  # 1000 x 480 px: fits a laptop's first screen
    ax = fig.add_subplot()
    finite_tops = [r.high if r.high is not None else r.low for r in months] or [1]
    top = max(finite_tops) * 1.15 or 1
    for x, r in enumerate(months):
        if r.determined:
            ax.bar(x, r.low, width=0.6, color=DETERMINED_COLOUR)
            ax.text(x, r.low + top * 0.015, f"{r.low:,}", ha="center", va="bottom", fontsize=10,
                    fontweight="bold")
        else:
            high = r.high if r.high is not None else top * 0.85  # room for its two-line label
            ax.add_patch(Rectangle((x - 0.3, r.low), 0.6, high - r.low, facecolor=RANGE_COLOUR,
                                   alpha=0.35, edgecolor=RANGE_COLOUR, hatch="///", linewidth=1.5))
            label = f"{r.low:,}–{r.high:,}" if r.high is not None else f"≥ {r.low:,}\n(no upper bound)"
            ax.text(x, high + top * 0.015, label, ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.set_ylim(0, top)
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels([_tick(r, numbers) for r in months], fontsize=8.5)
    ax.set_ylabel(f"{rec.series.replace('_', ' ')} per month")
    ax.set_title(title or f"{rec.series.replace('_', ' ').capitalize()} by month "
                          f"(reading: {rec.reading.name})", fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    # The legend stands under the axes, never over a tall month's bar or label.
    fig.legend(handles=[
        Patch(color=DETERMINED_COLOUR, label="exact: the claims allow one value"),
        Patch(facecolor=RANGE_COLOUR, alpha=0.35, hatch="///", edgecolor=RANGE_COLOUR,
              label="range: any whole number from low to high is possible (no estimate)"),
    ], loc="lower left", bbox_to_anchor=(0.075, 0.045), ncol=2, fontsize=8.5, frameon=False)
    fig.text(0.08, 0.015, source_line or "Numbers in brackets are the quotes each value rests on "
             "(see the claims table).", fontsize=8, color="#555")
    fig.subplots_adjust(bottom=0.24, top=0.92, left=0.08, right=0.98)
    return fig


def _tick(r, numbers: dict[str, int]) -> str:
    cited = sorted({numbers[c] for c in (*r.low_rests_on, *r.high_rests_on)})
    refs = "[" + ",".join(map(str, cited)) + "]" if cited else ""
    return f"{month_name(r.months[0], short=True)}\n{refs}"
