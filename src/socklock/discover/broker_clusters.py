"""Kafka brokers of one cluster in a compose project: a client of one is a client of all.

A Kafka client bootstraps from the brokers it is given, reads the cluster's metadata and
then connects to the leader of each partition it produces to or fetches from, at that
broker's advertised listener; a multi-broker cluster spreads the leaders over every
broker, so the client calls each of them. Brokers replicate the partitions the others lead
(and answer the controller) on their inter-broker listener: each calls each other.

Membership is read, not guessed: compose services that run a Kafka broker image and name
the same coordination service (``KAFKA_ZOOKEEPER_CONNECT``, or KRaft's
``KAFKA_CONTROLLER_QUORUM_VOTERS``; the Bitnami ``KAFKA_CFG_`` spellings too), two or more
of them. A client reached a broker on one of its advertised listeners (the port of the
edge); it is handed the other brokers' addresses of that same listener. A broker whose
advertised listeners do not name itself with that port gives nothing (fail closed).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socklock.discover.addresses import server_image
from socklock.discover.resolve import ComposeResolver
from socklock.load.units.names import image_name
from socklock.model import Evidence, EvidenceKind

if TYPE_CHECKING:
    from socklock.discover.builder import GraphBuilder
    from socklock.model import ComposeProject, ComposeService, Inventory, Location

_PREFIXES = ("KAFKA_", "KAFKA_CFG_")
_CLUSTER_KEYS = ("ZOOKEEPER_CONNECT", "CONTROLLER_QUORUM_VOTERS")
_ADVERTISED = "ADVERTISED_LISTENERS"
_INTER_BROKER = "INTER_BROKER_LISTENER_NAME"
_LISTENER = re.compile(r"^\s*([A-Za-z0-9_]+)://\[?([^\]\s/]*)\]?:(\d{1,5})\s*$")
_DEFAULT_INTER_BROKER = "PLAINTEXT"  # Kafka's inter.broker.listener.name by default
# servers whose only topic has one partition (Confluent Schema Registry's ``_schemas``): its
# leader is one broker, chosen at run time, so which one they call is not known
_ONE_PARTITION_CLIENTS = frozenset({"cp-schema-registry"})

Listeners = dict[str, tuple[int, "Location"]]  # listener name → (its port, where it is said)


class _Broker:
    def __init__(self, graph_id: str, service: ComposeService, listeners: Listeners) -> None:
        self.id = graph_id
        self.service = service
        self.listeners = listeners

    def setting(self, key: str) -> str | None:
        return _setting(self.service, key)


def add_broker_cluster_edges(
    inventory: Inventory, builder: GraphBuilder, aliases: dict[str, str]
) -> None:
    """Calls to every broker of a cluster from each client of one of them, and between the
    brokers."""
    for project in inventory.compose_projects:
        one_partition = {
            aliases.get(s.id, s.id) for s in project.services if _image(s) in _ONE_PARTITION_CLIENTS
        }
        for cluster in _clusters(project, aliases):
            _add_cluster(cluster, builder, one_partition)


def _image(service: ComposeService) -> str:
    """The image's last name component, without tag or digest."""
    return (image_name(service.image) or "").lower()


def _clusters(project: ComposeProject, aliases: dict[str, str]) -> list[list[_Broker]]:
    resolver = ComposeResolver(project)
    by_coordinator: dict[str, list[_Broker]] = {}
    for service in project.services:
        if server_image(service.image) != "kafka":
            continue
        coordinator = next(
            (v for k in _CLUSTER_KEYS if (v := _setting(service, k)) is not None), None
        )
        if not coordinator:
            continue
        listeners = _own_listeners(service, resolver)
        graph_id = aliases.get(service.id, service.id)
        by_coordinator.setdefault(coordinator, []).append(_Broker(graph_id, service, listeners))
    return [brokers for brokers in by_coordinator.values() if len(brokers) > 1]


def _own_listeners(service: ComposeService, resolver: ComposeResolver) -> Listeners:
    """The advertised listeners that name the broker itself: name → (port, where)."""
    found: Listeners = {}
    for entry in service.environment:
        if entry.value is None or entry.name not in {p + _ADVERTISED for p in _PREFIXES}:
            continue
        for item in entry.value.split(","):
            match = _LISTENER.match(item)
            if match is None:
                continue
            name, host, port = match.group(1).upper(), match.group(2).lower(), int(match.group(3))
            if resolver.by_name.get(host) is service and 0 < port < 65536:
                found[name] = (port, entry.location)
    return found


def _setting(service: ComposeService, key: str) -> str | None:
    names = {prefix + key for prefix in _PREFIXES}
    return next((e.value.strip() for e in service.environment if e.name in names and e.value), None)


def _add_cluster(brokers: list[_Broker], builder: GraphBuilder, one_partition: set[str]) -> None:
    members = {b.id for b in brokers} | one_partition
    for broker in brokers:
        by_port = {port: name for name, (port, _) in broker.listeners.items()}
        for source, port, protocol in builder.calls_to(broker.id):
            listener = by_port.get(port) if port is not None else None
            if source in members or listener is None:
                continue  # a broker itself (below), or a client of one known partition
            for other in brokers:
                _add(builder, source, other, listener, protocol, "partition leaders")
        inter = broker.setting(_INTER_BROKER)
        if inter is None:
            names = list(broker.listeners)
            inter = names[0] if len(names) == 1 else _DEFAULT_INTER_BROKER
        for other in brokers:
            if other is not broker:
                _add(builder, broker.id, other, inter.upper(), "TCP", "replication")


def _add(
    builder: GraphBuilder, source: str, broker: _Broker, listener: str, protocol: str, why: str
) -> None:
    said = broker.listeners.get(listener)
    if said is None or source == broker.id:
        return
    port, where = said
    detail = (
        f"Kafka cluster metadata hands out {broker.id}'s {listener} listener on port {port} "
        f"({why}: every broker of the cluster is called)"
    )
    builder.add_edge(source, broker.id, port, protocol, Evidence(EvidenceKind.ENV, where, detail))
