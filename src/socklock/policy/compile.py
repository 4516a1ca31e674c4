"""Policies compiled against one cluster: selections as sets of pod classes.

Every selector is evaluated once (interned in the cluster's :class:`LabelIndex`); a rule
becomes the set of classes and addresses its peers admit plus its ports, resolved lazily per
destination class for named ports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from socklock.model import Protocol
from socklock.policy.address_classes import PodAddressIndex
from socklock.policy.addresses import ALL_ADDRESSES, IPV4_WORLD, NO_ADDRESSES, AddressSet
from socklock.policy.api import Direction, NetworkPolicy, Peer, PolicyPort, Rule
from socklock.policy.classset import EMPTY as NO_CLASSES
from socklock.policy.classset import ClassSet
from socklock.policy.intervals import ALL_PORTS, EMPTY, IntervalSet
from socklock.policy.pods import Cluster, PodClass
from socklock.policy.selectors import LabelSelector


@dataclass(frozen=True, slots=True)
class CompiledPorts:
    every: bool  # no ports listed: every port of every protocol
    numeric: Mapping[Protocol, IntervalSet]
    named: frozenset[tuple[str, Protocol]]

    def matches(self, destination: PodClass | None, port: int, protocol: Protocol) -> bool:
        """Does the rule cover ``port``/``protocol`` at ``destination`` (None: external)?"""
        if self.every:
            return True
        ranges = self.numeric.get(protocol)
        if ranges is not None and port in ranges:
            return True
        if destination is not None:
            for name, named_protocol in self.named:
                if named_protocol is protocol and destination.named_ports.get(name) == (
                    port,
                    protocol,
                ):
                    return True
        return False

    def resolved(self, destination: PodClass | None, protocol: Protocol) -> IntervalSet:
        """Every port of ``protocol`` the rule covers at ``destination``."""
        if self.every:
            return ALL_PORTS
        out = self.numeric.get(protocol, EMPTY)
        if destination is not None:
            for name, named_protocol in self.named:
                found = destination.named_ports.get(name)
                if named_protocol is protocol and found is not None and found[1] is protocol:
                    out = out | IntervalSet.point(found[0])
        return out


@dataclass(frozen=True, slots=True)
class CompiledRule:
    policy: int  # index in Compiled.policies
    rule: Rule
    everyone: bool  # no peers: every pod and every address
    classes: ClassSet  # classes the peers admit (through selectors, or every IP the input gives)
    addresses: AddressSet  # addresses the ipBlocks admit (outside ones, and pod IPs)
    ports: CompiledPorts
    partial: ClassSet = NO_CLASSES  # classes whose given IPs the ipBlocks admit some of, not all


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    policy: NetworkPolicy
    subjects: ClassSet  # classes the policy selects
    ingress: tuple[CompiledRule, ...]  # only rules that count (policyTypes)
    egress: tuple[CompiledRule, ...]


PortKey = tuple[tuple[Protocol, int | str | None, int | None], ...]


def compile_ports(ports: tuple[PolicyPort, ...]) -> CompiledPorts:
    """The ports a rule lists, compiled once per distinct list: most rules of a big cluster
    list the same few ports, and each compiled list costs about 300 bytes (the result is
    immutable, so rules share it)."""
    return _compiled_ports(tuple((p.protocol, p.port, p.end_port) for p in ports))


@lru_cache(maxsize=4096)
def _compiled_ports(ports: PortKey) -> CompiledPorts:
    if not ports:
        return CompiledPorts(True, {}, frozenset())
    numeric: dict[Protocol, IntervalSet] = {}
    named: set[tuple[str, Protocol]] = set()
    for protocol, port, end_port in ports:
        if port is None:
            numeric[protocol] = ALL_PORTS
        elif isinstance(port, str):
            named.add((port, protocol))
        else:
            end = end_port if end_port is not None else port
            numeric[protocol] = numeric.get(protocol, EMPTY) | IntervalSet.span(port, end)
    return CompiledPorts(False, numeric, frozenset(named))


GENERIC = "generic"
CALICO = "calico"
CILIUM = "cilium"
CNIS = (GENERIC, CALICO, CILIUM)
"""Whether an ipBlock admits pods (the API leaves it to the network plug-in):

