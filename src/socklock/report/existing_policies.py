"""What ``socklock scan`` prints about the input's NetworkPolicies held against the graph."""

from __future__ import annotations

from socklock.report.policy_verdict import ExistingPolicies, PoliciesNotEvaluated, PolicyVerdict


def existing_policies_text(existing: ExistingPolicies, shown: int = 10) -> str:
    """A summary line, then at most ``shown`` broken and ``shown`` still-open connections
    (the rest are in connectivity.json); nothing without policies."""
    if isinstance(existing, PoliciesNotEvaluated):
        return (
            f"Existing NetworkPolicies ({existing.count}): not evaluated, they have errors:\n"
            f"{existing.diagnostics}\n"
        )
    if not isinstance(existing, PolicyVerdict):
        return ""
    check = existing.check
    lines = [
        f"Existing NetworkPolicies ({existing.count}) against the graph: "
        f"{len(check.missing)} needed connection(s) denied, {len(check.excess)} allowed "
        f"but not needed, {len(existing.unprotected)} workload(s) not isolated"
    ]
    for needed in check.missing[:shown]:
        lines.append(
            f"  breaks {needed.source} -> {needed.target} {needed.port}/{needed.protocol.value}"
            f" ({needed.why}: {needed.verdict.value})"
        )
    if len(check.missing) > shown:
        lines.append(f"  ... and {len(check.missing) - shown} more (connectivity.json)")
    for row in check.excess[:shown]:
        ports = f"{row.port}-{row.end_port}" if row.end_port else str(row.port)
        lines.append(f"  open   {row.source} -> {row.target} {ports}/{row.protocol.value}")
    if len(check.excess) > shown:
        lines.append(f"  ... and {len(check.excess) - shown} more (connectivity.json)")
    return "\n".join(lines) + "\n"


def connectivity_json(verdict: PolicyVerdict) -> str:
    assert verdict.document is not None, "connectivity.json is written before it is let go"
    return verdict.document.model_dump_json(by_alias=True, indent=2) + "\n"
