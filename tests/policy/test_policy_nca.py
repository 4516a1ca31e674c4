"""Property tests against network-config-analyzer 2.1.0 (its own venv: ``make nca``).

Random small clusters and policies are written as YAML; socklock and ``nca --connectivity``
must agree on every ordered pair of distinct pods, on every probe port and protocol.
Disagreements were decided from the API reference and recorded as conformance scenarios
(tests/fixtures/policy/); where nca departs from the reference, the generator avoids that
corner (see KNOWN_DIVERGENCES) rather than copy nca's answer.

Small by default; ``SOCKLOCK_NCA_EXAMPLES=200`` (make bench) runs the full size.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.conftest import REPO

from socklock.load import load_paths
from socklock.policy import analyse

NCA = REPO / ".venv-nca" / "bin" / "nca"
EXAMPLES = int(os.environ.get("SOCKLOCK_NCA_EXAMPLES", "6"))
PROBES = [(p, proto) for p in (79, 80, 81, 443, 8080) for proto in ("TCP", "UDP", "SCTP")]
KNOWN_DIVERGENCES = """
- `egress: []` with no policyTypes: Kubernetes defaults policyTypes to [Ingress] (egress is
  added only when len(spec.egress) != 0: pkg/apis/networking/v1/defaults.go); nca makes the
  pods egress-isolated. socklock follows Kubernetes: scenario 32-empty-egress-list-defaults-
  to-ingress. The generator writes no `egress: []` without policyTypes.
- rules for a direction that policyTypes leaves out: the API server accepts them and they
  have no effect (scenarios 30 and 31); nca refuses the whole input ("A NetworkPolicy with
  egress field but no \"Egress\" in its policyTypes"). The generator writes no such rules.
- a peer with a namespaceSelector and a podSelector with an `Exists` requirement: the
  podSelector is "within the namespaces selected by namespaceSelector" (NetworkPolicyPeer);
  nca matches only pods of the policy's own namespace (found by this test: a pod of n2
  with the label was denied, with `Exists` alone and with `Exists` beside `In`; `In`,
  `NotIn` and `matchLabels` are read right). socklock follows the reference: scenario
  68-exists-pod-selector-in-every-namespace. The generator writes such a peer's `Exists`
  on `tier` as `In [t]`, which selects the same pods here (every `tier` label is "t").
