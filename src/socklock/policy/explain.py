"""Why a connection is allowed or denied: which policies select each side, which rule admits
it (file:line), or why none does."""

from __future__ import annotations

from dataclasses import dataclass

from socklock.errors import UsageError
from socklock.model import Location, Protocol
from socklock.policy.addresses import AddressSet, is_external
from socklock.policy.api import Direction
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.compile import CompiledRule
from socklock.policy.engine import Connectivity
from socklock.policy.pods import PodClass
from socklock.policy.result import Verdict


@dataclass(frozen=True, slots=True, order=True)
class PolicyRef:
    policy: str  # namespace/name
    location: Location


@dataclass(frozen=True, slots=True, order=True)
class RuleRef:
    policy: str
    rule: str  # spec.ingress[0]
    location: Location
    peers: str  # what the rule admits, in words
    ports: str


@dataclass(frozen=True, slots=True)
class Side:
    """One direction: the source's egress or the target's ingress."""

    direction: Direction
    workload: str
    isolated: bool
    allowed: bool
    selecting: tuple[PolicyRef, ...]
    admitting: tuple[RuleRef, ...]
    near_misses: tuple[str, ...]  # rules that match the peer but not the port, or the reverse
    reason: str


@dataclass(frozen=True, slots=True)
class Explanation:
    source: str
    target: str
    port: int
    protocol: Protocol
    verdict: Verdict
    egress: Side | None  # None when the source is outside the cluster
    ingress: Side | None  # None when the target is outside the cluster
    note: str = ""


def _addresses(addresses: AddressSet) -> str:
    """``10.0.1.1``, ``fd00::/64``: single addresses without their prefix length."""
    return ", ".join(c.removesuffix("/32").removesuffix("/128") for c in addresses.cidrs())


def _describe_rule(rule: CompiledRule, connectivity: Connectivity) -> RuleRef:
    policy = connectivity.policies[rule.policy]
    written = rule.rule
    peers = (
        "everyone (no peers: every pod and every address)"
        if not written.peers
        else "; ".join(str(p) for p in written.peers)
    )
    ports = "every port" if not written.ports else ", ".join(str(p) for p in written.ports)
    return RuleRef(policy.id, written.path, written.location, peers, ports)


