"""AdminNetworkPolicy + BaselineAdminNetworkPolicy + NetworkPolicy against NetworkPolicy alone.

The Monzo-size cluster of :mod:`benchmarks.bench_verify` (1,500 services, 30 namespaces, a
default-deny and one ingress policy per service), then the same files with an admin tier on
top: an ANP denying one namespace's traffic into another, an ANP passing every pod's
traffic to NetworkPolicy, and a baseline denying all ingress. The analysis alone (output
excluded: the engine and its table) is timed, best of three. Target (issue 15): ANP + NP
within 1.5x of NetworkPolicy alone.
"""

from __future__ import annotations

import gc
import tempfile
import time
from pathlib import Path

from benchmarks.bench_verify import write_cluster

ADMIN = """apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: ns00-refuses-ns01
spec:
  priority: 10
  subject:
    namespaces:
      matchLabels:
        kubernetes.io/metadata.name: ns00
  ingress:
    - action: Deny
      from:
        - namespaces:
            matchLabels:
              kubernetes.io/metadata.name: ns01
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: pods-are-up-to-namespaces
spec:
  priority: 20
  subject:
    namespaces: {}
  ingress:
    - action: Pass
      from:
        - namespaces: {}
  egress:
    - action: Pass
      to:
        - namespaces: {}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    namespaces: {}
  ingress:
    - action: Deny
      from:
        - namespaces: {}
"""


def _best(paths: list[str]) -> tuple[float, int, str]:
    """(best seconds of three, table entries, decider) for the analysis of ``paths``."""
    from socklock.load import load_paths
    from socklock.policy import analyse

    inventory = load_paths(paths)
    best = float("inf")
    entries = 0
    decider = ""
    for _ in range(3):
        start = time.perf_counter()
        connectivity = analyse(inventory)
        entries = sum(len(cell.some) for cell in connectivity.cells())
        best = min(best, time.perf_counter() - start)
        decider = type(connectivity).__name__
    return best, entries, decider


def main(full: bool) -> dict[str, float | int | str]:
    services = 1500 if full else 150
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with tempfile.TemporaryDirectory(prefix="socklock-bench-anp-") as tmp:
            cluster = Path(tmp) / "cluster"
            cluster.mkdir()
            write_cluster(cluster, services, 30, 3)
            admin = Path(tmp) / "admin"
            admin.mkdir()
            (admin / "admin.yaml").write_text(ADMIN)
            plain, plain_entries, _ = _best([str(cluster)])
            tiered, tiered_entries, decider = _best([str(cluster), str(admin)])
    finally:
        if was_enabled:
            gc.enable()
    return {
        "services": services,
        "np_seconds": round(plain, 3),
        "np_table_entries": plain_entries,
        "anp_np_seconds": round(tiered, 3),
        "anp_np_table_entries": tiered_entries,
        "decider": decider,
        "ratio": round(tiered / plain, 2),
        "target_ratio": 1.5,
    }
