"""Selectors, namespaces, ports, externals: the decisions the generator documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.generate.helpers import deployment, graph_of, inventory_of, service

from socklock.policy.generate import (
    Flavor,
    GenerateOptions,
    Mode,
    UnknownPorts,
    generate,
)
from socklock.policy.generate.plan import caller_label_key


def policy(generated, name: str):  # type: ignore[no-untyped-def]
    return next(p for p in generated.policies if p.name == name)


def test_selector_falls_back_when_the_identity_label_is_shared(tmp_path: Path) -> None:
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "api", {"app": "shop", "component": "api"}),
            deployment("a", "web", {"app": "shop", "component": "web"}),
        ],
    )
    generated = generate(inventory, graph_of([("a/web", "a/api", 8080)]))
    ingress = policy(generated, "socklock-api-ingress").body["spec"]
    assert ingress["podSelector"] == {"matchLabels": {"component": "api"}}
    peer = ingress["ingress"][0]["from"][0]
    assert peer == {"podSelector": {"matchLabels": {"component": "web"}}}
    assert generated.verification is not None and generated.verification.ok


def test_selector_needs_two_labels_when_each_one_is_shared(tmp_path: Path) -> None:
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "x", {"app": "one", "tier": "api"}),
            deployment("a", "y", {"app": "one", "tier": "db"}),
            deployment("a", "z", {"app": "two", "tier": "api"}),
        ],
    )
    generated = generate(inventory, graph_of([("a/z", "a/x", 8080)]))
    spec = policy(generated, "socklock-x-ingress").body["spec"]
    assert spec["podSelector"] == {"matchLabels": {"app": "one", "tier": "api"}}


SHARED_LABELS = "its pod template labels also select"
ADVICE = "give each workload a distinguishing pod template label (e.g. app.kubernetes.io/name)"


def namespaces_of(generated) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.body["metadata"]["namespace"] for p in generated.policies}


def test_a_namespace_whose_workloads_share_labels_is_left_unlocked(tmp_path: Path) -> None:
    """Two workloads with the same labels cannot be told apart by any policy: their
    namespace gets no policy (an error note at the first one's manifest), the others are
    generated and proven as usual."""
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "x", {"app": "same"}),
            deployment("a", "y", {"app": "same"}),
            deployment("b", "api"),
            deployment("b", "web"),
        ],
    )
    generated = generate(inventory, graph_of([("a/x", "a/y", 8080), ("b/web", "b/api", 8080)]))
    errors = [n for n in generated.notes if n.level.value == "error"]
    assert [str(n) for n in errors] == [
        f"{tmp_path / 'app.yaml'}:1:1: error: namespace a: not locked down (no policy generated "
        f"for it): a/x cannot be singled out: {SHARED_LABELS} a/y; a/y cannot be singled out: "
        f"{SHARED_LABELS} a/x; {ADVICE}"
    ]
    assert namespaces_of(generated) == {"b"}
    assert generated.options.unlocked == ("a",)
    assert generated.verification is not None and generated.verification.ok
    assert generated.intent is not None and generated.intent.namespaces == ("b",)


def test_a_namespace_that_talks_to_such_a_workload_is_left_unlocked_too(tmp_path: Path) -> None:
    """c/client calls a/x: its egress rule would have to name a/x, so c is left out as well;
    d, which talks to nobody there, is locked down."""
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "x", {"app": "same"}),
            deployment("a", "y", {"app": "same"}),
            deployment("c", "client"),
            deployment("d", "alone"),
        ],
    )
    generated = generate(inventory, graph_of([("c/client", "a/x", 8080)]))
    errors = [str(n).split(": error: ", 1)[1] for n in generated.notes if n.level.value == "error"]
    assert errors == [
        f"namespace a: not locked down (no policy generated for it): a/x cannot be singled "
        f"out: {SHARED_LABELS} a/y; a/y cannot be singled out: {SHARED_LABELS} a/x; {ADVICE}",
        "namespace c: not locked down (no policy generated for it): c/client talks to a/x, "
        f"which cannot be singled out; {ADVICE}",
    ]
    assert namespaces_of(generated) == {"d"}
    assert generated.verification is not None and generated.verification.ok


def test_every_namespace_locked_when_every_workload_can_be_singled_out(tmp_path: Path) -> None:
    inventory = inventory_of(tmp_path, [deployment("a", "x"), deployment("a", "y")])
    generated = generate(inventory, graph_of([("a/x", "a/y", 8080)]))
    assert [n for n in generated.notes if n.level.value == "error"] == []
    assert generated.options.unlocked == ()


def test_service_selector_is_used_when_template_labels_are_ambiguous(tmp_path: Path) -> None:
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "x", {"app": "shop", "role": "x", "zone": "z1"}),
            deployment("a", "y", {"app": "shop", "role": "y", "zone": "z1"}),
            service("a", "x", {"role": "x"}, "http"),
        ],
    )
    generated = generate(inventory, graph_of([("a/y", "a/x", 8080)]))
    # "role" is not an identity key: the Service's selector is taken before pairs of labels
    spec = policy(generated, "socklock-x-ingress").body["spec"]
    assert spec["podSelector"] == {"matchLabels": {"role": "x"}}


def test_cross_namespace_peers_name_the_namespace(tmp_path: Path) -> None:
    inventory = inventory_of(tmp_path, [deployment("front", "web"), deployment("back", "api")])
    generated = generate(inventory, graph_of([("front/web", "back/api", 8080)]))
    ingress = policy(generated, "socklock-api-ingress").body["spec"]["ingress"][0]
    assert ingress["from"][0] == {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "front"}},
        "podSelector": {"matchLabels": {"app": "web"}},
    }
    egress = policy(generated, "socklock-web-egress").body["spec"]["egress"][0]
    assert egress["to"][0]["namespaceSelector"] == {
        "matchLabels": {"kubernetes.io/metadata.name": "back"}
    }
    assert {p.namespace for p in generated.policies if p.name == "socklock-default-deny"} == {
        "front",
        "back",
    }
    assert generated.verification is not None and generated.verification.ok


def test_named_target_port_is_named_and_numeric_stays_numeric(tmp_path: Path) -> None:
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "web"),
            deployment("a", "named", ports=((8080, "http", "TCP"),)),
            service("a", "named", {"app": "named"}, "http"),
            deployment("a", "numeric", ports=((9090, "metrics", "TCP"),)),
            service("a", "numeric", {"app": "numeric"}, 9090),
        ],
    )
    generated = generate(
        inventory, graph_of([("a/web", "a/named", 8080), ("a/web", "a/numeric", 9090)])
    )
    named = policy(generated, "socklock-named-ingress").body["spec"]["ingress"][0]
    numeric = policy(generated, "socklock-numeric-ingress").body["spec"]["ingress"][0]
    assert named["ports"] == [{"port": "http", "protocol": "TCP"}]
    assert numeric["ports"] == [{"port": 9090, "protocol": "TCP"}]
    assert generated.verification is not None and generated.verification.ok


def test_unknown_port_allows_the_declared_ports_and_says_so(tmp_path: Path) -> None:
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "web"),
            deployment("a", "db", ports=((5432, None, "TCP"), (9187, None, "TCP"))),
        ],
    )
    generated = generate(inventory, graph_of([("a/web", "a/db", None)]))
    rule = policy(generated, "socklock-db-ingress").body["spec"]["ingress"][0]
    assert rule["ports"] == [
        {"port": 5432, "protocol": "TCP"},
        {"port": 9187, "protocol": "TCP"},
    ]
    assert any("port unknown: every declared port allowed" in str(n) for n in generated.notes)
    refused = generate(
        inventory,
        graph_of([("a/web", "a/db", None)]),
        GenerateOptions(unknown_ports=UnknownPorts.REFUSE),
    )
    assert not any(p.name == "socklock-db-ingress" for p in refused.policies)
    assert any("not allowed: port unknown" in str(n) for n in refused.notes)


def test_external_address_is_an_ip_block_and_a_name_is_a_comment(tmp_path: Path) -> None:
    inventory = inventory_of(tmp_path, [deployment("a", "web")])
    graph = graph_of(
        [("a/web", "external:203.0.113.7", 443), ("a/web", "external:api.stripe.com", 443)]
    )
    generated = generate(inventory, graph)
    web = next(f for f in generated.files if f.path == "a/web.yaml")
    assert "- ipBlock:\n            cidr: 203.0.113.7/32" in web.text
    assert "NOT ALLOWED: external:api.stripe.com 443/TCP: api.stripe.com is a DNS name" in web.text
    assert any("api.stripe.com is a DNS name" in str(n) for n in generated.notes)
    assert generated.verification is not None and generated.verification.ok


def test_entry_point_from_the_ingress_controller_namespace_only(tmp_path: Path) -> None:
    inventory = inventory_of(tmp_path, [deployment("a", "web")])
    generated = generate(
        inventory,
        graph_of(entries=[("a/web", 8080)]),
        GenerateOptions(ingress_namespace="ingress-nginx"),
    )
    rule = policy(generated, "socklock-web-ingress").body["spec"]["ingress"][0]
    assert rule["from"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
    ]
    assert generated.verification is not None
    assert generated.verification.added == (
        "kube-system/kube-dns",
        "ingress-nginx/ingress-controller",
    )


def test_minimal_no_duplicate_peers_or_ports(tmp_path: Path) -> None:
    inventory = inventory_of(tmp_path, [deployment("a", "web"), deployment("a", "api")])
    graph = graph_of([("a/web", "a/api", 8080), ("a/web", "a/api", 8080), ("a/web", "a/api", 8080)])
    generated = generate(inventory, graph)
    names = [p.name for p in generated.policies]
    assert len(names) == len(set(names))
    rules = policy(generated, "socklock-api-ingress").body["spec"]["ingress"]
    assert len(rules) == 1 and len(rules[0]["from"]) == 1 and len(rules[0]["ports"]) == 1


def test_caller_label_keys_stay_within_63_characters() -> None:
    assert caller_label_key("shop", "carts", "shop") == "socklock.io/to.carts"
    assert caller_label_key("shop", "carts", "web") == "socklock.io/to.shop.carts"
    long = caller_label_key("n" * 40, "s" * 40, "other")
    name = long.split("/", 1)[1]
    assert len(name) <= 63 and name[-1].isalnum()
    assert long == caller_label_key("n" * 40, "s" * 40, "other")  # stable


def test_caller_labels_across_namespaces_and_differing_ports(tmp_path: Path) -> None:
    inventory = inventory_of(
        tmp_path,
        [
            deployment("a", "web"),
            deployment("a", "admin"),
            deployment("b", "batch"),
            deployment("a", "api", ports=((8080, "http", "TCP"), (9090, "admin", "TCP"))),
        ],
    )
    graph = graph_of(
        [
            ("a/web", "a/api", 8080),
            ("a/admin", "a/api", 8080),
            ("a/admin", "a/api", 9090),
            ("b/batch", "a/api", 8080),
        ]
    )
    for flavor in (Flavor.KUBERNETES, Flavor.CALICO):
        generated = generate(
            inventory, graph, GenerateOptions(flavor=flavor, mode=Mode.CALLER_LABELS)
        )
        assert generated.verification is not None and generated.verification.ok
    labels = generated.caller_labels
    assert labels["a/admin"] == {"socklock.io/to.api": "true"}
    assert labels["a/web"] == {"socklock.io/to.api": "8080"}
    # "true" means every port any caller uses (8080 and 9090); batch calls 8080 only
    assert labels["b/batch"] == {"socklock.io/to.a.api": "8080"}


def test_caller_types_share_one_label(tmp_path: Path) -> None:
    from socklock.policy.generate import CallerType

    inventory = inventory_of(
        tmp_path,
        [
            deployment("mon", "prometheus"),
            deployment("mon", "agent"),
            deployment("a", "api", ports=((9100, "metrics", "TCP"),)),
        ],
    )
    graph = graph_of([("mon/prometheus", "a/api", 9100), ("mon/agent", "a/api", 9100)])
    options = GenerateOptions(
        mode=Mode.CALLER_LABELS,
        types=(CallerType("monitoring", ("mon/agent", "mon/prometheus")),),
        namespaces=("a",),
    )
    generated = generate(inventory, graph, options)
    assert generated.verification is not None and generated.verification.ok
    rule = policy(generated, "socklock-api-ingress").body["spec"]["ingress"][0]
    assert rule["from"] == [
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "mon"}},
            "podSelector": {"matchLabels": {"socklock.io/type": "monitoring"}},
        }
    ]
    assert generated.caller_labels["mon/agent"] == {"socklock.io/type": "monitoring"}


def test_modes_that_do_not_apply_are_refused() -> None:
    from socklock.errors import UsageError

    with pytest.raises(UsageError):
        GenerateOptions(flavor=Flavor.KUBERNETES, mode=Mode.LOG)
    with pytest.raises(UsageError):
        GenerateOptions(flavor=Flavor.KUBERNETES, preset="segments")


def test_config_file(tmp_path: Path) -> None:
    from socklock.policy.generate import load_config

    path = tmp_path / "socklock.toml"
    path.write_text(
        """
[generate]
ingress-namespace = "ingress"
unknown-ports = "refuse"
[generate.dns]
namespace = "dns"
labels = { app = "coredns" }
ports = ["53/UDP"]
[generate.types.monitoring]
workloads = ["mon/b", "mon/a"]
""",
        encoding="utf-8",
    )
    options = GenerateOptions(**load_config(path))
    assert options.ingress_namespace == "ingress"
    assert options.unknown_ports is UnknownPorts.REFUSE
    assert options.dns is not None and options.dns.ports == ((53, "UDP"),)
    assert options.types[0].workloads == ("mon/a", "mon/b")


def test_two_jobs_with_the_same_labels_are_told_apart_by_their_job_name(tmp_path: Path) -> None:
    """The Job controller labels each Job's pods with the Job's name: two Jobs with one
    template (a create and a patch step) are singled out by it."""
    job = """apiVersion: batch/v1
kind: Job
metadata: {{name: {name}, namespace: a}}
spec:
  template:
    metadata: {{labels: {{app: admission}}}}
    spec:
      restartPolicy: Never
      containers: [{{name: main, image: example/jobs:1}}]
"""
    inventory = inventory_of(
        tmp_path,
        [job.format(name="create"), job.format(name="patch"), deployment("a", "api")],
    )
    generated = generate(inventory, graph_of([("a/create", "a/api", 8080)]))
    assert [n for n in generated.notes if n.level.value == "error"] == []
    egress = policy(generated, "socklock-create-egress").body["spec"]
    assert egress["podSelector"] == {"matchLabels": {"batch.kubernetes.io/job-name": "create"}}
    assert generated.verification is not None and generated.verification.ok
