"""Which compose files ``docker compose`` reads in a directory when it is given no ``-f``.

Compose (compose-go's ``cli.DefaultFileNames``) takes the first of ``compose.yaml``,
``compose.yml``, ``docker-compose.yml``, ``docker-compose.yaml`` that exists, then the first
override file that exists (``compose.override.yml``, ``compose.override.yaml``,
``docker-compose.override.yml``, ``docker-compose.override.yaml``), whatever the main
file's spelling. ``COMPOSE_FILE`` in the directory's ``.env`` replaces both: its list
(separated by ``COMPOSE_PATH_SEPARATOR``, else ``:``) is read, in order. Every other compose
file of the directory (``docker-compose.prod.yml``, ``compose.tls.yaml``) is read only when
named with ``-f``: a variant of the application, not part of its default deployment.
"""

# ruff: noqa: PTH118, PTH119
# (paths stay the strings the user will see in messages)

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

DEFAULT_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)


def main_and_override(names: Collection[str]) -> tuple[str | None, str | None]:
    """Of the file ``names`` in one directory: the main file and the override file that
    ``docker compose`` picks there (None for either that is missing; no override
    without a main file)."""
    main = next((n for n in DEFAULT_NAMES if n in names), None)
    if main is None:
        return None, None
    return main, next((n for n in OVERRIDE_NAMES if n in names), None)


def compose_file_setting(directory: str) -> tuple[str, ...] | None:
    """``COMPOSE_FILE`` from ``directory/.env`` as absolute paths, or None when not set."""
    from socklock.load.interpolate import read_env_entries

    path = os.path.join(directory, ".env")
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "COMPOSE_FILE" not in text:
        return None
    entries = read_env_entries(text, path)
    listed = entries.get("COMPOSE_FILE")
    if listed is None or not listed.value:
        return None
    separator = entries.get("COMPOSE_PATH_SEPARATOR")
    parts = listed.value.split(separator.value if separator and separator.value else ":")
    return tuple(os.path.normpath(os.path.join(directory, p.strip())) for p in parts if p.strip())


def default_files(directory: str, files: Collection[str]) -> tuple[str, ...]:
    """Of ``files`` (absolute paths of the compose files found in ``directory``), the ones
    ``docker compose`` reads there without ``-f``, in its order; empty when it reads none
    of them (the directory has no file of a default name)."""
    listed = compose_file_setting(directory)
    if listed is not None:
        return tuple(f for f in listed if f in files)
    main, override = main_and_override({os.path.basename(f) for f in files})
    return tuple(os.path.join(directory, n) for n in (main, override) if n is not None)
