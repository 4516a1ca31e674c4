"""What ``socklock lab up`` leaves for ``probe`` and ``down``: one JSON file per run.

``/run/socklock-lab/<run id>.json`` holds the topology, the digest of the rules installed and
the pids of the listeners the lab started (``down`` stops exactly those pids, and deletes the
namespaces of the run's prefix). ``<run id>.lock`` is the lab's lock: a process that uses
the lab (``probe``) holds it shared; ``down`` takes it exclusively without waiting, and
leaves a lab in use alone.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socklock.model import Protocol

from .topology import LabPod, Outside, PodPort, Topology, Unsampled

STATE_DIR = Path("/run/socklock-lab")
SCHEMA = "socklock/lab-state/v1"


@dataclass(frozen=True, slots=True)
class RunState:
    topology: Topology
    digest: str  # of the topology and the rules installed: probe refuses a changed input
    listeners: Mapping[str, int]  # netns -> pid
    inputs: tuple[str, ...]
    externals: tuple[str, ...] = ()  # external ranges asked for at `up`
    mode: str = "enforce"  # or "log": the policies only log what they would deny
    log: str | None = None  # the file the lab's log reader writes (log mode)

    @property
    def run_id(self) -> str:
        return self.topology.run_id


def topology_to_dict(topology: Topology) -> dict[str, Any]:
    return {
        "run_id": topology.run_id,
        "prefix": topology.prefix,
        "pods": [
            {
                "endpoint": p.endpoint,
                "replica": p.replica,
                "namespace": p.namespace,
                "labels": dict(p.labels),
                "ports": [[q.number, str(q.protocol), q.name] for q in p.ports],
                "addresses": list(p.addresses),
                "given": p.given,
                "netns": p.netns,
            }
            for p in topology.pods
        ],
        "outside": {
            "netns": topology.outside.netns,
            "addresses": list(topology.outside.addresses),
            "samples": {k: list(v) for k, v in topology.outside.samples.items()},
            "unsampled": [[u.name, u.reason, u.whole] for u in topology.outside.unsampled],
        },
        "namespace_labels": {k: dict(v) for k, v in topology.namespace_labels.items()},
        "single_pod": sorted(topology.single_pod),
        "pod_ports": [[n, str(p)] for n, p in topology.pod_ports],
        "outside_ports": [[n, str(p)] for n, p in topology.outside_ports],
        "endpoints": list(topology.endpoints),
        "served": {k: [list(x) for x in v] for k, v in topology.served.items()},
    }


def topology_from_dict(data: Mapping[str, Any]) -> Topology:
    outside = data["outside"]
    return Topology(
        run_id=str(data["run_id"]),
        prefix=str(data["prefix"]),
        pods=tuple(
            LabPod(
                endpoint=p["endpoint"],
                replica=int(p["replica"]),
                namespace=p["namespace"],
                labels=dict(p["labels"]),
                ports=tuple(
                    PodPort(int(n), Protocol(proto), name) for n, proto, name in p["ports"]
                ),
                addresses=tuple(p["addresses"]),
                given=bool(p["given"]),
                netns=p["netns"],
            )
            for p in data["pods"]
        ),
        outside=Outside(
            netns=outside["netns"],
            addresses=tuple(outside["addresses"]),
            samples={k: tuple(v) for k, v in outside["samples"].items()},
            unsampled=tuple(Unsampled(n, r, bool(w)) for n, r, w in outside["unsampled"]),
        ),
        namespace_labels={k: dict(v) for k, v in data["namespace_labels"].items()},
        single_pod=frozenset(data["single_pod"]),
        pod_ports=tuple((int(n), Protocol(p)) for n, p in data["pod_ports"]),
        outside_ports=tuple((int(n), Protocol(p)) for n, p in data["outside_ports"]),
        endpoints=tuple(data["endpoints"]),
        served={
            k: tuple((str(a), int(n), str(p)) for a, n, p in v)
            for k, v in data.get("served", {}).items()
        },
    )


def path_of(run_id: str, directory: Path = STATE_DIR) -> Path:
    return directory / f"{run_id}.json"


def save(state: RunState, directory: Path = STATE_DIR) -> Path:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = path_of(state.run_id, directory)
    body = {
        "schema": SCHEMA,
        "digest": state.digest,
        "inputs": list(state.inputs),
        "externals": list(state.externals),
        "mode": state.mode,
        "log": state.log,
        "listeners": dict(state.listeners),
        "topology": topology_to_dict(state.topology),
    }
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(body, indent=1, sort_keys=True))
    temporary.replace(path)
    return path


def load(run_id: str, directory: Path = STATE_DIR) -> RunState | None:
    path = path_of(run_id, directory)
    try:
        body = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if body.get("schema") != SCHEMA:
        return None
    return RunState(
        topology=topology_from_dict(body["topology"]),
        digest=str(body["digest"]),
        listeners={str(k): int(v) for k, v in body["listeners"].items()},
        inputs=tuple(body["inputs"]),
        externals=tuple(body.get("externals", ())),
        mode=str(body.get("mode", "enforce")),
        log=body.get("log"),
    )


def saved(directory: Path = STATE_DIR) -> list[str]:
    """Run ids with a state file."""
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.json"))


def forget(run_id: str, directory: Path = STATE_DIR) -> None:
    path_of(run_id, directory).unlink(missing_ok=True)
    (directory / f"{run_id}.lock").unlink(missing_ok=True)


class LabInUse(Exception):
    """Another process holds the lab's lock."""


@contextmanager
def locked(run_id: str, directory: Path = STATE_DIR, *, exclusive: bool) -> Iterator[None]:
    """Hold the lab's lock: shared to use the lab, exclusive (never waiting) to remove it.

    Raises :class:`LabInUse` when ``exclusive`` and another process holds it.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(directory / f"{run_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB if exclusive else fcntl.LOCK_SH)
        except BlockingIOError:
            raise LabInUse(run_id) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
