"""What a ``kustomization.yaml`` reads: its bases, its resource files, its patches.

A kustomization's files are not objects of their own: a strategic-merge patch looks like a
Deployment but holds only the fields it changes, and a base's resources are what its
overlays change. When the kustomization is rendered (:mod:`.kustomize_render`) every file it
reads is left to the rendering, so no object is read twice; when it is not, its patches
are still not objects. Kustomizations that another one of the input builds on (a base, a
component) are not top-level: they are rendered as part of their overlays.
"""

# ruff: noqa: PTH100, PTH119, PTH110, PTH112, PTH113, PTH117, PTH118, PTH120
# (paths compared as normalised strings, as the walk gives them)

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from socklock.load.limits import Limits
from socklock.load.text import read_text
from socklock.load.walk import KUSTOMIZATION_NAMES, InputFile
from socklock.load.yamlread import Document, load_yaml
from socklock.model import Diagnostic

_PATCH_LISTS = ("patchesStrategicMerge", "patchesJson6902", "patches")
_BUILDS_ON = ("resources", "bases", "components")  # files or kustomization directories
_FILE_LISTS = (
    "crds",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "replacements",
)
_GENERATORS = ("configMapGenerator", "secretGenerator")


@dataclass(frozen=True, slots=True)
class Kustomization:
    file: str  # the kustomization file, as the user sees it
    directory: str  # absolute, normalised
    kind: str  # Kustomization or Component
    reads: frozenset[str]  # absolute paths of the files it reads (resources, patches, ...)
    patches: frozenset[str]  # the subset of ``reads`` that are patches
    bases: frozenset[str]  # absolute directories of the kustomizations it builds on
    remote: tuple[str, ...]  # references kustomize would fetch (git, http)
    missing: tuple[str, ...] = ()  # local files it names that are not there (made by a build)
    # a generator's env file a new clone lacks -> the template committed beside it
    # (``.env`` -> ``.env.example``: load/env_templates.py), read in its place
    stand_ins: tuple[tuple[str, str], ...] = ()

    @property
    def own_file(self) -> str:
        """The kustomization file's absolute path."""
        return os.path.join(self.directory, os.path.basename(self.file))


def read_kustomizations(
    entries: Sequence[InputFile], limits: Limits, diagnostics: list[Diagnostic]
) -> dict[str, Kustomization]:
    """The kustomizations of the input, and every local one they build on, by directory."""
    found: dict[str, Kustomization] = {}
    pending = [(str(e.path), e.display) for e in entries]
    while pending:
        path, shown = pending.pop()
        directory = os.path.dirname(os.path.abspath(path))
        if directory in found:
            continue
        kustomization = _read(path, shown, limits, diagnostics)
        if kustomization is None:
            continue
        found[directory] = kustomization
        for base in sorted(kustomization.bases - found.keys()):
            file = kustomization_file(base)
            if file is not None:
                pending.append((file, os.path.relpath(file) if not os.path.isabs(shown) else file))
    return found


def kustomization_file(directory: str) -> str | None:
    """The kustomization file of ``directory``, as kustomize looks for it."""
    for name in sorted(KUSTOMIZATION_NAMES):
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def top_level(kustomizations: dict[str, Kustomization], given: Sequence[str]) -> list[str]:
    """Directories of the given kustomizations no other one builds on (the overlays)."""
    built_on = {b for k in kustomizations.values() for b in k.bases}
    return sorted(
        d
        for d in {os.path.dirname(os.path.abspath(p)) for p in given}
        if d in kustomizations and d not in built_on and kustomizations[d].kind != "Component"
    )


def closure(kustomizations: dict[str, Kustomization], directory: str) -> Iterator[Kustomization]:
    """The kustomization of ``directory`` and every one it builds on, each once."""
    seen: set[str] = set()
    stack = [directory]
    while stack:
        current = stack.pop()
        if current in seen or current not in kustomizations:
            continue
        seen.add(current)
        yield kustomizations[current]
        stack.extend(sorted(kustomizations[current].bases))


def _read(
    path: str, shown: str, limits: Limits, diagnostics: list[Diagnostic]
) -> Kustomization | None:
    from pathlib import Path

    text = read_text(Path(path), shown, limits)
    if isinstance(text, Diagnostic):
        diagnostics.append(text)
        return None
    directory = os.path.dirname(os.path.abspath(path))
    reads: set[str] = set()
    generated: set[str] = set()
    patches: set[str] = set()
    bases: set[str] = set()
    remote: list[str] = []
    kind = "Kustomization"
    for item in load_yaml(text.text, shown, limits):
        if not isinstance(item, Document) or not isinstance(item.value, dict):
            continue
        value = item.value
        kind = str(value.get("kind") or kind)
        for reference in _strings(value, _BUILDS_ON):
            local = os.path.normpath(os.path.join(directory, reference))
            if os.path.isdir(local):
                bases.add(local)
            elif os.path.exists(local):
                reads.add(local)
            elif _is_remote(reference):
                remote.append(reference)
            else:
                reads.add(local)
        for reference in _patch_paths(value):
            patches.add(os.path.normpath(os.path.join(directory, reference)))
        for reference in _strings(value, _FILE_LISTS):
            reads.add(os.path.normpath(os.path.join(directory, reference)))
        generated.update(
            os.path.normpath(os.path.join(directory, r)) for r in _generator_files(value)
        )
    stand_ins = _stand_ins(generated)
    everything = reads | patches | generated
    return Kustomization(
        shown,
        directory,
        kind,
        frozenset(everything),
        frozenset(patches),
        frozenset(bases),
        tuple(remote),
        tuple(sorted(f for f in everything if not os.path.lexists(f) and f not in stand_ins)),
        tuple(sorted(stand_ins.items())),
    )


def _stand_ins(generated: set[str]) -> dict[str, str]:
    """The generator inputs that are missing but have a committed template beside them."""
    from socklock.load.env_templates import env_template

    found: dict[str, str] = {}
    for file in generated:
        if not os.path.lexists(file):
            template = env_template(file)
            if template is not None:
                found[file] = template
    return found


def _is_remote(reference: str) -> bool:
    """A URL or a ``host/org/repo`` reference kustomize would clone (it is not on disk)."""
    if "://" in reference or reference.startswith(("git@", "git::")):
        return True
    first = reference.split("/", 1)[0]
    return "." in first.strip(".") and "/" in reference


def _strings(value: dict[str, Any], keys: Sequence[str]) -> list[str]:
    out: list[str] = []
    for key in keys:
        entries = value.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str):
                out.append(entry)
            elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
                out.append(entry["path"])  # replacements, some generator configs
    return out


def _generator_files(value: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in _GENERATORS:
        generators = value.get(key)
        for generator in generators if isinstance(generators, list) else []:
            if not isinstance(generator, dict):
                continue
            files = generator.get("files")
            for entry in files if isinstance(files, list) else []:
                if isinstance(entry, str):
                    out.append(entry.partition("=")[2] or entry)  # key=path or path
            envs = generator.get("envs")
            for entry in [*(envs if isinstance(envs, list) else []), generator.get("env")]:
                if isinstance(entry, str):
                    out.append(entry)
    return out


def _patch_paths(kustomization: dict[str, Any]) -> list[str]:
    paths: list[str] = []
    for key in _PATCH_LISTS:
        entries = kustomization.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str) and "\n" not in entry:
                paths.append(entry)  # a file name (an inline patch has newlines)
            elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
                paths.append(entry["path"])
    return paths
