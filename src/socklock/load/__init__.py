"""Read inputs into an :class:`Inventory`: Kubernetes YAML/JSON, compose files, Dockerfiles.

Problems never stop the load: each becomes a :class:`Diagnostic` naming file:line, and the
rest of the input is still read. Memory stays bounded by the per-file limit.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from socklock.load.compose import is_compose, load_compose
from socklock.load.dockerfile import load_dockerfile
from socklock.load.kubernetes import KubernetesObjects, add_document, looks_like_manifest
from socklock.load.limits import DEFAULT_LIMITS, Limits
from socklock.load.text import read_text
from socklock.load.walk import FileKind, InputFile, walk
from socklock.load.yamlread import Document, load_json, load_yaml
from socklock.model import (
    ComposeProject,
    Diagnostic,
    Dockerfile,
    Inventory,
    Location,
)

__all__ = ["Limits", "load_paths"]


def load_paths(paths: Sequence[str], limits: Limits = DEFAULT_LIMITS) -> Inventory:
    """Load every input under ``paths`` (files or directories).

    Python's cyclic garbage collector is paused meanwhile: loading builds millions of small
    acyclic objects, and the collector's passes over them doubled the load time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_paths(paths, limits)
    finally:
        if was_enabled:
            gc.enable()


def _load_paths(paths: Sequence[str], limits: Limits) -> Inventory:
    k8s = KubernetesObjects()
    compose: list[ComposeProject] = []
    dockerfiles: list[Dockerfile] = []
    diagnostics: list[Diagnostic] = []
    files: list[str] = []
    for entry in walk(list(paths)):
        if isinstance(entry, tuple):
            diagnostics.append(Diagnostic(Location(entry[0]), entry[1]))
            continue
        files.append(entry.display)
        _load_file(entry, limits, k8s, compose, dockerfiles, diagnostics)
    diagnostics.extend(k8s.diagnostics)
    return Inventory(
        objects=tuple(k8s.objects),
        workloads=tuple(k8s.workloads),
        services=tuple(k8s.services),
        namespaces=tuple(k8s.namespaces),
        network_policies=tuple(k8s.network_policies),
        ingresses=tuple(k8s.ingresses),
        config_maps=tuple(k8s.config_maps),
        secrets=tuple(k8s.secrets),
        service_accounts=tuple(k8s.service_accounts),
        compose_projects=tuple(compose),
        dockerfiles=tuple(dockerfiles),
        files=tuple(files),
        roots=tuple(paths),
        diagnostics=tuple(sorted(diagnostics, key=lambda d: d.location)),
    )


def _load_file(
    entry: InputFile,
    limits: Limits,
    k8s: KubernetesObjects,
    compose: list[ComposeProject],
    dockerfiles: list[Dockerfile],
    diagnostics: list[Diagnostic],
) -> None:
    text = read_text(entry.path, entry.display, limits)
    if isinstance(text, Diagnostic):
        diagnostics.append(text)
        return
    if entry.kind is FileKind.DOCKERFILE:
        dockerfiles.append(load_dockerfile(text.text, entry.display))
        return
    reader = load_json if entry.path.suffix.lower() == ".json" else load_yaml
    documents: list[Document] = []
    for item in reader(text.text, entry.display, limits):
        if isinstance(item, Diagnostic):
            diagnostics.append(item)
        else:
            documents.append(item)
    del text  # up to 64 MiB no stage needs any more: not kept while the objects are built
    for document in documents:
        value = document.value
        if looks_like_manifest(value):
            add_document(value, entry.display, k8s)
        elif is_compose(value):
            project, problems = load_compose(value, entry.display)
            compose.append(project)
            diagnostics.extend(problems)
        elif entry.explicit:
            diagnostics.append(
                Diagnostic(
                    Location(entry.display, document.line),
                    "not a Kubernetes manifest or compose file (no apiVersion/kind, no services)",
                )
            )
