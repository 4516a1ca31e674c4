"""Everything the loader read, typed, with the problems it found on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    files: tuple[str, ...] = ()  # every file read
    roots: tuple[str, ...] = ()  # the paths the user gave
    diagnostics: tuple[Diagnostic, ...] = field(default=())

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
