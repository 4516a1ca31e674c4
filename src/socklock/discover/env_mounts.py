"""Env files a compose service mounts where its program loads them (``./.env:/var/www/.env``).

Frameworks read a dotenv file from the application's directory at start-up (Laravel,
Symfony, Rails with dotenv, Node's ``dotenv``, python-dotenv): a compose file that bind-
mounts the project's ``.env`` into the container hands the program every value of it,
as ``env_file`` would, though compose itself never reads it as the service's environment.
The real environment wins over the file (the loaders do not overwrite a set variable),
so its values come last. A new clone has no ``.env``: the repository's template is read
(:mod:`socklock.load.env_templates`).
"""

# ruff: noqa: PTH111, PTH113, PTH118, PTH120
# (paths stay the strings the user will see in evidence)

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from socklock.load.env_templates import env_template

if TYPE_CHECKING:
    from socklock.model import ComposeService, Inventory


def is_env_file_name(name: str) -> bool:
    """``.env``, ``.env.production``, ``app.env``: the names dotenv loaders read."""
    lower = name.lower()
    return lower == ".env" or lower.startswith(".env.") or lower.endswith(".env")


def mounted_env_files(service: ComposeService) -> list[str]:
    """The host env files ``service`` bind-mounts at an env file name inside the container,
    as paths to read (the template when the file itself is not committed)."""
    base = os.path.dirname(service.location.file)
    found: list[str] = []
    for volume in service.volumes:
        source, target = _bind(volume)
        if source is None or target is None:
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