"""

TIER_EXISTS = {"key": "tier", "operator": "Exists"}
TIER_IS_T = {"key": "tier", "operator": "In", "values": ["t"]}


def _avoid_peer_divergence(peer: dict[str, Any]) -> dict[str, Any]:
    expressions = peer.get("podSelector", {}).get("matchExpressions", [])
    if "namespaceSelector" in peer and TIER_EXISTS in expressions:
        rewritten = [TIER_IS_T if e == TIER_EXISTS else e for e in expressions]
        return {**peer, "podSelector": {"matchExpressions": rewritten}}
    return peer


def _avoid_divergences(policy: dict[str, Any]) -> dict[str, Any]:
    types = policy["types"]
    if types is None and policy["egress"] == []:
        policy = {**policy, "egress": None}
    if types is not None:
        for direction, name in (("ingress", "Ingress"), ("egress", "Egress")):
            if name not in types:
                policy = {**policy, direction: None}
    return policy


pytestmark = [
    pytest.mark.nca,
    pytest.mark.skipif(not NCA.exists(), reason=f"{NCA} is absent: run `make nca`"),
]

NAMESPACES = {"n1": {"env": "prod"}, "n2": {"env": "dev"}}
APPS = ("web", "api", "db")
# (number, protocol, name): "http" is 80 on some pods and 8080 on others.
PORT_CHOICES = [
    (80, "TCP", "http"),
    (8080, "TCP", "http"),
    (81, "TCP", "admin"),
    (80, "UDP", "dns"),
    (443, "TCP", None),
]

selectors = st.one_of(
    st.just({}),
    st.sampled_from(APPS).map(lambda a: {"matchLabels": {"app": a}}),
    st.lists(st.sampled_from(APPS), min_size=1, max_size=2, unique=True).map(
        lambda v: {"matchExpressions": [{"key": "app", "operator": "In", "values": v}]}
    ),
    st.sampled_from(APPS).map(
        lambda a: {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": [a]}]}
    ),
    st.just({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}),
)
ns_selectors = st.one_of(
    st.just({}),
    st.sampled_from(["prod", "dev"]).map(lambda e: {"matchLabels": {"env": e}}),
)
peers = st.one_of(
    selectors.map(lambda s: {"podSelector": s}),
    ns_selectors.map(lambda s: {"namespaceSelector": s}),
    st.tuples(selectors, ns_selectors).map(
        lambda t: _avoid_peer_divergence({"podSelector": t[0], "namespaceSelector": t[1]})
    ),
)
ports = st.sampled_from(
    [
        {"port": 80},
        {"port": 81},
        {"port": "http"},
        {"port": "admin"},
        {"protocol": "UDP", "port": 80},
        {"protocol": "UDP", "port": "dns"},
        {"port": 80, "endPort": 443},
        {"protocol": "UDP"},
    ]
)
rules = st.fixed_dictionaries(
    {},
    optional={
        "peers": st.lists(peers, min_size=1, max_size=2),
        "ports": st.lists(ports, min_size=1, max_size=2),
    },
)
policies = st.fixed_dictionaries(
    {
        "namespace": st.sampled_from(list(NAMESPACES)),
        "podSelector": selectors,
        "types": st.sampled_from([None, ["Ingress"], ["Egress"], ["Ingress", "Egress"]]),
        "ingress": st.none() | st.lists(rules, max_size=2),
        "egress": st.none() | st.lists(rules, max_size=2),
    }
).map(lambda p: _avoid_divergences(p))
pods = st.fixed_dictionaries(
    {
        "namespace": st.sampled_from(list(NAMESPACES)),
        "app": st.sampled_from(APPS),
        "tier": st.booleans(),
        "ports": st.lists(st.sampled_from(range(len(PORT_CHOICES))), max_size=3, unique=True),
    }
)


def _manifests(pod_list: list[dict[str, Any]], policy_list: list[dict[str, Any]]) -> list[Any]:
    docs: list[Any] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n, "labels": labels}}
        for n, labels in NAMESPACES.items()
    ]
    for i, pod in enumerate(pod_list):
        container_ports = []
        names: set[str] = set()
        for index in pod["ports"]:
            number, protocol, name = PORT_CHOICES[index]
            entry: dict[str, Any] = {"containerPort": number, "protocol": protocol}
            if name and name not in names:
                entry["name"] = name
                names.add(name)
            container_ports.append(entry)
        labels = {"app": pod["app"]} | ({"tier": "t"} if pod["tier"] else {})
        docs.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"p{i}", "namespace": pod["namespace"], "labels": labels},
                "spec": {"containers": [{"name": "c", "image": "i", "ports": container_ports}]},
            }
        )
    for i, policy in enumerate(policy_list):
        spec: dict[str, Any] = {"podSelector": policy["podSelector"]}
        if policy["types"] is not None:
            spec["policyTypes"] = policy["types"]
        for direction, peer_key in (("ingress", "from"), ("egress", "to")):
            if policy[direction] is None:
                continue
            spec[direction] = [
                {
                    **({peer_key: rule["peers"]} if "peers" in rule else {}),
                    **({"ports": rule["ports"]} if "ports" in rule else {}),
                }
                for rule in policy[direction]
            ]
        docs.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": {"name": f"np{i}", "namespace": policy["namespace"]},
                "spec": spec,
            }
        )
    return docs


_CONNECTION = re.compile(
    r"\{protocols:((?:TCP|UDP|SCTP)(?:, ?(?:TCP|UDP|SCTP))*)(?:,dst_ports:([\d,\-]+))?\}"
)


def _parse_nca(text: str) -> set[tuple[str, str, int, str]]:
    """(source, target, port, protocol) for the probe ports, from txt_no_fw_rules output."""
    allowed: set[tuple[str, str, int, str]] = set()
    for line in text.splitlines():
        match = re.match(r"^(\S+)\[Pod\] => (\S+)\[Pod\] : (.*)$", line.strip())
        if not match:
            continue
        source, target, what = match.groups()
        if what.strip() == "All connections":
            allowed.update((source, target, p, proto) for p, proto in PROBES)
            continue
        found = _CONNECTION.findall(what)
        assert found, f"cannot read nca's {what!r}"
        for protocols, port_text in found:
            for proto in (name.strip() for name in protocols.split(",")):
                for p, probe_proto in PROBES:
                    if probe_proto != proto:
                        continue
                    if not port_text or any(
                        int(r.split("-")[0]) <= p <= int(r.split("-")[-1])
                        for r in port_text.split(",")
                    ):
                        allowed.add((source, target, p, proto))
    return allowed


def _nca(directory: Path) -> set[tuple[str, str, int, str]]:
    out = directory / "nca.txt"
    command = [str(NCA), "--connectivity", "-r", f"{directory}/", "-o", "txt_no_fw_rules"]
    # nca's exit status counts its findings and warnings; the output file is the answer.
    done = subprocess.run(
        [*command, "-f", str(out), "--return_0"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and out.exists(), done.stderr
    return _parse_nca(out.read_text())


def _socklock(directory: Path, names: list[str]) -> set[tuple[str, str, int, str]]:
    connectivity = analyse(load_paths([str(directory / "cluster.yaml")]))
    return {
        (s, t, p, proto)
        for s in names
        for t in names
        if s != t
        for p, proto in PROBES
        if connectivity.allowed(s, t, p, proto)
    }


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


@settings(
    max_examples=EXAMPLES,
    # make test draws the same small sample each run (CI must not fail on a new draw of a
    # peer's bug); make bench explores afresh at the full size
    derandomize="SOCKLOCK_NCA_EXAMPLES" not in os.environ,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example runs nca: no shrinking
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(pods, min_size=2, max_size=4), st.lists(policies, min_size=1, max_size=3))
def test_agrees_with_network_config_analyzer(
    pod_list: list[dict[str, Any]], policy_list: list[dict[str, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        docs = _manifests(pod_list, policy_list)
        # no anchors/aliases for objects the strategies share (a selector reused as a peer):
        # nca mis-reads aliased selectors, the flaky disagreement seen once in ten runs
        text = yaml.dump_all(docs, Dumper=_NoAliases, sort_keys=False)
        (directory / "cluster.yaml").write_text(text)
        names = [f"{p['namespace']}/p{i}" for i, p in enumerate(pod_list)]
        ours = _socklock(directory, names)
        theirs = _nca(directory)
        assert sorted(ours - theirs) == [] and sorted(theirs - ours) == [], (
            directory / "cluster.yaml"
        ).read_text()


def test_nca_output_is_read() -> None:
    text = (
        "n1/p0[Pod] => n1/p1[Pod] : All connections\n"
        "n1/p1[Pod] => n1/p0[Pod] : {protocols:TCP,UDP,dst_ports:80-81,443}\n"
        "n1/p1[Pod] => n2/p2[Pod] : {protocols:SCTP}\n"
        "0.0.0.0-255.255.255.255 => n1/p0[Pod] : All connections\n"
    )
    found = _parse_nca(text)
    assert ("n1/p1", "n1/p0", 81, "UDP") in found
    assert ("n1/p1", "n1/p0", 8080, "TCP") not in found
    assert {(p, proto) for s, t, p, proto in found if t == "n2/p2"} == {
        (p, "SCTP") for p in (79, 80, 81, 443, 8080)
    }
    assert len(found) == len(PROBES) + 2 * 3 + 5
