"""The workloads' own programs, run in the lab's pods: what a kubelet would run, without
images.

A container runs for real when its image is built from a folder the inputs hold (a compose
service with the same ``image`` and a ``build`` context): the Dockerfile's ``ENTRYPOINT`` and
``CMD`` (exec form) run in that folder, with the container's environment as the manifest
gives it: ``value``, ``configMapKeyRef``, ``secretKeyRef``, ``envFrom``, and ``$(VAR)``
references expanded as the kubelet expands them. A Secret's value is read from its file only
to hand it to the program (as the kubelet does); socklock's model never holds it.

A program gets the pod's network namespace (its own address, its own ports) and its hosts
file (:mod:`.services`); it serves its container ports on the pod's IPv4 address.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socklock.load.kubelet_expansion import expand
from socklock.model import Container, Inventory, Protocol, Workload
from socklock.model.dockerfile import Dockerfile
from socklock.model.kubernetes import EnvFromKind, EnvSourceKind

from . import system
from .topology import LabPod, Topology

_PYTHON = {"python", "python3"}  # an image's interpreter: this one, when the image is Python


@dataclass(frozen=True, slots=True)
class Program:
    """One container of a workload, to be run in the workload's first pod."""

    endpoint: str  # namespace/name
    container: str
    argv: tuple[str, ...]
    cwd: str
    env: Mapping[str, str]
    ports: tuple[int, ...]  # the TCP container ports it serves

    def __repr__(self) -> str:  # the environment may hold a Secret's value
        return f"Program({self.endpoint}, {self.container}, {' '.join(self.argv)})"


@dataclass(frozen=True, slots=True)
class NotRun:
    """A container the lab cannot run, and why."""

    endpoint: str
    container: str
    reason: str


def _command(dockerfile: Dockerfile) -> list[str] | None:
    """ENTRYPOINT + CMD of the final stage, exec form (JSON arrays) only."""
    entrypoint: list[str] = []
    command: list[str] = []
    for instruction in dockerfile.final_stage():
        if instruction.keyword not in ("CMD", "ENTRYPOINT"):
            continue
        try:
            value = json.loads(instruction.value)
        except ValueError:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None
        if instruction.keyword == "CMD":
            command = value
        else:
            entrypoint, command = value, []  # an ENTRYPOINT resets an earlier CMD
    argv = entrypoint + command
    return argv or None


