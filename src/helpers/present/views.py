"""HTML fragments a report notebook displays: every number beside the quotes it rests on.

Claims are numbered [1], [2], ... in data-set order; every reference links to the claim's row
(``#claim-<id>``), and the claim's row links to its highlighted quote in the source
(``#quote-<id>``). All text from the data set is escaped: a quote containing markup shows as text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from helpers.core.enums import ClaimStatus, ComparisonScope
from helpers.data.dataset import Dataset
from helpers.data.statements import statement_of
from helpers.core.months import Period, calendar_name, month_name
from helpers.present.words import describe, range_words

NOT_EXPLAINED = "not found: the time budget ran out"
NOT_COMPUTED = "not computed: the time budget ran out"

# How each claim status shows in a report: report.css has one ``.ds-status-<status>`` rule per
# status, rendered from this (reports.html.export_html hands it to the template).
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
    rows = [(month_name(r.months[0]), range_words(r),
             "yes" if r.determined else "no",
             refs(r.low_rests_on, numbers) or (NOT_EXPLAINED if not r.explained else "counts are never negative"),
             refs(r.high_rests_on, numbers) or (NOT_EXPLAINED if not r.explained else
                                                "no claim bounds it" if r.high is None else ""),
             derivation(r.derivation, numbers))
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


_CITED = re.compile(r"\[([A-Za-z0-9_.-]+)\]")
_MONTHS = re.compile(r"(\d{4}-\d{2})(?:\.\.(\d{4}-\d{2}))?")


def derivation(text: str | None, numbers: dict[str, int]) -> Markup:
    """A derivation with its claim ids as links ([jun-54] -> [5]) and its months as words."""
    if not text:
        return Markup("")
    pieces, at = [], 0
    for found in _CITED.finditer(text):
        pieces.append(escape(_month_words(text[at:found.start()])))
        cid = found.group(1)
        pieces.append(refs([cid], numbers) if cid in numbers else escape(found.group(0)))
        at = found.end()
    pieces.append(escape(_month_words(text[at:])))
    return Markup("").join(pieces)


def _month_words(text: str) -> str:
    return _MONTHS.sub(lambda m: Period(m.group(1), m.group(2) or m.group(1)).label()
                       if m.group(2) else month_name(m.group(1), short=True), text)


def periods_table(rec, dataset: Dataset) -> Markup:
    """Every period total: named by a claim, a calendar quarter or year the window covers, a run
    of undetermined months, or asked for (the ``periods`` parameter)."""
    numbers = claim_numbers(dataset)
    rows = [(period_label(Period(r.months[0], r.months[-1]), rec.requested),
             range_words(r),
             "yes" if r.tighter_than_months else "no",
             refs(r.low_rests_on, numbers) or (NOT_EXPLAINED if not r.explained else ""),
             refs(r.high_rests_on, numbers) or (NOT_EXPLAINED if not r.explained else ""),
             derivation(r.derivation, numbers))
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


def outlet(dataset: Dataset, source_id: str) -> str:
    """A source as a reader knows it: its publisher, or its title when the publisher is unknown."""
    source = dataset.sources[source_id]
    return source.provenance.get("publisher") or source.title


def outlets(dataset: Dataset, source_ids: Iterable[str]) -> str:
    return ", ".join(outlet(dataset, s) for s in source_ids)


def attested_quotes(dataset: Dataset, claim_ids: Sequence[str]) -> Markup:
    """Every outlet's words for one statement, each linking to its highlighted quote, with the
    outlet named when several outlets give it."""
    several = len(claim_ids) > 1
    return Markup("<br>").join(
        Markup('<a class="ds-quote" href="#quote-{}">“{}”</a>{}').format(
            cid, dataset.claim(cid).quote,
            Markup(' <span class="ds-note">({})</span>').format(outlet(dataset, dataset.claim(cid).source))
            if several else "")
        for cid in claim_ids)


def members(rec, dataset: Dataset, statement: str) -> list[str]:
    """The claims of a statement (its own id alone when the reconstruction does not know it)."""
    found = next((s for s in rec.statuses if s.claim == statement), None)
    return [a.claim for a in found.attestations] if found and found.attestations else [statement]


def claims_table(rec, dataset: Dataset) -> Markup:
    """One row per statement: every outlet's words, how many sources attest it, its status."""
    numbers = claim_numbers(dataset)
    rows, row_ids = [], []
    for s in rec.statuses:
        ids = members(rec, dataset, s.claim)
        claim = dataset.claim(s.claim)
        anchors = Markup("").join(Markup('<span id="claim-{}"></span>').format(c) for c in ids[1:])
        sources = list(dict.fromkeys(dataset.claim(c).source for c in ids))
        attested = f"{len(sources)}: {outlets(dataset, sources)}" if len(sources) > 1 else "1"
        rows.append((Markup("{}{}").format(anchors, Markup(" = ").join(
                         Markup("[{}]").format(numbers[c]) for c in ids)),
                     attested_quotes(dataset, ids), s.claim, claim.series, describe(claim),
                     attested, status_label(s.status), s.reason, used_by(rec, s.claim)))
        row_ids.append(f"claim-{s.claim}")
    return html_table(["#", "Quote (links to the source)", "Claim id", "Series", "Read as",
                       "Sources attesting it", "Status", "Why", "Bounds resting on it"],
                      rows, row_ids=row_ids)


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
    reconstruction of its own default series (engine.reconstruct.every_reading), or None when
    the time budget ran out before it was begun."""
    months = sorted({r.months[0] for rec in results.values() if rec for r in rec.months})
    headers = ["Month"] + [f"{name} ({rec.series})" if rec else f"{name} ({NOT_COMPUTED})"
                           for name, rec in results.items()]
    rows = []
    for month in months:
        row: list[object] = [month_name(month, short=True)]
        for rec in results.values():
            found = next((r for r in rec.months if r.months[0] == month), None) if rec else None
            row.append(range_words(found) if found else "–" if rec else NOT_COMPUTED)
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
            ("comparisons cover", "the claim's stated scope (without one: its source's months)"
             if reading.comparison_scope == ComparisonScope.STATED else "every month of the window"),
            ("alternatives chosen", ", ".join(f"{k}: {v}" for k, v in reading.alternatives.items())
             or "none: every claim as written"),
            ("extremes", "strict (no ties)" if reading.strict_extremes else "ties allowed"),
            ("window", f"{rec.window.start} to {rec.window.end}" if rec.window else "no months")]
    return html_table(["Choice", "Value"], rows)


def vocabulary_view(dataset: Dataset) -> Markup:
    return html_table(["Kind", "Words", "Interval"], dataset.vocabulary.rows())


def statement_outlets(rec, dataset: Dataset, statements: Sequence[str]) -> str:
    """'the Northern Ledger, Baltic Wire and the Steppe Courier': every outlet of the statements."""
    names = list(dict.fromkeys(outlet(dataset, dataset.claim(c).source)
                               for s in statements for c in members(rec, dataset, s)))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _ranges_in_words(months) -> str:
    return "; ".join(f"{month_name(r.months[0], short=True)}: {range_words(r)}"
                     for r in months)


def conflicts_view(rec, dataset: Dataset) -> Markup:
    """Every minimal conflict set in plain words, with every outlet's quotes; what setting each
    statement aside does; and the smallest groups whose removal lets everything else hold."""
    if not rec.conflicts:
        return Markup('<p id="conflicts">All claims can hold together: no conflict.</p>')
    numbers = claim_numbers(dataset)
    blocks = [Markup("<p>{}</p>").format(
        f"{len(rec.conflicts)} minimal set(s) of statements cannot all be true, though any smaller "
        "part of each can." + ("" if rec.conflicts_complete else
                               " The search stopped when the time budget ran out: more may exist."
                               if rec.conflict_search_out_of_time else
                               f" The search stopped at its limit of {rec.conflict_limit}: more may exist."))]
    for number, conflict in enumerate(rec.conflicts, start=1):
        quotes = Markup("").join(
            Markup("<li>{} {}</li>").format(refs([cid], numbers), attested_quotes(dataset, members(rec, dataset, cid)))
            for cid in conflict.claims)
        alternatives = Markup("").join(
            Markup("<li>Setting aside {}{}: {}</li>").format(
                refs([alt.set_aside], numbers),
                f" (all {len(members(rec, dataset, alt.set_aside))} outlets' words)"
                if len(members(rec, dataset, alt.set_aside)) > 1 else "",
                _ranges_in_words(alt.months) if alt.feasible else NOT_COMPUTED if alt.feasible is None
                else "the rest still conflicts (another set remains)")
            for alt in conflict.alternatives)
        blocks.append(Markup('<div class="ds-conflict"><p><strong>Conflict {}</strong>: these {} '
                             'statements, from {}, cannot all be true.</p><ul>{}</ul>'
                             '<p>Setting one aside:</p><ul>{}</ul></div>').format(
            number, len(conflict.claims), statement_outlets(rec, dataset, conflict.claims), quotes, alternatives))
    if rec.corrections:
        items = Markup("").join(
            Markup("<li>Set aside {} ({}): then {}</li>").format(
                refs(c.claims, numbers), statement_outlets(rec, dataset, c.claims), _ranges_in_words(c.months))
            for c in rec.corrections)
        blocks.append(Markup("<p><strong>Ways to make everything else hold</strong>: the smallest groups "
                             "of statements whose removal leaves claims that can all be true, each "
                             "with the ranges that then result.</p><ul>{}</ul>").format(items))
    return Markup('<div id="conflicts">{}</div>').format(Markup("").join(blocks))


def source_section(dataset: Dataset, source_id: str) -> Markup:
    """A source's heading, provenance and highlighted text."""
    title = dataset.sources[source_id].title
    return Markup('<h3 id="source-{}">{}</h3>{}{}').format(
        source_id, title, provenance(dataset, source_id), source_text(dataset, source_id))


def source_claims_table(dataset: Dataset, source_id: str) -> Markup:
    """The claims read from one source, without any reconstruction: what each quote is read as."""
    numbers = claim_numbers(dataset)
    statement = statement_of(dataset.claims)

    def also(c) -> str:
        others = [o for o in statement[c.id].claims if o.id != c.id]
        return "; ".join(f"[{numbers[o.id]}] {o.id} ({outlet(dataset, o.source)})" for o in others)

    def alternatives(c) -> str:
        return "; ".join(f"{a.name}: " + ", ".join(f"{k} {v}" for k, v in a.fields) for a in c.alternatives)

    rows = [(Markup('<a class="ds-ref" href="#quote-{}">[{}]</a>').format(c.id, numbers[c.id]),
             Markup('<span class="ds-quote">“{}”</span>').format(c.quote), c.id, c.series, describe(c),
             also(c), alternatives(c), c.note or "")
            for c in dataset.claims if c.source == source_id]
    return html_table(["#", "Quote", "Claim id", "Series", "Read as", "Same statement in",
                       "Alternative readings", "Note"], rows,
                  row_ids=[f"claim-{c.id}" for c in dataset.claims if c.source == source_id])