def _side(
    connectivity: Connectivity,
    direction: Direction,
    workload: str,
    own: list[PodClass],
    peers: ClassSet | AddressSet,
    destinations: list[PodClass] | None,
    port: int,
    protocol: Protocol,
) -> Side:
    """The verdict of ``direction`` for the pods ``own`` (the target's pods for ingress, the
    source's for egress), towards ``peers`` (classes or addresses) at ``destinations``."""
    selecting: set[PolicyRef] = set()
    admitting: set[RuleRef] = set()
    near: set[str] = set()
    partly: set[str] = set()  # the IPs through which ipBlocks match pods only partially
    isolated_all = True
    allowed_all = True
    for c in own:
        index_lists = (
            connectivity.ingress_policies
            if direction is Direction.INGRESS
            else connectivity.egress_policies
        )
        indices = index_lists[c.index]
        for i in indices:
            policy = connectivity.policies[i]
            selecting.add(PolicyRef(policy.id, policy.location))
        if not indices:
            isolated_all = False
            continue
        rules = (
            connectivity.ingress_rules(c)
            if direction is Direction.INGRESS
            else connectivity.egress_rules(c)
        )
        targets: list[PodClass | None] = (
            [c]
            if direction is Direction.INGRESS
            else ([None] if destinations is None else list(destinations))
        )
        for target in targets:
            covered_classes = NO_CLASSES
            covered_addresses = AddressSet()
            any_rule = False
            for rule in rules:
                port_ok = rule.ports.matches(target, port, protocol)
                matched = rule.classes | rule.partial
                if isinstance(peers, AddressSet):
                    peer_ok = bool(rule.addresses & peers)
                elif direction is Direction.INGRESS:
                    peer_ok = bool(matched & peers)
                else:
                    peer_ok = target is not None and target.index in matched
                ref = _describe_rule(rule, connectivity)
                if port_ok and peer_ok:
                    admitting.add(ref)
                    any_rule = True
                    covered_classes |= rule.classes
                    covered_addresses = covered_addresses | rule.addresses
                elif peer_ok:
                    near.add(
                        f"{ref.policy} {ref.rule} ({ref.location}) admits the peer, but on "
                        f"{ref.ports} only"
                    )
                elif port_ok:
                    near.add(
                        f"{ref.policy} {ref.rule} ({ref.location}) covers the port, but admits "
                        f"{ref.peers} only"
                    )
            if isinstance(peers, AddressSet):
                ok = peers.issubset(covered_addresses)
            else:
                # Pods matched by the ipBlocks through some of their IPs only: admitted over
                # those IPs' address families only (the source's IPs for ingress, the
                # destination's for egress).
                if direction is Direction.INGRESS:
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
                if direction is Direction.EGRESS and not any_rule:
                    ok = False
            allowed_all = allowed_all and ok
    way = "ingress" if direction is Direction.INGRESS else "egress"
    if not selecting:
        reason = f"no policy selects {workload} for {way}: {way} is open"
        allowed_all = True
    elif not isolated_all and allowed_all:
        reason = f"some pods of {workload} are not isolated for {way}; the others admit it"
    elif allowed_all:
        reason = f"admitted by {len(admitting)} rule(s)"
    elif admitting:
        reason = f"admitted for some pods or addresses only, by {len(admitting)} rule(s)"
        if partly:
            reason += f"; partially: only through {', '.join(sorted(partly))}"
    else:
        reason = (
            f"isolated for {way} by {len(selecting)} policy(ies), and none of their rules "
            f"admits it on {port}/{protocol}"
        )
    return Side(
        direction,
        workload,
        isolated_all,
        allowed_all,
        tuple(sorted(selecting)),
        tuple(sorted(admitting)),
        tuple(sorted(near)),
        reason,
    )


def explain(
    connectivity: Connectivity,
    source: str,
    target: str,
    port: int,
    protocol: Protocol | str = Protocol.TCP,
) -> Explanation:
    """Explain the verdict of ``source -> target`` on ``port``/``protocol``."""
    protocol = Protocol(protocol)
    verdict = connectivity.verdict(source, target, port, protocol)
    if is_external(source) and is_external(target):
        raise UsageError("one side must be a workload")
    egress: Side | None = None
    ingress: Side | None = None
    note = ""
    if is_external(source):
        dst = connectivity.endpoint(target)
        ingress = _side(
            connectivity,
            Direction.INGRESS,
            target,
            connectivity.pod_classes(dst),
            connectivity.outside(source),
            None,
            port,
            protocol,
        )
        note = "traffic from outside the cluster is decided by the target's ingress alone"
    elif is_external(target):
        src = connectivity.endpoint(source)
        egress = _side(
            connectivity,
            Direction.EGRESS,
            source,
            connectivity.pod_classes(src),
            connectivity.outside(target),
            None,
            port,
            protocol,
        )
        note = "traffic to outside the cluster is decided by the source's egress alone"
    else:
        src, dst = connectivity.endpoint(source), connectivity.endpoint(target)
        dst_classes = connectivity.pod_classes(dst)
        egress = _side(
            connectivity,
            Direction.EGRESS,
            source,
            connectivity.pod_classes(src),
            dst.classes,
            dst_classes,
            port,
            protocol,
        )
        ingress = _side(
            connectivity,
            Direction.INGRESS,
            target,
            dst_classes,
            src.classes,
            None,
            port,
            protocol,
        )
        if src.id == dst.id:
            note = (
                "a pod always reaches itself"
                if src.single_pod
                else f"between two distinct pods of {src.id}: subject to policy (a pod always "
                "reaches itself)"
            )
    return Explanation(source, target, port, protocol, verdict, egress, ingress, note)
