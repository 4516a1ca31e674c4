"""The env files in a build unit's own tree: the environment its program loads when it runs
on the host with no deployment.

A Node service's ``dotenv.config({path: `./.env.${NODE_ENV}`})``, a Go service's viper
reading ``pkg/config/envs/dev.env``, python-dotenv's ``.env``: nothing deploys the unit, so
the only environment the repository gives it is the env files under its directory. Several
files (``.env.dev``, ``.env.production``) are several ways to run it: every value counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from socklock.discover.attribution import owners_of
from socklock.discover.env_mounts import is_env_file_name
from socklock.load.interpolate import read_env_entries
from socklock.model import Location

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from socklock.discover.attribution import Context

MAX_BYTES = 256 * 1024  # an env file is small


@dataclass(frozen=True, slots=True)
class UnitEnv:
    """One value an env file of the unit sets."""

    value: str
    where: Location


def unit_env_files(
    paths: Iterable[str], contexts: list[Context], units: Collection[str]
) -> dict[str, dict[str, list[UnitEnv]]]:
    """graph id of a unit that nothing deploys → variable → every value its env files set."""
    found: dict[str, dict[str, list[UnitEnv]]] = {}
    for path in paths:
        if not is_env_file_name(Path(path).name):
            continue
        owners = [c.workload for c in owners_of(path, contexts) if c.workload in units]
        if not owners:
            continue
        try:
            with Path(path).open(encoding="utf-8", errors="replace") as handle:
                text = handle.read(MAX_BYTES)
        except OSError:
            continue
        for name, entry in read_env_entries(text, path).items():
            if entry.value is None:
                continue
            for owner in owners:
                values = found.setdefault(owner, {}).setdefault(name, [])
                values.append(UnitEnv(entry.value, entry.location))
    return found


def copied_env_files(
    paths: Iterable[str], contexts: list[Context], copies: dict[str, set[tuple[str, str]]]
) -> dict[str, dict[str, list[UnitEnv]]]:
    """graph id → variable → values, of the env files a workload's entry-point script makes
    from a template in the directory it runs the program in (``cp .env.example .env``,
    Laravel's and Lumen's setup): each such template in the workload's own tree is the
    program's ``.env``, unless a real env file of the destination's name sits beside it
    (then that file is). Only operands that are bare file names (relative to the directory
    the script works in) count: a path names a place in the container, not in the tree."""
    found: dict[str, dict[str, list[UnitEnv]]] = {}
    for path in paths:
        here = Path(path)
        for owner in {c.workload for c in owners_of(path, contexts)}:
            for source, destination in copies.get(owner, set()):
                if "/" in source or "/" in destination or not is_env_file_name(destination):
                    continue
                if here.name == destination or here.name != source:
                    continue
                real = here.with_name(destination)
                _read_into(found.setdefault(owner, {}), real if real.is_file() else here)
    return found


def _read_into(into: dict[str, list[UnitEnv]], path: Path) -> None:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            text = handle.read(MAX_BYTES)
    except OSError:
        return
    for name, entry in read_env_entries(text, str(path)).items():
        if entry.value is not None:
            into.setdefault(name, []).append(UnitEnv(entry.value, entry.location))
