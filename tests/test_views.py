"""The HTML fragments: links that resolve, quotes highlighted, data-set text always escaped."""
from __future__ import annotations

import hashlib
import html as html_lib
import re
import shutil
import textwrap

import pytest

from helpers import paths
from helpers.core.enums import ClaimStatus
from helpers.present import views
from helpers.data.dataset import load_dataset

HOSTILE_TEXT = 'In May there were <script>alert("x")</script> 12 cases, & in June <b>30</b> cases.\n'


@pytest.fixture
def hostile_dataset(tmp_path):
    """A source whose text and quotes contain markup that must never reach HTML as markup."""
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    (data / "claims").mkdir()
    for name in ("vocabulary.yml", "readings.yml"):
        shutil.copy(paths.default_data_dir() / name, data / name)
    (data / "sources" / "evil.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    digest = hashlib.sha256(HOSTILE_TEXT.encode()).hexdigest()
    (data / "sources" / "evil.yml").write_text(textwrap.dedent(f"""\
        id: evil
        text: evil.txt
        sha256: {digest}
        title: "<img src=x onerror=alert(1)> title"
        language: en
        publisher: null
        date_published: 2024-07
        licence: test fixture
        """))
    (data / "claims" / "evil.yml").write_text(textwrap.dedent("""\
        source: evil
        claims:
          - id: may-12
            kind: total
            series: appeals
            period: 2024-05
            value: 12
            quote: 'In May there were <script>alert("x")</script> 12 cases'
          - id: jun-30
            kind: total
            series: appeals
            period: 2024-06
            value: 30
            quote: in June <b>30</b> cases
        """))
    return load_dataset(data)


def test_source_text_escapes_markup_and_highlights_quotes(hostile_dataset):
    html = str(views.source_section(hostile_dataset, "evil"))
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;30&lt;/b&gt;" in html
    assert html.count('class="ds-highlight"') == 2
    assert 'id="quote-may-12"' in html and 'id="quote-jun-30"' in html


def test_claims_table_escapes_quotes_and_links_to_them(hostile_dataset):
    from helpers.engine.reconstruct import reconstruct

    rec = reconstruct(hostile_dataset)
    html = str(views.claims_table(rec, hostile_dataset))
    assert "<script>" not in html and "<b>30" not in html
    assert 'href="#quote-may-12"' in html and 'id="claim-may-12"' in html
    assert html.count('<span class="ds-status-binding">binding</span>') == 2


def test_the_status_legend_names_and_explains_every_claim_status():
    legend = html_lib.unescape(str(views.status_legend()))
    items = re.findall(r"<li>(.*?)</li>", legend)
    assert len(items) == len(ClaimStatus)
    for item, status in zip(items, ClaimStatus):
        assert item == f'<span class="ds-status-{status.value}">{status.value}</span>: {status.description}'


def test_every_claim_status_has_a_style():
    assert set(views.STATUS_STYLES) == set(ClaimStatus)
    assert all(style.strip().endswith(";") for style in views.STATUS_STYLES.values())


def test_overlapping_quotes_each_get_one_anchor():
    dataset = load_dataset(paths.default_data_dir())
    html = str(views.source_text(dataset, "000_53cf863e7d9b0b6b"))
    for claim in dataset.claims:
        assert html.count(f'id="quote-{claim.id}"') == 1
    # "the lowest in June" and "June (54 cases)" overlap on "June": both marks cover it.
    assert re.search(r'title="[^"]*jun-lowest[^"]*jun-54[^"]*"|title="[^"]*jun-54[^"]*jun-lowest', html)


def test_highlighted_text_is_the_source_text():
    dataset = load_dataset(paths.default_data_dir())
    html = str(views.source_text(dataset, "000_53cf863e7d9b0b6b"))
    without_refs = re.sub(r'<a class="ds-ref"[^>]*>\[\d+\]</a>', "", html)
    plain = re.sub(r"<[^>]+>", "", without_refs)
    assert html_lib.unescape(plain) == dataset.sources["000_53cf863e7d9b0b6b"].text


def test_period_labels_name_quarters_and_years_and_periods_asked_for():
    from helpers.core.months import Period

    assert views.period_label(Period("2023-07", "2023-09")) == "Q3 2023 (Jul–Sep 2023)"
    assert views.period_label(Period("2023-01", "2023-12")) == "2023 (Jan–Dec 2023)"
    assert views.period_label(Period("2023-09", "2023-11")) == "Sep–Nov 2023"
    asked = [Period("2023-06", "2023-11")]
    assert views.period_label(Period("2023-06", "2023-11"), asked) == "Jun–Nov 2023 (asked for)"


def test_the_periods_table_shows_calendar_quarters_and_periods_asked_for():
    from helpers.engine.reconstruct import reconstruct

    seed = load_dataset(paths.default_data_dir())
    html = str(views.periods_table(reconstruct(seed, periods=["2023-06..2023-11"]), seed))
    assert '<td>Q2 2023 (Apr–Jun 2023)</td><td class="num">173 to 325</td>' in html
    assert "Q3 2023 (Jul–Sep 2023)" in html and "Jun–Nov 2023 (asked for)" in html
    row = re.search(r"<tr><td>Jun–Nov 2023 \(asked for\)</td>(.*?)</tr>", html, re.S)
    assert row and "882" in row.group(1) and 'href="#claim-sep-nov-577"' in row.group(1)
