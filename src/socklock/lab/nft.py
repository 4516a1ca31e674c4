"""NetworkPolicies compiled to nftables, the way a CNI enforces them: per pod, in its namespace.

The compilation reads the *policies* (the typed, validated objects of :mod:`socklock.policy.api`)
and the lab's pods; it never asks the engine what is allowed, so the kernel's answers are an
independent check of the engine's.

Each pod namespace gets one table ``inet socklock_lab`` with two base chains:

``ingress`` (hook input, in the *destination* pod's namespace) and ``egress`` (hook output,
in the *source* pod's namespace). Both start with the same preamble:

- ``iifname/oifname "lo" accept``: a pod always reaches itself (its own address goes over lo);
- ``ct state established,related accept``: replies (and ICMP errors about a connection);
- IPv6 neighbour discovery is accepted (the equivalent of ARP, which nftables' ``inet``
  family never sees).

When no policy isolates the pod for that direction, the chain ends there and its policy
``accept`` lets everything through: a pod that no policy selects (for the direction) is open.

When some policy selects the pod and lists the direction in its ``policyTypes`` (the
validated, defaulted ``policy_types``), every rule of every such policy is compiled to
``accept`` statements (a union: any one admits), then the chain rejects the rest: TCP with a
reset, anything else with ICMP administratively prohibited. ``reject`` rather than ``drop``
is what several CNIs do and makes a denial as fast as an answer; both mean "denied".

*Log mode* (the rollout loop: see what enforcement would break before enforcing it): where
the chain would reject, a TCP, UDP or SCTP packet is logged to nflog group :data:`LOG_GROUP`
with the prefix ``socklock <direction> <pod>`` (:func:`log_prefix`), then accepted. Only the
first packet of a connection reaches that statement (replies and later packets are accepted
as established), so the log holds one record per connection the policies would refuse, on
each side that would refuse it.

A rule is (peers) x (ports):

- no peers: any address; a ``podSelector``/``namespaceSelector`` peer: the addresses of the
  lab pods it selects (podSelector alone: in the policy's namespace; namespaceSelector alone:
  every pod of the selected namespaces; both: pods matching both), in a named set per family;
- an ``ipBlock`` peer: ``saddr @cidr`` and ``saddr != @except`` and ``saddr != @lab4/@lab6``
  (addresses the lab invented for pods whose IPs the input does not give are never matched
  by an ipBlock: the engine's documented convention);
- no ports: every port of every protocol; ``protocol`` without ``port``: ``meta l4proto P``;
  numeric ``port``/``endPort``: ``P dport { a, b-c }``;
- a named port is resolved against the *destination* pod's container ports (name and
  protocol must match; a pod without the name is not matched): against the local pod in the
  ingress chain; in the egress chain, per destination pod, as ``daddr <that pod's address>``
  statements for each pod (address) the rule's peers select. A named port never matches an
  address outside the cluster.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field

from socklock.model import Protocol
from socklock.policy.admin_api import AdminPolicy
from socklock.policy.api import Direction, NetworkPolicy, Peer, PolicyPort, Rule
from socklock.policy.calico_model import CalicoPolicy, CalicoTier

from .nft_cilium import CiliumAllow, CiliumDeny
from .topology import LabPod, Topology

TABLE = "socklock_lab"
LOG_GROUP = 7  # the nflog group the lab's log statements write to (per network namespace)
ENFORCE, LOG = "enforce", "log"
# ANP/BANP: compiled by :mod:`.nft_admin`; Calico policies and tiers by :mod:`.nft_calico`;
# Cilium's rules (and the NetworkPolicies beside them) by :mod:`.nft_cilium`
LabPolicy = NetworkPolicy | AdminPolicy | CalicoPolicy | CalicoTier | CiliumAllow | CiliumDeny
_L4 = {Protocol.TCP: "tcp", Protocol.UDP: "udp", Protocol.SCTP: "sctp"}


def _merge(ranges: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in merged)


def port_matches(entries: Sequence[PolicyPort], pod: LabPod | None) -> list[str]:
    """nft matches for a rule's ports: ``[""]`` is every port; ``[]`` is nothing.

    Named ports are resolved on ``pod`` (the destination); None resolves no name.
    """
    if not entries:
        return [""]
    every: set[Protocol] = set()
    ranges: dict[Protocol, list[tuple[int, int]]] = {p: [] for p in _L4}
    for entry in entries:
        if entry.port is None:
            every.add(entry.protocol)
        elif isinstance(entry.port, str):
            number = pod.named_port(entry.port, entry.protocol) if pod is not None else None
            if number is not None:
                ranges[entry.protocol].append((number, number))
        else:
            end = entry.end_port if entry.end_port is not None else entry.port
            ranges[entry.protocol].append((entry.port, end))
    out: list[str] = []
    for protocol, l4 in _L4.items():
        if protocol in every:
            out.append(f"meta l4proto {l4}")
        elif ranges[protocol]:
            out.append(f"{l4} dport {{ {_merge(ranges[protocol])} }}")
    return out


@dataclass
class _Table:
    """The sets and statements of one pod's table while it is being written."""

    sets: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    def set_of(self, family: str, elements: Sequence[str], hint: str) -> str:
        key = (family, tuple(sorted(set(elements))))
        name = self.sets.get(key)
        if name is None:
            name = f"{hint}{len(self.sets)}"
            self.sets[key] = name
        return name

    def render_sets(self) -> list[str]:
        lines = []
        for (family, elements), name in self.sets.items():
            kind = "ipv4_addr" if family == "ip" else "ipv6_addr"
            body = f"type {kind}; flags interval; auto-merge;"
            if elements:
                body += f" elements = {{ {', '.join(elements)} }}"
            lines.append(f"\tset {name} {{ {body} }}")
        return lines


