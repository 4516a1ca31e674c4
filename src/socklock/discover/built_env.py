"""Env a service built from the input gets through an env file it shares with others.

One ``.env`` handed to every service of a compose file (``env_file: .env``) gives each one
the addresses of all the others. A service whose image is built from a local context that
holds no source code (an emulator or a server packaged with a ``Dockerfile`` and a start
script) runs a program of someone else's that the build's files configure: a shared
file's variable is its call only when those files name it (``start.sh`` reading
``$API_URL``, a config template with ``${API_URL}``). A variable set for the service
alone (``environment:``, or an env file no other service reads) stays a call.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from socklock.model import ComposeProject, ComposeService

MAX_FILES = 2000  # a build context larger than this is not a packaged program: not judged
MAX_FILE_BYTES = 512 * 1024


def ignores_shared_env(
    service: ComposeService, project: ComposeProject, name: str, env_file: str
) -> bool:
    """Whether ``service`` (built from the input, none of its code in it) ignores variable
    ``name`` that ``env_file`` hands it: the file is shared with another service and no
    file of the build names the variable."""
    if not service.build_context or not _shared(env_file, service, project):
        return False
    context = Path(service.build_context).resolve()
    if not context.is_dir():
        return False
    skipped = frozenset(
        {Path(project.file).resolve(), *(_real(f) for s in project.services for f in s.env_files)}
    )
    files = _build_files(context, service.dockerfile, skipped)
    if files is None:
        return False
    needle = name.encode()
    return not any(needle in _content(path) for path in files)


def _shared(env_file: str, service: ComposeService, project: ComposeProject) -> bool:
    """Whether another program than ``service``'s reads ``env_file``: a service built from
    the same context and Dockerfile runs the same program."""
    real = _real(env_file)
    return any(
        other is not service
        and not _same_build(other, service)
        and any(_real(f) == real for f in other.env_files)
        for other in project.services
    )


def _same_build(one: ComposeService, other: ComposeService) -> bool:
    if not one.build_context or not other.build_context:
        return False
    return Path(one.build_context).resolve() == Path(other.build_context).resolve() and (
        one.dockerfile or "Dockerfile"
    ) == (other.dockerfile or "Dockerfile")


def _real(path: str) -> Path:
    from socklock.load.env_templates import env_template

    return Path(env_template(path) or path).resolve()


@lru_cache(maxsize=64)
def _build_files(
    context: Path, dockerfile: str | None, skipped: frozenset[Path]
) -> tuple[Path, ...] | None:
    """The files of a build context (and its Dockerfile elsewhere), or None when too many."""
    found: list[Path] = []
    for root, dirs, names in os.walk(context):
        dirs[:] = [d for d in dirs if d not in (".git", "node_modules")]
        found.extend(p for n in names if (p := Path(root, n).resolve()) not in skipped)
        if len(found) > MAX_FILES:
            return None
    if dockerfile:
        path = (context / dockerfile).resolve()
        if path.is_file() and path not in found:
            found.append(path)
    return tuple(found)


@lru_cache(maxsize=4096)
def _content(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return b""
        return path.read_bytes()
    except OSError:
        return b""
