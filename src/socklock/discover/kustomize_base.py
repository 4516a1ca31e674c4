"""A kustomize base named as the deployment: rendered on demand.

The loader renders only top-level kustomizations (the overlays), so a base that overlays
build on (``k8s/base``, ``overlays/prod`` under ``overlays/dev``) is no deployment of the
input by default. It is one all the same (``kubectl apply -k k8s/base``): naming it with
``--deployment`` renders it as the overlays are rendered, and its objects join the input
beside theirs (the selection then keeps it alone). An overlay that cannot be rendered
(a file a build makes is missing, kubectl is not installed) is, when named, the files it
and its bases read, as written.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from socklock.load.kustomize import closure, kustomization_file, read_kustomizations
from socklock.model import Inventory

_KUBERNETES_FIELDS = (
    "objects",
    "workloads",
    "services",
    "namespaces",
    "network_policies",
    "ingresses",
    "config_maps",
    "secrets",
    "service_accounts",
)


def named_base(wanted: str, base: Path) -> Path | None:
    """The directory ``wanted`` names (as given, or under the input's ``base``) when it
    holds a kustomization, else None. Spelled as given: evidence names it so."""
    for candidate in (Path(wanted), base / wanted):
        if candidate.is_dir() and kustomization_file(str(candidate.resolve())) is not None:
            return candidate
    return None


def with_base(inventory: Inventory, directory: Path) -> Inventory | None:
    """``inventory`` plus the objects the kustomization in ``directory`` renders to, or
    None when it renders nothing (kubectl missing, a remote base, a broken file)."""
    from socklock.load import load_paths
    from socklock.load.kustomize_render import stream_name

    rendered = load_paths([str(directory)])
    stream = stream_name(str(directory))  # not the kustomizations below it it leaves out

    def own(item: Any) -> bool:
        holder = getattr(item, "obj", item)
        return bool(holder.location.file == stream)

    changes: dict[str, object] = {
        name: (*getattr(inventory, name), *filter(own, getattr(rendered, name)))
        for name in _KUBERNETES_FIELDS
    }
    if not any(own(w) for w in rendered.workloads):
        return None
    changes["streams"] = {**inventory.streams, stream: rendered.streams.get(stream, "")}
    return dataclasses.replace(inventory, **changes)  # type: ignore[arg-type]


def written_files(directory: Path) -> frozenset[str]:
    """The files the kustomization in ``directory`` and those it builds on read, resolved
    (patches excepted): the objects a user gets from it when it cannot be rendered (a
    missing generated file, no kubectl) are these, read as written."""
    from socklock.load.limits import DEFAULT_LIMITS
    from socklock.load.walk import FileKind, InputFile

    file = kustomization_file(str(directory.resolve()))
    if file is None:
        return frozenset()
    entry = InputFile(Path(file), file, FileKind.KUSTOMIZATION, explicit=True)
    found = read_kustomizations([entry], DEFAULT_LIMITS, [])
    return frozenset(
        str(Path(f).resolve())
        for k in closure(found, str(directory.resolve()))
        for f in k.reads - k.patches
    )


def with_written(inventory: Inventory, files: frozenset[str]) -> Inventory:
    """``inventory`` plus the objects of ``files`` it does not hold (an unrendered overlay's
    base, which a sibling overlay's rendering read instead), read as written."""
    from socklock.load import load_paths

    held = {str(Path(o.location.file).resolve()) for o in inventory.objects}
    missing = sorted(f for f in files if f not in held and Path(f).is_file())
    if not missing:
        return inventory
    here = Path.cwd()  # shown as the user's shell would show them
    read = load_paths(
        [str(Path(f).relative_to(here)) if Path(f).is_relative_to(here) else f for f in missing],
        render_kustomize=False,
    )

    def new(item: Any) -> bool:
        holder = getattr(item, "obj", item)
        return str(Path(holder.location.file).resolve()) in missing

    changes: dict[str, object] = {
        name: (*getattr(inventory, name), *filter(new, getattr(read, name)))
        for name in _KUBERNETES_FIELDS
    }
    return dataclasses.replace(inventory, **changes)  # type: ignore[arg-type]
