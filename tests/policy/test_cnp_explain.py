"""explain and verify where ClusterNetworkPolicies are in force: each side's walk through the
tiers agrees with the verdict and names the rule that decided; the CLI's exact output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.policy.test_cnp_conformance import CNP_FIXTURES, analyse_cnp, cnp_scenarios
from tests.policy.test_policy_cli import invoke
from tests.policy.truth import FIXTURES, explain_disagreements

from socklock.policy.admin import AdminConnectivity
from socklock.policy.admin_explain import explain_admin
from socklock.policy.result import Verdict

CLUSTER = str(FIXTURES / "_cluster")
CLUSTER_V4 = str(CNP_FIXTURES.parent / "anp" / "_cluster-v4")


def _connectivity(folder: Path) -> AdminConnectivity:
    result = analyse_cnp(folder)
    assert isinstance(result, AdminConnectivity)
    return result


@pytest.mark.parametrize("folder", cnp_scenarios(refused=False), ids=lambda p: p.name)
def test_sides_agree_with_the_verdict(folder: Path) -> None:
    """Between distinct workloads, allowed exactly when both sides' walks allow."""
    assert explain_disagreements(_connectivity(folder), explain_admin) == []


def test_baseline_pass_is_named_and_allows() -> None:
    folder = CNP_FIXTURES / "10-baseline-pass-skips-the-rest-of-the-tier"
    connectivity = _connectivity(folder)
    passed = explain_admin(connectivity, "z/a", "x/b", 80, "TCP")
    assert passed.verdict is Verdict.ALLOWED
    assert passed.ingress is not None
    assert passed.ingress.reason == (
        "passed by ClusterNetworkPolicy z-skips-baseline-into-x spec.ingress[0] (baseline): allowed"
    )
    denied = explain_admin(connectivity, "y/a", "x/b", 80, "TCP")
    assert denied.verdict is Verdict.DENIED
    assert denied.ingress is not None
    assert (
        denied.ingress.reason == "Deny by ClusterNetworkPolicy deny-all spec.ingress[0] (baseline)"
    )


def test_accept_is_named_as_written() -> None:
    connectivity = _connectivity(CNP_FIXTURES / "02-admin-accept-overrides-np-deny")
    accepted = explain_admin(connectivity, "y/c", "x/a", 81, "UDP")
    assert accepted.verdict is Verdict.ALLOWED
    assert accepted.ingress is not None
    assert accepted.ingress.reason == (
        "Accept by ClusterNetworkPolicy y-always-reaches-x spec.ingress[0] (admin tier)"
    )
    assert [(r.policy, r.rule, str(r.location)) for r in accepted.ingress.admitting] == [
        (
            "ClusterNetworkPolicy y-always-reaches-x",
            "spec.ingress[0]",
            f"{CNP_FIXTURES}/02-admin-accept-overrides-np-deny/policies.yaml:13:7",
        )
    ]


def test_cli_explain_pass_to_networkpolicy() -> None:
    folder = CNP_FIXTURES / "04-admin-pass-to-networkpolicy"
    code, out, err = invoke(
        "policy", "explain", CLUSTER, str(folder), "--from", "y/a", "--to", "x/b", "--port", "80"
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "y/a -> x/b 80/TCP: allowed",
        "egress of y/a: allows: no admin, NetworkPolicy or baseline rule decides it: allowed",
        "ingress of x/b: allows: passed by ClusterNetworkPolicy x-delegates-y spec.ingress[0] "
        "(y-is-up-to-x); allowed by NetworkPolicy x/only-y-a spec.ingress[0]",
        f"  selected by ClusterNetworkPolicy x-delegates-y ({folder}/policies.yaml:1:1)",
        f"  selected by NetworkPolicy x/only-y-a ({folder}/policies.yaml:24:1)",
        f"  admitted by NetworkPolicy x/only-y-a spec.ingress[0] ({folder}/policies.yaml:32:7): "
        "namespaces ns=y and pods pod=a on every port",
    ]
    code, out, err = invoke(
        "policy",
        "explain",
        CLUSTER,
        str(folder),
        "--from",
        "z/b",
        "--to",
        "x/b",
        "--port",
        "81/UDP",
    )
    assert (code, err) == (1, "")
    assert out.splitlines()[:3] == [
        "z/b -> x/b 81/UDP: denied",
        "egress of z/b: allows: no admin, NetworkPolicy or baseline rule decides it: allowed",
        "ingress of x/b: DENIES: Deny by ClusterNetworkPolicy x-delegates-y spec.ingress[1] "
        "(nobody-else) (admin tier)",
    ]


