"""Each reading's reconstruction computed once per build, and kept for the next build.

The report notebooks call ``reconstruct`` and ``every_reading`` from here: the engine's own
functions (same arguments, same results) that, when the build runs the notebook, first look in
the build's cache (``<out>/.build/cache/``, named by the ``DESERTION_SERIES_CACHE`` variable the
build sets for its kernels). Without that variable (a notebook run in JupyterLab) they simply
compute. The build's own exports and index read the same cache.

An entry is named by a hash of everything its result depends on: the library's code and the
locked packages (a folder per library fingerprint; the build removes the others), every file of
the data directory, and what is asked (the reading, series, periods). An entry is the pickled
result after its SHA-256; one that is unreadable, truncated or altered is ignored and computed
again, never trusted. Writes are atomic, and an entry being computed is locked (``flock``), so
a second process asking for it waits for it rather than computing it again. A cache that
cannot be written costs time, never a report.

``precompute`` is the build's: while its workers start, it computes the readings the reports
ask for (their ``reading``, ``series`` and ``periods`` parameters), so that a kernel finds them
ready and need not even import the engine.
"""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from helpers import paths
from helpers.core.outputs import write_atomically
from helpers.engine.budget import DEFAULT_BUDGET, Budget
from helpers.engine.results import Reconstruction
from helpers.errors import OutputError
from helpers.reports.fingerprint import data_fingerprint, library_fingerprint

CACHE_ENV = paths.CACHE_ENV
HEADER = b"desertion-series cache 1\n"


def cache_dir() -> Path | None:
    """The build's cache folder when a build runs this process's notebook, else None."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


def reconstruct(dataset, reading: str | None = None, series: str | None = None, *,
                periods: Iterable[str] = (), calendar: bool = True, budget=None,
                cache: Path | None = None) -> Reconstruction:
    """``engine.reconstruct.reconstruct``, from the cache when there is one."""
    periods = [periods] if isinstance(periods, str) else list(periods)
    asked = [str(p).strip() for p in periods if str(p).strip()]  # blanks ask for nothing
    key = {"call": "reconstruct", "reading": reading or dataset.readings.default,
           "series": series or None, "periods": asked, "calendar": calendar}
    found = _cached(dataset, key, cache, lambda: _engine().reconstruct(
        dataset, reading=reading, series=series, periods=asked, calendar=calendar, budget=budget))
    return _under(found, budget)


def every_reading(dataset, *, budget=None, cache: Path | None = None) -> dict[str, Reconstruction | None]:
    """``engine.reconstruct.every_reading`` (ranges only), from the cache when there is one."""
    found = _cached(dataset, {"call": "every_reading"}, cache,
                    lambda: _engine().every_reading(dataset, budget=budget))
    return {name: _under(rec, budget) for name, rec in found.items()}


def _under(result, budget):
    """A complete result as a run under ``budget`` gives it: the same, recording that budget
    (entries are shared by runs with any budget, since only complete results are kept)."""
    if result is None or result.out_of_time:
        return result
    return dataclasses.replace(result, budget=None if budget is None else budget.seconds)


def _complete(result) -> bool:
    """Only results the time budget did not cut short are kept: a rerun may prove more."""
    found = result.values() if isinstance(result, dict) else [result]
    return all(r is not None and not r.out_of_time for r in found)


def precompute(dataset, parameter_sets: list[dict], cache: Path) -> None:
    """Compute what reports with these parameters will ask for, as the monthly notebook asks
    it, in their order (the readings side by side after the first two). A report whose
    parameters fail here fails in its own notebook, with its own message."""
    def budget(p: dict) -> Budget:  # the notebook's parameter: its entries are named by it
        return Budget(float(p.get("budget", DEFAULT_BUDGET)))

    asks = [functools.partial(reconstruct, dataset, reading=p.get("reading") or None,
                              series=p.get("series") or None,
                              periods=str(p.get("periods") or "").split(","), budget=budget(p),
                              cache=cache)
            for p in parameter_sets if "reading" in p or "series" in p]
    if asks:
        first = next(p for p in parameter_sets if "reading" in p or "series" in p)
        asks.insert(min(2, len(asks)), functools.partial(every_reading, dataset, budget=budget(first),
                                                         cache=cache))
    for ask in asks:
        try:
            ask()
        except Exception:  # noqa: BLE001 - said by the report that asks it
            continue


def _engine():
    """The engine, imported when something must be computed: a kernel whose readings are all
    in the cache never imports scipy."""
    from helpers.engine import reconstruct as engine
    return engine


def _cached(dataset, key: dict, cache: Path | None, compute):
    folder = cache or cache_dir()
    if folder is None:
        return compute()
    key = {**key, "data": data_fingerprint(dataset.directory)}
    name = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    path = folder / _library()[:20] / f"{name[:32]}.pickle"
    found = _load(path)
    if found is not None:
        return found
    with _computing(path):
        found = _load(path)  # another process computed it meanwhile
        if found is not None:
            return found
        result = compute()
        if not _complete(result):
            return result
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            write_atomically(path, HEADER + hashlib.sha256(payload).hexdigest().encode() + b"\n"
                             + payload)
        except OutputError:
            pass  # an unwritable cache costs time only
    return result


@contextlib.contextmanager
def _computing(path: Path) -> Iterator[None]:
    """Hold the entry's lock while computing it; without one (a cache that cannot be written)
    just compute. The lock goes with the process, however it ends."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        stream = open(path.with_suffix(".lock"), "a")
    except OSError:
        yield
        return
    with stream:
        fcntl.flock(stream, fcntl.LOCK_EX)
        yield


def _load(path: Path):
    """The entry's result, or None when it is missing or not exactly what was written."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, rest = data.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if head + b"\n" != HEADER or hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    try:
        result = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - whole but unreadable (another Python): compute again
        return None
    if isinstance(result, Reconstruction) or (
            isinstance(result, dict) and all(isinstance(r, Reconstruction) for r in result.values())):
        return result
    return None


@functools.lru_cache(maxsize=1)
def _library() -> str:
    return library_fingerprint()


def remove_stale(folder: Path) -> None:
    """Remove the entries of other library versions (the build calls it under its lock)."""
    if not folder.is_dir():
        return
    current = _library()[:20]
    for entry in folder.iterdir():
        if entry.name != current:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