def log_prefix(direction: Direction, pod: LabPod) -> str:
    """What a log-mode chain writes before each packet its pod's policies would refuse."""
    return f"socklock {direction.spec_field} {pod.endpoint} pod {pod.replica}"


class _PodCompiler:
    def __init__(
        self, topology: Topology, pod: LabPod, mode: str = ENFORCE, cidr_selects_pods: bool = True
    ) -> None:
        self.topology = topology
        self.pod = pod
        self.mode = mode
        self.table = _Table()
        # an ipBlock never matches a lab-assigned address; with Cilium, no pod address at all
        self.cidr_selects_pods = cidr_selects_pods
        assigned = topology.lab_assigned
        if not cidr_selects_pods:
            assigned = tuple(a for q in topology.pods for a in q.addresses)
        self.lab = {
            "ip": self.table.set_of("ip", [a for a in assigned if ":" not in a], "lab"),
            "ip6": self.table.set_of("ip6", [a for a in assigned if ":" in a], "lab"),
        }

    # -- selection -------------------------------------------------------------------------

    def subject_of(self, policy: NetworkPolicy) -> bool:
        return policy.namespace == self.pod.namespace and policy.pod_selector.matches(
            self.pod.labels
        )

    def selected(self, policy: NetworkPolicy, peer: Peer) -> list[LabPod]:
        if peer.namespace_selector is None:
            namespaces = {policy.namespace}
        else:
            selector = peer.namespace_selector
            namespaces = {
                ns
                for ns, labels in self.topology.namespace_labels.items()
                if selector.matches(labels)
            }
        return [
            q
            for q in self.topology.pods
            if q.namespace in namespaces
            and (peer.pod_selector is None or peer.pod_selector.matches(q.labels))
        ]

    def peer_addresses(self, policy: NetworkPolicy, peer: Peer, pod: LabPod) -> list[str]:
        """The addresses of ``pod`` that ``peer`` matches."""
        block = peer.ip_block
        if block is None:
            return list(pod.addresses) if pod in self.selected(policy, peer) else []
        if not pod.given or not self.cidr_selects_pods:
            return []
        out = []
        for text in pod.addresses:
            address = ipaddress.ip_address(text)
            if address.version != block.cidr.version or address not in block.cidr:
                continue
            if any(address in hole for hole in block.excepts):
                continue
            out.append(text)
        return out

    # -- statements ------------------------------------------------------------------------

    def address_matches(self, policy: NetworkPolicy, peer: Peer, side: str) -> list[str]:
        """nft matches for one peer's addresses (``side`` is saddr or daddr)."""
        block = peer.ip_block
        if block is not None:
            family = "ip" if block.cidr.version == 4 else "ip6"
            cidr = self.table.set_of(family, [str(block.cidr)], "cidr")
            match = f"{family} {side} @{cidr}"
            if block.excepts:
                holes = self.table.set_of(family, [str(h) for h in block.excepts], "except")
                match += f" {family} {side} != @{holes}"
            return [f"{match} {family} {side} != @{self.lab[family]}"]
        pods = self.selected(policy, peer)
        out = []
        for family, version in (("ip", 4), ("ip6", 6)):
            found = [a for q in pods if (a := q.address(version)) is not None]
            if found:
                out.append(f"{family} {side} @{self.table.set_of(family, found, 'pods')}")
        return out

    def rule(self, policy: NetworkPolicy, rule: Rule, verdict: str = "accept") -> list[str]:
        """The statements of one rule (its peers x its ports), each ending in ``verdict``."""
        side = "saddr" if rule.direction is Direction.INGRESS else "daddr"
        comment = f'comment "{policy.id} {rule.path}"'
        named = [p for p in rule.ports if isinstance(p.port, str)]
        numeric = [p for p in rule.ports if not isinstance(p.port, str)]
        if rule.direction is Direction.INGRESS or not named:
            ports = port_matches(rule.ports, self.pod)  # ingress: names resolve on this pod
        else:
            ports = port_matches(numeric, None) if numeric else []
        if rule.peers:
            addresses = [m for peer in rule.peers for m in self.address_matches(policy, peer, side)]
        else:
            addresses = [""]
        out = [
            f"{' '.join(x for x in (a, p) if x)} {verdict} {comment}"
            for a in addresses
            for p in ports
        ]
        if rule.direction is Direction.EGRESS and named:
            # Egress named ports: resolved on each destination pod the peers select.
            for target in self.topology.pods:
                if rule.peers:
                    found = sorted(
                        {
                            a
                            for peer in rule.peers
                            for a in self.peer_addresses(policy, peer, target)
                        }
                    )
                else:
                    found = list(target.addresses)
                for match in port_matches(named, target):
                    for address in found:
                        family = "ip" if ipaddress.ip_address(address).version == 4 else "ip6"
                        out.append(f"{family} daddr {address} {match} {verdict} {comment}")
        return out

    def preamble(self, direction: Direction) -> list[str]:
        """The base chain's head: loopback, replies and neighbour discovery pass."""
        hook, iface = (
            ("input", "iifname") if direction is Direction.INGRESS else ("output", "oifname")
        )
        return [
            f"\tchain {direction.spec_field} {{",
            f"\t\ttype filter hook {hook} priority filter; policy accept;",
            f'\t\t{iface} "lo" accept comment "a pod always reaches itself"',
            '\t\tct state established,related accept comment "replies"',
            "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept",
        ]

    def isolated(self, direction: Direction, policies: Sequence[NetworkPolicy]) -> bool:
        return any(self.subject_of(p) and p.applies(direction) for p in policies)

    def chain(
        self,
        direction: Direction,
        policies: Sequence[NetworkPolicy],
        head: list[str] | None = None,
        open_end: str | None = None,
    ) -> list[str]:
        """The NetworkPolicy tier; ``head`` replaces the base chain's preamble and
        ``open_end`` is the statement for a pod no policy isolates (the admin tiers)."""
        lines = self.preamble(direction) if head is None else head
        selecting = [p for p in policies if self.subject_of(p) and p.applies(direction)]
        if selecting:
            names = ", ".join(p.id for p in selecting)
            lines.append(f"\t\t# isolated for {direction.spec_field} by {names}")
            for policy in selecting:
                for rule in policy.rules(direction):
                    lines.extend(f"\t\t{s}" for s in self.rule(policy, rule))
            if self.mode == LOG:
                prefix = log_prefix(direction, self.pod)
                lines.append(
                    f'\t\tmeta l4proto {{ tcp, udp, sctp }} log prefix "{prefix}" '
                    f'group {LOG_GROUP} accept comment "isolated: would be denied"'
                )
            else:
                lines.append(
                    '\t\tmeta l4proto tcp reject with tcp reset comment "isolated: denied"'
                )
                lines.append('\t\treject with icmpx admin-prohibited comment "isolated: denied"')
        else:
            lines.append(f"\t\t# not isolated for {direction.spec_field}: everything is allowed")
            if open_end is not None:
                lines.append(f"\t\t{open_end}")
        lines.append("\t}")
        return lines


