"""ConfigMaps and Secrets kustomize generators make (``configMapGenerator``, ``secretGenerator``).

``secretGenerator: [{name: order-secret, literals: [DB_HOST=order-db]}]`` in a
kustomization makes a Secret whose keys a Deployment's ``envFrom``/``secretKeyRef`` hands
its containers. The values are written in the repository, in the kustomization
(``literals``), in env files (``envs``, the older ``env``) or whole files (``files``), so they
are read there, as a ConfigMap's are; a rendered Secret's values are never read (the
loader drops them). Rendered, the object's name is the generator's with the kustomizations'
``namePrefix``/``nameSuffix`` and a content hash (``order-secret-bmfk9th7t4``) unless
``options.disableNameSuffixHash``; the rendered object is matched to its generator by that
name and the same keys. A generator an overlay repeats with ``behavior: merge`` or
``replace`` changes its base's.

Files read as written (kubectl missing, a kustomization not rendered) keep the name as
written; a name two kustomizations generate with different values is left unread.
"""

# ruff: noqa: PTH100, PTH113, PTH118, PTH119, PTH120
# (string paths, as the walk gives them)

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from socklock.discover.created_config import Created, _env_file, read_head
from socklock.model import Location

_GENERATORS = (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret"))
_HASH = r"(?:-[a-z0-9]{10})?"  # kustomize's content hash suffix


@dataclass(frozen=True, slots=True)
class _Generator:
    made: Created
    behavior: str  # create, merge or replace
    hashed: bool  # the rendered name gets the content hash


def rendered_objects(
    directory: str, rendered: Iterable[tuple[str, str, tuple[str, ...]]]
) -> dict[tuple[str, str], Created]:
    """(kind, rendered name) → the generated object, for the objects the kustomization in
    ``directory`` rendered (``rendered``: kind, name and keys of its ConfigMaps/Secrets)."""
    made, prefixes, suffixes = _tree(os.path.abspath(directory))
    found: dict[tuple[str, str], Created] = {}
    for kind, name, keys in rendered:
        for generator in made:
            created = generator.made
            if created.kind != kind or set(created.data) != set(keys):
                continue
            pattern = (
                _any(prefixes)
                + re.escape(created.name)
                + _any(suffixes)
                + (_HASH if generator.hashed else "")
            )
            if re.fullmatch(pattern, name):
                found[(kind, name)] = replace(created, name=name)
                break
    return found


def written_objects(kustomizations: Sequence[str]) -> dict[tuple[str, str], Created]:
    """(kind, name) → the object the generators of the kustomization files make, named as
    written; a name generated with different values in two of them is left out."""
    found: dict[tuple[str, str], Created] = {}
    clashing: set[tuple[str, str]] = set()
    for file in kustomizations:
        for generator in _generators(file)[0]:
            key = (generator.made.kind, generator.made.name)
            known = found.get(key)
            if known is not None and dict(known.data) != dict(generator.made.data):
                clashing.add(key)
            found.setdefault(key, generator.made)
    return {key: made for key, made in found.items() if key not in clashing}


def _any(words: Iterable[str]) -> str:
    """A regex for one of ``words`` or none."""
    spelled = sorted({re.escape(w) for w in words if w}, key=len, reverse=True)
    return f"(?:{'|'.join(spelled)})*" if spelled else ""


@lru_cache(maxsize=32)
def _tree(directory: str) -> tuple[tuple[_Generator, ...], tuple[str, ...], tuple[str, ...]]:
    """The generators of the kustomization in ``directory`` and those it builds on (an
    overlay's ``merge``/``replace`` applied to its base's), and every name prefix/suffix."""
    from pathlib import Path

    from socklock.load.kustomize import closure, kustomization_file, read_kustomizations
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.walk import FileKind, InputFile

    file = kustomization_file(directory)
    if file is None:
        return (), (), ()
    entry = InputFile(Path(file), file, FileKind.KUSTOMIZATION, explicit=True)
    tree = list(closure(read_kustomizations([entry], DEFAULT_LIMITS, []), directory))
    made: dict[tuple[str, str], _Generator] = {}
    prefixes: list[str] = []
    suffixes: list[str] = []
    for kustomization in reversed(tree):  # the bases first
        generators, prefix, suffix = _generators(kustomization.own_file)
        prefixes.append(prefix)
        suffixes.append(suffix)
        for generator in generators:
            key = (generator.made.kind, generator.made.name)
            base = made.get(key)
            if base is not None and generator.behavior == "merge":
                merged = replace(
                    generator.made,
                    data={**base.made.data, **generator.made.data},
                    locations={**base.made.locations, **generator.made.locations},
                )
                generator = replace(generator, made=merged)
            made[key] = generator
    return tuple(made.values()), tuple(prefixes), tuple(suffixes)


@lru_cache(maxsize=64)
def _generators(file: str) -> tuple[tuple[_Generator, ...], str, str]:
    """The generators of one kustomization file, its namePrefix and nameSuffix."""
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.yamlread import Document, load_yaml

    text = read_head(file)
    if text is None:
        return (), "", ""
    directory = os.path.dirname(os.path.abspath(file))
    found: list[_Generator] = []
    prefix = suffix = ""
    for document in load_yaml(text, file, DEFAULT_LIMITS):
        if not isinstance(document, Document) or not isinstance(document.value, dict):
            continue
        value = document.value
        given_prefix, given_suffix = value.get("namePrefix"), value.get("nameSuffix")
        prefix = given_prefix if isinstance(given_prefix, str) else prefix
        suffix = given_suffix if isinstance(given_suffix, str) else suffix
        options = value.get("generatorOptions")
        unhashed = isinstance(options, dict) and options.get("disableNameSuffixHash") is True
        namespace = value.get("namespace") if isinstance(value.get("namespace"), str) else None
        for section, kind in _GENERATORS:
            entries = value.get(section)
            for entry in entries if isinstance(entries, list) else []:
                generator = _generator(entry, kind, file, directory, namespace, unhashed)
                if generator is not None:
                    found.append(generator)
    return tuple(found), prefix, suffix


def _generator(
    entry: Any, kind: str, file: str, directory: str, namespace: str | None, unhashed: bool
) -> _Generator | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        return None
    data: dict[str, str] = {}
    locations: dict[str, Location] = {}
    for key, value, where in _entries(entry, file, directory):
        data[key], locations[key] = value, where
    if not data:
        return None
    options = entry.get("options")
    if isinstance(options, dict) and isinstance(options.get("disableNameSuffixHash"), bool):
        unhashed = options["disableNameSuffixHash"]
    own = entry.get("namespace")
    lands = own if isinstance(own, str) else namespace
    behavior = entry.get("behavior")
    how = f"made by kustomize {'secret' if kind == 'Secret' else 'configMap'}Generator"
    made = Created(kind, lands, entry["name"], data, locations, how)
    return _Generator(made, behavior if isinstance(behavior, str) else "create", not unhashed)


def _entries(
    entry: dict[str, Any], file: str, directory: str
) -> Iterator[tuple[str, str, Location]]:
    """(key, value, where) of a generator's literals, env files and files, in the order
    kustomize adds them."""
    literals = entry.get("literals")
    for index, literal in enumerate(literals if isinstance(literals, list) else []):
        if not isinstance(literal, str) or "=" not in literal:
            continue
        key, _, value = literal.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]  # kustomize unquotes a literal's value
        line, column = _position(literals, index)
        yield key.strip(), value, Location(file, line, column)
    envs = entry.get("envs")
    written = [*(envs if isinstance(envs, list) else []), entry.get("env")]
    for env in written:
        path = _path(env, directory)
        if path is not None:
            for key, (value, line) in _env_file(path).items():
                yield key, value, Location(path, line, 1)
    files = entry.get("files")
    for item in files if isinstance(files, list) else []:
        if not isinstance(item, str):
            continue
        key, equals, name = item.partition("=")
        path = _path(name if equals else key, directory)
        if path is None:
            continue
        content = read_head(path)
        if content is None:
            continue
        yield (key if equals else os.path.basename(path)), content, Location(path, 1, 1)


def _path(written: Any, directory: str) -> str | None:
    """The file a generator names, or the committed template of a missing env file."""
    if not isinstance(written, str) or not written:
        return None
    path = os.path.normpath(os.path.join(directory, written))
    if os.path.isfile(path):
        return path
    from socklock.load.env_templates import env_template

    return env_template(path)


def _position(sequence: Any, index: int) -> tuple[int, int]:
    from socklock.model.document import position_of

    line, column = position_of(sequence, index)
    return (line, column) if line else (1, 1)
