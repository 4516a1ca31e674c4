"""Hardening speed on N generated manifests: audited (loaded + audited) in at most 1.5 s and
audited + diffed (every fix planned and its diff written) in at most 3 s for 1,000; checkov
on the same files in the same run as the reference.

Times are CPU seconds of this process (checkov: of its process), with wall seconds beside:
on a machine shared with other jobs, wall time measures the neighbours more than the code.
``python benchmarks/bench_harden.py [--full]``; ``main(full)`` returns the numbers.
"""

from __future__ import annotations

import resource
import subprocess
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


AUDIT_TARGET = 1.5  # seconds for 1,000 manifests
DIFF_TARGET = 3.0


def generate(directory: Path, count: int) -> None:
    for i in range(count):
        text = DEPLOYMENT.format(
            i=i, j=(i + 1) % count, ns=i % 20, kind="NodePort" if i % 50 == 0 else "ClusterIP"
        )
        (directory / f"svc-{i:05d}.yaml").write_text(text, encoding="utf-8")


def measure(count: int, reference: bool = True) -> dict[str, Any]:
    from socklock.harden import HardenOptions, audit
    from socklock.harden.fixer import plan_fixes
    from socklock.harden.run import broken_files
    from socklock.load import load_paths

    with tempfile.TemporaryDirectory(prefix="bench-harden-") as tmp:
        directory = Path(tmp)
        generate(directory, count)
        cpu, wall = time.process_time(), time.perf_counter()
        inventory = load_paths([str(directory)])
        result = audit(inventory, HardenOptions())
        audited_cpu, audited_wall = time.process_time(), time.perf_counter()
        plan = plan_fixes(
            result.findings,
            unsafe=True,
            broken_files=broken_files(inventory),
            read=inventory.source_text,
        )
        diff_bytes = sum(len(piece) for change in plan.changes for piece in change.diff_pieces())
        diffed_cpu, diffed_wall = time.process_time(), time.perf_counter()
        row: dict[str, Any] = {
            "manifests": count,
            "objects": len(inventory.objects),
            "findings": len(result.findings),
            "audit_cpu_s": round(audited_cpu - cpu, 3),
            "audit_wall_s": round(audited_wall - wall, 3),
            "audit_and_diff_cpu_s": round(diffed_cpu - cpu, 3),
            "audit_and_diff_wall_s": round(diffed_wall - wall, 3),
            "files_changed_by_fixes": len(plan.changes),
            "files_refused": len(plan.skipped),
            "diff_bytes": diff_bytes,
        }
        if reference:
            row.update(checkov_reference(directory))
    return row


def checkov_reference(directory: Path) -> dict[str, Any]:
    """checkov's Kubernetes checks on the same files (its CPU and wall seconds)."""
    from benchmarks.psa_check import checkov

    command = checkov()
    if command is None:
        return {"checkov": "not installed (make checkov)"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(
        [
            *(command, "-d", str(directory), "--framework", "kubernetes"),
            *("--quiet", "--compact", "--skip-download", "-o", "json"),
        ],
        capture_output=True,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"checkov_cpu_s": round(cpu, 3), "checkov_wall_s": round(time.perf_counter() - wall, 3)}


def main(full: bool = False) -> dict[str, Any]:
    sizes = [1000, 5000] if full else [1000]
    runs = [measure(n, reference=full and n == 1000) for n in sizes]
    for row in runs:
        print(
            f"harden: {row['manifests']} manifests ({row['objects']} objects, "
            f"{row['findings']} findings): audited {row['audit_cpu_s']} s CPU "
            f"({row['audit_wall_s']} s wall), audited + diffed {row['audit_and_diff_cpu_s']} s "
            f"CPU ({row['audit_and_diff_wall_s']} s wall), {row['files_changed_by_fixes']} "
            f"files changed, {row['files_refused']} refused"
            + (
                f"; checkov {row['checkov_cpu_s']} s CPU ({row['checkov_wall_s']} s wall)"
                if "checkov_cpu_s" in row
                else f"; checkov {row.get('checkov', 'not run')}"
            ),
            file=sys.stderr,
        )
    first = runs[0]
    return {
        "name": "harden",
        "runs": runs,
        "target": "1,000 manifests audited in 1.5 s, audited + diffed in 3 s (CPU)",
        "ok": first["audit_cpu_s"] <= AUDIT_TARGET and first["audit_and_diff_cpu_s"] <= DIFF_TARGET,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    result = main("--full" in sys.argv[1:])
    sys.exit(0 if result["ok"] else 1)
