"""Deploy scripts as deployments, and the namespaces they put objects in.

A script of ``kubectl apply -f`` lines (:mod:`.deploy_scripts`) names the files of a
deployment; its objects are those of the files it applies (a directory's manifests, a
kustomization's rendering), and an object that sets no namespace lands in the line's
``-n``. One that sets its own keeps it (kubectl refuses the mismatch: a warning says so).
"""

# ruff: noqa: PTH112, PTH113, PTH114, PTH118, PTH120
# (string paths joined as the walk gives them)

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from socklock.discover.deploy_scripts import Applied, DeployScript, is_script_name, read_script
from socklock.discover.once import per_run
from socklock.model import Diagnostic, DiagnosticLevel, Inventory, K8sObject, Location

# the inventory's fields that hold Kubernetes objects (each item has a namespace)
NAMESPACED_FIELDS = (
    "objects",
    "workloads",
    "services",
    "network_policies",
    "ingresses",
    "config_maps",
    "secrets",
    "service_accounts",
)


@dataclasses.dataclass(frozen=True, slots=True)
class ScriptFiles:
    """What one script deploys: resolved object files, and the namespaces each lands in
    (``None``: as its objects say)."""

    script: DeployScript
    placed: tuple[tuple[str, tuple[str | None, ...]], ...]  # file -> namespaces


def deploy_scripts(inventory: Inventory, base: Path) -> list[DeployScript]:
    """The scripts under the input's roots that apply something, in path order."""
    if not inventory.workloads:
        return []
    found: list[DeployScript] = []
    for path in script_paths(inventory.roots):
        script = read_script(path, _shown(path, base), str(base))
        if script.applied or script.diagnostics:
            found.append(script)
    return found


def _shown(path: str, base: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(base))
    except ValueError:
        return path


def script_paths(
    roots: tuple[str, ...], accept: Callable[[str], bool] = is_script_name
) -> Iterator[str]:
    """The files under ``roots`` that ``accept`` (given the path) takes for scripts, in
    order: regular files of the tree only, never a FIFO, never a link out of the tree, and
    no directory the loader skips."""
    return (path for path in _tree_files(tuple(roots)) if accept(path))


@per_run
def _tree_files(roots: tuple[str, ...]) -> tuple[str, ...]:
    """What :func:`script_paths` chooses from, listed once per discovery run (the deploy,
    config-creating and image-building script passes each ask)."""
    from socklock.load.trees import skip_reason

    found: list[str] = []
    for root in roots:
        if os.path.isfile(root):
            found.append(root)
            continue
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = sorted(
                d for d in subdirs if skip_reason(os.path.join(directory, d)) is None
            )
            for name in sorted(files):
                path = os.path.join(directory, name)
                if not os.path.islink(path) and os.path.isfile(path):
                    found.append(path)
    return tuple(found)


def resolved_files(inventory: Inventory) -> dict[str, str]:
    """Each object file of the input, as the loader named it -> resolved (each once)."""
    named = {o.location.file for o in inventory.objects if o.location.file}
    return {file: str(Path(file).resolve()) for file in named}


def script_files(script: DeployScript, resolved: dict[str, str]) -> ScriptFiles:
    """The object files ``script`` applies (resolved; ``resolved``: the input's object
    files, as :func:`resolved_files` gives them)."""
    object_files = sorted(set(resolved.values()))
    placed: dict[str, list[str | None]] = {}
    for applied in script.applied:
        for file in applied_files(applied, object_files):
            namespaces = placed.setdefault(file, [])
            if applied.namespace not in namespaces:
                namespaces.append(applied.namespace)
    return ScriptFiles(script, tuple((f, tuple(n)) for f, n in placed.items()))


def applied_files(applied: Applied, object_files: list[str]) -> list[str]:
    from socklock.load.kustomize_render import stream_name

    target = str(Path(applied.target).resolve())
    if applied.kustomize:
        stream = stream_name(target)
        if stream in set(object_files):
            return [stream]
        # not rendered (a missing file, no kubectl): its files were read as written
        return [f for f in object_files if f.startswith(target + os.sep)]
    if not os.path.isdir(target):
        return [target] if target in set(object_files) else []
    return [
        f
        for f in object_files
        if f.startswith(target + os.sep)
        and (applied.recursive or os.path.dirname(f) == target)
        and not f.endswith(">")  # a kustomization's rendering is not a file of -f DIR
    ]


def place(
    inventory: Inventory, placed: tuple[tuple[str, tuple[str | None, ...]], ...]
) -> tuple[Inventory, list[Diagnostic]]:
    """``inventory`` with each object of a placed file in the script's namespace (one copy
    per namespace a file is applied to), and a warning for each object whose own
    namespace differs from the line's."""
    where = dict(placed)
    problems: list[Diagnostic] = []
    made: dict[tuple[int, str | None], K8sObject] = {}
    warned: set[tuple[str, str]] = set()

    resolved: dict[str, str] = {}

    def moved(obj: K8sObject) -> list[K8sObject]:
        file = obj.location.file
        if file not in resolved:
            resolved[file] = str(Path(file).resolve())
        namespaces = where.get(resolved[file])
        if namespaces is None or obj.namespace is None:  # not applied, or cluster-scoped
            return [obj]
        own = _own_namespace(obj)
        out: list[K8sObject] = []
        for namespace in namespaces:
            if namespace is None or own == namespace:
                out.append(obj)
            elif own is not None:
                if (obj.ref, namespace) not in warned:
                    warned.add((obj.ref, namespace))
                    problems.append(_mismatch(obj, namespace))
                out.append(obj)
            else:
                key = (id(obj), namespace)
                if key not in made:
                    made[key] = dataclasses.replace(obj, namespace=namespace)
                out.append(made[key])
        return list({id(o): o for o in out}.values())

    changes: dict[str, tuple[Any, ...]] = {}
    for name in NAMESPACED_FIELDS:
        items: list[Any] = []
        for item in getattr(inventory, name):
            if isinstance(item, K8sObject):
                items.extend(moved(item))
            else:
                items.extend(dataclasses.replace(item, obj=o) for o in moved(item.obj))
        changes[name] = tuple(items)
    return dataclasses.replace(inventory, **changes), problems  # type: ignore[arg-type]


def _own_namespace(obj: K8sObject) -> str | None:
    metadata = obj.body.get("metadata")
    value = metadata.get("namespace") if isinstance(metadata, dict) else None
    return value if isinstance(value, str) and value else None


def _mismatch(obj: K8sObject, namespace: str) -> Diagnostic:
    return Diagnostic(
        Location(obj.location.file, obj.location.line, obj.location.column),
        f"{obj.ref} sets namespace {obj.namespace}, but a deploy script applies its file "
        f"with -n {namespace} (kubectl refuses the mismatch); it stays in {obj.namespace}",
        DiagnosticLevel.WARNING,
    )
