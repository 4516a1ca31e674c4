"""The data of the HTML report: the service graph, each connection's state against a policy
set, and why (the engine's :func:`~socklock.policy.check_intent` and
:func:`~socklock.policy.explain`), and the hardening findings, as one JSON-ready dict.

States of a connection (an edge of the report):

- ``allowed``: needed (an edge or an entry point of the graph) and allowed by the policies;
- ``breaks``: needed and not allowed (denied, or allowed for some pods only): enforcing the
  policies would break it;
- ``open``: allowed but no edge needs it (still open);
- ``hint``: start-order evidence only (compose ``depends_on``/``links``), never checked;
- ``unchecked``: needed, and no policy set to check it against (or its port is unknown).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from socklock.model import (
    EXTERNAL_PREFIX,
    Evidence,
    Finding,
    GraphNode,
    Inventory,
    Location,
    Protocol,
    ServiceGraph,
)

if TYPE_CHECKING:
    from socklock.model import K8sObject
    from socklock.policy import Connection, Connectivity, Explanation, Side

SCHEMA = "socklock/report/v1"
OUTSIDE_GROUP = "outside"

JSON = dict[str, object]


@dataclass(frozen=True, slots=True)
class PolicySource:
    """The policy set the connections are checked against.

    ``origin`` is ``input`` (NetworkPolicies of the scanned files) or ``generated`` (the set
    socklock wrote); ``prefix`` is put before the policies' file names (generated files are
    named relative to their output directory, the report names them from where it is)."""

    origin: str
    description: str
    policies: tuple[K8sObject, ...]
    prefix: str = ""


def _where(location: Location) -> str:
    return str(location)


def _evidence(items: Iterable[Evidence]) -> list[JSON]:
    return [
        {
            "where": _where(ev.location),
            "kind": str(ev.kind),
            "detail": ev.detail,
            "expression": ev.expression,
        }
        for ev in items
    ]


def _side(side: Side | None) -> JSON | None:
    if side is None:
        return None
    return {
        "direction": str(side.direction.value),
        "workload": side.workload,
        "allowed": side.allowed,
        "reason": side.reason,
        "selecting": [
            {"policy": ref.policy, "where": _where(ref.location)} for ref in side.selecting
        ],
        "admitting": [
            {
                "policy": rule.policy,
                "rule": rule.rule,
                "where": _where(rule.location),
                "peers": rule.peers,
                "ports": rule.ports,
            }
            for rule in side.admitting
        ],
        "nearMisses": list(side.near_misses),
    }


def _explanation(explanation: Explanation) -> JSON:
    return {
        "verdict": str(explanation.verdict.value),
        "note": explanation.note,
        "egress": _side(explanation.egress),
        "ingress": _side(explanation.ingress),
    }


def _group(node_id: str) -> str:
    if node_id.startswith(EXTERNAL_PREFIX):
        return OUTSIDE_GROUP
    return node_id.split("/", 1)[0] if "/" in node_id else ""


def _label(node_id: str) -> str:
    if node_id.startswith(EXTERNAL_PREFIX):
        return node_id.removeprefix(EXTERNAL_PREFIX)
    return node_id.split("/", 1)[1] if "/" in node_id else node_id


def _findings(findings: Sequence[Finding]) -> list[JSON]:
    return [finding_json(f) for f in findings]


def finding_json(f: Finding) -> JSON:
    """One hardening finding as the report lists it."""
    return {
        "rule": f.rule_id,
        "name": f.rule_name,
        "severity": str(f.severity.value),
        "message": f.message,
        "where": _where(f.location),
        "object": f.object_ref,
        "fix": f.fix.description if f.fix is not None else None,
    }


class _Checker:
    """States and explanations of connections under one analysed policy set."""

    def __init__(self, connectivity: Connectivity, graph: ServiceGraph) -> None:
        from socklock.policy.intent import check_intent

        self.connectivity = connectivity
        self.known = set(connectivity.endpoints)
        check = check_intent(connectivity, graph)
        self.missing = {(m.source, m.target, m.port, m.protocol): m for m in check.missing}
        self.excess = check.excess

    def checkable(self, source: str, target: str, port: int | None) -> bool:
        from socklock.policy.addresses import is_external

        if port is None or (is_external(source) and is_external(target)):
            return False
        return all(e in self.known or is_external(e) for e in (source, target))

    def explain(self, source: str, target: str, port: int, protocol: str) -> JSON:
        from socklock.policy import explain

        return _explanation(explain(self.connectivity, source, target, port, protocol))

    def workload(self, workload_id: str) -> JSON | None:
        if workload_id not in self.known:
            return None
        connectivity = self.connectivity
        isolation = connectivity.isolation(workload_id)
        classes = connectivity.pod_classes(connectivity.endpoint(workload_id))
        selecting: dict[str, set[tuple[str, str]]] = {"ingress": set(), "egress": set()}
        for c in classes:
            for way, lists in (
                ("ingress", connectivity.ingress_policies),
                ("egress", connectivity.egress_policies),
            ):
                for index in lists[c.index]:
                    policy = connectivity.policies[index]
                    selecting[way].add((policy.id, _where(policy.location)))
        return {
            "ingressIsolated": isolation.ingress,
            "egressIsolated": isolation.egress,
            "selecting": {
                way: [{"policy": p, "where": w} for p, w in sorted(refs)]
                for way, refs in selecting.items()
            },
        }


def _checker(
    inventory: Inventory, graph: ServiceGraph, source: PolicySource
) -> tuple[_Checker | None, str | None]:
    from socklock.policy import PolicyErrors, analyse
    from socklock.policy.intent import graph_externals

    policies = [
        replace(p, location=replace(p.location, file=source.prefix + p.location.file))
        for p in source.policies
    ]
    try:
        connectivity = analyse(inventory, policies, externals=graph_externals(graph))
    except PolicyErrors as exc:
        return None, f"not evaluated, they have errors:\n{exc.diagnostics()}"
    return _Checker(connectivity, graph), None


def _port_text(port: int | None, end_port: int | None, protocol: str) -> str:
    if port is None:
        return f"?/{protocol}"
    ports = f"{port}-{end_port}" if end_port is not None else str(port)
    return f"{ports}/{protocol}"


def build_report(
    inventory: Inventory,
    graph: ServiceGraph,
    findings: Sequence[Finding],
    *,
    policies: PolicySource | None = None,
    title: str = "socklock report",
    version: str = "",
    inputs: Sequence[str] = (),
) -> JSON:
    """The report's data: nodes, edges with their state and why, and the findings."""
    data = report_data(
        inventory, graph, findings, policies=policies, title=title, version=version, inputs=inputs
    )
    data["nodes"] = list(cast(Iterator[JSON], data["nodes"]))
    return data


