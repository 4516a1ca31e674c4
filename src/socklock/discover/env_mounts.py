"""Env files a compose service mounts where its program loads them (``./.env:/var/www/.env``).

Frameworks read a dotenv file from the application's directory at start-up (Laravel,
Symfony, Rails with dotenv, Node's ``dotenv``, python-dotenv, Go's ``godotenv``): a
compose file that bind-mounts the project's ``.env`` into the container hands the program
every value of it, as ``env_file`` would, though compose itself never reads it as the
service's environment. So does a bind mount of the service's source directory onto the
directory the program starts in (``working_dir``, else its image's ``WORKDIR``) when that
directory holds a ``.env``: the loader finds it there.
The real environment wins over the file (the loaders do not overwrite a set variable),
so its values come last. A new clone has no ``.env``: the repository's template is read
(:mod:`socklock.load.env_templates`).
"""

# ruff: noqa: PTH111, PTH112, PTH113, PTH118, PTH120, PTH123
# (paths stay the strings the user will see in evidence)

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from socklock.load.env_templates import env_template

if TYPE_CHECKING:
    from socklock.model import ComposeService, Dockerfile, Inventory


def is_env_file_name(name: str) -> bool:
    """``.env``, ``.env.production``, ``app.env``: the names dotenv loaders read."""
    lower = name.lower()
    return lower == ".env" or lower.startswith(".env.") or lower.endswith(".env")


def mounted_env_files(service: ComposeService) -> list[str]:
    """The host env files ``service`` bind-mounts at an env file name inside the container,
    as paths to read (the template when the file itself is not committed)."""
    base = os.path.dirname(service.location.file)
    found: list[str] = []
    workdir: list[PurePosixPath | None] = []  # looked up once, when a directory is mounted
    for volume in service.volumes:
        source, target = _bind(volume)
        if source is None or target is None:
            continue
        if not is_env_file_name(PurePosixPath(target).name):
            if not workdir:
                workdir.append(_working_dir(service))
            dotenv = _dotenv_in(base, source, target, workdir[0], service.build_context)
            if dotenv is not None and dotenv not in found:
                found.append(dotenv)
            continue
        if not (
            is_env_file_name(PurePosixPath(target).name)
            and is_env_file_name(PurePosixPath(source).name)
        ):
            continue
        host = os.path.normpath(os.path.join(base, os.path.expanduser(source)))
        host = env_template(host) or host
        if os.path.isfile(host) and host not in found:
            found.append(host)
    return found


def _dotenv_in(
    base: str, source: str, target: str, workdir: PurePosixPath | None, context: str | None
) -> str | None:
    """The ``.env`` (or its template) of a host directory mounted at the working directory,
    when it is the directory the service's own program is built from: a public image given a
    whole repository to work in (``node`` running the front end's build beside a Django
    app) does not load the application's settings."""
    if workdir is None or PurePosixPath(os.path.normpath(target)) != workdir:
        return None
    folder = os.path.normpath(os.path.join(base, os.path.expanduser(source)))
    if not context or os.path.realpath(folder) != os.path.realpath(context):
        return None
    dotenv = os.path.join(folder, ".env")
    dotenv = env_template(dotenv) or dotenv
    return dotenv if os.path.isdir(folder) and os.path.isfile(dotenv) else None


def _working_dir(service: ComposeService) -> PurePosixPath | None:
    """Where the service's program starts: compose's ``working_dir``, else the final
    ``WORKDIR`` of the Dockerfile it is built from (None: not known, or ``/``)."""
    written = service.body.get("working_dir")
    if isinstance(written, str) and written.startswith("/"):
        return PurePosixPath(os.path.normpath(written))
    if not service.build_context:
        return None
    from socklock.discover.build_programs import working_directory
    from socklock.discover.proxies.images import build_settings

    dockerfile = _dockerfile(
        os.path.join(service.build_context, service.dockerfile or "Dockerfile")
    )
    if dockerfile is None:
        return None
    args, target = build_settings(service)
    found = working_directory(dockerfile, args, target)
    return None if found is None or found == PurePosixPath("/") or "$" in str(found) else found


@lru_cache(maxsize=64)
def _dockerfile(path: str) -> Dockerfile | None:
    from socklock.load.dockerfile import load_dockerfile

    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return load_dockerfile(file.read(), path)
    except (OSError, ValueError):
        return None


def compose_env_files(inventory: Inventory, aliases: dict[str, str]) -> dict[str, set[str]]:
    """The real path of each env file compose services take their environment from
    (``env_file``, or mounted where the program loads them; templates included) → the graph
    ids of those services. The file is their environment: it configures them, not every
    program whose tree it sits in (a build context of ``..`` holds ``deploy/envs/*.env``)."""
    found: dict[str, set[str]] = {}
    for project in inventory.compose_projects:
        for service in project.services:
            graph_id = aliases.get(service.id, service.id)
            paths = [env_template(env_file) or env_file for env_file in service.env_files]
            for path in [*paths, *mounted_env_files(service)]:
                found.setdefault(os.path.realpath(path), set()).add(graph_id)
    return found


def _bind(volume: object) -> tuple[str | None, str | None]:
    """(host path, container path) of a bind mount in short or long syntax."""
    if isinstance(volume, str):
        parts = volume.split(":")
        if len(parts) >= 2 and parts[0].startswith((".", "/", "~")):
            return parts[0], parts[1]
        return None, None
    if isinstance(volume, dict) and volume.get("type") == "bind":
        source, target = volume.get("source"), volume.get("target")
        if isinstance(source, str) and isinstance(target, str):
            return source, target
    return None, None
