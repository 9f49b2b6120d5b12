"""Faults a scheduler or a machine injects into a build, and what must survive them.

    killed      SIGKILL, SIGTERM and SIGINT at 20 named points of a build's own progress (the
                build pauses there, see helpers.reports.checkpoints): every earlier report
                stays byte-identical, no worker or kernel outlives the build, nothing is left
                in the output directory (after SIGKILL: until the next build), and the next
                build completes
    interrupted Ctrl-C (SIGINT to the process group) at 20 points: one line, "interrupted",
                no traceback, and nothing left in the temporary folder
    failing     a notebook that raises, a kernel that dies, a cell past --timeout: that report
                fails alone, named with its cell, its run kept in .failed/, exit 1
    unwritable  a read-only, a not-a-directory and a full output directory: one line, exit 2,
                the earlier reports and exports untouched

Builds run in a small project copy (DESERTION_SERIES_ROOT) with two or four reports, so the file
stays within a few minutes on two cores. Every process a build starts carries a marker in its
environment (kernels too: they inherit it), which is how orphans are looked for in /proc.
"""
from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from helpers import cli, paths
from helpers.core import outputs as atomic_writes
from helpers.core.checkpoints import LONGEST_PAUSE_SECONDS, PAUSE_IN
from helpers.reports.checkpoints import PAUSE_AT, PAUSED

pytestmark = pytest.mark.slow
MARKER = "DESERTION_SERIES_FAULT_MARK"
# (signal, to the whole session or the build process only, the named point of the build's progress
# where it is paused to receive it): early (planned, kernels starting), midway (cells running, one
# report written) and late (reports and the index being written). Load cannot move a point.
GROUP, MAIN = "group", "main"
KILLS = [
    (signal.SIGKILL, GROUP, "planned"), (signal.SIGKILL, GROUP, "cell:a:1"),
    (signal.SIGKILL, GROUP, "cell:b:6"), (signal.SIGKILL, GROUP, "write:1"),
    (signal.SIGKILL, GROUP, "written:1"), (signal.SIGKILL, GROUP, "write:2"),
    (signal.SIGKILL, GROUP, "index"),
    (signal.SIGTERM, GROUP, "planned"), (signal.SIGTERM, GROUP, "cell:b:1"),
    (signal.SIGTERM, GROUP, "cell:a:5"), (signal.SIGTERM, GROUP, "write:1"),
    (signal.SIGTERM, GROUP, "written:2"), (signal.SIGTERM, GROUP, "record"),
    (signal.SIGTERM, GROUP, "index"),
    (signal.SIGTERM, MAIN, "cell:b:8"), (signal.SIGTERM, MAIN, "write:2"),
    (signal.SIGTERM, MAIN, "index"),
    (signal.SIGINT, GROUP, "cell:a:1"), (signal.SIGINT, GROUP, "written:1"),
    (signal.SIGINT, GROUP, "write:2"),
]
EARLIER = "<!DOCTYPE html><p>the last good build</p>\n"


# --- a small project, builds in subprocesses, and the processes they leave ------------------

def make_project(root: Path, reports_yml: str, notebooks: dict[str, str] | None = None) -> Path:
    """data/, the two notebooks, the lock, this reports.yml, and variants of source_view.ipynb
    with one cell inserted after its setup cell (``notebooks``: file name -> cell source)."""
    shutil.copytree(paths.default_data_dir(), root / "data")
    (root / "notebooks").mkdir()
    for name in ("monthly_series.ipynb", "source_view.ipynb"):
        shutil.copy(paths.notebooks_dir() / name, root / "notebooks" / name)
    shutil.copy(paths.project_root() / "requirements.lock", root / "requirements.lock")
    (root / "notebooks" / "reports.yml").write_text(reports_yml, encoding="utf-8")
    for name, source in (notebooks or {}).items():
        nb = nbformat.read(root / "notebooks" / "source_view.ipynb", as_version=4)
        nb.cells.insert(3, nbformat.v4.new_code_cell(source))
        nbformat.write(nb, root / "notebooks" / name)
    return root


