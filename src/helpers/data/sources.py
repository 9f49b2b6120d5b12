"""Source documents: verbatim texts with a provenance record (a YAML sidecar) beside each.

The sidecar names the text file and its SHA-256, so an edited or truncated text is caught
("checksum mismatch") before any claim is anchored in it.
"""
from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.errors import ChecksumError, SchemaError
from helpers.data.schema import SOURCE_SCHEMA, validate
from helpers.data.yamlio import load_yaml, read_text


@dataclass(frozen=True)
class Source:
    id: str
    text: str
    provenance: dict[str, Any]
    file: str  # the sidecar, as shown in messages

    @property
    def title(self) -> str:
        return self.provenance["title"]

    def inferred(self) -> dict[str, str]:
        return dict(self.provenance.get("inferred", {}))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def calendar_problem(written: str) -> str | None:
    """Why a schema-valid 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' is no day, month or year of the
    calendar ('month must be in 1..12'), or None when it is one."""
    parts = [int(part) for part in written.split("-")]
    try:
        datetime.date(*parts, *[1] * (3 - len(parts)))
    except ValueError as exc:
        return str(exc)
    return None


def load_source(sidecar: Path, display: str) -> Source:
    """A source from its sidecar ``<id>.yml`` and the text file it names.

    Both must lie inside the data directory (``sources/``'s parent) once symbolic links are
    followed: a record cannot make the loader read a file elsewhere on the machine.
    """
    data_dir = sidecar.parent.parent
    record, lines = load_yaml(sidecar, display, root=data_dir)
    validate(record, SOURCE_SCHEMA, file=display, lines=lines)
    if record["id"] != sidecar.stem:
        raise SchemaError(f"id {record['id']!r} differs from the file name {sidecar.stem!r}; "
                          f"rename the file or fix 'id'", file=display, line=lines.get(("id",)))
    problem = calendar_problem(record["date_published"])
    if problem:
        raise SchemaError(f"field 'date_published': {record['date_published']} is not a "
                          f"calendar date ({problem}); write YYYY, YYYY-MM or YYYY-MM-DD",
                          file=display, line=lines.get(("date_published",)))
    text_path = sidecar.parent / record["text"]
    text_display = str(Path(display).parent / record["text"])
    if not text_path.exists() and not text_path.is_symlink():
        raise SchemaError(f"the text file {record['text']} is not in {Path(display).parent}/; "
                          f"restore it there or fix 'text'", file=display, line=lines.get(("text",)))
    text = read_text(text_path, text_display, root=data_dir, source_text=True)
    actual = sha256_of(text_path.read_bytes())
    if actual != record["sha256"]:
        raise ChecksumError(
            f"checksum mismatch: the text's sha256 is {actual[:12]}..., the record says "
            f"{record['sha256'][:12]}...; restore the text, or if the change is deliberate, "
            f"update sha256 in the record", file=display, line=lines.get(("sha256",)))
    return Source(id=record["id"], text=text, provenance=record, file=display)
