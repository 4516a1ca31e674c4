"""What a repository says of its own deployments, for the default choice.

A repository holds the deployment its README tells a new user to run beside others that
are not the application's: a CI job's compose file (``ci/``), an end-to-end test's
(``e2e/``, ``cypress/``, ``tests/``), archived samples. Counting workloads alone picks a
CI file that starts every service twice over the root ``compose.yaml``. Two signals come
first:

- *incidental*: a deployment under a directory (or in a file whose name has a word) that
  says tests, CI or archive;
- *documented*: a deployment a command line of the root README names: its path on a line
  of ``kubectl``/``docker compose``/``skaffold``/``-f``/``-k``; a compose deployment's
  directory after ``cd``; the root directory's compose deployment by ``docker compose up``
  without ``-f`` and without ``cd``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from socklock.load.incidental import incidental

__all__ = ["documented", "incidental"]

_README = re.compile(r"^readme(?:\.[A-Za-z0-9]+)?$", re.IGNORECASE)
_README_BYTES = 1 << 20  # a README is read up to its first MiB
_COMMAND = re.compile(
    r"kubectl|kustomize|skaffold|\b(?:docker|podman)[ -]compose\b|\bdocker\s+stack\b"
    r"|(?:^|[\s;&(])cd\s|(?:^|\s)(?:-f|-k|--file|--filename)[\s=]"
)
_COMPOSE_UP = re.compile(r"\b(?:docker|podman)[ -]compose\b[^|;&]*\bup\b")
_NAMES_A_FILE = re.compile(r"\s(?:-f|--file)[\s=]|(?:^|[\s;&(])cd\s")


def documented(
    deployments: Iterable[tuple[str, str | None, Iterable[str]]], base: Path
) -> frozenset[str]:
    """The deployments a command of the README names, each given as ``(name, directory,
    paths)``: ``directory`` is a compose deployment's directory relative to ``base`` (``.``
    at the root), None for any other kind; ``paths`` are its files relative to ``base``
    (``kubectl apply -f all-in-one.yaml`` names the deployment that holds the file)."""
    lines = [line for line in _readme(base).splitlines() if _COMMAND.search(line)]
    if not lines:
        return frozenset()
    return frozenset(
        name for name, directory, paths in deployments if _names(name, directory, paths, lines)
    )


def _names(name: str, directory: str | None, paths: Iterable[str], lines: list[str]) -> bool:
    if directory == ".":
        if any(_compose_up_here(line) for line in lines):
            return True
    elif directory is not None and _cd_into(directory, lines):
        return True
    tokens = {part for part in name.split("+") if part not in ("", ".")} | set(paths)
    return any(_path_in(token, lines) for token in tokens)


def _cd_into(directory: str, lines: list[str]) -> bool:
    cd = re.compile(r"(?:^|[\s;&(])cd\s+(?:\./)?" + re.escape(directory) + r"/?(?:$|[\s;&)])")
    return any(cd.search(line) for line in lines)


def _compose_up_here(line: str) -> bool:
    return _COMPOSE_UP.search(line) is not None and _NAMES_A_FILE.search(line) is None


def _path_in(path: str, lines: list[str]) -> bool:
    token = re.compile(r"(?:^|[\s=\"'`(]|\./)" + re.escape(path) + r"(?:$|[\s\"'`)/])")
    return any(token.search(line) for line in lines)


def _readme(base: Path) -> str:
    try:
        entries = sorted(p for p in base.iterdir() if _README.match(p.name))
    except OSError:
        return ""
    for entry in entries:
        try:
            if entry.is_file():
                with entry.open("rb") as stream:
                    return stream.read(_README_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue
    return ""
