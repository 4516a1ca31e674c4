"""The rollout loop, for real: an application run in the lab, attacked and defended.

1. The inputs' programs run in the lab's pods (:mod:`socklock.lab.programs`), open: a
   scripted shopper (a program the caller gives, run from the outside namespace against the
   entry point) succeeds, and an attacker in the entry point's pod (the compromised
   container) reaches every Service it has no business calling and an outside address.
2. The policies generated from the map are enforced: the shopper succeeds again, every
   attempt of the attacker is refused; a full probe compares the kernel with the engine.
3. Log mode: the policies generated from the map *without one edge* are installed so that
   they only log what they would deny; the shopper still succeeds, and the lab's log,
   replayed by ``socklock audit``'s code (:mod:`socklock.flows.audit`), names the edge and
   the policies that would drop it.

Needs root, ``ip`` and ``nft`` (the lab); everything it creates is removed at the end.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from socklock.flows.audit import Drop, Tuple
from socklock.lab.compare import Comparison
from socklock.lab.session import Lab
from socklock.model import Edge, Inventory, Protocol, ServiceGraph
from socklock.policy import Connectivity

ATTACK_PORT = 443  # where the attacker sends what it stole, outside
ATTACK_TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Shopping:
    ok: bool
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Target:
    """What the attacker tries: a Service by its cluster name, or an outside address."""

    label: str  # the Service's id (e.g. "sock-shop/user-db"), or "outside"
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class Attack:
    target: Target
    reachable: bool
    outcome: str  # ok:connected, refused, timeout, ...
    destination: str  # the workload (or external:ADDRESS) the Service sends it to
    port: int  # its container port
    engine: str = ""  # the engine's verdict for the same connection, and who refuses it

    @property
    def agrees(self) -> bool:
        """The kernel did what the engine says."""
        return self.engine.startswith("allowed") == self.reachable


@dataclass(frozen=True, slots=True)
class Story:
    compromised: str
    shopper_before: Shopping
    attacks_before: tuple[Attack, ...]
    shopper_after: Shopping
    attacks_after: tuple[Attack, ...]
    comparison: Comparison | None
    left_out: Edge
    shopper_log_mode: Shopping
    would_drop: tuple[Drop, ...]
    missing: tuple[Tuple, ...]  # observed calls the log-mode graph lacks
    files: dict[str, Path]  # log, addresses, policies
    cluster: tuple[str, ...]  # the inputs: audit's --cluster
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """The story as it should go: the shop works throughout, every attack gets through
        before and none after, and exactly the left-out edge would be dropped."""
        edge = self.left_out
        wanted = [(edge.source, edge.target, edge.port, edge.protocol)]
        return (
            self.shopper_before.ok
            and self.shopper_after.ok
            and self.shopper_log_mode.ok
            and all(a.reachable for a in self.attacks_before)
            and not any(a.reachable for a in self.attacks_after)
            and all(a.agrees for a in (*self.attacks_before, *self.attacks_after))
            and (self.comparison is None or self.comparison.ok)
            and [d.flow for d in self.would_drop] == wanted
        )


def without(graph: ServiceGraph, edge: Edge) -> ServiceGraph:
    from dataclasses import replace

    return replace(graph, edges=tuple(e for e in graph.edges if e.key != edge.key))


def find_edge(graph: ServiceGraph, source: str, target: str) -> Edge:
    for edge in graph.edges:
        if edge.source == source and edge.target == target:
            return edge
    raise ValueError(f"the map has no edge {source} -> {target}")


def targets(inventory: Inventory, graph: ServiceGraph, compromised: str) -> list[Target]:
    """Every Service in the compromised workload's namespace that selects a workload it does
    not call (by its cluster name and Service port), then an outside address."""
    from socklock.lab.services import CLUSTER_DOMAIN
    from socklock.lab.topology import OUTSIDE_V4
    from socklock.policy.pods import build_cluster

    called = {e.target for e in graph.edges if e.source == compromised}
    cluster = build_cluster(inventory)
    namespace = compromised.partition("/")[0]
    out: list[Target] = []
    for service in sorted(inventory.services, key=lambda s: s.id):
        if service.namespace != namespace or not service.selector:
            continue
        selector = dict(service.selector)
        selected = {
            e.id
            for e in cluster.endpoints
            if e.namespace == service.namespace
            and any(all(w.labels.get(k) == v for k, v in selector.items()) for w in e.workloads)
        }
        if not selected or selected & (called | {compromised}):
            continue
        for port in service.ports:
            if port.protocol is Protocol.TCP:
                host = f"{service.name}.{service.namespace}.svc.{CLUSTER_DOMAIN}"
                out.append(Target(service.id, host, port.port))
    out.append(Target("outside", OUTSIDE_V4, ATTACK_PORT))
    return out


def shop(lab: Lab, shopper: Path, entry: str, port: int) -> Shopping:
    """Run the shopper from the outside namespace against the entry point's first pod."""
    from socklock.lab import system

    pod = lab.topology.pods_of(entry)[0]
    url = f"http://{pod.address(4)}:{port}"
    argv = system.netns_exec(lab.topology.outside.netns, [sys.executable, str(shopper), url])
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        answer = json.loads(done.stdout)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        return Shopping(False, (Step("run the shopper", False, str(exc)),))
    steps = tuple(Step(str(s["step"]), bool(s["ok"]), str(s["detail"])) for s in answer["steps"])
    return Shopping(bool(answer["ok"]) and done.returncode == 0, steps)