- ``generic`` (default): a pod is matched through the IPs the input gives it
  (``status.podIPs`` of a dumped Pod); a pod without given IPs is never matched;
- ``calico``: as generic, and a pod without given IPs is matched by a rule whose ipBlocks
  hold every IPv4 address (wherever its IP falls, the block holds it; pods are taken to be
  IPv4, as host names are);
- ``cilium``: ipBlocks never select pods (Cilium's CIDR rules do not select cluster
  endpoints): they admit addresses outside the cluster only.
"""


class Compiler:
    def __init__(self, cluster: Cluster, cni: str = GENERIC) -> None:
        self.cluster = cluster
        self.cni = cni
        self._namespaces: dict[LabelSelector, ClassSet] = {}
        self._addresses = PodAddressIndex(
            [(c.index, c.addresses) for c in cluster.classes if c.addresses]
        )
        self._no_addresses = ClassSet.of(c.index for c in cluster.classes if not c.addresses)

    def namespaces(self, selector: LabelSelector) -> ClassSet:
        """Classes in every namespace ``selector`` matches."""
        cached = self._namespaces.get(selector)
        if cached is None:
            cached = NO_CLASSES
            names = self.cluster.namespaces
            for index in self.cluster.namespace_index.select(selector):
                cached |= self.cluster.namespace_members[names[index]]
            self._namespaces[selector] = cached
        return cached

    def peer(self, peer: Peer, namespace: str) -> tuple[ClassSet, AddressSet]:
        """The classes a selector peer selects, or the addresses an ipBlock peer admits (no
        classes: which pods an ipBlock matches depends on every ipBlock of the rule)."""
        if peer.ip_block is not None:
            return NO_CLASSES, peer.ip_block.addresses
        if peer.namespace_selector is None:
            scope = self.cluster.namespace_members.get(namespace, NO_CLASSES)
        else:
            scope = self.namespaces(peer.namespace_selector)
        if peer.pod_selector is not None:
            scope &= self.cluster.pod_labels.select(peer.pod_selector)
        return scope, NO_ADDRESSES

    def by_address(
        self, addresses: AddressSet, selected: ClassSet = NO_CLASSES
    ) -> tuple[ClassSet, ClassSet]:
        """(classes every given IP of which is in ``addresses``, classes some of whose given
        IPs are), leaving out the classes in ``selected``; what counts as a pod's IPs is the
        ``cni``'s."""
        if self.cni == CILIUM or not addresses:
            return NO_CLASSES, NO_CLASSES
        full, partial = self._addresses.match(addresses)
        if self.cni == CALICO and IPV4_WORLD.issubset(addresses):
            full |= self._no_addresses
        return full - selected, partial - selected

    def rule(self, index: int, policy: NetworkPolicy, rule: Rule) -> CompiledRule:
        ports = compile_ports(rule.ports)
        if not rule.peers:
            return CompiledRule(index, rule, True, self.cluster.all_classes, ALL_ADDRESSES, ports)
        classes = NO_CLASSES
        addresses = NO_ADDRESSES
        for peer in rule.peers:
            peer_classes, peer_addresses = self.peer(peer, policy.namespace)
            classes |= peer_classes
            addresses = addresses | peer_addresses
        full, partial = self.by_address(addresses, classes)
        return CompiledRule(index, rule, False, classes | full, addresses, ports, partial)

    def policy(self, index: int, policy: NetworkPolicy) -> CompiledPolicy:
        subjects = self.cluster.namespace_members.get(policy.namespace, NO_CLASSES)
        subjects &= self.cluster.pod_labels.select(policy.pod_selector)
        return CompiledPolicy(
            policy,
            subjects,
            tuple(self.rule(index, policy, r) for r in policy.rules(Direction.INGRESS)),
            tuple(self.rule(index, policy, r) for r in policy.rules(Direction.EGRESS)),
        )
