"""The shell script a compose service's command runs from a bind mount.

``entrypoint: /shell/compute.sh`` with ``./compute_wrapper/shell/:/shell/`` mounted: the
script is the service's command line, written in a file of the tree. Its lines are read as
the ``command`` is (the URLs it hands ``curl`` or ``mc``, the waits of ``nc -z db 5432``).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from socklock.model import ComposeProject, ComposeService

MAX_SCRIPT_BYTES = 64 * 1024
_SHEBANG = ("#!/bin/sh", "#!/bin/bash", "#!/usr/bin/env bash", "#!/usr/bin/env sh", "#!/bin/ash")


def mounted_scripts(
    project: ComposeProject, service: ComposeService, words: list[str]
) -> list[tuple[Path, str]]:
    """(file, text) of each shell script of the tree that ``words`` (the service's
    entrypoint and command) run by the path a bind mount of the service gives it."""
    from socklock.discover.proxies.mounts import compose_mounts

    mounts = [m for m in compose_mounts(project, {}) if m.workload == service.id]
    found: list[tuple[Path, str]] = []
    for word in words:
        if not word.startswith("/") or " " in word:
            continue
        inside = PurePosixPath(word)
        for mount in mounts:
            if inside != mount.container and not inside.is_relative_to(mount.container):
                continue
            path = mount.host.joinpath(*inside.relative_to(mount.container).parts)
            text = _script(path)
            if text is not None and all(path != seen for seen, _ in found):
                found.append((path, text))
    return found


_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")


def script_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line, command line) of a script: a line ending in ``\\`` joined with the
    next, here-document bodies (a file's text, not commands) left out."""
    pending: list[str] = []
    start = 0
    ending: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if ending:
            if line.strip() == ending[0]:
                ending.pop(0)
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        joined = " ".join([*pending, line])
        pending = []
        ending.extend(match[2] for match in _HEREDOC.finditer(joined))
        yield start, joined
    if pending:
        yield start, " ".join(pending)


def _script(path: Path) -> str | None:
    """The text of ``path`` when it is a shell script (by its suffix or first line)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_SCRIPT_BYTES:
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if path.suffix in (".sh", ".bash") or text.startswith(_SHEBANG):
        return text
    return None
