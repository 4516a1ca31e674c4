"""The library's questions: connections with externals and ranges, isolation findings,
explain, diff, equivalent, contains, redundant, and the policies= override."""

from __future__ import annotations

from pathlib import Path

from tests.policy.truth import FIXTURES

from socklock.load import load_paths
from socklock.model import Inventory, Protocol, Severity
from socklock.policy import (
    Connection,
    PolicyErrors,
    Verdict,
    analyse,
    contains,
    diff,
    equivalent,
    explain,
    redundant,
    unprotected,
)
from socklock.policy.findings import iter_unprotected, unprotected_count

CLUSTER = str(FIXTURES / "_cluster")


def inventory(*scenarios: str) -> Inventory:
    return load_paths([CLUSTER, *(str(FIXTURES / s) for s in scenarios)])


def policies_of(name: str) -> list:  # type: ignore[type-arg]
    return list(load_paths([str(FIXTURES / name)]).network_policies)


def test_policies_override_checks_another_set_on_the_same_workloads() -> None:
    base = inventory("02-deny-all-ingress-namespace")
    assert not analyse(base).allowed("y/a", "x/a", 80)
    replaced = analyse(base, policies=policies_of("05-podselector-alone-own-namespace"))
    assert replaced.allowed("y/a", "x/b", 80) and not replaced.allowed("y/a", "x/a", 80)
    assert analyse(base, policies=[]).allowed("y/a", "x/a", 80)


def test_invalid_policies_refuse_through_the_override_too() -> None:
    try:
        analyse(inventory(), policies=policies_of("45-error-invalid-ports"))
    except PolicyErrors as refused:
        assert len(refused.errors) == 8
        assert refused.errors[0].message.startswith("NetworkPolicy x/bad-ports: spec.ingress")
    else:
        raise AssertionError("analyse answered with invalid policies")


def test_connections_with_ranges_and_externals() -> None:
    connectivity = analyse(inventory("26-endport-udp-mentioned-ports"))
    into_a = [
        c for c in connectivity.connections(include_denied=True)
        if c.target == "x/a" and c.source == "x/b" and c.protocol is Protocol.UDP
    ]  # fmt: skip
    # Declared 80 and 81, then the mentioned range 79-80 less the declared 80: 79.
    assert [(c.port, c.end_port, c.verdict) for c in into_a] == [
        (79, None, Verdict.ALLOWED),
        (80, None, Verdict.ALLOWED),
        (81, None, Verdict.DENIED),
    ]
    connectivity = analyse(inventory("37-ipblock-v6-egress"))
    assert connectivity.externals == (
        "external:::/0",
        "external:fd00:1::/32",
        "external:fd00::/8",
    )
    out = [c for c in connectivity.connections() if c.source == "x/a" and c.target.startswith("e")]
    assert out == [  # the hole fd00:1::/32 is denied, so it is not listed
        Connection("x/a", "external:::/0", 443, Protocol.TCP, Verdict.PARTIAL),
        Connection("x/a", "external:fd00::/8", 443, Protocol.TCP, Verdict.PARTIAL),
    ]


def test_isolation_findings() -> None:
    findings = unprotected(analyse(inventory("40-pod-reaches-itself")))
    assert [f.key for f in findings] == [
        f"SLK209:{ns}/{p}:ingress+egress" for ns in "yz" for p in "abc"
    ]
    assert {f.severity for f in findings} == {Severity.HIGH}
    findings = unprotected(analyse(inventory("02-deny-all-ingress-namespace")))
    x_a = next(f for f in findings if f.key.startswith("SLK209:x/a:"))
    assert (x_a.key, x_a.severity, x_a.location.line) == (
        "SLK209:x/a:egress",
        Severity.MEDIUM,
        26,
    )


def test_unprotected_one_at_a_time_and_counted() -> None:
    for name, count in (("40-pod-reaches-itself", 6), ("02-deny-all-ingress-namespace", 9)):
        connectivity = analyse(inventory(name))
        every = unprotected(connectivity)
        assert (len(every), unprotected_count(connectivity)) == (count, count)
        assert tuple(iter_unprotected(connectivity)) == every


