"""explain where ANPs are in force: each side's walk through the tiers agrees with the verdict,
and names the rule that decided."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.test_anp_conformance import ANP_FIXTURES, _analyse, anp_scenarios

from socklock.policy.admin import AdminConnectivity
from socklock.policy.admin_explain import explain_admin
from socklock.policy.result import Verdict


def _connectivity(folder: Path) -> AdminConnectivity:
    result = _analyse(folder)
    assert isinstance(result, AdminConnectivity)
    return result


@pytest.mark.parametrize("folder", anp_scenarios(refused=False), ids=lambda p: p.name)
def test_sides_agree_with_the_verdict(folder: Path) -> None:
    """Between distinct workloads, allowed exactly when both sides' walks allow."""
    connectivity = _connectivity(folder)
    disagreements = []
    for source in connectivity.endpoints:
        for target in connectivity.endpoints:
            if source == target:
                continue
            for port, protocol in connectivity.endpoint(target).ports:
                found = explain_admin(connectivity, source, target, port, protocol)
                assert found.egress is not None and found.ingress is not None
                both = found.egress.allowed and found.ingress.allowed
                if both != (found.verdict is Verdict.ALLOWED):
                    disagreements.append((source, target, port, str(protocol)))
    assert disagreements == []


def test_pass_then_networkpolicy_is_named() -> None:
    connectivity = _connectivity(ANP_FIXTURES / "04-anp-pass-to-networkpolicy")
    allowed = explain_admin(connectivity, "y/a", "x/b", 80, "TCP")
    assert allowed.verdict is Verdict.ALLOWED
    assert allowed.ingress is not None
    assert allowed.ingress.reason == (
        "passed by AdminNetworkPolicy x-delegates-y spec.ingress[0] (y-is-up-to-x); "
        "allowed by NetworkPolicy x/only-y-a spec.ingress[0]"
    )
    assert [(r.policy, r.rule, str(r.location)) for r in allowed.ingress.admitting] == [
        (
            "NetworkPolicy x/only-y-a",
            "spec.ingress[0]",
            f"{ANP_FIXTURES}/04-anp-pass-to-networkpolicy/policies.yaml:31:7",
        )
    ]
    denied = explain_admin(connectivity, "z/a", "x/a", 80, "TCP")
    assert denied.verdict is Verdict.DENIED
    assert denied.ingress is not None
    assert denied.ingress.reason == (
        "Deny by AdminNetworkPolicy x-delegates-y spec.ingress[1] (nobody-else) (admin tier)"
    )
    assert denied.ingress.near_misses == (
        "AdminNetworkPolicy x-delegates-y spec.ingress[1] (nobody-else)",
    )
