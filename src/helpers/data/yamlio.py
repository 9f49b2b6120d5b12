"""Safe YAML reading that remembers the line of every value, so errors can name it.

Only plain data is accepted: PyYAML's SafeLoader (no Python tags), and no anchors or
aliases, which hand-written data never needs and which let a few lines expand without
limit (the "YAML bomb"). Nor merge keys (``<<``), keys that are not text, numbers that are not
finite (``.nan``, ``.inf``), numbers with more digits than a float keeps (they would be read as
another number) or nesting deeper than a hand-written file ever needs.

No file may hold a bidirectional-override character (U+202A-U+202E, U+2066-U+2069): it makes
a text display otherwise than it is stored. No value, and no source text, may hold a control
character but tab, newline and carriage return: they would reach the HTML and the terminal.
"""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from helpers.errors import SchemaError

MAX_FILE_BYTES = 5_000_000  # a hand-edited data file is a few kilobytes
MAX_DEPTH = 32  # levels of nesting; a claims file has five, and Python's stack is finite
_NO_ALIASES = "YAML anchors and aliases are not allowed in data files; write the values out"
_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_KEY_KINDS = {"tag:yaml.org,2002:int": "a whole number", _FLOAT: "a number",
              "tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:null": "null",
              "tag:yaml.org,2002:value": "YAML's value indicator"}

# Characters that reorder how text is displayed (the "Trojan Source" characters).
BIDI_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 controls but tab, newline and carriage return; DEL; C1 controls.
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                    *range(0x7F, 0xA0)])
_BIDI = re.compile(f"[{BIDI_OVERRIDES}]")
_BIDI_OR_CONTROL = re.compile(f"[{re.escape(BIDI_OVERRIDES + CONTROLS)}]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB",
                  0x0C: "FORM FEED", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEXT LINE", 0x9B: "CSI"}

Path_ = tuple[Any, ...]


class _AliasFound(Exception):
    """An alias (``*name``) where the composer would reuse an anchored node."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _TooDeep(Exception):
    """A collection nested more than MAX_DEPTH levels deep, starting on ``line``."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _DataLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text the researcher wrote ('2023-12-04'),
    stops at the first alias, naming the line where it is used, and at the first node nested
    deeper than MAX_DEPTH (the composer recurses once per level: a deep file would exhaust the
    stack)."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event().start_mark.line + 1)
        if self._depth >= MAX_DEPTH:
            raise _TooDeep(self.peek_event().start_mark.line + 1)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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


def describe_character(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)', 'U+001B (ESC)': a character a message can show."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def forbidden_character(text: str, *, controls: bool = True) -> tuple[int, str] | None:
    """The index and a description of the first bidirectional override (and, with
    ``controls``, the first control character but tab, newline and CR) in ``text``, or None."""
    found = (_BIDI_OR_CONTROL if controls else _BIDI).search(text)
    if found is None:
        return None
    char = found.group()
    if char in BIDI_OVERRIDES:
        return found.start(), (f"character {describe_character(char)} is not allowed: it changes "
                               f"how the text around it is displayed, so readers would not see "
                               f"what is stored; delete it")
    return found.start(), f"control character {describe_character(char)} is not allowed; delete it"


def read_text(path: Path, display: str, *, root: Path | None = None,
              source_text: bool = False) -> str:
    """The file's text as UTF-8, or a one-line error that says what is wrong with it.

    With ``root``, the file must lie inside that folder once symbolic links are followed.
    No file may hold a bidirectional override; a ``source_text`` may hold no control character
    but tab, newline and CR either (in YAML files the YAML reader refuses those itself).
    """
    if root is not None:
        check_inside(path, root, display)
    if path.is_dir():
        raise SchemaError(f"is a folder, not a file; move it out of {Path(display).parent}/ or "
                          f"rename it", file=display)
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
    found = forbidden_character(text, controls=source_text)
    if found is not None:
        at, message = found
        if source_text:
            message += " (then update sha256 in the source's record)"
        raise SchemaError(message, file=display, line=text[:at].count("\n") + 1)
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
        _collect_lines(node, (), lines, set(), display, loader)
        data = loader.construct_document(node)
    except _AliasFound as found:
        raise SchemaError(_NO_ALIASES, file=display, line=found.line) from None
    except _TooDeep as deep:
        raise SchemaError(f"nested more than {MAX_DEPTH} levels deep; a hand-written data "
                          f"file needs a few", file=display,
                          line=deep.line) from None
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
                   display: str, loader: _DataLoader) -> None:
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
            if key_node.tag == _MERGE:
                # '<<' would copy fields in from elsewhere, past the duplicate-key rule below.
                raise SchemaError("merge keys ('<<') are not allowed in data files; write the "
                                  "fields out", file=display, line=key_line)
            if key_node.tag in _KEY_KINDS:
                raise SchemaError(f"key {key_node.value} is read as {_KEY_KINDS[key_node.tag]}, "
                                  f"not text; put it in quotes ('{key_node.value}':)",
                                  file=display, line=key_line)
            if key_node.tag != _STR and key_node.tag in loader.yaml_constructors:
                tag = key_node.tag.replace("tag:yaml.org,2002:", "!!")
                raise SchemaError(f"key {key_node.value} is tagged {tag}, not text; delete the tag",
                                  file=display, line=key_line)
            # Any other tag is one SafeLoader refuses: the constructor names it below.
            _check_scalar(key_node, path, display, loader)
            if key_node.value in first_line:
                # PyYAML would keep the last value silently; a hand-edited file means one of them.
                raise SchemaError(f"duplicate key {key_node.value!r} (first at line "
                                  f"{first_line[key_node.value]}); keep one", file=display,
                                  line=key_line)
            first_line[key_node.value] = key_line
            _collect_lines(value_node, path + (key_node.value,), lines, seen, display, loader)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines, seen, display, loader)
    else:
        _check_scalar(node, path, display, loader)


def _check_scalar(node: yaml.ScalarNode, path: Path_, display: str, loader: _DataLoader) -> None:
    """A value's characters (escapes such as "\\x1b" are decoded by now) and its number."""
    line = node.start_mark.line + 1
    field = f"field {path[-1]!r}: " if path and isinstance(path[-1], str) else ""
    found = forbidden_character(node.value)
    if found is not None:
        raise SchemaError(field + found[1], file=display, line=line)
    if node.tag == _FLOAT and not math.isfinite(loader.construct_yaml_float(node)):
        raise SchemaError(f"{field}{node.value} is not a finite number; write the number itself",
                          file=display, line=line)
    if node.tag == _FLOAT:
        read = loader.construct_yaml_float(node)
        try:
            written = Decimal(node.value.replace("_", ""))
        except InvalidOperation:  # YAML 1.1's base-60 floats ("1:30.5")
            written = None
        if written is not None and written != Decimal(repr(read)):
            # A double keeps about 16 digits: "17.500000000000000001" would be read as 17.5.
            raise SchemaError(f"{field}{node.value} has more digits than a YAML number keeps (it "
                              f"would be read as {read!r}); write fewer digits", file=display,
                              line=line)


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of the deepest known prefix of ``path``."""
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)
