"""Generating and proving least-privilege policies at Monzo's size (target: under 10 s).

1,500 services in 30 namespaces with 9,300 calls (a fifth across namespaces), one entry
point per namespace; manifests are generated in memory and read by the loader, the graph is
built directly. Timed: ``generate`` (intent, plan, emit with comments, objects) and the
proof by the engine, separately; Calico is timed too when ``full``. Each is timed as the CLI
runs it (cyclic garbage collector paused, ``*_seconds``) and with the collector on
(``*_seconds_gc_on``): the run builds millions of small objects and creates few cycles.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Sequence

from socklock.load.kubernetes import KubernetesObjects, add_document
from socklock.load.limits import DEFAULT_LIMITS
from socklock.load.yamlread import Document, load_yaml
from socklock.model import (
    Edge,
    EntryPoint,
    Evidence,
    EvidenceKind,
    GraphNode,
    Inventory,
    Location,
    NodeKind,
    PortSpec,
    ServiceGraph,
)
from socklock.policy.generate import Flavor, GenerateOptions, generate, verify_generated

PORTS = (8080, 9090, 5432, 6379, 27017, 3000)


def manifest(namespace: str, name: str, port: int) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  template:
    metadata:
      labels: {{app.kubernetes.io/name: {name}, team: t{len(name) % 7}}}
    spec:
      containers:
        - name: main
          ports:
            - {{name: serve, containerPort: {port}}}
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  selector: {{app.kubernetes.io/name: {name}}}
  ports:
    - {{port: 80, targetPort: serve}}
"""


def synthetic(
    services: int, edges: int, namespaces: int, seed: int = 4
) -> tuple[Inventory, ServiceGraph]:
    """An inventory and a graph of the given size (deterministic for a seed)."""
    rng = random.Random(seed)
    out = KubernetesObjects()
    ids: list[tuple[str, str, int]] = []
    for index in range(services):
        namespace = f"ns{index % namespaces:02d}"
        name = f"svc{index:04d}"
        port = PORTS[index % len(PORTS)]
        ids.append((namespace, name, port))
        text = manifest(namespace, name, port)
        for item in load_yaml(text, f"gen/{namespace}/{name}.yaml", DEFAULT_LIMITS):
            if isinstance(item, Document) and item.value is not None:
                add_document(item.value, f"gen/{namespace}/{name}.yaml", out)
    inventory = Inventory(
        objects=tuple(out.objects),
        workloads=tuple(out.workloads),
        services=tuple(out.services),
    )
    by_namespace: dict[str, list[int]] = {}
    for index, (namespace, _, _) in enumerate(ids):
        by_namespace.setdefault(namespace, []).append(index)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        source = rng.randrange(services)
        if rng.random() < 0.8:
            target = rng.choice(by_namespace[ids[source][0]])
        else:
            target = rng.randrange(services)
        if source != target:
            pairs.add((source, target))
    evidence = (Evidence(EvidenceKind.ENV, Location("gen/calls.yaml", 1, 1), "synthetic call"),)
    graph_edges = tuple(
        Edge(f"{ids[s][0]}/{ids[s][1]}", f"{ids[t][0]}/{ids[t][1]}", ids[t][2], "TCP", evidence)
        for s, t in sorted(pairs)
    )
    entries = tuple(
        EntryPoint(
            f"{ids[members[0]][0]}/{ids[members[0]][1]}", ids[members[0]][2], "TCP", evidence
        )
        for _, members in sorted(by_namespace.items())
    )
    nodes = tuple(
        GraphNode(
            f"{namespace}/{name}",
            NodeKind.WORKLOAD,
            "Deployment",
            {"app.kubernetes.io/name": name},
            (PortSpec(port, "TCP", "serve"),),
        )
        for namespace, name, port in ids
    )
    return inventory, ServiceGraph(nodes=nodes, edges=graph_edges, entry_points=entries)


def run(
    inventory: Inventory, graph: ServiceGraph, flavors: Sequence[Flavor]
) -> dict[str, float | int | str]:
    result: dict[str, float | int | str] = {}
    for flavor in flavors:
        for collect in (False, True):
            options = GenerateOptions(flavor=flavor)
            gc.collect()
            if not collect:
                gc.disable()
            try:
                start = time.perf_counter()
                generated = generate(inventory, graph, options, verify=False)
                generated_at = time.perf_counter()
                verification = verify_generated(inventory, graph, generated)
                done = time.perf_counter()
            finally:
                gc.enable()
            assert verification.ok, verification.details()
            key = flavor.value
            suffix = "_gc_on" if collect else ""
            result[f"{key}_generate_seconds{suffix}"] = round(generated_at - start, 3)
            result[f"{key}_verify_seconds{suffix}"] = round(done - generated_at, 3)
            result[f"{key}_total_seconds{suffix}"] = round(done - start, 3)
            result[f"{key}_policies"] = len(generated.policies)
            result[f"{key}_connections"] = verification.allowed
            print(
                f"generate --flavor {key}{' (gc on)' if collect else ''}: "
                f"{len(generated.policies)} policies in {generated_at - start:.2f} s, "
                f"proof in {done - generated_at:.2f} s ({verification.summary()})",
                flush=True,
            )
    return result


def main(full: bool) -> dict[str, float | int | str]:
    size = (1500, 9300, 30) if full else (150, 930, 6)
    start = time.perf_counter()
    inventory, graph = synthetic(*size)
    built = time.perf_counter() - start
    result: dict[str, float | int | str] = {
        "services": size[0],
        "edges": len(graph.edges),
        "namespaces": size[2],
        "build_inputs_seconds": round(built, 3),
        "target_seconds": 10.0,
    }
    flavors = [Flavor.KUBERNETES, Flavor.CALICO] if full else [Flavor.KUBERNETES]
    result.update(run(inventory, graph, flavors))
    return result


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(main(full="--small" not in sys.argv), indent=2))
