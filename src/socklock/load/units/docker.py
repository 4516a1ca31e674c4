"""What a directory's Dockerfile says about the service it builds: the ports it exposes."""

from __future__ import annotations

import re
from pathlib import Path

from socklock.load.dockerfile import is_dockerfile_name
from socklock.load.units.names import port_of
from socklock.load.units.tree import Tree, read

_EXPOSE = re.compile(r"^\s*EXPOSE\s+(.+)$", re.IGNORECASE | re.MULTILINE)
_URLS = re.compile(r"ASPNETCORE_(?:URLS|HTTP_PORTS)\s*[= ]\s*\"?([^\s\"]+)", re.IGNORECASE)
_URL_PORT = re.compile(r":(\d+)\b|^(\d+)$")


def dockerfiles(tree: Tree, directory: Path) -> list[Path]:
    return [directory / n for n in tree.files.get(directory, ()) if is_dockerfile_name(n)]


def has_dockerfile(tree: Tree, directory: Path) -> bool:
    return bool(dockerfiles(tree, directory))


def exposed_ports(tree: Tree, directory: Path) -> list[int]:
    """``EXPOSE`` and ``ASPNETCORE_URLS``/``_HTTP_PORTS`` of the directory's Dockerfiles."""
    ports: list[int] = []
    for path in dockerfiles(tree, directory):
        text = read(path) or ""
        for match in _EXPOSE.finditer(text):
            for word in match.group(1).split():
                port = port_of(word.split("/")[0])
                if port is not None and port not in ports:
                    ports.append(port)
        for match in _URLS.finditer(text):
            for url in match.group(1).split(";"):
                found = _URL_PORT.search(url)
                port = port_of(next(g for g in found.groups() if g)) if found else None
                if port is not None and port not in ports:
                    ports.append(port)
    return ports
