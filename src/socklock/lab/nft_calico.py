"""Calico policies (``projectcalico.org/v3``) compiled to nftables: tiers as chains, Pass as return.

Like :mod:`.nft_admin`, this reads the *policies* (the parsed objects of
:mod:`socklock.policy.calico_model`: the same validation the decider refuses with) and the
lab's pods, never the decider's answers: selectors are evaluated here on each lab pod's
labels, addresses and ports are matched by the kernel. Per pod and direction (ingress at
the destination, egress at the source), after the usual preamble:

- a pod no policy selects for the direction is open (the chain's policy accepts);
- otherwise the base chain jumps, in tier order, to one chain per tier *that has a policy
  selecting the pod* for the direction (``t<n>_<direction>``), then accepts: the namespace
  profile, for traffic every tier passed on;
- in a tier chain, its selecting policies by ``order`` (none last, ties by name), their rules
  as written: ``Allow`` accepts, ``Deny`` goes to the deny chain, ``Pass`` returns to the
  base chain (the next tier), ``Log`` writes to nflog group :data:`LOG_ACTION_GROUP` and goes
  on (a statement without a verdict); the chain ends with the tier's ``defaultAction``: Deny
  goes to the deny chain, Pass returns;
- ``deny_<direction>``: reject (or, in log mode, log to the lab's group and accept).

Rules: ``source`` and ``destination`` entities are matched on the side they name: for
ingress the destination is the local pod (its selectors are decided here, its ``nets`` by
``daddr``), the source the peer; for egress the other way round. A peer entity selects lab
pods by ``selector``, ``notSelector`` and ``namespaceSelector`` (in a NetworkPolicy, a
``selector`` without ``namespaceSelector`` means the policy's namespace), narrowed by
``nets``/``notNets`` on the addresses the input gives the pod (a lab-assigned address is
never in ``nets`` nor ``notNets``: the engine's convention); an entity without selectors also
matches addresses outside the lab in ``nets`` (or anywhere) but ``notNets``. Ports: numbers,
``low:high`` ranges and names, per protocol (the rule's, or TCP, UDP and SCTP but
``notProtocol``); a name resolves on the destination pod (per destination in the egress
chain) and never on an address outside. ICMP rules match ICMP only.

ClusterNetworkPolicies (the parsed objects of :mod:`socklock.policy.cnp_api`) are placed
where Calico places them, by this module's own constants, not the decider's conversion:
the ``kube-admin`` tier (Admin, order 1000) or ``kube-baseline`` (Baseline, order
10,000,000), both ending in Pass, at their priority (ties by
``<name>//KubernetesClusterNetworkPolicy``), for a direction they have rules for; their rules
are :mod:`.nft_admin`'s, Pass returning to the next tier.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

from socklock.model import K8sObject, Protocol
from socklock.policy.addresses import AddressSet
from socklock.policy.admin_api import AdminPolicy, Tier
from socklock.policy.api import Direction, NetworkPolicy
from socklock.policy.calico_model import (
    API_VERSION,
    DEFAULT,
    NAMESPACE_NAME,
    ORCHESTRATOR,
    POD_NAMESPACE,
    CalicoPolicy,
    CalicoRule,
    CalicoTier,
    Entity,
    Ports,
    parse_objects,
    parse_selector,
)

from .nft import LOG, LOG_GROUP, _merge, _PodCompiler, log_prefix
from .nft_admin import rule_statements as cnp_statements
from .nft_admin import selects
from .topology import EXTERNAL_PREFIX, PROBED, LabPod, PortKey

CalicoObject = CalicoPolicy | CalicoTier
LOG_ACTION_GROUP = 8  # Calico's Log action: never the lab's log-mode group (7)
_L4 = {Protocol.TCP: "tcp", Protocol.UDP: "udp", Protocol.SCTP: "sctp"}
_ICMP = {"ICMP": "icmp", "ICMPV6": "ipv6-icmp"}
_FAMILIES = (("ip", 4, "ipv4"), ("ip6", 6, "ipv6"))


def is_calico_object(obj: K8sObject) -> bool:
    """A ``projectcalico.org/v3`` object: the lab enforces it with this module."""
    return obj.api_version == API_VERSION


def parse(objects: Sequence[K8sObject]) -> tuple[CalicoObject, ...]:
    """The tiers and enforced policies of ``objects`` (the Staged kinds do not count);
    raises :class:`~socklock.policy.calico_model.CalicoErrors` as the decider does."""
    policies, tiers = parse_objects(objects)
    return (*tiers, *policies)


def mentioned(objects: Sequence[CalicoObject]) -> tuple[list[str], list[PortKey]]:
    """The outside ranges (every ``nets`` and ``notNets`` CIDR) and the numeric ports (each
    bound and the port past it) the rules mention: the lab probes them."""
    names: set[str] = set()
    ports: set[PortKey] = set()
    for policy in objects:
        if not isinstance(policy, CalicoPolicy):
            continue
        for rule in (*policy.ingress, *policy.egress):
            for entity in (rule.source, rule.destination):
                for nets in (entity.nets, entity.not_nets):
                    if nets is not None:
                        names.update(f"{EXTERNAL_PREFIX}{c}" for c in nets.cidrs())
            protocols = [p for p in _protocols(rule) if p in PROBED]
            for entry in (rule.destination.ports, rule.destination.not_ports):
                for low, high in entry.numeric if entry is not None else ():
                    for number in (low, high, low - 1, high + 1):
                        if 1 <= number <= 65535:
                            ports.update((number, p) for p in protocols)
    return sorted(names), sorted(ports)


# -- selectors, evaluated on the lab's pods ---------------------------------------------------


def matches(node: tuple[Any, ...], labels: Mapping[str, str]) -> bool:
    """Does a parsed Calico selector match ``labels``? (``!=`` and ``not in`` match a
    missing key; ``global()`` matches no pod.)"""
    op = node[0]
    if op == "all":
        return True
    if op == "global":
        return False
    if op == "has":
        return node[1] in labels
    if op == "not":
        return not matches(node[1], labels)
    if op == "and":
        return matches(node[1], labels) and matches(node[2], labels)
    if op == "or":
        return matches(node[1], labels) or matches(node[2], labels)
    value = labels.get(node[1])
    if value is None:
        return False
    if op == "eq":
        return bool(value == node[2])
    if op == "in":
        return value in node[2]
    if op == "contains":
        return node[2] in value
    if op == "starts":
        return value.startswith(node[2])
    if op == "ends":
        return value.endswith(node[2])
    raise ValueError(f"unknown selector node {op}")


def _selected(text: str, labels: Mapping[str, str]) -> bool:
    return matches(parse_selector(text), labels)


def _pod_labels(pod: LabPod) -> dict[str, str]:
    return {**pod.labels, POD_NAMESPACE: pod.namespace, ORCHESTRATOR: "k8s"}


def _namespace_labels(compiler: _PodCompiler, namespace: str) -> dict[str, str]:
    return {**compiler.topology.namespace_labels.get(namespace, {}), NAMESPACE_NAME: namespace}


def applies(compiler: _PodCompiler, policy: CalicoPolicy, direction: Direction) -> bool:
    """Does ``policy`` select the compiled pod for ``direction``?"""
    pod = compiler.pod
    if direction.spec_field.capitalize() not in policy.types:
        return False
    if policy.namespace is not None and policy.namespace != pod.namespace:
        return False
    if not _selected(policy.selector, _pod_labels(pod)):
        return False
    selector = policy.namespace_selector
    return selector is None or _selected(selector, _namespace_labels(compiler, pod.namespace))


# -- entities --------------------------------------------------------------------------------


def _in(nets: AddressSet, address: str) -> bool:
    return bool(nets & AddressSet.addresses([address]))


def _address_ok(pod: LabPod, address: str, entity: Entity) -> bool:
    """``nets``/``notNets`` on one address of a lab pod (only given addresses are in them)."""
    if entity.nets is not None and not (pod.given and _in(entity.nets, address)):
        return False
    return entity.not_nets is None or not (pod.given and _in(entity.not_nets, address))


def _labels_ok(
    compiler: _PodCompiler, policy: CalicoPolicy, entity: Entity, pod: LabPod, local: bool
) -> bool:
    """The selectors of ``entity`` on ``pod`` (for a peer, the namespace scope too)."""
    labels = _pod_labels(pod)
    scope = entity.namespace_selector
    if scope is not None and not _selected(scope, _namespace_labels(compiler, pod.namespace)):
        return False
    own_namespace = scope is None and not local and entity.selector is not None
    if own_namespace and policy.namespace not in (None, pod.namespace):
        return False  # a NetworkPolicy's rule selector means its namespace
    if entity.selector is not None and not _selected(entity.selector, labels):
        return False
    return entity.not_selector is None or not _selected(entity.not_selector, labels)


def _family(address: str) -> str:
    return "ip" if ipaddress.ip_address(address).version == 4 else "ip6"


def local_matches(
    compiler: _PodCompiler, policy: CalicoPolicy, entity: Entity, side: str
) -> list[str]:
    """Matches for the compiled pod's own entity: ``[""]`` when it matches whatever its
    address, ``[]`` when never, else one ``<side> <address>`` per address it matches."""
    pod = compiler.pod
    if not _labels_ok(compiler, policy, entity, pod, local=True):
        return []
    found = [a for a in pod.addresses if _address_ok(pod, a, entity)]
    if len(found) == len(pod.addresses):
        return [""]
    return [f"{_family(a)} {side} {a}" for a in found]


def _every(entity: Entity) -> bool:
    return all(
        value is None
        for value in (
            entity.selector,
            entity.not_selector,
            entity.namespace_selector,
            entity.nets,
            entity.not_nets,
        )
    )


def peer_addresses(
    compiler: _PodCompiler, policy: CalicoPolicy, entity: Entity, pod: LabPod
) -> list[str]:
    """The addresses of lab pod ``pod`` that the peer ``entity`` matches."""
    if not _labels_ok(compiler, policy, entity, pod, local=False):
        return []
    return [a for a in pod.addresses if _address_ok(pod, a, entity)]


def outside_matches(compiler: _PodCompiler, entity: Entity, side: str) -> list[str]:
    """Matches for the addresses outside the lab a peer entity admits (none when it selects
    pods): its ``nets`` (or any address), but its ``notNets`` and every lab pod's address."""
    if (
        entity.selector is not None
        or entity.not_selector is not None
        or entity.namespace_selector is not None
    ):
        return []
    table = compiler.table
    pods = [a for q in compiler.topology.pods for a in q.addresses]
    out = []
    for family, version, proto in _FAMILIES:
        parts = []
        if entity.nets is not None:
            nets = _cidrs(entity.nets, version)
            if not nets:
                continue
            parts.append(f"{family} {side} @{table.set_of(family, nets, 'nets')}")
        else:
            parts.append(f"meta nfproto {proto}")
        holes = _cidrs(entity.not_nets, version) if entity.not_nets is not None else []
        if holes:
            parts.append(f"{family} {side} != @{table.set_of(family, holes, 'notnets')}")
        mine = [a for a in pods if _family(a) == family]
        if mine:
            parts.append(f"{family} {side} != @{table.set_of(family, mine, 'pods')}")
        out.append(" ".join(parts))
    return out


