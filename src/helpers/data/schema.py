"""JSON Schemas of the data files, and validation that reports one line naming file, line and claim.

The schemas are the documentation's source of truth (data/README.md describes them in words);
checks that a schema cannot express (duplicate ids, quotes, months in order) live in the loaders.
"""
from __future__ import annotations

from typing import Any

import jsonschema

from helpers import kinds
from helpers.core.enums import ComparisonScope
from helpers.errors import SchemaError
from helpers.core.intervals import INTERVAL_PATTERN
from helpers.core.limits import MAX_COUNT, number_problem
from helpers.core.months import MONTH_PATTERN, PERIOD_PATTERN
from helpers.data.yamlio import line_of
from helpers.kinds.base import INTERVAL as _INTERVAL, TEXT as _TEXT

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_TEXT_FILE_PATTERN = r"^[A-Za-z0-9_.-]+\.txt$"
_SHA256_PATTERN = "^[0-9a-f]{64}$"
_LANGUAGE_PATTERN = "^[a-z]{2,3}$"
_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_ID = {"type": "string", "pattern": _ID_PATTERN}
_SCOPE = {"enum": [scope.value for scope in ComparisonScope]}

# Fields every claim has; the fields of each kind are the kind's own (helpers/kinds/<kind>.py).
_COMMON = {
    "id": _ID,
    "kind": {"enum": kinds.names()},
    "series": _ID,
    "quote": _TEXT,
    "quote_prefix": _TEXT,
    "quote_suffix": _TEXT,
    "note": _TEXT,
}
# How a claim stands among others (after the kind's own fields, which ``alternatives`` restate).
_LINKS = {
    "same_as": _ID,      # another source's claim that is the same statement (data/statements.py)
    "ambiguity": _ID,    # the kind of doubt the claim's alternatives settle
}


def _kind_branch(kind: type[kinds.Kind]) -> dict[str, Any]:
    # Named alternatives: other values of the kind's own fields, each with an optional note.
    alternatives = {"type": "object", "minProperties": 1, "propertyNames": _ID,
                    "additionalProperties": {"type": "object", "minProperties": 1,
                                             "additionalProperties": False,
                                             "properties": {**kind.fields, "note": _TEXT}}}
    then: dict[str, Any] = {
        "properties": {**_COMMON, **kind.fields, **_LINKS, "alternatives": alternatives},
        "required": list(kind.required),
        "additionalProperties": False,
    }
    # oneOf: exactly one way of stating the number; anyOf: at least one (an order's sides).
    for key, ways in (("oneOf", kind.one_of), ("anyOf", kind.any_of)):
        if ways:
            then[key] = [{"required": list(way)} for way in ways]
    return {"if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]}, "then": then}


CLAIMS_FILE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["source", "claims"],
    "additionalProperties": False,
    "properties": {
        "source": _ID,
        # Numbers in the source deliberately left out of every claim, each with its reason.
        "not_used": {"type": "array", "items": {
            "type": "object", "required": ["quote", "reason"], "additionalProperties": False,
            "properties": {"quote": _TEXT, "reason": _TEXT, "quote_prefix": _TEXT,
                           "quote_suffix": _TEXT}}},
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "kind", "series", "quote"],
                "properties": {"kind": _COMMON["kind"]},
                "allOf": [_kind_branch(kind) for kind in kinds.all_kinds()],
            },
        },
    },
}

SOURCE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "text", "sha256", "title", "language", "publisher", "date_published",
                 "licence"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "text": {"type": "string", "pattern": _TEXT_FILE_PATTERN},
        "sha256": {"type": "string", "pattern": _SHA256_PATTERN},
        "title": _TEXT,
        "language": {"type": "string", "pattern": _LANGUAGE_PATTERN},
        "publisher": {"type": ["string", "null"]},
        "author": {"type": ["string", "null"]},
        "url": {"type": ["string", "null"]},
        "date_published": {"type": "string", "pattern": _DATE_PATTERN},
        "date_accessed": {"type": ["string", "null"]},
        "licence": _TEXT,
        "cites": {"type": "array", "items": {
            "type": "object", "required": ["name"], "additionalProperties": False,
            "properties": {"name": _TEXT, "kind": _TEXT, "date": _TEXT, "url": _TEXT, "note": _TEXT}}},
        "inferred": {"type": "object", "additionalProperties": _TEXT},
        "notes": _TEXT,
    },
}

VOCABULARY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    # One table per kind's ``table`` (kinds may share one: a rate's words scale like a total's).
    "properties": {table: {"type": "object", "additionalProperties": _INTERVAL}
                   for table in dict.fromkeys(k.table for k in kinds.all_kinds() if k.table)},
}

READINGS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["default", "readings"],
    "additionalProperties": False,
    "properties": {
        "default": _ID,
        "readings": {"type": "object", "minProperties": 1, "additionalProperties": {
            "type": "object",
            # comparison_scope (or its older name extremum_scope) is required too: readings.py
            "required": ["description", "series", "strict_extremes"],
            "additionalProperties": False,
            "properties": {
                "description": _TEXT,
                "series": _ID,
                "series_map": {"type": "object", "additionalProperties": _ID},
                "comparison_scope": _SCOPE,
                "extremum_scope": _SCOPE,
                "strict_extremes": {"type": "boolean"},
                # claim id or kind of ambiguity -> alternative name (checked against the claims)
                "alternatives": {"type": "object", "propertyNames": _ID, "additionalProperties": _ID},
            }}},
    },
}


