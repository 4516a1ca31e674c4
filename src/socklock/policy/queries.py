"""Questions about whole policy sets: equivalent, contains (over any decider, through
:func:`socklock.policy.diff.diff`), redundant (NetworkPolicies: it removes one at a time)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from socklock.model import Inventory, K8sObject, Location
from socklock.policy.api import Direction, NetworkPolicy
from socklock.policy.diff import diff
from socklock.policy.engine import Connectivity, analyse
from socklock.policy.table import Decider


def equivalent(a: Decider, b: Decider) -> bool:
    """Do ``a`` and ``b`` allow exactly the same connections (every port, every address)?"""
    return diff(a, b).equivalent


def contains(a: Decider, b: Decider) -> bool:
    """Is everything ``b`` allows also allowed by ``a``?"""
    return not diff(a, b).added


@dataclass(frozen=True, slots=True, order=True)
class Redundancy:
    """A policy (``rule`` None) or one rule of it whose removal changes no connection."""

    policy: str
    rule: str | None  # e.g. spec.ingress[1]
    location: Location

    def __str__(self) -> str:
        what = f"rule {self.rule} of policy {self.policy}" if self.rule else f"policy {self.policy}"
        return f"{self.location}: {what} is redundant: removing it changes no connection"


def _without_rule(policy: NetworkPolicy, direction: Direction, index: int) -> NetworkPolicy:
    if direction is Direction.INGRESS:
        kept = tuple(r for i, r in enumerate(policy.ingress) if i != index)
        return dataclasses.replace(policy, ingress=kept)
    kept = tuple(r for i, r in enumerate(policy.egress) if i != index)
    return dataclasses.replace(policy, egress=kept)


def redundant(
    inventory: Inventory, policies: Sequence[K8sObject | NetworkPolicy] | None = None
) -> tuple[Redundancy, ...]:
    """Whole policies, then single rules, whose removal leaves connectivity unchanged.

    Each candidate is judged alone against the full set (two redundant rules that duplicate
    each other are both reported; removing both may not be safe). Raises PolicyErrors like
    :func:`analyse`.
    """
    base = analyse(inventory, policies)
    parsed = list(base.policies)
    found: list[Redundancy] = []
    for i, policy in enumerate(parsed):
        others = parsed[:i] + parsed[i + 1 :]
        if diff(base, Connectivity(base.cluster, others)).equivalent:
            found.append(Redundancy(policy.id, None, policy.location))
            continue
        for direction in Direction:
            for rule in policy.rules(direction):
                changed = [*parsed[:i], _without_rule(policy, direction, rule.index)]
                changed += parsed[i + 1 :]
                if diff(base, Connectivity(base.cluster, changed)).equivalent:
                    found.append(Redundancy(policy.id, rule.path, rule.location))
    return tuple(sorted(found))