def _cidrs(nets: AddressSet, version: int) -> list[str]:
    return [c for c in nets.cidrs() if ipaddress.ip_network(c).version == version]


# -- protocols and ports ---------------------------------------------------------------------


def _protocols(rule: CalicoRule) -> list[Protocol]:
    """The port-carrying protocols a rule can match."""
    if isinstance(rule.protocol, Protocol):
        return [rule.protocol] if rule.protocol is not rule.not_protocol else []
    if rule.protocol is not None:  # ICMP or ICMPv6
        return []
    return [p for p in _L4 if p is not rule.not_protocol]


def _l4(protocol: Protocol | str) -> str:
    return _L4[protocol] if isinstance(protocol, Protocol) else _ICMP[protocol.upper()]


def _resolved(ports: Ports, destination: LabPod | None, protocol: Protocol) -> str:
    ranges = list(ports.numeric)
    for name in sorted(ports.named):
        number = destination.named_port(name, protocol) if destination is not None else None
        if number is not None:
            ranges.append((number, number))
    return _merge(ranges)


def port_matches(rule: CalicoRule, destination: LabPod | None) -> list[str]:
    """Protocol and port matches, one per alternative (``[""]``: anything)."""
    entity = rule.destination
    if entity.ports is None and entity.not_ports is None:
        parts = []
        if rule.protocol is not None:
            parts.append(f"meta l4proto {_l4(rule.protocol)}")
        if rule.not_protocol is not None:
            parts.append(f"meta l4proto != {_l4(rule.not_protocol)}")
        return [" ".join(parts)]
    out = []
    for protocol in _protocols(rule):
        l4 = _L4[protocol]
        parts = [f"meta l4proto {l4}"]
        if entity.ports is not None:
            wanted = _resolved(entity.ports, destination, protocol)
            if not wanted:
                continue
            parts = [f"{l4} dport {{ {wanted} }}"]
        if entity.not_ports is not None:
            unwanted = _resolved(entity.not_ports, destination, protocol)
            if unwanted:
                parts.append(f"{l4} dport != {{ {unwanted} }}")
        out.append(" ".join(parts))
    return out


