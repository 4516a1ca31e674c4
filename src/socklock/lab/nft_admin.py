"""The network-policy API's tiers compiled to nftables: AdminNetworkPolicy and
BaselineAdminNetworkPolicy (v1alpha1) or ClusterNetworkPolicy (v1alpha2), the tiers as chains.

Like :mod:`.nft`, this reads the *policies* (the parsed objects of
:mod:`socklock.policy.admin_api`) and the lab's pods, never the engine's answers. Per pod
and direction (ingress at the destination, egress at the source), after the usual preamble:

- the base chain holds every Admin-tier rule (ANP, or ClusterNetworkPolicy of tier Admin)
  whose policy selects the pod, by priority (lower first, then name, as parsed) and rule
  order: ``Allow``/``Accept`` accepts (NetworkPolicy and the baseline are skipped), ``Deny``
  goes to the deny chain, ``Pass`` goes to the NetworkPolicy tier; then the NetworkPolicy
  tier;
- ``np_<direction>``: the NetworkPolicies as :mod:`.nft` compiles them; a pod no policy
  isolates for the direction goes on to the baseline;
- ``baseline_<direction>``: the Baseline tier's rules (the BANP's, or the Baseline
  ClusterNetworkPolicies' by priority, then name), ``Pass`` accepting as the default tier
  after it does, then accept;
- ``deny_<direction>``: reject (or, in log mode, log and accept), as an isolated pod's end.

Peers: ``namespaces``/``pods`` select lab pods; ``networks`` match addresses outside the
lab and pod IPs the input gives; a pod without given IPs is taken to be IPv4 (the engine's
documented convention) and is matched only by an IPv4 ``/0`` (narrower ones are refused
before the lab is built). Named ports resolve on the destination pod, as in :mod:`.nft`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence

from socklock.policy.admin_api import Action, AdminPeer, AdminPolicy, AdminRule, Selection
from socklock.policy.api import Direction, NetworkPolicy

from .nft import LOG, LOG_GROUP, _PodCompiler, log_prefix, port_matches
from .topology import EXTERNAL_PREFIX, LabPod, PortKey, mentioned_ports


def mentioned(admin: Sequence[AdminPolicy]) -> tuple[list[str], list[PortKey]]:
    """The external ranges (each ``networks`` CIDR) and ports the tiers mention: the lab
    probes them, as it does NetworkPolicies' ipBlocks and ports."""
    names = {
        f"{EXTERNAL_PREFIX}{network}"
        for policy in admin
        for rule in policy.egress
        for peer in rule.peers
        for network in peer.networks
    }
    return sorted(names), mentioned_ports(admin)


def selects(selection: Selection, pod: LabPod, namespaces: Mapping[str, Mapping[str, str]]) -> bool:
    labels = namespaces.get(pod.namespace, {})
    if not selection.namespaces.matches(labels):
        return False
    return selection.pods is None or selection.pods.matches(pod.labels)


def peer_addresses(
    compiler: _PodCompiler, peer: AdminPeer, pod: LabPod, given_only: bool = False
) -> list[str]:
    """The addresses of ``pod`` that ``peer`` matches (``given_only``: ``networks`` match a
    pod through the addresses the input gives it only, the Calico lab's convention)."""
    if peer.selection is not None:
        known = compiler.topology.namespace_labels
        return list(pod.addresses) if selects(peer.selection, pod, known) else []
    if not pod.given:
        if given_only:
            return []
        world = any(n.version == 4 and n.prefixlen == 0 for n in peer.networks)
        return list(pod.addresses) if world else []
    return [a for a in pod.addresses if any(ipaddress.ip_address(a) in n for n in peer.networks)]


def _family(address: str) -> str:
    return "ip" if ipaddress.ip_address(address).version == 4 else "ip6"


