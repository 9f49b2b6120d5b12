"""The reports configuration (notebooks/reports.yml): which notebooks run with which parameters.

Everything is checked before any kernel starts: the file's schema, that each notebook exists
and is a Jupyter notebook, that every parameter is one the notebook's ``parameters`` cell
declares and has its type, that ``inputs`` stay inside the data directory, and that output names
are unique and stay inside the output directory.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import nbformat
import papermill
from nbformat.reader import NotJSONError

from helpers.data.dataset import Dataset
from helpers.errors import ConfigError
from helpers.data.schema import validate
from helpers.data.yamlio import line_of, load_yaml

CONFIG_NAME = "reports.yml"
_NAME = r"^[A-Za-z0-9{][A-Za-z0-9_.{}-]*$"

REPORTS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["reports"],
    "additionalProperties": False,
    "properties": {"reports": {"type": "array", "minItems": 1, "items": {
        "type": "object",
        "required": ["name", "notebook"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "pattern": _NAME},
            "notebook": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]+\.ipynb$"},
            "for_each": {"enum": ["reading", "source"]},
            "parameters": {"type": "object"},
            "inputs": {"type": "array", "items": {"type": "string", "minLength": 1}},
        }}}},
}
# papermill's inferred type names -> the Python types a value may have.
_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
          "list": (list,), "dict": (dict,)}


@dataclass(frozen=True)
class ReportJob:
    name: str
    notebook: Path
    parameters: dict[str, Any]
    inputs: tuple[str, ...] = ()  # globs in the data directory; empty = every file
    line: int | None = field(default=None, compare=False)
    declared: tuple[str, ...] = field(default=(), compare=False)  # the notebook's parameters


def load_jobs(config: Path, dataset: Dataset, display: str) -> list[ReportJob]:
    document, lines = load_yaml(config, display)
    validate(document, REPORTS_SCHEMA, file=display, lines=lines)
    jobs: list[ReportJob] = []
    notebooks_dir = config.parent
    for index, entry in enumerate(document["reports"]):
        line = line_of(lines, ("reports", index))
        notebook = notebooks_dir / entry["notebook"]
        if not notebook.is_file():
            raise ConfigError(f"report {entry['name']!r}: notebook {entry['notebook']!r} does not "
                              f"exist in {notebooks_dir.name}/", file=display, line=line)
        declared = _declared_parameters(notebook, entry["name"], display, line)
        for position, pattern in enumerate(entry.get("inputs", [])):
            _check_input(pattern, entry["name"], display, line_of(lines, ("reports", index, "inputs",
                                                                           position)))
        for values in _expansions(entry, dataset):
            job = ReportJob(
                name=_fill(entry["name"], values),
                notebook=notebook,
                parameters={k: _fill(v, values) for k, v in entry.get("parameters", {}).items()},
                inputs=tuple(_fill(g, values) for g in entry.get("inputs", [])),
                line=line, declared=tuple(declared))
            _check_parameters(job, declared, display)
            jobs.append(job)
    _check_names(jobs, display)
    return jobs


def _declared_parameters(notebook: Path, report: str, display: str, line: int | None) -> dict:
    """The notebook's parameters (papermill's reading of its ``parameters`` cell), once it is
    known to be a Jupyter notebook at all."""
    where = f"notebooks/{notebook.name}"
    try:
        nbformat.validate(nbformat.read(notebook, as_version=4))
    except OSError as exc:
        raise ConfigError(f"report {report!r}: cannot read notebook {where} ({exc.strerror or exc})",
                          file=display, line=line) from None
    except Exception as exc:  # nbformat's and jsonschema's errors, and what a stray shape raises
        what = ("is not JSON" if isinstance(exc, (NotJSONError, UnicodeDecodeError)) else
                "is JSON but not a Jupyter notebook")
        raise ConfigError(f"report {report!r}: notebook {where} {what}; save it from Jupyter, "
                          f"or restore it with git", file=display, line=line) from None
    return papermill.inspect_notebook(str(notebook))


def _check_input(pattern: str, report: str, display: str, line: int | None) -> None:
    """An input is a glob inside the data directory: never absolute, never through '..'."""
    posix, windows = PurePosixPath(pattern), PureWindowsPath(pattern)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or ".." in posix.parts \
            or ".." in windows.parts:
        raise ConfigError(f"report {report!r}: input {pattern!r} is outside the data directory; "
                          f"inputs are globs relative to it, such as 'sources/{{source}}.txt'",
                          file=display, line=line)


def _expansions(entry: dict, dataset: Dataset) -> list[dict[str, str]]:
    each = entry.get("for_each")
    if each == "reading":
        return [{"reading": name} for name in dataset.readings.by_name]
    if each == "source":
        return [{"source": sid} for sid in dataset.sources]
    return [{}]


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, replacement in values.items():
            value = value.replace("{" + key + "}", replacement)
    return value


def _check_parameters(job: ReportJob, declared: dict[str, dict], display: str) -> None:
    for name, value in job.parameters.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise ConfigError(f"report {job.name!r}: notebook {job.notebook.name} has no parameter "
                              f"{name!r} (its parameters: {known})", file=display, line=job.line)
        wanted = declared[name]["inferred_type_name"]
        types = _TYPES.get(wanted)
        if types and (not isinstance(value, types) or (wanted != "bool" and isinstance(value, bool))):
            raise ConfigError(f"report {job.name!r}: parameter {name!r} must be {wanted}, got "
                              f"{type(value).__name__} {value!r}", file=display, line=job.line)


def _check_names(jobs: list[ReportJob], display: str) -> None:
    seen: dict[str, ReportJob] = {}
    for job in jobs:
        # The output is <out>/<name>.html: a name is one plain file name, never a path.
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", job.name):
            why = ("a for_each placeholder left unfilled?" if "{" in job.name else
                   "only letters, digits, '_', '.' and '-'; rename the report, or the reading or "
                   "source whose name it takes")
            raise ConfigError(f"report name {job.name!r} is not a plain file name ({why})",
                              file=display, line=job.line)
        if job.name in seen:
            raise ConfigError(f"two reports are named {job.name!r}; output names must be unique",
                              file=display, line=job.line)
        seen[job.name] = job
