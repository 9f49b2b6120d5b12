"""Reports as readers see them: every built page opened in headless Chromium, offline.

The bundled reports are built once (conftest's ``built_reports``); each page, in its reader and
its code form, and the index, is opened in Debian's Chromium driven by Playwright (the system
browser, never a downloaded one) with every request routed: only the page's own file and
``data:`` URLs load, anything else is recorded and refused. Each page is visited once; the tests
below check what that visit saw:

    no request leaves the file, no console error, every image decoded, no page wider than the
    window and no word split inside a table cell, the chart in the first screen, every in-page
    link resolving to an element, and quote numbers that take the reader to the highlighted quote
    (months table -> claims table row -> quote in the source text, and back).

Screenshots are written to tests/artifacts/ (emptied first) for a person to look at: each page's
first screen, each reader page whole, and the source view (the window after a quote number was
followed to its highlighted quote).

Chromium missing is a failure naming the package to install, never a skip: `make test` installs it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from helpers import paths
from helpers.data.dataset import load_dataset
from helpers.reports.config import CONFIG_NAME, load_jobs

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
# What this machine needs: no sandbox as root, and no background traffic to Google's hosts.
# Playwright adds a fresh --user-data-dir (a new temporary profile) to every launch.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}   # a laptop's window: the "first screen"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 30_000
TARGET_COLOUR = "rgb(255, 213, 79)"          # report.css: the quote or row a link was followed to


def _expected_pages() -> list[str]:
    """Every page the build writes: both forms of each report of reports.yml, and the index."""
    jobs = load_jobs(paths.notebooks_dir() / CONFIG_NAME, load_dataset(None), CONFIG_NAME)
    return sorted([f"{job.name}{form}" for job in jobs for form in (".html", ".code.html")]
                  + ["index.html"])


PAGES = _expected_pages()
MONTHLY = [name for name in PAGES if name.startswith("monthly-series-")]
SOURCES = [name for name in PAGES if name.startswith("source-")]
READER_MONTHLY = [name for name in MONTHLY if not name.endswith(".code.html")]


@dataclass
class Visit:
    """What one page showed and did in the browser."""

    name: str
    refused: list[str] = field(default_factory=list)        # requests that would leave the file
    console_errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    chart: dict | None = None                               # the chart's box at load, and the window
    width: dict = field(default_factory=dict)
    split_words: list[str] = field(default_factory=list)
    dangling_links: list[str] = field(default_factory=list)
    duplicate_ids: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    quote_chain: list[str] = field(default_factory=list)    # what the clicks reached, in order
    chain_problems: list[str] = field(default_factory=list)


# --- the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> Path:
    """The browser, checked before the reports are built: a missing one fails at once."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed: no browser at {CHROMIUM}. Install Debian's chromium "
                    f"package (apt-get install chromium; make test does it when it is missing) or set "
                    f"CHROMIUM to a Chromium executable. The browser tests do not skip.", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                              args=CHROMIUM_FLAGS, timeout=TIMEOUT_MS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def visits(browser, built_reports):
    """``visits(name)``: the Visit of a built page, made on first use and then kept."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    done: dict[str, Visit] = {}

    def visit(name: str) -> Visit:
        if name not in done:
            done[name] = _visit(browser, built_reports, name)
        return done[name]
    return visit


def test_the_build_writes_exactly_the_expected_pages(built_reports):
    assert sorted(p.name for p in built_reports.glob("*.html")) == PAGES


def _visit(browser, out: Path, name: str) -> Visit:
    from playwright.sync_api import expect

    path = out / name
    url = path.as_uri()
    seen = Visit(name)

    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)

    def allowed(request_url: str) -> bool:
        return request_url == url or request_url.startswith("data:")

    def route(route):
        if allowed(route.request.url):
            route.continue_()
        else:
            if route.request.url not in seen.refused:
                seen.refused.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    # Anything the router did not see (it sees every request it can intercept) is still recorded.
    page.on("request", lambda request: None if allowed(request.url) or request.url in seen.refused
            else seen.refused.append(request.url))
    page.on("console", lambda message: seen.console_errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.console_errors.append(f"uncaught: {error}"))
    try:
        page.goto(url, wait_until="load")
        page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
        page.screenshot(path=str(ARTIFACTS / f"{path.stem}.first-screen.png"))
        if not name.endswith(".code.html"):
            page.screenshot(path=str(ARTIFACTS / f"{path.stem}.full-page.png"), full_page=True)
        _measure(page, out, seen)
        # The source view: the window after a quote number was followed to its quote.
        source_view = ARTIFACTS / f"{path.stem}.source-view.png"
        if name in MONTHLY:
            _follow_from_months_table(page, seen, expect, source_view)
        elif name in SOURCES:
            _follow_from_source_claims(page, seen, expect, source_view)
    finally:
        context.close()
    return seen


def _measure(page, out: Path, seen: Visit) -> None:
    """Everything read off the page as loaded, before any click or scroll."""
    seen.images = page.evaluate("""[...document.images].map(img => ({
        src: img.src.slice(0, 40), complete: img.complete, naturalWidth: img.naturalWidth}))""")
    seen.chart = page.evaluate("""() => {
        const img = document.querySelector('.ds-chart img[src^="data:image/svg+xml"]');
        if (!img) return null;
        const r = img.getBoundingClientRect();
        return {top: r.top, left: r.left, bottom: r.bottom, right: r.right,
                width: window.innerWidth, height: window.innerHeight, scrollY: window.scrollY};
    }""")
    seen.width = page.evaluate("""({scrollWidth: document.documentElement.scrollWidth,
                                    clientWidth: document.documentElement.clientWidth})""")
    # A word broken across two lines inside a table cell ("bind/ing"): its characters' boxes
    # stand on different lines. Breaks after spaces, hyphens, dashes and slashes are fine.
    seen.split_words = page.evaluate("""() => {
        const split = [];
        for (const cell of document.querySelectorAll('table th, table td')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const m of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const lines = new Set([...range.getClientRects()]
                        .filter(r => r.width > 0).map(r => Math.round(r.bottom)));
                    if (lines.size > 1) split.push(m[0]);
                }
            }
        }
        return split;
    }""")
    seen.dangling_links = page.evaluate("""[...document.querySelectorAll('a[href^="#"]')]
        .map(a => a.getAttribute('href'))
        .filter(href => href.length < 2 || !document.getElementById(decodeURIComponent(href.slice(1))))""")
    seen.duplicate_ids = page.evaluate("""() => {
        const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
        return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
    }""")
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or not parsed.path:
            continue  # another site (never loaded, only linked) or a link inside the page
        if not (out / unquote(parsed.path)).is_file():
            seen.missing_files.append(href)


def _in_view(page, selector: str) -> bool:
    return page.evaluate("""sel => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
    }""", selector)


def _click_and_check(page, seen: Visit, expect, link_selector: str, target_selector: str,
                     highlighted: str, screenshot: Path | None = None) -> None:
    """Click a link; its target must then be the page's :target, in view, and highlighted."""
    from playwright.sync_api import Error as PlaywrightError

    link = page.locator(link_selector).first
    href = link.get_attribute("href")
    target_id = href[1:]
    seen.quote_chain.append(href)
    try:
        link.click()
        expect(page.locator(f"[id='{target_id}']")).to_be_in_viewport(timeout=5_000)
        expect(page.locator(highlighted)).to_be_in_viewport(timeout=5_000)
    except (AssertionError, PlaywrightError) as error:
        seen.chain_problems.append(f"after clicking {href}: {str(error).splitlines()[0]}")
        return
    finally:
        if screenshot:
            page.mouse.move(0, 0)  # no row under the pointer: hover shading is not a highlight
            page.screenshot(path=str(screenshot))
    state = page.evaluate("""([id, sel]) => ({
        hash: decodeURIComponent(location.hash),
        isTarget: document.querySelector(':target') === document.getElementById(id),
        background: getComputedStyle(document.querySelector(sel)).backgroundColor})""",
                          [target_id, highlighted])
    if state["hash"] != href or not state["isTarget"]:
        seen.chain_problems.append(f"after clicking {href} the target is {state['hash']!r}")
    if not page.locator(target_selector).count():
        seen.chain_problems.append(f"{href} does not lead to {target_selector}")
    if state["background"] != TARGET_COLOUR:
        seen.chain_problems.append(f"{highlighted} is not highlighted as followed "
                                   f"(background {state['background']})")


