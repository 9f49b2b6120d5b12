"""Safe YAML reading that remembers the line of every value, so errors can name it.

Only plain data is accepted: PyYAML's SafeLoader (no Python tags), and no anchors or
aliases, which hand-written data never needs and which let a few lines expand without
limit (the "YAML bomb").
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from helpers.errors import SchemaError

MAX_FILE_BYTES = 5_000_000  # a hand-edited data file is a few kilobytes
_NO_ALIASES = "YAML anchors and aliases are not allowed in data files; write the values out"

Path_ = tuple[Any, ...]


class _AliasFound(Exception):
    """An alias (``*name``) where the composer would reuse an anchored node."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _DataLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text the researcher wrote ('2023-12-04')
    and stops at the first alias, naming the line where it is used."""

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def check_inside(path: Path, root: Path, display: str) -> None:
    """Refuse a file that is, or goes through, a symbolic link out of ``root`` (the data directory):
    a data set is what is inside its folder, never a file elsewhere on the machine."""
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        raise SchemaError("is a symbolic link that leads nowhere (a loop); replace it by the file",
                          file=display) from None
    if not inside:
        folder = display.split("/")[0]
        raise SchemaError(f"is a link to a file outside {folder}/; copy the file into {folder}/ "
                          f"instead of linking to it", file=display)


def read_text(path: Path, display: str, *, root: Path | None = None) -> str:
    """The file's text as UTF-8, or a one-line error that says what is wrong with it.

    With ``root``, the file must lie inside that folder once symbolic links are followed.
    """
    if root is not None:
        check_inside(path, root, display)
    if not path.is_file():
        raise SchemaError("file not found; restore it", file=display)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SchemaError(f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a data file may "
                          f"have; a data file is hand-written text: check this is the right file",
                          file=display)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SchemaError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8",
                          file=display, line=line) from None
    if text.startswith("\ufeff"):
        raise SchemaError("starts with a byte-order mark; save the file as UTF-8 without BOM",
                          file=display, line=1)
    return text


def load_yaml(path: Path, display: str, *, root: Path | None = None) -> tuple[Any, dict[Path_, int]]:
    """The document in ``path`` and a map from each value's path (keys and indexes) to its line.

    With ``root``, the file must lie inside that folder once symbolic links are followed.
    """
    text = read_text(path, display, root=root)
    if not text.strip():
        raise SchemaError("file is empty; restore its content", file=display)
    try:
        loader = _DataLoader(text)  # the reader checks every character here
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow
        line = text[:exc.position].count("\n") + 1
        raise SchemaError(f"character #x{exc.character:04x} is not allowed in YAML; delete it",
                          file=display, line=line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise SchemaError("file holds only comments, no data", file=display)
        lines: dict[Path_, int] = {}
        _collect_lines(node, (), lines, set(), display)
        data = loader.construct_document(node)
    except _AliasFound as found:
        raise SchemaError(_NO_ALIASES, file=display, line=found.line) from None
    except yaml.constructor.ConstructorError as exc:  # a tag SafeLoader refuses: nothing was run
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SchemaError(f"YAML tag not allowed in data files (plain values only): {exc.problem}",
                          file=display, line=line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f" (column {mark.column + 1})" if mark else ""
        detail = exc.problem or exc.context
        if exc.context and exc.problem and exc.problem.startswith("but "):
            detail = f"{exc.context}, {exc.problem}"  # "expected a single document ..., but found ..."
        raise SchemaError(f"YAML syntax error{column}: {detail}", file=display, line=line) from None
    except yaml.YAMLError as exc:
        raise SchemaError(f"YAML error: {exc}", file=display) from None
    finally:
        loader.dispose()
    return data, lines


def _collect_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int], seen: set[int],
                   display: str) -> None:
    if id(node) in seen:  # a node reached twice: an alias that got past the composer
        raise SchemaError(_NO_ALIASES, file=display, line=node.start_mark.line + 1)
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise SchemaError("a key must be plain text, not a list or mapping",
                                  file=display, line=key_line)
            if key_node.value in first_line:
                # PyYAML would keep the last value silently; a hand-edited file means one of them.
                raise SchemaError(f"duplicate key {key_node.value!r} (first at line "
                                  f"{first_line[key_node.value]}); keep one", file=display,
                                  line=key_line)
            first_line[key_node.value] = key_line
            _collect_lines(value_node, path + (key_node.value,), lines, seen, display)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines, seen, display)


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of the deepest known prefix of ``path``."""
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)
