"""The pods a policy can see, grouped into classes, and the workloads answers speak of.

A *pod class* is every pod with the same namespace, labels, named ports and address class
(:mod:`.address_classes`: the atoms of the policies' ipBlocks its given IPs fall in; without
the policies at hand, the IPs themselves): policies cannot tell such pods apart, so the
engine decides once per class. A class's ``addresses`` are every given IP of its pods.
The replicas of one pod template are one class. An *endpoint* is what an answer names: a
workload ``namespace/name`` (Deployment, StatefulSet, ..., bare Pod); dumped Pods and
ReplicaSets/Jobs that carry a controller ``ownerReference`` are grouped under their owning
workload, so answers speak of workloads, not replicas.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from socklock.load.fields import given
from socklock.model import (
    WORKLOAD_KINDS,
    Diagnostic,
    Inventory,
    Location,
    Protocol,
    Workload,
    position_of,
)
from socklock.policy.address_classes import AddressCuts
from socklock.policy.addresses import NO_ADDRESSES, AddressSet
from socklock.policy.classset import ClassSet
from socklock.policy.selectors import LabelIndex

PortKey = tuple[int, Protocol]
_NO_PORTS: Mapping[str, PortKey] = {}


@dataclass(frozen=True, slots=True)
class PodClass:
    index: int
    namespace: str
    labels: Mapping[str, str]
    named_ports: Mapping[str, PortKey]  # container port name -> (number, protocol)
    addresses: AddressSet  # the pod IPs the input gives; empty when none


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A workload as answers name it, with the pod classes of its pods."""

    id: str
    kind: str
    namespace: str
    classes: ClassSet  # the classes of its pods
    single_pod: bool  # a bare Pod: traffic to itself is one pod talking to itself
    ports: tuple[PortKey, ...]  # declared container ports, sorted
    location: Location
    workloads: tuple[Workload, ...] = field(compare=False)


@dataclass(frozen=True, slots=True)
class Cluster:
    classes: tuple[PodClass, ...]
    endpoints: tuple[Endpoint, ...]  # sorted by id
    namespaces: tuple[str, ...]  # sorted
    namespace_labels: Mapping[str, Mapping[str, str]]
    namespace_members: Mapping[str, ClassSet]  # namespace -> its classes
    diagnostics: tuple[Diagnostic, ...]
    by_id: Mapping[str, Endpoint] = field(compare=False)
    pod_labels: LabelIndex = field(compare=False)
    namespace_index: LabelIndex = field(compare=False)

    @property
    def all_classes(self) -> ClassSet:
        return self.pod_labels.all

    def endpoint(self, endpoint_id: str) -> Endpoint | None:
        return self.by_id.get(endpoint_id)

    def class_endpoints(self) -> list[list[int]]:
        """For each class, the indices of the endpoints that contain it."""
        out: list[list[int]] = [[] for _ in self.classes]
        for index, endpoint in enumerate(self.endpoints):
            for c in endpoint.classes:
                out[c].append(index)
        return out


def _controller(workload: Workload) -> tuple[str, str] | None:
    """The owning workload of a non-Pod workload (a ReplicaSet of a Deployment, ...)."""
    metadata = workload.obj.body.get("metadata")
    refs = metadata.get("ownerReferences") if isinstance(metadata, dict) else None
    for ref in refs if isinstance(refs, list) else ():
        if not isinstance(ref, dict) or not given(ref, "controller", True):
            continue
        kind, name = ref.get("kind"), ref.get("name")
        if isinstance(kind, str) and isinstance(name, str) and kind in WORKLOAD_KINDS:
            return kind, name
    return None


def _owner_of(workload: Workload) -> tuple[str, str] | None:
    return workload.owner if workload.kind == "Pod" else _controller(workload)


def _group(workloads: tuple[Workload, ...]) -> dict[str, tuple[str, list[Workload]]]:
    """endpoint id -> (kind, workloads), following owner references to the top workload."""
    owners: dict[str, tuple[str, str]] = {}
    for w in workloads:
        found = _owner_of(w)
        if found is not None:
            owners[w.id] = found
    groups: dict[str, tuple[str, list[Workload]]] = {}
    for w in workloads:
        kind, ident = w.kind, w.id
        owner = _owner_of(w)
        for _ in range(8):  # Pod -> ReplicaSet -> Deployment is as deep as it gets
            if owner is None:
                break
            kind, ident = owner[0], f"{w.namespace}/{owner[1]}"
            owner = owners.get(ident)
        groups.setdefault(ident, (kind, []))[1].append(w)
    return groups