def _follow_from_months_table(page, seen: Visit, expect, screenshot: Path) -> None:
    """A number in the months table -> the claim's row -> its quote in the source text."""
    first = page.locator('tr[id^="month-"] a.ds-ref[href^="#claim-"]').first
    claim = first.get_attribute("href")[len("#claim-"):]
    _click_and_check(page, seen, expect, f'tr[id^="month-"] a.ds-ref[href="#claim-{claim}"]',
                     f'tr#claim-{claim}', f'tr#claim-{claim}')
    _click_and_check(page, seen, expect, f'tr#claim-{claim} a.ds-quote[href="#quote-{claim}"]',
                     f'.ds-source a#quote-{claim}', f'a#quote-{claim} + mark.ds-highlight', screenshot)


def _follow_from_source_claims(page, seen: Visit, expect, screenshot: Path) -> None:
    """A number in the source's claims table -> its quote in the text -> back to the claim's row."""
    first = page.locator('tr[id^="claim-"] a.ds-ref[href^="#quote-"]').first
    claim = first.get_attribute("href")[len("#quote-"):]
    _click_and_check(page, seen, expect, f'tr#claim-{claim} a.ds-ref[href="#quote-{claim}"]',
                     f'.ds-source a#quote-{claim}', f'a#quote-{claim} + mark.ds-highlight', screenshot)
    _click_and_check(page, seen, expect, f'.ds-source a#quote-{claim}', f'tr#claim-{claim}',
                     f'tr#claim-{claim}')


