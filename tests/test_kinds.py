"""The claim kinds package: one module per kind, one registry, and no kind named anywhere else."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import pytest

from helpers import kinds, paths
from helpers.kinds import base
from helpers.kinds.base import Kind

# Outside helpers/kinds/, a kind's name may stand in a string only where it means something else,
# recognised by the text of its line (so the exception survives a module being split or moved).
OTHER_MEANINGS = {
    "context": [r'CONTEXT = "context"',          # the claim status (core/enums.py)
                r'status\("context"'],           # a claim given that status (engine)
    "total": [r'"total": len\(',                 # an AnnotationCollection's item count (W3C)
              r'"period", "total"'],             # a column heading of the text format
}


def kind_name_literals() -> list[str]:
    """'file:line: text' for every string literal outside helpers/kinds/ that is a kind's name."""
    found = []
    names = set(kinds.names())
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(paths.PACKAGE_DIR)
        if relative.parts[0] == "kinds":
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Constant) and node.value in names:
                line = lines[node.lineno - 1]
                if not any(re.search(p, line) for p in OTHER_MEANINGS.get(node.value, [])):
                    found.append(f"{relative}:{node.lineno}: {line.strip()}")
    return found


def test_no_module_outside_the_kinds_package_names_a_kind():
    found = kind_name_literals()
    assert not found, "kinds named outside helpers/kinds/ (ask the registry instead):\n" + \
        "\n".join(found)


def test_the_scan_would_see_a_kind_named_elsewhere(tmp_path, monkeypatch):
    package = tmp_path / "helpers"
    (package / "kinds").mkdir(parents=True)
    (package / "kinds" / "total.py").write_text('NAME = "total"\n')
    (package / "engine.py").write_text('if claim.kind == "share":\n    pass\nSTATUS = "binding"\n')
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    assert kind_name_literals() == ['engine.py:1: if claim.kind == "share":']


def test_every_module_of_the_package_is_a_registered_kind_or_the_base():
    modules = sorted(p.stem for p in (paths.PACKAGE_DIR / "kinds").glob("*.py"))
    assert sorted(kinds.names()) == [m for m in modules if m not in {"__init__", "base"}]


def test_every_kind_holds_all_its_parts():
    for kind in kinds.all_kinds():
        assert kind.spec.__module__ == f"helpers.kinds.{kind.name}", kind.name
        assert kinds.get(kind.name) is kind
        assert set(kind.required) <= set(kind.fields), kind.name
        ways = {f for way in (*kind.one_of, *kind.any_of) for f in way}
        assert ways <= set(kind.fields), kind.name
        assert ("words" in kind.fields) == bool(kind.table), kind.name
        for part in ("parse", "describe"):
            assert getattr(kind, part).__func__ is not getattr(Kind, part).__func__, (kind.name, part)


def test_the_registry_lists_kinds_in_their_order():
    assert kinds.names()[:6] == ["total", "extremum", "order", "share", "ratio", "context"]
    names = kinds.names()
    assert kinds.listing() == ", ".join(names[:-1]) + " or " + names[-1]


def test_a_spec_tells_its_kind():
    from helpers.kinds.share import Share
    assert kinds.of_spec(Share.__new__(Share)).name == "share"
    with pytest.raises(KeyError, match="no claim kind has the spec int"):
        kinds.of_spec(3)
    with pytest.raises(KeyError, match="no claim kind 'maximum' \\(known: total, "):
        kinds.get("maximum")


def test_two_kinds_cannot_share_a_name(monkeypatch):
    monkeypatch.setattr(base, "_KINDS", dict(base._KINDS))

    @dataclass(frozen=True)
    class Other:
        pass

    class AnotherTotal(Kind):
        name = "total"
        spec = Other

    with pytest.raises(ValueError, match="two claim kinds are named 'total'"):
        kinds.register(AnotherTotal)
    assert kinds.register(kinds.get("total")) is kinds.get("total")  # registering again is harmless


def test_a_new_kind_is_in_the_schema_the_words_and_the_model_once_registered(monkeypatch):
    """What adding a module does: the registry is all the rest of the package asks."""
    monkeypatch.setattr(base, "_KINDS", dict(base._KINDS))

    @dataclass(frozen=True)
    class Flat:
        month: str

    class FlatKind(Kind):
        name = "flat"
        spec = Flat
        fields = {"month": base.MONTH}
        required = ("month",)

        @classmethod
        def parse(cls, raw, vocabulary):
            return Flat(raw["month"])

        @classmethod
        def describe(cls, spec, words):
            return f"{spec.month} is flat"

    kinds.register(FlatKind)
    from helpers.data.claims import build_claim
    from helpers.core.vocabulary import Vocabulary
    from helpers.present.words import describe
    claim = build_claim({"id": "f", "kind": "flat", "series": "s", "quote": "q", "month": "2023-05"},
                        source="src", vocabulary=Vocabulary({}))
    assert describe(claim) == "2023-05 is flat" and claim.months() == ["2023-05"]
    assert kinds.names()[-1] == "flat"  # no position given: after the kinds that have one
