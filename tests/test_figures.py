"""present/figures.py: the monthly chart shows exact values as bars and ranges as ranges, each
month with the numbers of the quotes it rests on, and never invents a point inside a range."""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from matplotlib.patches import Rectangle

from helpers.data.dataset import load_dataset
from helpers.engine.reconstruct import reconstruct
from helpers.present.figures import (CHANGE_COLOUR, DETERMINED_COLOUR, FADE_STEPS, OPEN_COLOUR, RANGE_COLOUR,
                                     Chart, alt_text, monthly_chart, svg)
from helpers.engine.results import Range
from helpers.present import figures
from helpers.present.views import claim_numbers


def month(label, low, high, *, low_rests_on=(), high_rests_on=(), **unproven):
    return Range(label, (label,), low, high, low == high, tuple(low_rests_on), tuple(high_rests_on),
                 **unproven)


def rec_of(*months, series="desertion_attempts", reading="one-series"):
    return SimpleNamespace(months=tuple(months), series=series, reading=SimpleNamespace(name=reading))


NUMBERS = {"a": 1, "b": 2, "c": 3}
REC = rec_of(month("2023-09", 184, 184, low_rests_on="abc", high_rests_on="abc"),
             month("2023-10", 77, 174, low_rests_on="b", high_rests_on="c"),
             month("2023-11", 5, None, low_rests_on="a"))


def texts(fig) -> list[str]:
    ax = fig.axes[0]
    return [t.get_text() for t in ax.texts]


def test_a_determined_month_is_a_bar_with_its_value():
    ax = monthly_chart(REC, NUMBERS).axes[0]
    [bar] = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx(_rgb(DETERMINED_COLOUR))]
    assert bar.get_height() == 184 and bar.get_facecolor()[:3] == pytest.approx(
        tuple(int(DETERMINED_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    assert "184" in texts(ax.figure)


def test_a_range_is_a_hatched_box_from_low_to_high_labelled_with_both_ends():
    ax = monthly_chart(REC, NUMBERS).axes[0]
    boxes = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch() == "///"]
    assert len(boxes) == 1
    bounded = next(b for b in boxes if b.get_y() == 77)
    assert bounded.get_height() == 174 - 77
    assert bounded.get_edgecolor()[:3] == pytest.approx(
        tuple(int(RANGE_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    assert "77–174" in texts(ax.figure)


def test_a_month_without_an_upper_bound_fades_out_with_an_arrow_and_its_lower_bound():
    fig = monthly_chart(REC, NUMBERS)
    assert "≥ 5\nno upper bound" in texts(fig)
    assert not any("5–" in text for text in texts(fig))
    ax = fig.axes[0]
    fade = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_x() == pytest.approx(2 - 0.3)
            and p.get_facecolor()[:3] == pytest.approx(_rgb(OPEN_COLOUR))]
    assert len(fade) == FADE_STEPS and fade[0].get_y() == 5
    alphas = [p.get_alpha() for p in fade]
    assert alphas == sorted(alphas, reverse=True) and alphas[-1] < alphas[0] / 2
    assert any(a.arrow_patch is not None for a in ax.texts if hasattr(a, "arrow_patch"))


def _rgb(colour):
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def test_a_range_from_zero_is_a_dotted_outline_not_a_solid_bar():
    ax = monthly_chart(rec_of(month("2023-04", 0, 174)), NUMBERS).axes[0]
    [outline] = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch() == "..."]
    assert outline.get_y() == 0 and outline.get_height() == 174 and outline.get_facecolor()[3] == 0
    assert "0–174" in texts(ax.figure)


def test_the_narrow_layout_has_one_row_per_month_and_fits_a_phone():
    fig = monthly_chart(REC, NUMBERS, narrow=True)
    assert fig.get_figwidth() * fig.dpi <= 390
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Sep 2023", "Oct 2023", "Nov 2023"]


def test_marked_months_are_framed_and_named_in_the_legend():
    fig = monthly_chart(REC, NUMBERS, marked={"2023-10"})
    frames = [p for p in fig.axes[0].patches if p.get_edgecolor()[:3] == pytest.approx(_rgb(CHANGE_COLOUR))]
    assert len(frames) == 1 and frames[0].get_x() == pytest.approx(1 - 0.3)
    assert "changes with how the conflict is resolved" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_the_alt_text_says_every_value_in_words():
    assert alt_text(REC) == ("Chart of desertion attempts by month under the reading one-series. "
                             "Sep 2023: exactly 184; Oct 2023: 77 to 174; Nov 2023: 5 or more.")


def test_the_page_chart_is_scalable_svg_with_a_phone_layout_and_quote_links():
    html = Chart(REC, NUMBERS)._repr_html_()
    assert html.count("data:image/svg+xml;base64,") == 2 and 'media="(max-width: 640px)"' in html
    assert 'alt="Chart of desertion attempts' in html
    assert '<a class="ds-ref" href="#claim-a"' in html
    assert svg(monthly_chart(REC, NUMBERS)) == svg(monthly_chart(REC, NUMBERS))


def test_each_month_is_labelled_with_the_numbers_of_the_quotes_it_rests_on():
    ax = monthly_chart(REC, NUMBERS).axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Sep 2023\n[1,2,3]", "Oct 2023\n[2,3]", "Nov 2023\n[1]"]


def test_the_scale_leaves_room_above_the_tallest_month():
    ax = monthly_chart(REC, NUMBERS).axes[0]
    assert ax.get_ylim() == pytest.approx((0, 184 * 1.15))
    assert ax.get_xlim() == pytest.approx((-0.6, 2.6))


def test_titles_legend_and_source_line():
    fig = monthly_chart(REC, NUMBERS)
    assert fig.axes[0].get_title() == "Desertion attempts by month (reading: one-series)"
    assert fig.axes[0].get_ylabel() == "desertion attempts per month"
    [legend] = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "exact: the claims allow one value",
        "range: any whole number from low to high (no estimate)",
        "≥ lower bound: no upper bound"]
    assert any("Numbers in brackets" in t.get_text() for t in fig.texts)
    custom = monthly_chart(REC, NUMBERS, title="Mine", source_line="Source: a test")
    assert custom.axes[0].get_title() == "Mine"
    assert any(t.get_text() == "Source: a test" for t in custom.texts)


def test_the_bundled_series_renders_the_same_png_twice():
    dataset = load_dataset()
    rec = reconstruct(dataset)
    images = []
    for _ in range(2):
        buffer = io.BytesIO()
        monthly_chart(rec, claim_numbers(dataset)).savefig(buffer, format="png", metadata={"Software": None})
        images.append(buffer.getvalue())
    assert images[0] == images[1] and images[0].startswith(b"\x89PNG")
    labels = [t.get_text() for t in monthly_chart(rec, claim_numbers(dataset)).axes[0].get_xticklabels()]
    assert len(labels) == len(rec.months) and labels[0].startswith("Apr 2023")


def test_a_month_the_time_budget_left_unproven_is_never_a_plain_number():
    rec = rec_of(month("2023-01", 5, 5),
                 month("2023-02", 0, None, low_within=(0, 40), high_within=(40, None), explained=False))
    words = alt_text(rec)
    assert "Jan 2023: exactly 5" in words
    assert "Feb 2023: not proven (time ran out): low 0 to 40, high 40 or more" in words
    assert figures._label(rec.months[1]).startswith("not proven")
