"""docker-compose: networks that give each service exactly its callees, where compose can.

The output is an override file per project (``docker compose -f <yours> -f <this>``; needs
Docker Compose 2.24.4 or later for the ``!override``/``!reset`` tags) that

- puts every callee on its own ``internal: true`` network ``to-<callee>``, joined by the
  callee and its callers only (``--preset segments`` instead: the sock shop talk's three
  segments, ``external`` for the entry points, ``internal`` for what they call, and
  ``back-office`` for the rest together with their callers);
- keeps published ports on entry points only (``ports: !reset []`` elsewhere), on a
  non-internal ``edge`` network; a service that calls an external address joins a
  non-internal ``egress`` network;
- detaches a service that neither calls nor is called (``network_mode: none``).

Compose cannot filter ports inside a network, and the members of a network all reach each
other: what stays over-permissive is listed pair by pair. The calls are checked too: each
must share a network between caller and callee (the "missing" side of the proof).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socklock.errors import UsageError
from socklock.model import (
    EXTERNAL_PREFIX,
    ComposeProject,
    ComposeService,
    Evidence,
    Inventory,
    ServiceGraph,
)
from socklock.policy.emit import OutputFile
from socklock.policy.emit.yamltext import Commented, Tagged, dump_documents, header_lines
from socklock.policy.generate.intent import Note, NoteLevel
from socklock.policy.generate.options import GenerateOptions
from socklock.policy.generate.plan import evidence_lines
from socklock.policy.generate.verify import Row, Verification

if TYPE_CHECKING:
    from socklock.policy.generate.api import GeneratedSet

EDGE = "edge"
EGRESS = "egress"
COMMAND = "socklock policy generate --flavor compose"


@dataclass(frozen=True, slots=True)
class ComposeCall:
    caller: str  # compose service name
    callee: str
    ports: tuple[str, ...]  # "8080/TCP"; empty when unknown
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    project: ComposeProject
    networks: Mapping[str, tuple[str, ...]]  # network -> members (sorted)
    internal: Mapping[str, bool]
    network_comments: Mapping[str, tuple[str, ...]]
    membership_comments: Mapping[tuple[str, str], tuple[str, ...]]  # (service, network)
    entry: frozenset[str]
    calls: tuple[ComposeCall, ...]
    over_permissive: tuple[str, ...]
    missing: tuple[str, ...]


def graph_ids(inventory: Inventory) -> dict[str, tuple[ComposeProject, ComposeService]]:
    """Graph node id -> compose service (a service is named by the Kubernetes workload of the
    same name when the input has exactly one, as discovery does)."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for workload in inventory.workloads:
        if workload.owner is None:
            by_name[workload.name].append(workload.id)
    out: dict[str, tuple[ComposeProject, ComposeService]] = {}
    for project in inventory.compose_projects:
        for service in project.services:
            found = by_name.get(service.name, [])
            key = found[0] if len(found) == 1 else service.id
            out[key] = (project, service)
            out.setdefault(service.id, (project, service))
    return out


def _calls(
    graph: ServiceGraph, ids: Mapping[str, tuple[ComposeProject, ComposeService]], project: str
) -> tuple[list[ComposeCall], dict[str, list[str]], list[Note]]:
    grouped: dict[tuple[str, str], tuple[set[str], list[Evidence]]] = {}
    externals: dict[str, list[str]] = defaultdict(list)
    notes: list[Note] = []
    for edge in graph.edges:
        source = ids.get(edge.source)
        if source is None or source[0].name != project:
            continue
        if edge.target.startswith(EXTERNAL_PREFIX):
            port = f":{edge.port}" if edge.port else ""
            externals[source[1].name].append(edge.target.removeprefix(EXTERNAL_PREFIX) + port)
            continue
        target = ids.get(edge.target)
        if target is None or target[0].name != project:
            notes.append(
                Note(
                    NoteLevel.WARNING,
                    f"{edge.source} -> {edge.target}",
                    f"the callee is not a service of compose project {project}: left out",
                )
            )
            continue
        ports, evidence = grouped.setdefault((source[1].name, target[1].name), (set(), []))
        if edge.port is not None:
            ports.add(f"{edge.port}/{edge.protocol}")
        evidence.extend(edge.evidence)
    calls = [
        ComposeCall(caller, callee, tuple(sorted(ports)), tuple(evidence))
        for (caller, callee), (ports, evidence) in sorted(grouped.items())
    ]
    return calls, externals, notes