def host_networked(inventory: Inventory) -> Iterator[tuple[Workload, Location]]:
    """Each workload whose pods share their node's network (``hostNetwork: true``), with the
    place that says so: deciders that cannot model such pods refuse them there."""
    for workload in inventory.workloads:
        if workload.pod_spec.get("hostNetwork") is True:
            line, column = position_of(workload.pod_spec, "hostNetwork")
            yield (
                workload,
                (
                    Location(workload.obj.location.file, line, column)
                    if (line, column) != (0, 0)
                    else workload.obj.location
                ),
            )


def build_cluster(inventory: Inventory, cuts: AddressCuts | None = None) -> Cluster:
    """Pod classes and endpoints of every workload in ``inventory``.

    ``cuts``: the ipBlock boundaries of the policies the cluster will be asked about; pods
    are then classed by the atoms their IPs fall in. None: by the IPs themselves (right for
    any policies, but one class per pod when the input gives pod IPs)."""
    diagnostics: list[Diagnostic] = []
    class_keys: dict[tuple[object, ...], int] = {}
    classes: list[PodClass] = []
    gathered: list[list[AddressSet]] = []  # per class, the IPs of each pod in it
    endpoints: list[Endpoint] = []
    for ident, (kind, members) in sorted(_group(inventory.workloads).items()):
        mine: list[int] = []
        ports: set[PortKey] = set()
        for w in members:
            named: dict[str, PortKey] = {}
            for port in w.ports:
                key = (port.container_port, Protocol(port.protocol))
                ports.add(key)
                if port.name is None:
                    continue
                if port.name in named and named[port.name] != key:
                    where = port.location or w.location
                    diagnostics.append(
                        Diagnostic(
                            where,
                            f"{w.obj.ref}: container port name {port.name!r} is used twice "
                            "in one pod; named ports in policies would be ambiguous",
                        )
                    )
                named[port.name] = key
            try:
                addresses = AddressSet.addresses(w.pod_ips) if w.pod_ips else NO_ADDRESSES
            except ValueError:
                diagnostics.append(
                    Diagnostic(w.location, f"{w.obj.ref}: status.podIPs holds an invalid IP")
                )
                addresses = NO_ADDRESSES
            class_key = (
                w.namespace,
                tuple(sorted(w.labels.items())),
                tuple(sorted(named.items())),
                addresses if cuts is None else cuts.key(addresses),
            )
            index = class_keys.get(class_key)
            if index is None:
                index = len(classes)
                class_keys[class_key] = index
                # the workload's own labels (read only), and one shared empty port table
                classes.append(
                    PodClass(index, w.namespace, w.labels, named or _NO_PORTS, addresses)
                )
                gathered.append([])
            if addresses:
                gathered[index].append(addresses)
            mine.append(index)
        single = len(members) == 1 and members[0].kind == "Pod" and members[0].owner is None
        endpoints.append(
            Endpoint(
                id=ident,
                kind=kind,
                namespace=members[0].namespace,
                classes=ClassSet.of(mine),
                single_pod=single,
                ports=tuple(sorted(ports)),
                location=members[0].location,
                workloads=tuple(members),
            )
        )
    for index, found in enumerate(gathered):
        if len(found) > 1:
            classes[index] = dataclasses.replace(classes[index], addresses=AddressSet.union(found))
    namespaces = sorted(set(inventory.namespace_names()) | {c.namespace for c in classes})
    ns_labels = {ns: inventory.namespace_labels(ns) for ns in namespaces}
    members_by_ns: dict[str, list[int]] = {ns: [] for ns in namespaces}
    for c in classes:
        members_by_ns[c.namespace].append(c.index)
    return Cluster(
        classes=tuple(classes),
        endpoints=tuple(endpoints),
        namespaces=tuple(namespaces),
        namespace_labels=ns_labels,
        namespace_members={ns: ClassSet.of(m) for ns, m in members_by_ns.items()},
        diagnostics=tuple(diagnostics),
        by_id={e.id: e for e in endpoints},
        pod_labels=LabelIndex([c.labels for c in classes]),
        namespace_index=LabelIndex([ns_labels[ns] for ns in namespaces]),
    )
