"""The README's commands on a machine that has never seen the project.

    make test    installs Debian's chromium for the browser tests when it is missing and it may
                 (as root, or with passwordless sudo), else stops at once with one line saying
                 what to run: checked with stand-ins for id, sudo and apt-get on PATH, so that
                 nothing is installed here
    cron         the README's cron line, taken from README.md as it stands, run verbatim (with the
                 checkout's path filled in) in a fresh copy of the project, never built
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import paths

ROOT = paths.project_root()
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


# --- make test: Chromium -----------------------------------------------------------------------

def stand_ins(folder: Path, scripts: dict[str, str]) -> str:
    """A PATH whose first folder holds these shell scripts (stand-ins for id, sudo, apt-get)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in scripts.items():
        (folder / name).write_text("#!/bin/sh\n" + body)
        (folder / name).chmod(0o755)
    return f"{folder}:/usr/bin:/bin"


def make(*args: str, path: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {"PATH": path, "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    return subprocess.run([MAKE, "--no-print-directory", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


APT_GET = """echo "apt-get $*" >> "$APT_LOG"
case "$*" in *install*) printf '#!/bin/sh\\n' > "$CHROMIUM_AT"; chmod +x "$CHROMIUM_AT";; esac
"""


def test_without_chromium_and_without_rights_make_test_stops_at_once_with_one_line(tmp_path):
    missing = tmp_path / "usr-bin" / "chromium"
    path = stand_ins(tmp_path / "bin", {"id": "echo 1000\n", "sudo": "exit 1\n",
                                        "apt-get": "echo apt-get ran >&2; exit 1\n"})
    # -n: make would only print the set-up and the test run; it must not get that far.
    done = make("-n", "test", f"DEBIAN_CHROMIUM={missing}", f"CHROMIUM={missing}", path=path)
    assert done.returncode == 2
    assert done.stdout == "", "make went on past the missing Chromium"
    [line] = done.stderr.splitlines()
    assert line.endswith("*** make test: Chromium is missing (the browser tests drive it); run: "
                         "sudo apt-get install chromium (or set CHROMIUM=PATH), then make test.  Stop.")
    assert "apt-get ran" not in done.stderr


def test_a_chromium_path_of_ones_own_is_never_installed_over(tmp_path):
    path = stand_ins(tmp_path / "bin", {"id": "echo 0\n", "apt-get": "echo apt-get ran >&2\n"})
    done = make("chromium", f"CHROMIUM={tmp_path / 'mine' / 'chrome'}", path=path)
    assert done.returncode == 2 and "apt-get ran" not in done.stderr
    [line] = done.stderr.splitlines()
    assert f"no Chromium at CHROMIUM={tmp_path / 'mine' / 'chrome'}; install it there" in line


@pytest.mark.parametrize("who,scripts", [
    ("root", {"id": "echo 0\n"}),
    ("passwordless sudo", {"id": "echo 1000\n",
                           "sudo": '[ "$1" = -n ] && shift; export AS_ROOT=1; exec "$@"\n'}),
])
def test_with_the_right_to_install_make_installs_debians_chromium(tmp_path, who, scripts):
    target = tmp_path / "usr-bin" / "chromium"
    target.parent.mkdir()
    log = tmp_path / "apt.log"
    path = stand_ins(tmp_path / "bin", {**scripts, "apt-get": APT_GET})
    done = subprocess.run([MAKE, "--no-print-directory", "chromium", f"DEBIAN_CHROMIUM={target}",
                           f"CHROMIUM={target}"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": path, "APT_LOG": str(log), "CHROMIUM_AT": str(target),
                               "HOME": os.environ.get("HOME", "/tmp")})
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == ["apt-get update -q", "apt-get install -y -q chromium"]
    assert "installing Debian's chromium package" in done.stderr
    assert os.access(target, os.X_OK)
    again = make("chromium", f"DEBIAN_CHROMIUM={target}", f"CHROMIUM={target}", path=path)
    assert again.returncode == 0 and again.stderr == ""  # there now: nothing to do


def test_ci_runs_exactly_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "make test"]
    assert "make test" in (ROOT / "README.md").read_text()


# --- the cron line -----------------------------------------------------------------------------

def readme_cron_line() -> str:
    block = re.search(r"```cron\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert block, "README.md has no ```cron block"
    [line] = [l for l in block.group(1).splitlines() if l.strip() and not l.startswith("#")]
    return line


def fresh_copy(target: Path) -> Path:
    """The project's files as a clone has them (tracked, or new and not ignored): no .venv, no
    reports/, no caches."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell a clone's files")
    for name in sorted(set(filter(None, listed.stdout.decode().split("\0")))):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_the_readme_cron_line_works_verbatim_in_a_fresh_checkout(tmp_path):
    """The line as the README gives it, with only its /path/to/desertion-series filled in, run by
    sh as cron runs it (a bare PATH), in a copy of the project that was never built: reports/
    holds only .gitkeep, reports/.build/ does not exist. Two things stand in for work the test cannot afford to repeat: the copy's
    .venv is this test run's environment (its set-up stamp made current, and PYTHONPATH pointing
    at the copy's src/ so the copy's code runs), and its reports.yml lists one report."""
    line = readme_cron_line()
    fields = line.split(None, 5)
    assert len(fields) == 6 and fields[:5] == ["0", "3", "*", "*", "*"], line
    command = fields[5]
    assert "/path/to/desertion-series" in command, line

    checkout = fresh_copy(tmp_path / "clone" / "desertion-series")
    assert not (checkout / "reports" / ".build").exists()  # a clone has reports/.gitkeep only
    venv = Path(sys.prefix)
    if not (venv / ".installed").is_file():
        pytest.skip(f"{venv} was not set up by make (no .installed stamp)")
    (checkout / ".venv").symlink_to(venv)
    stamp = (venv / ".installed").stat().st_mtime
    for path in checkout.rglob("*"):  # checked out before the venv was set up
        if not path.is_symlink():
            os.utime(path, (stamp - 3600, stamp - 3600))
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "SHELL": "/bin/sh",
           "PYTHONPATH": str(checkout / "src"), "LANG": "C.UTF-8"}
    fresh = subprocess.run([MAKE, "--question", ".venv/.installed"], cwd=checkout, env=env,
                           capture_output=True, timeout=60)
    assert fresh.returncode == 0, "make would set up the shared venv again; refusing to run"
    (checkout / "notebooks" / "reports.yml").write_text(
        "reports:\n  - name: source\n    notebook: source_view.ipynb\n", encoding="utf-8")

    command = command.replace("/path/to/desertion-series", str(checkout))
    for run in (1, 2):
        done = subprocess.run(["/bin/sh", "-c", command], cwd="/", env=env, capture_output=True,
                              text=True, timeout=600)
        log = checkout / "reports" / ".build" / "cron.log"
        assert done.returncode == 0, f"run {run}: {done.stderr}\n{log.read_text() if log.exists() else ''}"
        assert done.stdout == done.stderr == ""  # everything went to the log
    said = log.read_text()
    assert "1 built, 0 up to date, 0 failed" in said and "0 built, 1 up to date, 0 failed" in said
    assert (checkout / "reports" / "source.html").is_file()
    assert (checkout / "reports" / "index.html").is_file()