def plan_project(
    project: ComposeProject,
    graph: ServiceGraph,
    ids: Mapping[str, tuple[ComposeProject, ComposeService]],
    preset: str | None,
    secondary: frozenset[str] = frozenset(),
) -> tuple[ProjectPlan, list[Note]]:
    calls, externals, notes = _calls(graph, ids, project.name)
    services = sorted(s.name for s in project.services)
    entry = frozenset(
        ids[e.workload][1].name
        for e in graph.entry_points
        if e.workload in ids and ids[e.workload][0].name == project.name
    )
    members: dict[str, set[str]] = defaultdict(set)
    internal: dict[str, bool] = {}
    network_comments: dict[str, tuple[str, ...]] = {}
    membership: dict[tuple[str, str], tuple[str, ...]] = {}
    callers_of: dict[str, list[ComposeCall]] = defaultdict(list)
    for call in calls:
        callers_of[call.callee].append(call)

    def describe(call: ComposeCall) -> tuple[str, ...]:
        ports = ", ".join(call.ports) or "port unknown"
        lines = [f"calls {call.callee} ({ports})"]
        lines += [f"  {line}" for line in evidence_lines(call.evidence, secondary=secondary)]
        return tuple(lines)

    if preset == "segments":
        first = {c.callee for c in calls if c.caller in entry}
        inner = sorted(first | entry)
        back = sorted(set(services) - first - entry)
        back_callers = {c.caller for c in calls if c.callee in back}
        segments = {
            "external": sorted(entry),
            "internal": inner,
            "back-office": sorted(set(back) | back_callers),
        }
        comments = {
            "external": "segment external: the entry points, reachable from outside",
            "internal": "segment internal: the entry points and the services they call",
            "back-office": "segment back-office: everything else, with the services calling it",
        }
        for name, found in segments.items():
            if found:
                members[name].update(found)
                internal[name] = name != "external"
                network_comments[name] = (comments[name],)
    else:
        for callee, found_calls in sorted(callers_of.items()):
            name = f"to-{callee}"
            members[name].add(callee)
            internal[name] = True
            callers = sorted({c.caller for c in found_calls})
            network_comments[name] = (f"{callee} and its callers: {', '.join(callers)}",)
            membership[(callee, name)] = (f"its own network: {', '.join(callers)} call it",)
            for call in found_calls:
                members[name].add(call.caller)
                membership[(call.caller, name)] = describe(call)
        if entry:
            members[EDGE].update(entry)
            internal[EDGE] = False
            network_comments[EDGE] = ("entry points: published ports are reachable from outside",)
            for service in entry:
                membership[(service, EDGE)] = ("entry point: its published ports",)
    if externals:
        members[EGRESS].update(externals)
        internal[EGRESS] = False
        network_comments[EGRESS] = (
            "services that call outside: compose cannot narrow this to an address or a port",
        )
        for service, targets in externals.items():
            membership[(service, EGRESS)] = (f"calls outside: {', '.join(sorted(set(targets)))}",)
    networks = {name: tuple(sorted(found)) for name, found in sorted(members.items())}
    over, missing = _over_permissive(networks, calls, externals)
    return (
        ProjectPlan(
            project,
            networks,
            internal,
            network_comments,
            membership,
            entry,
            tuple(calls),
            tuple(over),
            tuple(missing),
        ),
        notes,
    )