# -- chains ----------------------------------------------------------------------------------


def _verdict(rule: CalicoRule, direction: Direction, where: str) -> str:
    if rule.action == "Allow":
        return "accept"
    if rule.action == "Deny":
        return f"goto deny_{direction.spec_field}"
    if rule.action == "Pass":
        return "return"
    prefix = f"socklock calico {where}"[:120]  # nflog prefixes hold 127 bytes
    return f'log prefix "{prefix}" group {LOG_ACTION_GROUP}'  # Log: goes on


def rule_statements(
    compiler: _PodCompiler, policy: CalicoPolicy, rule: CalicoRule, direction: Direction
) -> list[str]:
    """One rule's statements (alternatives), each ending in its action."""
    ingress = direction is Direction.INGRESS
    local, peer = (rule.destination, rule.source) if ingress else (rule.source, rule.destination)
    own_side, peer_side = ("daddr", "saddr") if ingress else ("saddr", "daddr")
    own = local_matches(compiler, policy, local, own_side)
    where = f"{policy.obj.kind} {policy.namespace + '/' if policy.namespace else ''}{policy.name}"
    verdict = _verdict(rule, direction, f"{policy.name} {rule.where}")
    comment = f'comment "{where} {rule.where}"'
    named = any(
        p is not None and p.named for p in (rule.destination.ports, rule.destination.not_ports)
    )
    # (peer match, the pod its ports resolve on)
    peers: list[tuple[str, LabPod | None]] = []
    if _every(peer) and (ingress or not named):
        peers.append(("", compiler.pod if ingress else None))
    elif ingress or not named:
        found = [
            a for q in compiler.topology.pods for a in peer_addresses(compiler, policy, peer, q)
        ]
        for family, _, _ in _FAMILIES:
            mine = [a for a in found if _family(a) == family]
            if mine:
                pods = compiler.table.set_of(family, mine, "pods")
                peers.append((f"{family} {peer_side} @{pods}", compiler.pod if ingress else None))
        for match in outside_matches(compiler, peer, peer_side):
            peers.append((match, compiler.pod if ingress else None))
    else:  # egress with named ports: each destination pod resolves them
        for target in compiler.topology.pods:
            for address in peer_addresses(compiler, policy, peer, target):
                peers.append((f"{_family(address)} daddr {address}", target))
        for match in outside_matches(compiler, peer, peer_side):
            peers.append((match, None))
    out = []
    for a in own:
        for p, destination in peers:
            for ports in port_matches(rule, destination):
                words = " ".join(x for x in (a, p, ports, verdict, comment) if x)
                out.append(words)
    return out


