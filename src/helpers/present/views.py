"""HTML fragments a report notebook displays: every number beside the quotes it rests on.

Claims are numbered [1], [2], ... in data-set order; every reference links to the claim's row
(``#claim-<id>``), and the claim's row links to its highlighted quote in the source
(``#quote-<id>``). All text from the data set is escaped: a quote containing markup shows as text.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from helpers.core.enums import ClaimStatus, ExtremumScope
from helpers.data.dataset import Dataset
from helpers.core.months import Period, calendar_name, month_name
from helpers.present.words import describe, format_range

# How each claim status shows in a report: report.css has one ``.ds-status-<status>`` rule per
# status, rendered from this (reports.report.export_html hands it to the template).
STATUS_STYLES: dict[ClaimStatus, str] = {
    ClaimStatus.BINDING: "color: #1b5e20;",
    ClaimStatus.CORROBORATING: "color: #0d47a1;",
    ClaimStatus.JOINT: "color: #6a1b9a;",
    ClaimStatus.CONTEXT: "color: #616161;",
    ClaimStatus.CONFLICTING: "color: #b71c1c; font-weight: 600;",
    ClaimStatus.UNEXAMINED: "color: #616161; font-style: italic;",
}


def status_styles() -> list[tuple[str, str]]:
    """(status, CSS declarations) for every claim status, for the stylesheet's rules."""
    return [(str(status), STATUS_STYLES[status]) for status in ClaimStatus]


def claim_numbers(dataset: Dataset) -> dict[str, int]:
    return {claim.id: number for number, claim in enumerate(dataset.claims, start=1)}


def refs(claim_ids: Iterable[str], numbers: dict[str, int]) -> Markup:
    """Links like [1] [6] [10] to the claims' rows."""
    return Markup(" ").join(
        Markup('<a class="ds-ref" href="#claim-{0}" title="claim {0}">[{1}]</a>').format(cid, numbers[cid])
        for cid in sorted(claim_ids, key=numbers.__getitem__))


def html_table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, numeric: set[int] = frozenset(),
           row_ids: Sequence[str] | None = None) -> Markup:
    head = Markup("").join(Markup("<th>{}</th>").format(h) for h in headers)
    body = []
    for index, row in enumerate(rows):
        cells = Markup("").join(
            Markup('<td class="num">{}</td>' if i in numeric else "<td>{}</td>").format(cell)
            for i, cell in enumerate(row))
        row_id = Markup(' id="{}"').format(row_ids[index]) if row_ids else Markup("")
        body.append(Markup("<tr{}>{}</tr>").format(row_id, cells))
    return Markup('<table class="ds-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>').format(
        head, Markup("").join(body))


def months_table(rec, dataset: Dataset) -> Markup:
    numbers = claim_numbers(dataset)
    rows = [(month_name(r.months[0]), format_range(r.low, r.high, r.determined),
             "yes" if r.determined else "no", refs(r.low_rests_on, numbers) or "counts are never negative",
             refs(r.high_rests_on, numbers) or ("no claim bounds it" if r.high is None else ""),
             r.derivation or "")
            for r in rec.months]
    return html_table(["Month", "Value or range", "Determined", "Lower bound rests on",
                   "Upper bound rests on", "Derivation"], rows, numeric={1},
                  row_ids=[f"month-{r.months[0]}" for r in rec.months])


def period_label(period: Period, requested: Sequence[Period] = ()) -> str:
    """A reader's name for a period: 'Q3 2023 (Jul–Sep 2023)', '2023 (Jan–Dec 2023)',
    'Sep–Nov 2023', with '(asked for)' after a period asked for."""
    name = calendar_name(period)
    label = period.label()
    if name and "-Q" in name:
        label = f"Q{name[-1]} {name[:4]} ({label})"
    elif name:
        label = f"{name} ({label})"
    return label + (" (asked for)" if period in requested else "")


def periods_table(rec, dataset: Dataset) -> Markup:
    """Every period total: named by a claim, a calendar quarter or year the window covers, a run
    of undetermined months, or asked for (the ``periods`` parameter)."""
    numbers = claim_numbers(dataset)
    rows = [(period_label(Period(r.months[0], r.months[-1]), rec.requested),
             format_range(r.low, r.high, r.determined),
             "yes" if r.tighter_than_months else "no",
             refs(r.low_rests_on, numbers), refs(r.high_rests_on, numbers), r.derivation or "")
            for r in rec.periods]
    return html_table(["Period", "Total", "Tighter than its months", "Lower bound rests on",
                   "Upper bound rests on", "Derivation"], rows, numeric={1})


