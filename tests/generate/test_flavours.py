"""``--flavor anp`` and ``--flavor cilium``: the exact files for a small graph, the proof by
each flavour's decider (which catches a broken emitter: nothing is returned or written),
and the CRD's limits on every emitted object.

The expected files are tests/fixtures/generate/small/<flavour>/ (read them as the spec;
refresh after an intended change with ``SOCKLOCK_UPDATE_GOLDEN=1``, then read the diff).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tests.conftest import REPO
from tests.generate.helpers import deployment, graph_of, inventory_of
from tests.generate.small import small_app

import socklock.policy.emit.anp as anp_emitter
import socklock.policy.emit.cilium as cilium_emitter
from socklock.model import K8sObject, YMap, YSeq
from socklock.policy.generate import (
    DnsTarget,
    Flavor,
    GeneratedSet,
    GenerateOptions,
    VerificationError,
    generate,
)

EXPECTED = REPO / "tests" / "fixtures" / "generate" / "small"
UPDATE = os.environ.get("SOCKLOCK_UPDATE_GOLDEN") == "1"
FLAVOURS = {"anp": Flavor.ANP, "cilium": Flavor.CILIUM}


def files_of(generated: GeneratedSet) -> dict[str, str]:
    out = {f.path: f.text for f in generated.files}
    assert generated.verification is not None
    lines = [generated.verification.summary(), *(str(n) for n in generated.notes)]
    out["summary.txt"] = "\n".join(lines) + "\n"
    return out


@pytest.mark.parametrize("name", sorted(FLAVOURS))
def test_small_graph_exact_files(name: str) -> None:
    inventory, graph = small_app()
    generated = generate(inventory, graph, GenerateOptions(flavor=FLAVOURS[name]))
    files = files_of(generated)
    folder = EXPECTED / name
    if UPDATE:
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
        for path, text in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
    expected = {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    assert files == expected


def test_anp_set_is_a_baseline_and_network_policies() -> None:
    inventory, graph = small_app()
    generated = generate(inventory, graph, GenerateOptions(flavor=Flavor.ANP))
    kinds = sorted(
        (p.kind, p.namespace if p.kind == "NetworkPolicy" else "", p.name)
        for p in generated.policies
    )
    assert kinds == [
        ("BaselineAdminNetworkPolicy", "", "default"),
        ("NetworkPolicy", "data", "socklock-db-egress"),
        ("NetworkPolicy", "data", "socklock-db-ingress"),
        ("NetworkPolicy", "shop", "socklock-api-egress"),
        ("NetworkPolicy", "shop", "socklock-api-ingress"),
        ("NetworkPolicy", "shop", "socklock-idle-egress"),
        ("NetworkPolicy", "shop", "socklock-idle-ingress"),
        ("NetworkPolicy", "shop", "socklock-web-egress"),
        ("NetworkPolicy", "shop", "socklock-web-ingress"),
    ]
    assert generated.verification is not None
    assert generated.verification.method == "admin decider"


def test_cilium_set_is_proven_by_the_cilium_decider() -> None:
    inventory, graph = small_app()
    generated = generate(inventory, graph, GenerateOptions(flavor=Flavor.CILIUM))
    assert generated.verification is not None
    assert generated.verification.method == "cilium decider"
    assert {p.kind for p in generated.policies} == {"CiliumNetworkPolicy"}


# -- the proof catches a broken emitter ---------------------------------------------------------


def test_anp_proof_catches_a_missing_ingress_isolation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Broken: the workloads nothing calls get no ingress NetworkPolicy, so the baseline (whose
    ingress peers are pods) is all that guards them: traffic from outside gets in."""
    right = anp_emitter.workload_documents

    def broken(policy: Any) -> list[dict[str, Any]]:
        documents = right(policy)
        return documents if policy.ingress else documents[1:]

    monkeypatch.setattr(anp_emitter, "workload_documents", broken)
    inventory, graph = small_app()
    with pytest.raises(VerificationError) as caught:
        generate(inventory, graph, GenerateOptions(flavor=Flavor.ANP))
    result = caught.value.verification
    assert [str(r) for r in result.excess] == [
        "external:0.0.0.0/0 -> shop/idle 7000/TCP",
        "external:203.0.113.0/24 -> shop/idle 7000/TCP",
        "external:::/0 -> shop/idle 7000/TCP",
    ]
    assert result.missing == ()


