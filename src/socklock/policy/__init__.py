"""NetworkPolicy: the exact engine, and the questions it answers.

The API (``networking.k8s.io/v1``, validated, positions kept) is :mod:`.api`; semantics are
:mod:`.engine`. Typical use::

    from socklock.load import load_paths
    from socklock.policy import analyse

    connectivity = analyse(load_paths(["deploy/"]))          # or policies=[...K8sObjects...]
    connectivity.allowed("shop/front-end", "shop/carts", 80, "TCP")
    connectivity.connections()                                # allowed rows, sorted
    connectivity.isolation("shop/carts")                      # Isolation(ingress, egress)

``analyse`` raises :class:`PolicyErrors` (an ``InputErrors``) when any policy is invalid: it
never answers with a policy it could not read.
"""

from __future__ import annotations

from socklock.policy.api import (
    Direction,
    IPBlock,
    NetworkPolicy,
    ParsedPolicies,
    Peer,
    PolicyPort,
    Rule,
    parse_policies,
    parse_policy,
)
from socklock.policy.diff import Change, ConnectivityDiff, diff
from socklock.policy.engine import Connectivity, PortRange, analyse
from socklock.policy.explain import Explanation, PolicyRef, RuleRef, Side, explain
from socklock.policy.findings import RULE_ID, RULE_NAME, unprotected
from socklock.policy.intervals import IntervalSet
from socklock.policy.queries import Redundancy, contains, equivalent, redundant
from socklock.policy.result import Connection, Isolation, PolicyErrors, Verdict
from socklock.policy.selectors import LabelSelector, Operator, Requirement

__all__ = [
    "RULE_ID",
    "RULE_NAME",
    "Change",
    "Connection",
    "Connectivity",
    "ConnectivityDiff",
    "Direction",
    "Explanation",
    "IPBlock",
    "IntervalSet",
    "Isolation",
    "LabelSelector",
    "NetworkPolicy",
    "Operator",
    "ParsedPolicies",
    "Peer",
    "PolicyErrors",
    "PolicyPort",
    "PolicyRef",
    "PortRange",
    "Redundancy",
    "Requirement",
    "Rule",
    "RuleRef",
    "Side",
    "Verdict",
    "analyse",
    "contains",
    "diff",
    "equivalent",
    "explain",
    "parse_policies",
    "parse_policy",
    "redundant",
    "unprotected",
]