def status_label(status: ClaimStatus) -> Markup:
    return Markup('<span class="ds-status-{0}">{0}</span>').format(status)


def status_legend() -> Markup:
    """What each claim status means, one line per status (from ClaimStatus)."""
    items = Markup("").join(Markup("<li>{}: {}</li>").format(status_label(status), status.description)
                            for status in ClaimStatus)
    return Markup('<ul class="ds-legend">{}</ul>').format(items)


def claims_table(rec, dataset: Dataset) -> Markup:
    numbers = claim_numbers(dataset)
    status = {s.claim: s for s in rec.statuses}
    rows = []
    for claim in dataset.claims:
        s = status.get(claim.id)
        label = status_label(s.status) if s else ""
        quote = Markup('<a class="ds-quote" href="#quote-{}">“{}”</a>').format(claim.id, claim.quote)
        rows.append((Markup("[{}]").format(numbers[claim.id]), quote, claim.id, claim.series,
                     describe(claim), label, s.reason if s else "", used_by(rec, claim.id)))
    return html_table(["#", "Quote (links to the source)", "Claim id", "Series", "Read as", "Status",
                   "Why", "Bounds resting on it"],
                  rows, row_ids=[f"claim-{c.id}" for c in dataset.claims])


def used_by(rec, claim_id: str) -> Markup:
    """Links to the months whose bounds rest on a claim, and the periods (named in full)."""
    links = [Markup('<a href="#month-{}">{}</a>').format(r.months[0], month_name(r.months[0], short=True))
             for r in rec.months if claim_id in (*r.low_rests_on, *r.high_rests_on)]
    periods = [Period(r.months[0], r.months[-1]).label() for r in rec.periods
               if claim_id in (*r.low_rests_on, *r.high_rests_on)]
    if periods:
        links.append(Markup("totals: {}").format(", ".join(periods)))
    return Markup(", ").join(links)


def context_view(rec, dataset: Dataset) -> Markup:
    """Claims outside the monthly model (another series, or no monthly content), with quotes."""
    numbers = claim_numbers(dataset)
    context = [s.claim for s in rec.statuses if s.status == ClaimStatus.CONTEXT]
    if not context:
        return Markup("<p>Every claim speaks of this series.</p>")
    rows = [(refs([cid], numbers), Markup('<a class="ds-quote" href="#quote-{}">“{}”</a>').format(
                cid, dataset.claim(cid).quote), dataset.claim(cid).series, describe(dataset.claim(cid)))
            for cid in context]
    return html_table(["#", "Quote", "Series", "Read as"], rows)


def readings_comparison(results: dict) -> Markup:
    """Each reading's ranges side by side: ``results`` maps a reading's name to its
    reconstruction of its own default series (engine.reconstruct.every_reading)."""
    months = sorted({r.months[0] for rec in results.values() for r in rec.months})
    headers = ["Month"] + [f"{name} ({rec.series})" for name, rec in results.items()]
    rows = []
    for month in months:
        row: list[object] = [month_name(month, short=True)]
        for rec in results.values():
            found = next((r for r in rec.months if r.months[0] == month), None)
            row.append(format_range(found.low, found.high, found.determined) if found else "–")
        rows.append(row)
    return html_table(headers, rows, numeric=set(range(1, len(headers))))