def test_anp_proof_checks_the_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DNS, a workload that calls no one has no egress NetworkPolicy: the baseline's
    egress deny is what stops it, and a baseline without its deny rules is caught."""
    inventory, graph = small_app()
    fine = generate(inventory, graph, GenerateOptions(flavor=Flavor.ANP, dns=None))
    assert fine.verification is not None and fine.verification.ok
    assert sorted(p.name for p in fine.policies if p.namespace == "data") == ["socklock-db-ingress"]
    right = anp_emitter.baseline

    def broken(plan: Any) -> dict[str, Any]:
        document = right(plan)
        document["spec"]["ingress"] = []
        document["spec"]["egress"] = [
            r for r in document["spec"]["egress"] if r.value["name"] != "deny-egress"
        ]
        return document

    monkeypatch.setattr(anp_emitter, "baseline", broken)
    with pytest.raises(VerificationError) as caught:
        generate(inventory, graph, GenerateOptions(flavor=Flavor.ANP, dns=None))
    excess = [str(r) for r in caught.value.verification.excess]
    assert [r for r in excess if not r.split(" -> ")[1].startswith("external:")] == [
        "data/db -> shop/web 8080/TCP",
        "shop/idle -> shop/web 8080/TCP",
    ]
    assert "shop/idle -> external:0.0.0.0/0 1-65535/TCP" in excess


def test_cilium_proof_catches_a_lost_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Broken: peers lose their namespace label, so a CNP scopes them to its own namespace:
    the cross-namespace call and DNS are missing."""
    right = cilium_emitter.endpoint_selector

    def broken(peer: Any) -> dict[str, Any]:
        out = right(peer)
        out.get("matchLabels", {}).pop(cilium_emitter.NAMESPACE_LABEL, None)
        return out

    monkeypatch.setattr(cilium_emitter, "endpoint_selector", broken)
    inventory, graph = small_app()
    with pytest.raises(VerificationError) as caught:
        generate(inventory, graph, GenerateOptions(flavor=Flavor.CILIUM))
    result = caught.value.verification
    assert [str(r) for r in result.missing] == [
        "data/db -> kube-system/kube-dns 53/TCP",
        "data/db -> kube-system/kube-dns 53/UDP",
        "shop/api -> data/db 5432/TCP",
        "shop/api -> kube-system/kube-dns 53/TCP",
        "shop/api -> kube-system/kube-dns 53/UDP",
        "shop/idle -> kube-system/kube-dns 53/TCP",
        "shop/idle -> kube-system/kube-dns 53/UDP",
        "shop/web -> kube-system/kube-dns 53/TCP",
        "shop/web -> kube-system/kube-dns 53/UDP",
    ]
    assert result.excess == ()


