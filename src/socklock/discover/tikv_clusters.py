"""TiKV stores of one cluster in a compose project: they replicate to each other, and each
TiDB server of the cluster reads and writes on every store.

A TiKV store registers its ``--advertise-addr`` with the Placement Driver (``--pd``); PD
hands those addresses out. Stores hold each other's Raft replicas (three by default), so
each store calls each other store; a TiDB server (``--store=tikv --path=<pd list>``) asks PD
where each region lives and calls the store that leads it, so it calls every store.

Membership is read, not guessed: compose services of the ``tikv`` image whose commands name
the same PD list, two or more of them, each advertising an address that names itself. A
TiDB server joins when its ``--path`` names a PD of that list. Like
:mod:`socklock.discover.broker_clusters`, the Kafka counterpart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.discover.commands import service_words
from socklock.discover.resolve import ComposeResolver
from socklock.load.units.names import image_name
from socklock.model import Evidence, EvidenceKind

if TYPE_CHECKING:
    from socklock.discover.builder import GraphBuilder
    from socklock.model import ComposeProject, ComposeService, Inventory


class _Store:
    def __init__(self, graph_id: str, service: ComposeService, port: int) -> None:
        self.id = graph_id
        self.service = service
        self.port = port


def add_tikv_cluster_edges(
    inventory: Inventory, builder: GraphBuilder, aliases: dict[str, str]
) -> None:
    """Calls between the stores of each TiKV cluster, and from its TiDB servers to each."""
    for project in inventory.compose_projects:
        for pds, stores in _clusters(project, aliases).items():
            for store in stores:
                for other in stores:
                    if other is not store:
                        _add(builder, store.id, other, "Raft replication between stores")
            for service in project.services:
                path = _flag(service, "path")
                if _image(service) != "tidb" or path is None or not (_hosts(path) & pds):
                    continue
                for store in stores:
                    _add(builder, aliases.get(service.id, service.id), store, "region reads")


def _clusters(
    project: ComposeProject, aliases: dict[str, str]
) -> dict[frozenset[str], list[_Store]]:
    resolver = ComposeResolver(project)
    found: dict[frozenset[str], list[_Store]] = {}
    for service in project.services:
        pd, advertised = _flag(service, "pd"), _flag(service, "advertise-addr")
        if _image(service) != "tikv" or not pd or not advertised:
            continue
        host, _, port = advertised.rpartition(":")
        if resolver.by_name.get(host.lower()) is not service or not port.isdigit():
            continue  # an address that names another host, or no port: fail closed
        if not 0 < int(port) < 65536:
            continue
        graph_id = aliases.get(service.id, service.id)
        found.setdefault(_hosts(pd), []).append(_Store(graph_id, service, int(port)))
    return {pds: stores for pds, stores in found.items() if len(stores) > 1}


def _image(service: ComposeService) -> str:
    return (image_name(service.image) or "").lower()


def _flag(service: ComposeService, name: str) -> str | None:
    """The value of ``--name=value`` or ``--name value`` in the service's command."""
    words = service_words(service.body)
    for index, word in enumerate(words):
        if word.startswith(f"--{name}="):
            return word.split("=", 1)[1].strip()
        if word == f"--{name}" and index + 1 < len(words):
            return words[index + 1].strip()
    return None


def _hosts(endpoints: str) -> frozenset[str]:
    """The hosts of a comma list of PD endpoints (``pd0:2379,http://pd1:2379``)."""
    hosts = set()
    for item in endpoints.split(","):
        address = item.strip().split("://", 1)[-1].split("/", 1)[0]
        if address:
            hosts.add(address.rpartition(":")[0].lower() or address.lower())
    return frozenset(hosts)


def _add(builder: GraphBuilder, source: str, store: _Store, why: str) -> None:
    detail = (
        f"TiKV store {store.id} advertises port {store.port} through PD ({why}: every store "
        "of the cluster is called)"
    )
    where = store.service.location
    builder.add_edge(
        source, store.id, store.port, "TCP", Evidence(EvidenceKind.COMMAND, where, detail)
    )
