"""The NetworkPolicies of the input held against the service graph (``socklock scan``).

Three outcomes, each its own type: the input has no policies; the policies have errors and
the engine refuses to judge them; or the verdict: what they break (needed connections
denied), what they leave open (allowed, not needed), which workloads they leave unprotected,
as the ``socklock/connectivity/v1`` document and as findings with a place in a file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from socklock.model import Finding, Inventory, ServiceGraph
from socklock.policy.intent import IntentCheck

if TYPE_CHECKING:
    from socklock.schemas.connectivity import ConnectivityDocument


@dataclass(frozen=True, slots=True)
class NoPolicies:
    reason: str = "the input has no NetworkPolicies"


@dataclass(frozen=True, slots=True)
class PoliciesNotEvaluated:
    count: int
    diagnostics: str  # the errors, one per line (file:line:col: error: ...)


@dataclass(frozen=True, slots=True)
class PolicyVerdict:
    count: int
    document: ConnectivityDocument | None  # None once written and let go
    check: IntentCheck
    unprotected: tuple[Finding, ...]  # SLK209, per workload (as in connectivity.json)
    would_break: tuple[Finding, ...]  # SLK-NP002
    still_open: tuple[Finding, ...]  # SLK-NP003

    def without_document(self) -> PolicyVerdict:
        """The verdict without its connectivity document (all rows: large on big inputs)."""
        return replace(self, document=None)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The connection findings (the unprotected workloads are SLK209, reported apart)."""
        return (*self.would_break, *self.still_open)


ExistingPolicies = NoPolicies | PoliciesNotEvaluated | PolicyVerdict


def check_existing(inventory: Inventory, graph: ServiceGraph) -> ExistingPolicies:
    """Judge the input's NetworkPolicies against ``graph``."""
    from socklock.policy import PolicyErrors, analyse
    from socklock.policy.api import is_policy_object
    from socklock.policy.intent import graph_externals
    from socklock.policy.intent_findings import still_open, would_break
    from socklock.report.connectivity_document import verification

    count = sum(1 for o in inventory.objects if is_policy_object(o))
    if not count:
        return NoPolicies()
    try:
        connectivity = analyse(inventory, externals=graph_externals(graph))
    except PolicyErrors as exc:
        return PoliciesNotEvaluated(count, exc.diagnostics())
    document, check, unprotected = verification(connectivity, graph)
    assert check is not None  # an intent was given
    return PolicyVerdict(
        count,
        document,
        check,
        unprotected,
        would_break(connectivity, graph, check),
        still_open(connectivity, check),
    )
