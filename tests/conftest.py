"""Fixtures shared by the test modules: the bundled data set, a writable copy of it, and small
helpers to edit one file of the copy and to check that loading it fails with a one-line error.

    def test_something(data_copy, edit_text, load_error):
        line = edit_text(data_copy / "claims" / SEED_CLAIMS, "value: 577\\n", "value: -1\\n")
        message = load_error(data_copy, SchemaError)
        assert message.startswith(f"data/claims/{SEED_CLAIMS}:{line}: ")
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from helpers import paths
from helpers.data.dataset import load_dataset
from helpers.errors import DesertionSeriesError

SEED_ID = "000_53cf863e7d9b0b6b"   # the seed article's source id
SEED_CLAIMS = f"{SEED_ID}.yml"     # its claims file, under claims/


@pytest.fixture
def seed_id() -> str:
    return SEED_ID


@pytest.fixture
def seed_data_dir() -> Path:
    """The bundled data/ directory (read it, never write to it)."""
    return paths.default_data_dir()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the bundled data/ at ``tmp_path/data``: messages then name ``data/...`` too."""
    target = tmp_path / "data"
    shutil.copytree(paths.default_data_dir(), target)
    return target


@pytest.fixture
def seed_claims_file(data_copy: Path) -> Path:
    """The seed's claims file inside ``data_copy``."""
    return data_copy / paths.CLAIMS_SUBDIR / SEED_CLAIMS


@pytest.fixture
def edit_text() -> Callable[..., int]:
    """``edit_text(path, old, new)``: replace the one occurrence of ``old`` by ``new``.

    Fails the test if ``old`` does not occur exactly once (so an edit can never silently miss),
    and returns the 1-based line on which ``new`` starts, for asserting error lines.
    """
    def edit(path: Path, old: str, new: str) -> int:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
        at = text.index(old)
        path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
        return text[:at].count("\n") + 1
    return edit


@pytest.fixture
def line_of_text() -> Callable[[Path, str], int]:
    """``line_of_text(path, fragment)``: the 1-based line of the one occurrence of ``fragment``."""
    def line(path: Path, fragment: str) -> int:
        text = path.read_text(encoding="utf-8")
        assert text.count(fragment) == 1, f"{fragment!r} occurs {text.count(fragment)} times"
        return text[:text.index(fragment)].count("\n") + 1
    return line


@pytest.fixture
def read_claims() -> Callable[[Path], dict[str, Any]]:
    """``read_claims(data_dir)``: the seed's claims file as plain Python data."""
    def read(data_dir: Path) -> dict[str, Any]:
        return yaml.safe_load((data_dir / paths.CLAIMS_SUBDIR / SEED_CLAIMS).read_text("utf-8"))
    return read


@pytest.fixture
def write_claims() -> Callable[..., Path]:
    """``write_claims(data_dir, document, name=SEED_CLAIMS)``: write a claims file with safe_dump."""
    def write(data_dir: Path, document: dict[str, Any], name: str = SEED_CLAIMS) -> Path:
        path = data_dir / paths.CLAIMS_SUBDIR / name
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000),
                        encoding="utf-8")
        return path
    return write


@pytest.fixture
def load_error() -> Callable[..., str]:
    """``load_error(data_dir, ErrorType)``: load the data set, expect that error, return its text.

    Checks what every data error must be: exactly the type asked for, one line, and no
    absolute path (files are named relative to the data directory's parent).
    """
    def load(data_dir: Path, error_type: type[DesertionSeriesError]) -> str:
        with pytest.raises(DesertionSeriesError) as info:
            load_dataset(data_dir)
        assert type(info.value) is error_type, f"{type(info.value).__name__}: {info.value}"
        message = str(info.value)
        assert "\n" not in message and "\r" not in message, message
        assert str(data_dir.parent) not in message, message
        return message
    return load


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory) -> Path:
    """The bundled reports, built once per test session into a temporary folder (about 30 s):
    every report of notebooks/reports.yml, the index page and the exports."""
    from helpers.reports.build import build_reports

    out = tmp_path_factory.mktemp("built-reports")
    result = build_reports(data_dir=None, out_dir=out, jobs=2, quiet=True)
    assert not result.failed, [outcome.message for outcome in result.failed]
    return out


SECOND_OUTLET = "001_second-outlet"


def add_contradiction(data_dir: Path) -> Path:
    """A second outlet saying November 2023 had 230 appeals (the seed: 175), into ``data_dir``."""
    import hashlib

    text = "The Second Outlet reported that Get to Forest received 230 appeals in November 2023.\n"
    sources = data_dir / paths.SOURCES_SUBDIR
    (sources / f"{SECOND_OUTLET}.txt").write_text(text, encoding="utf-8")
    (sources / f"{SECOND_OUTLET}.yml").write_text(
        f"id: {SECOND_OUTLET}\ntext: {SECOND_OUTLET}.txt\n"
        f"sha256: {hashlib.sha256(text.encode()).hexdigest()}\n"
        "title: A second outlet's count for November 2023 (invented for the tests)\nlanguage: en\n"
        "publisher: The Second Outlet\nauthor: null\nurl: null\ndate_published: 2023-12\n"
        "date_accessed: null\nlicence: invented for the tests\n", encoding="utf-8")
    (data_dir / paths.CLAIMS_SUBDIR / f"{SECOND_OUTLET}.yml").write_text(
        f"source: {SECOND_OUTLET}\nclaims:\n  - id: nov-230\n    kind: total\n    series: appeals\n"
        "    period: 2023-11\n    value: 230\n    quote: received 230 appeals in November 2023\n",
        encoding="utf-8")
    return data_dir


@pytest.fixture
def contradicting_data(data_copy: Path) -> Path:
    """The bundled data plus one contradicting claim: November 2023 = 230 appeals."""
    return add_contradiction(data_copy)
