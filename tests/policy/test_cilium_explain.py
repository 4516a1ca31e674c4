"""Cilium beside NetworkPolicy: explain agrees with the verdict, external addresses follow the
CIDR, entity and deny rules, and ``policy verify``/``explain`` work through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.policy.test_cilium_conformance import CILIUM_FIXTURES, _analyse, cilium_scenarios
from tests.policy.test_policy_cli import CLUSTER, invoke
from tests.policy.truth import explain_disagreements

from socklock.policy.cilium import CiliumConnectivity
from socklock.policy.explain import explain
from socklock.policy.result import Verdict


def _connectivity(name: str) -> CiliumConnectivity:
    result = _analyse(CILIUM_FIXTURES / name)
    assert isinstance(result, CiliumConnectivity), result
    return result


@pytest.mark.parametrize("folder", cilium_scenarios(refused=False), ids=lambda p: p.name)
def test_sides_agree_with_the_verdict(folder: Path) -> None:
    """Between distinct workloads, explain's two sides allow exactly when the verdict does."""
    assert explain_disagreements(_connectivity(folder.name), explain) == []


def test_externals_follow_cidrs_entities_and_denies() -> None:
    world = _connectivity("09-from-entities-world-is-not-pods")
    assert world.verdict("external:8.8.8.8", "x/a", 80) is Verdict.ALLOWED
    assert world.verdict("external:8.8.8.8", "x/b", 80) is Verdict.ALLOWED
    cluster = _connectivity("08-from-entities-cluster")
    assert cluster.verdict("external:8.8.8.8", "x/a", 80) is Verdict.DENIED
    out = _connectivity("22-egress-cidr-denies-pods")
    assert out.verdict("x/a", "external:10.2.0.1", 443) is Verdict.ALLOWED
    assert out.verdict("x/a", "external:10.1.0.1", 443) is Verdict.DENIED
    assert out.verdict("x/a", "external:8.8.8.8", 443) is Verdict.DENIED
    assert out.verdict("x/a", "external:10.0.0.0/8", 443) is Verdict.PARTIAL
    no_81 = _connectivity("33-ccnp-egress-deny-port")
    assert no_81.verdict("y/a", "external:8.8.8.8", 80) is Verdict.ALLOWED
    assert no_81.verdict("y/a", "external:8.8.8.8", 81, "UDP") is Verdict.DENIED
    assert no_81.verdict("y/b", "external:8.8.8.8", 81) is Verdict.ALLOWED


def test_explain_names_the_deny_rule() -> None:
    folder = CILIUM_FIXTURES / "25-ingress-deny-beats-allow-all"
    found = explain(_connectivity(folder.name), "x/b", "x/a", 80)
    assert found.verdict is Verdict.DENIED
    assert found.ingress is not None and not found.ingress.allowed
    code, out, err = invoke(
        "policy",
        "explain",
        "--from",
        "x/b",
        "--to",
        "x/a",
        "--port",
        "80",
        str(CLUSTER),
        str(folder),
    )
    assert (code, err) == (1, "")
    assert f"denied by x/not-b spec.ingressDeny[0] ({folder}/policies.yaml:14:7)" in out
    code, out, _ = invoke(
        "policy",
        "explain",
        "--from",
        "x/c",
        "--to",
        "x/a",
        "--port",
        "80",
        str(CLUSTER),
        str(folder),
    )
    assert code == 0
    assert out.splitlines()[0] == "x/c -> x/a 80/TCP: allowed"


def test_verify_through_the_cli() -> None:
    folder = CILIUM_FIXTURES / "20-rules-add-up-per-port"
    code, out, err = invoke("policy", "verify", str(CLUSTER), str(folder), "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    into_a = sorted(
        (c["from"], c["port"], c["protocol"])
        for c in document["connections"]
        if c["to"] == "x/a" and c["from"] not in ("x/a",) and not c["from"].startswith("ext")
    )
    assert into_a == [("x/b", 80, "TCP"), ("x/c", 81, "TCP")]


def test_verify_refuses_out_of_scope_fields_through_the_cli() -> None:
    folder = CILIUM_FIXTURES / "26-refused-to-fqdns"
    code, _, err = invoke("policy", "verify", str(CLUSTER), str(folder))
    assert code == 2
    assert f"{folder}/policies.yaml:11:7: error: CiliumNetworkPolicy x/refused-to-fqdns: " in err


def test_malformed_fields_are_errors_at_their_position(tmp_path: Path) -> None:
    """Every problem of a Cilium policy is reported with its position, none skipped."""
    policy = tmp_path / "bad.yaml"
    policy.write_text(
        "apiVersion: cilium.io/v2\n"
        "kind: CiliumNetworkPolicy\n"
        "metadata:\n"
        "  name: bad\n"
        "  namespace: x\n"
        "spec:\n"
        "  endpointSelector:\n"
        "    matchLabels: [pod]\n"
        "  ingress:\n"
        "    - fromEndpoints: {}\n"
        "      toPorts:\n"
        "        - ports:\n"
        "            - port: '80'\n"
        "              endPort: 70\n"
    )
    code, _, err = invoke("policy", "verify", str(CLUSTER), str(policy))
    assert code == 2
    assert err.splitlines()[:3] == [
        f"{policy}:8:5: error: CiliumNetworkPolicy x/bad: spec.endpointSelector.matchLabels: "
        "must be a mapping",
        f"{policy}:10:7: error: CiliumNetworkPolicy x/bad: spec.ingress[0].fromEndpoints: "
        "must be a list",
        f"{policy}:14:15: error: CiliumNetworkPolicy x/bad: spec.ingress[0].toPorts[0].ports[0]: "
        "endPort must be a port >= port (a number)",
    ]


def test_network_policy_api_kinds_beside_cilium_are_refused(tmp_path: Path) -> None:
    """An AdminNetworkPolicy or ClusterNetworkPolicy beside Cilium policies gets no verdict:
    it was read as a NetworkPolicy and refused with a message naming the wrong engine."""
    folder = CILIUM_FIXTURES / "20-rules-add-up-per-port"
    cnp = tmp_path / "cnp.yaml"
    cnp.write_text(
        "apiVersion: policy.networking.k8s.io/v1alpha2\n"
        "kind: ClusterNetworkPolicy\n"
        "metadata: {name: p}\n"
        "spec:\n"
        "  tier: Admin\n"
        "  priority: 1\n"
        "  subject: {namespaces: {}}\n"
        "  ingress: [{action: Accept, from: [{namespaces: {}}]}]\n"
    )
    code, out, err = invoke("policy", "verify", str(CLUSTER), str(folder), str(cnp))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == (
        f"{cnp}:1:1: error: policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy p: beside "
        "Cilium policies: Cilium's policy reference does not say whether or where among its "
        "own rules it enforces this kind; no verdict is given for the mix"
    )
