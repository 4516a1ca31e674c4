"""The ``socklock/connectivity/v1`` document of a verification, in memory (for the table and
``scan``; ``--format json`` streams it: :mod:`.connectivity_json`). Pydantic: import lazily."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socklock.model import Finding, ServiceGraph
from socklock.policy.engine import EVERY_WORKLOAD, Connectivity
from socklock.policy.findings import unprotected
from socklock.policy.intent import IntentCheck, check_intent
from socklock.policy.result import Connection, Verdict

if TYPE_CHECKING:
    from socklock.schemas.connectivity import (
        ConnectionModel,
        ConnectivityDocument,
        MissingModel,
        SummaryModel,
        UnprotectedModel,
    )


def _row(row: Connection) -> ConnectionModel:
    from socklock.schemas.connectivity import ConnectionModel

    # Built without validation: rows are many and the engine's values are valid by type.
    return ConnectionModel.model_construct(
        source=row.source,
        target=row.target,
        port=row.port,
        end_port=row.end_port,
        protocol=row.protocol.value,
        allowed=row.allowed,
        verdict=row.verdict.value,
    )


def verification(
    connectivity: Connectivity,
    intent: ServiceGraph | None,
    include_denied: bool = False,
    summary: bool = False,
) -> tuple[ConnectivityDocument, IntentCheck | None, tuple[Finding, ...]]:
    """The verify report: rows, unprotected workloads and, with an intent graph, missing and
    excess connections."""
    from socklock.schemas.connectivity import ConnectivityDocument

    rows, check, counts = listed(connectivity, intent, include_denied, summary)
    findings = unprotected(connectivity)
    summary_part, unprotected_part, missing_part = small_parts(
        connectivity, counts, findings, check
    )
    document = ConnectivityDocument(
        connections=[_row(r) for r in rows],
        summary=summary_part,
        unprotected=unprotected_part,
        missing=missing_part,
        excess=[_row(r) for r in (check.excess if check else ())],
    )
    return document, check, findings


def listed(
    connectivity: Connectivity,
    intent: ServiceGraph | None,
    include_denied: bool = False,
    summary: bool = False,
) -> tuple[tuple[Connection, ...], IntentCheck | None, dict[Verdict, int]]:
    """The listed rows, the intent check (None without an intent) and the rows' count per
    verdict (a ``*`` row counts once per workload)."""
    rows = tuple(Connection(*r) for r in connectivity.iter_rows(include_denied, summary))
    check = check_intent(connectivity, intent, rows) if intent is not None else None
    counts = {v: 0 for v in Verdict}
    for row in rows:
        if row.source == EVERY_WORKLOAD:
            counts[row.verdict] += len(connectivity.endpoints)
        else:
            counts[row.verdict] += 1
    return rows, check, counts


def small_parts(
    connectivity: Connectivity,
    counts: dict[Verdict, int],
    findings: tuple[Finding, ...],
    check: IntentCheck | None,
) -> tuple[SummaryModel, list[UnprotectedModel], list[MissingModel]]:
    """The document's parts besides the rows (summary, unprotected, missing), as the
    schema's models: :func:`small_part_values`, validated (but the unprotected rows, valid
    by type)."""
    from socklock.schemas.connectivity import MissingModel, SummaryModel, UnprotectedModel

    summary, unprotected_rows, missing = small_part_values(connectivity, counts, findings, check)
    return (
        SummaryModel.model_validate(summary),
        [UnprotectedModel.model_construct(**row) for row in unprotected_rows],
        [MissingModel.model_validate(row) for row in missing],
    )


def small_part_values(
    connectivity: Connectivity,
    counts: dict[Verdict, int],
    findings: tuple[Finding, ...],
    check: IntentCheck | None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The document's parts besides the rows (summary, unprotected, missing), the same for
    the document in memory and the streamed one, as plain values: each dict is what its
    model in :mod:`socklock.schemas.connectivity` dumps (``by_alias``, keys in field order),
    so the streamed document is written without pydantic. ``counts`` holds the listed
    rows' allowed and partial counts; denied is what the table holds beyond them."""
    unprotected_rows = [unprotected_value(connectivity, finding) for finding in findings]
    summary = summary_value(connectivity, counts, len(findings), check)
    return summary, unprotected_rows, missing_values(check)


def unprotected_value(connectivity: Connectivity, finding: Finding) -> dict[str, Any]:
    """One item of the document's ``unprotected`` list (an SLK209 finding), as plain values."""
    workload = finding.key.split(":")[1]
    isolation = connectivity.isolation(workload)
    return {
        "workload": workload,
        "kind": connectivity.endpoint(workload).kind,
        "ingress_isolated": isolation.ingress,
        "egress_isolated": isolation.egress,
        "rule_id": finding.rule_id,
        "severity": str(finding.severity),
        "message": finding.message,
        "file": finding.location.file,
        "line": finding.location.line,
    }


def summary_value(
    connectivity: Connectivity,
    counts: dict[Verdict, int],
    unprotected_count: int,
    check: IntentCheck | None,
) -> dict[str, Any]:
    """The document's ``summary``, as plain values (see :func:`small_part_values`)."""
    total = connectivity.row_count()
    return {
        "workloads": len(connectivity.endpoints),
        "externals": len(connectivity.externals),
        "policies": connectivity.policy_count(),
        "rows": total,
        "allowed": counts[Verdict.ALLOWED],
        "partial": counts[Verdict.PARTIAL],
        "denied": total - counts[Verdict.ALLOWED] - counts[Verdict.PARTIAL],
        "unprotected": unprotected_count,
        "missing": len(check.missing) if check else None,
        "excess": len(check.excess) if check else None,
        "skipped_intent": list(check.skipped) if check else [],
    }


def missing_values(check: IntentCheck | None) -> list[dict[str, Any]]:
    """The document's ``missing`` list, as plain values."""
    return [
        {
            "from": m.source,
            "to": m.target,
            "port": m.port,
            "protocol": str(m.protocol),
            "verdict": str(m.verdict),
            "needed_by": m.why,
        }
        for m in (check.missing if check else ())
    ]
