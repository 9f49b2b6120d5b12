"""What makes a report page stand alone and say first what a reader must know.

    page_title(rec)             the page's own title, naming the series and the reading
    conflict_banner(rec, ds)    when claims conflict: which statements, from which outlets, in words
    summary(rec, ds)            the window, exact months, the widest range, what they rest on
    changing_months(rec)        months whose ranges change when a conflicting statement is set aside
    build_date(ds)              SOURCE_DATE_EPOCH, else the data's last commit, else its newest source
    page_footer(rec, ds)        downloads, how to cite, the link to the index

Months are written one way everywhere: "Sep 2023", periods "Sep–Nov 2023" (core.months).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import time
from importlib import metadata

from markupsafe import Markup

from helpers.core.months import Period, month_name
from helpers.data.dataset import Dataset
from helpers.present.views import attested_quotes, claim_numbers, members, refs, statement_outlets
from helpers.present.words import range_words

EXPORT_FILES = ("series.csv", "claims.csv", "datapackage.json")
CONFLICTS_ANCHOR = "conflicts"


class Title(str):
    """A title that shows as a heading in a notebook and as plain text to tools."""

    def _repr_html_(self) -> str:
        return str(Markup("<h1>{}</h1>").format(self))

    def __repr__(self) -> str:
        return str(self)


def series_words(series: str) -> str:
    return series.replace("_", " ")


def page_title(rec) -> Title:
    return Title(f"{series_words(rec.series).capitalize()} by month, reading: {rec.reading.name}")


def _span(r) -> str:
    return Period(r.months[0], r.months[-1]).label() if len(r.months) > 1 else month_name(r.months[0], short=True)


def changing_months(rec) -> list[str]:
    """The months whose range differs under some way of resolving a conflict (setting one
    statement of a conflict set aside, or a smallest correction set) from the range shown."""
    shown = {r.months[0]: (r.low, r.high) for r in rec.months}
    moved: set[str] = set()
    ranges = [r for c in rec.conflicts for a in c.alternatives if a.feasible for r in a.months]
    ranges += [r for c in rec.corrections for r in c.months]
    for r in ranges:
        if shown.get(r.months[0], (r.low, r.high)) != (r.low, r.high):
            moved.add(r.months[0])
    return sorted(moved)


def basis_sentence(rec) -> str:
    if rec.feasible and rec.out_of_time:
        return ("Every range marked proven is the exact range of whole numbers that all the claims "
                "allow together; the others hold that range but may be wider.")
    if rec.feasible:
        return "Every range is the exact range of whole numbers that all the claims allow together."
    return ("The claims cannot all hold, so every range rests only on the claims outside every "
            "conflict set; the conflicting statements are set aside until a reader chooses.")


def conflict_banner(rec, dataset: Dataset) -> Markup:
    """Nothing when the claims can all hold; else, in a few lines: how many sets of statements
    cannot all hold, the smallest of them in its outlets' words, what the ranges then rest on,
    and a link to every set and the ways to resolve them."""
    if rec.feasible:
        return Markup("")
    numbers = claim_numbers(dataset)
    smallest = min(rec.conflicts, key=lambda c: len(c.claims))
    quoted = Markup("; ").join(
        Markup("{} {} ({})").format(refs([cid], numbers), attested_quotes(dataset, members(rec, dataset, cid)),
                                    statement_outlets(rec, dataset, [cid]))
        for cid in smallest.claims)
    every = list(dict.fromkeys(cid for c in rec.conflicts for cid in c.claims))
    count = len(rec.conflicts)
    moved = changing_months(rec)
    moved_words = (Markup(" Months whose ranges depend on which statement is set aside are framed "
                          "in red in the chart: {}.").format(", ".join(month_name(m, short=True) for m in moved))
                   if moved else Markup(""))
    return Markup('<div class="ds-alert" role="note" id="conflict-summary"><p><strong>Conflict.</strong> '
                  'Under the reading “{}” the claims contradict each other: {} cannot all be true, '
                  'from {}. The smallest: {}.</p><p>{}{} <a href="#{}">Read every conflict and the '
                  'ways to resolve it</a>.</p></div>').format(
        rec.reading.name,
        "one set of statements" if count == 1 else f"{count} sets of statements",
        statement_outlets(rec, dataset, every), quoted, basis_sentence(rec), moved_words, CONFLICTS_ANCHOR)


def summary(rec, dataset: Dataset) -> Markup:
    """The result in a few sentences, generated from it."""
    numbers = claim_numbers(dataset)
    months = list(rec.months)
    if not months:
        return Markup('<div class="ds-summary"><p>No claim speaks of a month of {} under the reading '
                      '“{}”.</p></div>').format(series_words(rec.series), rec.reading.name)
    exact = [r for r in months if r.determined]
    window = Period(months[0].months[0], months[-1].months[0]).label()
    open_ended = [r for r in months if r.high is None]
    widest = (open_ended[0] if open_ended else
              max((r for r in months if not r.determined), key=lambda r: r.high - r.low, default=None))
    exact_words = ", ".join(f"{month_name(r.months[0], short=True)} {r.low:,}" for r in exact)
    parts = [Markup("<p><strong>In short.</strong> Reading “{}”: {}</p>").format(
                 rec.reading.name, rec.reading.description),
             Markup("<p>The series of {} covers {} ({} months). {} of them {} exact{}.").format(
                 series_words(rec.series), window, len(months), len(exact),
                 "is" if len(exact) == 1 else "are", f": {exact_words}" if exact else "")]
    if widest is not None:
        parts.append(Markup(" The widest range is {}: {}.").format(
            month_name(widest.months[0], short=True), range_words(widest)))
    rests = sorted({c for r in exact for c in (*r.low_rests_on, *r.high_rests_on)}, key=numbers.__getitem__)
    if rests:
        sources = list(dict.fromkeys(dataset.claim(c).source for c in rests))
        parts.append(Markup(" The exact values rest on {} quote(s) from {} source(s): {}.").format(
            len(rests), len(sources), refs(rests, numbers)))
    parts.append(Markup(" {}</p>").format(
        basis_sentence(rec) if rec.feasible else
        "The ranges rest only on the claims outside every conflict set (see the conflict above)."))
    if rec.out_of_time:
        parts.insert(0, Markup("<p><strong>Not finished.</strong> {}</p>").format(unfinished_words(rec)))
    return Markup('<div class="ds-summary">{}</div>').format(Markup("").join(parts))


def unfinished_words(rec) -> str:
    """What a run cut short by its time budget left unproven, in one sentence."""
    ranges = (*rec.months, *rec.periods)
    unproven = sum(not r.proven for r in ranges)
    unexplained = sum(not r.explained for r in ranges)
    return (f"The time budget of {rec.budget:g} s ran out: {unproven} of {len(ranges)} ranges are not "
            f"proven (each says so, with the interval its ends lie in) and {unexplained} are not "
            f"explained; give more time with the budget parameter (reconstruct --budget).")


def build_date(dataset: Dataset) -> str:
    """The page's date, never the clock: SOURCE_DATE_EPOCH, else the last commit touching the
    data directory, else the newest date of its sources' records (date published or accessed)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        epoch = _last_commit(dataset)
    if epoch.isdigit():
        return time.strftime("%d %b %Y", time.gmtime(int(epoch))).lstrip("0")
    dates = sorted(str(s.provenance.get(k)) for s in dataset.sources.values()
                   for k in ("date_published", "date_accessed") if s.provenance.get(k))
    return _date_words(dates[-1]) if dates else "undated"


