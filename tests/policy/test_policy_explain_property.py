"""explain agrees with the connectivity table on random clusters and policies (hypothesis),
for the Kubernetes decider and for the Calico decider.

Every row of the table (``iter_rows(include_denied=True)``: workload to workload on the ports
the decider lists, external endpoints to workloads, workloads to external endpoints as
ranges) is explained at its first and last port: the explanation carries the row's verdict;
ALLOWED exactly when every side it shows allows (distinct pods: a bare Pod reaches itself
whatever its sides say); an allowed isolated side names a rule that admits; a Calico side
that denies a pod names the rule that denied or none matched. Pods have IPs, and rules
ipBlocks (nets), so the partial cases come up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.policy.test_policy_nca import NAMESPACES, _manifests, pods, policies

from socklock.load import load_paths
from socklock.policy import PolicyErrors, Verdict, analyse, explain
from socklock.policy.calico_model import API_VERSION, CalicoErrors, analyse_calico
from socklock.policy.table import iter_rows
from socklock.policy.trace import Tracer

blocks = st.sampled_from(["10.0.0.0/24", "10.0.0.0/31", "0.0.0.0/0", "192.168.0.0/16"])
EXTERNALS = ("external:0.0.0.0/0", "external:10.0.0.0/24", "external:192.168.1.0/24")


def _with_ips(docs: list[Any], ips: list[bool], block_rules: list[tuple[int, str]]) -> list[Any]:
    """Give some pods the IP 10.0.0.<n>, and add an ipBlock peer to some policy rules."""
    pod_index = 0
    policy_index = 0
    for doc in docs:
        if doc["kind"] == "Pod":
            if ips[pod_index % len(ips)]:
                doc["status"] = {"podIP": f"10.0.0.{pod_index + 1}"}
            pod_index += 1
        elif doc["kind"] == "NetworkPolicy":
            for which, cidr in block_rules:
                if which != policy_index:
                    continue
                for direction, key in (("ingress", "from"), ("egress", "to")):
                    for rule in doc["spec"].get(direction, []):
                        if key in rule:
                            rule[key] = [*rule[key], {"ipBlock": {"cidr": cidr}}]
            policy_index += 1
    return docs


def _write(directory: Path, docs: list[Any]) -> None:
    text = "---\n".join(yaml.safe_dump(d, sort_keys=False) for d in docs)
    (directory / "all.yaml").write_text(text)


def _check(decider: Tracer) -> None:
    """Every row of the table, explained at its first and last port, has the row's verdict;
    the sides agree with it."""
    single = {e.id for e in decider.cluster.endpoints if e.single_pod}
    rows = list(iter_rows(decider, include_denied=True))
    assert rows, "the table lists something"
    for source, target, low, protocol, verdict, end in rows:
        for port in {low, end or low}:
            explanation = explain(decider, source, target, port, protocol)
            where = f"{source} -> {target} {port}/{protocol}"
            assert explanation.verdict is verdict, where
            if source == target and source in single:
                continue  # a bare Pod reaches itself whatever its sides say
            sides = [s for s in (explanation.egress, explanation.ingress) if s is not None]
            if verdict is Verdict.ALLOWED:
                assert all(s.allowed for s in sides), where
            else:
                assert not all(s.allowed for s in sides), where
            for side in sides:
                if side.allowed and side.isolated:
                    assert side.admitting, where


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(pods, min_size=2, max_size=4),
    st.lists(policies, min_size=1, max_size=3),
    st.lists(st.booleans(), min_size=1, max_size=4),
    st.lists(st.tuples(st.integers(0, 2), blocks), max_size=2),
)
def test_explain_agrees_with_the_kubernetes_table(
    tmp_path_factory: Any,
    pod_list: list[dict[str, Any]],
    policy_list: list[dict[str, Any]],
    ips: list[bool],
    block_rules: list[tuple[int, str]],
) -> None:
    directory: Path = tmp_path_factory.mktemp("explain")
    _write(directory, _with_ips(_manifests(pod_list, policy_list), ips, block_rules))
    try:
        connectivity = analyse(load_paths([str(directory)]), externals=EXTERNALS)
    except PolicyErrors:
        return
    _check(connectivity)


# -- Calico ----------------------------------------------------------------------------------

calico_selectors = st.sampled_from(
    ["all()", "app == 'web'", "app in {'api', 'db'}", "has(tier)", "!has(tier)", "app != 'db'"]
)
calico_namespace_selectors = st.sampled_from(["env == 'prod'", "env == 'dev'", "all()"])
calico_ports = st.sampled_from([[80], [81], ["http"], ["80:443"], ["admin", 443]])
calico_entities = st.fixed_dictionaries(
    {},
    optional={
        "selector": calico_selectors,
        "namespaceSelector": calico_namespace_selectors,
        "nets": st.lists(blocks, min_size=1, max_size=2),
        "notNets": st.just(["10.0.0.0/31"]),
    },
)
calico_rules = st.fixed_dictionaries(
    {"action": st.sampled_from(["Allow", "Deny", "Pass", "Log"])},
    optional={
        "protocol": st.sampled_from(["TCP", "UDP"]),
        "peer": calico_entities,
        "ports": calico_ports,
        "notPorts": st.just([81]),
    },
)
calico_policies = st.fixed_dictionaries(
    {
        "global": st.booleans(),
        "namespace": st.sampled_from(list(NAMESPACES)),
        "order": st.sampled_from([None, 10, 100]),
        "selector": calico_selectors,
        "types": st.sampled_from([None, ["Ingress"], ["Egress"], ["Ingress", "Egress"]]),
        "ingress": st.lists(calico_rules, max_size=3),
        "egress": st.lists(calico_rules, max_size=3),
    }
)


def _calico_rule(rule: dict[str, Any], direction: str) -> dict[str, Any]:
    out: dict[str, Any] = {"action": rule["action"]}
    if "protocol" in rule:
        out["protocol"] = rule["protocol"]
    destination: dict[str, Any] = {}
    for key in ("ports", "notPorts"):
        if key in rule:
            destination[key] = rule[key]
    peer = rule.get("peer")
    if peer:
        if direction == "ingress":
            out["source"] = peer
        else:
            destination.update(peer)
    if destination:
        out["destination"] = destination
    return out


def _calico_manifests(
    pod_list: list[dict[str, Any]], policy_list: list[dict[str, Any]], ips: list[bool]
) -> list[Any]:
    return _with_ips(_manifests(pod_list, []), ips, []) + calico_documents(policy_list)


def calico_documents(policy_list: list[dict[str, Any]]) -> list[Any]:
    """The Calico policies as YAML documents."""
    docs: list[Any] = []
    for i, policy in enumerate(policy_list):
        spec: dict[str, Any] = {"selector": policy["selector"]}
        if policy["order"] is not None:
            spec["order"] = policy["order"]
        if policy["types"] is not None:
            spec["types"] = policy["types"]
        for direction in ("ingress", "egress"):
            if policy[direction]:
                spec[direction] = [_calico_rule(r, direction) for r in policy[direction]]
        metadata: dict[str, Any] = {"name": f"cp{i}"}
        if not policy["global"]:
            metadata["namespace"] = policy["namespace"]
        kind = "GlobalNetworkPolicy" if policy["global"] else "NetworkPolicy"
        docs.append({"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, "spec": spec})
    return docs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(pods, min_size=2, max_size=4),
    st.lists(calico_policies, min_size=1, max_size=3),
    st.lists(st.booleans(), min_size=1, max_size=4),
    st.booleans(),
)
def test_explain_agrees_with_the_calico_table(
    tmp_path_factory: Any,
    pod_list: list[dict[str, Any]],
    policy_list: list[dict[str, Any]],
    ips: list[bool],
    log_as_deny: bool,
) -> None:
    directory: Path = tmp_path_factory.mktemp("explain-calico")
    _write(directory, _calico_manifests(pod_list, policy_list, ips))
    inventory = load_paths([str(directory)])
    calico = [o for o in inventory.objects if o.api_version == API_VERSION]
    assert len(calico) == len(policy_list)
    try:
        model = analyse_calico(inventory, calico, externals=EXTERNALS, log_as_deny=log_as_deny)
    except CalicoErrors:
        return
    _check(model)
    # the deciding rule: a Calico side that denies a pod (bare Pods: one class each) names no
    # admitting rule; the rule that denied it, if any (else the end of the tier denied)
    for row in iter_rows(model, include_denied=True):
        source, target, port, protocol, verdict, _ = row
        if verdict is not Verdict.DENIED or source.startswith("external:"):
            continue
        if target.startswith("external:"):
            continue
        explanation = explain(model, source, target, port, protocol)
        for side in (explanation.egress, explanation.ingress):
            assert side is not None
            if side.isolated and not side.allowed:
                assert not side.admitting, (row, side)