def _secret_value(inventory: Inventory, namespace: str, name: str, key: str) -> str | None:
    """A Secret's key, read from the file that defines it (``data`` is base64)."""
    from ruamel.yaml import YAML

    for secret in inventory.secrets:
        if secret.namespace != namespace or secret.name != name:
            continue
        file = secret.obj.location.file
        try:
            documents = list(YAML(typ="safe").load_all(Path(file).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None
        for body in documents:
            if not isinstance(body, dict) or body.get("kind") != "Secret":
                continue
            meta = body.get("metadata") or {}
            if meta.get("name") != name or (meta.get("namespace") or "default") != namespace:
                continue
            plain = (body.get("stringData") or {}).get(key)
            if isinstance(plain, str):
                return plain
            encoded = (body.get("data") or {}).get(key)
            if isinstance(encoded, str):
                try:
                    return base64.b64decode(encoded, validate=True).decode("utf-8")
                except (binascii.Error, UnicodeDecodeError):
                    return None
    return None


def environment(inventory: Inventory, workload: Workload, container: Container) -> dict[str, str]:
    """The container's environment as the kubelet builds it (envFrom first, then env)."""
    namespace = workload.namespace
    config_maps = {c.name: c.data for c in inventory.config_maps if c.namespace == namespace}
    env: dict[str, str] = {}
    for source in container.env_from:
        if source.kind is EnvFromKind.CONFIG_MAP:
            for key, value in config_maps.get(source.name, {}).items():
                env[source.prefix + key] = value
        else:
            secret = next(
                (
                    s
                    for s in inventory.secrets
                    if s.namespace == namespace and s.name == source.name
                ),
                None,
            )
            for key in secret.keys if secret is not None else ():
                from_secret = _secret_value(inventory, namespace, source.name, key)
                if from_secret is not None:
                    env[source.prefix + key] = from_secret
    for var in container.env:
        if var.value is not None:
            env[var.name] = expand(var.value, env)
        elif var.source is not None and var.source.kind is EnvSourceKind.CONFIG_MAP_KEY:
            found = config_maps.get(var.source.name or "", {}).get(var.source.key or "")
            if found is not None:
                env[var.name] = found
        elif var.source is not None and var.source.kind is EnvSourceKind.SECRET_KEY:
            secret_value = _secret_value(
                inventory, namespace, var.source.name or "", var.source.key or ""
            )
            if secret_value is not None:
                env[var.name] = secret_value
    return env


def _builds(inventory: Inventory) -> dict[str, tuple[str, str]]:
    """image -> (build context, Dockerfile path) from the compose files of the inputs."""
    out: dict[str, tuple[str, str]] = {}
    for project in inventory.compose_projects:
        for service in project.services:
            if service.image and service.build_context:
                dockerfile = Path(service.build_context) / (service.dockerfile or "Dockerfile")
                out.setdefault(service.image, (service.build_context, str(dockerfile.resolve())))
    return out


def programs(inventory: Inventory) -> tuple[list[Program], list[NotRun]]:
    """The programs of every Kubernetes workload whose images the inputs build."""
    builds = _builds(inventory)
    dockerfiles = {str(Path(d.path).resolve()): d for d in inventory.dockerfiles}
    found: list[Program] = []
    skipped: list[NotRun] = []
    for workload in inventory.workloads:
        for container in workload.containers:
            if container.role.value != "containers":
                continue
            build = builds.get(container.image or "")
            if build is None:
                reason = f"image {container.image} is built from no folder of the inputs"
                skipped.append(NotRun(workload.id, container.name, reason))
                continue
            context, dockerfile = build
            parsed = dockerfiles.get(dockerfile)
            argv = _command(parsed) if parsed is not None else None
            if argv is None:
                reason = (
                    f"{dockerfile} has no exec-form CMD or ENTRYPOINT"
                    if parsed is not None
                    else f"{dockerfile} is not among the inputs"
                )
                skipped.append(NotRun(workload.id, container.name, reason))
                continue
            if argv[0] in _PYTHON:
                argv = [sys.executable, *argv[1:]]
            ports = tuple(p.container_port for p in container.ports if p.protocol is Protocol.TCP)
            found.append(
                Program(
                    workload.id,
                    container.name,
                    tuple(argv),
                    str(Path(context).resolve()),
                    environment(inventory, workload, container),
                    ports,
                )
            )
    return found, skipped


def home(topology: Topology, program: Program) -> LabPod | None:
    """The pod a program runs in: its workload's first."""
    pods = topology.pods_of(program.endpoint)
    return pods[0] if pods else None


def served(
    topology: Topology, chosen: Sequence[Program]
) -> dict[str, tuple[tuple[str, int, str], ...]]:
    """netns -> the sockets the programs serve (their TCP ports on the pod's IPv4 address)."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for program in chosen:
        pod = home(topology, program)
        address = pod.address(4) if pod is not None else None
        if pod is None or address is None:
            continue
        out.setdefault(pod.netns, []).extend((address, port, "TCP") for port in program.ports)
    return {k: tuple(sorted(set(v))) for k, v in out.items()}


def start(
    topology: Topology, chosen: Sequence[Program], timeout: float = 15.0
) -> list[subprocess.Popen[bytes]]:
    """Start every program in its pod; return once each serves its ports."""
    started: list[subprocess.Popen[bytes]] = []
    placed = [program for program in chosen if home(topology, program) is not None]
    try:
        for program in placed:
            pod = home(topology, program)
            assert pod is not None
            env: dict[str, Any] = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOSTNAME": program.endpoint.partition("/")[2],
                "PYTHONUNBUFFERED": "1",
                **program.env,
            }
            started.append(
                subprocess.Popen(
                    system.netns_exec(pod.netns, list(program.argv)),
                    cwd=program.cwd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        _wait_serving(topology, placed, started, timeout)
    except BaseException:
        system.stop_started(started)
        raise
    return started


ROUND = 1.0  # seconds each prober keeps retrying before the programs are checked again


def _wait_serving(
    topology: Topology,
    chosen: Sequence[Program],
    started: Sequence[subprocess.Popen[bytes]],
    timeout: float,
) -> None:
    """Connect to every program's sockets from its own pod until all answer; a program that
    exits meanwhile is an error at once."""
    from .probe import run_prober_spec

    pending = {
        netns: list(sockets) for netns, sockets in served(topology, chosen).items() if sockets
    }
    deadline = time.monotonic() + timeout
    while pending:
        with ThreadPoolExecutor(max_workers=len(pending)) as pool:
            asked = {
                netns: pool.submit(
                    run_prober_spec,
                    netns,
                    {
                        "timeout": 0.3,
                        "retry_for": ROUND,
                        "attempts": [
                            [i, a, p, proto, None, True] for i, (a, p, proto) in enumerate(sockets)
                        ],
                    },
                )
                for netns, sockets in pending.items()
            }
            for netns, future in asked.items():
                outcomes = future.result()
                pending[netns] = [
                    s
                    for i, s in enumerate(pending[netns])
                    if outcomes.get(str(i)) != "ok:connected"
                ]
        pending = {k: v for k, v in pending.items() if v}
        dead = [program for program, p in zip(chosen, started, strict=True) if p.poll() is not None]
        if dead:
            raise system.LabError(f"a program exited at start: {dead[0]!r}")
        if pending and time.monotonic() > deadline:
            raise system.LabError(f"programs not serving after {timeout:g}s: {sorted(pending)}")
