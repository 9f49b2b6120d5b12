"""What is shared is safe to open and tells nothing about the machine that built it.

    escaped     markup and <script> in a source text, a source title and provenance, a claim
                quote and note, a reading's name and description, a report parameter: all reach
                the HTML as text
    private     no report names the project root, the output or temporary folder, the home
                folder, the user or the host, or the value of an environment variable
    inert       YAML tags that would run code are refused before anything runs; a notebook
                parameter that looks like code is passed as a value (papermill writes literals)

One crafted project is built once (two reports, the index, the exports; about 15 s) in a
subprocess with a distinctive environment variable; the tests that read it are marked slow.
"""
from __future__ import annotations

import ast
import copy
import getpass
import hashlib
import html
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import papermill
import pytest
import yaml

from helpers import paths
from helpers.data.dataset import load_dataset
from helpers.errors import SchemaError
from helpers.reports.config import load_jobs

SEED = "000_53cf863e7d9b0b6b"
SECRET = "DESERTION_SERIES_CANARY"
SECRET_VALUE = "cAnArY-7f3q9-zx81-value-of-an-environment-variable"
# Markup and script placed in every kind of text a report shows; each is named, so a leak says where.
TEXT_PARAGRAPH = ("\n\nMarkup in the text: <script>alert('source-text')</script> "
                  "<img src=x onerror=alert('source-img')> and a quoted "
                  "<script>alert('claim-quote')</script> here.\n")
QUOTE = "<script>alert('claim-quote')</script>"
NOTE = "<script>alert('claim-note')</script><b>claim-note</b>"
TITLE = "A title <script>alert('source-title')</script><i>source-title</i>"
PUBLISHER = "<img src=x onerror=alert('source-publisher')>"
DESCRIPTION = "<script>alert('reading-description')</script> Appeals and attempts are one count."
# A reading whose name is markup and code at once: the report parameter `reading` carries it.
READING = "x\"; import os; os.system('touch pwned-by-parameter') #<script>alert('reading-name')</script>"
MARKERS = ["source-text", "source-img", "claim-quote", "claim-note", "source-title",
           "source-publisher", "reading-description", "reading-name"]
REPORTS_YML = f"""\
reports:
  - name: monthly
    notebook: monthly_series.ipynb
    parameters:
      reading: {yaml.safe_dump(READING, default_style='"').strip()}
  - name: source
    notebook: source_view.ipynb
"""


def crafted_project(root: Path) -> Path:
    """The project's notebooks and a copy of data/ with markup in every text a report shows."""
    shutil.copytree(paths.default_data_dir(), root / "data")
    (root / "notebooks").mkdir()
    for name in ("monthly_series.ipynb", "source_view.ipynb"):
        shutil.copy(paths.notebooks_dir() / name, root / "notebooks" / name)
    shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
    (root / "notebooks" / "reports.yml").write_text(REPORTS_YML, encoding="utf-8")

    text = root / "data" / "sources" / f"{SEED}.txt"
    text.write_text(text.read_text(encoding="utf-8") + TEXT_PARAGRAPH, encoding="utf-8")
    record_path = root / "data" / "sources" / f"{SEED}.yml"
    record = yaml.safe_load(record_path.read_text(encoding="utf-8"))
    record.update(sha256=hashlib.sha256(text.read_bytes()).hexdigest(), title=TITLE,
                  publisher=PUBLISHER)
    record["inferred"]["publisher"] = PUBLISHER
    record_path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")

    claims_path = root / "data" / "claims" / f"{SEED}.yml"
    claims = yaml.safe_load(claims_path.read_text(encoding="utf-8"))
    claims["claims"][0]["note"] = NOTE
    claims["claims"].append({"id": "markup-quote", "kind": "context", "series": "appeals",
                             "quote": QUOTE, "note": NOTE})
    claims_path.write_text(yaml.safe_dump(claims, sort_keys=False, allow_unicode=True), encoding="utf-8")

    readings_path = root / "data" / "readings.yml"
    readings = yaml.safe_load(readings_path.read_text(encoding="utf-8"))
    crafted = dict(copy.deepcopy(readings["readings"]["one-series"]), description=DESCRIPTION)
    readings["readings"] = {READING: crafted, **readings["readings"]}
    readings_path.write_text(yaml.safe_dump(readings, sort_keys=False, allow_unicode=True),
                             encoding="utf-8")
    load_dataset(root / "data")  # the crafted data set is valid: only its texts are hostile
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    root = crafted_project(tmp_path_factory.mktemp("crafted") / "project")
    out = root / "reports"
    env = {**os.environ, "DESERTION_SERIES_ROOT": str(root), SECRET: SECRET_VALUE}
    done = subprocess.run([sys.executable, "-m", "helpers", "build", "--out", str(out), "--jobs", "2",
                           "--quiet"], env=env, cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir()) if p.is_file()}
    assert {"monthly.html", "monthly.code.html", "source.html", "source.code.html", "index.html",
            "series.csv", "claims.csv", "datapackage.json", "annotations.jsonld"} <= set(files)
    return {"root": root, "out": out, "files": files}


