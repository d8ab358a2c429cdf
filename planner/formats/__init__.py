"""File formats for ``flask export`` / ``flask import`` and the export pages.

Every module in this package that defines ``FORMAT`` (e.g. ``"json"``) is a format. It may
define either or both of:

- ``export(organisation, year, plan_filter) -> bytes`` – the whole plan of a year;
- ``detect(raw: bytes, filename: str) -> bool`` and
  ``import_file(raw: bytes, filename: str, organisation: Organisation | None) -> str`` –
  recognise a file by its content (and name) and import it all or nothing, returning a
  Norwegian summary. Problems are raised as
  :class:`planner.domain.imports.errors.ImportRefused`.

A format module is an adaptor: reading files is the domain's (``planner.domain.imports``),
importing and exporting the services'; the module wires them to the command line.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def formats() -> dict[str, ModuleType]:
    """All format modules by their FORMAT name."""
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = getattr(module, "FORMAT", None)
        if name:
            found[name] = module
    return found


def exporters() -> dict[str, ModuleType]:
    """Formats that can export."""
    return {name: m for name, m in formats().items() if hasattr(m, "export")}


def importer_for(raw: bytes, filename: str) -> ModuleType | None:
    """The format that recognises this file, if any."""
    for module in formats().values():
        if hasattr(module, "detect") and module.detect(raw, filename):
            return module
    return None
