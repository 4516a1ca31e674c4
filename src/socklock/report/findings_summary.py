"""Findings grouped by rule: the overview ``socklock scan`` prints (details go to files)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from socklock.model import Finding
from socklock.report.terminal import render


def findings_by_rule(findings: Sequence[Finding], *, width: int = 120, color: bool = False) -> str:
    from rich.table import Table

    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[(finding.rule_id, finding.rule_name, finding.severity.value)].append(finding)
    table = Table(title=f"Hardening ({len(findings)} findings)", title_justify="left")
    for column in ("rule", "severity", "count", "first seen"):
        table.add_column(column, overflow="fold")
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    for (rule_id, name, severity), items in sorted(
        groups.items(), key=lambda kv: (rank[kv[0][2]], kv[0][0])
    ):
        first = min(items, key=lambda f: f.location)
        table.add_row(f"{rule_id} {name}", severity, str(len(items)), str(first.location))
    return render(table, width=width, color=color)
