"""Notebooks as researchers use them: in a running JupyterLab, with the project's kernel.

A JupyterLab server from the project's environment (as `make lab` starts it: root notebooks/,
no kernel named on the command line) runs on a free loopback port with a random token and its
own runtime folder, isolated from the user's Jupyter configuration and kernels. Through its REST
API the tests check the kernels it offers, open monthly_series.ipynb as JupyterLab does (a
session for the notebook, on the default kernel), execute every cell over the kernel's websocket
with the notebook's default parameters, and compare what it shows with the build: the same
tables as the built report and the same JSON as `python -m helpers reconstruct --format json`.
Last, the server is shut down through its API and nothing may be left running.

Every wait is bounded: the server's start, each request, each cell.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import paths
from helpers.data.dataset import load_dataset
from helpers.reports.kernel import KERNEL_NAME
from helpers.reports.report import DATA_TAG

pytestmark = pytest.mark.slow

NOTEBOOK = "monthly_series.ipynb"
START_SECONDS = 90        # the server answers /api/status
REQUEST_SECONDS = 30      # one REST request
CELL_SECONDS = 180        # one cell, from request to the kernel's idle status
STOP_SECONDS = 30         # the server exits after /api/shutdown; a kernel after its session ends


# --- the server ----------------------------------------------------------------------------------

@dataclass
class Lab:
    process: subprocess.Popen
    port: int
    token: str
    runtime: Path
    log: Path
    kernel_pids: list[int] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        request = urllib.request.Request(
            self.base + path, method=method, headers={"Authorization": f"token {self.token}",
                                                      "Content-Type": "application/json"},
            data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if text.strip() else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for a parent to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return not re.search(r"^State:\s+Z", status, re.M)


def _start(tmp: Path) -> Lab:
    runtime, user_config, user_data = tmp / "runtime", tmp / "config", tmp / "data"
    for folder in (runtime, user_config, user_data):
        folder.mkdir()
    env = {**os.environ,
           # The server's connection files here; the user's own config and kernels out of sight,
           # so what is tested is the project's environment (.venv/etc, .venv/share) alone.
           "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_CONFIG_DIR": str(user_config),
           "JUPYTER_DATA_DIR": str(user_data), "IPYTHONDIR": str(tmp / "ipython")}
    token = secrets.token_hex(24)
    log = tmp / "server.log"
    for _ in range(3):  # a free port can be taken between the probe and the bind: try another
        port = _free_port()
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                 f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                 f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={paths.notebooks_dir()}",
                 *(["--allow-root"] if os.geteuid() == 0 else [])],  # as `make lab` does
                cwd=paths.project_root(), env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT)
        lab = Lab(process, port, token, runtime, log)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if lab.api("GET", "/api/status")[0] == 200:
                    return lab
            except OSError:
                pass
            time.sleep(0.5)
        if process.poll() is None:
            _stop(process)
            pytest.fail(f"JupyterLab did not answer within {START_SECONDS} s:\n{lab.log_tail()}")
        if "already in use" not in log.read_text(errors="replace"):
            break
    pytest.fail(f"JupyterLab exited with {process.returncode} at start:\n{lab.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_SECONDS)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    lab = _start(tmp_path_factory.mktemp("lab"))
    yield lab
    # Normally test_shutdown_leaves_nothing_running has stopped it; this only cleans up after a
    # failure or a partial run (-k), and never leaves the server or a kernel behind.
    if lab.process.poll() is None:
        _stop(lab.process)
    for pid in lab.kernel_pids:
        if _alive(pid):
            os.kill(pid, 9)


# --- a notebook run over the kernel's websocket, as JupyterLab runs it ---------------------------

class Kernel:
    """The kernel's channels (/api/kernels/<id>/channels), messages as JSON."""

    def __init__(self, lab: Lab, kernel_id: str):
        import websocket

        self.session = uuid.uuid4().hex
        self.socket = websocket.create_connection(
            f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel_id}/channels?session_id={self.session}",
            header=[f"Authorization: token {lab.token}"], timeout=CELL_SECONDS)

    def execute(self, code: str) -> dict:
        """Run ``code``; its reply status and outputs, once the kernel is idle again."""
        msg_id = uuid.uuid4().hex
        self.socket.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session,
                       "username": "test", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, status, idle = [], None, False
        deadline = time.monotonic() + CELL_SECONDS
        while status is None or not idle:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer within {CELL_SECONDS} s to {code[:60]!r}")
            message = json.loads(self.socket.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "execute_reply":
                status = content["status"]
                if status == "error":
                    outputs.append({"output_type": "error", **content})
            elif kind == "status":
                idle = content["execution_state"] == "idle"
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"output_type": kind, **content})
        return {"status": status, "outputs": outputs}

    def value(self, expression: str):
        """The JSON value of ``expression`` in the kernel."""
        result = self.execute(f"import json as _json\nprint(_json.dumps({expression}))")
        assert result["status"] == "ok", result
        return json.loads("".join(o["text"] for o in result["outputs"] if o["output_type"] == "stream"))

    def close(self) -> None:
        self.socket.close()