def report_data(
    inventory: Inventory,
    graph: ServiceGraph,
    findings: Sequence[Finding],
    *,
    policies: PolicySource | None = None,
    title: str = "socklock report",
    version: str = "",
    inputs: Sequence[str] = (),
) -> JSON:
    """:func:`build_report`'s data with its ``nodes`` an iterator, each node made as it is
    read (:func:`socklock.report.html.iter_html` gives them to the page one at a time)."""
    checker, error = _checker(inventory, graph, policies) if policies else (None, None)
    edges: list[JSON] = []

    def add(
        source: str,
        target: str,
        port: int | None,
        end_port: int | None,
        protocol: str,
        state: str,
        needed_by: str | None,
        evidence: list[JSON],
        verdict: str | None,
    ) -> None:
        explanation = None
        if checker is not None and port is not None and checker.checkable(source, target, port):
            explanation = checker.explain(source, target, port, protocol)
        edges.append(
            {
                "id": f"e{len(edges)}",
                "source": source,
                "target": target,
                "port": port,
                "endPort": end_port,
                "protocol": protocol,
                "ports": _port_text(port, end_port, protocol),
                "state": state,
                "neededBy": needed_by,
                "verdict": verdict,
                "evidence": evidence,
                "explanation": explanation,
            }
        )

    def needed_state(
        source: str, target: str, port: int | None, protocol: str
    ) -> tuple[str, str | None]:
        if checker is None or port is None or not checker.checkable(source, target, port):
            return "unchecked", None
        missing = checker.missing.get((source, target, port, Protocol(protocol)))
        if missing is not None:
            return "breaks", str(missing.verdict.value)
        return "allowed", "allowed"

    for edge in graph.edges:
        if edge.hint:
            state, verdict = "hint", None
        else:
            state, verdict = needed_state(edge.source, edge.target, edge.port, edge.protocol)
        add(
            edge.source,
            edge.target,
            edge.port,
            None,
            edge.protocol,
            state,
            "start order" if edge.hint else "call",
            _evidence(edge.evidence),
            verdict,
        )
    from socklock.policy.intent import WORLD

    for entry in graph.entry_points:
        state, verdict = needed_state(WORLD, entry.workload, entry.port, entry.protocol)
        add(
            WORLD,
            entry.workload,
            entry.port,
            None,
            entry.protocol,
            state,
            "entry point",
            _evidence(entry.evidence),
            verdict,
        )
    # still-open rows: one edge per pair and protocol, its port ranges listed
    open_rows: dict[tuple[str, str, str], list[Connection]] = defaultdict(list)
    for row in checker.excess if checker is not None else ():
        open_rows[(row.source, row.target, str(row.protocol.value))].append(row)
    for (source, target, protocol), rows in open_rows.items():
        first = rows[0]
        add(source, target, first.port, first.end_port, protocol, "open", None, [], None)
        edges[-1]["ports"] = ", ".join(_port_text(r.port, r.end_port, protocol) for r in rows)
        edges[-1]["verdict"] = "/".join(sorted({str(r.verdict.value) for r in rows}))
    return {
        "schema": SCHEMA,
        "title": title,
        "version": version,
        "inputs": list(inputs),
        "policies": _policies(policies, checker, error),
        "nodes": _nodes(graph, edges, checker),
        "edges": edges,
        "findings": _findings(findings),
        "unresolved": [
            {
                "source": u.source,
                "where": str(u.location),
                "expression": u.expression,
                "reason": u.reason,
            }
            for u in graph.unresolved
        ],
    }


