"""Build units in the graph: Aspire resources (the AppHost is a deployment) and, when the input
has no deployment at all, the code's own services as ``code/<name>`` workloads.

A unit the deployment does not run is listed among the unresolved, so a service missing from
the manifests is seen; it is not drawn (see :mod:`socklock.discover.identity`).
"""

from __future__ import annotations

from socklock.discover.addresses import LOCAL_HOSTS, redact_credentials
from socklock.discover.builder import GraphBuilder
from socklock.discover.identity import Identities, unit_id
from socklock.discover.reads import CodeReads
from socklock.model import (
    BuildUnit,
    Evidence,
    EvidenceKind,
    GraphNode,
    Inventory,
    NodeKind,
    PortSpec,
    Unresolved,
)


def add_unit_nodes(inventory: Inventory, builder: GraphBuilder, identities: Identities) -> None:
    for unit in inventory.units:
        if unit.host is not None:
            builder.add_node(_node(unit, identities))
    for unit in identities.own:
        builder.add_node(_node(unit, identities))
    for unit in identities.unmatched:
        builder.unresolved.append(
            Unresolved(
                unit_id(unit),
                unit.location,
                unit.name,
                f"{unit.kind} build unit {unit.name!r} matches no workload of the deployment: "
                "not deployed, or deployed under another name ([code.owners] in "
                "socklock.toml maps its directory)",
            )
        )


def add_unit_edges(
    inventory: Inventory,
    builder: GraphBuilder,
    identities: Identities,
    reads: CodeReads | None = None,
    *,
    references: bool = True,
) -> None:
    """Aspire ``WithReference`` (the AppHost gives the resource the other's address; with
    ``references``) and YARP routes and clusters declared in the AppHost (the proxy calls the
    endpoint they name: proxy configuration written in a file of the tree, so code too)."""
    for unit in inventory.units:
        if unit.host is None:
            continue
        for reference in unit.references:
            if not (references or reference.proxy):
                continue
            kind = EvidenceKind.PROXY if reference.proxy else EvidenceKind.MANIFEST
            target = f"{unit.host}/{reference.target}"
            ports = identities.ports.get(target, [])
            port = reference.port or identities.endpoint_port(target, reference.endpoint or "")
            if port is None and len(ports) == 1:
                port = ports[0]
            builder.add_edge(
                unit_id(unit),
                target,
                port,
                "TCP",
                Evidence(kind, reference.location, reference.detail),
            )
        if references:
            _env_edges(unit, builder, identities, reads)


def _env_edges(
    unit: BuildUnit, builder: GraphBuilder, identities: Identities, reads: CodeReads | None
) -> None:
    """``WithEnvironment`` values that address another resource: a call when the resource's
    code reads the key (ASP.NET binds ``Identity__Url`` to ``Identity:Url``), or an SDK does;
    without its code, kept as manifest-only. A resource's own address (a callback URL it
    hands out) is no call."""
    from socklock.discover.code_evidence import by_name
    from socklock.discover.manifests import add_resolution, env_evidence, env_targets

    source = unit_id(unit)
    values = {e.name: e.value for e in unit.env}
    for env in unit.env:
        if env.reference:
            continue  # the reference's own edge is the call
        detail = f"AppHost {unit.name}.WithEnvironment({env.name}={redact_credentials(env.value)})"
        evidence = env_evidence(
            source, env.name, Evidence(EvidenceKind.ENV, env.location, detail), reads
        )
        if evidence is None:
            continue
        targets, evidence = env_targets(env.name, env.value, evidence, values)
        for target in targets:
            if unit.on_host and target.host.lower() in LOCAL_HOSTS:
                continue  # the host itself: the code's read of it resolves on the host

            resolution = by_name(identities, target)
            if isinstance(resolution, list):
                resolution = [r for r in resolution if r.workload != source]
                if not resolution:
                    continue
            add_resolution(builder, source, target, resolution, evidence)


def _node(unit: BuildUnit, identities: Identities) -> GraphNode:
    """The unit as a workload; an Aspire project listens where its project's build says."""
    return GraphNode(
        id=unit_id(unit),
        kind=NodeKind.WORKLOAD,
        workload_kind=unit.kind if unit.host is not None else f"{unit.kind}-unit",
        labels={},
        ports=tuple(PortSpec(p) for p in identities.ports.get(unit_id(unit), unit.ports)),
        location=unit.location,
    )