# --- what every page must do ---------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_the_file(visits, name):
    assert visits(name).refused == []


@pytest.mark.parametrize("name", PAGES)
def test_no_console_error(visits, name):
    assert visits(name).console_errors == []


@pytest.mark.parametrize("name", PAGES)
def test_every_image_is_decoded(visits, name):
    images = visits(name).images
    assert all(img["complete"] and img["naturalWidth"] > 0 for img in images), images
    if name in MONTHLY:
        assert images, "a monthly-series report without its chart"


@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_wider_than_the_window(visits, name):
    width = visits(name).width
    assert width["scrollWidth"] <= width["clientWidth"], width


@pytest.mark.parametrize("name", PAGES)
def test_no_word_is_split_across_lines_in_a_table(visits, name):
    assert visits(name).split_words == []


@pytest.mark.parametrize("name", PAGES)
def test_every_in_page_link_resolves_and_ids_are_unique(visits, name):
    seen = visits(name)
    assert seen.dangling_links == []
    assert seen.duplicate_ids == []


@pytest.mark.parametrize("name", PAGES)
def test_every_link_to_a_file_finds_it(visits, name):
    assert visits(name).missing_files == []


@pytest.mark.parametrize("name", READER_MONTHLY)
def test_the_chart_is_in_the_first_screen(visits, name):
    box = visits(name).chart
    assert box is not None, "no chart"
    assert box["scrollY"] == 0
    # Under the title, the conflict (if any) and the summary, at least half of it shows at once.
    assert 0 <= box["top"] and box["top"] + (box["bottom"] - box["top"]) / 2 <= box["height"], box
    assert 0 <= box["left"] and box["right"] <= box["width"], box


@pytest.mark.parametrize("name", MONTHLY + SOURCES)
def test_quote_numbers_lead_to_the_highlighted_quote(visits, name):
    seen = visits(name)
    assert len(seen.quote_chain) == 2, seen.quote_chain
    if name in MONTHLY:
        assert re.fullmatch(r"#claim-\S+", seen.quote_chain[0]) and seen.quote_chain[1].startswith("#quote-")
    else:
        assert re.fullmatch(r"#quote-\S+", seen.quote_chain[0]) and seen.quote_chain[1].startswith("#claim-")
    assert seen.chain_problems == []


def test_screenshots_are_written(visits):
    for name in PAGES:
        visits(name)
    shots = {p.name for p in ARTIFACTS.glob("*.png")}
    for name in PAGES:
        stem = name[:-len(".html")]
        assert f"{stem}.first-screen.png" in shots
        if name in MONTHLY or name in SOURCES:
            assert f"{stem}.source-view.png" in shots