def _last_commit(dataset: Dataset) -> str:
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=dataset.directory,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _date_words(date: str) -> str:
    if len(date) == 7:
        return month_name(date, short=True)
    if len(date) >= 10:
        return f"{int(date[8:10])} {month_name(date[:7], short=True)}"
    return date


def data_fingerprint(dataset: Dataset) -> str:
    """SHA-256 of every file of the data directory (names and bytes), the first 12 digits."""
    digest = hashlib.sha256()
    for path in sorted(p for p in dataset.directory.rglob("*") if p.is_file()):
        digest.update(path.relative_to(dataset.directory).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def package_version() -> str:
    try:
        return metadata.version("desertion-series")
    except metadata.PackageNotFoundError:
        return "unknown"


def export_dir(rec) -> str:
    return f"exports/{rec.reading.name}"


def page_header(rec, dataset: Dataset) -> Markup:
    """Under the title: the date, the link to the index and to this reading's data."""
    return Markup('<p class="ds-note">Built {} · <a href="index.html">All reports</a> · '
                  '<a href="#download">Download the data</a> · <a href="#cite">How to cite</a></p>').format(
        build_date(dataset))


def page_footer(rec, dataset: Dataset) -> Markup:
    """Downloads of this reading's numbers and how to cite the page."""
    folder = export_dir(rec)
    links = Markup(", ").join(Markup('<a href="{}/{}">{}</a>').format(folder, name, name) for name in EXPORT_FILES)
    return Markup(
        '<h2 id="download">Download the data</h2><p>This reading’s months and claims: {} '
        '(a Frictionless Data Package), written beside this page in <code>{}/</code>.</p>'
        '<h2 id="cite">How to cite</h2><p class="ds-cite">desertion-series, “{}”, built {}. '
        'Data fingerprint (SHA-256) {}; desertion-series {}.</p>'
        '<p><a href="index.html">Back to all reports</a></p>').format(
        links, folder, page_title(rec), build_date(dataset), data_fingerprint(dataset), package_version())