@dataclass
class LabRun:
    session: dict
    cells: list[dict]                  # the notebook's code cells, each with its outputs
    september: list
    cwd: str
    executable: str
    kernels_after: object


@pytest.fixture(scope="module")
def lab_run(lab) -> LabRun:
    """monthly_series.ipynb opened and run top to bottom with its defaults, as JupyterLab does."""
    status, session = lab.api("POST", "/api/sessions", {
        "path": NOTEBOOK, "name": NOTEBOOK, "type": "notebook"})  # no kernel named: the default
    assert status == 201, session
    kernel = Kernel(lab, session["kernel"]["id"])
    try:
        lab.kernel_pids.append(kernel.value("__import__('os').getpid()"))
        status, model = lab.api("GET", f"/api/contents/{NOTEBOOK}?content=1")
        assert status == 200, model
        cells = []
        for index, cell in enumerate(model["content"]["cells"]):
            if cell["cell_type"] != "code":
                continue
            result = kernel.execute(cell["source"])
            assert result["status"] == "ok", f"cell {index + 1} failed: {result['outputs']}"
            cells.append({**cell, "outputs": result["outputs"]})
        september = kernel.value('next([r.low, r.high, r.determined] for r in rec.months '
                                 'if r.months[0] == "2023-09")')
        cwd = kernel.value("__import__('os').getcwd()")
        executable = kernel.value("__import__('sys').executable")
    finally:
        kernel.close()
    status, _ = lab.api("DELETE", f"/api/sessions/{session['id']}")  # shuts its kernel down
    assert status == 204
    kernels_after = lab.api("GET", "/api/kernels")[1]
    return LabRun(session, cells, september, cwd, executable, kernels_after)


# --- the tests -----------------------------------------------------------------------------------

def test_the_project_kernel_is_listed_and_is_the_default(lab):
    status, specs = lab.api("GET", "/api/kernelspecs")
    assert status == 200, specs
    assert KERNEL_NAME in specs["kernelspecs"], (
        f"JupyterLab does not offer the {KERNEL_NAME!r} kernel (run `make venv`): {list(specs['kernelspecs'])}")
    assert specs["default"] == KERNEL_NAME, (
        f"the default kernel is {specs['default']!r}: .venv/etc/jupyter/jupyter_server_config.json "
        f"(from etc/jupyter/) is missing or changed (run `make venv`)")
    spec = specs["kernelspecs"][KERNEL_NAME]["spec"]
    assert spec["display_name"] == "Python (desertion-series)"
    # The kernel runs the project's environment, the one running these tests.
    assert Path(spec["argv"][0]).parent.parent.resolve() == Path(sys.prefix).resolve(), spec["argv"]


def test_the_server_shows_the_notebooks_folder(lab):
    status, listing = lab.api("GET", "/api/contents")
    assert status == 200, listing
    names = {item["name"] for item in listing["content"]}
    assert {"monthly_series.ipynb", "source_view.ipynb", "reports.yml"} <= names


def test_a_notebook_opened_in_lab_gets_the_project_kernel_in_notebooks(lab_run):
    assert lab_run.session["kernel"]["name"] == KERNEL_NAME
    assert Path(lab_run.cwd).resolve() == paths.notebooks_dir().resolve()
    assert Path(lab_run.executable).parent.parent.resolve() == Path(sys.prefix).resolve()


