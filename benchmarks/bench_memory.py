"""Memory and time of every command on one big manifest file (target: ≤ 1 GiB at 64 MiB).

The input is one multi-document YAML file of small Deployments (15 lines each, 50
namespaces), the size of the per-file limit at full size. Each command runs in its own
process; its peak resident memory comes from ``getrusage(RUSAGE_CHILDREN)`` of a fresh
watcher process, so one command's peak never hides another's.

``python -m benchmarks memory`` (full: 64 MiB) or ``--small`` (6 MB);
``python benchmarks/bench_memory.py [--full] [COMMAND ...]``. ``harden-fix`` writes to a copy
of the input of its own, removed afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
FULL_BYTES = 64 * MIB - 4096  # just under the loader's per-file limit
SMALL_BYTES = 6_000_000
LIMIT_BYTES = 1024 * MIB
# one command at full size: `scan` generates and proves four policy sets besides the audit
# and the report (about 25 minutes of CPU at 64 MiB); the machine may be shared
TIMEOUT_S = 3 * 3600

DEPLOYMENT = """\
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  namespace: ns-{ns}
spec:
  selector:
    matchLabels: {{app: svc-{i}}}
  template:
    metadata:
      labels: {{app: svc-{i}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/svc-{i}:1.0
"""

# the candidate policies and the flows of `audit` (the big file is its cluster)
POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: ns-0}
spec: {podSelector: {}, policyTypes: [Ingress]}
"""
FLOWS = (
    "2026-01-10T10:00:01.000000+00:00 node-1 kernel: [1234.5678] calico-packet: IN=cali1 "
    "OUT=eth0 SRC=10.0.1.5 DST=10.0.2.7 LEN=60 TTL=63 ID=4242 DF PROTO=TCP SPT=41000 "
    "DPT=8080 WINDOW=64240 RES=0x00 SYN URGP=0\n"
)

# name -> socklock arguments; FILE and OUT are replaced by the input file and a fresh
# directory, COPY by a copy of the input of the command's own (for commands that write it),
# POLICY and FLOWS by small files of the texts above
COMMANDS: dict[str, list[str]] = {
    "map": ["map", "FILE", "--no-code"],
    "scan": ["scan", "FILE", "--no-code", "--out-dir", "OUT"],
    "harden": ["harden", "FILE", "--format", "json", "--fail-on", "never"],
    "harden-sarif": ["harden", "FILE", "--format", "sarif", "--fail-on", "never", "-o", "OUT"],
    "harden-diff": ["harden", "FILE", "--fail-on", "never"],
    "harden-fix": ["harden", "COPY", "--fix", "--fail-on", "never"],
    "policy-generate": ["policy", "generate", "FILE", "--no-code", "-o", "OUT"],
    "policy-verify": ["policy", "verify", "FILE", "--no-code"],
    "audit": [
        "audit",
        "FLOWS",
        "--policy",
        "POLICY",
        "--cluster",
        "FILE",
        "--no-code",
        "--fail-on",
        "never",
    ],
}

CAP_BYTES = 6 * 1024 * MIB  # address space of one command: a runaway stops (MemoryError)

# Run in the child: run one command with stdout to /dev/null, report its peak RSS, its wall
# time and its CPU time (user + system: comparable on a shared machine, unlike wall time).
_WATCHER = """\
import json, resource, subprocess, sys, time
resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "max_rss": peak, "exit": done.returncode,
                  "stderr": done.stderr.decode("utf-8", "replace")[-2000:]}))
""".replace("CAP", str(CAP_BYTES))


def generate(path: Path, size: int) -> int:
    """Write Deployments into ``path`` until it holds about ``size`` bytes; their count."""
    count = 0
    written = 0
    with path.open("w", encoding="utf-8") as out:
        while True:
            text = DEPLOYMENT.format(i=count, ns=count % 50)
            if written + len(text) > size:
                return count
            out.write(text)
            written += len(text)
            count += 1


def run_command(name: str, file: Path, work: Path) -> dict[str, Any]:
    out = work / f"out-{name}"
    copy = work / f"copy-{name}" / file.name
    if "COPY" in COMMANDS[name]:
        copy.parent.mkdir()
        shutil.copyfile(file, copy)
    policy, flows = work / "policy.yaml", work / "flows.log"
    policy.write_text(POLICY)
    flows.write_text(FLOWS)
    places = {
        "FILE": str(file),
        "OUT": str(out),
        "COPY": str(copy),
        "POLICY": str(policy),
        "FLOWS": str(flows),
    }
    args = [places.get(a, a) for a in COMMANDS[name]]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), NO_COLOR="1")
    # its own session, so a timeout ends the command too, not only the watcher
    with subprocess.Popen(
        [sys.executable, "-c", _WATCHER, sys.executable, "-m", "socklock", *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    ) as watcher:
        try:
            stdout, _ = watcher.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(watcher.pid, signal.SIGKILL)
            watcher.communicate()
            return {
                "command": name,
                "seconds": None,
                "cpu_seconds": None,
                "max_rss_mib": None,
                "exit": "timeout",
            }
        finally:
            if copy.parent.is_dir():
                shutil.rmtree(copy.parent)  # 64 MiB per command is enough in the temp dir
    row = json.loads(stdout)
    result = {
        "command": name,
        "seconds": round(row["seconds"], 2),
        "cpu_seconds": round(row["cpu_seconds"], 2),
        "max_rss_mib": round(row["max_rss"] / MIB),
        "exit": row["exit"],
    }
    if row["exit"] not in (0, 1):
        result["stderr"] = row["stderr"]
    return result


def measure(size: int, names: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        work = Path(tmp)
        file = work / "big.yaml"
        count = generate(file, size)
        rows = []
        for name in names:
            row = run_command(name, file, work)
            print(
                f"memory: {name} on {file.stat().st_size / MIB:.1f} MiB ({count} Deployments): "
                f"{row['seconds']} s ({row['cpu_seconds']} s CPU), {row['max_rss_mib']} MiB, "
                f"exit {row['exit']}",
                file=sys.stderr,
                flush=True,
            )
            rows.append(row)
        return {"bytes": file.stat().st_size, "deployments": count, "runs": rows}


def main(full: bool = False, names: list[str] | None = None) -> dict[str, Any]:
    size = FULL_BYTES if full else SMALL_BYTES
    result = measure(size, names or list(COMMANDS))
    ok = all(
        r["max_rss_mib"] is not None and r["max_rss_mib"] * MIB <= LIMIT_BYTES
        for r in result["runs"]
    )
    return {
        "name": "memory",
        **result,
        "target": "every command ≤ 1 GiB max RSS on a 64 MiB input",
        "ok": ok,
    }


if __name__ == "__main__":
    argv = sys.argv[1:]
    chosen = [a for a in argv if not a.startswith("--")]
    outcome = main("--full" in argv, chosen or None)
    print(json.dumps(outcome, indent=2))
    sys.exit(0 if outcome["ok"] else 1)
