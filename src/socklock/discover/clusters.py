"""Members of one cluster of a program: an actor system's seed list that names a workload
running the same program.

Akka (and Pekko) cluster members join through ``akka.cluster.seed-nodes``
(``akka.tcp://System@seed-1:2552``), then gossip with every other member and send each
other messages (sharding, singletons) on the remoting port, both ways. When the seed a
program's config names runs that program too (two compose services of one image, replicas
of one build), every workload running it is a member: each one calls each other on the
seed's port, all of them with the same config. A seed of another program is a plain call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.model import Evidence

if TYPE_CHECKING:
    from collections.abc import Iterable

    from socklock.discover.addresses import Target
    from socklock.discover.resolve import Reached

# actor-system remoting addresses: classic (``akka.tcp``, ``akka.ssl.tcp``), Artery
# (``akka``), and Pekko's, the Apache fork of Akka
REMOTING_SCHEMES = frozenset({"akka", "akka.tcp", "akka.ssl.tcp", "pekko", "pekko.tcp"})

Edge = tuple[str, str, int | None, str, Evidence]


def member_edges(
    target: Target, reached: Iterable[Reached], runners: set[str], evidence: Evidence
) -> list[Edge]:
    """The calls between the members of the cluster whose seed ``target`` names, when it
    reaches a workload among ``runners`` (the workloads that run the config naming it):
    each member to each other on the seed's port. Empty for another program's seed."""
    if (target.scheme or "").lower() not in REMOTING_SCHEMES:
        return []
    seeds = [r for r in reached if r.workload in runners]
    if not seeds or len(runners) < 2:
        return []
    detail = f"{evidence.detail} (cluster members gossip with each other on the seed's port)"
    found = Evidence(evidence.kind, evidence.location, detail, evidence.expression)
    return [
        (member, other, seed.port, seed.protocol, found)
        for seed in seeds
        for member in sorted(runners)
        for other in sorted(runners)
        if member != other
    ]
