"""Kubernetes objects as the rest of socklock sees them: typed where it matters, raw otherwise.

Every object keeps its raw body (a :class:`YMap`, so positions of nested fields stay known)
and its :class:`Location`. Secrets keep names and keys only: the loader never stores a value.
A loaded body is kept compact (:mod:`socklock.model.compact`) and rebuilt when ``body`` is
read; the typed parts of a workload that are raw YAML (its pod spec, a container's body,
security context and resources) are read through it by their paths, never held apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from socklock.model.compact import CompactDocument
from socklock.model.document import PathElement, YMap
from socklock.model.location import Location

DEFAULT_NAMESPACE = "default"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True, slots=True)
class K8sObject:
    """One Kubernetes object from a manifest, a ``List`` or a cluster dump."""

    api_version: str
    kind: str
    name: str
    namespace: str | None  # None for cluster-scoped kinds
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    document: YMap | CompactDocument  # the body, compact when the loader could keep it so
    location: Location

    @property
    def body(self) -> YMap:
        """The raw document as loaded (rebuilt from its compact form when it is one): do not
        change it, a change is lost once the rebuilt tree leaves the cache."""
        document = self.document
        if isinstance(document, CompactDocument):
            return document.tree()
        return document

    @property
    def ref(self) -> str:
        """``Deployment sock-shop/carts`` (cluster-scoped: ``Namespace sock-shop``)."""
        scope = f"{self.namespace}/" if self.namespace is not None else ""
        return f"{self.kind} {scope}{self.name}"


def subtree(root: YMap, path: tuple[PathElement, ...]) -> object:
    """The value at ``path`` under ``root``, through mappings and sequences only; None when
    the path does not lead anywhere."""
    node: object = root
    for element in path:
        if isinstance(element, str):
            if not isinstance(node, dict):
                return None
            node = node.get(element)
        elif isinstance(node, list) and 0 <= element < len(node):
            node = node[element]
        else:
            return None
    return node


class Protocol(StrEnum):
    TCP = "TCP"
    UDP = "UDP"
    SCTP = "SCTP"


@dataclass(frozen=True, slots=True)
class ContainerPort:
    container_port: int
    protocol: Protocol = Protocol.TCP
    name: str | None = None
    host_port: int | None = None
    location: Location | None = None


class EnvSourceKind(StrEnum):
    CONFIG_MAP_KEY = "configMapKeyRef"
    SECRET_KEY = "secretKeyRef"
    FIELD = "fieldRef"
    RESOURCE_FIELD = "resourceFieldRef"


@dataclass(frozen=True, slots=True)
class EnvSource:
    """``valueFrom``: where the value of an env var comes from."""

    kind: EnvSourceKind
    name: str | None = None  # ConfigMap/Secret name
    key: str | None = None  # key, fieldPath or resource
    optional: bool = False


@dataclass(frozen=True, slots=True)
class EnvVar:
    name: str
    value: str | None
    source: EnvSource | None
    location: Location


class EnvFromKind(StrEnum):
    CONFIG_MAP = "configMapRef"
    SECRET = "secretRef"


@dataclass(frozen=True, slots=True)
class EnvFrom:
    kind: EnvFromKind
    name: str
    prefix: str
    optional: bool
    location: Location


class ContainerRole(StrEnum):
    CONTAINER = "containers"
    INIT = "initContainers"
    EPHEMERAL = "ephemeralContainers"


@dataclass(frozen=True, slots=True)
class VolumeMount:
    name: str
    mount_path: str
    read_only: bool


@dataclass(frozen=True, slots=True)
class Container:
    name: str
    image: str | None
    role: ContainerRole
    ports: tuple[ContainerPort, ...]
    env: tuple[EnvVar, ...]
    env_from: tuple[EnvFrom, ...]
    volume_mounts: tuple[VolumeMount, ...]
    # its ``command`` and ``args`` as loaded (only those present): what discovery reads of
    # every container, pass after pass, without rebuilding the body each time
    run: Mapping[str, object]
    path: tuple[PathElement, ...]  # from the object root, e.g. spec.template.spec.containers[0]
    location: Location
    obj: K8sObject = field(repr=False, compare=False)  # whose body holds this container

    @property
    def body(self) -> YMap:
        """The container's mapping, read through its object's body by its path."""
        found = subtree(self.obj.body, self.path)
        assert isinstance(found, YMap)
        return found

    @property
    def security_context(self) -> YMap | None:
        found = self.body.get("securityContext")
        return found if isinstance(found, YMap) else None

    @property
    def resources(self) -> YMap | None:
        found = self.body.get("resources")
        return found if isinstance(found, YMap) else None


WORKLOAD_KINDS = (
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    # Argo Rollouts (argoproj.io): a Deployment's pod template run by its own controller;
    # one that points at a Deployment (``workloadRef``) runs no template of its own
    "Rollout",
)


@dataclass(frozen=True, slots=True)
class Workload:
    """Anything that runs pods: a pod template (or a bare Pod) with its owner object."""

    obj: K8sObject
    labels: Mapping[str, str]  # the pod template's labels: what selectors see
    pod_annotations: Mapping[str, str]
    replicas: int | None
    pod_spec_path: tuple[PathElement, ...]
    containers: tuple[Container, ...]  # every role: containers, initContainers, ephemeral
    service_account: str | None
    pod_ips: tuple[str, ...] = ()
    owner: tuple[str, str] | None = None  # (kind, name) of the owning workload, for dumped pods
    # (kind, name) of the workload its ownerReferences name as controller, as written
    controller: tuple[str, str] | None = None
    # the pod spec's ``volumes`` as loaded: what discovery reads of every workload, held so
    # its passes do not rebuild every body (the rest of the pod spec: :attr:`pod_spec`)
    volumes: object = None

    @property
    def pod_spec(self) -> YMap:
        """The pod spec, read through the object's body (empty when it has none)."""
        found = subtree(self.obj.body, self.pod_spec_path)
        return found if isinstance(found, YMap) else YMap()

    @property
    def kind(self) -> str:
        return self.obj.kind

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def namespace(self) -> str:
        return self.obj.namespace or DEFAULT_NAMESPACE

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def location(self) -> Location:
        return self.obj.location

    @property
    def ports(self) -> tuple[ContainerPort, ...]:
        """Ports the pod declares, from its regular containers (the ones that serve)."""
        return tuple(
            port
            for container in self.containers
            if container.role is ContainerRole.CONTAINER
            for port in container.ports
        )


