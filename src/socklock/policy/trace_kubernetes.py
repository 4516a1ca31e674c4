"""The Kubernetes decider's trace: the rules of a pod class's policies (a union) that admit a
peer on a port, asked with the compiled rules and port matching the engine decides with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from socklock.model import Protocol
from socklock.policy.addresses import NO_ADDRESSES, AddressSet
from socklock.policy.api import Direction
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.compile import CompiledRule
from socklock.policy.pods import PodClass
from socklock.policy.trace import OPEN, ClassTrace, PolicyRef, RuleRef, near_miss

if TYPE_CHECKING:
    from socklock.policy.engine import Connectivity


def describe_rule(rule: CompiledRule, connectivity: Connectivity) -> RuleRef:
    """The rule as written: its policy, path, position, peers and ports in words."""
    policy = connectivity.policies[rule.policy]
    written = rule.rule
    peers = (
        "everyone (no peers: every pod and every address)"
        if not written.peers
        else "; ".join(str(p) for p in written.peers)
    )
    ports = "every port" if not written.ports else ", ".join(str(p) for p in written.ports)
    return RuleRef(policy.id, written.path, written.location, peers, ports)


def _addresses(addresses: AddressSet) -> str:
    """``10.0.1.1``, ``fd00::/64``: single addresses without their prefix length."""
    return ", ".join(c.removesuffix("/32").removesuffix("/128") for c in addresses.cidrs())


def trace(
    connectivity: Connectivity,
    direction: Direction,
    own: PodClass,
    peers: ClassSet | AddressSet,
    destinations: Sequence[PodClass] | None,
    port: int,
    protocol: Protocol,
) -> ClassTrace:
    """:meth:`socklock.policy.trace.Tracer.trace` for NetworkPolicies."""
    ingress = direction is Direction.INGRESS
    indices = (connectivity.ingress_policies if ingress else connectivity.egress_policies)[
        own.index
    ]
    if not indices:
        return OPEN
    selecting = {
        PolicyRef(connectivity.policies[i].id, connectivity.policies[i].location) for i in indices
    }
    rules = connectivity.ingress_rules(own) if ingress else connectivity.egress_rules(own)
    targets: list[PodClass | None] = (
        [own] if ingress else ([None] if destinations is None else list(destinations))
    )
    admitting: set[RuleRef] = set()
    near: set[str] = set()
    partly: set[str] = set()
    allowed = True
    for target in targets:
        covered_classes = NO_CLASSES
        covered_addresses = NO_ADDRESSES
        any_rule = False
        for rule in rules:
            port_ok = rule.ports.matches(target, port, protocol)
            matched = rule.classes | rule.partial
            if isinstance(peers, AddressSet):
                peer_ok = bool(rule.addresses & peers)
            elif ingress:
                peer_ok = bool(matched & peers)
            else:
                peer_ok = target is not None and target.index in matched
            if not port_ok and not peer_ok:
                continue
            ref = describe_rule(rule, connectivity)
            if port_ok and peer_ok:
                admitting.add(ref)
                any_rule = True
                covered_classes |= rule.classes
                covered_addresses = covered_addresses | rule.addresses
            else:
                near.add(near_miss(ref, peer_ok))
        if isinstance(peers, AddressSet):
            ok = bool(peers) and peers.issubset(covered_addresses)
        else:
            # Pods matched by the ipBlocks through some of their IPs only: admitted over those
            # IPs' address families only (the source's IPs for ingress, the destination's for
            # egress).
            if ingress:
                matched_pods = [connectivity.cluster.classes[i] for i in peers]
            elif target is not None:
                matched_pods = [target]
            else:
                matched_pods = []
            ok = True
            for pod in matched_pods:
                if pod.index in covered_classes:
                    continue
                through = pod.addresses & covered_addresses
                if through and through == pod.addresses:
                    continue
                ok = False
                if through:
                    partly.add(_addresses(through))
            if not ingress and not any_rule:
                ok = False
        allowed = allowed and ok
    return ClassTrace(
        isolated=True,
        allowed=allowed,
        selecting=tuple(sorted(selecting)),
        admitting=tuple(sorted(admitting)),
        near_misses=tuple(sorted(near)),
        partly=tuple(sorted(partly)),
    )
