"""Is a workload isolated for ingress by some NetworkPolicy? A simple, local check.

It answers only "does any NetworkPolicy of the namespace select these pod labels and
apply to ingress" (policyTypes, defaulting to Ingress). The exact engine is
``socklock.policy``; this check should be switched to its ``isolation()`` once it lands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socklock.model import K8sObject


def selector_matches(selector: Any, labels: Mapping[str, str]) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) against labels; {} matches all."""
    if selector is None:
        return False  # a missing podSelector is invalid; count it as selecting nothing
    if not isinstance(selector, dict):
        return False
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, dict):
        return False
    for key, value in match_labels.items():
        if labels.get(str(key)) != str(value):
            return False
    for expression in selector.get("matchExpressions") or ():
        if not isinstance(expression, dict):
            return False
        key = str(expression.get("key", ""))
        operator = expression.get("operator")
        values = [str(v) for v in expression.get("values") or ()]
        if operator == "In":
            if labels.get(key) not in values:
                return False
        elif operator == "NotIn":
            if key in labels and labels[key] in values:
                return False
        elif operator == "Exists":
            if key not in labels:
                return False
        elif operator == "DoesNotExist":
            if key in labels:
                return False
        else:
            return False
    return True


def applies_to_ingress(policy: K8sObject) -> bool:
    spec = policy.body.get("spec")
    if not isinstance(spec, dict):
        return False
    types = spec.get("policyTypes")
    if types is None:
        return True  # defaults to Ingress (plus Egress when egress rules exist)
    return isinstance(types, list) and "Ingress" in types


def isolating_policy(policies: list[K8sObject], labels: Mapping[str, str]) -> K8sObject | None:
    for policy in policies:
        spec = policy.body.get("spec")
        if not isinstance(spec, dict) or not applies_to_ingress(policy):
            continue
        if selector_matches(spec.get("podSelector"), labels):
            return policy
    return None