# the tiers Calico creates for ClusterNetworkPolicies (libcalico-go/lib/clientv3/client.go)
CNP_TIER_VALUES = (
    CalicoTier("kube-admin", 1_000.0, "Pass"),
    CalicoTier("kube-baseline", 10_000_000.0, "Pass"),
)


def tiers_in_order(objects: Sequence[CalicoObject], cnps: bool = False) -> list[CalicoTier]:
    """The tiers, by ``order`` then name (the ``default`` tier unless the input defines it;
    with ClusterNetworkPolicies, ``kube-admin`` and ``kube-baseline`` likewise)."""
    known = {DEFAULT.name: DEFAULT}
    if cnps:
        known.update({t.name: t for t in CNP_TIER_VALUES})
    known.update({t.name: t for t in objects if isinstance(t, CalicoTier)})
    return sorted(known.values(), key=lambda t: t.sort_key)


KNP_ORDER = 1000.0  # where Calico puts a Kubernetes NetworkPolicy: the default tier, order 1000
# where Calico puts a ClusterNetworkPolicy (clusternetworkpolicy.go): its tier's own tier
CNP_TIERS = {Tier.ADMIN: "kube-admin", Tier.BASELINE: "kube-baseline"}

Placed = CalicoPolicy | NetworkPolicy | AdminPolicy