def test_the_notebook_runs_top_to_bottom_with_its_defaults(lab_run):
    assert lab_run.cells, "no code cell ran"
    errors = [o for cell in lab_run.cells for o in cell["outputs"] if o["output_type"] == "error"]
    assert errors == []
    chart = [o for cell in lab_run.cells for o in cell["outputs"]
             if "data:image/svg+xml;base64," in "".join(o.get("data", {}).get("text/html", ""))]
    assert len(chart) == 1, "the chart is not shown exactly once"


def test_september_2023_is_184(lab_run):
    assert lab_run.september == [184, 184, True]


def test_closing_the_notebook_shuts_its_kernel_down(lab, lab_run):
    assert lab_run.kernels_after == []
    deadline = time.monotonic() + STOP_SECONDS
    while any(_alive(pid) for pid in lab.kernel_pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in lab.kernel_pids), lab.kernel_pids


def _report_data(lab_run: LabRun) -> dict:
    cell = next(c for c in lab_run.cells if DATA_TAG in c.get("metadata", {}).get("tags", []))
    return next(o["data"]["application/json"] for o in cell["outputs"]
                if "application/json" in o.get("data", {}))


TABLE = re.compile(r'<table class="ds-table">.*?</table>', re.S)


def _parsed(html: str) -> list[tuple]:
    """Tags, attributes and text, as a browser reads them: nbconvert writes the same table with
    other character references (&#34; for a quote sign), which is no difference to a reader."""
    from html.parser import HTMLParser

    events: list[tuple] = []

    class Events(HTMLParser):
        def handle_starttag(self, tag, attrs):
            events.append(("start", tag, tuple(attrs)))

        def handle_endtag(self, tag):
            events.append(("end", tag))

        def handle_data(self, data):
            events.append(("text", data))

    parser = Events(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return events


def test_researchers_get_the_tables_of_the_built_report(lab_run, built_reports):
    """The defaults are the build's default-reading report: the same tables, cell by cell."""
    default = load_dataset(None).readings.default
    built = (built_reports / f"monthly-series-{default}.html").read_text(encoding="utf-8")
    shown = "".join(o["data"]["text/html"] for cell in lab_run.cells for o in cell["outputs"]
                    if "text/html" in o.get("data", {}))
    in_lab, in_build = TABLE.findall(shown), TABLE.findall(built)
    assert len(in_lab) >= 6, "the notebook showed fewer tables than it has"
    assert [_parsed(t) for t in in_lab] == [_parsed(t) for t in in_build]


def test_researchers_get_the_json_of_the_command_line(lab_run):
    data = _report_data(lab_run)
    cli = subprocess.run([sys.executable, "-m", "helpers", "reconstruct", "--format", "json"],
                         capture_output=True, text=True, timeout=120, cwd=paths.project_root())
    assert cli.returncode == 0, cli.stderr
    assert data == json.loads(cli.stdout)
    months = {m["month"]: (m["low"], m["high"]) for m in data["months"]}
    assert months["2023-09"] == (184, 184)


def test_researchers_get_the_series_the_build_exports(lab_run, built_reports):
    """The build's data for its default reading (series.csv) is the notebook's, month by month."""
    import csv

    with (built_reports / "series.csv").open(newline="", encoding="utf-8") as stream:
        exported = [{"month": row["month"], "low": int(row["low"]),
                     "high": int(row["high"]) if row["high"] else None,
                     "determined": row["determined"] == "true",
                     "low_rests_on": [c for c in row["low_rests_on"].split(";") if c],
                     "high_rests_on": [c for c in row["high_rests_on"].split(";") if c]}
                    for row in csv.DictReader(stream)]
    shown = [{key: month[key] for key in exported[0]} for month in _report_data(lab_run)["months"]]
    assert shown == exported


def test_shutdown_leaves_nothing_running(lab):
    """Last in this file: the server stops through its API, its port closes, no kernel stays."""
    status, _ = lab.api("POST", "/api/shutdown")
    assert status in (200, 202, 204)
    lab.process.wait(timeout=STOP_SECONDS)  # raises if the server is still running
    assert lab.process.returncode == 0, lab.log_tail()
    assert not _port_open(lab.port)
    assert not any(_alive(pid) for pid in lab.kernel_pids)
    assert list(lab.runtime.glob("kernel-*.json")) == []
    assert list(lab.runtime.glob("jpserver-*")) == []
