"""Hardening speed: load and audit N generated manifests (target: 1,000 in under 2 s).

``python benchmarks/bench_harden.py [--full]``; ``main(full)`` returns the numbers.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEPLOYMENT = """\
# service {i}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  namespace: ns-{ns}
  labels: {{app: svc-{i}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: svc-{i}}}
  template:
    metadata:
      labels: {{app: svc-{i}, tier: back}}
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: registry.example.com/team/svc-{i}:1.{i}
          ports:
            - containerPort: 8080
          env:
            - name: DB_PASSWORD
              value: "secret-{i}"
            - name: PEER_URL
              value: "http://svc-{j}:8080"
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [all]
          resources:
            requests: {{memory: 64Mi, cpu: 50m}}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  namespace: ns-{ns}
spec:
  type: {kind}
  selector: {{app: svc-{i}}}
  ports:
    - port: 80
      targetPort: 8080
"""


FIX_SAMPLE = 100  # fixes go through ruamel.yaml (~15 ms a file): time a sample


def generate(directory: Path, count: int) -> None:
    for i in range(count):
        text = DEPLOYMENT.format(
            i=i, j=(i + 1) % count, ns=i % 20, kind="NodePort" if i % 50 == 0 else "ClusterIP"
        )
        (directory / f"svc-{i:05d}.yaml").write_text(text, encoding="utf-8")


def measure(count: int) -> dict[str, Any]:
    from socklock.harden import HardenOptions, audit
    from socklock.harden.fixer import plan_fixes
    from socklock.load import load_paths

    with tempfile.TemporaryDirectory(prefix="bench-harden-") as tmp:
        directory = Path(tmp)
        generate(directory, count)
        start = time.perf_counter()
        inventory = load_paths([str(directory)])
        loaded = time.perf_counter()
        result = audit(inventory, HardenOptions())
        audited = time.perf_counter()
        sample = sorted({f.location.file for f in result.findings})[:FIX_SAMPLE]
        chosen = set(sample)
        plan = plan_fixes([f for f in result.findings if f.location.file in chosen], unsafe=True)
        planned = time.perf_counter()
    return {
        "manifests": count,
        "objects": len(inventory.objects),
        "findings": len(result.findings),
        "load_s": round(loaded - start, 3),
        "audit_s": round(audited - loaded, 3),
        "load_and_audit_s": round(audited - start, 3),
        "plan_fixes_s": round(planned - audited, 3),
        "plan_fixes_files": len(sample),
        "files_changed_by_fixes": len(plan.changes),
    }


def main(full: bool = False) -> dict[str, Any]:
    sizes = [1000, 5000] if full else [1000]
    runs = [measure(n) for n in sizes]
    for row in runs:
        print(
            f"harden: {row['manifests']} manifests ({row['objects']} objects): "
            f"load {row['load_s']} s + audit {row['audit_s']} s = {row['load_and_audit_s']} s, "
            f"{row['findings']} findings; every fix of {row['plan_fixes_files']} files "
            f"(ruamel.yaml round-trip) {row['plan_fixes_s']} s",
            file=sys.stderr,
        )
    first = runs[0]
    return {
        "name": "harden",
        "runs": runs,
        "target": "1,000 manifests loaded and audited in under 2 s",
        "ok": first["load_and_audit_s"] < 2.0,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    result = main("--full" in sys.argv[1:])
    sys.exit(0 if result["ok"] else 1)
