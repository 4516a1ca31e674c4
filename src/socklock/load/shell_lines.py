"""The command lines of a shell script as the shell reads them: a line ending in ``\\``
goes on on the next one. Deploy scripts, entry points and ``docker run`` scripts are all
read line by line, with the number of the line each command starts on for evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

_SHEBANG = re.compile(rb"^#!\s*\S*/(?:env\s+)?(?:ba)?sh\b")


def is_shell_script(path: str) -> bool:
    """A ``.sh``/``.bash`` file, or one without a suffix whose first line runs sh or bash
    (``#!/usr/bin/env bash``): a name with another suffix is some other language's."""
    name = Path(path).name
    if name.endswith((".sh", ".bash")):
        return True
    if "." in name:
        return False
    try:
        with Path(path).open("rb") as handle:
            return bool(_SHEBANG.match(handle.read(64)))
    except OSError:
        return False


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, stripped text) of each command line, ``\\`` continuations joined."""
    start, parts = 0, list[str]()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not parts:
            start = number
        line = raw.strip()
        if line.endswith("\\"):
            parts.append(line[:-1])
            continue
        parts.append(line)
        yield start, " ".join(p.strip() for p in parts)
        parts = []
    if parts:
        yield start, " ".join(p.strip() for p in parts)
