"""The example corpus (examples/corpus/): several outlets, one statement, an ambiguous share, a
contradiction and its correction. Checked on the engine's answer and on the built reports.

In the corpus, the Northern Ledger's "612 requests in October" (claim oct-2024-612) is repeated
by Baltic Wire and the Kama Review (same_as); the Steppe Courier's August-to-October total of
1,700 contradicts it (480 + 560 + 612 is 1,652) and the Courier's own correction; the Ledger's
"about a sixth of all requests" reads "all" as 2023's or as everything since September 2022.
"""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from helpers import paths
from helpers.data.dataset import load_dataset
from helpers.engine.bounds import Engine
from helpers.engine.model import build_model
from helpers.engine.reconstruct import reconstruct
from helpers.data.statements import heads

CORPUS = paths.project_root() / "examples" / "corpus"
STATEMENT = "oct-2024-612"
COPIES = ("oct-2024-612", "wire-oct-2024-612", "kama-oct-2024-612")
OUTLETS = ("002_northern-ledger_2024-11", "003_baltic-wire_2024-11", "004_kama-review_2024-11")


@pytest.fixture(scope="module")
def corpus():
    return load_dataset(CORPUS)


@pytest.fixture(scope="module")
def rec(corpus):
    return reconstruct(corpus)


def quotes_of(corpus, claim_ids) -> list[str]:
    return [corpus.claim(c).quote for c in claim_ids]