def _policies(source: PolicySource | None, checker: _Checker | None, error: str | None) -> JSON:
    if source is None:
        return {
            "origin": "none",
            "description": "no policy set to check the connections against",
            "count": 0,
            "error": None,
        }
    return {
        "origin": source.origin,
        "description": source.description,
        "count": len(source.policies),
        "error": error,
    }


def _nodes(graph: ServiceGraph, edges: Sequence[JSON], checker: _Checker | None) -> Iterator[JSON]:
    """Every workload and external endpoint of the graph, and every end of an edge, by
    group then id; each made as it is read (a node a workload: hundreds of megabytes at once
    on a big input, only their order is held)."""
    known: dict[str, GraphNode | None] = {node.id: node for node in graph.nodes}
    for edge in edges:
        for end in (str(edge["source"]), str(edge["target"])):
            known.setdefault(end, None)
    for node_id in sorted(known, key=lambda i: (_group(i), i)):
        node = known[node_id]
        if node is None:
            yield _end_node(node_id, checker)
            continue
        yield {
            "id": node.id,
            "label": _label(node.id),
            "group": _group(node.id),
            "kind": "external" if node.is_external else "workload",
            "workloadKind": node.workload_kind,
            "where": str(node.location) if node.location else None,
            "labels": dict(node.labels),
            "ports": [
                f"{p.port}/{p.protocol}" + (f" ({p.name})" if p.name else "") for p in node.ports
            ],
            "policy": None if checker is None or node.is_external else checker.workload(node.id),
        }


def _end_node(end: str, checker: _Checker | None) -> JSON:
    """An end of an edge that is not a node of the graph."""
    external = end.startswith(EXTERNAL_PREFIX)
    return {
        "id": end,
        "label": _label(end),
        "group": _group(end),
        "kind": "external" if external else "workload",
        "workloadKind": None,
        "where": None,
        "labels": {},
        "ports": [],
        "policy": None if checker is None or external else checker.workload(end),
    }
