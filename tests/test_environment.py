"""The conda environment and the pip install describe the same packages at the same versions."""
from __future__ import annotations

import re

import yaml

from helpers import paths

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)")


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = PIN.match(line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_environment_yml_pins_equal_requirements_in():
    root = paths.project_root()
    requirements = _pins((root / "requirements.in").read_text().splitlines())
    environment = yaml.safe_load((root / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert requirements, "requirements.in pins nothing"
    assert _pins(pip_section) == requirements


def test_lock_contains_every_direct_pin_at_its_version():
    root = paths.project_root()
    requirements = _pins((root / "requirements.in").read_text().splitlines())
    lock = _pins((root / "requirements.lock").read_text().splitlines())
    mismatched = {name: (version, lock.get(name)) for name, version in requirements.items()
                  if lock.get(name) != version}
    assert not mismatched, f"requirements.lock disagrees with requirements.in: {mismatched}"


def test_every_lock_line_is_an_exact_pin():
    root = paths.project_root()
    lines = [l for l in (root / "requirements.lock").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    assert lines and all(PIN.match(l) for l in lines)
