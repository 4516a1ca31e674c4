"""``socklock/graph/v1``: the service graph; ``map`` writes it, ``--intent``/``--graph`` read it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from socklock.model import (
    Edge,
    EntryPoint,
    Evidence,
    EvidenceKind,
    GraphNode,
    Location,
    NodeKind,
    Observed,
    PortSpec,
    ServiceGraph,
    Unresolved,
)

SCHEMA: Literal["socklock/graph/v1"] = "socklock/graph/v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PortModel(_Model):
    port: int = Field(ge=1, le=65535)
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    name: str | None = None


class ObservedModel(_Model):
    count: int = Field(ge=1, description="flow records that showed the call")
    first_seen: str | None = Field(description="RFC 3339, UTC; null when the records give none")
    last_seen: str | None


class EvidenceModel(_Model):
    kind: EvidenceKind
    file: str
    line: int = 0
    column: int = 0
    detail: str
    expression: str | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)
    observed: ObservedModel | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="kind 'observed' only (socklock map --flows): count, first and last seen; "
        "absent on other evidence",
    )


class WorkloadModel(_Model):
    id: str = Field(description="namespace/name (Kubernetes) or project/service (compose)")
    kind: str
    labels: dict[str, str] = {}
    ports: list[PortModel] = []
    file: str | None = None
    line: int | None = None


class ExternalModel(_Model):
    id: str = Field(pattern=r"^external:.+$")


class EdgeModel(_Model):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    port: int | None = Field(description="destination container port; null when unknown")
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    hint: bool = Field(
        default=False,
        description="only start-order evidence (compose depends_on/links), not a known call; "
        "policy generation leaves it out unless asked (--include-hints)",
    )
    evidence: list[EvidenceModel] = []


class EntryPointModel(_Model):
    workload: str
    port: int
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    evidence: list[EvidenceModel] = []


class UnresolvedModel(_Model):
    source: str
    file: str
    line: int
    expression: str
    reason: str


class GraphDocument(_Model):
    schema_: Literal["socklock/graph/v1"] = Field(default=SCHEMA, alias="schema")
    workloads: list[WorkloadModel]
    externals: list[ExternalModel] = []
    edges: list[EdgeModel]
    entry_points: list[EntryPointModel] = []
    unresolved: list[UnresolvedModel] = []


DOCUMENT = GraphDocument


def _evidence(evidence: Evidence) -> EvidenceModel:
    loc = evidence.location
    return EvidenceModel(
        kind=evidence.kind,
        file=loc.file,
        line=loc.line,
        column=loc.column,
        detail=evidence.detail,
        expression=evidence.expression,
        confidence=evidence.confidence,
        observed=(
            ObservedModel(
                count=evidence.observed.count,
                first_seen=evidence.observed.first_seen,
                last_seen=evidence.observed.last_seen,
            )
            if evidence.observed is not None
            else None
        ),
    )


def to_document(graph: ServiceGraph) -> GraphDocument:
    return GraphDocument(
        workloads=[
            WorkloadModel(
                id=n.id,
                kind=n.workload_kind or "workload",
                labels=dict(n.labels),
                ports=[
                    PortModel(port=p.port, protocol=p.protocol, name=p.name)  # type: ignore[arg-type]
                    for p in n.ports
                ],
                file=n.location.file if n.location else None,
                line=n.location.line if n.location else None,
            )
            for n in graph.nodes
            if not n.is_external
        ],
        externals=[ExternalModel(id=n.id) for n in graph.nodes if n.is_external],
        edges=[
            EdgeModel.model_validate(
                {
                    "from": e.source,
                    "to": e.target,
                    "port": e.port,
                    "protocol": e.protocol,
                    "hint": e.hint,
                    "evidence": [_evidence(ev) for ev in e.evidence],
                }
            )
            for e in graph.edges
        ],
        entry_points=[
            EntryPointModel(
                workload=p.workload,
                port=p.port,
                protocol=p.protocol,  # type: ignore[arg-type]
                evidence=[_evidence(ev) for ev in p.evidence],
            )
            for p in graph.entry_points
        ],
        unresolved=[
            UnresolvedModel(
                source=u.source,
                file=u.location.file,
                line=u.location.line,
                expression=u.expression,
                reason=u.reason,
            )
            for u in graph.unresolved
        ],
    )


def _from_evidence(model: EvidenceModel) -> Evidence:
    return Evidence(
        model.kind,
        Location(model.file, model.line, model.column),
        model.detail,
        model.expression,
        model.confidence,
        Observed(model.observed.count, model.observed.first_seen, model.observed.last_seen)
        if model.observed is not None
        else None,
    )


def from_document(document: GraphDocument) -> ServiceGraph:
    nodes = [
        GraphNode(
            w.id,
            NodeKind.WORKLOAD,
            w.kind,
            dict(w.labels),
            tuple(PortSpec(p.port, p.protocol, p.name) for p in w.ports),
            Location(w.file, w.line or 0) if w.file else None,
        )
        for w in document.workloads
    ]
    nodes += [GraphNode(x.id, NodeKind.EXTERNAL, None) for x in document.externals]
    return ServiceGraph(
        nodes=tuple(nodes),
        edges=tuple(
            Edge(
                e.source,
                e.target,
                e.port,
                e.protocol,
                tuple(_from_evidence(ev) for ev in e.evidence),
            )
            for e in document.edges
        ),
        entry_points=tuple(
            EntryPoint(
                p.workload, p.port, p.protocol, tuple(_from_evidence(ev) for ev in p.evidence)
            )
            for p in document.entry_points
        ),
        unresolved=tuple(
            Unresolved(u.source, Location(u.file, u.line), u.expression, u.reason)
            for u in document.unresolved
        ),
    )
