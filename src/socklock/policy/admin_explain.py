"""Why a connection is allowed or denied where AdminNetworkPolicies are in force: the tier
and the rule that decide each direction (file:line).

The verdict is :meth:`AdminConnectivity.verdict`'s; each side is walked through the same
tiers (admin, NetworkPolicy, baseline) in the same order as :mod:`socklock.policy.admin`
decides them, so the rule named is the one that decided.
"""

from __future__ import annotations

from socklock.errors import UsageError
from socklock.model import Protocol
from socklock.policy.addresses import AddressSet, is_external
from socklock.policy.admin import AdminConnectivity, CompiledAdminRule
from socklock.policy.admin_api import Action
from socklock.policy.api import Direction
from socklock.policy.explain import Explanation, PolicyRef, RuleRef, Side
from socklock.policy.pods import PodClass

Peer = PodClass | AddressSet


def explain_admin(
    connectivity: AdminConnectivity,
    source: str,
    target: str,
    port: int,
    protocol: Protocol | str = Protocol.TCP,
) -> Explanation:
    """Explain ``source -> target`` on ``port``/``protocol`` tier by tier."""
    protocol = Protocol(protocol)
    verdict = connectivity.verdict(source, target, port, protocol)
    if is_external(source) and is_external(target):
        raise UsageError("one side must be a workload")
    egress = ingress = None
    note = ""
    if is_external(source):
        own = connectivity.pod_classes(connectivity.endpoint(target))
        peers: list[Peer] = [connectivity.outside(source)]
        ingress = _side(connectivity, Direction.INGRESS, target, own, peers, port, protocol)
        note = "traffic from outside the cluster is decided by the target's ingress alone"
    elif is_external(target):
        own = connectivity.pod_classes(connectivity.endpoint(source))
        peers = [connectivity.outside(target)]
        egress = _side(connectivity, Direction.EGRESS, source, own, peers, port, protocol)
        note = "traffic to outside the cluster is decided by the source's egress alone"
    else:
        src, dst = connectivity.endpoint(source), connectivity.endpoint(target)
        src_classes, dst_classes = connectivity.pod_classes(src), connectivity.pod_classes(dst)
        egress = _side(
            connectivity, Direction.EGRESS, source, src_classes, list(dst_classes), port, protocol
        )
        ingress = _side(
            connectivity, Direction.INGRESS, target, dst_classes, list(src_classes), port, protocol
        )
        if src.id == dst.id and src.single_pod:
            note = "a pod always reaches itself"
    return Explanation(source, target, port, protocol, verdict, egress, ingress, note)


def _side(
    connectivity: AdminConnectivity,
    direction: Direction,
    workload: str,
    own: list[PodClass],
    peers: list[Peer],
    port: int,
    protocol: Protocol,
) -> Side:
    selecting: set[PolicyRef] = set()
    admitting: set[RuleRef] = set()
    refusing: set[str] = set()
    reasons: list[str] = []
    allowed_all = True
    for c in own:
        for compiled in connectivity.tiers:
            rules = compiled.ingress if direction is Direction.INGRESS else compiled.egress
            if rules and c.index in compiled.subjects:
                selecting.add(PolicyRef(compiled.policy.id, compiled.policy.location))
        np_indices = (
            connectivity.ingress_policies
            if direction is Direction.INGRESS
            else connectivity.egress_policies
        )[c.index]
        for i in np_indices:
            policy = connectivity.policies[i]
            selecting.add(PolicyRef(f"NetworkPolicy {policy.id}", policy.location))
        for peer in peers:
            allowed, rule, reason = _decide(connectivity, direction, c, peer, port, protocol)
            allowed_all &= allowed
            reasons.append(reason)
            if rule is not None:
                (admitting.add(rule) if allowed else refusing.add(f"{rule.policy} {rule.rule}"))
    isolated = getattr(connectivity.isolation(workload), direction.value.lower())
    return Side(
        direction,
        workload,
        isolated,
        allowed_all,
        tuple(sorted(selecting)),
        tuple(sorted(admitting)),
        tuple(sorted(refusing)),
        "; ".join(dict.fromkeys(reasons)),
    )


def _matches(rule_classes_hit: bool, addresses: AddressSet, peer: Peer) -> bool:
    if isinstance(peer, PodClass):
        return rule_classes_hit
    return bool(addresses & peer)


def _decide(
    connectivity: AdminConnectivity,
    direction: Direction,
    own: PodClass,
    peer: Peer,
    port: int,
    protocol: Protocol,
) -> tuple[bool, RuleRef | None, str]:
    """(allowed, the deciding rule, why) for one class of this side and one peer."""
    c = own.index
    destination = own if direction is Direction.INGRESS else peer
    at = destination if isinstance(destination, PodClass) else None
    ingress = direction is Direction.INGRESS
    admin = connectivity._admin_in[c] if ingress else connectivity._admin_out[c]
    passed = ""
    for rule in admin:
        hit = isinstance(peer, PodClass) and peer.index in rule.classes
        if rule.ports.matches(at, port, protocol) and _matches(hit, rule.addresses, peer):
            ref = _ref(connectivity, rule)
            if rule.rule.action is Action.PASS:
                passed = f"passed by {ref.policy} {ref.rule}; "
                break
            allowed = rule.rule.action is Action.ALLOW
            return allowed, ref, f"{rule.rule.verb} by {ref.policy} {ref.rule} (admin tier)"
    isolated = c in (connectivity.ingress_isolated if ingress else connectivity.egress_isolated)
    if isolated:
        rules = connectivity.ingress_rules(own) if ingress else connectivity.egress_rules(own)
        for np_rule in rules:
            hit = isinstance(peer, PodClass) and peer.index in np_rule.classes
            if np_rule.ports.matches(at, port, protocol) and _matches(hit, np_rule.addresses, peer):
                policy = connectivity.policies[np_rule.policy]
                ref = RuleRef(
                    f"NetworkPolicy {policy.id}",
                    np_rule.rule.path,
                    np_rule.rule.location,
                    "; ".join(str(p) for p in np_rule.rule.peers) or "everyone",
                    ", ".join(str(p) for p in np_rule.rule.ports) or "every port",
                )
                return True, ref, f"{passed}allowed by NetworkPolicy {policy.id} {ref.rule}"
        return False, None, f"{passed}selected by a NetworkPolicy, no rule of which admits it"
    base = connectivity._base_in[c] if ingress else connectivity._base_out[c]
    for rule in base:
        hit = isinstance(peer, PodClass) and peer.index in rule.classes
        if rule.ports.matches(at, port, protocol) and _matches(hit, rule.addresses, peer):
            ref = _ref(connectivity, rule)
            if rule.rule.action is Action.PASS:  # the rest of the tier is skipped: allowed
                return True, None, f"{passed}passed by {ref.policy} {ref.rule} (baseline): allowed"
            allowed = rule.rule.action is Action.ALLOW
            return allowed, ref, f"{passed}{rule.rule.verb} by {ref.policy} {ref.rule} (baseline)"
    return True, None, f"{passed}no admin, NetworkPolicy or baseline rule decides it: allowed"


def _ref(connectivity: AdminConnectivity, rule: CompiledAdminRule) -> RuleRef:
    written = rule.rule
    ports = ", ".join(str(p) for p in written.ports) or "every port"
    name = f"{written.path} ({written.name})" if written.name else written.path
    policy = connectivity.tiers[rule.policy].policy.id
    return RuleRef(policy, name, written.location, "; ".join(str(p) for p in written.peers), ports)
