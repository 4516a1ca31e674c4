"""The audit as a ``socklock/audit/v1`` document and as text."""

from __future__ import annotations

from dataclasses import dataclass

from socklock.flows.audit import Drop, Replay, Seen, Tuple
from socklock.flows.graph import rfc3339
from socklock.flows.read import FlowRead
from socklock.schemas.audit import (
    AuditDocument,
    DeciderModel,
    DropModel,
    FileModel,
    MissingModel,
    PolicyModel,
    SeenModel,
    SummaryModel,
    UnmappedModel,
)


@dataclass(frozen=True, slots=True)
class Audit:
    read: FlowRead
    replay: Replay
    drops: list[Drop]
    missing: list[Tuple] | None  # None: no graph compared
    warnings: list[str]


def _seen(seen: Seen) -> SeenModel:
    return SeenModel(
        count=seen.count,
        first_seen=rfc3339(seen.first),
        last_seen=rfc3339(seen.last),
        file=seen.location.file,
        line=seen.location.line,
        verdicts=sorted(seen.verdicts),
    )


def document(audit: Audit) -> AuditDocument:
    replay = audit.replay
    return AuditDocument(
        files=[
            FileModel(file=f.file, format=f.format, records=f.records, skipped=f.skipped, bad=f.bad)
            for f in audit.read.files
        ],
        dropped=[
            DropModel.model_validate(
                {
                    "from": d.flow[0],
                    "to": d.flow[1],
                    "port": d.flow[2],
                    "protocol": d.flow[3],
                    "verdict": str(d.verdict),
                    "seen": _seen(d.seen),
                    "decided_by": [
                        DeciderModel(
                            direction=c.direction,  # type: ignore[arg-type]
                            workload=c.workload,
                            policies=[
                                PolicyModel(policy=p, file=loc.file, line=loc.line)
                                for p, loc in c.policies
                            ],
                            reason=c.reason,
                        )
                        for c in d.deciders
                    ],
                }
            )
            for d in audit.drops
        ],
        missing=[
            MissingModel.model_validate(
                {
                    "from": m[0],
                    "to": m[1],
                    "port": m[2],
                    "protocol": m[3],
                    "seen": _seen(replay.tuples[m]),
                }
            )
            for m in audit.missing or ()
        ],
        unmapped=[
            UnmappedModel(
                side=u.side,  # type: ignore[arg-type]
                address=u.what,
                reason=u.reason,
                flows=u.flows,
                file=u.location.file,
                line=u.location.line,
            )
            for u in sorted(replay.unmapped.values(), key=lambda u: (u.side, u.what))
        ],
        warnings=audit.warnings,
        summary=SummaryModel(
            records=audit.read.records,
            bad_lines=audit.read.bad,
            flows=len(replay.tuples),
            dropped=len(audit.drops),
            missing=None if audit.missing is None else len(audit.missing),
            unmapped=len(replay.unmapped),
            not_judged=dict(sorted(replay.not_judged.items())),
        ),
    )


def _when(seen: Seen) -> str:
    first, last = rfc3339(seen.first), rfc3339(seen.last)
    span = f", {first} to {last}" if first is not None else ""
    return f"{seen.count} flow(s){span}, first at {seen.location}"


def text(audit: Audit) -> str:
    """Plain lines (stable for CI logs): drops with their deciders, missing, unmapped."""
    lines: list[str] = []
    lines.append(f"Would be dropped: {len(audit.drops)}")
    for d in audit.drops:
        source, target, port, protocol = d.flow
        lines.append(f"  {source} -> {target} {port}/{protocol}: {d.verdict} ({_when(d.seen)})")
        for c in d.deciders:
            lines.append(f"    {c.direction} of {c.workload}: {c.reason}")
            for policy, location in c.policies:
                lines.append(f"      isolated by {policy} ({location})")
    if audit.missing is not None:
        lines.append(f"Missing from the map: {len(audit.missing)}")
        for m in audit.missing:
            lines.append(f"  {m[0]} -> {m[1]} {m[2]}/{m[3]} ({_when(audit.replay.tuples[m])})")
    unmapped = sorted(audit.replay.unmapped.values(), key=lambda u: (u.side, u.what))
    if unmapped:
        lines.append(f"Not mapped to a workload: {len(unmapped)}")
        for u in unmapped:
            lines.append(
                f"  {u.side} {u.what}: {u.reason} ({u.flows} flow(s), first at {u.location})"
            )
    for reason, count in sorted(audit.replay.not_judged.items()):
        lines.append(f"Not judged: {count} record(s): {reason}")
    missing = "" if audit.missing is None else f", {len(audit.missing)} missing from the map"
    lines.append(
        f"{audit.read.records} records ({audit.read.bad} bad lines), "
        f"{len(audit.replay.tuples)} distinct flows: {len(audit.drops)} would be dropped{missing}"
    )
    return "\n".join(lines) + "\n"
