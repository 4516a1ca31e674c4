"""explain where ANPs are in force: each side's walk through the tiers agrees with the verdict,
and names the rule that decided."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.policy.test_anp_conformance import ANP_FIXTURES, _analyse, anp_scenarios
from tests.policy.truth import explain_disagreements

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
    assert explain_disagreements(_connectivity(folder), explain_admin) == []


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


def test_cli_explain_and_verify_answer_with_tiers() -> None:
    """`policy explain` names the tiers; `policy verify` lists the decider's rows."""
    from tests.policy.test_policy_cli import invoke
    from tests.policy.truth import FIXTURES

    folder = str(ANP_FIXTURES / "05-anp-pass-to-baseline")
    cluster = str(FIXTURES / "_cluster")
    code, out, _ = invoke(
        "policy", "explain", cluster, folder, "--from", "y/b", "--to", "x/a", "--port", "80"
    )
    assert code == 1
    assert out.splitlines()[:3] == [
        "y/b -> x/a 80/TCP: denied",
        "egress of y/b: allows: no admin, NetworkPolicy or baseline rule decides it: allowed",
        "ingress of x/a: DENIES: passed by AdminNetworkPolicy x-delegates-y spec.ingress[0]; "
        "Deny by BaselineAdminNetworkPolicy default spec.ingress[1] (baseline)",
    ]
    code, out, _ = invoke("policy", "verify", "--no-intent", "--format", "json", cluster, folder)
    assert code == 0
    rows = {
        (row["from"], row["to"], row["port"], row["protocol"]): row["verdict"]
        for row in json.loads(out)["connections"]
    }
    assert rows[("y/a", "x/a", 80, "TCP")] == "allowed"
    assert ("y/b", "x/a", 80, "TCP") not in rows  # denied rows are not listed
    assert rows[("y/b", "y/a", 80, "TCP")] == "allowed"