def _place(policy: Placed) -> tuple[str, tuple[float, str]]:
    """(tier, sort key) of a policy: a Kubernetes NetworkPolicy is Calico's
    ``knp.default.<name>`` of the default tier at order 1000, a ClusterNetworkPolicy is in
    ``kube-admin`` or ``kube-baseline`` at its priority, ties by Calico's
    ``<name>/<namespace>/<kind>`` (Calico's conversions)."""
    if isinstance(policy, NetworkPolicy):
        return DEFAULT.name, (KNP_ORDER, f"knp.default.{policy.name}")
    if isinstance(policy, AdminPolicy):
        key = f"{policy.name}//KubernetesClusterNetworkPolicy"
        return CNP_TIERS[policy.tier], (float(policy.priority or 0), key)
    return policy.tier, policy.sort_key


def _selects(compiler: _PodCompiler, policy: Placed, direction: Direction) -> bool:
    if isinstance(policy, NetworkPolicy):  # its podSelector in its namespace, its types
        return compiler.subject_of(policy) and policy.applies(direction)
    if isinstance(policy, AdminPolicy):  # its subject, for a direction it has rules for
        known = compiler.topology.namespace_labels
        return bool(policy.rules(direction)) and selects(policy.subject, compiler.pod, known)
    return applies(compiler, policy, direction)


def _statements(compiler: _PodCompiler, policy: Placed, direction: Direction) -> list[str]:
    """A policy's rules in order; a Kubernetes NetworkPolicy's rules are Allow rules, compiled
    as the lab compiles any NetworkPolicy rule (``accept`` when a peer and a port match); a
    ClusterNetworkPolicy's as the lab compiles them (:mod:`.nft_admin`), Pass returning to
    the next tier and ``networks`` matching pods through given addresses only."""
    if isinstance(policy, NetworkPolicy):
        return [s for rule in policy.rules(direction) for s in compiler.rule(policy, rule)]
    if isinstance(policy, AdminPolicy):
        return [
            s
            for rule in policy.rules(direction)
            for s in cnp_statements(compiler, policy, rule, "return", given_only=True)
        ]
    rules = policy.ingress if direction is Direction.INGRESS else policy.egress
    return [s for rule in rules for s in rule_statements(compiler, policy, rule, direction)]


def calico_chains(
    compiler: _PodCompiler,
    direction: Direction,
    objects: Sequence[CalicoObject],
    kubernetes: Sequence[NetworkPolicy] = (),
    cnps: Sequence[AdminPolicy] = (),
) -> list[str]:
    """The base chain of one direction, its tier chains and its deny chain."""
    name = direction.spec_field
    placed: list[Placed] = [p for p in objects if isinstance(p, CalicoPolicy)]
    placed += kubernetes
    placed += cnps
    placed.sort(key=lambda p: _place(p)[1])
    lines = compiler.preamble(direction)
    tiers: list[tuple[int, CalicoTier, list[Placed]]] = []
    for number, tier in enumerate(tiers_in_order(objects, bool(cnps))):
        mine = [p for p in placed if _place(p)[0] == tier.name and _selects(compiler, p, direction)]
        if mine:
            tiers.append((number, tier, mine))
    if not tiers:
        lines += [f"\t\t# no Calico policy selects this pod for {name}: open", "\t}"]
        return lines
    for number, tier, _ in tiers:
        lines.append(f'\t\tjump t{number}_{name} comment "tier {tier.name}"')
    lines += ['\t\taccept comment "profile: allow"', "\t}"]
    for number, tier, mine in tiers:
        lines.append(f"\tchain t{number}_{name} {{")
        for policy in mine:
            lines.extend(f"\t\t{s}" for s in _statements(compiler, policy, direction))
        if tier.default_action == "Deny":
            lines.append(f'\t\tgoto deny_{name} comment "end of tier {tier.name}: Deny"')
        else:
            lines.append(f'\t\treturn comment "end of tier {tier.name}: Pass"')
        lines.append("\t}")
    lines.append(f"\tchain deny_{name} {{")
    if compiler.mode == LOG:
        prefix = log_prefix(direction, compiler.pod)
        lines.append(
            f'\t\tmeta l4proto {{ tcp, udp, sctp }} log prefix "{prefix}" '
            f'group {LOG_GROUP} accept comment "would be denied"'
        )
        lines.append("\t\taccept")
    else:
        lines.append('\t\tmeta l4proto tcp reject with tcp reset comment "denied"')
        lines.append('\t\treject with icmpx admin-prohibited comment "denied"')
    lines.append("\t}")
    return lines
