"""present/page.py: what a page says first (a conflict, then the result in words), its title,
its date, how to cite it and where its data are."""
from __future__ import annotations

import re

import pytest

from helpers.data.dataset import load_dataset
from helpers.engine.reconstruct import reconstruct
from helpers.present import page


@pytest.fixture(scope="module")
def seed():
    dataset = load_dataset(None)
    return reconstruct(dataset), dataset


def test_without_a_conflict_there_is_no_banner_and_the_summary_says_all_claims(seed):
    rec, dataset = seed
    assert page.conflict_banner(rec, dataset) == ""
    text = re.sub(r"<[^>]+>", "", page.summary(rec, dataset))
    assert "covers Apr–Nov 2023 (8 months). 4 of them are exact: Jun 2023 54, Sep 2023 184, " \
           "Oct 2023 218, Nov 2023 175." in text
    assert "The widest range is Apr 2023: 0 to 174." in text
    assert "The exact values rest on 4 quote(s) from 1 source(s)" in text
    assert "all the claims allow" in text and "one-series" in text
    assert page.changing_months(rec) == []


def test_a_conflict_is_said_first_with_the_statements_their_outlets_and_a_link(contradicting_data):
    dataset = load_dataset(contradicting_data)
    rec = reconstruct(dataset)
    banner = page.conflict_banner(rec, dataset)
    text = re.sub(r"<[^>]+>", "", banner)
    assert text.startswith("Conflict. Under the reading “one-series” the claims contradict each other")
    assert "The Second Outlet" in text and "“received 230 appeals in November 2023”" in text
    assert "“There were 175 desertion attempts in November”" in text  # the smallest set: 175 vs 230
    assert f'href="#{page.CONFLICTS_ANCHOR}"' in banner
    assert "Nov 2023" in text and page.changing_months(rec)
    summary = re.sub(r"<[^>]+>", "", page.summary(rec, dataset))
    for words in (text, summary):
        assert "all the claims allow" not in words and "outside every conflict set" in words


def test_title_date_citation_and_downloads(seed, monkeypatch):
    rec, dataset = seed
    assert page.page_title(rec) == "Help requests by month, reading: one-series"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1701648000")
    assert page.build_date(dataset) == "4 Dec 2023"
    footer = page.page_footer(rec, dataset)
    for name in page.EXPORT_FILES:
        assert f'href="exports/one-series/{name}"' in footer
    assert "built 4 Dec 2023" in footer and page.data_fingerprint(dataset) in footer
    assert page.package_version() in footer and 'href="index.html"' in footer
    assert 'href="index.html"' in page.page_header(rec, dataset)


def test_the_date_never_comes_from_the_clock(contradicting_data, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    dataset = load_dataset(contradicting_data)  # outside any git checkout: its newest source
    assert page.build_date(dataset) == "Dec 2023"