def start_build(root: Path, out: Path, *args: str, mark: str, tmp: Path, log: Path,
                pause: tuple[str, Path] | None = None) -> subprocess.Popen:
    """``python -m helpers build`` in a new session, its processes marked, its output in ``log``;
    with ``pause`` (a checkpoint and a file), paused at that point, saying so in that file."""
    env = {**os.environ, "DESERTION_SERIES_ROOT": str(root), MARKER: mark, "TMPDIR": str(tmp)}
    env.pop(PAUSE_AT, None)
    if pause:
        env.update({PAUSE_AT: pause[0], PAUSED: str(pause[1])})
    with log.open("w") as stream:
        return subprocess.Popen([sys.executable, "-m", "helpers", "build", "--out", str(out),
                                 "--quiet", *args], env=env, cwd=root, stdout=stream,
                                stderr=subprocess.STDOUT, start_new_session=True)


def marked_processes(mark: str, session: int | None = None) -> list[str]:
    """Live processes whose environment carries ``mark`` or which are in ``session``."""
    found = []
    needle = f"{MARKER}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if stat[0] == "Z":  # a zombie is dead; only its parent's wait is missing
                continue
            if needle in (entry / "environ").read_bytes() or int(stat[3]) == session:
                found.append(f"{entry.name}: " + (entry / "cmdline").read_bytes()
                             .replace(b"\0", b" ").decode(errors="replace")[:120])
        except (OSError, IndexError):  # it ended while we looked
            continue
    return found


