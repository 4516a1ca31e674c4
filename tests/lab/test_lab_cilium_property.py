"""Random CiliumNetworkPolicy + CiliumClusterwideNetworkPolicy + NetworkPolicy sets on the e2e
cluster (namespaces x, y, z; pods a, b, c serving 80 and 81 on TCP and UDP), enforced by the
lab's own compiler (:mod:`socklock.lab.nft_cilium`) and probed: every row the kernel answers
must be the engine's.

``make test`` draws a few sets; ``SOCKLOCK_LAB_CILIUM_EXAMPLES=N`` (the bench) draws N. A set
the engine refuses is not drawn again (the lab refuses the same input).
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
from socklock.policy import analyse
from socklock.policy.result import PolicyErrors

pytestmark = pytest.mark.lab

EXAMPLES = int(os.environ.get("SOCKLOCK_LAB_CILIUM_EXAMPLES", "3"))
NAMES = ("x", "y", "z")
PODS = ("a", "b", "c")
NAMESPACE = "k8s:io.kubernetes.pod.namespace"

endpoint_selectors = st.one_of(
    st.just({}),
    st.sampled_from(PODS).map(lambda p: {"matchLabels": {"pod": p}}),
    st.sampled_from(NAMES).map(lambda n: {"matchLabels": {NAMESPACE: n}}),
    st.tuples(st.sampled_from(NAMES), st.sampled_from(PODS)).map(
        lambda t: {"matchLabels": {NAMESPACE: t[0], "pod": t[1]}}
    ),
    st.sampled_from(PODS).map(
        lambda p: {"matchExpressions": [{"key": "pod", "operator": "NotIn", "values": [p]}]}
    ),
    st.sampled_from(NAMES).map(lambda n: {"matchLabels": {"io.cilium.k8s.namespace.labels.ns": n}}),
)
subjects = st.one_of(
    st.just({}),
    st.sampled_from(PODS).map(lambda p: {"matchLabels": {"pod": p}}),
    st.sampled_from(PODS).map(
        lambda p: {"matchExpressions": [{"key": "pod", "operator": "In", "values": [p, "c"]}]}
    ),
)
cidrs = st.sampled_from(("0.0.0.0/0", "192.168.0.0/16", "10.0.0.0/8", "::/0"))
port_entries = st.one_of(
    st.tuples(st.sampled_from(("80", "81")), st.sampled_from(("TCP", "UDP", "ANY"))).map(
        lambda t: {"port": t[0], "protocol": t[1]}
    ),
    st.sampled_from(("TCP", "UDP")).map(lambda p: {"port": "79", "endPort": 80, "protocol": p}),
    st.tuples(st.sampled_from((80, 81)), st.sampled_from(("tcp", "udp"))).map(
        lambda t: {"port": f"serve-{t[0]}-{t[1]}", "protocol": t[1].upper()}
    ),
)


def peer_fields(direction: str) -> dict[str, st.SearchStrategy[Any]]:
    side = "from" if direction == "ingress" else "to"
    return {
        f"{side}Endpoints": st.lists(endpoint_selectors, min_size=1, max_size=2),
        f"{side}Entities": st.lists(
            st.sampled_from(("world", "cluster", "all")), min_size=1, max_size=1
        ),
        f"{side}CIDR": st.lists(cidrs, min_size=1, max_size=1),
        f"{side}CIDRSet": st.lists(
            st.sampled_from(
                (
                    {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]},
                    {"cidr": "192.168.0.0/16"},
                )
            ),
            min_size=1,
            max_size=1,
        ),
    }


def rule(direction: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = peer_fields(direction)
    fields["toPorts"] = st.lists(
        st.lists(port_entries, min_size=1, max_size=2).map(lambda ports: {"ports": ports}),
        min_size=1,
        max_size=1,
    )
    return st.fixed_dictionaries({}, optional=fields)


def cilium(index: int) -> st.SearchStrategy[dict[str, Any]]:
    def build(parts: tuple[Any, ...]) -> dict[str, Any]:
        namespace, subject, ingress, egress, ingress_deny, egress_deny = parts
        spec: dict[str, Any] = {"endpointSelector": subject}
        for key, listed in (
            ("ingress", ingress),
            ("egress", egress),
            ("ingressDeny", ingress_deny),
            ("egressDeny", egress_deny),
        ):
            if listed:
                spec[key] = listed
        metadata: dict[str, Any] = {"name": f"c{index}"}
        if namespace is not None:
            metadata["namespace"] = namespace
        elif "matchLabels" in subject and index % 2:
            subject["matchLabels"][NAMESPACE] = NAMES[index % 3]
        kind = "CiliumNetworkPolicy" if namespace else "CiliumClusterwideNetworkPolicy"
        return {"apiVersion": "cilium.io/v2", "kind": kind, "metadata": metadata, "spec": spec}

    return st.tuples(
        st.one_of(st.none(), st.sampled_from(NAMES)),
        subjects,
        st.lists(rule("ingress"), max_size=2),
        st.lists(rule("egress"), max_size=2),
        st.lists(rule("ingress"), max_size=1),
        st.lists(rule("egress"), max_size=1),
    ).map(build)


def network_policy(index: int) -> st.SearchStrategy[dict[str, Any]]:
    peer = st.one_of(
        st.sampled_from(PODS).map(lambda p: {"podSelector": {"matchLabels": {"pod": p}}}),
        st.sampled_from(NAMES).map(lambda n: {"namespaceSelector": {"matchLabels": {"ns": n}}}),
        st.just({"ipBlock": {"cidr": "0.0.0.0/0"}}),
    )

    def build(parts: tuple[str, list[Any], list[Any] | None]) -> dict[str, Any]:
        namespace, ingress, egress = parts
        return {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": f"np-{index}", "namespace": namespace},
            "spec": {
                "podSelector": {},
                "policyTypes": ["Ingress", "Egress"] if egress is not None else ["Ingress"],
                "ingress": [{"from": ingress}] if ingress else [],
                **({"egress": [{"to": egress}]} if egress else {}),
            },
        }

    return st.tuples(
        st.sampled_from(NAMES),
        st.lists(peer, max_size=2),
        st.one_of(st.none(), st.lists(peer, max_size=2)),
    ).map(build)


policy_sets = st.tuples(
    st.lists(st.integers(0, 9), min_size=1, max_size=3, unique=True).flatmap(
        lambda ns: st.tuples(*(cilium(n) for n in ns))
    ),
    st.lists(st.integers(0, 9), max_size=1, unique=True).flatmap(
        lambda ns: st.tuples(*(network_policy(n) for n in ns))
    ),
).map(lambda t: [*t[0], *t[1]])


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a lab per shrink step is minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(policy_sets)
def test_kernel_agrees_with_engine_on_random_cilium_sets(documents: list[dict[str, Any]]) -> None:
    reason = system.unavailable()
    if reason is not None:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "policies.yaml").write_text(yaml.safe_dump_all(documents))
        inventory = load_paths([str(FIXTURES / "_cluster"), work])
    assert [str(d) for d in inventory.errors] == []
    try:
        analyse(inventory)
    except PolicyErrors:
        reject()
    with running(inventory, run_id=new_run_id()) as lab:
        names = tuple(lab.topology.outside.samples)
        comparison = check(lab, analyse(inventory, externals=names))
    assert [str(d) for d in comparison.differences] == []
    assert len(comparison.rows) > 0
