"""Reports as readers meet them, at a laptop's width (1280 px) and a phone's (390 px):

- a build whose claims conflict (the bundled data plus a second outlet's "230 appeals in
  November 2023") says "conflict" in its own output (one warning line per report, exit 3 with
  --strict), in the index, in the run record and datapackage.json, and in the first screen of
  the affected pages;
- every page of the bundled build passes axe-core (vendored in tests/vendor/axe-core, injected
  into the page: no network) with no serious or critical violation, and scrolls only vertically.

Screenshots at both widths go to tests/artifacts/ (``*.390.png``, ``conflict.*.png``).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import add_contradiction
from test_browser import ARTIFACTS, CHROMIUM_FLAGS, PAGES

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {1280: 800, 390: 844}
CONFLICTING = "monthly-series-one-series"
UNAFFECTED = "monthly-series-separate-series"   # appeals are another series there: no conflict
EPOCH = "1701648000"                            # 4 Dec 2023


@pytest.fixture(scope="module")
def conflict_build(tmp_path_factory):
    import shutil

    from helpers import paths

    root = tmp_path_factory.mktemp("conflict")
    data = root / "data"
    shutil.copytree(paths.default_data_dir(), data)
    add_contradiction(data)
    out = root / "reports"
    done = subprocess.run([sys.executable, "-m", "helpers", "build", "--data", str(data), "--out", str(out),
                           "--strict", "--jobs", "2", "--only", CONFLICTING, UNAFFECTED],
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    return done, out


def test_the_build_warns_once_per_conflicting_report_and_strict_exits_3(conflict_build):
    done, _ = conflict_build
    assert done.returncode == 3, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, done.stderr
    assert warnings[0].startswith(f"warning: {CONFLICTING}: conflict: under reading one-series, ")
    assert "nov-175 and nov-230" in warnings[0] and "The Second Outlet" in warnings[0]


def test_the_index_the_run_record_and_the_data_package_say_so(conflict_build):
    _, out = conflict_build
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<strong>Conflict.</strong> In 1 report(s)" in index
    assert index.count("<strong>Conflict:</strong>") == 1
    [record] = [json.loads(line) for line in (out / ".build" / "runs.jsonl").read_text().splitlines()]
    basis = {r["name"]: (r["basis"], bool(r["conflict"])) for r in record["reports"]}
    assert basis == {CONFLICTING: ("claims outside every conflict set", True), UNAFFECTED: ("all claims", False)}
    package = json.loads((out / "datapackage.json").read_text())
    assert package["basis"] == "claims outside every conflict set" and not package["feasible"]
    assert "all claims allow" not in json.dumps(package)
    for reading in ("one-series", "extremes-over-window", "non-strict-extremes", "separate-series"):
        assert (out / "exports" / reading / "series.csv").is_file(), reading
    separate = json.loads((out / "exports" / "separate-series" / "datapackage.json").read_text())
    assert separate["basis"] == "all claims"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM") or "/usr/bin/chromium",
                                              headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def _open(browser, path: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                  else route.abort())
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_screen_of_a_conflicting_page_says_conflict(conflict_build, browser, width):
    _, out = conflict_build
    ARTIFACTS.mkdir(exist_ok=True)
    for name, conflicting in ((CONFLICTING, True), (UNAFFECTED, False)):
        context, page = _open(browser, out / f"{name}.html", width)
        try:
            page.screenshot(path=str(ARTIFACTS / f"conflict.{name}.{width}.png"))
            seen = page.evaluate("""() => {
                const box = document.getElementById('conflict-summary');
                const r = box && box.getBoundingClientRect();
                return {top: r ? r.top : null, height: window.innerHeight,
                        text: box ? box.innerText : '', title: document.title,
                        h1: document.querySelector('h1').innerText,
                        wide: document.documentElement.scrollWidth > document.documentElement.clientWidth};
            }""")
        finally:
            context.close()
        assert not seen["wide"]
        assert seen["title"] == seen["h1"] and "reading: " in seen["title"]
        if conflicting:
            assert seen["top"] is not None and 0 <= seen["top"] < seen["height"] / 2, seen
            assert seen["text"].startswith("Conflict.") and "The Second Outlet" in seen["text"]
        else:
            assert seen["top"] is None


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_violation_and_nothing_scrolls_sideways(built_reports, browser, name, width):
    context, page = _open(browser, built_reports / name, width)
    try:
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0].target}`);
        }""")
        wide = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        if width == 390 and not name.endswith(".code.html"):
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}.390.first-screen.png"))
    finally:
        context.close()
    assert violations == []
    assert not wide