def _over_permissive(
    networks: Mapping[str, Sequence[str]],
    calls: Sequence[ComposeCall],
    externals: Mapping[str, Sequence[str]],
) -> tuple[list[str], list[str]]:
    # The proof: every call shares a network; everything else a shared network allows is listed.
    reach: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, found in networks.items():
        for a in found:
            for b in found:
                if a != b:
                    reach[(a, b)].append(name)
    called = {(c.caller, c.callee): c for c in calls}
    missing = [
        f"{c.caller} -> {c.callee}: no network in common"
        for c in calls
        if (c.caller, c.callee) not in reach and c.caller != c.callee
    ]
    over: list[str] = []
    for (a, b), via in sorted(reach.items()):
        found_call = called.get((a, b))
        where = ", ".join(via)
        if found_call is None:
            over.append(f"{a} -> {b}: not a call, but both are on {where}")
        elif found_call.ports:
            over.append(
                f"{a} -> {b}: every port reachable on {where}, "
                f"only {', '.join(found_call.ports)} called"
            )
    for service in sorted(externals):
        over.append(
            f"{service} -> outside: any address and port (calls only "
            f"{', '.join(sorted(set(externals[service])))})"
        )
    return over, missing


def render_project(plan: ProjectPlan) -> str:
    project = plan.project
    services: dict[str, Any] = {}
    joined: dict[str, list[str]] = defaultdict(list)
    for network, found in plan.networks.items():
        for name in found:
            joined[name].append(network)
    for service in sorted(project.services, key=lambda s: s.name):
        body: dict[str, Any] = {}
        networks = joined.get(service.name, [])
        if service.network_mode is not None:
            continue
        if networks:
            body["networks"] = Tagged(
                [
                    Commented(n, plan.membership_comments[(service.name, n)])
                    if (service.name, n) in plan.membership_comments
                    else n
                    for n in networks
                ],
                "!override",
            )
        else:
            body["network_mode"] = Commented("none", ("neither calls nor is called",))
            if service.body.get("networks") is not None:
                body["networks"] = Tagged({}, "!reset")
        if service.ports and service.name not in plan.entry:
            body["ports"] = Commented(
                Tagged([], "!reset"), ("not an entry point: no published port",)
            )
        services[service.name] = body
    networks_doc: dict[str, Any] = {}
    for network in plan.networks:
        spec: dict[str, Any] = {"internal": True} if plan.internal[network] else {}
        networks_doc[network] = Commented(spec, plan.network_comments.get(network, ()))
    document: dict[str, Any] = {"services": services, "networks": networks_doc}
    header = header_lines(
        f"Network segmentation of compose project {project.name} "
        f"(use: docker compose -f {project.file} -f <this file>; Compose >= 2.24.4).",
        COMMAND,
    )
    if plan.over_permissive:
        header.append("Compose cannot enforce (listed pair by pair):")
        header.extend(f"  {line}" for line in plan.over_permissive)
    return dump_documents([document], header)


def generate_compose(
    inventory: Inventory, graph: ServiceGraph, options: GenerateOptions
) -> GeneratedSet:
    from socklock.policy.generate.api import GeneratedSet

    if not inventory.compose_projects:
        raise UsageError("--flavor compose needs a compose file in the input")
    ids = graph_ids(inventory)
    files: list[OutputFile] = []
    notes: list[Note] = []
    over: list[str] = []
    missing: list[str] = []
    allowed = 0
    secondary = frozenset(w.location.file for w in inventory.workloads)
    single = len(inventory.compose_projects) == 1
    for project in sorted(inventory.compose_projects, key=lambda p: p.name):
        plan, found_notes = plan_project(project, graph, ids, options.preset, secondary)
        notes.extend(found_notes)
        over.extend(f"{project.name}: {line}" for line in plan.over_permissive)
        missing.extend(f"{project.name}: {line}" for line in plan.missing)
        allowed += len(plan.calls) - len(plan.missing)
        name = "compose.socklock.yml" if single else f"compose.{project.name}.socklock.yml"
        files.append(OutputFile(name, render_project(plan)))
    for line in over:
        notes.append(Note(NoteLevel.WARNING, "", f"over-permissive: {line}"))
    verification = Verification(
        "compose networks",
        allowed,
        tuple(Row(line, "", "TCP", 0, None, "missing") for line in missing),
        (),
        over_permissive=len(over),
    )
    return GeneratedSet(
        options=options,
        files=tuple(files),
        policies=(),
        notes=tuple(sorted(set(notes))),
        verification=verification,
        over_permissive=tuple(over),
    )
