"""reports/locks.py and reports/checkpoints.py: one build at a time per output directory, a
private temporary folder per build, and the named points where the fault tests stop a build."""
from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import pytest

from helpers.core import checkpoints as core_checkpoints
from helpers.reports import checkpoints, locks


def test_a_second_holder_of_the_output_lock_waits_and_says_so_once(tmp_path, capsys):
    out = tmp_path / "reports"
    order = []
    with locks.output_lock(out, out / ".build", quiet=False):
        assert (out / ".build" / "lock").read_text() == f"{os.getpid()}\n"

        def second():
            with locks.output_lock(out, out / ".build", quiet=False):
                order.append("second")
        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(1)
        order.append("first done")
    waiter.join(timeout=30)
    assert order == ["first done", "second"]
    assert capsys.readouterr().err == (f"waiting for the build already writing into {out} "
                                       f"(process {os.getpid()}) to finish\n")


def test_a_quiet_build_waits_without_a_word(tmp_path, capsys):
    out = tmp_path / "reports"
    def second():
        with locks.output_lock(out, out / ".build", quiet=True):
            pass
    with locks.output_lock(out, out / ".build", quiet=True):
        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive()
    waiter.join(timeout=30)
    assert not waiter.is_alive()
    assert capsys.readouterr().err == ""


@pytest.fixture
def temporary_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_builds_temporary_folder_is_removed_however_the_build_ends(temporary_folder):
    with locks.build_scratch() as scratch:
        assert scratch.parent == temporary_folder and scratch.name.startswith("desertion-series-build-")
        (scratch / "kernel-x").mkdir()
    assert list(temporary_folder.iterdir()) == []
    with pytest.raises(KeyboardInterrupt):
        with locks.build_scratch() as scratch:
            raise KeyboardInterrupt
    assert list(temporary_folder.iterdir()) == []


def test_only_the_folders_of_builds_that_are_gone_are_swept(temporary_folder):
    abandoned = temporary_folder / "desertion-series-build-killed"
    (abandoned / "kernel-1").mkdir(parents=True)
    (abandoned / ".lock").write_text("")
    being_made = temporary_folder / "desertion-series-build-new"  # no lock file yet: too young
    being_made.mkdir()
    someone_elses = temporary_folder / "unrelated"
    someone_elses.mkdir()
    with locks.build_scratch() as running:
        locks.remove_abandoned_scratch()
        assert running.is_dir()  # its build holds the lock
    assert sorted(p.name for p in temporary_folder.iterdir()) == ["desertion-series-build-new",
                                                                  "unrelated"]
    old = time.time() - 2 * 3600
    os.utime(being_made, (old, old))
    locks.remove_abandoned_scratch()
    assert [p.name for p in temporary_folder.iterdir()] == ["unrelated"]


def test_a_checkpoint_does_nothing_unless_asked(monkeypatch, tmp_path):
    monkeypatch.delenv(checkpoints.PAUSE_AT, raising=False)
    started = time.monotonic()
    checkpoints.checkpoint("planned")
    assert time.monotonic() - started < 0.1
    assert checkpoints.cell_hooks("report") == {}
    monkeypatch.setenv(checkpoints.PAUSE_AT, "written:2")
    checkpoints.checkpoint("written:1")  # another point: no pause
    assert checkpoints.cell_hooks("report") == {}
    monkeypatch.setenv(checkpoints.PAUSE_AT, "cell:report:3")
    assert set(checkpoints.cell_hooks("report")) == {"on_cell_start"}
    assert checkpoints.cell_hooks("other") == {}


def test_a_checkpoint_asked_for_pauses_and_says_so_in_a_file(monkeypatch, tmp_path):
    marker = tmp_path / "paused"
    monkeypatch.setenv(checkpoints.PAUSE_AT, "record")
    monkeypatch.setenv(checkpoints.PAUSED, str(marker))
    monkeypatch.setattr(core_checkpoints, "LONGEST_PAUSE_SECONDS", 1)  # (where the pause is)
    started = time.monotonic()
    checkpoints.checkpoint("record")
    assert time.monotonic() - started >= 1
    assert marker.read_text() == str(os.getpid())