def test_cilium_proof_catches_a_wider_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Broken: where the named port http is meant, every TCP port is written (the entry
    point, web's egress to api and api's ingress from web): the excess is named."""
    right = cilium_emitter.port_rules

    def broken(ports: Any) -> list[dict[str, Any]]:
        out = right(ports)
        return [{"ports": [{"protocol": "TCP"}]}] if ports[0].name == "http" else out

    monkeypatch.setattr(cilium_emitter, "port_rules", broken)
    inventory, graph = small_app(externals=False)
    with pytest.raises(VerificationError) as caught:
        generate(inventory, graph, GenerateOptions(flavor=Flavor.CILIUM))
    assert [str(r) for r in caught.value.verification.excess] == [
        "external:0.0.0.0/0 -> shop/web 1-8079/TCP",
        "external:0.0.0.0/0 -> shop/web 8081-65535/TCP",
        "external:::/0 -> shop/web 1-8079/TCP",
        "external:::/0 -> shop/web 8081-65535/TCP",
        "kube-system/kube-dns -> shop/web 1-8079/TCP",
        "kube-system/kube-dns -> shop/web 8081-65535/TCP",
        "shop/web -> shop/api 1-8079/TCP",
        "shop/web -> shop/api 8081-9089/TCP",
        "shop/web -> shop/api 9090/TCP",
        "shop/web -> shop/api 9091-65535/TCP",
    ]


# -- what the CRDs accept -----------------------------------------------------------------------

LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS_1123_SUBDOMAIN = re.compile(rf"^{LABEL}(\.{LABEL})*$")


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, YMap | dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, YSeq | list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def crd_problems(policy: K8sObject) -> list[str]:
    """What the CRD (or the API server, for names) would refuse in ``policy``."""
    problems: list[str] = []
    if len(policy.name) > 253 or not DNS_1123_SUBDOMAIN.match(policy.name):
        problems.append(f"{policy.name}: not a DNS-1123 subdomain")
    spec = policy.body["spec"]
    if policy.kind == "BaselineAdminNetworkPolicy":
        if policy.name != "default":
            problems.append(f"{policy.name}: a BANP must be named default")
        for direction, peers in (("ingress", "from"), ("egress", "to")):
            rules = spec.get(direction) or []
            if len(rules) > 100:
                problems.append(f"{direction}: {len(rules)} rules")
            for rule in rules:
                if len(rule["name"]) > 100:
                    problems.append(f"rule name {rule['name']} over 100 characters")
                if not 1 <= len(rule[peers]) <= 100 or len(rule.get("ports") or []) > 100:
                    problems.append(f"rule {rule['name']}: peers or ports over 100")
                for peer in rule[peers]:
                    if len(peer.get("networks") or []) > 25:
                        problems.append(f"rule {rule['name']}: over 25 networks")
    if policy.kind == "CiliumNetworkPolicy":
        for path, node in _walk(spec):
            if path.endswith(".ports") and isinstance(node, YSeq) and len(node) > 40:
                problems.append(f"{path}: {len(node)} ports (maxItems 40)")
            if isinstance(node, YMap) and "port" in node and not isinstance(node["port"], str):
                problems.append(f"{path}.port: not a string")
    return problems


def test_wide_sets_are_split_within_the_crd_limits(tmp_path: Any) -> None:
    """A callee declaring 45 ports called on an unknown port (every declared port allowed),
    100+2 DNS ports, a 240-character workload name: each flavour's objects stay valid."""
    many = tuple((9000 + i, None, "TCP") for i in range(45))
    long_name = "w" * 240
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "wide", ports=many),
            deployment("a", long_name, {"app": "long"}, ports=((8080, None, "TCP"),)),
        ],
    )
    graph = graph_of([(f"a/{long_name}", "a/wide", None)])
    dns = DnsTarget(ports=tuple((53 + i, "UDP") for i in range(102)))
    for flavor in (Flavor.ANP, Flavor.CILIUM):
        generated = generate(inventory, graph, GenerateOptions(flavor=flavor, dns=dns))
        assert generated.verification is not None and generated.verification.ok
        assert [p for policy in generated.policies for p in crd_problems(policy)] == []
        long_names = sorted(len(p.name) for p in generated.policies if "wwww" in p.name)
        # socklock-<240>-ingress/-egress: 257 and 256 characters, cut to 253 with a hash
        assert long_names == ([253, 253] if flavor is Flavor.ANP else [249])
    banp = next(
        p
        for p in generate(inventory, graph, GenerateOptions(flavor=Flavor.ANP, dns=dns)).policies
        if p.kind == "BaselineAdminNetworkPolicy"
    )
    assert [(r["name"], len(r.get("ports") or [])) for r in banp.body["spec"]["egress"]] == [
        ("allow-cluster-dns-1", 100),
        ("allow-cluster-dns-2", 2),
        ("deny-egress", 0),
    ]
    cnp = next(
        p
        for p in generate(inventory, graph, GenerateOptions(flavor=Flavor.CILIUM, dns=dns)).policies
        if p.name == "socklock-wide"
    )
    assert [len(entry["ports"]) for entry in cnp.body["spec"]["ingress"][0]["toPorts"]] == [40, 5]


