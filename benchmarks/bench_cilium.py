"""CiliumNetworkPolicy + CiliumClusterwideNetworkPolicy + NetworkPolicy against NetworkPolicy
alone.

The Monzo-size cluster of :mod:`benchmarks.bench_verify` (1,500 services, 30 namespaces, a
default-deny and one ingress policy per service), then the same files with Cilium policies
on top: a CCNP that makes every pod default-deny for egress and allows it the cluster and
HTTPS to the world, a CCNP denying one namespace's traffic into another (a deny beside every
allow), and a CNP per namespace admitting its own namespace on 8080 with a CIDR exception.
Like for like, the same cluster with every NetworkPolicy rewritten as the CNP that means the
same (:func:`as_cilium`). The analysis alone (output excluded: the engine and its table) is
timed, best of three. Target (issue 15): Cilium within 1.5x of NetworkPolicy alone.
"""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path
from typing import Any

import yaml

from benchmarks.bench_anp import _best
from benchmarks.bench_verify import write_cluster

CLUSTERWIDE = """apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: egress-cluster-and-https
spec:
  endpointSelector: {}
  egress:
    - toEntities:
        - cluster
    - toEntities:
        - world
      toPorts:
        - ports:
            - port: "443"
              protocol: TCP
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: ns00-refuses-ns01
spec:
  endpointSelector:
    matchLabels:
      k8s:io.kubernetes.pod.namespace: ns00
  ingressDeny:
    - fromEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: ns01
"""

PER_NAMESPACE = """---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: same-namespace-8080
  namespace: {ns}
spec:
  endpointSelector: {{}}
  ingress:
    - fromEndpoints:
        - {{}}
      toPorts:
        - ports:
            - port: "8080"
              protocol: TCP
    - fromCIDRSet:
        - cidr: 10.0.0.0/8
          except:
            - 10.96.0.0/12
"""


def _peer(peer: dict[str, Any]) -> dict[str, Any]:
    """A NetworkPolicy peer (pod and namespace name selectors) as a CNP endpoint selector."""
    labels = dict((peer.get("podSelector") or {}).get("matchLabels") or {})
    spaces = (peer.get("namespaceSelector") or {}).get("matchLabels") or {}
    if "kubernetes.io/metadata.name" in spaces:
        labels["k8s:io.kubernetes.pod.namespace"] = spaces["kubernetes.io/metadata.name"]
    return {"matchLabels": labels} if labels else {}


def as_cilium(document: dict[str, Any]) -> dict[str, Any]:
    """The ingress-only NetworkPolicies bench_verify writes, as CiliumNetworkPolicies."""
    if document.get("kind") != "NetworkPolicy":
        return document
    spec = document["spec"]
    rules = []
    for rule in spec.get("ingress") or []:
        ports = [
            {"port": str(p["port"]), "protocol": p.get("protocol", "TCP")}
            for p in rule.get("ports") or []
        ]
        out: dict[str, Any] = {"fromEndpoints": [_peer(p) for p in rule.get("from") or []]}
        if ports:
            out["toPorts"] = [{"ports": ports}]
        rules.append(out)
    return {
        "apiVersion": "cilium.io/v2",
        "kind": "CiliumNetworkPolicy",
        "metadata": document["metadata"],
        "spec": {"endpointSelector": spec.get("podSelector") or {}, "ingress": rules or [{}]},
    }


def rewrite(root: Path) -> None:
    """Every NetworkPolicy under ``root`` rewritten in place as its CNP."""
    for path in root.glob("*.yaml"):
        documents = [d for d in yaml.safe_load_all(path.read_text()) if d]
        path.write_text(yaml.safe_dump_all([as_cilium(d) for d in documents], sort_keys=False))


def main(full: bool) -> dict[str, float | int | str]:
    services = 1500 if full else 150
    namespaces = 30
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with tempfile.TemporaryDirectory(prefix="socklock-bench-cilium-") as tmp:
            cluster = Path(tmp) / "cluster"
            cluster.mkdir()
            write_cluster(cluster, services, namespaces, 3)
            cilium = Path(tmp) / "cilium"
            cilium.mkdir()
            text = CLUSTERWIDE + "".join(
                PER_NAMESPACE.format(ns=f"ns{i:02d}") for i in range(namespaces)
            )
            (cilium / "cilium.yaml").write_text(text)
            plain, plain_entries, _ = _best([str(cluster)])
            merged, merged_entries, decider = _best([str(cluster), str(cilium)])
            rewrite(cluster)
            alike, alike_entries, _ = _best([str(cluster)])
    finally:
        if was_enabled:
            gc.enable()
    return {
        "services": services,
        "np_seconds": round(plain, 3),
        "np_table_entries": plain_entries,
        "cilium_np_seconds": round(merged, 3),
        "cilium_np_table_entries": merged_entries,
        "decider": decider,
        "ratio": round(merged / plain, 2),
        "cnp_only_seconds": round(alike, 3),
        "cnp_only_table_entries": alike_entries,
        "cnp_only_ratio": round(alike / plain, 2),
        "target_ratio": 1.5,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main(full=True)))