def compile_pod(
    topology: Topology, pod: LabPod, policies: Sequence[LabPolicy], mode: str = ENFORCE
) -> str:
    """The ``nft -f`` script of one pod's namespace (replaces the lab's table if present)."""
    cilium = [p for p in policies if isinstance(p, CiliumAllow | CiliumDeny)]
    compiler = _PodCompiler(topology, pod, mode, cidr_selects_pods=not cilium)
    admin = [p for p in policies if isinstance(p, AdminPolicy)]
    plain = [p for p in policies if isinstance(p, NetworkPolicy)]
    calico = [p for p in policies if isinstance(p, CalicoPolicy | CalicoTier)]
    if cilium:
        from .nft_cilium import cilium_chains  # deny rules first, then the union of allows

        chains = [*cilium_chains(compiler, Direction.INGRESS, cilium)]
        chains += cilium_chains(compiler, Direction.EGRESS, cilium)
    elif calico:
        from .nft_calico import calico_chains  # tiers, Pass and Log, the NPs in the default tier

        chains = [*calico_chains(compiler, Direction.INGRESS, calico, plain, admin)]
        chains += calico_chains(compiler, Direction.EGRESS, calico, plain, admin)
    elif admin:
        from .nft_admin import admin_chains  # the tiers above and below NetworkPolicy

        chains = [*admin_chains(compiler, Direction.INGRESS, admin, plain)]
        chains += admin_chains(compiler, Direction.EGRESS, admin, plain)
    else:
        chains = [
            *compiler.chain(Direction.INGRESS, plain),
            *compiler.chain(Direction.EGRESS, plain),
        ]
    header = [
        f"# socklock lab: policies enforced for pod {pod.name} ({pod.netns})",
        f"table inet {TABLE}",
        f"delete table inet {TABLE}",
        f"table inet {TABLE} {{",
    ]
    return "\n".join([*header, *compiler.table.render_sets(), *chains, "}", ""])


def compile_all(
    topology: Topology, policies: Sequence[LabPolicy], mode: str = ENFORCE
) -> dict[str, str]:
    """netns -> nft script, for every pod of the lab (``mode``: enforce or log)."""
    return {pod.netns: compile_pod(topology, pod, policies, mode) for pod in topology.pods}
