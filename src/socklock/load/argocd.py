"""The namespace an Argo CD Application deploys a kustomization's objects to.

An Argo CD ``Application`` (``argoproj.io``) syncs the manifests at ``spec.source.path`` of a
repository to ``spec.destination.namespace``: an object there that names no namespace lands
in that one, as ``kubectl apply -n`` would put it (Argo CD "Application Specification
Reference": destination.namespace "overrides the namespace of namespaced resources that do
not set one"; ``spec.source.kustomize.namespace`` sets the kustomization's own). A
rendered kustomization takes it when the Applications that sync it, or a kustomization it
builds on, agree on one namespace; the path is matched against the kustomization's
directory by its trailing segments (the repository's root is not known from the input).
"""

# ruff: noqa: PTH118
# (directories as the loader gives them, compared as strings)

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from socklock.model import K8sObject


def destination_namespace(objects: Iterable[K8sObject], directories: Sequence[str]) -> str | None:
    """The one namespace the Argo CD Applications of ``objects`` give the objects of the
    kustomizations in ``directories`` (the rendered one first), or None."""
    if not directories:
        return None
    found: set[str] = set()
    for obj in objects:
        if obj.kind != "Application" or not obj.api_version.startswith("argoproj.io/"):
            continue
        for path, namespace in _synced(obj.body):
            if any(_same_place(directory, path) for directory in directories):
                found.add(namespace)
    return next(iter(found)) if len(found) == 1 else None


def _synced(body: Any) -> Iterator[tuple[str, str]]:
    """(source path, namespace) of each source of an Application."""
    spec = body.get("spec") if isinstance(body, dict) else None
    if not isinstance(spec, dict):
        return
    destination = spec.get("destination")
    namespace = destination.get("namespace") if isinstance(destination, dict) else None
    sources = spec.get("sources")
    listed = [spec.get("source"), *(sources if isinstance(sources, list) else [])]
    for source in listed:
        if not isinstance(source, dict) or not isinstance(source.get("path"), str):
            continue
        kustomize = source.get("kustomize")
        own = kustomize.get("namespace") if isinstance(kustomize, dict) else None
        chosen = own if isinstance(own, str) and own else namespace
        if isinstance(chosen, str) and chosen:
            yield source["path"], chosen


def _same_place(directory: str, path: str) -> bool:
    """Whether the repository path ``path`` names ``directory``."""
    parts = [p for p in path.replace("\\", "/").split("/") if p and p != "."]
    if not parts or ".." in parts:
        return False
    return os.path.normpath(directory).endswith(os.sep + os.path.join(*parts))