def test_the_corpus_is_valid_and_every_number_is_read():
    result = subprocess.run([sys.executable, "-m", "helpers", "validate", "--data", str(CORPUS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "6 source(s)" in result.stdout and "all valid" in result.stdout


def test_the_statement_of_three_outlets_is_one_unit(corpus, rec):
    status = rec.status(STATEMENT)
    assert [a.claim for a in status.attestations] == list(COPIES)
    assert status.sources == OUTLETS
    assert [a.quote for a in status.attestations] == quotes_of(corpus, COPIES)
    named = [s.claim for s in rec.statuses]
    assert named.count(STATEMENT) == 1 and not set(COPIES[1:]) & set(named)
    for copy in COPIES:
        assert rec.status(copy) is status
    item = next(c for c in rec.to_dict()["claims"] if c["id"] == STATEMENT)
    assert item["attested_by"] == 3 and [a["quote"] for a in item["attestations"]] == quotes_of(corpus, COPIES)


def test_the_statement_is_named_once_in_every_conflict_set(rec):
    assert not rec.feasible and rec.conflicts_complete
    sets = [c.claims for c in rec.conflicts]
    assert sets == [("courier-aug-oct-2024-1700", "courier-aug-oct-2024-1652"),
                    (STATEMENT, "courier-aug-2024-480", "courier-sep-2024-560", "courier-aug-oct-2024-1700")]
    for found in sets:
        assert not set(COPIES[1:]) & set(found) and found.count(STATEMENT) <= 1
    document = rec.to_dict()["conflicts"][1]
    assert document["sources"][0] == list(OUTLETS)


def test_setting_the_statement_aside_removes_all_three_copies(corpus, rec):
    engine = Engine(build_model(heads(corpus.claims, rec.reading), rec.reading, rec.series))
    assert [g.claim for g in engine.model.groups].count(STATEMENT) == 1
    assert not set(COPIES[1:]) & {g.claim for g in engine.model.groups}
    # Set aside with the correction, October is what the Courier's first figures make it,
    # 1,700 - 480 - 560 = 660: no copy of the 612 is left to contradict it.
    correction = next(c for c in rec.corrections if c.claims == (STATEMENT, "courier-aug-oct-2024-1652"))
    october = next(r for r in correction.months if r.months[0] == "2024-10")
    assert (october.low, october.high) == (660, 660)


def test_the_retracted_figure_alone_resolves_every_conflict(rec):
    smallest = rec.corrections[0]
    assert smallest.claims == ("courier-aug-oct-2024-1700",)
    months = {r.months[0]: r for r in smallest.months}
    assert [(months[m].low, months[m].high) for m in ("2024-08", "2024-09", "2024-10")] == [
        (480, 480), (560, 560), (612, 612)]
    # There October rests on the statement: named once, for all three outlets.
    assert months["2024-10"].low_rests_on == (STATEMENT,) == months["2024-10"].high_rests_on


def test_both_readings_of_all_requests_side_by_side(rec):
    (ambiguity,) = rec.ambiguities
    assert ambiguity.claim == "dec-2023-sixth-of-all" and ambiguity.ambiguity == "all-requests"
    written, founding = ambiguity.options
    assert (written.name, written.chosen, founding.name, founding.chosen) == (
        "as-written", True, "since-founding", False)
    assert not written.conflicts and not founding.conflicts  # it is in no conflict set either way
    totals = {o.name: {r.label: (r.low, r.high) for r in o.periods} for o in ambiguity.options}
    assert totals == {"as-written": {"2023-01..2023-12": (1369, 1733)},
                      "since-founding": {"2022-09..2023-12": (1369, 1733),
                                         "2023-01..2023-12": (260, 1733)}}
    moved = {m.month: (m.low, m.high, m.from_low, m.from_high) for m in founding.moved}
    assert moved == {m: (0, 1473, None, None) for m in ("2022-09", "2022-10", "2022-11", "2022-12")}


def test_a_reading_picks_the_alternative_by_its_kind_of_ambiguity(corpus):
    rec = reconstruct(corpus, reading="since-founding")
    assert rec.reading.alternatives == {"all-requests": "since-founding"}
    assert (rec.window.start, rec.window.end) == ("2022-09", "2024-10")
    (ambiguity,) = rec.ambiguities
    assert [o.chosen for o in ambiguity.options] == [False, True]


# -- the built reports ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus-reports")
    result = subprocess.run([sys.executable, "-m", "helpers", "build", "--data", str(CORPUS),
                             "--out", str(out), "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def _blocks(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<div class="{css_class}">(.*?)</div>', html, flags=re.S)


@pytest.mark.slow
def test_the_report_names_the_statement_once_with_three_quotes(built, corpus):
    html = (built / "monthly-series-as-written.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="claim-oct-2024-612">(.*?)</tr>', html, flags=re.S).group(1)
    for quote in quotes_of(corpus, COPIES):
        assert unescape(quote) in unescape(row)
    assert "3: The Northern Ledger, Baltic Wire, The Kama Review" in unescape(row)
    assert not re.search(r'<tr id="claim-(wire|kama)-oct-2024-612"', html)
    conflicts = _blocks(html, "ds-conflict")
    assert len(conflicts) == 2
    with_it = [b for b in conflicts if 'href="#claim-oct-2024-612"' in b]
    assert len(with_it) == 1
    quotes_list = with_it[0].split("Setting one aside")[0]
    assert quotes_list.count('href="#claim-oct-2024-612"') == 1
    assert all(unescape(q) in unescape(quotes_list) for q in quotes_of(corpus, COPIES))
    assert "all 3 outlets&#39; words" in with_it[0] or "all 3 outlets' words" in with_it[0]
    assert "Ways to make everything else hold" in html


@pytest.mark.slow
def test_the_report_sets_both_alternatives_side_by_side(built):
    html = unescape((built / "monthly-series-as-written.html").read_text(encoding="utf-8"))
    (block,) = re.findall(r'<div class="ds-ambiguity">(.*?)</div>', html, flags=re.S)
    header = re.search(r"<thead>(.*?)</thead>", block, flags=re.S).group(1)
    assert "as-written (this reading)" in header and "since-founding" in header
    assert "Total Jan–Dec 2023" in block and "260 to 1,733" in block and "1,369 to 1,733" in block
    other = unescape((built / "monthly-series-since-founding.html").read_text(encoding="utf-8"))
    assert "since-founding (this reading)" in other


@pytest.mark.slow
def test_the_export_says_how_many_sources_attest_each_statement(built):
    rows = {r["id"]: r for r in csv.DictReader(open(built / "claims.csv", encoding="utf-8"))}
    for copy in COPIES:
        assert rows[copy]["statement"] == STATEMENT and rows[copy]["attested_by"] == "3"
        assert rows[copy]["attesting_sources"] == ";".join(OUTLETS)
    assert rows["dec-2023-260"]["attested_by"] == "1"


def _keys(value, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


def test_the_json_contract_documents_every_key_it_carries(rec):
    doc = (paths.project_root() / "docs" / "reconstruction-json.md").read_text(encoding="utf-8")
    assert f"`{rec.to_dict()['contract']}`" in doc
    keys = _keys(rec.to_dict(), set()) - set(rec.to_dict()["reading"]["parameters"]["series_map"])
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"docs/reconstruction-json.md does not document: {missing}"
