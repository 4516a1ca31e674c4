"""The Calico decider's trace: the first rule (in order) that decides each peer, found by the
same walk the model decides with (tiers in order; a Pass admits only when a later tier
or the profile does) (:meth:`CalicoConnectivity._decide` and
:meth:`CalicoConnectivity.egress_decision`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from socklock.model import Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.api import Direction
from socklock.policy.classset import ClassSet
from socklock.policy.pods import PodClass
from socklock.policy.trace import OPEN, ClassTrace, PolicyRef, RuleRef, near_miss

if TYPE_CHECKING:
    from socklock.policy.calico_model import CalicoConnectivity, CalicoPolicy, Entity, _Compiled

ALLOWING = ("Allow",)


def _policy_id(policy: CalicoPolicy) -> str:
    """The policy as Calico lists it: a Kubernetes NetworkPolicy is ``knp.default.<name>``,
    a ClusterNetworkPolicy ``kcnp.<name>``."""
    name = f"knp.default.{policy.name}" if policy.kubernetes else policy.name
    if policy.cluster:
        name = f"kcnp.{policy.name}"  # felix's short kind (felix/types/policy_id.go)
    return name if policy.namespace is None else f"{policy.namespace}/{name}"


def _entity(entity: Entity) -> str:
    parts = []
    for label, value in (
        ("selector", entity.selector),
        ("notSelector", entity.not_selector),
        ("namespaceSelector", entity.namespace_selector),
    ):
        if value is not None:
            parts.append(f"{label} {value!r}")
    for label, nets in (("nets", entity.nets), ("notNets", entity.not_nets)):
        if nets is not None:
            parts.append(f"{label} {', '.join(nets.cidrs())}")
    return ", ".join(parts)


def _ports(compiled: _Compiled) -> str:
    rule = compiled.rule
    words = []
    if rule.protocol is not None:
        words.append(str(getattr(rule.protocol, "value", rule.protocol)))
    if rule.not_protocol is not None:
        words.append(f"not {getattr(rule.not_protocol, 'value', rule.not_protocol)}")
    for label, ports in (("", rule.destination.ports), ("not ", rule.destination.not_ports)):
        if ports is not None:
            listed = [f"{lo}" if lo == hi else f"{lo}:{hi}" for lo, hi in ports.numeric]
            listed += sorted(ports.named)
            words.append(label + ", ".join(listed))
    return " ".join(words) or "every port"


def describe(compiled: _Compiled, direction: Direction) -> RuleRef:
    """The rule as written: policy, path and action, position, peers and ports in words."""
    rule = compiled.rule
    remote = rule.source if direction is Direction.INGRESS else rule.destination
    peers = _entity(remote) or "everyone (no selector, no nets)"
    return RuleRef(
        _policy_id(compiled.policy),
        f"{rule.where} ({compiled.action})",
        compiled.policy.obj.location,
        peers,
        _ports(compiled),
    )


def trace(
    model: CalicoConnectivity,
    direction: Direction,
    own: PodClass,
    peers: ClassSet | AddressSet,
    destinations: Sequence[PodClass] | None,
    port: int,
    protocol: Protocol,
) -> ClassTrace:
    """:meth:`socklock.policy.trace.Tracer.trace` for Calico policies."""
    ingress = direction is Direction.INGRESS
    way = "ingress" if ingress else "egress"
    if own.index not in model.selected[way]:
        return OPEN
    selecting = tuple(
        sorted(
            PolicyRef(_policy_id(p), p.obj.location)
            for p, subjects in zip(model.policies, model.subjects, strict=True)
            if direction.value in p.types and own.index in subjects
        )
    )
    admitting: set[RuleRef] = set()
    denying: set[RuleRef] = set()
    if isinstance(peers, AddressSet) or ingress:
        decided: list[tuple[_Compiled, str, ClassSet, AddressSet]] = []
        matches = (
            model._ingress_matches(own, port, protocol)
            if ingress
            else model._egress_matches(own, port, protocol)
        )
        tiers = model.tiers_of(way, own.index)
        classes, addresses = model._decide(tiers, matches, decided)
        if isinstance(peers, AddressSet):
            allowed = bool(peers) and peers.issubset(addresses)
        else:
            allowed = peers <= classes
        for compiled, action, hit_classes, hit_addresses in decided:
            hit = hit_addresses & peers if isinstance(peers, AddressSet) else hit_classes & peers
            if not hit:
                continue
            if action == "Pass":  # a hand-off: it admits only if a later tier does
                if allowed:
                    admitting.add(describe(compiled, direction))
            else:
                (admitting if action in ALLOWING else denying).add(describe(compiled, direction))
    else:
        allowed = True
        for destination in destinations or ():
            path, admitted = model.egress_decision(own.index, destination, port, protocol)
            for compiled, action in path:
                if action in ALLOWING or (action == "Pass" and admitted):
                    admitting.add(describe(compiled, direction))
                elif action == "Deny":
                    denying.add(describe(compiled, direction))
            allowed = allowed and admitted
    near: set[str] = set()
    targets: list[PodClass | None] = [own]
    if not ingress:
        targets = list(destinations) if destinations is not None else [None]
    for compiled in model.rules[way][own.index]:
        rule = compiled.rule
        port_ok = model._protocol_ok(rule, protocol) and any(
            model._ports_ok(rule, t, port, protocol) for t in targets
        )
        if isinstance(peers, AddressSet):
            peer_ok = bool(compiled.addresses & peers)
        else:
            peer_ok = bool(compiled.peers & peers)
        if port_ok != peer_ok:
            near.add(near_miss(describe(compiled, direction), peer_ok))
    return ClassTrace(
        isolated=True,
        allowed=allowed,
        selecting=selecting,
        admitting=tuple(sorted(admitting)),
        denying=tuple(sorted(denying)),
        near_misses=tuple(sorted(near)),
    )