def assert_no_orphans(mark: str, session: int, within: float = 30) -> None:
    """Kernels run in their own session and leave when their parent is gone (ipykernel polls
    for it every second); give them ``within`` seconds, then nothing may be left."""
    deadline = time.monotonic() + within
    while (left := marked_processes(mark, session)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"processes outlived the build: {left}"


def outputs(out: Path) -> dict[str, bytes]:
    """Every file of an output directory but the run records (.build/), which differ by design,
    and the temporaries of atomic writes (looked at by ``temporaries``)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".build" not in p.relative_to(out).parts
            and not (p.name.startswith(".") and p.name.endswith(".tmp"))}


def temporaries(out: Path) -> list[str]:
    return [p.relative_to(out).as_posix() for p in out.rglob(".*.tmp")]


def left_in(tmp: Path) -> list[str]:
    """What builds left in their temporary folder: their own folders, papermill's run folders,
    kernel socket folders and kernel connection files (which hold a kernel's key)."""
    return sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*")
                  if p.name.startswith(("desertion-series-", "kernel-")) or p.suffix == ".json")


def wait_until_paused(build: subprocess.Popen, marker: Path, where: str, log: Path) -> None:
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert build.poll() is None, f"{where}: the build ended before its point\n{log.read_text()}"
        assert time.monotonic() < deadline, f"{where}: never reached its point"
        time.sleep(0.05)


@pytest.fixture
def short_tmp(tmp_path_factory) -> Path:
    """A TMPDIR of this test's own, short enough for kernel sockets (Unix socket paths are short):
    what builds leave there is counted."""
    return tmp_path_factory.mktemp("t")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A short TMPDIR for the builds: what a killed kernel leaves there stays in pytest's tree."""
    return tmp_path_factory.mktemp("tmp")


# --- killed at named points of its progress --------------------------------------------------

# Two reports of the quick notebook: the points, not the notebooks' length, decide where a build
# is stopped, so the reports may be short.
TWO_SMALL_REPORTS = """\
reports:
  - name: a
    notebook: source_view.ipynb
  - name: b
    notebook: source_view.ipynb
"""


def test_builds_killed_at_random_points_lose_no_report(tmp_path, short_tmp):
    root = make_project(tmp_path / "project", TWO_SMALL_REPORTS)
    out = root / "reports"
    tmp = short_tmp
    first = start_build(root, out, "--jobs", "2", mark="baseline", tmp=tmp, log=tmp_path / "0.log")
    assert first.wait(timeout=300) == 0, (tmp_path / "0.log").read_text()
    earlier = outputs(out)
    assert {"a.html", "b.code.html", "index.html", "series.csv"} <= set(earlier)

    for run, (signum, target, point) in enumerate(KILLS, start=1):
        mark, log, marker = uuid.uuid4().hex, tmp_path / f"{run}.log", tmp_path / f"{run}.paused"
        build = start_build(root, out, "--jobs", "2", "--force", mark=mark, tmp=tmp, log=log,
                            pause=(point, marker))
        where = f"run {run}: {signal.Signals(signum).name} to the {target} at {point}"
        wait_until_paused(build, marker, where, log)
        if target == GROUP:  # a scheduler stopping the job, a terminal's Ctrl-C: the whole session
            os.killpg(build.pid, signum)
        else:  # `kill PID`: the build itself, which stops its workers
            os.kill(build.pid, signum)
        status = build.wait(timeout=300)
        print(f"{where}: exit {status}")
        said = log.read_text()
        assert "Traceback" not in said, f"{where}\n{said}"
        if signum == signal.SIGKILL:
            assert status == -signal.SIGKILL, where
        else:
            assert (status, said) == (130, "interrupted\n"), f"{where}: exit {status}\n{said}"
            assert temporaries(out) == [], where
            assert left_in(tmp) == [], where
        assert_no_orphans(mark, build.pid)
        assert all(Path(name).name.startswith(".") for name in temporaries(out)), where
        after = outputs(out)
        # Each file is the earlier one or a complete new one: the same bytes, as inputs are equal.
        assert after == earlier, f"{where}: changed {[n for n in earlier if after.get(n) != earlier[n]]}, " \
                                 f"added {sorted(set(after) - set(earlier))}"

    final = start_build(root, out, "--jobs", "2", mark="final", tmp=tmp, log=tmp_path / "final.log")
    assert final.wait(timeout=300) == 0, (tmp_path / "final.log").read_text()
    assert outputs(out) == earlier and temporaries(out) == []
    assert left_in(tmp) == []  # what the killed builds left, the next build removed


# --- Ctrl-C at twenty points ----------------------------------------------------------------

# Ten points of a two-report build, each with one worker and with two (--jobs 1 runs the reports
# one after the other; --jobs 2 side by side): 20 interrupts.
INTERRUPT_POINTS = ["planned", "cell:a:1", "cell:b:1", "cell:a:4", "cell:b:7", "write:1",
                    "written:1", "write:2", "record", "index"]


def test_twenty_interrupts_print_one_line_and_leave_nothing_in_the_temporary_folder(tmp_path, short_tmp):
    root = make_project(tmp_path / "project", TWO_SMALL_REPORTS)
    out = root / "reports"
    tmp = short_tmp
    first = start_build(root, out, mark="baseline", tmp=tmp, log=tmp_path / "0.log")
    assert first.wait(timeout=300) == 0, (tmp_path / "0.log").read_text()
    earlier = outputs(out)
    runs = [(point, jobs) for jobs in ("1", "2") for point in INTERRUPT_POINTS]
    assert len(runs) == 20
    for run, (point, jobs) in enumerate(runs, start=1):
        mark, log, marker = uuid.uuid4().hex, tmp_path / f"{run}.log", tmp_path / f"{run}.paused"
        build = start_build(root, out, "--force", "--jobs", jobs, mark=mark, tmp=tmp, log=log,
                            pause=(point, marker))
        where = f"run {run}: Ctrl-C at {point} with --jobs {jobs}"
        wait_until_paused(build, marker, where, log)
        os.killpg(build.pid, signal.SIGINT)
        status = build.wait(timeout=120)
        assert (status, log.read_text()) == (130, "interrupted\n"), f"{where}: exit {status}\n" \
                                                                     f"{log.read_text()}"
        assert_no_orphans(mark, build.pid)
        assert left_in(tmp) == [], where
        assert temporaries(out) == [] and outputs(out) == earlier, where


def test_ctrl_c_inside_a_long_solver_call_stops_the_build_at_once(tmp_path, short_tmp, monkeypatch):
    # Paused at a reconstruction's fourth bound inside one HiGHS call of 600 s (in the build's
    # own process or a kernel, whichever gets there first): Ctrl-C stops the build long before.
    monkeypatch.setenv(PAUSE_IN, "solver")
    root = make_project(tmp_path / "project", TWO_SMALL_REPORTS)
    mark, log, marker = uuid.uuid4().hex, tmp_path / "build.log", tmp_path / "paused"
    build = start_build(root, root / "reports", mark=mark, tmp=short_tmp, log=log, pause=("bound:4", marker))
    wait_until_paused(build, marker, "bound:4", log)
    os.killpg(build.pid, signal.SIGINT)
    status = build.wait(timeout=LONGEST_PAUSE_SECONDS / 10)
    assert (status, log.read_text()) == (130, "interrupted\n")
    assert_no_orphans(mark, build.pid)


# --- a report that fails: raises, its kernel dies, a cell runs past the timeout ----------------

FAILING = {
    "raises.ipynb": "raise RuntimeError('on purpose')",
    "dies.ipynb": "import os; os._exit(1)",
    "slow.ipynb": "import time; time.sleep(600)",
}
FOUR_REPORTS = "reports:\n" + "".join(f"  - name: {name}\n    notebook: {name}.ipynb\n" for name in
                                      ("raises", "dies", "slow")) + \
    "  - name: good\n    notebook: source_view.ipynb\n"
TIMEOUT = 20  # seconds a cell may run: far above the notebook's own cells, even on a busy machine


def test_a_raising_a_dying_and_a_slow_report_each_fail_alone(tmp_path, scratch):
    root = make_project(tmp_path / "project", FOUR_REPORTS, FAILING)
    out = root / "reports"
    out.mkdir()
    for name in ("raises", "dies", "slow"):
        (out / f"{name}.html").write_text(EARLIER)
    mark, log = uuid.uuid4().hex, tmp_path / "build.log"
    build = start_build(root, out, "--jobs", "2", "--timeout", str(TIMEOUT), mark=mark, tmp=scratch,
                        log=log)
    status = build.wait(timeout=400)
    said = log.read_text()
    assert status == 1, said
    assert "Traceback" not in said, said
    errors = [line for line in said.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3, said
    expected = {"raises": "{cell} raised RuntimeError: on purpose",
                "dies": "the kernel died while running {cell}",
                "slow": f"{{cell}} ran past the {TIMEOUT} s timeout"}
    for name, what in expected.items():
        source = FAILING[f"{name}.ipynb"]
        # The failed run is kept, with the cell that failed in it; the message names that cell
        # by its text and its position in the notebook as run (papermill's parameters cell
        # counts; the "An Exception was encountered" cells papermill adds after a failure do not).
        kept = nbformat.read(out / ".failed" / f"{name}.ipynb", as_version=4)
        as_run = [c.source for c in kept.cells
                  if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        position = as_run.index(source) + 1
        assert (out / ".failed" / f"{name}.html").is_file()
        assert f"error: report '{name}': " + what.format(cell=f"cell {position} ({source!r})") + \
            f"; the failed run is in {out / '.failed'}/" in errors, f"{name}: {errors}"
        assert (out / f"{name}.html").read_text() == EARLIER  # the earlier report stays
    assert "RuntimeError" in (out / ".failed" / "raises.html").read_text()
    assert (out / "good.html").is_file() and (out / "good.code.html").is_file()
    index = (out / "index.html").read_text()
    assert index.count("stale") >= 3 and 'href="good.html"' in index
    assert_no_orphans(mark, build.pid)
    assert temporaries(out) == []


# --- output directories that cannot be written --------------------------------------------------

ONE_REPORT = "reports:\n  - name: source\n    notebook: source_view.ipynb\n"


def earlier_outputs(out: Path) -> dict[str, bytes]:
    """An earlier build's reports and exports (what must not be lost)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("source.html", "source.code.html", "index.html", "series.csv", "claims.csv",
                 "datapackage.json", "annotations.jsonld"):
        (out / name).write_text(f"earlier {name}\n")
    return outputs(out)


def run_cli(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DESERTION_SERIES_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "helpers", *args], env=env, cwd=root,
                          capture_output=True, text=True, timeout=300, **kwargs)


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def read_only_dir(tmp_path):
    """A directory nobody may write to, root included: chmod 0555 binds only other users, so as
    root the directory is made immutable (chattr +i, ext4 and most disk file systems)."""
    folder = tmp_path / "read-only"
    earlier = earlier_outputs(folder)
    if os.geteuid() != 0:
        folder.chmod(0o555)
    else:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        assert done.returncode == 0, f"cannot make a read-only directory as root: {done.stderr}"
    try:
        with pytest.raises(OSError):
            (folder / "probe").write_text("")
        yield folder, earlier
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


@pytest.mark.parametrize("command", ["build", "export"])
def test_a_read_only_output_directory_is_one_line_before_any_work(tmp_path, read_only_dir, command):
    folder, earlier = read_only_dir
    root = make_project(tmp_path / "project", ONE_REPORT)
    started = time.monotonic()
    done = run_cli(root, command, "--out", str(folder), *(["--force"] if command == "build" else []))
    assert done.returncode == 2, done.stderr
    line = one_error_line(done.stderr)
    named = {"build": f"{folder}: cannot write in this directory",
             "export": f"{folder / 'series.csv'}: cannot write this file"}[command]
    assert line.startswith(f"error: {named} ("), line
    assert line.endswith("; choose an output directory that is writable and has free space"), line
    assert "(Operation not permitted)" in line or "(Permission denied)" in line, line
    assert outputs(folder) == earlier
    if command == "build":  # named before any kernel starts, not after every report has run
        assert time.monotonic() - started < 15, "the build ran reports before finding it read-only"
        assert "built" not in done.stdout


@pytest.mark.parametrize("command", ["build", "export"])
def test_an_output_directory_under_a_file_is_one_line(tmp_path, command):
    root = make_project(tmp_path / "project", ONE_REPORT)
    earlier = earlier_outputs(root / "reports")
    target = root / "reports" / "index.html" / "out"
    done = run_cli(root, command, "--out", str(target))
    assert done.returncode == 2, done.stderr
    assert one_error_line(done.stderr) == (
        f"error: {target}: cannot create this directory (Not a directory); choose an output "
        f"directory that is writable and has free space")
    assert outputs(root / "reports") == earlier


def _limit_file_size(limit: int):
    def apply() -> None:  # in the child, before exec: files may grow to ``limit`` bytes, no more
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_during_export_keeps_the_earlier_export_whole(tmp_path):
    """RLIMIT_FSIZE makes the kernel refuse writes past 4 kB (EFBIG, as ENOSPC on a full disk):
    series.csv fits, a larger export file (datapackage.json or annotations.jsonld) does not.
    All files are written before any is renamed into place, so the earlier export stays whole,
    not half old and half new."""
    root = make_project(tmp_path / "project", ONE_REPORT)
    out = root / "export"
    earlier = earlier_outputs(out)
    done = run_cli(root, "export", "--out", str(out), preexec_fn=_limit_file_size(4096))
    assert done.returncode == 2, done.stderr
    line = one_error_line(done.stderr)
    too_large = [name for name in ("datapackage.json", "annotations.jsonld")
                 if line == f"error: {out / name}: cannot write this file (File too large); choose "
                            f"an output directory that is writable and has free space"]
    assert too_large, line
    assert outputs(out) == earlier and temporaries(out) == []


class _FullDisk:
    """Stands in for ``os`` inside helpers.core.outputs: every file written there hits ENOSPC."""

    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def fdopen(handle, *args, **kwargs):
        stream = os.fdopen(handle, *args, **kwargs)

        class Full:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                stream.close()

            def write(self, text):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return Full()


@pytest.fixture
def restore_sigterm():
    """cli.main installs a SIGTERM handler; the test process keeps its own."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


def test_a_full_disk_after_the_reports_ran_is_one_line_and_keeps_them(tmp_path, monkeypatch, capsys,
                                                                      restore_sigterm):
    """ENOSPC when the finished report is written (in the build process, after the kernel ran):
    simulated in-process, as no small file system can be mounted here without privileges."""
    root = make_project(tmp_path / "project", ONE_REPORT)
    out = root / "reports"
    earlier = earlier_outputs(out)
    monkeypatch.setenv("DESERTION_SERIES_ROOT", str(root))
    monkeypatch.setattr(atomic_writes, "os", _FullDisk())
    status = cli.main(["build", "--out", str(out), "--force", "--jobs", "1", "--quiet"])
    captured = capsys.readouterr()
    assert status == 2, captured.err
    assert one_error_line(captured.err) == (
        f"error: {out / 'source.html'}: cannot write this file (No space left on device); choose "
        f"an output directory that is writable and has free space")
    assert outputs(out) == earlier and temporaries(out) == []
