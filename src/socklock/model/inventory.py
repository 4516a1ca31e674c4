"""Everything the loader read, typed, with the problems it found on the way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from socklock.model.compose import ComposeProject
from socklock.model.dockerfile import Dockerfile
from socklock.model.kubernetes import (
    ConfigMap,
    Ingress,
    K8sObject,
    Namespace,
    Secret,
    Service,
    ServiceAccount,
    Workload,
)
from socklock.model.location import Diagnostic, DiagnosticLevel
from socklock.model.units import BuildUnit


class SkipKind(StrEnum):
    """Why a file (or directory) under the given paths was not read as input."""

    HELM_TEMPLATE = "Helm template"
    TEMPLATE = "unrendered template"  # {{ }} text that is not YAML until rendered
    NO_KIND = "YAML without apiVersion/kind"
    JSON_NO_KIND = "JSON without apiVersion/kind"
    TOOL_CONFIG = "tool config with apiVersion/kind"  # not a Kubernetes object (azds, kind)
    JSONC = "JSONC"  # JSON with comments or trailing commas (tsconfig, devcontainer, ...)
    UNPARSABLE = "unparsable file without apiVersion/kind"  # and not a template
    KUSTOMIZE_PATCH = "kustomize patch"
    KUSTOMIZE_INPUT = "kustomize input"  # read by a kustomization socklock rendered
    KNOWN_CONFIG = "known non-manifest file"  # package.json, lock files, CI configs, ...
    DIRECTORY = "directory"  # vendored code, a cache or build output


@dataclass(frozen=True, slots=True, order=True)
class Skipped:
    """A path the loader passed over on purpose, with the evidence."""

    path: str
    kind: SkipKind
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Inventory:
    objects: tuple[K8sObject, ...] = ()  # every Kubernetes object, unknown kinds included
    workloads: tuple[Workload, ...] = ()
    services: tuple[Service, ...] = ()
    namespaces: tuple[Namespace, ...] = ()
    network_policies: tuple[K8sObject, ...] = ()
    ingresses: tuple[Ingress, ...] = ()
    config_maps: tuple[ConfigMap, ...] = ()
    secrets: tuple[Secret, ...] = ()
    service_accounts: tuple[ServiceAccount, ...] = ()
    compose_projects: tuple[ComposeProject, ...] = ()
    dockerfiles: tuple[Dockerfile, ...] = ()
    units: tuple[BuildUnit, ...] = ()  # services the code declares (load/units)
    # (image, build context) of the compose files a chosen deployment leaves out: they still
    # say which directory builds an image the deployment runs
    image_builds: tuple[tuple[str, str], ...] = ()
    files: tuple[str, ...] = ()  # every file read
    roots: tuple[str, ...] = ()  # the paths the user gave
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    skipped: tuple[Skipped, ...] = ()  # files and directories not read, and why
    streams: Mapping[str, str] = field(default_factory=dict)  # "<stdin>" -> its text
    # the deployment it was narrowed to (discover/deployments.py), so that narrowing it
    # again does not turn to a deploy script it left out
    deployment: str | None = None

    def source_text(self, file: str) -> str:
        """The text of an input as it was read: a stream from memory, a file from disk."""
        if file in self.streams:
            return self.streams[file]
        with Path(file).open(encoding="utf-8", newline="") as handle:  # CRLF stays CRLF
            return handle.read()

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.level is DiagnosticLevel.ERROR)

    def namespace_labels(self, namespace: str) -> dict[str, str]:
        """Labels of a namespace; one the input does not define has only the implied label."""
        for ns in self.namespaces:
            if ns.name == namespace:
                return dict(ns.labels)
        return {"kubernetes.io/metadata.name": namespace}

    def namespace_names(self) -> list[str]:
        """Every namespace the input defines or uses, sorted."""
        names = {ns.name for ns in self.namespaces}
        names.update(w.namespace for w in self.workloads)
        names.update(s.namespace for s in self.services)
        names.update(p.namespace or "default" for p in self.network_policies)
        return sorted(names)
