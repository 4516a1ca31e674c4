"""Programs a build unit's own build script compiles into another folder's image.

A repository often builds each Go service on the host (``make build`` in ``gateway/``:
``go build -o ../build/gateway/micro``) and packages the binary with a Dockerfile in a folder
of its own (``build/gateway/Dockerfile``: ``COPY micro /micro``): the service built from that
folder runs the unit's code, though the folder holds none of it. The build scripts read are
the unit directory's Makefile and shell scripts; a ``go build -o`` output counts when it
lands in a folder whose Dockerfile copies a file of its name. A path holding a variable is
never guessed.
"""

# ruff: noqa: PTH118, PTH119, PTH208
# (string paths, as the scripts write them)

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from socklock.discover.commands import simple_commands
from socklock.discover.created_config import read_head

MAX_BYTES = 256 * 1024
_SCRIPTS = re.compile(r"^(?:GNU)?makefile$|\.(?:sh|bash|mk)$", re.IGNORECASE)
_COPY = re.compile(r"^\s*(?:COPY|ADD)\s+(?:--\S+\s+)*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def built_into(unit: Path) -> Iterator[tuple[Path, Path]]:
    """(output file, script) of each ``go build -o PATH`` the unit directory's build
    scripts run, the path resolved from the unit's directory."""
    try:
        names = sorted(os.listdir(unit))
    except OSError:
        return
    for name in names:
        script = unit / name
        if not _SCRIPTS.search(name) or not script.is_file():
            continue
        text = read_head(script, MAX_BYTES)
        if text is None:
            continue
        for line in text.splitlines():
            if "go" not in line or "build" not in line:
                continue
            for command in simple_commands([line.strip().lstrip("@-")]):
                output = _output(command)
                if output is not None and "$" not in output:
                    yield Path(os.path.normpath(os.path.join(unit, output))), script


def copies(dockerfile: Path, name: str) -> bool:
    """Whether the Dockerfile copies a file named ``name`` from its build context."""
    text = read_head(dockerfile, MAX_BYTES)
    if text is None:
        return False
    for match in _COPY.finditer(text):
        sources = match.group(1).split()[:-1]
        if any(os.path.basename(s.rstrip("/")) == name for s in sources):
            return True
    return False


def _output(command: list[str]) -> str | None:
    """The ``-o`` path of a ``go build`` command (env assignments before it allowed)."""
    words = [w for w in command if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", w)]
    if len(words) < 2 or os.path.basename(words[0]) != "go" or words[1] != "build":
        return None
    for index, word in enumerate(words[2:], 2):
        if word == "-o" and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("-o="):
            return word[3:]
    return None
