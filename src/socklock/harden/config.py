"""``socklock.toml``, section ``[harden]``: settings a repository keeps with its code.

```toml
[harden]
allowed_registries = ["ghcr.io/acme", "registry.example.com"]
level = "restricted"        # or "baseline"
pss_version = "latest"      # or "v1.30"
ignore = ["SLK204"]         # rules never to run
default_uid = 10001         # the UID fixes use when the image's Dockerfile has none
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socklock.errors import InputError
from socklock.model import Location

CONFIG_NAME = "socklock.toml"


@dataclass(frozen=True, slots=True)
class HardenConfig:
    allowed_registries: tuple[str, ...] = ()
    level: str | None = None
    pss_version: str | None = None
    ignore: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    default_uid: int | None = None
    file: str | None = None


def find_config(start: Path) -> Path | None:
    """The nearest ``socklock.toml`` in ``start`` (a file's directory) or above it."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _strings(value: Any, key: str, where: Location) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"[harden] {key} must be a list of strings", where)
    return tuple(value)


def load_config(path: Path) -> HardenConfig:
    where = Location(str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read config: {exc.strerror or exc}", where) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", where) from exc
    section = data.get("harden", {})
    if not isinstance(section, dict):
        raise InputError("[harden] must be a table", where)
    known = {"allowed_registries", "level", "pss_version", "ignore", "select", "default_uid"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise InputError(f"[harden] has unknown keys: {', '.join(unknown)}", where)
    uid = section.get("default_uid")
    if uid is not None and (not isinstance(uid, int) or isinstance(uid, bool) or uid <= 0):
        raise InputError("[harden] default_uid must be a positive integer", where)
    for key in ("level", "pss_version"):
        if key in section and not isinstance(section[key], str):
            raise InputError(f"[harden] {key} must be a string", where)
    return HardenConfig(
        allowed_registries=_strings(
            section.get("allowed_registries", []), "allowed_registries", where
        ),
        level=section.get("level"),
        pss_version=section.get("pss_version"),
        ignore=_strings(section.get("ignore", []), "ignore", where),
        select=_strings(section["select"], "select", where) if "select" in section else None,
        default_uid=uid,
        file=str(path),
    )
