"""The ``socklock/explain/v1`` and ``socklock/diff/v1`` documents (pydantic: import lazily)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socklock.policy.api import Direction
from socklock.policy.diff import Change, ConnectivityDiff
from socklock.policy.explain import Explanation, Side

if TYPE_CHECKING:
    from socklock.schemas.diff import ChangeModel, DiffDocument
    from socklock.schemas.explain import ExplainDocument, SideModel


def _side(side: Side | None) -> SideModel | None:
    from socklock.schemas.explain import PolicyRefModel, RuleRefModel, SideModel

    if side is None:
        return None
    return SideModel(
        direction="ingress" if side.direction is Direction.INGRESS else "egress",
        workload=side.workload,
        isolated=side.isolated,
        allowed=side.allowed,
        reason=side.reason,
        selecting=[
            PolicyRefModel(policy=r.policy, file=r.location.file, line=r.location.line)
            for r in side.selecting
        ],
        admitting=[
            RuleRefModel(
                policy=r.policy,
                rule=r.rule,
                file=r.location.file,
                line=r.location.line,
                peers=r.peers,
                ports=r.ports,
            )
            for r in side.admitting
        ],
        near_misses=list(side.near_misses),
    )


def explain_document(explanation: Explanation) -> ExplainDocument:
    from socklock.schemas.explain import ExplainDocument

    return ExplainDocument.model_validate(
        {
            "from": explanation.source,
            "to": explanation.target,
            "port": explanation.port,
            "protocol": explanation.protocol.value,
            "verdict": explanation.verdict.value,
            "note": explanation.note,
            "egress": _side(explanation.egress),
            "ingress": _side(explanation.ingress),
        }
    )


def _change(change: Change) -> ChangeModel:
    from socklock.schemas.diff import ChangeModel

    return ChangeModel.model_validate(
        {
            "from": change.source,
            "to": change.target,
            "port": change.port,
            "end_port": change.end_port,
            "protocol": change.protocol.value,
            "before": change.before.value,
            "after": change.after.value,
        }
    )


def diff_document(
    result: ConnectivityDiff, workloads: int, old_policies: int, new_policies: int
) -> DiffDocument:
    from socklock.schemas.diff import DiffDocument

    return DiffDocument(
        equivalent=result.equivalent,
        workloads=workloads,
        old_policies=old_policies,
        new_policies=new_policies,
        opened=[_change(c) for c in result.added],
        closed=[_change(c) for c in result.removed],
    )
