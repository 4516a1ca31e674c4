"""CiliumNetworkPolicy + CiliumClusterwideNetworkPolicy + NetworkPolicy against NetworkPolicy
alone.

The Monzo-size cluster of :mod:`benchmarks.bench_verify` (1,500 services, 30 namespaces, a
default-deny and one ingress policy per service), then the same files with Cilium policies
on top: a CCNP that makes every pod default-deny for egress and allows it the cluster and
HTTPS to the world, a CCNP denying one namespace's traffic into another (a deny beside every
allow), and a CNP per namespace admitting its own namespace on 8080 with a CIDR exception.
The analysis alone (output excluded: the engine and its table) is timed, best of three.
Target (issue 15): Cilium + NP within 1.5x of NetworkPolicy alone.
"""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path

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
        "target_ratio": 1.5,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main(full=True)))
