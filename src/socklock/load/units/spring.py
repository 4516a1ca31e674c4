"""Spring Boot's own config: ``spring.application.name`` and ``server.port`` (Micronaut's
``micronaut.server.port`` and Quarkus's ``quarkus.http.port``, its profiles' too, in the
same files).

Read from ``src/main/resources/{bootstrap,application}[-profile].{yml,yaml,properties}``;
bootstrap first (Spring Cloud apps name themselves there). Ports from every profile are
kept, the default profile's first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from socklock.load.units.names import placeholder_default, port_of
from socklock.load.units.tree import read

RESOURCES = ("src/main/resources", "src/main/resources/config")
_FILE = re.compile(r"^(bootstrap|application)(-[\w.-]+)?\.(ya?ml|properties)$")
_PORT_KEYS = frozenset({"server.port", "micronaut.server.port", "quarkus.http.port"})
_PROPERTY = re.compile(r"^\s*(%?[\w.\-\[\]]+)\s*[=:]\s*(.*?)\s*$")


def config_files(module: Path) -> list[Path]:
    """The module's Spring config files: bootstrap before application, default profile first."""
    found: list[Path] = []
    for resources in RESOURCES:
        directory = module / resources
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            if _FILE.match(path.name) and path.is_file():
                found.append(path)

    def order(path: Path) -> tuple[int, int, str]:
        match = _FILE.match(path.name)
        assert match is not None
        return (match.group(2) is not None, match.group(1) != "bootstrap", path.name)

    return sorted(found, key=order)


def settings(path: Path) -> Iterator[tuple[str, str]]:
    """(dotted key, value) of one config file; an unreadable file gives nothing."""
    text = read(path)
    if text is None:
        return
    if path.suffix == ".properties":
        for line in text.splitlines():
            if line.lstrip().startswith(("#", "!")):
                continue
            match = _PROPERTY.match(line)
            if match:
                yield match.group(1), match.group(2)
        return
    import yaml

    try:
        documents = list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        return
    for document in documents:
        yield from _flatten(document, "")


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif value is not None and not isinstance(value, list):
        yield prefix, str(value)


# Quarkus writes a profile's value in the same file: ``%dev.quarkus.http.port=8081`` is the
# port of ``quarkus:dev``; the test profile's is a test run's, not the service's
_PROFILED = re.compile(r"^%(?!test\.)[\w,-]+\.")


def _unprofiled(key: str) -> str:
    """A Quarkus profile's key as the key it sets; a ``%test.`` key stays as written."""
    return _PROFILED.sub("", key, count=1)


def identity(files: list[Path]) -> tuple[str | None, list[int]]:
    """``spring.application.name`` and the ``server.port`` values of ``files``."""
    name: str | None = None
    ports: list[int] = []
    for path in files:
        for key, value in settings(path):
            if key == "spring.application.name" and name is None:
                text = placeholder_default(value)
                if text and "$" not in text:
                    name = text
            elif _unprofiled(key) in _PORT_KEYS:
                port = port_of(value)
                if port is not None and port not in ports:
                    ports.append(port)
    return name, ports
