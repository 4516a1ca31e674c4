"""Which rules decided, for Cilium: the NetworkPolicy trace of the merged allows, then the
deny rules that match (a deny takes precedence over every allow, so one decides a denial)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from socklock.model import Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.api import Direction
from socklock.policy.classset import ClassSet
from socklock.policy.pods import PodClass
from socklock.policy.trace import ClassTrace, RuleRef
from socklock.policy.trace_kubernetes import trace as trace_kubernetes

if TYPE_CHECKING:
    from socklock.policy.cilium import CiliumConnectivity


def trace(
    connectivity: CiliumConnectivity,
    direction: Direction,
    own: PodClass,
    peers: ClassSet | AddressSet,
    destinations: Sequence[PodClass] | None,
    port: int,
    protocol: Protocol,
) -> ClassTrace:
    """:meth:`socklock.policy.trace.Tracer.trace` for Cilium's merged repository."""
    found = trace_kubernetes(connectivity, direction, own, peers, destinations, port, protocol)
    targets: Sequence[PodClass | None] = (
        [own] if direction is Direction.INGRESS else (destinations or [None])
    )
    denying: list[RuleRef] = []
    for rule in connectivity.deny_rules(direction, own):
        if not any(rule.ports.matches(t, port, protocol) for t in targets):
            continue
        hit = rule.classes & peers if isinstance(peers, ClassSet) else rule.addresses & peers
        if not hit:
            continue
        written = rule.rule
        policy = connectivity.deny_policies[rule.policy]
        who = "; ".join(str(p) for p in written.peers) or "everyone"
        ports = ", ".join(str(p) for p in written.ports) or "every port"
        denying.append(RuleRef(policy.id, written.path, written.location, who, ports))
    if not denying:
        return found
    return replace(found, isolated=True, allowed=False, denying=tuple(sorted(denying)))
