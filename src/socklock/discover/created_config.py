"""ConfigMaps and Secrets a script creates from files of the repository.

Many repositories keep a workload's settings in an env file and create the object it reads
with ``kubectl create secret generic api-env --from-env-file=k8s/api.env`` (or ``configmap``,
``--from-literal=KEY=VALUE``) in a deploy script or a Makefile recipe: no manifest declares
the object, yet the Deployment's ``envFrom``/``secretKeyRef``/``configMapKeyRef`` gets those
values. The env values are read as the workload's env (a host in them is a call, as in a
ConfigMap); nothing here is reported but the evidence of the edges they make.

Scripts are ``.sh``/``.bash`` files and Makefiles; a path is read from the script's own
directory (where ``make`` runs), else the nearest directory above it, up to the input's
root, where it exists. A word that still holds ``$`` (a variable) is never guessed: the
line is left out.
"""

# ruff: noqa: PTH100, PTH113, PTH117, PTH118, PTH119, PTH120, PTH123, PTH202
# (string paths, as the walk gives them)

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from socklock.discover.commands import may_spell, simple_commands
from socklock.discover.scripted import script_paths
from socklock.model import Location

MAX_BYTES = 1 << 20
_MAKEFILES = frozenset({"makefile", "gnumakefile"})


def read_head(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> str | None:
    """A file's text, its first ``limit`` characters only (a script, an env file, a
    kustomization); None when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(limit)
    except OSError:
        return None


_KINDS = {"secret": "Secret", "configmap": "ConfigMap", "cm": "ConfigMap"}


@dataclass(frozen=True, slots=True)
class Created:
    """An object a script creates: its kind (``Secret``/``ConfigMap``), namespace (None:
    the script's current one) and name, and each key's value and where it is written."""

    kind: str
    namespace: str | None
    name: str
    data: Mapping[str, str] = field(default_factory=dict)
    locations: Mapping[str, Location] = field(default_factory=dict)
    how: str = "created by a script"  # what made it, for evidence


def _accept(path: str) -> bool:
    name = os.path.basename(path).lower()
    return name.endswith((".sh", ".bash", ".mk")) or name in _MAKEFILES


@lru_cache(maxsize=8)
def created_config(roots: tuple[str, ...]) -> tuple[Created, ...]:
    """Every ConfigMap and Secret the scripts under ``roots`` create from files or literals."""
    found: list[Created] = []
    for path in script_paths(roots, _accept):
        try:
            if os.path.getsize(path) > MAX_BYTES:
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        root = next((r for r in roots if _inside(path, r)), os.path.dirname(path))
        for number, line in _lines(text):
            if not may_spell(line, "create"):
                continue  # no ``kubectl create``
            for command in simple_commands([line]):
                created = _created(command, path, number, root)
                if created is not None:
                    found.append(created)
    return tuple(found)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Logical lines (a trailing ``\\`` joins the next), with the first line's number."""
    pending, first = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            first = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        yield first, pending + line
        pending = ""
    if pending:
        yield first, pending


def _created(command: list[str], script: str, line: int, root: str) -> Created | None:
    """``kubectl create secret generic NAME --from-env-file=F ...`` as an object, else None."""
    words = [w.lstrip("@") for w in command]
    while words and os.path.basename(words[0]) not in ("kubectl", "oc"):
        words = words[1:]  # ``sudo kubectl``, ``-kubectl`` (make), ``@kubectl``
    if len(words) < 4 or "create" not in words[1:3]:
        return None
    rest = words[words.index("create", 1) + 1 :]
    kind = _KINDS.get(rest[0].lower()) if rest else None
    if kind is None:
        return None
    rest = rest[1:]
    if kind == "Secret":
        if not rest or rest[0] != "generic":
            return None  # a TLS or registry secret holds no env
        rest = rest[1:]
    namespace: str | None = None
    name: str | None = None
    data: dict[str, str] = {}
    locations: dict[str, Location] = {}
    where = Location(script, line, 1)
    index = 0
    while index < len(rest):
        word = rest[index]
        flag, equals, value = word.partition("=")
        if flag.startswith("-") and not equals and index + 1 < len(rest):
            value = rest[index + 1]
            index += 1
        index += 1
        if "$" in word or "$" in value:
            return None  # a variable: not guessed
        if flag in ("-n", "--namespace"):
            namespace = value
        elif flag == "--from-literal":
            key, _, literal = value.partition("=")
            if key:
                data[key], locations[key] = literal, where
        elif flag == "--from-env-file":
            path = _resolve(value, script, root)
            if path is None:
                return None
            for key, (env_value, env_line) in _env_file(path).items():
                data[key], locations[key] = env_value, Location(path, env_line, 1)
        elif not flag.startswith("-") and name is None:
            name = word
    if name is None or not data:
        return None
    return Created(kind, namespace, name, data, locations)


def _env_file(path: str) -> dict[str, tuple[str, int]]:
    """``KEY=VALUE`` lines as kubectl reads them (no quotes removed, ``#`` lines skipped)."""
    found: dict[str, tuple[str, int]] = {}
    text = read_head(path)
    if text is None:
        return found
    for number, line in enumerate(text.splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#") or "=" not in text:
            continue
        key, _, value = text.partition("=")
        found[key.strip()] = (value, number)
    return found


def _inside(path: str, root: str) -> bool:
    root = os.path.abspath(root)
    return os.path.abspath(path).startswith(root.rstrip(os.sep) + os.sep)


def _resolve(written: str, script: str, root: str) -> str | None:
    """The file ``written`` names: from the script's directory, else the nearest one above
    it (up to the root) where it exists."""
    if os.path.isabs(written):
        return written if os.path.isfile(written) else None
    directory = os.path.dirname(os.path.abspath(script))
    top = os.path.abspath(root)
    while True:
        candidate = os.path.normpath(os.path.join(directory, written))
        if os.path.isfile(candidate):
            return candidate
        if directory == top or not directory.startswith(top) or directory == "/":
            return None
        directory = os.path.dirname(directory)