def test_explain_partial_and_self() -> None:
    connectivity = analyse(load_paths([str(FIXTURES / "42-owner-references")]))
    why = explain(connectivity, "shop/client", "shop/front-end", 8079)
    assert why.verdict is Verdict.PARTIAL
    assert why.ingress is not None and not why.ingress.allowed
    assert [r.policy for r in why.ingress.admitting] == ["shop/front-end-v2"]
    assert why.ingress.reason == "admitted for some pods or addresses only, by 1 rule(s)"
    why = explain(connectivity, "shop/client", "shop/client", 8079)
    assert why.note == (
        "between two distinct pods of shop/client: subject to policy (a pod always reaches itself)"
    )
    solo = analyse(inventory("40-pod-reaches-itself"))
    assert explain(solo, "x/a", "x/a", 80).note == "a pod always reaches itself"


def test_diff_equivalent_contains() -> None:
    base = inventory()
    tcp80 = analyse(base, policies_of("16-port-default-protocol-tcp"))
    named = analyse(base, policies_of("20-named-port-ingress"))
    both = analyse(base, policies_of("25-endport-range"))
    assert equivalent(tcp80, named) and diff(tcp80, named).changes == ()
    assert contains(both, tcp80) and not contains(tcp80, both)
    changes = diff(tcp80, both)
    assert [str(c) for c in changes.added if c.source == "x/b"] == [
        "x/b -> x/a 81/TCP: denied -> allowed"
    ]
    assert changes.removed == ()
    assert len(diff(both, tcp80).removed) == len(changes.added) == 10


def test_redundant() -> None:
    found = redundant(inventory("04-allow-all-rule"))
    assert [(r.policy, r.rule) for r in found] == [("x/deny-ingress", None)]
    found = redundant(inventory("34-policies-are-a-union"))
    assert found == ()
    # A rule that repeats another is redundant alone (and so is its twin).
    doubled = policies_of("16-port-default-protocol-tcp") + policies_of(
        "49-rule-without-from-admits-externals"
    )
    found = redundant(inventory(), doubled)
    assert [(r.policy, r.rule) for r in found] == [
        ("x/a-80-from-anyone", None),
        ("x/a-on-80", None),
    ]


def test_cost_follows_classes_not_pods() -> None:
    """Replicas dumped as Pods (ownerReferences) join their Deployment's one class."""
    import dataclasses

    base = load_paths([str(FIXTURES / "41-replicas-are-distinct-pods")])
    web = next(w for w in base.workloads if w.name == "web")
    for count in (3, 300):
        pods = tuple(
            dataclasses.replace(
                web, obj=dataclasses.replace(web.obj, kind="Pod", name=f"web-{i}"),
                owner=("Deployment", "web"),
            )
            for i in range(count)
        )  # fmt: skip
        connectivity = analyse(dataclasses.replace(base, workloads=base.workloads + pods))
        assert len(connectivity.cluster.classes) == 3  # web, client, solo
        assert connectivity.endpoints == ("w/client", "w/solo", "w/web")
        assert not connectivity.allowed("w/web", "w/web", 80)
        assert connectivity.allowed("w/client", "w/web", 80)


def test_intent_with_external_endpoints() -> None:
    from socklock.model import EntryPoint, ServiceGraph
    from socklock.model.graph import Edge
    from socklock.policy.intent import check_intent, graph_externals

    graph = ServiceGraph(
        edges=(
            Edge("x/a", "external:api.example.com", 443, "TCP"),
            Edge("x/a", "x/b", 53, "UDP"),
        ),
        entry_points=(EntryPoint("x/a", 80, "TCP"),),
    )
    assert graph_externals(graph) == ["external:0.0.0.0/0", "external:api.example.com"]
    connectivity = analyse(inventory("50-egress-rule-without-to"), externals=graph_externals(graph))
    check = check_intent(connectivity, graph)
    # x/a may send only 53/UDP: the call to the API on 443 is missing; x/b serves no 53 but
    # the policy allows it, so it is not missing. Ingress is open: the entry point is fine.
    assert [(m.source, m.target, m.port) for m in check.missing] == [
        ("x/a", "external:api.example.com", 443)
    ]
    excess_from_a = sorted(
        (e.target, e.port, e.end_port, e.protocol.value) for e in check.excess if e.source == "x/a"
    )
    # 53/UDP is allowed everywhere but needed only to x/b (x/a -> x/a is a pod to itself).
    assert excess_from_a == [
        ("external:0.0.0.0/0", 53, None, "UDP"),
        ("external:api.example.com", 53, None, "UDP"),
        *(
            (f"{ns}/{p}", 53, None, "UDP")
            for ns in "xyz"
            for p in "abc"
            if ns + p not in ("xa", "xb")
        ),
    ]