def pages(built: dict) -> dict[str, str]:
    return {name: text for name, text in built["files"].items() if name.endswith(".html")}


def without_styles_and_data(page: str) -> str:
    """The page without <style> blocks and data: URIs (base64 images and fonts), where any short
    string turns up by chance."""
    page = re.sub(r"<style\b.*?</style>", " ", page, flags=re.S | re.I)
    return re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+", " ", page)


def visible_text(page: str) -> str:
    """What a reader sees: no styles, no data: URIs, no tags, entities decoded."""
    page = re.sub(r"<script\b.*?</script>", " ", without_styles_and_data(page), flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# --- escaped ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_no_report_holds_a_script_or_an_event_handler(built):
    for name, page in pages(built).items():
        assert not re.search(r"<script\b", page, re.I), name  # the template itself has none
        assert not re.search(r"<img\s+src=x", page, re.I), name
        assert not re.search(r"<[a-z][^<>]*\son\w+\s*=", page, re.I), f"{name}: an event handler"
        assert "<b>claim-note</b>" not in page and "<i>source-title</i>" not in page, name


IN_MONTHLY = [m for m in MARKERS if m != "claim-note"]  # notes show in the source view only


@pytest.mark.slow
@pytest.mark.parametrize("report,shown", [
    ("monthly.html", IN_MONTHLY),
    ("monthly.code.html", IN_MONTHLY),
    ("source.html", ["source-text", "source-img", "claim-quote", "claim-note", "source-title",
                     "source-publisher"]),
    ("index.html", ["reading-name"]),
])
def test_every_hostile_text_is_shown_as_text(built, report, shown):
    """Each crafted text did reach the page (so the test above is not vacuous), as text."""
    page = pages(built)[report]
    text = visible_text(page)
    for marker in shown:
        assert re.search(rf"alert\('{marker}'\)", text), f"{report}: {marker} is not shown"
    assert "&lt;script&gt;" in page


@pytest.mark.slow
def test_the_exports_keep_hostile_text_as_data(built):
    """CSV and JSON carry the texts verbatim (they are data, not markup), in valid files."""
    import csv
    import io
    import json

    claims = list(csv.DictReader(io.StringIO(built["files"]["claims.csv"])))
    assert next(row for row in claims if row["id"] == "markup-quote")["quote"] == QUOTE
    assert json.loads(built["files"]["datapackage.json"])["sources"][0]["title"] == TITLE
    json.loads(built["files"]["annotations.jsonld"])


# --- private ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_no_report_names_the_machine(built):
    root, out = built["root"], built["out"]
    folders = {str(root), str(out), str(paths.project_root()), str(Path.home()), os.getcwd(),
               str(Path(os.environ.get("TMPDIR", "/tmp")).resolve())}
    words = {getpass.getuser(), socket.gethostname(), os.uname().nodename}
    for name, content in built["files"].items():
        assert SECRET_VALUE not in content, f"{name} holds an environment variable's value"
        searched = without_styles_and_data(content) if name.endswith(".html") else content
        for folder in folders:
            # A path ends at a quote, a separator, white space or the end: not inside a longer word.
            assert not re.search(re.escape(folder) + r"(?=[/\\\"'\s<>)]|$)", searched), \
                f"{name} holds the path {folder}"
        if name.endswith(".html"):
            text = visible_text(content)
            for word in words:
                assert not re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w.-])", text), \
                    f"{name} shows {word!r} as a word"


