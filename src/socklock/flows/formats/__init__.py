"""Flow formats, one plug-in module each (NAME, DESCRIPTION, detect, parser); add a module
here and to FORMATS. Detection tries them in order on a file's first non-blank line."""

from __future__ import annotations

from types import ModuleType

from socklock.flows.formats import calico, hubble, kernel_log, lab, vpc

FORMATS: dict[str, ModuleType] = {m.NAME: m for m in (hubble, calico, kernel_log, vpc, lab)}


def detect(line: str) -> str | None:
    """The name of the format of a file whose first non-blank line is ``line``."""
    for name, module in FORMATS.items():
        if module.detect(line):
            return name
    return None
