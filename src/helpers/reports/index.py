"""The index page of an output directory: every report, its parameters, inputs and state.

The page is the Jinja template templates/index/index.html.j2, which includes the reports' own
stylesheet (templates/offline/report.css), so the index's tables look like the reports' tables.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import jinja2

from helpers.present.views import status_styles

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FINGERPRINT_SHOWN = 12  # characters of the SHA-256 the page shows


def render_index(rows: list[dict]) -> str:
    """``rows``: name, parameters, fingerprint, state ("current"|"stale"|"missing"), has_output,
    and optionally ``facts`` (reports.facts.Facts: title, what the reading assumes, sources,
    the conflict line, the build date)."""
    shown = [{"name": row["name"], "has_output": row["has_output"], "state": row["state"],
              "parameters": json.dumps(row["parameters"], sort_keys=True),
              "fingerprint": row["fingerprint"][:FINGERPRINT_SHOWN],
              "facts": row.get("facts")} for row in rows]
    conflicts = sum(1 for row in shown if row["facts"] and row["facts"].conflict)
    return _environment().get_template("index.html.j2").render(
        rows=shown, built_on=_built_on(), conflicts=conflicts,
        resources={"ds_status_styles": status_styles()})


def _environment() -> jinja2.Environment:
    loader = jinja2.FileSystemLoader([str(TEMPLATES_DIR / "index"), str(TEMPLATES_DIR / "offline")])
    return jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)


def _built_on() -> str | None:
    """A date only when SOURCE_DATE_EPOCH fixes it, so two builds give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return None
    return time.strftime("%d %b %Y", time.gmtime(int(epoch))).lstrip("0")
