"""The build's cache of reconstructions: the engine's results, never a stale or damaged one."""
from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers.data.dataset import load_dataset
from helpers.engine import reconstruct as engine
from helpers.reports import cache


@pytest.fixture(scope="module")
def seed():
    return load_dataset()


def _entries(folder):
    return {p: p.read_bytes() for p in folder.rglob("*.pickle")}


def _refuse(*args, **kwargs):
    raise AssertionError("computed again: the cache was not used")


def test_a_cached_reconstruction_is_the_engines_and_is_read_back_not_computed(seed, tmp_path, monkeypatch):
    fresh = engine.reconstruct(seed, reading="non-strict-extremes", periods=["2023-Q3"])
    first = cache.reconstruct(seed, reading="non-strict-extremes", periods=["2023-Q3", " "],
                              cache=tmp_path)
    assert first == fresh and len(_entries(tmp_path)) == 1
    monkeypatch.setattr(engine, "reconstruct", _refuse)
    again = cache.reconstruct(seed, reading="non-strict-extremes", periods="2023-Q3", cache=tmp_path)
    assert again == fresh and again.to_dict() == fresh.to_dict()


def test_every_reading_is_cached_apart_from_each_reading(seed, tmp_path, monkeypatch):
    fresh = engine.every_reading(seed)
    assert cache.every_reading(seed, cache=tmp_path) == fresh
    default = cache.reconstruct(seed, cache=tmp_path)  # the default reading, with explanations
    assert len(_entries(tmp_path)) == 2 and default != fresh[seed.readings.default]
    monkeypatch.setattr(engine, "every_reading", _refuse)
    assert cache.every_reading(seed, cache=tmp_path) == fresh


def test_without_a_build_nothing_is_cached(seed, tmp_path, monkeypatch):
    """A notebook in JupyterLab: no cache folder is named, the engine computes."""
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert cache.reconstruct(seed, reading="separate-series") == engine.reconstruct(
        seed, reading="separate-series")
    assert list(tmp_path.iterdir()) == []


