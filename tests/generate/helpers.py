"""Small inventories and graphs for the generator's tests."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from tests.conftest import REPO

from socklock.load import load_paths
from socklock.model import (
    Edge,
    EntryPoint,
    Evidence,
    EvidenceKind,
    Inventory,
    Location,
    ServiceGraph,
)

EVIDENCE = (Evidence(EvidenceKind.ENV, Location("test.yaml", 1, 1), "test call"),)


def deployment(
    namespace: str,
    name: str,
    labels: dict[str, str] | None = None,
    ports: Sequence[tuple[int, str | None, str]] = ((8080, "http", "TCP"),),
) -> str:
    labels = labels if labels is not None else {"app": name}
    label_text = ", ".join(f"{k}: {v!r}" for k, v in labels.items()) or ""
    port_lines = "".join(
        f"\n            - {{containerPort: {number}, protocol: {protocol}"
        + (f", name: {port_name}" if port_name else "")
        + "}"
        for number, port_name, protocol in ports
    )
    ports_text = f"\n          ports:{port_lines}" if ports else ""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  template:
    metadata:
      labels: {{{label_text}}}
    spec:
      containers:
        - name: main
          image: example/{name}:1{ports_text}
"""


def service(
    namespace: str, name: str, selector: dict[str, str], target: int | str, kind: str = "ClusterIP"
) -> str:
    target_text = target if isinstance(target, int) else repr(target)
    pairs = ", ".join(f"{k}: {v!r}" for k, v in selector.items())
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  type: {kind}
  selector: {{{pairs}}}
  ports:
    - {{port: 80, targetPort: {target_text}}}
"""


def inventory_of(tmp_path: Path, documents: Iterable[str], name: str = "app.yaml") -> Inventory:
    path = tmp_path / name
    path.write_text("---\n".join(documents), encoding="utf-8")
    return load_paths([str(path)])


def graph_of(
    edges: Iterable[tuple[str, str, int | None]] = (),
    entries: Iterable[tuple[str, int]] = (),
    protocol: str = "TCP",
) -> ServiceGraph:
    return ServiceGraph(
        edges=tuple(Edge(s, t, p, protocol, EVIDENCE) for s, t, p in edges),
        entry_points=tuple(EntryPoint(w, p, "TCP", EVIDENCE) for w, p in entries),
    )


def in_repo() -> None:
    os.chdir(REPO)