def test_cli_explain_baseline_networks_to_a_pod() -> None:
    folder = CNP_FIXTURES / "31-baseline-networks-and-networkpolicy"
    code, out, err = invoke(
        "policy",
        "explain",
        CLUSTER_V4,
        str(folder),
        "--from",
        "x/a",
        "--to",
        "y/b",
        "--port",
        "80",
    )
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "x/a -> y/b 80/TCP: denied",
        "egress of x/a: DENIES: Deny by ClusterNetworkPolicy x-not-to-10-0-1 spec.egress[0] "
        "(baseline)",
        f"  selected by ClusterNetworkPolicy x-not-to-10-0-1 ({folder}/policies.yaml:1:1)",
        "  not this: ClusterNetworkPolicy x-not-to-10-0-1 spec.egress[0]",
        "ingress of y/b: allows: no admin, NetworkPolicy or baseline rule decides it: allowed",
    ]


def test_cli_verify_lists_the_tiers_answer() -> None:
    """`policy verify` on a ClusterNetworkPolicy + NetworkPolicy directory: the pod rows and
    the summary are the decider's (x/a's egress to y's addresses is denied by the Baseline;
    x/b's NetworkPolicy decides for it)."""
    folder = str(CNP_FIXTURES / "31-baseline-networks-and-networkpolicy")
    code, out, err = invoke(
        "policy", "verify", "--no-intent", "--format", "json", CLUSTER_V4, folder
    )
    assert (code, err) == (0, "")
    rows = sorted(
        (row["from"], row["to"], row["port"], row.get("end_port"), row["protocol"], row["verdict"])
        for row in json.loads(out)["connections"]
        if row["from"] == "x/a"
    )
    assert rows == [
        ("x/a", "external:0.0.0.0/0", 1, 65535, "SCTP", "partial"),
        ("x/a", "external:0.0.0.0/0", 1, 65535, "TCP", "partial"),
        ("x/a", "external:0.0.0.0/0", 1, 65535, "UDP", "partial"),
        ("x/a", "x/a", 80, None, "TCP", "allowed"),
        ("x/a", "x/b", 80, None, "TCP", "allowed"),
    ]
    code, out, err = invoke("policy", "verify", "--no-intent", CLUSTER_V4, folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        "4 workloads, 1 policies, 2 external endpoints: 40 allowed, 3 partial, 5 denied of 48 "
        "rows; 4 not isolated"
    )


def test_cli_diff_of_a_migration_from_v1alpha1() -> None:
    """`policy diff` of a v1alpha1 set against its v1alpha2 rewrite (each side one version):
    the same answer, or exactly what the new Baseline tier opens."""
    anp = CNP_FIXTURES.parent / "anp"
    code, out, err = invoke(
        "policy",
        "diff",
        "--cluster",
        CLUSTER,
        str(anp / "04-anp-pass-to-networkpolicy"),
        str(CNP_FIXTURES / "04-admin-pass-to-networkpolicy"),
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        "equivalent: 1 and 1 policies allow exactly the same connections between 9 workloads"
    )
    code, out, err = invoke(
        "policy",
        "diff",
        "--cluster",
        CLUSTER,
        str(anp / "09-baseline-deny-all-ingress"),
        str(CNP_FIXTURES / "09-baseline-several-policies-by-priority"),
    )
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[-1] == "27 opened, 0 closed"
    assert sorted(lines[:-1]) == [
        f"+ y/{s} -> x/{t} 1-65535/{p}: denied -> allowed"
        for s in "abc"
        for t in "abc"
        for p in ("SCTP", "TCP", "UDP")
    ]