def with_ips(*scenarios: str) -> Inventory:
    return load_paths([str(FIXTURES / "_cluster-ips"), *(str(FIXTURES / s) for s in scenarios)])


def test_explain_a_pod_matched_through_some_of_its_ips() -> None:
    """An ipBlock holding only a dual-stack pod's IPv4 admits it over IPv4 only."""
    connectivity = analyse(with_ips("38-ipblock-matches-pod-ips"))
    why = explain(connectivity, "y/a", "x/a", 80)
    assert why.verdict is Verdict.PARTIAL
    assert why.ingress is not None and not why.ingress.allowed
    assert why.ingress.reason == (
        "admitted for some pods or addresses only, by 1 rule(s); partially: only through 10.0.1.1"
    )
    # Egress: the ipBlock matches the destination's IPs.
    connectivity = analyse(with_ips("39-ipblock-matches-pod-ipv6"))
    why = explain(connectivity, "x/a", "z/b", 80)
    assert why.verdict is Verdict.PARTIAL
    assert why.egress is not None and not why.egress.allowed
    assert why.egress.reason.endswith("; partially: only through fd00:0:0:2::2")
    # Two rules, one per family, add up to the whole pod.
    connectivity = analyse(with_ips("61-ipblock-families-add-up"))
    why = explain(connectivity, "y/a", "x/a", 80)
    assert why.verdict is Verdict.ALLOWED
    assert why.ingress is not None and why.ingress.allowed
    # Each side admits the pair over a family the other refuses: denied.
    connectivity = analyse(with_ips("62-ipblock-ingress-egress-other-families"))
    why = explain(connectivity, "x/a", "z/a", 80)
    assert why.verdict is Verdict.DENIED
    assert why.egress is not None and why.ingress is not None
    assert "only through 10.0.2.1" in why.egress.reason
    assert "only through fd00::1" in why.ingress.reason


def test_external_ranges_leave_out_pod_ips(tmp_path: Path) -> None:
    connectivity = analyse(with_ips("38-ipblock-matches-pod-ips"), externals=["external:10.0.1.3"])
    assert connectivity.outside("external:10.0.1.0/30").cidrs() == ["10.0.1.0/32"]
    assert connectivity.verdict("external:10.0.1.0/24", "x/a", 80) is Verdict.ALLOWED
    assert connectivity.verdict("external:10.0.1.3", "x/a", 80) is Verdict.DENIED
    assert connectivity.verdict("external:10.0.1.3", "x/b", 80) is Verdict.DENIED
    explained = explain(connectivity, "external:10.0.1.0/24", "x/a", 80)
    assert explained.verdict is Verdict.ALLOWED and explained.ingress is not None
    assert explained.ingress.allowed
    rows = {
        (r.source, r.target): r.verdict
        for r in connectivity.connections(include_denied=True)
        if r.port == 80 and r.protocol is Protocol.TCP and r.target == "x/a"
    }
    assert rows[("external:10.0.1.0/24", "x/a")] is Verdict.ALLOWED
    assert rows[("external:10.0.1.3/32", "x/a")] is Verdict.DENIED
    # diff speaks of outside addresses only: dropping the except changes nothing outside
    # (10.0.1.3 is y/c's IP), only y/c -> x/a.
    source = (FIXTURES / "38-ipblock-matches-pod-ips" / "policies.yaml").read_text()
    (tmp_path / "policies.yaml").write_text(source.replace("except: [10.0.1.3/32]", "except: []"))
    base = with_ips()
    before = analyse(base, policies_of("38-ipblock-matches-pod-ips"))
    after = analyse(base, list(load_paths([str(tmp_path)]).network_policies))
    changes = [str(c) for c in diff(before, after).changes]
    assert changes == [
        f"y/c -> x/a 1-65535/{protocol}: denied -> partial" for protocol in ("SCTP", "TCP", "UDP")
    ]
