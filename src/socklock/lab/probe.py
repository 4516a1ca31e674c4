"""Listeners and probes: what the kernel actually lets through.

A listener (:mod:`socklock.lab._agent`, run with ``ip netns exec``) serves every port of its
pod on every address of the pod, TCP and UDP, and answers with its namespace's name, so a
probe knows it reached the pod it meant. The outside namespace serves the ports the lab
probes outside the cluster, on each of its sample addresses.

A probe opens a TCP connection (or sends a UDP datagram and waits for the answer) from the
source pod's namespace to the target's address, with a short timeout. One prober per source
namespace runs all of its attempts at once (threads), and all namespaces probe at the same
time, so a whole lab is probed in about one timeout.

Rows: (source, target, port, protocol) between workloads on the target's declared ports and
the ports the policies mention; from each external range to each workload on its ports; and
from each workload to each external range on the lab's outside ports. A workload row covers
every pair of pods (distinct pods for ``w -> w``, except a bare Pod, which is itself) over
every address family both pods have; an external row covers one address per atom of the
range. The kernel's verdict is ALLOWED when every attempt got through, DENIED when none did,
PARTIAL otherwise. A row that would be PARTIAL because some attempts timed out gets a second
look at those attempts alone, with a longer timeout: on a loaded machine an answer can come
after the first timeout, while a packet the policy drops times out again. SCTP rows are
skipped: this kernel has no SCTP sockets.
"""

from __future__ import annotations

import ipaddress
import json
import os
import selectors
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from socklock.model import Protocol
from socklock.policy.result import Verdict

from . import system
from .topology import PROBED, LabPod, Topology

DEFAULT_TIMEOUT = 0.4
RECHECK_TIMEOUT = 2.0  # the second look at a partial row's attempts that timed out
CONNECTED = "connected"
SCTP_REASON = "SCTP: the kernel here has no SCTP sockets, so nothing can be probed"


@dataclass(frozen=True, slots=True)
class Attempt:
    """One connection from ``netns`` to ``address``:``port``, on behalf of a row."""

    source: str
    target: str
    port: int
    protocol: Protocol
    netns: str  # where the probe runs
    address: str  # the destination
    bind: str | None  # the source address (the outside namespace has many)
    expect: str  # the listener's answer: its namespace ("connected": a program's port)
    pair: str  # e.g. "x/a#0 -> x/b#0"

    @property
    def connect_only(self) -> bool:
        """A real program serves the port: a connection made is the answer (it would not
        speak first)."""
        return self.expect == CONNECTED

    @property
    def family(self) -> str:
        return "IPv4" if ipaddress.ip_address(self.address).version == 4 else "IPv6"


@dataclass(frozen=True, slots=True)
class Observation:
    attempt: Attempt
    outcome: str  # ok:<token>, refused, timeout, error:<errno>

    @property
    def allowed(self) -> bool:
        return self.outcome == f"ok:{self.attempt.expect}"

    def __str__(self) -> str:
        what = "allowed" if self.allowed else f"denied ({self.outcome})"
        return f"{self.attempt.pair} {self.attempt.family} {self.attempt.address}: {what}"


