"""The index page of an output directory: every report, its parameters, inputs and state."""
from __future__ import annotations

import json
import os
import time

from markupsafe import Markup, escape

from helpers.present.views import html_table

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>desertion-series reports</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 2em auto; padding: 0 1em; }}
.ds-table {{ border-collapse: collapse; width: 100%; }}
.ds-table th, .ds-table td {{ border-bottom: 1px solid #ddd; padding: 0.35em 0.6em; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }}
.ds-table th {{ background: #f4f4f4; }}
.stale {{ color: #b71c1c; font-weight: 600; }}
code {{ font-size: 0.9em; }}
</style></head>
<body><main>
<h1>desertion-series reports</h1>
<p>Each report is a notebook executed with the parameters shown. <em>current</em>: built from
the inputs whose fingerprint is shown. <em>stale</em>: the last build of it failed; the page
still shows the last good build, and the failed run is linked for debugging.{dated}</p>
{table}
<p>Data for other tools: <a href="series.csv">series.csv</a>, <a href="claims.csv">claims.csv</a>,
<a href="datapackage.json">datapackage.json</a> (Frictionless Data Package),
<a href="annotations.jsonld">annotations.jsonld</a> (W3C Web Annotations).</p>
</main></body></html>
"""


def render_index(rows: list[dict]) -> str:
    """``rows``: name, parameters, fingerprint, state ("current"|"stale"|"missing"), has_output."""
    cells = []
    for row in rows:
        name = row["name"]
        links = (Markup('<a href="{0}.html">{0}</a> (<a href="{0}.code.html">with code</a>)').format(name)
                 if row["has_output"] else escape(name))
        if row["state"] == "current":
            state = Markup("current")
        else:
            what = "stale" if row["has_output"] else "never built"
            state = Markup('<span class="stale">{}</span>: last build failed (<a href=".failed/{}.html">'
                           'failed run</a>)').format(what, name)
        params = Markup("<code>{}</code>").format(json.dumps(row["parameters"], sort_keys=True))
        cells.append((links, params, Markup("<code>{}</code>").format(row["fingerprint"][:12]), state))
    return PAGE.format(table=html_table(["Report", "Parameters", "Inputs' fingerprint", "State"], cells),
                       dated=_dated())


def _dated() -> str:
    """A date only when SOURCE_DATE_EPOCH fixes it, so two builds give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return ""
    return f" Built as of {time.strftime('%Y-%m-%d', time.gmtime(int(epoch)))}."
