"""reports/index.py: the index page of an output directory, from its Jinja template, styled by
the reports' own stylesheet."""
from __future__ import annotations

import re

import pytest

from helpers.core.enums import ClaimStatus
from helpers.reports.index import TEMPLATES_DIR, render_index

FINGERPRINT = "0123456789abcdef" * 4


def row(name="monthly", state="current", has_output=True, parameters=None):
    return {"name": name, "parameters": parameters if parameters is not None else {"reading": "one-series"},
            "fingerprint": FINGERPRINT, "state": state, "has_output": has_output}


def cells(page: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1)
    return [re.findall(r"<td>(.*?)</td>", tr, re.S) for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.fixture(autouse=True)
def no_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_a_current_report_links_both_forms_with_its_parameters_and_fingerprint():
    [[report, parameters, fingerprint, state]] = cells(render_index([row()]))
    assert report == '<a href="monthly.html">monthly</a> (<a href="monthly.code.html">with code</a>)'
    assert parameters == "<code>{&#34;reading&#34;: &#34;one-series&#34;}</code>"
    assert fingerprint == f"<code>{FINGERPRINT[:12]}</code>"
    assert state == "current"


def test_a_failed_report_is_stale_and_links_its_failed_run():
    [[report, _, _, state]] = cells(render_index([row(state="stale")]))
    assert report.startswith('<a href="monthly.html">')  # the last good build is still there
    assert state == ('<span class="stale">stale</span>: last build failed '
                     '(<a href=".failed/monthly.html">failed run</a>)')


def test_a_report_never_built_is_named_without_a_link():
    [[report, _, _, state]] = cells(render_index([row(state="stale", has_output=False)]))
    assert report == "monthly"
    assert state.startswith('<span class="stale">never built</span>')


def test_rows_keep_their_order_and_parameters_are_sorted_json():
    page = render_index([row("b", parameters={"z": 1, "a": [2]}), row("a", parameters={})])
    table = cells(page)
    assert [re.sub(r"<[^>]+>| \(.*", "", r[0]) for r in table] == ["b", "a"]
    assert table[0][1] == "<code>{&#34;a&#34;: [2], &#34;z&#34;: 1}</code>"
    assert table[1][1] == "<code>{}</code>"


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
    assert "Built as of 2023-12-04." in render_index([row()])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert "Built as of" not in render_index([row()])


def test_the_same_rows_give_the_same_bytes():
    assert render_index([row(), row("b", "stale")]) == render_index([row(), row("b", "stale")])
    assert render_index([]).count("<tr>") == 1  # the header row only
