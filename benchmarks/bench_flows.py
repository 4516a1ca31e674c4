"""Flow replay speed: ``socklock audit`` on generated flow records of every format (target:
1,000,000 records in under 10 s), read line by line in bounded memory.

The cluster: SERVICES Deployments with a dumped Pod each (pod IPs), a Service (clusterIP)
each, and one ingress policy per service admitting its caller. Records are the calls of a
running application (each service calls its neighbour, through the pod IP or the Service
IP), with some calls to random services and to outside addresses; the engine answers once
per distinct (source, destination, port, protocol).

``python -m benchmarks --small flows`` (100,000 records) or ``make bench`` (1,000,000).
"""

from __future__ import annotations

import itertools
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SERVICES = 200
T0 = 1768039200

WORKLOAD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: svc-{i}, namespace: bench}}
spec:
  selector: {{matchLabels: {{app: svc-{i}}}}}
  template:
    metadata: {{labels: {{app: svc-{i}}}}}
    spec:
      containers: [{{name: app, image: bench/app:1, ports: [{{containerPort: 8080}}]}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: svc-{i}-5d6f7a-abcde
  namespace: bench
  labels: {{app: svc-{i}, pod-template-hash: 5d6f7a}}
  ownerReferences: [{{kind: ReplicaSet, name: svc-{i}-5d6f7a, controller: true}}]
spec:
  containers: [{{name: app, image: bench/app:1, ports: [{{containerPort: 8080}}]}}]
status: {{podIP: {ip}}}
---
apiVersion: v1
kind: Service
metadata: {{name: svc-{i}, namespace: bench}}
spec:
  clusterIP: {service_ip}
  selector: {{app: svc-{i}}}
  ports: [{{port: 80, targetPort: 8080}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: svc-{i}, namespace: bench}}
spec:
  podSelector: {{matchLabels: {{app: svc-{i}}}}}
  policyTypes: [Ingress]
  ingress:
    - from: [{{podSelector: {{matchLabels: {{app: svc-{j}}}}}}}]
      ports: [{{port: 8080}}]
"""


def _pod_ip(i: int) -> str:
    return f"10.1.{i // 250}.{i % 250 + 1}"


def _service_ip(i: int) -> str:
    return f"10.96.{i // 250}.{i % 250 + 1}"


def write_cluster(directory: Path) -> None:
    parts = [
        WORKLOAD.format(i=i, j=(i + 1) % SERVICES, ip=_pod_ip(i), service_ip=_service_ip(i))
        for i in range(SERVICES)
    ]
    (directory / "cluster.yaml").write_text("---\n".join(parts), encoding="utf-8")


def _pairs(count: int) -> Iterator[tuple[str, str, int, int, int]]:
    """(src, dst, sport, dport, second) for ``count`` records, seeded: svc-N calls svc-(N-1)
    (its policy admits it), half through the pod IP, half through the Service; 2% of the
    records call a random service (mostly dropped) and 3% go outside."""
    rng = random.Random(16)
    for n in range(count):
        a = rng.randrange(SERVICES)
        b = (a - 1) % SERVICES
        roll = rng.random()
        if roll < 0.02:
            b = rng.randrange(SERVICES)
        if roll < 0.475:
            dst, dport = _pod_ip(b), 8080
        elif roll < 0.97:
            dst, dport = _service_ip(b), 80
        else:
            dst, dport = f"9.9.{b % 8}.{a % 4 + 1}", 443  # public: outside
        yield (_pod_ip(a), dst, 30000 + n % 30000, dport, n % 3600)


def _hubble(src: str, dst: str, sport: int, dport: int, second: int) -> str:
    time = f"2026-01-10T10:{second // 60:02d}:{second % 60:02d}.000000001Z"
    return (
        f'{{"flow":{{"time":"{time}","verdict":"FORWARDED",'
        f'"IP":{{"source":"{src}","destination":"{dst}","ipVersion":"IPv4"}},'
        f'"l4":{{"TCP":{{"source_port":{sport},"destination_port":{dport},'
        '"flags":{"SYN":true}}},"source":{"namespace":"bench","labels":["k8s:app=x"]},'
        '"destination":{},"Type":"L3_L4","node_name":"node-1","is_reply":false,'
        '"traffic_direction":"EGRESS","Summary":"TCP Flags: SYN"},"node_name":"node-1"}'
    )


def _calico(src: str, dst: str, sport: int, dport: int, second: int) -> str:
    del sport
    return (
        f'{{"start_time":{T0 + second},"end_time":{T0 + second + 10},"source_ip":"{src}",'
        '"source_name":"-","source_name_aggr":"svc-*","source_namespace":"bench",'
        f'"dest_ip":"{dst}","dest_name":"-","dest_name_aggr":"svc-*",'
        f'"dest_namespace":"bench","dest_port":{dport},"proto":"tcp","action":"allow",'
        '"reporter":"src","num_flows":1}'
    )


def _kernel(src: str, dst: str, sport: int, dport: int, second: int) -> str:
    return (
        f"2026-01-10T10:{second // 60:02d}:{second % 60:02d}.000000+00:00 node-1 kernel: "
        f"[1234.5678] calico-packet: IN=cali1a2b OUT=eth0 SRC={src} DST={dst} LEN=60 "
        f"TOS=0x00 PREC=0x00 TTL=63 ID=4242 DF PROTO=TCP SPT={sport} DPT={dport} "
        "WINDOW=64240 RES=0x00 SYN URGP=0"
    )


def _vpc(src: str, dst: str, sport: int, dport: int, second: int) -> str:
    return (
        f"2 123456789010 eni-0a1b2c3d4e5f60001 {src} {dst} {sport} {dport} 6 10 840 "
        f"{T0 + second} {T0 + second + 60} ACCEPT OK"
    )


FORMATS: dict[str, tuple[str, Callable[..., str]]] = {
    "hubble": ("", _hubble),
    "calico": ("", _calico),
    "kernel-log": ("", _kernel),
    "vpc": (
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
        "bytes start end action log-status\n",
        _vpc,
    ),
}


def write_flows(path: Path, name: str, count: int) -> int:
    header, line = FORMATS[name]
    pairs = _pairs(count)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        while batch := list(itertools.islice(pairs, 10000)):
            handle.write("".join(line(*p) + "\n" for p in batch))
    return path.stat().st_size


def _cpu() -> float:
    """CPU seconds of this process and its reader processes: on a shared machine the wall
    time says more about the neighbours than about socklock."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(directory: Path, name: str, count: int) -> dict[str, Any]:
    from socklock.flows.addresses import AddressBook
    from socklock.flows.audit import drops, endpoints, replay
    from socklock.flows.read import read_flows
    from socklock.load import load_paths
    from socklock.policy import analyse

    flows = directory / f"{name}.log"
    size = write_flows(flows, name, count)
    start = time.perf_counter()
    cpu = _cpu()
    inventory = load_paths([str(directory / "cluster.yaml")])
    connectivity = analyse(inventory)
    loaded = time.perf_counter()
    read = read_flows([str(flows)])
    done_reading = time.perf_counter()
    book = AddressBook(inventory, endpoints(connectivity))
    replayed = replay(read, book)
    found = drops(connectivity, replayed.tuples)
    end = time.perf_counter()
    flows.unlink()
    return {
        "format": name,
        "records": read.records,
        "bad_lines": read.bad,
        "file_mb": round(size / 1e6, 1),
        "distinct_flows": len(replayed.tuples),
        "dropped": len(found),
        "load_and_compile_s": round(loaded - start, 3),
        "read_s": round(done_reading - loaded, 3),
        "map_and_judge_s": round(end - done_reading, 3),
        "replay_s": round(end - loaded, 3),
        "replay_cpu_s": round(_cpu() - cpu, 3),
        "records_per_s": round(read.records / (end - loaded)),
    }


def main(full: bool = False) -> dict[str, Any]:
    count = 1_000_000 if full else 100_000
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-flows-") as tmp:
        directory = Path(tmp)
        write_cluster(directory)
        for name in FORMATS:
            row = measure(directory, name, count)
            runs.append(row)
            print(
                f"flows: {row['format']}: {row['records']} records ({row['file_mb']} MB), "
                f"{row['distinct_flows']} distinct, {row['dropped']} dropped: read "
                f"{row['read_s']} s + map and judge {row['map_and_judge_s']} s = "
                f"{row['replay_s']} s ({row['records_per_s']}/s), {row['replay_cpu_s']} CPU s",
                file=sys.stderr,
            )
    peak_mb = max(
        resource.getrusage(who).ru_maxrss / 1024
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {
        "name": "flows",
        "runs": runs,
        "peak_rss_mb": round(peak_mb),
        "target": "1,000,000 records replayed in under 10 s (CPU s, load and compile included)",
        "ok": all(r["replay_cpu_s"] * 1_000_000 / max(r["records"], 1) < 10.0 for r in runs),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    result = main("--full" in sys.argv[1:])
    sys.exit(0 if result["ok"] else 1)
