"""The command line as a user meets it: subprocesses, exit statuses, one-line errors."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from helpers import paths


def run(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True,
                          cwd=cwd or paths.project_root(), timeout=300,
                          env=None if env is None else {**os.environ, **env})


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(paths.default_data_dir(), target)
    return target


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("validate", "reconstruct", "build"):
        assert command in result.stdout


def test_validate_the_bundled_data():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "12 claims" in result.stdout


def test_bad_data_is_one_line_on_stderr_with_exit_2(data_dir):
    claims = data_dir / "claims" / "000_53cf863e7d9b0b6b.yml"
    claims.write_text(claims.read_text().replace("period: 2023-10\n", "period: 2023-13\n"))
    result = run("validate", "--data", str(data_dir))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "claims/000_53cf863e7d9b0b6b.yml:" in lines[0]
    assert "oct-218" in lines[0] and "2023-13" in lines[0]


def test_missing_data_directory_is_a_clear_error(tmp_path):
    result = run("validate", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_unknown_reading_is_a_clear_error():
    result = run("reconstruct", "--reading", "no-such-reading")
    assert result.returncode == 2
    assert "no-such-reading" in result.stderr and "one-series" in result.stderr
    assert "Traceback" not in result.stderr


def test_reconstruct_json_follows_the_contract():
    result = run("reconstruct", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    september = next(m for m in document["months"] if m["month"] == "2023-09")
    assert (september["low"], september["high"], september["determined"]) == (184, 184, True)
    assert set(september["low_rests_on"]) == {"sep-nov-577", "oct-218", "nov-175"}


def test_reconstruct_csv_has_one_row_per_month():
    result = run("reconstruct", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = result.stdout.strip().splitlines()
    assert rows[0].startswith("month,low,high,determined")
    assert [r.split(",")[0] for r in rows[1:]] == [f"2023-{m:02d}" for m in range(4, 12)]


def test_strict_exits_3_only_when_claims_conflict(data_dir):
    assert run("reconstruct", "--strict").returncode == 0
    claims = data_dir / "claims" / "000_53cf863e7d9b0b6b.yml"
    # November above October contradicts "fewer than in September and October".
    claims.write_text(claims.read_text().replace("value: 175", "value: 230"))
    relaxed = run("reconstruct", "--data", str(data_dir))
    strict = run("reconstruct", "--data", str(data_dir), "--strict")
    assert relaxed.returncode == 0
    assert strict.returncode == 3
    assert "nov-175" in strict.stdout


def test_data_that_is_a_file_says_so():
    result = run("validate", "--data", str(paths.project_root() / "pyproject.toml"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: data directory {paths.project_root() / 'pyproject.toml'} is a file, not a "
        f"directory; pass --data DIR, the folder that holds sources/, claims/ and vocabulary.yml"]


@pytest.mark.parametrize("terminal", [{"PYTHONIOENCODING": "ascii"},
                                      {"PYTHONIOENCODING": "latin-1"},
                                      {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
                                       "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}])
@pytest.mark.parametrize("output", ["table", "json", "csv"])
def test_reconstruct_on_a_terminal_that_is_not_utf8_degrades_characters(terminal, output):
    full = run("reconstruct", "--format", output)
    narrow = subprocess.run([sys.executable, "-m", "helpers", "reconstruct", "--format", output],
                            capture_output=True, cwd=paths.project_root(), timeout=300,
                            env={**os.environ, **terminal})
    assert narrow.returncode == 0, narrow.stderr
    assert b"Traceback" not in narrow.stderr and narrow.stderr == b""
    shown = narrow.stdout.decode("ascii" if "ascii" in str(terminal.values()) else "latin-1")
    assert "\u2212" not in shown and "?" not in shown.replace(full.stdout, "")
    # Only the characters the terminal lacks change: "\u2212" becomes "-", "\u2013" too.
    assert shown == full.stdout.replace("\u2212", "-").replace("\u2013", "-")


def test_an_error_on_an_ascii_terminal_is_still_one_line(data_dir):
    claims = data_dir / "claims" / "000_53cf863e7d9b0b6b.yml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        "    words: most\n", "    words: \u00e0 peu pr\u00e8s \u2212 \u2026\n"), encoding="utf-8")
    result = run("validate", "--data", str(data_dir), env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert "claim 'most-in-fall': vague words 'a peu pres - ...'" in result.stderr


def test_importing_the_package_does_nothing_at_import_time():
    """No module entry, no logging handler, no signal handler until a command runs."""
    code = ("import logging, signal, sys\n"
            "before = signal.getsignal(signal.SIGTERM)\n"
            "import helpers.cli, helpers.reports.report, helpers.reports.build\n"
            "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None,\n"
            "      logging.getLogger('papermill').handlers, signal.getsignal(signal.SIGTERM) is before)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "[]", "True"]


def test_reconstruct_a_period_asked_for_in_every_format():
    table = run("reconstruct", "--period", "2023-Q3", "--period", "2023-06..2023-11")
    assert table.returncode == 0, table.stderr
    assert "* 2023-07..2023-09 (2023-Q3)  435" in table.stdout
    assert "* 2023-06..2023-11" in table.stdout
    document = json.loads(run("reconstruct", "--period", "2023-Q3", "--format", "json").stdout)
    q3 = next(p for p in document["periods"] if p["calendar"] == "2023-Q3")
    assert (q3["low"], q3["high"], q3["requested"]) == (435, 435, True)
    assert set(q3["low_rests_on"]) == {"sep-nov-577", "jun-aug-305", "oct-218", "jun-54", "nov-175"}
    rows = run("reconstruct", "--period", "2023-06..2023-11", "--format", "csv").stdout.splitlines()
    assert rows == ["period,start,end,low,high,determined,low_rests_on,high_rests_on,low_within,high_within",
                    "2023-06..2023-11,2023-06,2023-11,882,882,true,sep-nov-577;jun-aug-305,"
                    "sep-nov-577;jun-aug-305,,"]


@pytest.mark.parametrize("period, words", [
    ("2023", "period 2023-01..2023-12 is not within the window"),
    ("2023-Q7", "'2023-Q7' is not a period; write YYYY-MM..YYYY-MM"),
    ("2023-09..2023-06", "ends before it starts"),
])
def test_a_period_outside_the_window_or_malformed_is_one_line_exit_2(period, words):
    result = run("reconstruct", "--period", period)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr


# (run with `python -m`, as `python -m helpers` is; COMMANDS["validate"] replaced by ``command``)
INTERRUPTED_IN_GENERATED_CODE = """\
import runpy
from helpers import cli

def command(args):
    exec("import os, signal\\nos.kill(os.getpid(), signal.SIGINT)\\nwhile True: pass")

cli.COMMANDS["validate"] = command
runpy.run_module("helpers", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_in_code_a_library_runs_with_exec_still_exits_130(tmp_path):
    """Libraries run generated code with exec() (nbformat's validator through fastjsonschema,
    dataclasses, namedtuple), in the build process too when it exports a report. Ctrl-C there
    is one line and exit 130, as anywhere: Python 3.11 to 3.13 took it for a KeyboardInterrupt
    nothing caught and ended by SIGINT (exit -2) after the line."""
    (tmp_path / "interrupted_in_exec.py").write_text(INTERRUPTED_IN_GENERATED_CODE)
    done = subprocess.run([sys.executable, "-m", "interrupted_in_exec", "validate"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(
                              [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])])})
    assert (done.returncode, done.stderr) == (130, "interrupted\n")
