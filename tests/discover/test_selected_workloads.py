"""A Service selects the workloads of its namespace carrying all its labels, in input order;
Services with the same selector get the same answer, each its own list, and copies of one
workload reached through a Service add their evidence once."""

from __future__ import annotations

from pathlib import Path

from socklock.discover.resolve import KubernetesResolver, NotFound
from socklock.load import load_paths


def _deployment(name: str, namespace: str, labels: str) -> str:
    return (
        "apiVersion: apps/v1\nkind: Deployment\n"
        f"metadata: {{name: {name}, namespace: {namespace}}}\n"
        f"spec:\n  selector: {{matchLabels: {labels}}}\n  template:\n"
        f"    metadata: {{labels: {labels}}}\n"
        f"    spec: {{containers: [{{name: {name}, image: shop/{name}}}]}}\n---\n"
    )


def _service(name: str, namespace: str, selector: str) -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {namespace}}}\n"
        f"spec: {{selector: {selector}, ports: [{{port: 80}}]}}\n---\n"
    )


def test_services_with_one_selector_share_the_answer_per_namespace(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(
        _deployment("web", "shop", "{app: web, tier: front}")
        + _deployment("web-canary", "shop", "{app: web, tier: front, track: canary}")
        + _deployment("api", "shop", "{app: api, tier: front}")
        + _deployment("web", "test", "{app: web, tier: front}")
        + _service("web", "shop", "{app: web, tier: front}")
        + _service("web-again", "shop", "{tier: front, app: web}")
        + _service("web", "test", "{app: web, tier: front}")
        + _service("canary", "shop", "{track: canary}")
    )
    inventory = load_paths([str(tmp_path)])
    resolver = KubernetesResolver(inventory)
    services = {s.id: s for s in inventory.services}
    chosen = {i: [w.id for w in resolver.selected(s)] for i, s in services.items()}
    assert chosen == {
        "shop/web": ["shop/web", "shop/web-canary"],
        "shop/web-again": ["shop/web", "shop/web-canary"],
        "test/web": ["test/web"],
        "shop/canary": ["shop/web-canary"],
    }
    first = resolver.selected(services["shop/web"])
    first.clear()  # a caller's list is its own
    assert [w.id for w in resolver.selected(services["shop/web"])] == [
        "shop/web",
        "shop/web-canary",
    ]


def test_copies_of_a_workload_give_one_edge_with_its_evidence_once(tmp_path: Path) -> None:
    """The same Deployment in two files (a docs copy) is reached twice through its Service:
    the caller's edge holds the evidence once; asking again gives an equal, separate list."""
    from socklock.discover.addresses import Target
    from socklock.discover.builder import GraphBuilder
    from socklock.discover.manifests import add_resolution
    from socklock.discover.resolve import Reached
    from socklock.model import Evidence, EvidenceKind, Location

    web = _deployment("web", "shop", "{app: web}") + _service("web", "shop", "{app: web}")
    (tmp_path / "a.yaml").write_text(web)
    (tmp_path / "b.yaml").write_text(web)
    resolver = KubernetesResolver(load_paths([str(tmp_path)]))
    target = Target("web", 80, "http", "TCP", "http://web")
    reached = resolver.resolve(target, "shop")
    copy = Reached("shop/web", 80, "TCP", "Service shop/web port 80")
    assert reached == [copy, copy]
    assert resolver.resolve(target, "shop") == reached
    assert resolver.resolve(target, "shop") is not reached
    assert resolver.resolve(Target("web", 81, None, "TCP", "web:81"), "shop") == NotFound(
        "Service shop/web has no TCP port 81 (its ports: 80)"
    )
    builder = GraphBuilder()
    evidence = Evidence(EvidenceKind.ENV, Location("front.yaml", 3), "env API=http://web")
    add_resolution(builder, "shop/front", target, reached, evidence)
    (edge,) = builder.build().edges
    assert (edge.source, edge.target, edge.port) == ("shop/front", "shop/web", 80)
    assert [e.detail for e in edge.evidence] == ["env API=http://web (Service shop/web port 80)"]