@dataclass(frozen=True, slots=True)
class ServicePort:
    port: int
    target_port: int | str  # a number or a container port name
    protocol: Protocol
    name: str | None
    node_port: int | None
    location: Location


@dataclass(frozen=True, slots=True)
class Service:
    obj: K8sObject
    type: str  # ClusterIP, NodePort, LoadBalancer, ExternalName
    selector: Mapping[str, str] | None
    ports: tuple[ServicePort, ...]
    external_name: str | None = None

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def namespace(self) -> str:
        return self.obj.namespace or DEFAULT_NAMESPACE

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def is_entry_point(self) -> bool:
        return self.type in ("NodePort", "LoadBalancer")


@dataclass(frozen=True, slots=True)
class Namespace:
    obj: K8sObject
    labels: Mapping[str, str]  # includes the implied kubernetes.io/metadata.name

    @property
    def name(self) -> str:
        return self.obj.name


@dataclass(frozen=True, slots=True)
class ConfigMap:
    obj: K8sObject
    data: Mapping[str, str]
    data_locations: Mapping[str, Location]

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def namespace(self) -> str:
        return self.obj.namespace or DEFAULT_NAMESPACE


@dataclass(frozen=True, slots=True)
class Secret:
    """Names and keys only: values are never read into socklock."""

    obj: K8sObject
    type: str
    keys: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def namespace(self) -> str:
        return self.obj.namespace or DEFAULT_NAMESPACE


@dataclass(frozen=True, slots=True)
class IngressBackend:
    service: str
    port: int | str  # number or Service port name
    host: str | None
    path: str | None
    location: Location


@dataclass(frozen=True, slots=True)
class Ingress:
    obj: K8sObject
    backends: tuple[IngressBackend, ...]

    @property
    def namespace(self) -> str:
        return self.obj.namespace or DEFAULT_NAMESPACE


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    obj: K8sObject
    automount_token: bool | None = field(default=None)

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def namespace(self) -> str:
        return self.obj.namespace or DEFAULT_NAMESPACE