def test_the_machine_check_can_fail():
    """The check above would see a host name, a home folder and a path, but not inside base64."""
    host = os.uname().nodename
    page = (f"<style>.{host} {{}}</style><img src=\"data:image/png;base64,AAAA{host}BBBB\">"
            f"<p>built on {host} in {Path.home()}/reports</p>")
    assert re.search(rf"(?<![\w.-]){re.escape(host)}(?![\w.-])", visible_text(page))
    assert str(Path.home()) + "/reports" in without_styles_and_data(page)
    assert host not in without_styles_and_data(page.replace(f"built on {host}", ""))


# --- inert ------------------------------------------------------------------------------------

PAYLOADS = {
    "object/apply": "!!python/object/apply:os.system ['touch {marker}']",
    "object/new": "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "name": "!!python/name:os.system",
    "module": "!!python/module:os",
}
TARGETS = {  # a file of the data set, a line of it, and that line with the payload as a value
    "claims": (f"claims/{SEED}.yml", "    value: 577\n", "    value: {payload}\n"),
    "source record": (f"sources/{SEED}.yml", "language: en\n", "language: {payload}\n"),
    "vocabulary": ("vocabulary.yml", '  most: "(0.5, 1]"\n', "  most: {payload}\n"),
    "readings": ("readings.yml", "default: one-series\n", "default: {payload}\n"),
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("tag", PAYLOADS)
def test_a_yaml_payload_is_refused_and_never_runs(data_copy, tmp_path, monkeypatch, target, tag):
    marker = tmp_path / "pwned-by-yaml"
    monkeypatch.chdir(tmp_path)
    file, old, new = TARGETS[target]
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (file, old)
    path.write_text(text.replace(old, new.replace("{payload}", PAYLOADS[tag].format(marker=marker))),
                    encoding="utf-8")
    with pytest.raises(SchemaError, match="YAML tag not allowed in data files"):
        load_dataset(data_copy)
    assert not marker.exists()


def test_a_yaml_payload_in_the_reports_configuration_is_refused(tmp_path, monkeypatch):
    marker = tmp_path / "pwned-by-yaml"
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "reports.yml"
    config.write_text("reports:\n  - name: x\n    notebook: source_view.ipynb\n"
                      f"    parameters: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(SchemaError, match="YAML tag not allowed"):
        load_jobs(config, load_dataset(None), "notebooks/reports.yml")
    assert not marker.exists()


@pytest.mark.parametrize("value", [
    READING,
    "'''; import os; os.system('touch pwned-by-parameter'); '''",
    "\\\"; import os; os.system('touch pwned-by-parameter') #",
    "\n__import__('os').system('touch pwned-by-parameter')\n",
])
def test_papermill_injects_parameters_as_literals(tmp_path, value):
    """The parameters cell papermill writes is assignments of constants, each equal to the value
    given, whatever quotes, backslashes or line breaks it holds: nothing in it is code."""
    injected = papermill.parameterize.parameterize_notebook(
        papermill.iorw.load_notebook_node(str(paths.notebooks_dir() / "monthly_series.ipynb")),
        {"reading": value, "series": value})
    cell = next(c for c in injected.cells if "injected-parameters" in c.metadata.get("tags", []))
    tree = ast.parse(cell.source)
    assigned = {}
    for statement in tree.body:
        assert isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant), \
            ast.dump(statement)
        assigned[statement.targets[0].id] = statement.value.value
    assert assigned == {"reading": value, "series": value}


@pytest.mark.slow
def test_a_reading_name_that_looks_like_code_ran_as_a_value(built):
    """The monthly report was executed with READING as its `reading` parameter: it shows that
    reading's description, and the command in the name never ran (the kernel's working folder
    is notebooks/)."""
    root = built["root"]
    for folder in (root, root / "notebooks", root / "reports", Path.cwd()):
        assert not (folder / "pwned-by-parameter").exists(), folder
    text = visible_text(pages(built)["monthly.html"])
    assert READING in text
    assert html.unescape(DESCRIPTION) in text
