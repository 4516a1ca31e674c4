"""Missing and excess connections of a policy set as findings (SLK-NP002, SLK-NP003).

A finding needs a place in a file: a connection that would break is reported at the
evidence of the call (where the application makes it), a connection still open at the
policy rule that admits it. Keys name the connection (and the rule), never a line, so a
finding keeps its identity when the files around it move.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from socklock.model import EvidenceKind, Finding, Location, ServiceGraph
from socklock.policy.engine import Connectivity
from socklock.policy.explain import RuleRef, Side, explain
from socklock.policy.intent import WORLD, IntentCheck, Needed
from socklock.policy.result import Connection
from socklock.policy.rules import STILL_OPEN, WOULD_BREAK

_HINTS = (EvidenceKind.DEPENDS_ON, EvidenceKind.LINK)


@dataclass(frozen=True, slots=True)
class _Place:
    location: Location
    object_ref: str
    field_path: str


def _ports(rows: Iterable[Connection]) -> str:
    return ", ".join(
        (f"{r.port}-{r.end_port}" if r.end_port is not None else str(r.port))
        + f"/{r.protocol.value}"
        for r in rows
    )


def _policies(side: Side | None) -> list[str]:
    if side is None:
        return []
    return [f"{ref.policy} ({ref.location})" for ref in side.selecting]


def _call_place(connectivity: Connectivity, graph: ServiceGraph, needed: Needed) -> _Place:
    """Where the graph says the connection is needed: its first evidence in the manifest of
    the workload that needs it (the caller; the target of an entry point), else its first
    evidence that is a call (not a start-order hint), else the target workload."""
    if needed.source == WORLD:
        evidence = next(
            (
                e.evidence
                for e in graph.entry_points
                if (e.workload, e.port, e.protocol) == (needed.target, needed.port, needed.protocol)
            ),
            (),
        )
    else:
        evidence = next(
            (
                e.evidence
                for e in graph.edges
                if e.key == (needed.source, needed.target, needed.port, needed.protocol)
            ),
            (),
        )
    calls = [e for e in evidence if e.kind not in _HINTS] or list(evidence)
    owner = needed.target if needed.source == WORLD else needed.source
    manifest = (
        connectivity.endpoint(owner).location.file if owner in connectivity.endpoints else None
    )
    calls.sort(key=lambda e: e.location.file != manifest)  # stable: the manifest's first
    if calls:
        return _Place(calls[0].location, f"call {needed.source} -> {needed.target}", "")
    endpoint = connectivity.endpoint(needed.target)
    return _Place(endpoint.location, endpoint.workloads[0].obj.ref, "")


def would_break(
    connectivity: Connectivity, graph: ServiceGraph, check: IntentCheck
) -> tuple[Finding, ...]:
    """One finding per needed connection the policies deny (or allow for some pods only)."""
    findings = []
    for needed in check.missing:
        explanation = explain(
            connectivity, needed.source, needed.target, needed.port, needed.protocol
        )
        refusing = [
            side
            for side in (explanation.egress, explanation.ingress)
            if side is not None and not side.allowed
        ]
        why = "; ".join(f"{side.direction.value}: {side.reason}" for side in refusing)
        policies = sorted({p for side in refusing for p in _policies(side)})
        place = _call_place(connectivity, graph, needed)
        what = "entry point" if needed.why == "entry point" else "call"
        findings.append(
            Finding(
                rule_id=WOULD_BREAK.id,
                rule_name=WOULD_BREAK.name,
                severity=WOULD_BREAK.severity,
                message=(
                    f"the NetworkPolicies would break the {what} {needed.source} -> "
                    f"{needed.target} {needed.port}/{needed.protocol.value} "
                    f"({needed.verdict.value}"
                    + (f"; {why}" if why else "")
                    + ")"
                    + (f"; policies: {', '.join(policies)}" if policies else "")
                ),
                location=place.location,
                field_path=place.field_path,
                object_ref=place.object_ref,
                references=WOULD_BREAK.references,
                key=(
                    f"{WOULD_BREAK.id}|{needed.source}|{needed.target}|"
                    f"{needed.port}/{needed.protocol.value}"
                ),
            )
        )
    return tuple(findings)


def _blamed(connectivity: Connectivity, row: Connection) -> RuleRef | None:
    """The rule that lets ``row`` through: the target's ingress rule, else the source's
    egress rule; None when neither side is isolated (nothing admits it, nothing refuses)."""
    explanation = explain(connectivity, row.source, row.target, row.port, row.protocol)
    for side in (explanation.ingress, explanation.egress):
        if side is not None and side.isolated and side.admitting:
            return side.admitting[0]
    return None


def still_open(connectivity: Connectivity, check: IntentCheck) -> tuple[Finding, ...]:
    """One finding per (source, target, admitting rule) of the excess rows, with their ports;
    rows that no rule admits (both sides open) are SLK209's, per workload."""
    refs = {policy.id: policy.obj.ref for policy in connectivity.policies}
    groups: dict[tuple[str, str, RuleRef], list[Connection]] = {}
    for row in check.excess:
        rule = _blamed(connectivity, row)
        if rule is None:
            continue
        groups.setdefault((row.source, row.target, rule), []).append(row)
    findings = []
    for (source, target, rule), rows in groups.items():
        ports = _ports(rows)
        findings.append(
            Finding(
                rule_id=STILL_OPEN.id,
                rule_name=STILL_OPEN.name,
                severity=STILL_OPEN.severity,
                message=(
                    f"{rule.policy} {rule.rule} allows {source} -> {target} {ports}, "
                    f"which no call of the graph needs (the rule admits {rule.peers} on "
                    f"{rule.ports})"
                ),
                location=rule.location,
                field_path=rule.rule,
                object_ref=refs.get(rule.policy, f"NetworkPolicy {rule.policy}"),
                references=STILL_OPEN.references,
                key=f"{STILL_OPEN.id}|{source}|{target}|{rule.policy}#{rule.rule}",
            )
        )
    return tuple(findings)
