"""core/readings.py: a reading's choices, its extremum scope held as an ExtremumScope."""
from __future__ import annotations

import json

import pytest

from helpers.core.enums import ExtremumScope
from helpers.core.readings import Reading, build_readings


def test_a_scope_given_as_text_is_held_as_the_enum_and_told_as_text():
    reading = Reading("r", "", "s", extremum_scope="window")
    assert reading.extremum_scope is ExtremumScope.WINDOW
    assert reading.comparison_scope is ExtremumScope.WINDOW
    assert json.dumps(reading.parameters()) == ('{"series_map": {}, "comparison_scope": "window", '
                                                '"strict_extremes": true, "alternatives": {}}')
    assert Reading("r", "", "s").extremum_scope is ExtremumScope.STATED


def test_a_scope_outside_the_enum_is_refused():
    with pytest.raises(ValueError, match="everywhere"):
        Reading("r", "", "s", extremum_scope="everywhere")


def test_readings_built_from_yaml_hold_every_scope():
    raw = {"default": ExtremumScope.STATED.value,
           "readings": {scope.value: {"description": scope.description, "series": "s",
                                      "extremum_scope": scope.value, "strict_extremes": True}
                        for scope in ExtremumScope}}
    readings = build_readings(raw, "readings.yml")
    assert {name: r.extremum_scope for name, r in readings.by_name.items()} == {s.value: s for s in ExtremumScope}
