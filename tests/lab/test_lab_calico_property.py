"""Random Calico tiers, NetworkPolicies and GlobalNetworkPolicies, with Kubernetes
NetworkPolicies beside them, on the e2e cluster (namespaces x, y, z; pods a, b, c serving 80
and 81 on TCP and UDP), enforced by the lab's own compiler (:mod:`socklock.lab.nft_calico`,
the Kubernetes policies placed in the default tier at order 1000 and compiled by the lab's
NetworkPolicy rules) and probed: every row the kernel answers must be the engine's (the
Calico decider, Kubernetes policies converted as Calico converts them).

``make test`` draws a few sets; ``SOCKLOCK_LAB_CALICO_EXAMPLES=N`` (the bench) draws N. A set
the decider refuses is not drawn again (the lab refuses the same input).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st
from tests.policy.truth import FIXTURES

from socklock.lab import check, running, system
from socklock.lab.topology import new_run_id
from socklock.load import load_paths
from socklock.policy import PolicyErrors, analyse
from socklock.policy.calico_model import API_VERSION

pytestmark = pytest.mark.lab

EXAMPLES = int(os.environ.get("SOCKLOCK_LAB_CALICO_EXAMPLES", "3"))
NAMES = ("x", "y", "z")
TIERS = ("first", "second")

pod_selectors = st.sampled_from(
    (
        "all()",
        "pod == 'a'",
        "pod != 'b'",
        "has(pod) && pod != 'a'",
        "pod in {'a', 'c'}",
        "pod not in {'c'}",
        "pod starts with 'b'",
        "!has(pod)",
        "projectcalico.org/namespace == 'y'",
        "global()",
    )
)
namespace_selectors = st.sampled_from(
    ("all()", "ns == 'x'", "ns in {'y', 'z'}", "projectcalico.org/name != 'z'")
)
networks = st.sampled_from(("0.0.0.0/0", "192.168.0.0/16", "10.0.0.0/8", "::/0"))
port_lists = st.lists(
    st.sampled_from((80, 81, "80:81", "79:80", "serve-80-tcp", "serve-81-udp")),
    min_size=1,
    max_size=2,
)


def entity(destination: bool) -> st.SearchStrategy[dict[str, Any]]:
    """A rule's source or destination (the selected pod's side or the peer's): selectors and
    nets; ports on the destination."""
    fields: dict[str, st.SearchStrategy[Any]] = {
        "selector": pod_selectors,
        "notSelector": pod_selectors,
        "namespaceSelector": namespace_selectors,
        "nets": st.lists(networks, min_size=1, max_size=2),
        "notNets": st.lists(networks, min_size=1, max_size=1),
    }
    if destination:
        fields["ports"] = port_lists
        fields["notPorts"] = port_lists
    return st.fixed_dictionaries({}, optional=fields)


def rule() -> st.SearchStrategy[dict[str, Any]]:
    def build(parts: tuple[str, str | None, str | None, dict[str, Any], dict[str, Any]]) -> dict:
        action, protocol, not_protocol, source, destination = parts
        out: dict[str, Any] = {"action": action}
        if protocol is not None:
            out["protocol"] = protocol
            if protocol.startswith("ICMP"):
                destination.pop("ports", None)
                destination.pop("notPorts", None)
        if not_protocol is not None:
            out["notProtocol"] = not_protocol
        if source:
            out["source"] = source
        if destination:
            out["destination"] = destination
        return out

    return st.tuples(
        st.sampled_from(("Allow", "Deny", "Pass", "Log")),
        st.one_of(st.none(), st.sampled_from(("TCP", "UDP", "ICMP"))),
        st.one_of(st.none(), st.sampled_from(("UDP", "ICMP"))),
        entity(destination=False),
        entity(destination=True),
    ).map(build)


def policy(index: int) -> st.SearchStrategy[dict[str, Any]]:
    def build(parts: tuple[Any, ...]) -> dict[str, Any]:
        namespace, tier, order, selector, scope, types, ingress, egress = parts
        name = f"p{index}" if tier == "default" else f"{tier}.p{index}"
        spec: dict[str, Any] = {"selector": selector}
        if tier != "default":
            spec["tier"] = tier
        if order is not None:
            spec["order"] = order
        if namespace is None and scope is not None:
            spec["namespaceSelector"] = scope
        if types is not None:
            spec["types"] = types
        if ingress:
            spec["ingress"] = ingress
        if egress:
            spec["egress"] = egress
        metadata: dict[str, Any] = {"name": name}
        if namespace is not None:
            metadata["namespace"] = namespace
        kind = "GlobalNetworkPolicy" if namespace is None else "NetworkPolicy"
        return {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec}

    return st.tuples(
        st.one_of(st.none(), st.sampled_from(NAMES)),
        st.sampled_from(("default", *TIERS)),
        st.one_of(st.none(), st.sampled_from((1, 10, 2000))),  # 2000: after the KNPs
        pod_selectors,
        st.one_of(st.none(), namespace_selectors),
        st.one_of(st.none(), st.sampled_from((["Ingress"], ["Egress"], ["Ingress", "Egress"]))),
        st.lists(rule(), max_size=3),
        st.lists(rule(), max_size=3),
    ).map(build)


def tier(name: str) -> st.SearchStrategy[dict[str, Any]]:
    def build(parts: tuple[int | None, str | None]) -> dict[str, Any]:
        order, action = parts
        spec: dict[str, Any] = {}
        if order is not None:
            spec["order"] = order
        if action is not None:
            spec["defaultAction"] = action
        return {"apiVersion": API_VERSION, "kind": "Tier", "metadata": {"name": name}, "spec": spec}

    return st.tuples(
        st.one_of(st.none(), st.sampled_from((10, 100, 2_000_000))),
        st.one_of(st.none(), st.sampled_from(("Deny", "Pass"))),
    ).map(build)


k8s_selectors = st.sampled_from(
    (
        {},
        {"matchLabels": {"pod": "a"}},
        {"matchExpressions": [{"key": "pod", "operator": "NotIn", "values": ["b"]}]},
        {"matchExpressions": [{"key": "pod", "operator": "In", "values": ["a", "c"]}]},
    )
)
k8s_namespaces = st.sampled_from(
    ({}, {"matchLabels": {"ns": "y"}}, {"matchExpressions": [{"key": "ns", "operator": "Exists"}]})
)
k8s_peers = st.one_of(
    st.fixed_dictionaries({"podSelector": k8s_selectors}),
    st.fixed_dictionaries({"namespaceSelector": k8s_namespaces}),
    st.fixed_dictionaries({"podSelector": k8s_selectors, "namespaceSelector": k8s_namespaces}),
    st.just({"ipBlock": {"cidr": "192.168.0.0/16", "except": ["192.168.1.0/24"]}}),
    st.just({"ipBlock": {"cidr": "0.0.0.0/0"}}),
)
k8s_ports = st.sampled_from(
    (
        {"port": 80},
        {"protocol": "UDP", "port": 81},
        {"port": "serve-81-tcp"},
        {"protocol": "UDP", "port": "serve-80-udp"},
        {"port": 80, "endPort": 81},
        {"protocol": "UDP"},
    )
)


def k8s_rule(peers: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            peers: st.lists(k8s_peers, min_size=1, max_size=2),
            "ports": st.lists(k8s_ports, min_size=1, max_size=2),
        },
    )


def k8s_policy(index: int) -> st.SearchStrategy[dict[str, Any]]:
    """A Kubernetes NetworkPolicy: Calico puts it in the default tier at order 1000."""

    def build(parts: tuple[Any, ...]) -> dict[str, Any]:
        namespace, selector, types, ingress, egress = parts
        spec: dict[str, Any] = {"podSelector": selector}
        if types is not None:
            spec["policyTypes"] = types
        if ingress:
            spec["ingress"] = ingress
        if egress:
            spec["egress"] = egress
        return {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": f"k{index}", "namespace": namespace},
            "spec": spec,
        }

    return st.tuples(
        st.sampled_from(NAMES),
        k8s_selectors,
        st.one_of(st.none(), st.sampled_from((["Ingress"], ["Egress"], ["Ingress", "Egress"]))),
        st.lists(k8s_rule("from"), max_size=2),
        st.lists(k8s_rule("to"), max_size=2),
    ).map(build)


policy_sets = st.tuples(
    st.tuples(*(tier(name) for name in TIERS)),
    st.lists(st.integers(0, 9), min_size=1, max_size=4, unique=True).flatmap(
        lambda ns: st.tuples(*(policy(n) for n in ns))
    ),
    st.lists(st.integers(0, 9), max_size=2, unique=True).flatmap(
        lambda ns: st.tuples(*(k8s_policy(n) for n in ns))
    ),
).map(lambda t: [*t[0], *t[1], *t[2]])


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a lab per shrink step is minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(policy_sets)
def test_kernel_agrees_with_decider_on_random_calico_sets(documents: list[dict[str, Any]]) -> None:
    reason = system.unavailable()
    if reason is not None:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "policies.yaml").write_text(yaml.safe_dump_all(documents))
        inventory = load_paths([str(FIXTURES / "_cluster"), work])
    assert [str(d) for d in inventory.errors] == []
    try:
        decider = analyse(inventory)
    except PolicyErrors:
        reject()
    with running(inventory, run_id=new_run_id()) as lab:
        names = tuple(lab.topology.outside.samples)
        comparison = check(lab, analyse(inventory, externals=names))
    assert decider.cluster.endpoints  # the same cluster
    assert [str(d) for d in comparison.differences] == []
    assert len(comparison.rows) > 0
