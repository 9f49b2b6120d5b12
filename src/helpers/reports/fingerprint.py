"""Input fingerprints: a report is rebuilt only when something it reads has changed.

A report's fingerprint is a SHA-256 over its notebook, its parameters, the data files it reads
(its ``inputs`` globs, or the whole data directory), the library's source and templates, and
the locked package versions.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from helpers import paths


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


def data_files(data_dir: Path, inputs: tuple[str, ...]) -> list[Path]:
    """The data files a report reads: its globs, or every file of the data directory."""
    if not inputs:
        return [p for p in data_dir.rglob("*") if p.is_file()]
    found: set[Path] = set()
    for pattern in inputs:
        found.update(p for p in data_dir.glob(pattern) if p.is_file())
    return sorted(found)


def report_fingerprint(notebook: Path, parameters: dict, data_dir: Path, inputs: tuple[str, ...],
                       library: str) -> str:
    digest = hashlib.sha256()
    digest.update(library.encode())
    digest.update(hashlib.sha256(notebook.read_bytes()).digest())
    digest.update(json.dumps(parameters, sort_keys=True).encode())
    _digest_files(data_files(data_dir, inputs), data_dir, digest)
    return digest.hexdigest()


def lock_hash() -> str | None:
    lock = paths.project_root() / "requirements.lock"
    return hashlib.sha256(lock.read_bytes()).hexdigest() if lock.is_file() else None
