"""Cilium's policies composed with NetworkPolicy: the decider for a set that holds any.

Cilium merges NetworkPolicies and CiliumNetworkPolicies into one policy repository: an
endpoint is default-deny in a direction once any rule of that direction (of either kind)
selects it, and what the rules allow adds up. The allow rules covered are lowered to
NetworkPolicies (:mod:`.cilium_api`) and decided by the NetworkPolicy engine with CIDR peers
that never select pods (``cni: cilium``), so listing, diff and explain are the engine's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from socklock.model import Inventory, K8sObject
from socklock.policy.address_classes import AddressCuts
from socklock.policy.api import NetworkPolicy
from socklock.policy.cilium_api import expand, is_cilium_object, lower
from socklock.policy.compile import CILIUM
from socklock.policy.engine import Connectivity, analyse, block_addresses
from socklock.policy.pods import build_cluster
from socklock.policy.result import PolicyErrors


def has_cilium(policies: Iterable[K8sObject | NetworkPolicy]) -> bool:
    return any(isinstance(p, K8sObject) and is_cilium_object(p) for p in policies)


def _lowered(
    inventory: Inventory, policies: Sequence[K8sObject | NetworkPolicy]
) -> tuple[list[K8sObject | NetworkPolicy], list[NetworkPolicy]]:
    cilium = [p for p in policies if isinstance(p, K8sObject) and is_cilium_object(p)]
    rest = [p for p in policies if not (isinstance(p, K8sObject) and is_cilium_object(p))]
    lowered, errors = lower(cilium)
    if errors:
        raise PolicyErrors(tuple(sorted(errors)))
    cuts = AddressCuts(block_addresses([item.policy for item in lowered]))
    cluster = build_cluster(inventory, cuts)
    names = cluster.namespaces

    def namespaces_of(selector: object) -> list[str]:
        return [names[i] for i in cluster.namespace_index.select(selector)]  # type: ignore[arg-type]

    return rest, expand(lowered, namespaces_of)


def analyse_cilium(
    inventory: Inventory,
    policies: Sequence[K8sObject | NetworkPolicy],
    *,
    externals: Iterable[str] = (),
    also: Sequence[K8sObject | NetworkPolicy] = (),
) -> Connectivity:
    """:func:`socklock.policy.engine.analyse` for a set that holds Cilium policies."""
    rest, lowered = _lowered(inventory, policies)
    other_rest, other_lowered = _lowered(inventory, also) if has_cilium(also) else (list(also), [])
    return analyse(
        inventory,
        [*rest, *lowered],
        externals=externals,
        cni=CILIUM,
        also=[*other_rest, *other_lowered],
    )
