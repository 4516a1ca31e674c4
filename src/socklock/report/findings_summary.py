"""Findings grouped by rule: the overview ``socklock scan`` prints (details go to files)."""

from __future__ import annotations

from collections.abc import Iterable

from socklock.model import Finding
from socklock.report.terminal import render


def findings_by_rule(findings: Iterable[Finding], *, width: int = 120, color: bool = False) -> str:
    """One row per rule: its count and its first finding by position. The findings are
    taken one at a time and only the count and the first are kept per rule (a big input
    has millions of findings: held as objects, they cost about a kilobyte each)."""
    from rich.table import Table

    groups: dict[tuple[str, str, str], _Group] = {}
    total = 0
    for finding in findings:
        total += 1
        key = (finding.rule_id, finding.rule_name, finding.severity.value)
        group = groups.get(key)
        if group is None:
            groups[key] = _Group(finding)
        else:
            group.add(finding)
    table = Table(title=f"Hardening ({total} findings)", title_justify="left")
    for column in ("rule", "severity", "count", "first seen"):
        table.add_column(column, overflow="fold")
    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
    for (rule_id, name, severity), group in sorted(
        groups.items(), key=lambda kv: (rank[kv[0][2]], kv[0][0])
    ):
        table.add_row(f"{rule_id} {name}", severity, str(group.count), str(group.first.location))
    return render(table, width=width, color=color)


class _Group:
    """A rule's count, and its first finding by location (the earliest of equals)."""

    __slots__ = ("count", "first")

    def __init__(self, finding: Finding) -> None:
        self.count = 1
        self.first = finding

    def add(self, finding: Finding) -> None:
        self.count += 1
        if finding.location < self.first.location:
            self.first = finding