def _number_limits(validator, limits: dict[str, Any], instance: Any, schema: dict[str, Any]):
    """The ``numberLimits`` keyword (helpers.kinds.base): every number in a value (a number, a
    percentage in text, the ends of an interval) within the limits it names."""
    problem = number_problem(instance, largest=limits["largest"], decimals=limits["decimals"],
                             what=limits.get("what", "number"))
    if problem:
        yield jsonschema.ValidationError(problem)


# Draft 2020-12 with the one keyword of this package's own.
Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                         {"numberLimits": _number_limits})


def validate(document: Any, schema: dict[str, Any], *, file: str, lines: dict) -> None:
    """Raise SchemaError for the most relevant schema violation, naming its line and claim."""
    validator = Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return
    # best_match may pick an if/then branch; descend to the leaf that says what is wrong...
    while error.context:
        error = jsonschema.exceptions.best_match(error.context)
    # ...unless the value fits none of a described choice ("others" or a list): say that instead.
    ancestor = error
    while ancestor is not None and not _fits_no_alternative(ancestor):
        ancestor = ancestor.parent
    error = ancestor or error
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        # Name the first unknown key and point at its own line, not at the mapping's.
        allowed = error.schema.get("properties", {})
        unknown = next(key for key in error.instance if key not in allowed)
        inside = f" in {path[-1]!r}" if path and isinstance(path[-1], str) else ""
        known = f" (known: {', '.join(allowed)})" if allowed else ""
        message = f"unknown field {unknown!r}{inside}{known}"
        path = path + (unknown,)
    else:
        field = next((p for p in reversed(path) if isinstance(p, str)), None)
        # Inside a claim the claim id says where; 'claims' itself is named when it is the problem.
        named = field and (field != "claims" or path == ("claims",))
        message = (f"field '{field}': " if named else "") + _plain(error)
    claim = None
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
        item = document["claims"][path[1]]
        claim = item.get("id") if isinstance(item, dict) else None
        claim = claim if isinstance(claim, str) else f"#{path[1] + 1}"
    raise SchemaError(message, file=file, line=line_of(lines, path), claim=claim)


def _fits_no_alternative(error: jsonschema.ValidationError) -> bool:
    """A described oneOf whose every alternative fails at the value itself, not deeper inside."""
    depth = len(error.absolute_path)
    return (error.validator == "oneOf" and "description" in error.schema
            and all(len(e.absolute_path) == depth for e in error.context))


_TYPE_WORDS = {"integer": "a whole number", "number": "a number", "string": "text",
               "array": "a list", "object": "a mapping of fields", "boolean": "true or false",
               "null": "null"}


def _plain(error: jsonschema.ValidationError) -> str:
    """jsonschema's message, shortened where it would print a whole sub-document."""
    if error.validator == "pattern":
        hints = {MONTH_PATTERN: "a month written YYYY-MM (e.g. 2023-09)",
                 PERIOD_PATTERN: "a month YYYY-MM or a period YYYY-MM..YYYY-MM",
                 INTERVAL_PATTERN: "an interval such as '[1.75, 2)'",
                 _ID_PATTERN: "an id of letters, digits, '_', '.' and '-' (e.g. oct-218)",
                 _TEXT_FILE_PATTERN: "the name of a .txt file beside the record (no folders)",
                 _SHA256_PATTERN: "a sha256 of 64 lowercase hex digits (as sha256sum prints it)",
                 _LANGUAGE_PATTERN: "a lowercase ISO 639 language code such as 'en'",
                 _DATE_PATTERN: "a date written YYYY, YYYY-MM or YYYY-MM-DD"}
        wanted = hints.get(error.validator_value, f"text matching {error.validator_value}")
        return f"{error.instance!r} is not {wanted}"
    if error.validator == "oneOf" and "description" in error.schema:
        return f"{error.instance!r} is not {error.schema['description']}"
    if error.validator == "numberLimits":
        return error.message
    if error.validator == "maximum" and error.validator_value == MAX_COUNT:
        return number_problem(error.instance) or error.message
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        return "state the number exactly one way: " + " or ".join(
            "/".join(s["required"]) for s in error.validator_value)
    if error.validator == "anyOf" and isinstance(error.instance, dict):
        return "say what it is compared with: " + " or ".join(
            "/".join(s["required"]) for s in error.validator_value)
    if error.validator == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        return f"{error.instance!r} is not " + " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
    if error.validator == "required":
        message = error.message.replace("is a required property", "is missing")
        if error.schema.get("additionalProperties") is False and isinstance(error.instance, dict):
            unknown = [k for k in error.instance if k not in error.schema.get("properties", {})]
            if unknown:  # most likely a misspelling of the missing field
                message += f" (and {unknown[0]!r} is an unknown field)"
        return message
    message = error.message
    return message if len(message) <= 160 else message[:157] + "..."