def source_text(dataset: Dataset, source_id: str) -> Markup:
    """The source's text with every claim's quote highlighted and numbered; quotes may overlap."""
    source = dataset.sources[source_id]
    numbers = claim_numbers(dataset)
    spans = sorted((a.start, a.end, cid) for cid, a in dataset.anchors.items()
                   if dataset.claim(cid).source == source_id)
    cuts = sorted({0, len(source.text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    started: set[str] = set()
    pieces = []
    for begin, end in zip(cuts, cuts[1:]):
        covering = [cid for s, e, cid in spans if s <= begin and end <= e]
        text = escape(source.text[begin:end])
        if not covering:
            pieces.append(text)
            continue
        ids = Markup("")
        for cid in covering:
            if cid not in started:  # the quote's anchor is its first piece
                started.add(cid)
                ids += Markup('<a class="ds-ref" href="#claim-{0}" id="quote-{0}">[{1}]</a>').format(
                    cid, numbers[cid])
        title = ", ".join(f"[{numbers[c]}] {c}" for c in covering)
        pieces.append(Markup('{}<mark class="ds-highlight" title="{}">{}</mark>').format(ids, title, text))
    return Markup('<div class="ds-source">{}</div>').format(Markup("").join(pieces))


def provenance(dataset: Dataset, source_id: str) -> Markup:
    record = dataset.sources[source_id].provenance
    inferred = record.get("inferred", {})
    rows = []
    for field in ("title", "publisher", "author", "url", "date_published", "date_accessed",
                  "language", "licence", "sha256"):
        value = record.get(field)
        shown = "unknown" if value is None else str(value)
        rows.append((field, shown, f"inferred: {inferred[field]}" if field in inferred else "stated"))
    for cited in record.get("cites", []):
        rows.append(("cites", ", ".join(str(cited[k]) for k in ("name", "kind", "date") if k in cited),
                     cited.get("note", "")))
    return html_table(["Field", "Value", "Known or inferred"], rows)


def reading_view(rec, dataset: Dataset) -> Markup:
    reading = rec.reading
    params = reading.parameters()
    mapped = ", ".join(f"{k} → {v}" for k, v in params["series_map"].items()
                       if v == rec.series and k != v) or "none (each series alone)"
    rows = [("reading", reading.name), ("meaning", reading.description),
            ("series reconstructed", rec.series), ("claim series counted as it", mapped),
            ("highest/lowest cover", "the claim's stated scope"
             if reading.extremum_scope == ExtremumScope.STATED else "every month of the window"),
            ("extremes", "strict (no ties)" if reading.strict_extremes else "ties allowed"),
            ("window", f"{rec.window.start} to {rec.window.end}" if rec.window else "no months")]
    return html_table(["Choice", "Value"], rows)


def vocabulary_view(dataset: Dataset) -> Markup:
    return html_table(["Kind", "Words", "Interval"], dataset.vocabulary.rows())


def conflicts_view(rec, dataset: Dataset) -> Markup:
    if not rec.conflicts:
        return Markup("<p>All claims can hold together: no conflict.</p>")
    numbers = claim_numbers(dataset)
    blocks = []
    for number, conflict in enumerate(rec.conflicts, start=1):
        quotes = Markup("").join(
            Markup("<li>{} “{}”</li>").format(refs([cid], numbers), dataset.claim(cid).quote)
            for cid in conflict.claims)
        alternatives = Markup("").join(
            Markup("<li>Setting aside {}: {}</li>").format(
                refs([alt.set_aside], numbers),
                "; ".join(f"{r.months[0]}: {format_range(r.low, r.high, r.determined)}"
                          for r in alt.months) if alt.feasible else "still conflicting")
            for alt in conflict.alternatives)
        blocks.append(Markup('<div class="ds-conflict"><p><strong>Conflict {}</strong>: these claims '
                             'cannot all hold, though any smaller set of them can.</p><ul>{}</ul>'
                             '<p>Alternatives:</p><ul>{}</ul></div>').format(number, quotes, alternatives))
    return Markup("").join(blocks)


def source_section(dataset: Dataset, source_id: str) -> Markup:
    """A source's heading, provenance and highlighted text."""
    title = dataset.sources[source_id].title
    return Markup('<h3 id="source-{}">{}</h3>{}{}').format(
        source_id, title, provenance(dataset, source_id), source_text(dataset, source_id))


def source_claims_table(dataset: Dataset, source_id: str) -> Markup:
    """The claims read from one source, without any reconstruction: what each quote is read as."""
    numbers = claim_numbers(dataset)
    rows = [(Markup('<a class="ds-ref" href="#quote-{}">[{}]</a>').format(c.id, numbers[c.id]),
             Markup('<span class="ds-quote">“{}”</span>').format(c.quote), c.id, c.series, describe(c),
             c.note or "")
            for c in dataset.claims if c.source == source_id]
    return html_table(["#", "Quote", "Claim id", "Series", "Read as", "Note"], rows,
                  row_ids=[f"claim-{c.id}" for c in dataset.claims if c.source == source_id])