def address_matches(
    compiler: _PodCompiler, peer: AdminPeer, side: str, given_only: bool = False
) -> list[str]:
    """nft matches for one peer: the lab pods it matches, and its networks outside the lab."""
    pods = compiler.topology.pods
    found = [a for q in pods for a in peer_addresses(compiler, peer, q, given_only)]
    out = []
    for family in ("ip", "ip6"):
        mine = [a for a in found if _family(a) == family]
        if mine:
            out.append(f"{family} {side} @{compiler.table.set_of(family, mine, 'pods')}")
    for network in peer.networks:
        family = "ip" if network.version == 4 else "ip6"
        cidr = compiler.table.set_of(family, [str(network)], "cidr")
        out.append(f"{family} {side} @{cidr} {family} {side} != @{compiler.lab[family]}")
    return out


def rule_statements(
    compiler: _PodCompiler,
    policy: AdminPolicy,
    rule: AdminRule,
    pass_verdict: str | None = None,
    given_only: bool = False,
) -> list[str]:
    """One rule's statements, each ending in its action's verdict (Pass: the next tier, the
    NetworkPolicy chain after the Admin tier, the default "allowed" after the Baseline; or
    ``pass_verdict``, as the Calico lab places these policies in its tiers)."""
    direction = rule.direction.spec_field
    passed = "accept" if policy.baseline else f"goto np_{direction}"
    verdict = {
        Action.ALLOW: "accept",
        Action.DENY: f"goto deny_{direction}",
        Action.PASS: pass_verdict or passed,
    }[rule.action]
    comment = f'comment "{policy.id} {rule.path}"'
    side = "saddr" if rule.direction is Direction.INGRESS else "daddr"
    named = [p for p in rule.ports if isinstance(p.port, str)]
    numeric = [p for p in rule.ports if not isinstance(p.port, str)]
    if rule.direction is Direction.INGRESS or not named:
        ports = port_matches(rule.ports, compiler.pod)
    else:
        ports = port_matches(numeric, None) if numeric else []
    addresses = [
        m for peer in rule.peers for m in address_matches(compiler, peer, side, given_only)
    ]
    out = [f"{a} {p} {verdict} {comment}".replace("  ", " ") for a in addresses for p in ports]
    if rule.direction is Direction.EGRESS and named:
        for target in compiler.topology.pods:
            found = sorted(
                {
                    a
                    for peer in rule.peers
                    for a in peer_addresses(compiler, peer, target, given_only)
                }
            )
            for match in port_matches(named, target):
                for address in found:
                    out.append(f"{_family(address)} daddr {address} {match} {verdict} {comment}")
    return out


def admin_chains(
    compiler: _PodCompiler,
    direction: Direction,
    admin: Sequence[AdminPolicy],
    policies: Sequence[NetworkPolicy],
) -> list[str]:
    """The base chain (ANP tier), and the NetworkPolicy, baseline and deny chains."""
    name = direction.spec_field
    known = compiler.topology.namespace_labels
    ordered = sorted((p for p in admin if not p.baseline), key=lambda p: p.order)
    baselines = sorted((p for p in admin if p.baseline), key=lambda p: p.order)
    lines = compiler.preamble(direction)
    for policy in ordered:
        if selects(policy.subject, compiler.pod, known):
            for rule in policy.rules(direction):
                lines.extend(f"\t\t{s}" for s in rule_statements(compiler, policy, rule))
    lines += [f"\t\tgoto np_{name}", "\t}"]
    lines += compiler.chain(
        direction, policies, head=[f"\tchain np_{name} {{"], open_end=f"goto baseline_{name}"
    )
    lines.append(f"\tchain baseline_{name} {{")
    for policy in baselines:
        if selects(policy.subject, compiler.pod, known):
            for rule in policy.rules(direction):
                lines.extend(f"\t\t{s}" for s in rule_statements(compiler, policy, rule))
    lines += ['\t\taccept comment "no tier denies"', "\t}", f"\tchain deny_{name} {{"]
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