def test_cilium_refuses_an_external_name_with_its_reason() -> None:
    inventory, graph = small_app()
    generated = generate(inventory, graph, GenerateOptions(flavor=Flavor.CILIUM))
    assert [str(n) for n in generated.notes] == [
        "test.yaml:1:1: warning: shop/api -> external:payments.example.com: not allowed: "
        "payments.example.com is a DNS name: toFQDNs needs Cilium's DNS proxy (an L7 dns rule) "
        "and the DNS answers, which the proof cannot see (the decider is L3/L4); give its "
        "address range to allow it"
    ]
    assert "toFQDNs:" not in "".join(f.text for f in generated.files)
    assert "rules:" not in "".join(f.text for f in generated.files)  # no L7 rule, DNS included


def test_the_cilium_decider_refuses_more_than_40_ports_in_a_port_rule(tmp_path: Any) -> None:
    """The CRD's maxItems, checked where the policies are read: an emitter that did not split
    would have its set refused rather than proven."""
    from socklock.policy.cilium import analyse_cilium
    from socklock.policy.emit import parse_objects
    from socklock.policy.result import PolicyErrors

    ports = "".join(f"\n            - {{port: '{9000 + i}', protocol: TCP}}" for i in range(41))
    text = f"""apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {{name: wide, namespace: a}}
spec:
  endpointSelector: {{matchLabels: {{app: wide}}}}
  ingress:
    - toPorts:
        - ports:{ports}
"""
    inventory = inventory_of(tmp_path, [deployment("a", "wide")])
    with pytest.raises(PolicyErrors) as caught:
        analyse_cilium(inventory, parse_objects(text, "wide.yaml"))
    assert caught.value.diagnostics() == (
        "wide.yaml:8:11: error: CiliumNetworkPolicy a/wide: spec.ingress[0].toPorts[0].ports: "
        "at most 40 ports, not 41 (the CRD's maxItems)"
    )


def test_demo_rows_are_the_same_in_every_flavour() -> None:
    """The demo shop (``make demo``'s input) in the four plan flavours, each decided by its
    own decider over the proof's inventory: the same 43 rows allowed (14 calls, DNS for 13
    workloads, the entry point from outside and from the DNS pod) and the same 269 denied."""
    from socklock.discover import discover
    from socklock.load import load_paths
    from socklock.policy.emit.table import decide
    from socklock.policy.generate.verify import externals_for, proof_inventory

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        inventory = load_paths(["examples/sockshop"])
        graph = discover(inventory, code=False)
    finally:
        os.chdir(cwd)
    tables = {}
    for flavor in (Flavor.KUBERNETES, Flavor.CALICO, Flavor.ANP, Flavor.CILIUM):
        options = GenerateOptions(flavor=flavor)
        generated = generate(inventory, graph, options)
        assert generated.verification is not None
        assert generated.verification.summary() == (
            "verified: 43 connections allowed, 0 missing, 0 excess"
        )
        assert generated.intent is not None
        proof, added = proof_inventory(inventory, options.dns, None)
        assert added == ("kube-system/kube-dns",)
        decision = decide(proof, generated.policies, externals_for(generated.intent), options)
        scope = set(generated.intent.scope)
        tables[flavor] = {
            (c.source, c.target, c.port, c.end_port, c.protocol.value, c.verdict.value)
            for c in decision.reach.connections(include_denied=True)
            if c.source in scope or c.target in scope
        }
    verdicts = [row[-1] for row in tables[Flavor.ANP]]
    assert (verdicts.count("allowed"), verdicts.count("denied"), len(verdicts)) == (43, 269, 312)
    assert tables[Flavor.ANP] == tables[Flavor.KUBERNETES]
    assert tables[Flavor.CILIUM] == tables[Flavor.KUBERNETES]
    assert tables[Flavor.CALICO] == tables[Flavor.KUBERNETES]
