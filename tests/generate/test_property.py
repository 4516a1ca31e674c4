"""Random graphs → generate → engine (or Calico model) → allowed equals the graph exactly.

``generate`` raises VerificationError when the proof fails, so the property is that it
returns, with a verification that found nothing missing and nothing in excess.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.generate.helpers import EVIDENCE, deployment, service

from socklock.load.kubernetes import KubernetesObjects, add_document
from socklock.load.limits import DEFAULT_LIMITS
from socklock.load.yamlread import Document, load_yaml
from socklock.model import Edge, EntryPoint, Inventory, ServiceGraph
from socklock.policy.generate import Flavor, GenerateOptions, Mode, generate

PORTS = (80, 443, 5432, 8080, 9090)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Inventory, ServiceGraph]:
    namespaces = draw(
        st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True)
    )
    count = draw(st.integers(2, 6))
    texts: list[str] = []
    workloads: list[tuple[str, list[tuple[int, str]]]] = []
    for index in range(count):
        namespace = draw(st.sampled_from(namespaces))
        name = f"w{index}"
        ports = sorted(draw(st.sets(st.sampled_from(PORTS), min_size=0, max_size=2)))
        protocols = [draw(st.sampled_from(["TCP", "TCP", "UDP"])) for _ in ports]
        named = draw(st.booleans())
        labels = {"app": name, "tier": draw(st.sampled_from(["x", "y"]))}
        texts.append(
            deployment(
                namespace,
                name,
                labels,
                [
                    (p, f"p{p}" if named else None, proto)
                    for p, proto in zip(ports, protocols, strict=True)
                ],
            )
        )
        if ports and named:
            texts.append(service(namespace, name, {"app": name}, f"p{ports[0]}"))
        workloads.append((f"{namespace}/{name}", list(zip(ports, protocols, strict=True))))
    out = KubernetesObjects()
    for text in texts:
        for item in load_yaml(text, "gen.yaml", DEFAULT_LIMITS):
            if isinstance(item, Document) and item.value is not None:
                add_document(item.value, "gen.yaml", out)
    inventory = Inventory(
        objects=tuple(out.objects), workloads=tuple(out.workloads), services=tuple(out.services)
    )
    edges: list[Edge] = []
    for _ in range(draw(st.integers(0, 8))):
        source = draw(st.sampled_from(workloads))[0]
        kind = draw(st.sampled_from(["workload", "workload", "workload", "address", "unknown"]))
        if kind == "address":
            address = draw(st.sampled_from(["203.0.113.7", "198.51.100.0/24", "2001:db8::1"]))
            port = draw(st.sampled_from([443, None]))
            edges.append(Edge(source, f"external:{address}", port, "TCP", EVIDENCE))
            continue
        target, ports = draw(st.sampled_from(workloads))
        if kind == "unknown" or not ports:
            edges.append(
                Edge(source, target, None, draw(st.sampled_from(["TCP", "UDP"])), EVIDENCE)
            )
        else:
            port, protocol = draw(st.sampled_from(ports))
            edges.append(Edge(source, target, port, protocol, EVIDENCE))
    entries = [
        EntryPoint(w, ports[0][0], ports[0][1], EVIDENCE)
        for w, ports in workloads
        if ports and draw(st.booleans()) and draw(st.booleans())
    ]
    return inventory, ServiceGraph(edges=tuple(edges), entry_points=tuple(entries))


MODES = [
    GenerateOptions(),
    GenerateOptions(mode=Mode.CALLER_LABELS),
    GenerateOptions(flavor=Flavor.CALICO),
    GenerateOptions(flavor=Flavor.CALICO, mode=Mode.LOG),
    GenerateOptions(flavor=Flavor.CALICO, mode=Mode.CALLER_LABELS),
    GenerateOptions(ingress_namespace="ingress"),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(MODES))
def test_allowed_equals_the_graph(
    scenario: tuple[Inventory, ServiceGraph], options: GenerateOptions
) -> None:
    inventory, graph = scenario
    generated = generate(inventory, graph, options)
    assert generated.verification is not None
    assert generated.verification.ok, generated.verification.details()