def _destination(lab: Lab, target: Target) -> tuple[str, int]:
    """Where a connection to ``target`` lands: a ready pod's workload and container port (the
    Service's DNAT), or the outside address itself."""
    for service in lab.services:
        if service.id != target.label:
            continue
        for port in service.ports:
            if port.port == target.port and port.protocol is Protocol.TCP and port.backends:
                backend = port.backends[0]
                for pod in lab.topology.pods:
                    if backend.address in pod.addresses:
                        return pod.endpoint, backend.port
    return f"external:{target.host}", target.port


def attack(
    lab: Lab, compromised: str, chosen: Sequence[Target], connectivity: Connectivity
) -> tuple[Attack, ...]:
    """Connect from the compromised workload's first pod to every target, by name; each
    attempt next to the engine's verdict for the connection it makes."""
    from socklock.lab.probe import run_prober_spec

    netns = lab.topology.pods_of(compromised)[0].netns
    spec = {
        "timeout": ATTACK_TIMEOUT,
        "attempts": [[i, t.host, t.port, "TCP", None, True] for i, t in enumerate(chosen)],
    }
    outcomes = run_prober_spec(netns, spec)
    out = []
    for i, target in enumerate(chosen):
        destination, port = _destination(lab, target)
        outcome = outcomes.get(str(i), "missing")
        out.append(
            Attack(
                target,
                outcome == "ok:connected",
                outcome,
                destination,
                port,
                engine_verdict(connectivity, compromised, destination, port),
            )
        )
    return tuple(out)


def engine_verdict(connectivity: Connectivity, source: str, target: str, port: int) -> str:
    """``allowed``, or ``denied by egress of X, ingress of Y`` (the sides that refuse)."""
    from socklock.policy import explain

    explanation = explain(connectivity, source, target, port, Protocol.TCP)
    refusing = [
        f"{side.direction.spec_field} of {side.workload}"
        for side in (explanation.egress, explanation.ingress)
        if side is not None and not side.allowed
    ]
    verdict = str(explanation.verdict)
    return f"{verdict} by {', '.join(refusing)}" if refusing else verdict


def run(
    inventory: Inventory,
    graph: ServiceGraph,
    shopper: Path,
    leave_out: Edge,
    out_dir: Path,
    *,
    probe: bool = True,
    inputs: Sequence[str] = (),
    run_id: str | None = None,
) -> Story:
    """The whole story (see the module docstring); artifacts under ``out_dir``."""
    from socklock.flows.addresses import AddressBook, read_table
    from socklock.flows.audit import drops, endpoints, missing, replay
    from socklock.flows.read import read_flows
    from socklock.lab import log, nft, programs, session
    from socklock.policy import analyse
    from socklock.policy.generate import generate
    from socklock.policy.generate.output import write_set
    from socklock.policy.intent import graph_externals

    timings: dict[str, float] = {}
    started = time.perf_counter()
    entry = graph.entry_points[0]
    compromised = entry.workload
    enforced = generate(inventory, graph)
    reduced = without(graph, leave_out)
    logged = generate(inventory, reduced)
    chosen, _not_run = programs.programs(inventory)
    externals = graph_externals(graph)
    attack_targets = targets(inventory, graph, compromised)
    asked = [*externals, *(f"external:{t.host}" for t in attack_targets if t.label == "outside")]
    open_engine = analyse(inventory, [], externals=asked)
    enforced_engine = analyse(inventory, enforced.policies, externals=asked)
    out_dir.mkdir(parents=True, exist_ok=True)
    policy_dir = out_dir / "log-mode-policies"
    write_set(logged.files, policy_dir, force=True)
    flows_file = out_dir / "lab-flows.jsonl"
    flows_file.unlink(missing_ok=True)
    table_file = out_dir / "lab-addresses.txt"
    timings["prepare_s"] = round(time.perf_counter() - started, 3)
    mark = time.perf_counter()
    with session.running(
        inventory,
        enforced.policies,
        externals=externals,
        extra_ports=[(ATTACK_PORT, Protocol.TCP)],
        run=chosen,
        enforce=False,
        run_id=run_id,
    ) as lab:
        timings["lab_up_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        shopper_before = shop(lab, shopper, compromised, entry.port)
        attacks_before = attack(lab, compromised, attack_targets, open_engine)
        timings["open_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        lab = session.apply(lab, inventory, enforced.policies)
        shopper_after = shop(lab, shopper, compromised, entry.port)
        attacks_after = attack(lab, compromised, attack_targets, enforced_engine)
        timings["enforced_s"] = round(time.perf_counter() - mark, 3)
        comparison = None
        if probe:
            mark = time.perf_counter()
            comparison = session.check(lab, enforced_engine)
            timings["probe_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
        lab = session.apply(lab, inventory, logged.policies, mode=nft.LOG)
        table_file.write_text(log.address_table(lab.topology))
        with log.recording(lab.topology, flows_file):
            shopper_log = shop(lab, shopper, compromised, entry.port)
        timings["log_mode_s"] = round(time.perf_counter() - mark, 3)
        mark = time.perf_counter()
    timings["lab_down_s"] = round(time.perf_counter() - mark, 3)
    mark = time.perf_counter()
    connectivity = analyse(inventory, logged.policies, externals=externals)
    table, _ = read_table(str(table_file))
    read = read_flows([str(flows_file)])
    replayed = replay(read, AddressBook(inventory, endpoints(connectivity), table))
    found = drops(connectivity, replayed.tuples)
    gaps = missing(reduced, replayed.tuples)
    timings["audit_s"] = round(time.perf_counter() - mark, 3)
    timings["total_s"] = round(time.perf_counter() - started, 3)
    return Story(
        compromised,
        shopper_before,
        attacks_before,
        shopper_after,
        attacks_after,
        comparison,
        leave_out,
        shopper_log,
        tuple(found),
        tuple(gaps),
        {"log": flows_file, "addresses": table_file, "policies": policy_dir},
        tuple(inputs),
        timings,
    )
