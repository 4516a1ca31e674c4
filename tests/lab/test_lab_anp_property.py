"""Random AdminNetworkPolicy + BaselineAdminNetworkPolicy + NetworkPolicy sets (v1alpha1),
and random ClusterNetworkPolicy + NetworkPolicy sets (v1alpha2: Admin and Baseline tiers, each
with several policies by priority, Accept/Deny/Pass), on the e2e cluster (namespaces x, y, z;
pods a, b, c serving 80 and 81 on TCP and UDP), enforced by the lab's own compiler and probed:
every row the kernel answers must be the engine's.

``make test`` draws a few sets of each; ``SOCKLOCK_LAB_ANP_EXAMPLES=N`` and
``SOCKLOCK_LAB_CNP_EXAMPLES=N`` (the bench) draw N. A set the engine refuses is not drawn again
(the lab refuses the same input).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from tests.policy.truth import FIXTURES

from socklock.lab import check, running, system
from socklock.lab.topology import new_run_id
from socklock.load import load_paths
from socklock.policy import analyse
from socklock.policy.result import PolicyErrors

pytestmark = pytest.mark.lab

EXAMPLES = int(os.environ.get("SOCKLOCK_LAB_ANP_EXAMPLES", "3"))
CNP_EXAMPLES = int(os.environ.get("SOCKLOCK_LAB_CNP_EXAMPLES", "3"))
NAMES = ("x", "y", "z")
PODS = ("a", "b", "c")

namespaces = st.one_of(
    st.just({}), st.sampled_from(NAMES).map(lambda n: {"matchLabels": {"ns": n}})
)
pod_labels = st.sampled_from(PODS).map(lambda p: {"matchLabels": {"pod": p}})
selections = st.one_of(
    namespaces.map(lambda n: {"namespaces": n}),
    st.tuples(namespaces, pod_labels).map(
        lambda t: {"pods": {"namespaceSelector": t[0], "podSelector": t[1]}}
    ),
)
protocols = st.sampled_from(("TCP", "UDP"))
port_entries = st.one_of(
    st.tuples(protocols, st.sampled_from((80, 81))).map(
        lambda t: {"portNumber": {"protocol": t[0], "port": t[1]}}
    ),
    st.tuples(protocols, st.sampled_from(((79, 80), (79, 81), (80, 81)))).map(
        lambda t: {"portRange": {"protocol": t[0], "start": t[1][0], "end": t[1][1]}}
    ),
    st.tuples(st.sampled_from((80, 81)), st.sampled_from(("tcp", "udp"))).map(
        lambda t: {"namedPort": f"serve-{t[0]}-{t[1]}"}
    ),
)


def rules(direction: str, actions: tuple[str, ...]) -> st.SearchStrategy[list[dict[str, Any]]]:
    peers = selections
    if direction == "egress":
        peers = st.one_of(selections, st.just({"networks": ["0.0.0.0/0"]}))
    key = "from" if direction == "ingress" else "to"
    rule = st.fixed_dictionaries(
        {"action": st.sampled_from(actions), key: st.lists(peers, min_size=1, max_size=2)},
        optional={"ports": st.lists(port_entries, min_size=1, max_size=2)},
    )
    return st.lists(rule, max_size=2)


def admin(kind: str, name: str, priority: int | None) -> st.SearchStrategy[dict[str, Any]]:
    actions = ("Allow", "Deny", "Pass") if priority is not None else ("Allow", "Deny")

    def build(parts: tuple[dict[str, Any], list[Any], list[Any]]) -> dict[str, Any]:
        subject, ingress, egress = parts
        spec: dict[str, Any] = {"subject": subject}
        if priority is not None:
            spec["priority"] = priority
        for direction, listed in (("ingress", ingress), ("egress", egress)):
            if listed:
                for index, item in enumerate(listed):
                    item["name"] = f"{direction}-{index}"
                spec[direction] = listed
        return {
            "apiVersion": "policy.networking.k8s.io/v1alpha1",
            "kind": kind,
            "metadata": {"name": name},
            "spec": spec,
        }

    return st.tuples(selections, rules("ingress", actions), rules("egress", actions)).map(build)


def network_policy(index: int) -> st.SearchStrategy[dict[str, Any]]:
    peer = st.one_of(
        pod_labels.map(lambda p: {"podSelector": p}),
        namespaces.map(lambda n: {"namespaceSelector": n}),
    )

    def build(parts: tuple[str, dict[str, Any], list[Any], list[Any]]) -> dict[str, Any]:
        namespace, selected, ingress, egress = parts
        return {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": f"np-{index}", "namespace": namespace},
            "spec": {
                "podSelector": selected,
                "policyTypes": ["Ingress", "Egress"] if egress is not None else ["Ingress"],
                "ingress": [{"from": ingress}] if ingress else [],
                **({"egress": [{"to": egress}]} if egress else {}),
            },
        }

    return st.tuples(
        st.sampled_from(NAMES),
        st.one_of(st.just({}), pod_labels),
        st.lists(peer, max_size=2),
        st.one_of(st.none(), st.lists(peer, max_size=2)),
    ).map(build)


policy_sets = st.tuples(
    st.lists(st.integers(1, 5), max_size=3, unique=True).flatmap(
        lambda ps: st.tuples(*(admin("AdminNetworkPolicy", f"anp-{p}", p) for p in ps))
    ),
    st.one_of(st.none(), admin("BaselineAdminNetworkPolicy", "default", None)),
    st.lists(st.integers(0, 9), max_size=2, unique=True).flatmap(
        lambda ns: st.tuples(*(network_policy(n) for n in ns))
    ),
).map(lambda t: [*t[0], *([t[1]] if t[1] is not None else []), *t[2]])


# v1alpha2: pods.namespaceSelector may be left out (every namespace); ports are protocols
cnp_selections = st.one_of(
    namespaces.map(lambda n: {"namespaces": n}),
    st.tuples(namespaces, pod_labels).map(
        lambda t: {"pods": {"namespaceSelector": t[0], "podSelector": t[1]}}
    ),
    pod_labels.map(lambda p: {"pods": {"podSelector": p}}),
)
cnp_protocols = st.one_of(
    st.tuples(st.sampled_from(("tcp", "udp")), st.sampled_from((80, 81))).map(
        lambda t: {t[0]: {"destinationPort": {"number": t[1]}}}
    ),
    st.tuples(
        st.sampled_from(("tcp", "udp")), st.sampled_from(((79, 80), (79, 81), (80, 81), (1, 65535)))
    ).map(lambda t: {t[0]: {"destinationPort": {"range": {"start": t[1][0], "end": t[1][1]}}}}),
    st.tuples(st.sampled_from((80, 81)), st.sampled_from(("tcp", "udp"))).map(
        lambda t: {"destinationNamedPort": f"serve-{t[0]}-{t[1]}"}
    ),
)


def cnp_rules(direction: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    peers = cnp_selections
    if direction == "egress":
        peers = st.one_of(cnp_selections, st.just({"networks": ["0.0.0.0/0"]}))
    key = "from" if direction == "ingress" else "to"
    rule = st.fixed_dictionaries(
        {
            "action": st.sampled_from(("Accept", "Deny", "Pass")),
            key: st.lists(peers, min_size=1, max_size=2),
        },
        optional={"protocols": st.lists(cnp_protocols, min_size=1, max_size=2)},
    )
    return st.lists(rule, max_size=2)


def cluster_policy(tier: str, priority: int) -> st.SearchStrategy[dict[str, Any]]:
    def build(parts: tuple[dict[str, Any], list[Any], list[Any]]) -> dict[str, Any]:
        subject, ingress, egress = parts
        spec: dict[str, Any] = {"tier": tier, "priority": priority, "subject": subject}
        for direction, listed in (("ingress", ingress), ("egress", egress)):
            if listed:
                spec[direction] = listed
        return {
            "apiVersion": "policy.networking.k8s.io/v1alpha2",
            "kind": "ClusterNetworkPolicy",
            "metadata": {"name": f"{tier.lower()}-{priority}"},
            "spec": spec,
        }

    return st.tuples(cnp_selections, cnp_rules("ingress"), cnp_rules("egress")).map(build)


def _tier(tier: str, most: int) -> st.SearchStrategy[tuple[dict[str, Any], ...]]:
    return st.lists(st.integers(1, 5), max_size=most, unique=True).flatmap(
        lambda ps: st.tuples(*(cluster_policy(tier, p) for p in ps))
    )


cnp_sets = st.tuples(
    _tier("Admin", 3),
    _tier("Baseline", 2),
    st.lists(st.integers(0, 9), max_size=2, unique=True).flatmap(
        lambda ns: st.tuples(*(network_policy(n) for n in ns))
    ),
).map(lambda t: [*t[0], *t[1], *t[2]])


def _kernel_agrees(documents: list[dict[str, Any]]) -> None:
    """The kernel's answer for ``documents`` on the e2e cluster is the engine's, row by row."""
    reason = system.unavailable()
    if reason is not None:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "policies.yaml").write_text(yaml.safe_dump_all(documents))
        inventory = load_paths([str(FIXTURES / "_cluster"), work])
    assert [str(d) for d in inventory.errors] == []
    try:
        engine = analyse(inventory)
    except PolicyErrors:
        reject()
    run_id = new_run_id()
    with running(inventory, run_id=run_id) as lab:
        comparison = check(lab, engine)
    assert [str(d) for d in comparison.differences] == []
    assert len(comparison.rows) > 0


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(policy_sets)
def test_kernel_agrees_with_engine_on_random_tiers(documents: list[dict[str, Any]]) -> None:
    _kernel_agrees(documents)


@settings(
    max_examples=CNP_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cnp_sets)
def test_kernel_agrees_with_engine_on_random_cluster_policies(
    documents: list[dict[str, Any]],
) -> None:
    _kernel_agrees(documents)
