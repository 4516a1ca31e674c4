"""Cilium policies (``cilium.io/v2``, L3/L4) compiled to nftables: denies first, then the union.

Like :mod:`.nft_admin`, this reads the *policies* and the lab's pods, never the decider's
answers. The policies are the rules as :mod:`socklock.policy.cilium_api` reads them (each
CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy rule as NetworkPolicy values: its allow
rules, and its ``ingressDeny``/``egressDeny`` rules apart), a clusterwide one once per
namespace its subject admits, beside the input's Kubernetes NetworkPolicies. Per pod and
direction, after the usual preamble:

- every deny rule of a policy selecting the pod goes to the reject chain (denies win over
  every allow, whatever its kind: Cilium's "Deny Policies");
- then the allows as :mod:`.nft` compiles NetworkPolicies: a pod that some policy (of any
  kind) selects for the direction is default-deny and admits the union of their rules;
  otherwise it is open.

CIDR peers (``fromCIDR``/``toCIDR``/``...CIDRSet``, the ``world`` entities, and the ipBlocks
of NetworkPolicies beside them) never match a pod, given IPs or not: "used to describe the
relationship to or from external services if the remote peer is not an endpoint".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socklock.model import Inventory, K8sObject
from socklock.policy.api import Direction, NetworkPolicy
from socklock.policy.cilium_api import expand, is_cilium_object, lower
from socklock.policy.result import PolicyErrors
from socklock.policy.selectors import LabelSelector

if TYPE_CHECKING:
    from .nft import _PodCompiler  # nft imports this module's types


@dataclass(frozen=True, slots=True)
class CiliumDeny:
    """The ``ingressDeny``/``egressDeny`` rules of one Cilium rule (per namespace for a
    clusterwide one), as a NetworkPolicy whose rules deny."""

    policy: NetworkPolicy


@dataclass(frozen=True, slots=True)
class CiliumAllow:
    """The allow rules of one Cilium rule, or a Kubernetes NetworkPolicy beside Cilium's
    (enforced together, CIDRs never selecting pods)."""

    policy: NetworkPolicy


CiliumObject = CiliumAllow | CiliumDeny


def parse(inventory: Inventory, objects: Sequence[K8sObject]) -> tuple[CiliumObject, ...]:
    """The Cilium objects and the NetworkPolicies among ``objects``, as the lab enforces them;
    raises :class:`PolicyErrors` with what the decider refuses."""
    from socklock.policy.api import parse_policies

    lowered, errors = lower(o for o in objects if is_cilium_object(o))
    parsed = parse_policies(o for o in objects if not is_cilium_object(o))
    if errors or parsed.diagnostics:
        raise PolicyErrors(tuple(sorted((*errors, *parsed.diagnostics))))
    names = inventory.namespace_names()

    def namespaces_of(selector: LabelSelector) -> list[str]:
        return [n for n in names if selector.matches(inventory.namespace_labels(n))]

    allows, denies = expand(lowered, namespaces_of)
    return (
        *(CiliumAllow(p) for p in (*parsed.policies, *allows)),
        *(CiliumDeny(p) for p in denies),
    )


def networks_of(objects: Sequence[CiliumObject]) -> list[NetworkPolicy]:
    """Every policy, allows and denies: their CIDRs and ports are probed."""
    return [o.policy for o in objects]


def cilium_chains(
    compiler: _PodCompiler, direction: Direction, objects: Sequence[CiliumObject]
) -> list[str]:
    """The base chain of one direction (deny rules, then the allows) and its deny chain."""
    from .nft import LOG, LOG_GROUP, log_prefix

    name = direction.spec_field
    allows = [o.policy for o in objects if isinstance(o, CiliumAllow)]
    denies = [o.policy for o in objects if isinstance(o, CiliumDeny)]
    head = compiler.preamble(direction)
    for policy in denies:
        if compiler.subject_of(policy) and policy.applies(direction):
            for rule in policy.rules(direction):
                verdict = f"goto deny_{name}"
                head.extend(f"\t\t{s}" for s in compiler.rule(policy, rule, verdict))
    lines = compiler.chain(direction, allows, head=head)
    lines.append(f"\tchain deny_{name} {{")
    if compiler.mode == LOG:
        prefix = log_prefix(direction, compiler.pod)
        lines.append(
            f'\t\tmeta l4proto {{ tcp, udp, sctp }} log prefix "{prefix}" '
            f'group {LOG_GROUP} accept comment "would be denied"'
        )
        lines.append("\t\taccept")
    else:
        lines.append('\t\tmeta l4proto tcp reject with tcp reset comment "denied by a deny rule"')
        lines.append('\t\treject with icmpx admin-prohibited comment "denied by a deny rule"')
    lines.append("\t}")
    return lines