@dataclass(frozen=True, slots=True)
class ObservedRow:
    """What the kernel did for one row: the verdict and every attempt behind it."""

    source: str
    target: str
    port: int
    protocol: Protocol
    verdict: Verdict
    observations: tuple[Observation, ...]

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.source, self.target, self.port, str(self.protocol))

    def detail(self) -> str:
        """Which attempts went through, by family and pod pair (for a PARTIAL row)."""
        by_family: dict[str, list[bool]] = defaultdict(list)
        for observation in self.observations:
            by_family[observation.attempt.family].append(observation.allowed)
        parts = [f"{family} {_verdict(found)}" for family, found in sorted(by_family.items())]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row the lab cannot observe, with the reason (never a silent gap)."""

    source: str
    target: str
    port: int
    protocol: Protocol
    reason: str


@dataclass(frozen=True, slots=True)
class Observed:
    rows: tuple[ObservedRow, ...]
    skipped: tuple[SkippedRow, ...]
    attempts: int
    seconds: float


def _verdict(allowed: Iterable[bool]) -> Verdict:
    found = list(allowed)
    if found and all(found):
        return Verdict.ALLOWED
    if any(found):
        return Verdict.PARTIAL
    return Verdict.DENIED


# -- listeners -------------------------------------------------------------------------------


def start_listeners(
    topology: Topology, timeout: float = 15.0
) -> dict[str, subprocess.Popen[bytes]]:
    """Start one listener per namespace (pods and outside); netns -> process, once all are
    ready."""
    specs: list[tuple[str, list[tuple[str, int, str]]]] = [
        (pod.netns, topology.sockets(pod)) for pod in topology.pods
    ]
    specs.append((topology.outside.netns, topology.outside_sockets()))
    procs: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for netns, sockets in specs:
            proc = subprocess.Popen(
                system.netns_exec(netns, [*system.agent_argv(), "listen"]),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # outlives `socklock lab up`; stopped by pid
            )
            procs[netns] = proc
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({"token": netns, "sockets": sockets}).encode())
            proc.stdin.close()
        _wait_ready(procs, timeout)
    except BaseException:
        system.stop([p.pid for p in procs.values()])
        raise
    return procs


def _wait_ready(procs: Mapping[str, subprocess.Popen[bytes]], timeout: float) -> None:
    waiting = selectors.DefaultSelector()
    for netns, proc in procs.items():
        assert proc.stdout is not None
        waiting.register(proc.stdout, selectors.EVENT_READ, netns)
    deadline = time.monotonic() + timeout
    pending = set(procs)
    while pending:
        left = deadline - time.monotonic()
        if left <= 0:
            raise system.LabError(f"listeners not ready after {timeout:g}s: {sorted(pending)}")
        for key, _ in waiting.select(left):
            netns = str(key.data)
            proc = procs[netns]
            assert proc.stdout is not None
            line = proc.stdout.readline()
            waiting.unregister(proc.stdout)
            proc.stdout.close()
            if line.strip() != b"ready":
                proc.wait(timeout=5)
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                last = err.strip().splitlines()[-1:] or ["exited"]
                raise system.LabError(f"the listener in {netns} failed: {last[0]}")
            pending.discard(netns)
    for proc in procs.values():
        if proc.stderr is not None:
            proc.stderr.close()


# -- attempts --------------------------------------------------------------------------------


def _pairs(topology: Topology, source: str, target: str) -> list[tuple[LabPod, LabPod]]:
    sources, targets = topology.pods_of(source), topology.pods_of(target)
    if source == target:
        if source in topology.single_pod:
            return [(p, p) for p in sources]
        return [(p, q) for p in sources for q in targets if p is not q]
    return [(p, q) for p in sources for q in targets]


def plan_attempts(topology: Topology) -> tuple[list[list[Attempt]], list[SkippedRow]]:
    """Every row's attempts (one list per row) and the rows that cannot be probed."""
    rows: list[list[Attempt]] = []
    skipped: list[SkippedRow] = []
    outside = topology.outside
    for target in topology.endpoints:
        ports = sorted(set(topology.declared(target)) | set(topology.pod_ports))
        for port, protocol in ports:
            for source in topology.endpoints:
                if protocol not in PROBED:
                    skipped.append(SkippedRow(source, target, port, protocol, SCTP_REASON))
                    continue
                pairs = _pairs(topology, source, target)
                found = [
                    Attempt(
                        source,
                        target,
                        port,
                        protocol,
                        p.netns,
                        address,
                        None,
                        _expect(topology, q, address, port, protocol),
                        f"{p.name} -> {q.name}",
                    )
                    for p, q in pairs
                    for version in (4, 6)
                    if p.address(version) and (address := q.address(version))
                ]
                if found:
                    rows.append(found)
                else:
                    reason = (
                        "one pod, whose IPs the input gives: no second pod to probe"
                        if pairs == []
                        else "the pods share no address family"
                    )
                    skipped.append(SkippedRow(source, target, port, protocol, reason))
            for name, samples in outside.samples.items():
                if protocol not in PROBED:
                    skipped.append(SkippedRow(name, target, port, protocol, SCTP_REASON))
                    continue
                found = [
                    Attempt(
                        name,
                        target,
                        port,
                        protocol,
                        outside.netns,
                        address,
                        sample,
                        _expect(topology, q, address, port, protocol),
                        f"{sample} -> {q.name}",
                    )
                    for sample in samples
                    for q in topology.pods_of(target)
                    if (address := q.address(ipaddress.ip_address(sample).version))
                ]
                _add(rows, skipped, found, name, target, port, protocol)
    for source in topology.endpoints:
        for name, samples in outside.samples.items():
            for port, protocol in topology.outside_ports:
                if protocol not in PROBED:
                    continue
                found = [
                    Attempt(
                        source,
                        name,
                        port,
                        protocol,
                        p.netns,
                        sample,
                        None,
                        outside.netns,
                        f"{p.name} -> {sample}",
                    )
                    for sample in samples
                    for p in topology.pods_of(source)
                    if p.address(ipaddress.ip_address(sample).version)
                ]
                _add(rows, skipped, found, source, name, port, protocol)
    for missing in outside.unsampled:
        if not missing.whole:
            continue
        reason = f"{missing.name} is not probed: {missing.reason}"
        for endpoint in topology.endpoints:
            for port, protocol in sorted(
                set(topology.declared(endpoint)) | set(topology.pod_ports)
            ):
                skipped.append(SkippedRow(missing.name, endpoint, port, protocol, reason))
            for port, protocol in topology.outside_ports:
                skipped.append(SkippedRow(endpoint, missing.name, port, protocol, reason))
    return rows, skipped


