"""Kubernetes NetworkPolicies converted as Calico converts them (``policy/calico_knp.py``).

Every NetworkPolicy scenario of tests/fixtures/policy/ is decided through the conversion and
the Calico decider, and must agree with its hand-written table: Calico enforces a
NetworkPolicy alone as the Kubernetes API says. The exceptions are named: an ipBlock that
holds some but not all IPs of a dual-stack pod is refused (the decider decides per pod), and
the two ``--cni calico`` scenarios about pods without given IPs (the decider matches nets
through given IPs only).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.lab.test_lab_calico_property import k8s_policy
from tests.policy.truth import FIXTURES, mismatches, parse, scenario_paths, scenarios

from socklock.load import load_paths
from socklock.model import K8sObject
from socklock.policy.api import is_policy_object, parse_policy
from socklock.policy.calico_engine import analyse_calico_mix
from socklock.policy.calico_knp import convert, selector_text
from socklock.policy.engine import analyse
from socklock.policy.result import PolicyErrors

SPLIT = {
    "38-ipblock-matches-pod-ips",
    "39-ipblock-matches-pod-ipv6",
    "59-ipblock-v6-ingress-dual-stack",
    "60-ipblock-v4-egress-dual-stack",
    "61-ipblock-families-add-up",
    "62-ipblock-ingress-egress-other-families",
    "63-external-ranges-leave-out-pod-ips",
    "66-cni-cilium-ipblock-ignores-pod-ips",
}
IP_LESS = {
    "65-cni-calico-world-block-matches-every-pod",
    "67-cni-calico-narrow-block-without-pod-ips",
}


@pytest.mark.parametrize("folder", scenarios(refused=False), ids=lambda p: p.name)
def test_networkpolicy_scenarios_through_calico(folder: Path) -> None:
    inventory = load_paths(scenario_paths(folder))
    policies = [o for o in inventory.objects if is_policy_object(o)]
    if folder.name in SPLIT:
        with pytest.raises(PolicyErrors) as refused:
            analyse_calico_mix(inventory, policies)
        assert all(
            "holds some but not all IPs of the pods" in str(d)
            for d in refused.value.diagnostic_list
        )
        return
    found = analyse_calico_mix(inventory, policies)
    wrong = mismatches(parse(folder / "expected.txt"), found)
    assert bool(wrong) is (folder.name in IP_LESS)


def _policy(folder: Path, text: str) -> K8sObject:
    (folder / "p.yaml").write_text(text)
    (obj,) = load_paths([str(folder / "p.yaml")]).objects
    return obj


def test_conversion_to_the_letter(tmp_path: Path) -> None:
    parsed = parse_policy(
        _policy(
            tmp_path,
            """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from:
        - podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [b, a]}]}
          namespaceSelector: {}
        - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
      ports: [{port: 80}, {protocol: UDP, port: dns}, {port: 8000, endPort: 8080}]
""",
        )
    )
    assert not isinstance(parsed, tuple)
    calico = convert(parsed)
    assert (calico.name, calico.namespace, calico.order, calico.tier) == (
        "p",
        "x",
        1000.0,
        "default",
    )
    assert calico.selector == "projectcalico.org/orchestrator == 'k8s' && app == 'web'"
    assert calico.types == frozenset({"Ingress"})
    rules = [
        (
            r.protocol.value if r.protocol else None,
            r.source.selector,
            r.source.namespace_selector,
            r.source.nets.cidrs() if r.source.nets else None,
            r.source.not_nets.cidrs() if r.source.not_nets else None,
            list(r.destination.ports.numeric) if r.destination.ports else None,
            sorted(r.destination.ports.named) if r.destination.ports else None,
            r.where,
        )
        for r in calico.ingress
    ]
    pods = "projectcalico.org/orchestrator == 'k8s' && tier not in { 'a', 'b' }"
    assert rules == [
        ("TCP", pods, "all()", None, None, [(80, 80), (8000, 8080)], [], "spec.ingress[0].from[0]"),
        (
            "TCP",
            None,
            None,
            ["10.0.0.0/8"],
            ["10.1.0.0/16"],
            [(80, 80), (8000, 8080)],
            [],
            "spec.ingress[0].from[1]",
        ),
        ("UDP", pods, "all()", None, None, [], ["dns"], "spec.ingress[0].from[0]"),
        (
            "UDP",
            None,
            None,
            ["10.0.0.0/8"],
            ["10.1.0.0/16"],
            [],
            ["dns"],
            "spec.ingress[0].from[1]",
        ),
    ]
    assert all(r.action == "Allow" for r in calico.ingress)


def test_selector_text() -> None:
    from socklock.policy.selectors import LabelSelector, Operator

    assert selector_text(None, pods=True) == "projectcalico.org/orchestrator == 'k8s'"
    assert selector_text(None, pods=False) is None
    assert selector_text(LabelSelector(), pods=False) == "all()"
    built = LabelSelector.build(
        {"a": "1"}, [("b", Operator.EXISTS, []), ("c", Operator.DOES_NOT_EXIST, [])]
    )
    assert selector_text(built, pods=False) == "a == '1' && has(b) && ! has(c)"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 9), min_size=1, max_size=4, unique=True).flatmap(
        lambda ns: st.tuples(*(k8s_policy(n) for n in ns))
    )
)
def test_random_networkpolicies_alone_decide_alike(documents: tuple[dict[str, Any], ...]) -> None:
    """Random NetworkPolicies (the lab property test's strategy: selectors with In/NotIn/
    Exists, ipBlocks, named ports, endPort, a protocol alone): the Kubernetes engine and the
    Calico decider over their conversion give the same verdict for every pair of workloads
    and outside address, on the ports the policies name, their neighbours and the ends."""
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "policies.yaml").write_text(yaml.safe_dump_all(list(documents)))
        inventory = load_paths([str(FIXTURES / "_cluster"), work])
    policies = [o for o in inventory.objects if is_policy_object(o)]
    kubernetes = analyse(inventory, policies)
    calico = analyse_calico_mix(inventory, policies)
    outside = ["external:192.168.2.7", "external:192.168.1.7", "external:10.1.2.3"]
    ends = [*kubernetes.endpoints, *outside]
    wrong = [
        (source, target, port, protocol)
        for source in ends
        for target in ends
        if not (source.startswith("external:") and target.startswith("external:"))
        for port in (1, 79, 80, 81, 82, 65535)
        for protocol in ("TCP", "UDP", "SCTP")
        if calico.verdict(source, target, port, protocol)
        is not kubernetes.verdict(source, target, port, protocol)
    ]
    assert wrong == []
