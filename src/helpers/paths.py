"""Where things live. Constants and tiny functions only; nothing happens at import time."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The checkout this package runs from: $DESERTION_SERIES_ROOT, else the folder above src/."""
    env = os.environ.get("DESERTION_SERIES_ROOT")
    return Path(env).resolve() if env else PACKAGE_DIR.parent.parent


# Set by the build for its kernels: the folder of its cache of reconstructions (reports/cache.py).
CACHE_ENV = "DESERTION_SERIES_CACHE"


def default_data_dir() -> Path:
    return project_root() / "data"


def default_reports_dir() -> Path:
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


# Layout inside a data directory.
SOURCES_SUBDIR = "sources"
CLAIMS_SUBDIR = "claims"
VOCABULARY_FILE = "vocabulary.yml"
READINGS_FILE = "readings.yml"
