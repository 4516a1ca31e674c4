"""The env var that overrides a framework config file's key, when the workload sets it.

Spring Boot binds ``SPRING_CLOUD_CONFIG_URI`` over ``spring.cloud.config.uri`` of its
``application``/``bootstrap`` files (relaxed binding), ASP.NET Core binds
``ConnectionStrings__Orders`` over ``ConnectionStrings:Orders`` of ``appsettings*.json``
(in any case): the env wins over the file, so a call the file names with ``localhost`` goes
where the deployment's env value says, with or without the manifests' own calls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import TypeVar

from socklock.discover.code.placeholders import spring_env_name

V = TypeVar("V")

_SPRING = re.compile(r"^(?:application|bootstrap)(?:[-.][\w.-]+)?\.(?:ya?ml|properties)$", re.I)
_DOTNET = re.compile(r"^appsettings(?:\.[\w-]+)?\.json$", re.I)


def overriding_env(key: str, file: str, env: Mapping[str, V]) -> tuple[str, V] | None:
    """(env var name, its value) when ``env`` sets the variable that overrides ``key`` of
    config ``file``; None for any other file (its program reads no env for it)."""
    name = PurePath(file).name
    if _SPRING.match(name):
        wanted = spring_env_name(key)[0]
        found = env.get(wanted)
        return (wanted, found) if found is not None else None
    if _DOTNET.match(name):
        wanted = key.replace(".", "__").lower()
        return next(((k, v) for k, v in env.items() if k.lower() == wanted), None)
    return None


def overridden_target(target: str, written: str, value: str) -> str:
    """The call target with the file's value replaced by the env's: the whole target, or the
    host in one the file composed (``spring.rabbitmq.host: localhost`` with its ``port``)."""
    if target == written or written not in target:
        return value
    return target.replace(written, value, 1)
