"""reports/index.py: the index page of an output directory, from its Jinja template, styled by
the reports' own stylesheet."""
from __future__ import annotations

import re

import pytest

from helpers.core.enums import ClaimStatus
from helpers.reports.facts import Facts
from helpers.reports.index import TEMPLATES_DIR, render_index

FINGERPRINT = "0123456789abcdef" * 4


def row(name="monthly", state="current", has_output=True, parameters=None):
    return {"name": name, "parameters": parameters if parameters is not None else {"reading": "one-series"},
            "fingerprint": FINGERPRINT, "state": state, "has_output": has_output}


def section(page: str, name: str) -> str:
    """The part of the page about one report."""
    return next(part for part in page.split('<section class="ds-report">')[1:]
                if f"For maintainers: {name}<" in part)


FACTS = Facts(title="Help requests by month, reading: one-series", assumes="One monthly count.",
              sources="Outlet A, Outlet B", basis="all claims", conflict=None, built="4 Dec 2023")


@pytest.fixture(autouse=True)
def no_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_a_current_report_is_named_by_its_title_with_what_it_assumes_its_sources_and_date():
    part = section(render_index([{**row(), "facts": FACTS}]), "monthly")
    assert '<a href="monthly.html">Help requests by month, reading: one-series</a>' in part
    assert "<strong>Assumes:</strong> One monthly count." in part
    assert "<strong>Sources:</strong> Outlet A, Outlet B." in part and "4 Dec 2023" in part
    assert '<a href="monthly.code.html">' in part and "Conflict" not in part


def test_parameters_and_fingerprint_are_folded_away_for_maintainers():
    part = section(render_index([row()]), "monthly")
    folded = part[part.index("<details>"):part.index("</details>")]
    assert "<code>{&#34;reading&#34;: &#34;one-series&#34;}</code>" in folded
    assert f"<code>{FINGERPRINT[:12]}</code>" in folded
    assert FINGERPRINT[:12] not in part[:part.index("<details>")]


def test_a_report_whose_claims_conflict_is_flagged_on_its_entry_and_at_the_top():
    conflicting = Facts(**{**FACTS.__dict__, "conflict": "under reading one-series, 1 set(s) of statements "
                                                         "cannot all hold"})
    page = render_index([{**row(), "facts": conflicting}, {**row("b"), "facts": FACTS}])
    assert "<strong>Conflict.</strong> In 1 report(s)" in page
    assert "<strong>Conflict:</strong> under reading one-series" in section(page, "monthly")
    assert "Conflict" not in section(page, "b")
    assert "Conflict" not in render_index([{**row(), "facts": FACTS}])


def test_a_failed_report_is_stale_and_links_its_failed_run():
    part = section(render_index([row(state="stale")]), "monthly")
    assert '<a href="monthly.html">' in part  # the last good build is still there
    assert ('<span class="stale">stale</span>: last build failed '
            '(<a href=".failed/monthly.html">failed run of monthly</a>)') in part


def test_a_report_never_built_is_named_without_a_link():
    part = section(render_index([row(state="stale", has_output=False)]), "monthly")
    assert '<a href="monthly.html">' not in part
    assert '<span class="stale">never built</span>' in part


def test_rows_keep_their_order_and_parameters_are_sorted_json():
    page = render_index([row("b", parameters={"z": 1, "a": [2]}), row("a", parameters={})])
    assert page.index("For maintainers: b<") < page.index("For maintainers: a<")
    assert "<code>{&#34;a&#34;: [2], &#34;z&#34;: 1}</code>" in section(page, "b")
    assert "<code>{}</code>" in section(page, "a")


def test_every_text_is_escaped():
    page = render_index([row(name="x<script>", parameters={"reading": "<img src=x onerror=alert(1)>"})])
    assert "<script>" not in page and "<img" not in page
    assert "x&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_page_uses_the_reports_stylesheet_and_does_not_repeat_it():
    page = render_index([row()])
    css = (TEMPLATES_DIR / "offline" / "report.css").read_text(encoding="utf-8")
    plain_rules = [line for line in css.splitlines() if line.startswith(".ds-table")]
    assert plain_rules and all(line in page for line in plain_rules)
    for status in ClaimStatus:  # the template's rules, rendered from the enum
        assert f".ds-status-{status} {{" in page, status
    assert page.count(".ds-table th {") == css.count(".ds-table th {")  # no second copy inline
    assert '<table class="ds-table">' in page
    assert not re.search(r"<(?:script|link)\b", page)  # self-contained, offline


def test_the_date_is_shown_only_when_source_date_epoch_fixes_it(monkeypatch):
    assert "Built as of" not in render_index([row()])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1701648000")
    assert "Built as of 4 Dec 2023." in render_index([row()])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert "Built as of" not in render_index([row()])


def test_the_same_rows_give_the_same_bytes():
    assert render_index([row(), row("b", "stale")]) == render_index([row(), row("b", "stale")])
    assert "ds-report" not in render_index([]).split("</style>")[1]