def _expect(topology: Topology, pod: LabPod, address: str, port: int, protocol: Protocol) -> str:
    """What an attempt at ``pod`` must get back: the listener's token, or a connection to a
    real program's socket."""
    if (address, port, str(protocol)) in topology.served.get(pod.netns, ()):
        return CONNECTED
    return pod.netns


def _add(
    rows: list[list[Attempt]],
    skipped: list[SkippedRow],
    found: list[Attempt],
    source: str,
    target: str,
    port: int,
    protocol: Protocol,
) -> None:
    if found:
        rows.append(found)
    else:
        reason = "no pod of the workload has an address of the range's family"
        skipped.append(SkippedRow(source, target, port, protocol, reason))


def _run_prober(netns: str, attempts: list[tuple[int, Attempt]], timeout: float) -> dict[str, str]:
    spec = {
        "timeout": timeout,
        "attempts": [
            [i, a.address, a.port, str(a.protocol), a.bind, a.connect_only] for i, a in attempts
        ],
    }
    return run_prober_spec(netns, spec)


def run_prober_spec(netns: str, spec: dict[str, Any]) -> dict[str, str]:
    """Run the agent's ``probe`` in ``netns``: attempt id -> outcome."""
    attempts = len(spec["attempts"])
    out = system.run(
        system.netns_exec(netns, [*system.agent_argv(), "probe"]),
        json.dumps(spec),
        timeout=60 + float(spec["timeout"]) * attempts / 16,
    )
    result = json.loads(out)
    if not isinstance(result, dict):
        raise system.LabError(f"the prober in {netns} answered {out[:80]!r}")
    return {str(k): str(v) for k, v in result.items()}


def _probe_all(
    by_netns: Mapping[str, list[tuple[int, Attempt]]], timeout: float
) -> dict[tuple[str, int], str]:
    """Every namespace's attempts at once: (netns, attempt id) -> outcome."""
    outcomes: dict[tuple[str, int], str] = {}
    workers = min(len(by_netns), max(4, (os.cpu_count() or 2) * 8)) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            netns: pool.submit(_run_prober, netns, attempts, timeout)
            for netns, attempts in by_netns.items()
        }
        for netns, future in futures.items():
            for ident, outcome in future.result().items():
                outcomes[(netns, int(ident))] = outcome
    return outcomes


def _timed_out_in_partial_rows(
    rows: list[list[Attempt]], outcomes: Mapping[tuple[str, int], str], index: Mapping[int, int]
) -> dict[str, list[tuple[int, Attempt]]]:
    """The attempts to look at again: those that timed out in a row where another attempt
    went through. On a loaded machine an answer can come later than the first timeout; a
    packet the policy drops times out again, so the row stays what the kernel does."""
    again: dict[str, list[tuple[int, Attempt]]] = defaultdict(list)
    for row in rows:
        results = [(a, outcomes.get((a.netns, index[id(a)]), "missing")) for a in row]
        if not any(outcome == f"ok:{a.expect}" for a, outcome in results):
            continue
        for attempt, outcome in results:
            if outcome == "timeout":
                again[attempt.netns].append((index[id(attempt)], attempt))
    return again


def probe(topology: Topology, timeout: float = DEFAULT_TIMEOUT) -> Observed:
    """Probe every row of the lab (its namespaces and listeners must be up)."""
    started = time.perf_counter()
    rows, skipped = plan_attempts(topology)
    by_netns: dict[str, list[tuple[int, Attempt]]] = defaultdict(list)
    for row in rows:
        for attempt in row:
            by_netns[attempt.netns].append((len(by_netns[attempt.netns]), attempt))
    index = {id(a): i for attempts in by_netns.values() for i, a in attempts}
    outcomes = _probe_all(by_netns, timeout)
    again = _timed_out_in_partial_rows(rows, outcomes, index)
    if again:
        outcomes.update(_probe_all(again, max(timeout, RECHECK_TIMEOUT)))
    observed: list[ObservedRow] = []
    for row in rows:
        observations = tuple(
            Observation(a, outcomes.get((a.netns, index[id(a)]), "missing")) for a in row
        )
        first = row[0]
        observed.append(
            ObservedRow(
                first.source,
                first.target,
                first.port,
                first.protocol,
                _verdict(o.allowed for o in observations),
                observations,
            )
        )
    observed.sort(key=lambda r: (r.source, r.target, r.port, str(r.protocol)))
    return Observed(
        rows=tuple(observed),
        skipped=tuple(skipped),
        attempts=sum(len(r) for r in rows),
        seconds=round(time.perf_counter() - started, 3),
    )
