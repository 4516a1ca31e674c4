"""The lab's log: what log-mode rules report, written as a flow file.

In log mode (:mod:`.nft`) a pod's chain logs each connection its policies would refuse to
nflog group :data:`~socklock.lab.nft.LOG_GROUP`, with the pod and the direction in the
prefix, and lets it through. :func:`recording` runs the lab's agent (``nflog``) subscribed to
that group in every pod's namespace; it appends one JSON line per logged packet to a file,
the ``lab`` flow format (:mod:`socklock.flows.formats.lab`). The addresses in it are the
lab's: :func:`address_table` writes them as an ``--addresses`` table, so ``socklock audit``
maps them to workloads like any other flow source.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import nft, system
from .topology import Topology

READY_TIMEOUT = 10.0


def start(topology: Topology, path: Path, detached: bool = False) -> subprocess.Popen[bytes]:
    """Start recording the log of every pod of ``topology`` into ``path`` (appended);
    ``detached``: in a session of its own, to outlive this process (``socklock lab up``:
    ``lab down`` stops it by its pid)."""
    spec = {
        "group": nft.LOG_GROUP,
        "namespaces": [[str(system.NETNS_DIR / p.netns), p.netns] for p in topology.pods],
        "out": str(path),
    }
    process = subprocess.Popen(
        [*system.agent_argv(), "nflog"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=detached,
    )
    try:
        out, err = _ready(process, json.dumps(spec).encode())
    except BaseException:
        system.stop_started([process])
        raise
    if out.strip() != b"ready":
        system.stop_started([process])
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["exited"]
        raise system.LabError(f"the lab's log reader failed: {last[0]}")
    if detached and process.stderr is not None:
        process.stderr.close()
    return process


def _ready(process: subprocess.Popen[bytes], spec: bytes) -> tuple[bytes, bytes]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(spec)
    process.stdin.close()
    line = process.stdout.readline()
    process.stdout.close()
    if line.strip() == b"ready":
        return line, b""
    process.wait(timeout=READY_TIMEOUT)
    err = process.stderr.read() if process.stderr is not None else b""
    return line, err


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the reader: it reads what is pending, writes it, and exits."""
    system.stop_started([process], grace=5.0)
    if process.stderr is not None:
        process.stderr.close()


@contextmanager
def recording(topology: Topology, path: Path) -> Iterator[Path]:
    """Record the lab's log into ``path`` while the block runs."""
    process = start(topology, path)
    try:
        yield path
    finally:
        stop(process)


def address_table(topology: Topology) -> str:
    """``ADDRESS WORKLOAD`` lines for every address of the lab (``--addresses``)."""
    lines = ["# the lab's addresses: pods, and the namespace that stands for outside"]
    for pod in topology.pods:
        lines.extend(f"{address} {pod.endpoint}" for address in pod.addresses)
    lines.extend(f"{a} external:{a}" for a in topology.outside.addresses)
    return "\n".join(lines) + "\n"
