"""Claim kinds, one module each: its spec, schema fragment, parsing, rows and words.

Importing this package imports every module in it, and each kind module ends with its
``register(...)`` line, so the registry below knows every kind; adding a kind is adding one file
(see base.py for what a kind is made of). Everything else (the JSON Schema, the loader, the
model, the words of reports and exports) asks the registry and names no kind itself.
"""
from __future__ import annotations

import importlib
import pkgutil

from helpers.kinds.base import FieldError, Kind, all_kinds, get, listing, names, of_spec, register

__all__ = ["FieldError", "Kind", "all_kinds", "get", "listing", "names", "of_spec", "register"]

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