def test_the_build_names_the_cache_for_its_kernels(seed, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    cache.reconstruct(seed, reading="separate-series")
    assert len(_entries(tmp_path)) == 1


def test_changed_data_or_changed_code_is_computed_again(seed, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(seed.directory, data)
    folder = tmp_path / "cache"
    cache.reconstruct(load_dataset(data), reading="separate-series", cache=folder)
    vocabulary = data / "vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text() + "# a comment is a change of the file\n")
    cache.reconstruct(load_dataset(data), reading="separate-series", cache=folder)
    assert len(_entries(folder)) == 2
    monkeypatch.setattr(cache, "_library", lambda: "another version of the engine")
    cache.reconstruct(load_dataset(data), reading="separate-series", cache=folder)
    assert len(_entries(folder)) == 3 and len(list(folder.iterdir())) == 2
    cache.remove_stale(folder)  # as a build does: only this version's entries stay
    assert len(_entries(folder)) == 1


@pytest.mark.parametrize("damage", ["empty", "truncated", "flipped", "other object", "not pickle"])
def test_a_damaged_entry_is_ignored_computed_again_and_replaced(seed, tmp_path, monkeypatch, damage):
    fresh = cache.reconstruct(seed, reading="separate-series", cache=tmp_path)
    [(path, whole)] = _entries(tmp_path).items()
    payload = {"empty": b"", "truncated": whole[:len(whole) // 2],
               "flipped": whole[:-10] + bytes([whole[-10] ^ 1]) + whole[-9:],
               "other object": _signed(cache.pickle.dumps({"months": "not a reconstruction"})),
               "not pickle": _signed(b"\x80\x05 this is no pickle")}[damage]
    path.write_bytes(payload)
    computed = []
    real = engine.reconstruct
    monkeypatch.setattr(engine, "reconstruct", lambda *a, **k: computed.append(1) or real(*a, **k))
    assert cache.reconstruct(seed, reading="separate-series", cache=tmp_path) == fresh
    assert computed == [1] and path.read_bytes() == whole


def _signed(payload: bytes) -> bytes:
    """Bytes that pass the digest check: what a cache entry of another program could hold."""
    return cache.HEADER + cache.hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_to_an_entry_makes_it_unread(seed, tmp_path_factory, data):
    """Whatever byte is changed, dropped or added, the entry is never trusted."""
    folder = tmp_path_factory.getbasetemp() / "one-entry"
    if not folder.exists():
        cache.reconstruct(seed, reading="separate-series", cache=folder)
    [(path, whole)] = _entries(folder).items()
    position = data.draw(st.integers(0, len(whole) - 1))
    change = data.draw(st.sampled_from(["flip", "drop", "cut", "add"]))
    if change == "flip":
        damaged = whole[:position] + bytes([whole[position] ^ data.draw(st.integers(1, 255))]) + whole[position + 1:]
    elif change == "drop":
        damaged = whole[:position] + whole[position + 1:]
    elif change == "cut":
        damaged = whole[:position]
    else:
        damaged = whole + data.draw(st.binary(min_size=1, max_size=8))
    copy = tmp_path_factory.mktemp("damaged") / "entry.pickle"
    copy.write_bytes(damaged)
    assert cache._load(copy) is None
    copy.write_bytes(whole)
    assert cache._load(copy) is not None


def test_a_cache_that_cannot_be_written_costs_time_not_the_result(seed, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    assert cache.reconstruct(seed, reading="separate-series", cache=blocked) == engine.reconstruct(
        seed, reading="separate-series")


def test_an_entry_being_computed_elsewhere_is_waited_for_not_computed_again(seed, tmp_path, monkeypatch):
    import fcntl
    import threading

    done = cache.reconstruct(seed, reading="separate-series", cache=tmp_path / "elsewhere")
    [(_, whole)] = _entries(tmp_path / "elsewhere").items()
    path = tmp_path / "here" / next((tmp_path / "elsewhere").iterdir()).name / next(
        iter(_entries(tmp_path / "elsewhere"))).name
    path.parent.mkdir(parents=True)
    monkeypatch.setattr(engine, "reconstruct", _refuse)
    loads, real_load, found = [threading.Event(), threading.Event()], cache._load, []

    def load(p):
        next(event for event in loads if not event.is_set()).set()
        return real_load(p)
    monkeypatch.setattr(cache, "_load", load)
    with open(path.with_suffix(".lock"), "a") as lock:  # another process is computing the entry
        fcntl.flock(lock, fcntl.LOCK_EX)
        asker = threading.Thread(target=lambda: found.append(
            cache.reconstruct(seed, reading="separate-series", cache=tmp_path / "here")))
        asker.start()
        assert loads[0].wait(60)  # it found no entry ...
        # ... and waits for the lock: it cannot look again while the lock is held (a second
        # look within a second would be a look without the lock).
        assert not loads[1].wait(1)
        path.write_bytes(whole)  # the other process writes the entry, then lets go
    asker.join(60)
    assert loads[1].is_set() and found == [done]  # read, not computed (the engine refuses)


def test_a_result_the_budget_cut_short_is_not_kept_and_a_complete_one_serves_any_budget(seed, tmp_path):
    """A rerun may prove more than a run that ran out of time: only complete results are kept,
    and one read back records the budget it was asked with, as a fresh run would."""
    import itertools

    from helpers.engine.budget import Budget

    cut = cache.reconstruct(seed, budget=Budget(40, clock=itertools.count().__next__), cache=tmp_path)
    assert cut.out_of_time and _entries(tmp_path) == {}
    whole = cache.reconstruct(seed, budget=Budget(None), cache=tmp_path)
    assert not whole.out_of_time and len(_entries(tmp_path)) == 1
    again = cache.reconstruct(seed, budget=Budget(123.0), cache=tmp_path)
    assert again.budget == 123.0 and again == engine.reconstruct(seed, budget=Budget(123.0))
