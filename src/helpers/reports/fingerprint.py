"""Input fingerprints: a report is rebuilt only when something it reads has changed.

A report's fingerprint is a SHA-256 over its notebook, the parameters it runs with, the data
files it reads, the library's source and templates, and the locked package versions.

The data files a report reads are its ``inputs`` globs (relative to the data directory; every
file of it without them), widened to follow what the loader reads: claims are read from every
``claims/*.yml`` whatever its name, each saying its ``source``. So when a report's inputs name a
source (``sources/<id>.yml``, ``sources/<id>.txt`` or ``claims/<id>.yml``), every claims file
whose ``source`` is that id is an input too (``claims/extra.yml`` with ``source: <id>``), and so
is every claims file the loader reads before one of those, since the claims' numbers ([1], [2],
...) count from the first claims file. Files that lie outside the data directory once symbolic
links are followed are never read.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

from helpers import paths
from helpers.data.yamlio import load_yaml


def _digest_files(files: list[Path], root: Path, digest) -> None:
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def library_fingerprint() -> str:
    """The library's code and templates and the lock file: what every report depends on."""
    digest = hashlib.sha256()
    package = paths.PACKAGE_DIR
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    _digest_files(files, package, digest)
    lock = paths.project_root() / "requirements.lock"
    if lock.is_file():
        digest.update(hashlib.sha256(lock.read_bytes()).digest())
    return digest.hexdigest()


def claims_sources(data_dir: Path) -> dict[str, str]:
    """Each claims file (its path relative to the data directory) -> the source it names, in
    the order the loader reads them. Call it on a data directory that loads without error."""
    folder = data_dir / paths.CLAIMS_SUBDIR
    found = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        relative = path.relative_to(data_dir).as_posix()
        document, _ = load_yaml(path, f"{data_dir.name}/{relative}", root=data_dir)
        found[relative] = document["source"] if isinstance(document, dict) else None
    return found


def data_files(data_dir: Path, inputs: tuple[str, ...],
               claims: dict[str, str] | None = None) -> list[Path]:
    """The data files a report reads: its globs, or every file of the data directory, widened
    to every claims file of the sources they name (``claims``: from ``claims_sources``)."""
    root = data_dir.resolve()
    if not inputs:
        matched = {p for p in data_dir.rglob("*") if p.is_file()}
    else:
        matched = set()
        for pattern in inputs:
            matched.update(p for p in data_dir.glob(pattern) if p.is_file())
        matched |= {data_dir / name for name in _claims_read_with(matched, data_dir, claims or {})}
    return sorted(p for p in matched if p.resolve().is_relative_to(root))


def _claims_read_with(matched: set[Path], data_dir: Path, claims: dict[str, str]) -> list[str]:
    named = set()
    for path in matched:
        relative = PurePosixPath(path.relative_to(data_dir).as_posix())
        if len(relative.parts) == 2 and relative.parts[0] in (paths.SOURCES_SUBDIR, paths.CLAIMS_SUBDIR):
            named.add(relative.stem)
    order = list(claims)
    theirs = [order.index(name) for name, source in claims.items() if source in named]
    theirs += [order.index(p) for p in (path.relative_to(data_dir).as_posix() for path in matched)
               if p in claims]
    return order[:max(theirs) + 1] if theirs else []


def report_fingerprint(notebook: Path, parameters: dict, data_dir: Path, inputs: tuple[str, ...],
                       library: str, claims: dict[str, str] | None = None) -> str:
    digest = hashlib.sha256()
    digest.update(library.encode())
    digest.update(hashlib.sha256(notebook.read_bytes()).digest())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    _digest_files(data_files(data_dir, inputs, claims), data_dir, digest)
    return digest.hexdigest()


def data_fingerprint(data_dir: Path) -> str:
    """Every file of the data directory: all a reconstruction reads (claims, readings, words)."""
    digest = hashlib.sha256()
    _digest_files(data_files(data_dir, ()), data_dir, digest)
    return digest.hexdigest()


def lock_hash() -> str | None:
    lock = paths.project_root() / "requirements.lock"
    return hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else None
